"""The generated Markdown builds with Zensical: footnotes, claims, charts and styles survive."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.helpers import PROJECT_ROOT
from tools.benchmark import copy_project
from tools.zensical_build import build

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def _features(html: str) -> dict[str, int]:
    return {
        "claims": len(re.findall(r'data-claim="', html)),
        "footnote marks": len(re.findall(r'class="footnote-ref"', html)),
        "footnotes": len(re.findall(r'id="fn:', html)),
        "charts": html.count("<svg"),
        "stylesheet": html.count("stylesheets/kb.css"),
        "left-over Markdown": html.count('markdown="') + html.count("[^") + html.count("{: "),
    }


def test_the_article_built_by_zensical_keeps_what_the_plugin_build_has(tmp_path: Path) -> None:
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    assert build(project, tmp_path / "zensical") == 0
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")]
    subprocess.run(command, cwd=project, check=True, env={"NO_MKDOCS_2_WARNING": "1"})
    page = "biomarkers/b2m/index.html"
    zensical = _features((tmp_path / "zensical" / "site" / page).read_text(encoding="utf-8"))
    plugin = _features((tmp_path / "site" / page).read_text(encoding="utf-8"))
    assert zensical == plugin
    assert zensical["claims"] > 50
    assert zensical["charts"] > 0
    assert zensical["stylesheet"] == 1
    assert zensical["left-over Markdown"] == 0
    assert (tmp_path / "zensical" / "site" / "stylesheets" / "kb.css").is_file()
