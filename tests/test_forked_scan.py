"""A one-off build scans its generated pages in a child process; the findings are the same."""

from __future__ import annotations

import logging
import os
import signal
from typing import TYPE_CHECKING

import pytest
from mkdocs.exceptions import Abort

from biomarker_kb import forked_scan, plugin
from biomarker_kb.forked_scan import NOTHING_FOUND, Findings, PageScans, scan_page
from tests.helpers import PROJECT_ROOT, build_in_process
from tools.benchmark import copy_project
from tools.synthetic import write_knowledge_base

if TYPE_CHECKING:
    from pathlib import Path

CLEAN = '<p data-claim="a" id="claim-a">A fact.<sup id="fnref:x"><a href="#fn:x">1</a></sup></p>'
PAGES = {
    "clean": CLEAN,
    "script": CLEAN + "<script>alert(1)</script>",
    "footnote": "<p>A fact.[^nowhere]</p>",
    "handler": '<img src="x.png" onerror="alert(1)"> ünïcödé \ud800 (a lone surrogate)',
    "long": CLEAN * 30_000,  # 2.6 MB: more than the pipe holds at once
    "late": '<a href="javascript:alert(1)">x</a>',
}
EXPECTED = [
    ("script", Findings(("<script>",), ())),
    ("footnote", Findings((), ("[^nowhere]",))),
    ("handler", Findings(("an event-handler attribute 'onerror' on <img>",), ())),
    ("late", Findings(("a javascript: URL in 'href' of <a> (got 'javascript:alert(1)')",), ())),
]


def _scan_all(scans: PageScans[str]) -> list[tuple[str, Findings]]:
    for key, html in PAGES.items():
        scans.add(key, html)
    return scans.results(PAGES.__getitem__)


def test_pages_scanned_here_give_each_finding_in_order() -> None:
    assert _scan_all(PageScans(in_child=False)) == EXPECTED
    assert scan_page(CLEAN) == NOTHING_FOUND


def test_pages_scanned_in_a_child_give_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    scans: PageScans[str] = PageScans(in_child=True)  # forks before the scan is spied on
    parent = os.getpid()
    real = forked_scan.scan_page
    monkeypatch.setattr(
        forked_scan,
        "scan_page",
        lambda html: pytest.fail("scanned in the parent") if os.getpid() == parent else real(html),
    )
    assert _scan_all(scans) == EXPECTED


def test_a_child_killed_before_the_pages_leaves_them_to_the_parent() -> None:
    scans: PageScans[str] = PageScans(in_child=True)
    assert scans._child is not None
    os.kill(scans._child._pid, signal.SIGKILL)
    assert _scan_all(scans) == EXPECTED


def test_a_child_killed_after_the_pages_leaves_them_to_the_parent() -> None:
    scans: PageScans[str] = PageScans(in_child=True)
    for key, html in PAGES.items():
        scans.add(key, html)
    assert scans._child is not None
    os.kill(scans._child._pid, signal.SIGKILL)
    assert scans.results(PAGES.__getitem__) == EXPECTED


def test_a_bug_in_the_child_leaves_the_pages_to_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = forked_scan.scan_page

    def fails_in_child(html: str) -> Findings:
        if os.getpid() != parent:
            raise RuntimeError("a bug in the child")
        return real(html)

    monkeypatch.setattr(forked_scan, "scan_page", fails_in_child)
    assert _scan_all(PageScans(in_child=True)) == EXPECTED


def test_a_bug_scanning_here_raises_as_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked_scan, "scan_page", lambda html: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _scan_all(PageScans(in_child=True))  # the child fails too; the parent's bug surfaces


def test_no_process_to_be_had_scans_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError("fork: resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    scans: PageScans[str] = PageScans(in_child=True)
    assert scans._child is None
    assert _scan_all(scans) == EXPECTED


def test_stopping_ends_the_child_without_waiting_for_pages() -> None:
    scans: PageScans[str] = PageScans(in_child=True)
    scans.add("script", PAGES["script"])
    assert scans._child is not None
    pid = scans._child._pid
    scans.stop()
    with pytest.raises(ChildProcessError):  # reaped: no zombie is left behind
        os.waitpid(pid, os.WNOHANG)


def _scan_in_a_child(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Scan every one-off build's generated pages in a child; count the pages sent to it."""
    monkeypatch.setattr(plugin, "MIN_PAGES_TO_SCAN_IN_CHILD", 1)
    monkeypatch.setattr(plugin, "cpus_to_fork_on", lambda: 2)
    sent: list[int] = []
    real_send = forked_scan._ScanningChild.send

    def counted(child: forked_scan._ScanningChild, html: str) -> bool:
        sent.append(len(html))
        return real_send(child, html)

    monkeypatch.setattr(forked_scan._ScanningChild, "send", counted)
    return sent


@pytest.fixture
def scans_in_a_child(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return _scan_in_a_child(monkeypatch)


def test_a_build_scanned_in_a_child_reports_every_tampered_page(
    tmp_path: Path, scans_in_a_child: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project")
    write_knowledge_base(3, project)
    template = project / "templates" / "biomarker.md.j2"
    text = template.read_text(encoding="utf-8")
    marker = "## Overview\n"
    assert marker in text, "the biomarker template changed; update this test's marker"
    template.write_text(text.replace(marker, marker + "\n<script>x()</script>\n"), "utf-8")
    site = tmp_path / "site"

    with pytest.raises(Abort):
        build_in_process(project, site)

    assert len(scans_in_a_child) > 3
    articles = sorted(p.stem for p in (project / "data" / "biomarkers").glob("*.yaml"))
    for article in articles:
        assert f"biomarkers/{article}.md: page content contains <script>;" in caplog.text
    assert not list(site.rglob("*.html")), "no page may be written once unsafe markup is found"


def test_a_build_scanned_in_a_child_writes_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project")
    write_knowledge_base(3, project)
    build_in_process(project, tmp_path / "here")
    sent = _scan_in_a_child(monkeypatch)
    build_in_process(project, tmp_path / "child")
    assert sent, "no page was scanned in a child"
    here, child = (
        {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
        for site in (tmp_path / "here", tmp_path / "child")
    )
    assert len(here) > 10
    assert child == here
