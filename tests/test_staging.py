"""Staged pages: rewritten only when they change, their JSON-LD kept with them, gone when done."""

from __future__ import annotations

import gc

from biomarker_kb.render import RenderedPage
from biomarker_kb.staging import StagedPages


def _page(markdown: str, data: str) -> RenderedPage:
    source = "data/biomarkers/alpha.yaml"
    return RenderedPage("biomarkers/alpha.md", markdown.encode(), source, data)


def _inode_and_time(staged: StagedPages) -> tuple[int, int]:
    found = staged.path_of("biomarkers/alpha.md").stat()
    return found.st_ino, found.st_mtime_ns


def test_a_page_whose_json_ld_alone_changed_is_written_again() -> None:
    staged = StagedPages()
    try:
        staged.write(_page("# Alpha", '{"a":1}'))
        first = _inode_and_time(staged)
        staged.write(_page("# Alpha", '{"a":1}'))
        assert _inode_and_time(staged) == first  # same bytes: left alone
        staged.write(_page("# Alpha", '{"a":2}'))
        # A new file: MkDocs' dirty rebuild sees the page changed and renders its head again.
        assert _inode_and_time(staged) != first
        assert staged.structured_data("biomarkers/alpha.md") == '{"a":2}'
        staged.write(_page("# Alpha", ""))
        assert staged.structured_data("biomarkers/alpha.md") == ""
    finally:
        staged.remove()


def test_a_gone_page_takes_its_json_ld_with_it() -> None:
    staged = StagedPages()
    try:
        staged.write(_page("# Alpha", '{"a":1}'))
        assert staged.keep_only(frozenset()) == ["biomarkers/alpha.md"]
        assert not staged.path_of("biomarkers/alpha.md").exists()
        assert staged.structured_data("biomarkers/alpha.md") == ""
        assert [p for p in staged.folder.rglob("*") if p.is_file()] == []
    finally:
        staged.remove()


def test_the_folder_goes_with_its_object_even_without_remove() -> None:
    staged = StagedPages()
    staged.write(_page("# Alpha", '{"a":1}'))
    folder = staged.folder
    del staged
    gc.collect()
    assert not folder.exists()
