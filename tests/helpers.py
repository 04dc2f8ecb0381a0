"""Shared test helpers: fixture projects on disk, MkDocs builds, and record factories."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from biomarker_kb.model import Reference
from biomarker_kb.problems import Location

if TYPE_CHECKING:
    from collections.abc import Mapping

PROJECT_ROOT = Path(__file__).resolve().parents[1]
"""The real project (the directory holding mkdocs.yml)."""
CASES = Path(__file__).resolve().parent / "cases"

# --------------------------------------------------------------------------- fixture projects


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write ``{relative path: text or bytes}`` below ``root``, creating folders."""
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="\n")


def make_project(
    tmp_path: Path,
    data_tree: Path | None = None,
    files: Mapping[str, str | bytes] | None = None,
) -> Path:
    """Return a project in ``tmp_path``: a copy of ``data_tree`` as data/, plus extra ``files``.

    The real templates/, content/ and mkdocs.yml are copied next to it, so the fixture project
    renders and builds exactly as the real site does.
    """
    project = tmp_path / "project"
    project.mkdir()
    if data_tree is not None:
        shutil.copytree(data_tree, project / "data")
    shutil.copytree(PROJECT_ROOT / "templates", project / "templates")
    shutil.copytree(PROJECT_ROOT / "content", project / "content")
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", project / "mkdocs.yml")
    write_files(project, files or {})
    _unlink_missing_pages(project)
    return project


_DATA_PAGE_LINK = re.compile(
    r"\[(?P<text>[^\]]*)\]\((?:\.\./)*(?P<kind>biomarkers|conditions|specimens)/(?P<id>[^/#)]+)\.md"
    r"(?:#[^)]*)?\)"
)


def _data_ids(project: Path) -> dict[str, set[str]]:
    """Return the ids the fixture's data would generate pages for."""
    data = project / "data"
    ids = {"biomarkers": {p.stem for p in (data / "biomarkers").glob("*.yaml")}}
    for kind in ("conditions", "specimens"):
        try:
            records = yaml.safe_load((data / f"{kind}.yaml").read_text(encoding="utf-8"))[kind]
            ids[kind] = {str(record["id"]) for record in records}
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            ids[kind] = set()
    return ids


def _unlink_missing_pages(project: Path) -> None:
    """Turn links from hand-written pages to articles the fixture lacks into plain text.

    The real content/ may link to real articles (editors.md links biomarkers/b2m.md); a fixture
    with other data does not generate them, and a strict build would fail on the link alone.
    """
    ids = _data_ids(project)

    def keep_or_unlink(match: re.Match[str]) -> str:
        kept = match["id"] == "index" or match["id"] in ids[match["kind"]]
        return match[0] if kept else match["text"]

    for page in (project / "content").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        unlinked = _DATA_PAGE_LINK.sub(keep_or_unlink, text)
        if unlinked != text:
            page.write_text(unlinked, encoding="utf-8", newline="\n")


def mkdocs_build(
    project: Path, site_dir: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` on ``project`` the way CI does (``env``: extra variables)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    environment = {**os.environ, **env} if env else None
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, check=False, env=environment
    )


def build_in_process(project: Path, site_dir: Path) -> None:
    """Run a one-off ``mkdocs build`` of ``project`` in this process (monkeypatches apply).

    MkDocs raises ``Abort`` when a plugin stops the build; its messages go to the log.
    """
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m biomarker_kb ARGS`` and capture its output."""
    command = [sys.executable, "-m", "biomarker_kb", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def tree_digest(root: Path) -> dict[str, str]:
    """Return ``{relative path: sha256}`` for every file below ``root``."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --------------------------------------------------------------------------- minimal valid data

SPECIMENS_YAML = """\
specimens:
  - id: serum
    name: Serum
  - id: urine
    name: Urine
"""

CONDITIONS_YAML = """\
conditions:
  - id: kidney-disease
    name: Kidney disease
    kind: disease
  - id: malignancy
    name: Malignancy
    kind: group
"""

REFERENCES_BIB = """\
@online{post-a,
  organization = {Example Blog},
  title        = {Post A},
  year         = {2023}
}

@book{smith2020,
  author    = {Smith, Jane},
  title     = {Lab Tests},
  publisher = {Example Press},
  year      = {2020}
}
"""


def biomarker_yaml(biomarker_id: str = "alpha", body: str = "") -> str:
    """Return a schema-valid biomarker file (8 header lines) followed by ``body``."""
    return (
        f"id: {biomarker_id}\n"
        "name: Alpha\n"
        "summary: About alpha.\n"
        "original_post:\n"
        "  cite: post-a\n"
        '  title: "Post A"\n'
        '  published: "2023-09-07"\n'
        'last_reviewed: "2026-11-25"\n'
    ) + body


def statement_yaml(claim_id: str = "x", cite: str = "[smith2020]", extra: str = "") -> str:
    """Return an ``overview:`` with one sentence, "A fact.", that is one statement.

    After ``biomarker_yaml``'s header the sentence's ``text`` is line 11 and the claim's
    ``- id:`` line 13 (the claim starts at column 13), ``cite`` line 16; ``extra`` adds lines to
    the claim, indented as its fields (12 spaces), from line 17.
    """
    return (
        "overview:\n"
        "  - sentences:\n"
        f'      - text: "[A fact]{{{claim_id}}}."\n'
        "        claims:\n"
        f"          - id: {claim_id}\n"
        "            type: statement\n"
        "            topic: physiology\n"
        f"            cite: {cite}\n"
    ) + extra


def minimal_files(**biomarkers: str) -> dict[str, str | bytes]:
    """Return a valid data/ tree; each keyword is a biomarker file name and its text."""
    files: dict[str, str | bytes] = {
        "data/specimens.yaml": SPECIMENS_YAML,
        "data/conditions.yaml": CONDITIONS_YAML,
        "data/references.bib": REFERENCES_BIB,
    }
    files.update({f"data/biomarkers/{name}.yaml": text for name, text in biomarkers.items()})
    return files


# --------------------------------------------------------------------------- record factories

HERE = Location("test.yaml", 1, 1)


def make_reference(key: str = "smith2020", **fields: object) -> Reference:
    """Return a Reference; defaults to a book, override any field."""
    values: dict[str, object] = {
        "entry_type": "book",
        "title": "Lab Tests",
        "authors": ("Smith, Jane",),
        "publisher": "Example Press",
        "year": "2020",
        "location": HERE,
    }
    values.update(fields)
    return Reference(key=key, **values)  # type: ignore[arg-type]
