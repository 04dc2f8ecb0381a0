"""The checked records pickle by their fields' values, and come back equal."""

from __future__ import annotations

import dataclasses
import pickle
from typing import TYPE_CHECKING

import pytest

from biomarker_kb import model, spans
from biomarker_kb.pipeline import ProjectPaths, check
from biomarker_kb.record_pickling import pickled_by_fields
from tools.synthetic import write_knowledge_base

if TYPE_CHECKING:
    from pathlib import Path

SLOTTED_RECORDS = sorted(
    (
        value
        for module in (model, spans)
        for value in vars(module).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == module.__name__
        and "__slots__" in vars(value)
    ),
    key=lambda cls: cls.__qualname__,
)


@pytest.mark.parametrize("record_class", SLOTTED_RECORDS, ids=lambda cls: cls.__qualname__)
def test_every_slotted_record_pickles_by_its_fields(record_class: type) -> None:
    # A record class added without the decorator would pickle through dataclasses' slow path.
    assert "pickled_by_fields" in record_class.__getstate__.__qualname__


def test_a_checked_knowledge_base_comes_back_equal(tmp_path: Path) -> None:
    write_knowledge_base(3, tmp_path)
    kb = check(ProjectPaths.at(tmp_path)).kb
    assert kb is not None
    citation = kb.biomarkers[0].claims[0].citations[0]
    fields = dataclasses.fields(citation)
    assert citation.__getstate__() == tuple(getattr(citation, f.name) for f in fields)
    assert pickle.loads(pickle.dumps(kb.biomarkers, pickle.HIGHEST_PROTOCOL)) == kb.biomarkers


@pickled_by_fields
@dataclasses.dataclass(frozen=True, slots=True)
class _One:
    value: str


def test_a_record_of_one_field_comes_back_equal_and_still_frozen() -> None:
    one = pickle.loads(pickle.dumps(_One("x")))
    assert one == _One("x")
    assert one.__getstate__() == ("x",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.value = "y"
