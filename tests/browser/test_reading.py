"""Reading the real site as a person does: footnotes, journeys by clicking, and search."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from biomarker_kb.citation_style import shown_title

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from biomarker_kb.model import KnowledgeBase
    from biomarker_kb.pipeline import CheckResult
    from tests.browser.conftest import PageLog, Site

SOURCE = "argyropoulos2017"
"""A primary source with a DOI, cited by many claims of the B2M article."""


@pytest.fixture(scope="module")
def kb(real_check: CheckResult) -> KnowledgeBase:
    assert real_check.kb is not None
    return real_check.kb


def by_id(page: Page, element_id: str) -> Locator:
    """Return the element with this id (footnote ids hold colons, awkward in CSS selectors)."""
    return page.locator(f'[id="{element_id}"]')


def hash_of(page: Page) -> str:
    return str(page.evaluate("location.hash"))


# --------------------------------------------------------------------------- footnotes


def test_footnote_reference_leads_to_the_source_and_back_to_the_claim(
    page: Page, page_log: PageLog, kb: KnowledgeBase
) -> None:
    page.goto("biomarkers/b2m/")
    citing = by_id(page, f"fnref:{SOURCE}")
    # The mark stands in a claim, or at the end of the paragraph or list it was given for.
    cited = citing.evaluate(
        "sup => sup.closest('[data-claim], [data-cite-scope]')"
        ".querySelector('[data-claim]').dataset.cite"
    )
    assert SOURCE in cited.split()
    note = by_id(page, f"fn:{SOURCE}")
    expect(note).not_to_be_in_viewport()

    citing.locator("a.footnote-ref").click()
    expect(note).to_be_in_viewport()
    assert hash_of(page) == f"#fn:{SOURCE}"
    expect(note).to_contain_text(shown_title(kb.references[SOURCE]))

    doi_url = f"https://doi.org/{kb.references[SOURCE].doi}"
    doi = note.locator('a[href^="https://doi.org/"]')
    expect(doi).to_have_count(1)
    expect(doi).to_have_attribute("href", doi_url)
    expect(doi).to_be_visible()

    back = note.locator(f'a.kb-backref[href$="#fnref:{SOURCE}"]')
    expect(back).to_have_count(1)
    back.click()
    expect(citing).to_be_in_viewport()
    assert hash_of(page) == f"#fnref:{SOURCE}"
    expect(note).not_to_be_in_viewport()

    # The DOI link works: following it asks for that address (answered by a local stub).
    citing.locator("a.footnote-ref").click()
    doi.click()
    expect(page).to_have_url(doi_url)
    assert doi_url in page_log.external_requests
    assert page_log.errors() == []


def test_hovering_a_footnote_reference_shows_the_reference(
    page: Page, page_log: PageLog, kb: KnowledgeBase
) -> None:
    page.goto("biomarkers/b2m/")
    tooltip = page.locator(".md-tooltip2")
    expect(tooltip).to_have_count(0)
    by_id(page, f"fnref:{SOURCE}").locator("a.footnote-ref").hover()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(shown_title(kb.references[SOURCE]))
    expect(tooltip).to_contain_text("doi:")
    # The reference alone: not the footnote's back-links (issue 11: no wall of arrows).
    expect(tooltip).not_to_contain_text("In the bibliography", use_inner_text=True)
    expect(tooltip).not_to_contain_text("↩", use_inner_text=True)
    assert page_log.errors() == []


# --------------------------------------------------------------------------- journeys


def nav_link(page: Page, name: str) -> Locator:
    """Return the sidebar's link to a section index ("Conditions", "Specimens"…)."""
    return page.locator("nav.md-nav--primary").get_by_role("link", name=name, exact=True).first


def content(page: Page) -> Locator:
    return page.locator("article.md-content__inner")


def follow(page: Page, link: Locator, url: str, heading: str) -> None:
    """Click ``link`` and wait until the page at ``url`` is whole, as a reader waits to read on.

    Until Material has read the sitemap a click is a plain navigation, and the next page's
    links can be clicked while the rest of it still streams in; after, instant loading changes
    the address at the click and fetches the page later. Either way a click before the page
    has arrived cancels its request (net::ERR_ABORTED), which the page log counts as an error.
    """
    link.click()
    expect(page).to_have_url(url)
    page.wait_for_load_state("load")
    expect(content(page).locator("h1")).to_contain_text(heading)


def test_journey_home_to_a_condition_to_the_cited_claim(
    page: Page, page_log: PageLog, site: Site
) -> None:
    page.goto("")
    follow(page, nav_link(page, "Conditions"), f"{site.url}conditions/", "Conditions")
    myeloma = content(page).get_by_role("link", name="Multiple myeloma", exact=True).first
    follow(page, myeloma, f"{site.url}conditions/multiple-myeloma/", "Multiple myeloma")

    claim_link = content(page).locator('tr[data-claim] a[href*="#claim-"]').first
    expect(claim_link).to_be_visible()
    fragment = str(claim_link.evaluate("a => new URL(a.href).hash")).removeprefix("#")
    assert fragment.startswith("claim-")
    claim_link.click()

    expect(page).to_have_url(f"{site.url}biomarkers/b2m/#{fragment}")
    claim = by_id(page, fragment)
    expect(claim).to_have_count(1)
    expect(claim).to_be_in_viewport()
    assert page_log.errors() == []


def test_journey_home_to_urine_to_its_reference_range(
    page: Page, page_log: PageLog, site: Site, kb: KnowledgeBase
) -> None:
    urine_ranges = [r.id for b in kb.biomarkers for r in b.ranges if r.specimen == "urine"]
    assert urine_ranges, "the data has no urine reference range"
    page.goto("")
    follow(page, nav_link(page, "Specimens"), f"{site.url}specimens/", "Specimens")
    urine = content(page).get_by_role("link", name="Urine", exact=True).first
    follow(page, urine, f"{site.url}specimens/urine/", "Urine")
    for range_id in urine_ranges:
        row = content(page).locator(f'table tr[data-claim="{range_id}"]')
        expect(row).to_have_count(1)
        row.scroll_into_view_if_needed()
        expect(row).to_be_visible()
        expect(row).to_be_in_viewport()
    assert page_log.errors() == []


# --------------------------------------------------------------------------- search


SEARCHES = [
    pytest.param("Beta2-microglobulin", "biomarkers/b2m/", id="biomarker-alias"),
    pytest.param("SLE", "conditions/systemic-lupus-erythematosus/", id="condition-synonym"),
    pytest.param("Sjogren", "conditions/sjogrens-syndrome/", id="condition-unaccented"),
    pytest.param("CMV", "conditions/cytomegalovirus-infection/", id="condition-abbreviation"),
    pytest.param("lupus", "conditions/systemic-lupus-erythematosus/", id="condition-word"),
    pytest.param("myeloma", "conditions/multiple-myeloma/", id="condition-short-name"),
    pytest.param("Urine", "specimens/urine/", id="specimen"),
]

RESULT_PAGES = """
links => links.map(a => {
  const url = new URL(a.href);
  url.hash = url.search = "";
  return url.href;
})
"""
"""The pages that search results link to (without ?h=… highlighting and #section)."""


@pytest.mark.parametrize(("query", "target"), SEARCHES)
def test_search_finds_the_page(
    page: Page, page_log: PageLog, site: Site, query: str, target: str
) -> None:
    page.goto("")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    results = page.locator(".md-search-result__list a.md-search-result__link")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("No match"))
    wanted = f"{site.url}{target}"
    page.wait_for_function(
        f"wanted => ({RESULT_PAGES})("
        "Array.from(document.querySelectorAll('.md-search-result__list a.md-search-result__link'))"
        ").includes(wanted)",
        arg=wanted,
    )
    shown = results.evaluate_all(RESULT_PAGES)
    # The page about it comes first, before the articles that mention it (issue 14).
    assert shown[0] == wanted, f"{query!r}: results link to {shown}"
    assert page_log.errors() == []


# --------------------------------------------------------------------------- permalinks


def test_a_claims_permalink_shows_on_keyboard_focus_and_leads_to_the_claim(
    page: Page, page_log: PageLog, kb: KnowledgeBase
) -> None:
    claim = kb.biomarkers[0].claims[0]
    page.goto("biomarkers/b2m/")
    link = page.locator(f'a.kb-claim-link[href$="#claim-{claim.id}"]')
    expect(link).to_have_count(1)
    assert link.evaluate("a => getComputedStyle(a).opacity") == "0"
    link.focus()
    page.keyboard.press("Shift+Tab")  # focus by keyboard, as a reader would reach it
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    assert link.evaluate("a => getComputedStyle(a).opacity") == "1"
    assert link.evaluate("a => getComputedStyle(a, '::before').content") == '"#"'
    expect(link).to_have_accessible_name("Link to this claim")
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#claim-{claim.id}'")
    expect(by_id(page, f"claim-{claim.id}")).to_be_in_viewport()


def test_a_claims_permalink_shows_while_the_claim_is_hovered(page: Page, page_log: PageLog) -> None:
    page.goto("biomarkers/b2m/")
    claim = page.locator("span.kb-claim").nth(3)
    link = page.locator(f'a.kb-claim-link[href$="#{claim.get_attribute("id")}"]')
    assert link.evaluate("a => getComputedStyle(a).opacity") == "0"
    claim.hover()
    expect(link).to_have_css("opacity", "1")
