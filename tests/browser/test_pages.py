"""Every page of the real site loads cleanly: no console error, no failed or external request."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import PageLog, mkdocs_config, save_screenshot
from tools.screenshots import new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Request

    from biomarker_kb.pipeline import CheckResult
    from tests.browser.conftest import Site

KEY_PAGES = {
    "",
    "biomarkers/",
    "biomarkers/b2m/",
    "conditions/",
    "conditions/multiple-myeloma/",
    "specimens/",
    "specimens/urine/",
    "references/",
    "editors/",
}

QUIET_S = 0.15
"""A page is done when, after its load event, no request has been in flight for this long."""
TABS = 3
"""Pages loading at once (their waits overlap): about twice as fast as one tab on 2 cores."""


class Tab:
    """A tab of the crawl: loads one page at a time and logs what that page reports."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.page = context.new_page()
        self.base_url = base_url
        self.path: str | None = None
        self.log = PageLog()
        self.loaded = False
        self.quiet_since = 0.0
        self.in_flight: set[Request] = set()
        # The handlers look self.log up at each event: each page's reports go to its own log.
        self.page.on("console", lambda message: self.log.on_console(message))
        self.page.on("pageerror", lambda error: self.log.on_page_error(error))
        self.page.on("requestfailed", lambda request: self.log.on_request_failed(request))
        self.page.on("response", lambda response: self.log.on_response(response))
        self.page.on("dialog", lambda dialog: self.log.on_dialog(dialog))
        self.page.on("request", self.on_request)
        self.page.on("requestfinished", lambda request: self.in_flight.discard(request))
        self.page.on("requestfailed", lambda request: self.in_flight.discard(request))
        self.page.on("load", lambda _: setattr(self, "loaded", True))

    def on_request(self, request: Request) -> None:
        self.in_flight.add(request)
        if not request.url.startswith((self.base_url, "data:", "blob:")):
            self.log.external_requests.append(request.url)  # the context answers it locally

    def start(self, path: str) -> None:
        self.path, self.log, self.loaded = path, PageLog(), False
        self.quiet_since = time.monotonic()
        self.page.goto(path, wait_until="commit")

    def is_done(self, now: float) -> bool:
        """Return True once the page has loaded and the network has been quiet long enough."""
        if not self.loaded or self.in_flight:
            self.quiet_since = now
        return now - self.quiet_since >= QUIET_S


@pytest.fixture(scope="module")
def visits(browser: Browser, site: Site) -> dict[str, PageLog]:
    """Visit every page of the site and return what each one reported.

    A page that reported an error is saved as a screenshot in tests/browser/_output/.
    """
    context, _ = new_context(browser, site.url)
    tabs = [Tab(context, site.url) for _ in range(TABS)]
    todo = site.pages()
    logs: dict[str, PageLog] = {}
    deadline = time.monotonic() + 10 * len(todo)
    for tab in tabs:
        if todo:
            tab.start(todo.pop(0))
    while any(tab.path is not None for tab in tabs):
        assert time.monotonic() < deadline, "the pages never finished loading"
        tabs[0].page.wait_for_timeout(25)  # lets every tab's events arrive
        now = time.monotonic()
        for tab in tabs:
            if tab.path is None or not tab.is_done(now):
                continue
            logs[tab.path] = tab.log
            if tab.log.errors():
                save_screenshot(tab.page, f"page-{tab.path or 'home'}")
            tab.path = None
            if todo:
                tab.start(todo.pop(0))
    context.close()
    return logs


def test_every_page_is_visited(visits: dict[str, PageLog], real_check: CheckResult) -> None:
    kb = real_check.kb
    assert kb is not None
    expected = KEY_PAGES | {f"biomarkers/{b.id}/" for b in kb.biomarkers}
    expected |= {f"conditions/{c}/" for c in kb.conditions}
    expected |= {f"specimens/{s}/" for s in kb.specimens}
    assert expected - set(visits) == set()


def test_no_page_logs_a_console_error_or_fails_a_request(visits: dict[str, PageLog]) -> None:
    problems = {path or "/": log.errors() for path, log in visits.items() if log.errors()}
    assert problems == {}


def test_theme_loads_no_web_fonts() -> None:
    theme = mkdocs_config().get("theme") or {}
    assert theme.get("font") is False  # Material would otherwise fetch Roboto from Google


def test_no_page_requests_anything_from_another_host(visits: dict[str, PageLog]) -> None:
    external = {path or "/": log.external_requests for path, log in visits.items()}
    assert {path: urls for path, urls in external.items() if urls} == {}
