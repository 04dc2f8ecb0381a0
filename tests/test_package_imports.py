"""The installed package imports nothing that only the tests or the developer tools need."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import PROJECT_ROOT

DEV_ONLY = ("playwright", "PIL", "hypothesis", "bs4", "pytest", "tools")
"""Test and tool dependencies (the `test` extra) and the tools/ folder."""


def test_every_module_of_the_package_imports_without_test_or_tool_dependencies() -> None:
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import biomarker_kb\n"
        "names = [m.name for m in pkgutil.walk_packages(biomarker_kb.__path__, 'biomarker_kb.')]\n"
        "for name in names:\n"
        "    if name != 'biomarker_kb.__main__':  # runs the command line\n"
        "        importlib.import_module(name)\n"
        "print(json.dumps({'modules': names, 'loaded': sorted(sys.modules)}))\n"
    )
    # Run from outside the repository, so that tools/ is not importable by accident.
    done = subprocess.run(
        [sys.executable, "-c", code], cwd="/", capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout)
    assert "biomarker_kb.plugin" in found["modules"]
    assert not any(m.endswith(("benchmark", "synthetic", "screenshots")) for m in found["modules"])
    loaded = [m for m in found["loaded"] if m.split(".")[0] in DEV_ONLY]
    assert loaded == []
    assert (PROJECT_ROOT / "tools" / "benchmark.py").is_file()
