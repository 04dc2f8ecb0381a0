"""Content trust on the real site (issue 12): what the post leaves unsure is visible to readers.

Contested pairs across related conditions, reviewers' flags, honest takeaways, populations,
values as printed, the medical caveat with its review date, and units as readers write them:
each checked in the built HTML of every page that shows the claim concerned.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup, Tag

from biomarker_kb.browse import build_condition_views, build_specimen_views, specimens_of
from biomarker_kb.labels import long_date
from biomarker_kb.model import Association, Range, Takeaway
from biomarker_kb.pipeline import ProjectPaths, check, render_pages
from biomarker_kb.render import SiteRenderer
from tests.helpers import PROJECT_ROOT

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from biomarker_kb.model import Biomarker, Claim

_REAL = check(ProjectPaths.at(PROJECT_ROOT))
assert _REAL.kb is not None
KB = _REAL.kb
CLAIMS = [claim for biomarker in KB.biomarkers for claim in biomarker.claims]
REVIEWED = [claim for claim in CLAIMS if claim.review is not None]
WITH_POPULATION = [c for c in CLAIMS if isinstance(c, Association) and c.population]
_PAGES = render_pages(_REAL, SiteRenderer(PROJECT_ROOT / "templates"))


def _html_path(markdown_path: str) -> str:
    path = PurePosixPath(markdown_path)
    if path.stem == "index":
        return str(path.with_suffix(".html"))
    return str(path.with_suffix("") / "index.html")


GENERATED = [_html_path(p.path) for p in _PAGES]

Page = "Callable[[str], BeautifulSoup]"


@pytest.fixture(scope="module")
def page(built_site: Path) -> Callable[[str], BeautifulSoup]:
    cache: dict[str, BeautifulSoup] = {}

    def parse(relative: str) -> BeautifulSoup:
        if relative not in cache:
            html = (built_site / relative).read_text(encoding="utf-8")
            cache[relative] = BeautifulSoup(html, "html.parser")
        return cache[relative]

    return parse


def _article(soup: BeautifulSoup) -> Tag:
    found = soup.select_one("article.md-content__inner")
    assert found is not None
    return found


def _pages_showing(claim: Claim) -> list[str]:
    """Return every built page listing the claim: its article, conditions and specimens."""
    pages = [f"biomarkers/{claim.biomarker_id}/index.html"]
    for view in build_condition_views(KB).values():
        refs = view.associations + view.patterns + view.mentions + view.in_population
        if any(ref.claim.id == claim.id for ref in refs):
            pages.append(f"conditions/{view.condition.id}/index.html")
    for view in build_specimen_views(KB).values():
        refs = view.ranges + view.patterns + view.mentions
        if any(ref.claim.id == claim.id for ref in refs):
            pages.append(f"specimens/{view.specimen.id}/index.html")
    return pages


def _claim_element(soup: BeautifulSoup, claim_id: str) -> Tag:
    found = soup.find(attrs={"data-claim": claim_id})
    assert isinstance(found, Tag), claim_id
    return found


# --------------------------------------------------------------------------- 1. contested


def test_the_renal_statements_the_post_contradicts_are_declared_contested() -> None:
    pairs = {frozenset(p.claims) for b in KB.biomarkers for p in b.contested}
    assert pairs == {
        frozenset({"urine-up-decreased-renal-function", "pattern-glomerular-disease"}),
        frozenset({"serum-up-decreased-renal-function", "pattern-tubular-disease"}),
    }
    assert _REAL.errors == []


@pytest.mark.parametrize(
    "relative",
    [
        "biomarkers/b2m/index.html",
        "conditions/decreased-renal-function/index.html",
        "conditions/glomerular-disease/index.html",
        "conditions/tubular-disease/index.html",
        "specimens/serum/index.html",
        "specimens/urine/index.html",
    ],
)
def test_each_contested_pair_is_shown_with_its_note(relative: str, page: Page) -> None:
    soup = _article(page(relative))  # type: ignore[operator]
    section = soup.find(id="contested-findings")
    assert section is not None, relative
    text = " ".join(soup.get_text(" ").split())
    shown = [p for b in KB.biomarkers for p in b.contested if p.note in text]
    assert shown, relative
    for pair in shown:
        for claim_id in pair.claims:
            assert soup.select(f'a[href$="#claim-{claim_id}"]'), (relative, claim_id)


# --------------------------------------------------------------------------- 2. review flags


@pytest.mark.parametrize("claim", REVIEWED, ids=[c.id for c in REVIEWED])
def test_a_questioned_claim_is_flagged_beside_it_on_every_page(claim: Claim, page: Page) -> None:
    assert claim.review is not None
    for relative in _pages_showing(claim):
        soup = page(relative)  # type: ignore[operator]
        element = _claim_element(soup, claim.id)
        own = [
            flag
            for flag in element.select(".kb-review")
            if flag.find_parent(attrs={"data-claim": True}) is element
        ]
        assert [f.get_text() for f in own] == ["questioned"], relative
        # The note itself: as the badge's tooltip on the article (and in its editor's notes),
        # written out beside the claim where it stands alone.
        note_row = element.find_next_sibling("tr")
        below = (
            note_row
            if note_row is not None and "kb-row-note" in note_row.get("class", [])
            else None
        )
        shown = own[0].get("title") or " ".join(
            (element.get_text(" ") + (below.get_text(" ") if below else "")).split()
        )
        assert claim.review.note in shown, relative


def test_the_doubtful_wordings_of_the_post_are_questioned() -> None:
    assert {c.id for c in REVIEWED} >= {
        "differs-from-beta-2-globulins",
        "maintains-serum-albumin",
        "hemodialysis-reduces-morbidity-risk",
        "hemodialysis-reduces-mortality-risk",
        "pattern-tubular-disease",
        "discovered-in-cadmium-toxicity-urine",
    }


# --------------------------------------------------------------------------- 3. takeaways


def _takeaways(biomarker: Biomarker) -> list[Takeaway]:
    return [c for c in biomarker.takeaways if isinstance(c, Takeaway)]


@pytest.mark.parametrize("biomarker", KB.biomarkers, ids=[b.id for b in KB.biomarkers])
def test_takeaways_cite_the_post_alone_and_link_what_they_sum_up(
    biomarker: Biomarker, page: Page
) -> None:
    soup = page(f"biomarkers/{biomarker.id}/index.html")  # type: ignore[operator]
    post = biomarker.original_post.cite
    for takeaway in _takeaways(biomarker):
        assert takeaway.citation_keys == (post,)
        element = _claim_element(soup, takeaway.id)
        scope = element.find_parent(attrs={"data-cite-scope": True})
        assert scope is not None
        cited = {str(a["href"]) for a in scope.select("a.footnote-ref")}
        assert cited == {f"#fn:{post}"}, "a takeaway's list shows another source's footnote"
        assert scope.select(".kb-flag"), "the takeaways do not say they need a primary source"
        item = element.find_parent("li")
        assert item is not None
        linked = [str(a["href"]) for a in item.select(".kb-sums-up a")]
        assert linked == [f"#claim-{claim_id}" for claim_id in takeaway.summarises]
        assert all(soup.find(id=href[1:]) for href in linked)


def test_the_about_box_promises_no_more_than_is_true(page: Page) -> None:
    text = _article(page("biomarkers/b2m/index.html")).get_text(" ")  # type: ignore[operator]
    assert "Every statement below links to its source" not in text
    assert "needs primary source" in " ".join(text.split())


# --------------------------------------------------------------------------- 4. roles, populations


def test_risk_is_claimed_only_where_the_post_speaks_of_risk() -> None:
    risky = {c.id for c in CLAIMS if isinstance(c, Association) and c.role == "risk"}
    assert risky == {"serum-risk-cardiovascular"}


@pytest.mark.parametrize("claim", WITH_POPULATION, ids=[c.id for c in WITH_POPULATION])
def test_the_population_is_shown_wherever_the_claim_appears(claim: Claim, page: Page) -> None:
    assert isinstance(claim, Association)
    assert claim.population is not None
    population = KB.conditions[claim.population].name.lower()
    for relative in [*_pages_showing(claim), *_specimen_lists_showing(claim)]:
        soup = page(relative)  # type: ignore[operator]
        holders = soup.select(f'[data-claim="{claim.id}"], a[href$="#claim-{claim.id}"]')
        assert holders, relative
        for holder in holders:
            text = holder.find_parent(class_="kb-sentence") or holder
            assert population in " ".join(text.get_text(" ").lower().split()), relative


def _specimen_lists_showing(claim: Claim) -> list[str]:
    return [f"specimens/{s}/index.html" for s in specimens_of(claim)]


def test_kidney_disease_page_keeps_findings_in_its_patients_apart(page: Page) -> None:
    soup = _article(page("conditions/kidney-disease/index.html"))  # type: ignore[operator]
    heading = soup.find(id="in-people-with-kidney-disease")
    assert heading is not None
    changes = soup.find(id="biomarker-changes")
    assert changes is not None
    between = []
    for sibling in changes.find_next_siblings():
        if sibling is heading:
            break
        between.append(sibling)
    listed = {str(e["data-claim"]) for part in between for e in part.select("[data-claim]")}
    assert not listed & {c.id for c in WITH_POPULATION}


# --------------------------------------------------------------------------- 5. as printed


def _quest() -> Range:
    found = next(c for c in CLAIMS if c.id == "range-quest-serum")
    assert isinstance(found, Range)
    return found


@pytest.mark.parametrize("relative", ["biomarkers/b2m/index.html", "specimens/serum/index.html"])
def test_the_printed_quest_interval_is_visible_beside_its_reading(
    relative: str, page: Page
) -> None:
    soup = page(relative)  # type: ignore[operator]
    row = _claim_element(soup, "range-quest-serum")
    assert _quest().interval_as_printed == "≤2 .51"
    cell_text = " ".join(row.get_text(" ").split())
    assert "≤ 2.51" in cell_text
    assert "as printed “≤2 .51”" in cell_text
    descriptions = [d.get_text() for d in soup.select("svg.kb-chart desc")]
    assert any("printed ≤2 .51 mg/L" in d for d in descriptions)


# --------------------------------------------------------------------------- 6. vocabulary


def test_blood_is_not_a_synonym_of_serum() -> None:
    assert "Blood" not in KB.specimens["serum"].synonyms
    assert _quest() is not None
    pagana = next(c for c in CLAIMS if c.id == "range-pagana-serum")
    assert isinstance(pagana, Range)
    assert pagana.specimen_as_printed == "Blood"


def test_crohns_grouping_is_recorded_as_the_posts() -> None:
    crohns = KB.conditions["crohns-disease"]
    assert "autoimmune-disorders" in crohns.broader
    assert crohns.editor_note is not None
    assert "grouping is the post's" in crohns.editor_note


# --------------------------------------------------------------------------- 7. caveat


def _reviewed_date(relative: str) -> str:
    """Return the newest review date of the articles the page draws on."""
    parts = relative.split("/")
    if parts[0] == "biomarkers" and len(parts) == 3:
        dates = [b.last_reviewed for b in KB.biomarkers if b.id == parts[1]]
    elif parts[0] == "conditions" and len(parts) == 3:
        view = build_condition_views(KB)[parts[1]]
        refs = view.associations + view.patterns + view.mentions + view.in_population
        dates = [ref.biomarker.last_reviewed for ref in refs]
    elif parts[0] == "specimens" and len(parts) == 3:
        dates = [b.last_reviewed for b in build_specimen_views(KB)[parts[1]].biomarkers]
    else:
        dates = [b.last_reviewed for b in KB.biomarkers]
    return long_date(max(dates)) if dates else ""


@pytest.mark.parametrize("relative", GENERATED)
def test_every_generated_page_carries_the_caveat_and_its_review_date(
    relative: str, page: Page
) -> None:
    caveats = _article(page(relative)).select(".kb-caveat")  # type: ignore[operator]
    assert len(caveats) == 1
    text = " ".join(caveats[0].get_text(" ").split())
    assert "not medical advice" in text
    assert "reference range of the laboratory that measured it" in text
    date = _reviewed_date(relative)
    assert (f"Last reviewed {date}." in text) == bool(date), text


def test_the_caveat_stays_out_of_search(built_site: Path) -> None:
    index = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "not medical advice" not in index


# --------------------------------------------------------------------------- 8. units


@pytest.mark.parametrize("relative", ["biomarkers/b2m/index.html", "specimens/urine/index.html"])
def test_units_read_as_readers_write_them(relative: str, page: Page) -> None:
    soup = _article(page(relative))  # type: ignore[operator]
    visible = soup.get_text(" ")
    assert "µg/L" in visible
    assert not re.search(r"(?<![A-Za-z])ug/L", visible), "a UCUM code shown to readers"
    assert soup.select('[data-unit="ug/L"]'), "the UCUM code is gone from the markup"
