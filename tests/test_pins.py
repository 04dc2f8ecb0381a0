"""The library internals the code relies on are pinned exactly, and an upgrade that changes them
fails here, naming what to check again, before it can change a build silently.

- PyYAML: ``strict_yaml.py`` overrides the constructor's and resolver's internals.
- fastjsonschema: ``schema_check.py`` rewrites the code it generates.
- MkDocs and ProperDocs: ``live_preview.py`` reads `serve`'s rebuild closure and relies on
  dirty builds deciding by file times.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from typing import Any

import fastjsonschema
import pytest
from mkdocs.commands import serve
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File
from yaml.constructor import BaseConstructor
from yaml.resolver import BaseResolver

from biomarker_kb.schema_check import _FORMAT_LOCALS
from tests.helpers import PROJECT_ROOT

PINNED = {
    "mkdocs": "1.6.1",
    "properdocs": "1.6.7",
    "PyYAML": "6.0.4",
    "fastjsonschema": "2.22.3",
}

INTERNALS: dict[str, tuple[Any, str, str]] = {
    "PyYAML BaseConstructor.construct_object": (
        BaseConstructor.construct_object, "e63112af9f8fffd2", "strict_yaml.py"),
    "PyYAML BaseResolver.resolve": (BaseResolver.resolve, "61e5156c35cd2ce6", "strict_yaml.py"),
    "PyYAML BaseResolver.descend_resolver": (
        BaseResolver.descend_resolver, "db42c18415fd5e09", "strict_yaml.py"),
    "PyYAML BaseResolver.ascend_resolver": (
        BaseResolver.ascend_resolver, "eb00fb42a6be7f4a", "strict_yaml.py"),
    "MkDocs serve()": (serve.serve, "518c785249cd4e9d", "live_preview.py (dirty_builder)"),
    "MkDocs File.is_modified": (File.is_modified, "7b5f8afab5f1f6d2", "live_preview.py"),
    "MkDocs LiveReloadServer._build_loop": (
        LiveReloadServer._build_loop, "0bea1402bb4a41bf", "live_preview.py"),
}  # fmt: skip


def test_pyproject_pins_the_libraries_whose_internals_are_used_exactly() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = {
        re.split(r"[=<>!~\[ ]", line, maxsplit=1)[0].lower(): line
        for line in project["project"]["dependencies"]
    }
    for name, version in PINNED.items():
        assert requirements[name.lower()] == f"{name.lower()}=={version}", name
        assert metadata.version(name) == version, f"{name} {metadata.version(name)} installed"


@pytest.mark.parametrize("name", sorted(INTERNALS))
def test_the_internals_relied_on_are_those_checked(name: str) -> None:
    function, expected, where = INTERNALS[name]
    found = hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest()[:16]
    assert found == expected, (
        f"{name} changed in this version: check {where} against it, then record {found}"
    )


def test_fastjsonschema_still_writes_the_code_schema_check_rewrites() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    code = fastjsonschema.compile_to_code(schema)
    assert _FORMAT_LOCALS.search(code), "fastjsonschema's item names changed: see schema_check.py"


def test_properdocs_serve_is_the_one_checked() -> None:
    # In a child process: importing ProperDocs redirects later imports of mkdocs to it.
    code = (
        "import hashlib, inspect, properdocs.commands.serve as s;"
        "print(hashlib.sha256(inspect.getsource(s.serve).encode()).hexdigest()[:16])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = done.stdout.strip()
    assert found == "263f647ea131d434", (
        f"ProperDocs' serve() changed: check live_preview.py (dirty_builder), then record {found}"
    )
