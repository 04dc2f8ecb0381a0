"""A new MkDocs project needs only the theme, the plugin and data/ to build a knowledge base."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.helpers import PROJECT_ROOT

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

MINIMAL_CONFIG = """\
site_name: A knowledge base
theme:
  name: material
plugins:
  - search
  - biomarker-kb
"""


def _new_project(tmp_path: Path) -> Path:
    project = tmp_path / "blog"
    shutil.copytree(PROJECT_ROOT / "data", project / "data")
    shutil.copytree(PROJECT_ROOT / "templates", project / "templates")
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return project


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )


def test_a_minimal_mkdocs_yml_builds_complete_pages(tmp_path: Path) -> None:
    project = _new_project(tmp_path)
    done = _build(project)
    assert done.returncode == 0, done.stderr
    article = (project / "site" / "biomarkers" / "b2m" / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote kb-footnotes"' in article  # the sources, as footnotes
    assert 'class="footnote-ref"' in article
    assert "[^" not in article
    assert 'markdown="1"' not in article
    assert 'markdown="span"' not in article


def test_a_footnote_without_its_definition_fails_the_build_at_its_line(tmp_path: Path) -> None:
    project = _new_project(tmp_path)
    page = "# Notes\n\nA fact.[^known]\n\nAnother fact.[^missing]\n\n[^known]: A source.\n"
    (project / "docs" / "notes.md").write_text(page, encoding="utf-8")
    done = _build(project)
    assert done.returncode != 0
    assert "docs/notes.md:5: footnote [^missing] has no definition" in done.stderr
    assert "[^known]" not in done.stderr
    assert "Traceback" not in done.stderr
