"""Compiled validators are kept between runs, and a cache in any state gives the same answers."""

from __future__ import annotations

import marshal
from typing import TYPE_CHECKING

import pytest

from biomarker_kb import compiled_cache, schema_check
from biomarker_kb.compiled_cache import CACHE_DIR_VARIABLE, CompiledEntry, cached_entry
from biomarker_kb.load import YamlFile, parse_yaml
from tests.helpers import biomarker_yaml

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty cache folder for this test only."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(folder))
    return folder


def _entry(value: int) -> CompiledEntry:
    return "answer", compile(f"def answer():\n    return {value}\n", "<test>", "exec")


def _call(entry: CompiledEntry) -> object:
    namespace: dict[str, object] = {}
    exec(entry[1], namespace)
    function = namespace[entry[0]]
    assert callable(function)
    return function()


def _must_not_run() -> CompiledEntry:
    raise AssertionError("the entry was made again instead of read from the cache")


def test_an_entry_made_once_is_read_back_by_the_next_run(cache_folder: Path) -> None:
    assert _call(cached_entry("key one", lambda: _entry(1))) == 1
    assert len(list(cache_folder.iterdir())) == 1
    assert _call(cached_entry("key one", _must_not_run)) == 1


def test_a_different_key_is_a_different_entry(cache_folder: Path) -> None:
    cached_entry("key one", lambda: _entry(1))
    assert _call(cached_entry("key two", lambda: _entry(2))) == 2
    assert len(list(cache_folder.iterdir())) == 2


@pytest.mark.parametrize(
    "damage",
    [b"", b"not marshal data", marshal.dumps(("answer", "not code")), marshal.dumps(42)],
    ids=["empty", "garbage", "wrong-shape", "not-a-tuple"],
)
def test_a_damaged_entry_is_made_again_and_replaced(cache_folder: Path, damage: bytes) -> None:
    cached_entry("key one", lambda: _entry(1))
    (kept,) = cache_folder.iterdir()
    kept.write_bytes(damage)
    assert _call(cached_entry("key one", lambda: _entry(1))) == 1
    assert _call(cached_entry("key one", _must_not_run)) == 1


def test_a_cache_that_cannot_be_written_costs_only_time(cache_folder: Path) -> None:
    cache_folder.write_text("a file where the folder should be", encoding="utf-8")
    assert _call(cached_entry("key one", lambda: _entry(1))) == 1
    assert _call(cached_entry("key one", lambda: _entry(1))) == 1
    assert cache_folder.read_text(encoding="utf-8") == "a file where the folder should be"


def test_no_partly_written_file_is_left_behind(cache_folder: Path) -> None:
    cached_entry("key one", lambda: _entry(1))
    assert [path.name.startswith("validator-") for path in cache_folder.iterdir()] == [True]


def test_without_the_variable_the_cache_is_in_the_users_cache_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(CACHE_DIR_VARIABLE, raising=False)
    assert compiled_cache.cache_dir().name == "biomarker-kb"


@pytest.fixture
def fresh_validators(cache_folder: Path) -> Iterator[Path]:
    """Forget the validators this process compiled, before and after the test."""
    schema_check._fast_validator.cache_clear()
    yield cache_folder
    schema_check._fast_validator.cache_clear()


def _problems(text: str) -> list[str]:
    root, load_problems = parse_yaml(text, "data/biomarkers/alpha.yaml")
    assert load_problems == []
    document = YamlFile("data/biomarkers/alpha.yaml", root)
    return [problem.message for problem in schema_check.check_against_schema(document, "biomarker")]


def test_a_validator_read_from_the_cache_judges_as_a_fresh_one(
    fresh_validators: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    valid = biomarker_yaml()
    invalid = biomarker_yaml().replace("name: Alpha\n", "name: 7\n")
    fresh = (_problems(valid), _problems(invalid))
    assert fresh[0] == []
    assert fresh[1] != []
    assert len(list(fresh_validators.iterdir())) == 1

    schema_check._fast_validator.cache_clear()

    def not_again(*_: object) -> CompiledEntry:
        raise AssertionError("the validator was generated again despite the cache")

    monkeypatch.setattr(schema_check, "_generate_validator", not_again)
    assert (_problems(valid), _problems(invalid)) == fresh


def test_a_changed_schema_is_not_answered_from_the_cache(
    fresh_validators: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _problems(biomarker_yaml())
    schema = schema_check.load_schema("biomarker")
    changed = {**schema, "maxProperties": 1}  # the valid fixture has more
    monkeypatch.setattr(schema_check, "load_schema", lambda _name: changed)
    schema_check._fast_validator.cache_clear()
    validate = schema_check._fast_validator("biomarker")
    assert len(list(fresh_validators.iterdir())) == 2
    root, _ = parse_yaml(biomarker_yaml(), "alpha.yaml")
    with pytest.raises(schema_check.fastjsonschema.JsonSchemaValueException):
        validate(root)
