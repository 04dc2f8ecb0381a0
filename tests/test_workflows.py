"""The GitHub workflows pass a workflow linter and run on current, supported versions."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import PROJECT_ROOT

WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))
NODE24_MAJORS = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/setup-node": 5,
    "actions/upload-artifact": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}
"""The first release of each action that runs on Node 24 (GitHub's runners dropped Node 20)."""


def _zizmor() -> str:
    found = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert found, "zizmor is not installed: it is in the dev extra (make install)"
    return found


def test_the_workflow_linter_finds_nothing() -> None:
    done = subprocess.run(
        [_zizmor(), "--offline", "--config", ".github/zizmor.yml", ".github/workflows/"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_runs_on_node_24_and_permissions_are_explicit(workflow: Path) -> None:
    text = workflow.read_text(encoding="utf-8")
    parsed = yaml.safe_load(text)
    assert "permissions" in parsed, f"{workflow.name}: no top-level permissions"
    for action, major in re.findall(r"uses:\s*([\w.-]+/[\w.-]+)@v(\d+)", text):
        assert action in NODE24_MAJORS, f"{workflow.name}: {action} is not known to run on Node 24"
        assert int(major) >= NODE24_MAJORS[action], f"{workflow.name}: {action}@v{major}"
    for version in re.findall(r'node-version:\s*"?(\d+)', text):
        assert int(version) >= 24, f"{workflow.name}: Node {version} is past its support"


def test_pages_deploys_one_at_a_time() -> None:
    pages = yaml.safe_load((PROJECT_ROOT / ".github" / "workflows" / "pages.yml").read_text())
    assert pages["concurrency"]["group"] == "pages"
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
