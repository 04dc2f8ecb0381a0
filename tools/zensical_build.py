"""Build the site with Zensical, Material's successor, from the generated Markdown.

Input: the project (data/, templates/, content/, mkdocs.yml). Output: ``.zensical/site``.
Zensical reads mkdocs.yml but runs no MkDocs plugins, so this checks the data strictly first,
writes the generated pages beside the hand-written ones (``python -m biomarker_kb render``), and
gives Zensical a copy of mkdocs.yml without the plugin. ``make zensical`` runs it; it is opt-in,
a preview of the plan for Material's end of life (README, Engines).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from biomarker_kb.cli import run_check, run_render
from biomarker_kb.pipeline import ProjectPaths

PLUGIN_LINE = re.compile(r"^\s*- biomarker-kb\b.*\n", re.MULTILINE)


def assemble(project: Path, target: Path) -> Path | None:
    """Write a plugin-free Zensical project into ``target``; None if the data has errors."""
    paths = ProjectPaths.at(project)
    if run_check(paths, strict=True) != 0:
        return None
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(project / "content", target / "docs")
    if run_render(paths, target / "docs") != 0:
        return None
    shutil.copytree(project / "templates" / "theme", target / "overrides")
    config, removed = PLUGIN_LINE.subn("", (project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert removed == 1, "bug: mkdocs.yml no longer lists the biomarker-kb plugin on one line"
    config = config.replace("docs_dir: content", "docs_dir: docs")
    config = config.replace("custom_dir: templates/theme", "custom_dir: overrides")
    config = re.sub(r"^watch:\n(?:  - .*\n)*", "", config, flags=re.MULTILINE)
    (target / "mkdocs.yml").write_text(config, encoding="utf-8", newline="\n")
    return target / "mkdocs.yml"


def build(project: Path, target: Path) -> int:
    """Assemble and build with Zensical; return its exit status."""
    config = assemble(project, target)
    if config is None:
        return 1
    zensical = Path(sys.executable).parent / "zensical"
    return subprocess.run(
        [str(zensical), "build", "-f", str(config)], cwd=target, check=False
    ).returncode


def main() -> int:
    """Build this repository's site with Zensical."""
    project = Path(__file__).resolve().parents[1]
    status = build(project, project / ".zensical")
    if status == 0:
        print("built the site with Zensical into .zensical/site/")
    return status


if __name__ == "__main__":
    sys.exit(main())
