"""Every screen a reader uses (issue 14): phones and desktops, light and dark, and print.

No page or table needs sideways scrolling at 390 px or 1280 px; range charts keep their text at
12 px or more and their bound markers at 3:1 contrast in both schemes; an article prints on A4
and Letter without the site's furniture; and each page kind looks as its reviewed baseline
screenshot does (tests/browser/baselines/, rewritten only by ``--update-screenshots``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image, ImageChops

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

    from tests.browser.conftest import Site

BASELINES = Path(__file__).resolve().parent / "baselines"
WIDTHS = {390: 844, 1280: 800}
"""Viewport width → height: a phone and a desktop."""
SCHEMES = ("light", "dark")
PAGES = {
    "home": "",
    "article": "biomarkers/b2m/",
    "condition": "conditions/multiple-myeloma/",
    "specimen": "specimens/serum/",
    "conditions-index": "conditions/",
    "references": "references/",
}
CHANGED_PIXELS_ALLOWED = 0.002
"""Anti-aliasing may differ by a few pixels between runs; a layout change moves thousands."""


@pytest.fixture
def screen(
    request: pytest.FixtureRequest, browser: Browser, site: Site
) -> Iterator[tuple[Page, int, str]]:
    """A page of the given (width, scheme), on the served site."""
    width, scheme = request.param
    context = browser.new_context(
        base_url=site.url,
        viewport={"width": width, "height": WIDTHS[width]},
        color_scheme=scheme,
        reduced_motion="reduce",
    )
    page = context.new_page()
    yield page, width, scheme
    context.close()


SCREENS = [pytest.param((w, s), id=f"{w}px-{s}") for w in WIDTHS for s in SCHEMES]


def _open(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")


# --------------------------------------------------------------------------- no sideways scroll

OVERFLOW = """() => {
  const root = document.documentElement;
  const article = document.querySelector("article.md-content__inner");
  const limit = article.getBoundingClientRect().right + 1;
  const tables = Array.from(article.querySelectorAll("table"));
  return {
    page: root.scrollWidth - root.clientWidth,
    tables: tables
      .filter(t => t.getBoundingClientRect().right > limit || t.scrollWidth > t.clientWidth + 1)
      .map(t => t.outerHTML.slice(0, 80)),
  };
}"""


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_no_page_or_table_scrolls_sideways(screen: tuple[Page, int, str], path: str) -> None:
    page, _, _ = screen
    _open(page, path)
    found = page.evaluate(OVERFLOW)
    assert found["page"] <= 0, f"the page is {found['page']} px wider than the screen"
    assert found["tables"] == []


# --------------------------------------------------------------------------- charts

CHART_TEXT = """() => Array.from(document.querySelectorAll("svg.kb-chart"))
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const size = parseFloat(svg.getAttribute("font-size"));
    return Array.from(svg.querySelectorAll("text")).map(text => {
      const box = text.getBoundingClientRect();
      const frame = svg.getBoundingClientRect();
      return {
        px: size * scale,
        clipped: box.left < frame.left - 0.5 || box.right > frame.right + 0.5
          || box.bottom > frame.bottom + 0.5,
        text: text.textContent,
      };
    });
  })"""


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
@pytest.mark.parametrize("path", ["biomarkers/b2m/", "specimens/serum/"])
def test_chart_text_is_12px_or_more_and_never_clipped(
    screen: tuple[Page, int, str], path: str
) -> None:
    page, _, _ = screen
    _open(page, path)
    texts = page.evaluate(CHART_TEXT)
    assert texts, "no chart is shown"
    assert [t for t in texts if t["px"] < 12] == []
    assert [t for t in texts if t["clipped"]] == []


CONTRAST = """() => {
  const rgb = value => (value.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const channel = v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  // The page's background as the browser computes it: the theme's variable, made concrete.
  const probe = document.createElement("div");
  probe.style.background = "var(--md-default-bg-color)";
  document.body.append(probe);
  const bg = rgb(getComputedStyle(probe).backgroundColor);
  probe.remove();
  const svg = Array.from(document.querySelectorAll("svg.kb-chart"))
    .find(s => s.getBoundingClientRect().width > 0);
  const closed = getComputedStyle(svg.querySelector(".kb-chart-closed"));
  const open = svg.querySelector(".kb-chart-open");
  return {
    background: bg,
    closedFill: ratio(rgb(closed.fill), bg),
    openStroke: open ? ratio(rgb(getComputedStyle(open).stroke), bg) : null,
    openFillIsBackground: open ? ratio(rgb(getComputedStyle(open).fill), bg) < 1.2 : null,
  };
}"""


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_filled_and_hollow_bounds_stand_out_in_both_schemes(
    screen: tuple[Page, int, str],
) -> None:
    page, _, _ = screen
    _open(page, "biomarkers/b2m/")
    found = page.evaluate(CONTRAST)
    assert found["closedFill"] >= 3, found
    if found["openStroke"] is not None:
        assert found["openStroke"] >= 3, found
        assert found["openFillIsBackground"], found


# --------------------------------------------------------------------------- print


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_an_article_prints_without_the_sites_furniture(
    browser: Browser, site: Site, paper: str
) -> None:
    context = browser.new_context(base_url=site.url, color_scheme="light")
    page = context.new_page()
    _open(page, "biomarkers/b2m/")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [".md-header", ".md-sidebar--primary", ".md-search", ".md-footer"]
            .filter(s => document.querySelector(s))
            .filter(s => getComputedStyle(document.querySelector(s)).display !== "none")"""
    )
    assert hidden == []
    for shown in (".kb-footnotes", "svg.kb-chart--wide", "table[data-kb-table=ranges]"):
        assert page.locator(shown).first.is_visible(), shown
    pdf = page.pdf(format=paper, print_background=False)
    context.close()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= 2 or len(pdf) > 50_000


# --------------------------------------------------------------------------- looks as reviewed


def _difference(actual: bytes, baseline: Path) -> float:
    """Return the share of pixels that differ (1.0 when the sizes differ)."""
    with Image.open(io.BytesIO(actual)) as new, Image.open(baseline) as old:
        if new.size != old.size:
            return 1.0
        diff = ImageChops.difference(new.convert("RGB"), old.convert("RGB")).convert("L")
        changed = sum(diff.point(lambda value: 255 if value > 24 else 0).histogram()[255:])
        return changed / (new.size[0] * new.size[1])


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
@pytest.mark.parametrize("kind", list(PAGES))
def test_each_page_kind_looks_as_its_reviewed_baseline(
    screen: tuple[Page, int, str], kind: str, request: pytest.FixtureRequest
) -> None:
    page, width, scheme = screen
    _open(page, PAGES[kind])
    shot = page.screenshot(animations="disabled", caret="hide")
    baseline = BASELINES / f"{kind}-{width}-{scheme}.png"
    if request.config.getoption("--update-screenshots"):
        BASELINES.mkdir(exist_ok=True)
        baseline.write_bytes(shot)
    assert baseline.is_file(), "no baseline: run pytest -m browser --update-screenshots"
    share = _difference(shot, baseline)
    if share > CHANGED_PIXELS_ALLOWED:
        failed = baseline.with_name(f"{baseline.stem}.actual.png")
        failed.write_bytes(shot)
        pytest.fail(
            f"{kind} at {width} px ({scheme}) differs from its baseline in {share:.1%} of its"
            f" pixels; see {failed.name}, and rewrite the baselines with --update-screenshots"
            " only after looking at them"
        )
