"""A new MkDocs project needs only the theme, the plugin and data/ to build a knowledge base."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers import PROJECT_ROOT

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
    project = _new_project(tmp_path)  # no templates/: the package's own are used
    done = _build(project)
    assert done.returncode == 0, done.stderr
    article = (project / "site" / "biomarkers" / "b2m" / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote kb-footnotes"' in article  # the sources, as footnotes
    assert 'class="footnote-ref"' in article
    assert "[^" not in article
    assert 'markdown="1"' not in article
    assert 'markdown="span"' not in article
    assert 'href="../../stylesheets/kb.css"' in article  # the package's styles
    assert (project / "site" / "stylesheets" / "kb.css").read_bytes() == (
        PROJECT_ROOT / "content" / "stylesheets" / "kb.css"
    ).read_bytes()


def test_a_footnote_without_its_definition_fails_the_build_at_its_line(tmp_path: Path) -> None:
    project = _new_project(tmp_path)
    page = "# Notes\n\nA fact.[^known]\n\nAnother fact.[^missing]\n\n[^known]: A source.\n"
    (project / "docs" / "notes.md").write_text(page, encoding="utf-8")
    done = _build(project)
    assert done.returncode != 0
    assert "docs/notes.md:5: footnote [^missing] has no definition" in done.stderr
    assert "[^known]" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_projects_template_overrides_the_packages_own(tmp_path: Path) -> None:
    project = _new_project(tmp_path)
    (project / "templates").mkdir()
    home = (PROJECT_ROOT / "templates" / "home.md.j2").read_text(encoding="utf-8")
    (project / "templates" / "home.md.j2").write_text(
        home.replace("# Biomarker knowledge base", "# Our own lab notes"), encoding="utf-8"
    )
    done = _build(project)
    assert done.returncode == 0, done.stderr
    assert "Our own lab notes" in (project / "site" / "index.html").read_text(encoding="utf-8")
    article = (project / "site" / "biomarkers" / "b2m" / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote-ref"' in article  # the other templates are still the package's


def test_the_installed_wheel_alone_builds_a_new_project(tmp_path: Path) -> None:
    """The wheel ships its templates, schemas and styles: no file of this repository is read."""
    wheel_dir, target = tmp_path / "wheel", tmp_path / "installed"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(wheel_dir), str(PROJECT_ROOT)], check=True
    )
    wheels = list(wheel_dir.glob("biomarker_kb-*.whl"))
    assert len(wheels) == 1
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheels[0])], check=True
    )
    project = tmp_path / "blog"
    shutil.copytree(PROJECT_ROOT / "data", project / "data")
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    # A new environment that sees the wheel first, then the other dependencies, installed
    # here; not this checkout, which the development install would put first.
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "env")], check=True
    )
    python = tmp_path / "env" / "bin" / "python"
    site = sysconfig.get_path("purelib", vars={"base": str(tmp_path / "env")})
    (Path(site) / "deps.pth").write_text(f"{target}\n{sysconfig.get_path('purelib')}\n")
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    code = "import biomarker_kb; print(biomarker_kb.__file__)"
    where = subprocess.run(
        [python, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert where.stdout.startswith(str(target))  # the wheel's copy, not the repository's
    command = [str(python), "-m", "properdocs", "build", "--strict", "-q", "-f", "mkdocs.yml"]
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (project / "site" / "biomarkers" / "b2m" / "index.html").is_file()
    assert (project / "site" / "stylesheets" / "kb.css").is_file()
