"""A one-off build renders its pages in child processes while MkDocs goes on; nothing changes."""

from __future__ import annotations

import logging
import signal
from typing import TYPE_CHECKING

import pytest

from biomarker_kb import plugin
from biomarker_kb.forked_render import BackgroundRender, ShareFailed, process_count
from biomarker_kb.pipeline import ProjectPaths, check, iter_changed_pages, render_pages
from biomarker_kb.problems import KbError, Location, Problem
from biomarker_kb.render import SiteRenderer
from biomarker_kb.staging import StagedPages
from biomarker_kb.structured_data import Site
from tests.helpers import PROJECT_ROOT, build_in_process
from tools.benchmark import copy_project
from tools.synthetic import write_knowledge_base

if TYPE_CHECKING:
    from pathlib import Path


def test_pages_rendered_by_two_children_equal_those_rendered_in_one_process(
    tmp_path: Path,
) -> None:
    write_knowledge_base(20, tmp_path)
    paths = ProjectPaths(tmp_path, tmp_path / "data", PROJECT_ROOT / "templates")
    result = check(paths)
    assert result.kb is not None
    site = Site("Site", "https://example.test/")
    renderer = SiteRenderer(paths.templates_dir, site)
    rendered = render_pages(result, renderer)
    expected = {page.path: page.utf8 for page in rendered}
    described = {page.path: page.structured_data for page in rendered if page.structured_data}
    renderer, staged = SiteRenderer(paths.templates_dir, site), StagedPages()

    def share(index: int, count: int) -> None:
        renderer.shard = (index, count)
        for page in iter_changed_pages(result, renderer):
            staged.write(page)
        staged.hand_over()

    try:
        background = BackgroundRender(share, 2)
        share(2, 2)  # plans every page here, renders none
        for path in sorted(expected):
            background.wait_for(staged.path_of(path))
        background.join()
        assert staged.described == {}  # rendered there: nothing here until taken over
        staged.take_over()
        assert staged.described == described
        assert described  # the articles have JSON-LD
        written = {
            p.relative_to(staged.folder).as_posix(): p.read_bytes()
            for p in staged.folder.rglob("*.md")
        }
        assert written == expected
        assert renderer.page_paths == set(expected)  # known here, though rendered there
        assert set(renderer.page_sources) == set(expected)
    finally:
        staged.remove()


def test_a_childs_problems_are_raised_by_the_page_waiting_for_it(tmp_path: Path) -> None:
    def share(index: int, count: int) -> None:
        if index == 1:
            raise KbError([Problem(Location("templates/condition.md.j2", 3), "template error")])
        (tmp_path / "page.md").write_text("done")

    background = BackgroundRender(share, 2)
    background.wait_for(tmp_path / "page.md")
    with pytest.raises(ShareFailed, match=r"templates/condition\.md\.j2:3: template error"):
        background.wait_for(tmp_path / "never.md")


def test_a_childs_bug_is_raised_with_its_traceback() -> None:
    def share(index: int, count: int) -> None:
        raise ValueError("boom")

    with pytest.raises(RuntimeError, match="(?s)bug: rendering failed.*ValueError: boom"):
        BackgroundRender(share, 1).join()


def test_a_build_rendered_in_the_background_writes_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project")
    write_knowledge_base(5, project)
    sites = {}
    for processes in (1, 3):
        monkeypatch.setattr(plugin, "process_count", lambda pages, n=processes: n)
        site = tmp_path / f"site-{processes}"
        build_in_process(project, site)
        sites[processes] = {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")
        }
    assert len(sites[1]) > 40
    assert sites[3] == sites[1]


def test_small_sites_are_rendered_in_one_process() -> None:
    assert process_count(50) == 1
    assert process_count(10_000) >= 1


def test_a_long_report_does_not_block_the_child_while_a_page_is_awaited(tmp_path: Path) -> None:
    # 200,000 characters: more than a pipe holds, so a child writing it to one would never end.
    def share(index: int, count: int) -> None:
        raise KbError([Problem(Location("templates/x.md.j2", 1), "m" * 200_000)])

    background = BackgroundRender(share, 1)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the parent waited forever"))
    signal.alarm(20)
    try:
        with pytest.raises(ShareFailed, match="m{200000}"):
            background.wait_for(tmp_path / "never.md")
    finally:
        signal.alarm(0)
