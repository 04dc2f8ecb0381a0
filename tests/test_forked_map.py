"""Reading the data in two processes gives what reading it in one gives, failures included."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, TypeVar

import pytest

from biomarker_kb import forked_map as forked_map_module
from biomarker_kb import pipeline
from biomarker_kb.check_memo import CheckMemo
from biomarker_kb.forked_map import forked_map
from biomarker_kb.pipeline import MIN_FILES_TO_FORK, ProjectPaths, check
from tests.helpers import PROJECT_ROOT
from tools.synthetic import write_knowledge_base

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

T = TypeVar("T")
R = TypeVar("R")


@pytest.fixture(autouse=True)
def _two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork as on the two-CPU machines these tests are written for, whatever runs them."""
    monkeypatch.setattr(forked_map_module, "cpus_to_fork_on", lambda: 2)


def _with_pid(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_results_come_in_order_and_part_from_a_child() -> None:
    results = forked_map(_with_pid, list(range(50)), 0.4)
    assert [square for square, _ in results] == [i * i for i in range(50)]
    pids = [pid for _, pid in results]
    assert pids[:30] == [os.getpid()] * 30
    assert os.getpid() not in pids[30:]  # the last 40 % were computed elsewhere


def test_one_cpu_computes_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked_map_module, "cpus_to_fork_on", lambda: 1)
    assert [pid for _, pid in forked_map(_with_pid, list(range(10)), 0.5)] == [os.getpid()] * 10


def test_a_failing_child_leaves_its_share_to_the_parent() -> None:
    parent = os.getpid()

    def fails_in_child(item: int) -> int:
        if os.getpid() != parent:
            raise MemoryError("the child ran out")
        return item + 1

    assert forked_map(fails_in_child, list(range(10)), 0.5) == list(range(1, 11))


def test_a_bug_raises_in_the_parent_as_itself() -> None:
    def bug(item: int) -> int:
        raise ValueError(f"bug at {item}")

    with pytest.raises(ValueError, match="bug at 0"):
        forked_map(bug, list(range(10)), 0.5)


def test_an_unpicklable_result_is_computed_here() -> None:
    results = forked_map(lambda item: lambda: item, list(range(6)), 0.5)
    assert [make() for make in results] == list(range(6))


def test_a_forked_check_finds_what_a_plain_one_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapped: list[int] = []

    def counted(function: Callable[[T], R], items: Sequence[T], share: float) -> list[R]:
        mapped.append(len(items))
        return forked_map(function, items, share)

    monkeypatch.setattr(pipeline, "forked_map", counted)
    write_knowledge_base(MIN_FILES_TO_FORK + 5, tmp_path)
    articles = sorted((tmp_path / "data" / "biomarkers").glob("*.yaml"))
    # Mistakes in files read by each process: a syntax error first, a wrong shape last.
    articles[0].write_text("id: [unclosed\n", encoding="utf-8")
    articles[-1].write_text("id: 5\n", encoding="utf-8")
    shutil.copy(articles[1], articles[1].with_name("duplicate.yaml"))
    paths = ProjectPaths(tmp_path, tmp_path / "data", PROJECT_ROOT / "templates")
    plain, forked = check(paths), check(paths, fork=True)
    assert mapped == [len(articles) + 1]  # every article, read by two processes
    assert forked.problems == plain.problems
    assert len(plain.problems) >= 3
    assert forked.sources == plain.sources
    fixed = tmp_path / "fixed"
    write_knowledge_base(MIN_FILES_TO_FORK + 5, fixed)
    paths = ProjectPaths(fixed, fixed / "data", PROJECT_ROOT / "templates")
    plain, forked = check(paths), check(paths, fork=True)
    assert forked.kb is not None
    assert forked.kb == plain.kb
    mapped.clear()
    memo = CheckMemo()
    check(paths, memo, fork=True)
    check(paths, memo, fork=True)
    assert len(mapped) == 1  # a rebuild re-reads only the files that changed, here
