"""Fixtures shared by the whole suite: the real project, its check result and its built site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from biomarker_kb.compiled_cache import CACHE_DIR_VARIABLE
from biomarker_kb.pipeline import CheckResult, ProjectPaths, check
from tests.helpers import PROJECT_ROOT, mkdocs_build

# Keep Hypothesis' example cache inside tests/ (git-ignored) rather than in the project root.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(__file__).parent / ".hypothesis"))
# Likewise the compiled validators (inherited by the builds the tests start), not ~/.cache.
os.environ.setdefault(CACHE_DIR_VARIABLE, str(Path(__file__).parent / ".compiled-cache"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/cases/*/expected/ from the current output instead of comparing",
    )
    parser.addoption(
        "--update-screenshots",
        action="store_true",
        default=False,
        help="rewrite tests/browser/baselines/ from the current pages instead of comparing",
    )


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with --update-goldens."""
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The real project: the folder holding mkdocs.yml, data/ and templates/."""
    assert (PROJECT_ROOT / "mkdocs.yml").is_file()
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def real_check(project_root: Path) -> CheckResult:
    """The pipeline's check of the real data (problems and knowledge base)."""
    return check(ProjectPaths.at(project_root))


@pytest.fixture(scope="session")
def built_site(project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real site once per session, strictly, into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("site")
    completed = mkdocs_build(project_root, site_dir)
    assert completed.returncode == 0, completed.stderr
    return site_dir
