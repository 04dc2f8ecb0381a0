"""ProperDocs (the default engine) and MkDocs build the same site, page for page."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.helpers import PROJECT_ROOT
from tools.benchmark import copy_project

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
"""The one line that names the engine."""


def _build(engine: str, project: Path, config: str, site: Path) -> dict[str, bytes]:
    command = [
        sys.executable,
        "-m",
        engine,
        "build",
        "--strict",
        "-q",
        "-f",
        config,
        "-d",
        str(site),
    ]
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "SITE_URL": "https://example.org/"}
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{engine}: {done.stderr}"
    pages = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            data = gzip.decompress(data) if path.suffix == ".gz" else GENERATOR.sub(b"", data)
            pages[path.relative_to(site).as_posix()] = data
    return pages


def test_properdocs_and_mkdocs_build_the_same_pages(tmp_path: Path) -> None:
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    with_mkdocs = _build("mkdocs", project, "mkdocs.yml", tmp_path / "mkdocs-site")
    shutil.copy(project / "mkdocs.yml", project / "properdocs.yml")  # ProperDocs' own name
    with_properdocs = _build("properdocs", project, "properdocs.yml", tmp_path / "properdocs-site")
    assert len(with_mkdocs) > 50
    assert sorted(with_properdocs) == sorted(with_mkdocs)
    differing = [name for name in with_mkdocs if with_mkdocs[name] != with_properdocs[name]]
    assert differing == []
