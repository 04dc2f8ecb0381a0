"""`mkdocs serve` rebuilds in one process: the plugin and its compiled templates are kept, and
every edit to data, our templates or the theme overrides still shows in the next build."""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from biomarker_kb.live_preview import PROBLEMS_FILE, script_tag
from biomarker_kb.plugin import KnowledgeBasePlugin
from tests.helpers import PROJECT_ROOT, build_in_process
from tools.benchmark import copy_project

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def _rebuild(project: Path, site: Path) -> KnowledgeBasePlugin:
    """Load the config and build, as each rebuild of `mkdocs serve` does; return our plugin."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    plugin = config.plugins["biomarker-kb"]
    assert isinstance(plugin, KnowledgeBasePlugin)
    return plugin


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_show_in_the_next_rebuild_with_the_same_plugin_and_renderer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    site = tmp_path / "site"
    first = _rebuild(project, site)
    renderer = first.renderer
    page = site / "biomarkers" / "b2m" / "index.html"
    assert "rebuildmarker" not in page.read_text(encoding="utf-8")

    _edit(project / "data" / "biomarkers" / "b2m.yaml", "\nsummary: ", "\nsummary: datamarker ")
    _edit(project / "templates" / "biomarker.md.j2", "{{ notice }}", "{{ notice }}\n\ntplmarker")
    _edit(
        project / "templates" / "theme" / "partials" / "progress.html",
        "{#-",
        "<!-- thememarker -->\n{#-",
    )
    second = _rebuild(project, site)

    assert second is first  # MkDocs keeps a plugin that defines on_startup
    assert second.renderer is renderer  # so its templates are not compiled again
    html = page.read_text(encoding="utf-8")
    for marker in ("datamarker", "tplmarker", "thememarker"):
        assert marker in html


def test_a_broken_edit_keeps_the_last_good_pages_and_every_page_shows_its_problems(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    site = tmp_path / "site"
    _rebuild(project, site)
    article = site / "biomarkers" / "b2m" / "index.html"
    guide = site / "editors" / "index.html"
    problems = site / PROBLEMS_FILE
    data = project / "data" / "biomarkers" / "b2m.yaml"
    good = data.read_text(encoding="utf-8")

    _edit(data, "condition: systemic-lupus-erythematosus", "condition: lupus-nope")
    _rebuild(project, site)  # serving: the build succeeds, so the open tab reloads

    # The pages stay as they were; each has the script that puts the problems on top of it.
    html = article.read_text(encoding="utf-8")
    assert 'data-claim="serum-up-systemic-lupus-erythematosus"' in html
    for page in (article, site / "index.html", site / "conditions" / "index.html", guide):
        assert script_tag(page.relative_to(site).parent.as_posix() + "/") in page.read_text(
            encoding="utf-8"
        ), page
    report = problems.read_text(encoding="utf-8")
    assert "The data has problems" in report
    assert "unknown condition &#x27;lupus-nope&#x27;" in report  # escaped for HTML
    assert "b2m.yaml:" in report
    assert "unknown condition 'lupus-nope'" in caplog.text  # and the console says it too

    data.write_text(good, encoding="utf-8")
    _rebuild(project, site)
    assert problems.read_text(encoding="utf-8") == ""
    assert 'data-claim="serum-up-systemic-lupus-erythematosus"' in article.read_text(
        encoding="utf-8"
    )


def test_a_plain_build_still_fails_on_a_broken_edit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    _edit(
        project / "data" / "biomarkers" / "b2m.yaml",
        "condition: systemic-lupus-erythematosus",
        "condition: lupus-nope",
    )
    with pytest.raises(Exception, match="Aborted"):
        build_in_process(project, tmp_path / "site")
    assert "unknown condition 'lupus-nope'" in caplog.text
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.mark.parametrize("option", ["data_dir", "templates_dir"])
def test_a_plugin_folder_that_does_not_exist_is_a_config_error_naming_the_option(
    tmp_path: Path, option: str
) -> None:
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    plugin_line = "  - biomarker-kb  "
    assert plugin_line in text
    config_file.write_text(
        text.replace(plugin_line, f"  - biomarker-kb:\n      {option}: nope\n  ", 1),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert f"'{option}'" in done.stderr
    assert "nope' isn't an existing directory" in done.stderr
    assert "Traceback" not in done.stderr
