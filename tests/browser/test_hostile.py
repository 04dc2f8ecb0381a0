"""A site built from hostile data (tests/cases/hostile) runs none of the scripts in its data.

The data puts ``<script>``, ``onerror=``/``onload=`` handlers and ``javascript:`` links in YAML and
BibTeX values; every payload calls ``alert``. The pages are opened, their footnotes hovered and
the data searched for, while the browser listens for dialogs and an init script records every
call of ``alert``, ``confirm``, ``prompt`` and ``print``, before any script of the page runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serve_built
from tests.helpers import CASES, make_project

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Page

    from tests.browser.conftest import PageLog, Site

RECORD_SCRIPT_RUNS = """
(() => {
  const runs = [];
  Object.defineProperty(window, "__kbScriptRuns", {value: runs});
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const original = window[name];
    window[name] = function (...args) {
      runs.push(`${name}(${args.map(String).join(", ")})`);
      return original.apply(this, args);
    };
  }
})();
"""
"""Runs in every document before the page's own scripts: records the payloads' calls."""

LIVE_INJECTIONS = """
() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`<${element.localName} ${name}>`);
      if (["href", "src", "action", "formaction"].includes(name)
          && /^\\s*javascript:/i.test(attribute.value)) {
        found.push(`<${element.localName} ${name}="${attribute.value}">`);
      }
    }
  }
  return found;
}
"""
"""Event-handler attributes and javascript: URLs in the live DOM (after Material's scripts)."""

SEARCHES = ["Hostile", "alert", "script", "Evil", "Serum"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The hostile fixture built with the real templates and mkdocs.yml, served on loopback."""
    project = make_project(tmp_path_factory.mktemp("hostile"), CASES / "hostile" / "data")
    yield from serve_built(project, tmp_path_factory)


@pytest.fixture
def watched(page: Page) -> Page:
    page.add_init_script(RECORD_SCRIPT_RUNS)
    return page


def script_runs(page: Page) -> list[str]:
    return list(page.evaluate("() => window.__kbScriptRuns"))


def test_the_detector_sees_an_injected_script(watched: Page, page_log: PageLog) -> None:
    watched.goto("")
    watched.evaluate(
        """() => document.body.insertAdjacentHTML(
             "beforeend", '<img alt="" src="data:," onerror="alert(\\'control\\')">')"""
    )
    watched.wait_for_function("() => window.__kbScriptRuns.length > 0")
    assert script_runs(watched) == ["alert(control)"]
    assert page_log.dialogs == ["alert: control"]


def test_hostile_pages_run_no_script(watched: Page, page_log: PageLog, site: Site) -> None:
    pages = site.pages()
    assert "biomarkers/hostile/" in pages
    runs: dict[str, list[str]] = {}
    injected: dict[str, list[str]] = {}
    for path in pages:
        watched.goto(path, wait_until="load")
        for ref in watched.locator("a.footnote-ref").all()[:5]:
            ref.hover()  # Material copies the footnote into a tooltip
        if found := script_runs(watched):
            runs[path or "/"] = found
        if found := watched.evaluate(LIVE_INJECTIONS):
            injected[path or "/"] = found

    watched.goto("biomarkers/hostile/", wait_until="load")
    box = watched.locator("input.md-search__input")
    for query in SEARCHES:
        box.fill("")
        box.press_sequentially(query, delay=10)
        expect(watched.locator(".md-search-result__meta")).to_be_visible()
        watched.wait_for_timeout(200)
        if found := script_runs(watched):
            runs[f"search {query!r}"] = found
    if found := watched.evaluate(LIVE_INJECTIONS):
        injected["search results"] = found

    assert page_log.dialogs == [], "dialogs opened"
    assert runs == {}, "injected scripts ran"
    assert injected == {}, "executable markup in the live page"
