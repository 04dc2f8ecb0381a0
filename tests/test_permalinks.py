"""Every claim on an article has a permalink readers can copy, and it changes no text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup, Tag

from biomarker_kb import urls

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.pipeline import CheckResult


def _article(site: Path, biomarker_id: str) -> BeautifulSoup:
    page = site / urls.page_url(urls.article(biomarker_id)) / "index.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _permalink_of(element: Tag) -> Tag | None:
    """The link after a claim's span, or in its table row."""
    if element.name == "tr":
        found = element.find("a", class_="kb-claim-link")
        return found if isinstance(found, Tag) else None
    following = element.find_next_sibling()
    return (
        following
        if following is not None and "kb-claim-link" in following.get("class", [])
        else None
    )


def test_every_claim_of_the_article_has_its_own_permalink(
    built_site: Path, real_check: CheckResult
) -> None:
    assert real_check.kb is not None
    for biomarker in real_check.kb.biomarkers:
        soup = _article(built_site, biomarker.id)
        claims = soup.select("article .kb-claim")
        assert sorted(c["data-claim"] for c in claims) == sorted(c.id for c in biomarker.claims)
        for element in claims:
            link = _permalink_of(element)
            assert link is not None, element["id"]
            assert link["href"] == f"#{element['id']}"
            assert link["aria-label"] == "Link to this claim"
            assert link.get_text() == ""  # the sentence reads, copies and indexes as written
        assert len(soup.select("article a.kb-claim-link")) == len(biomarker.claims)


def test_claim_ids_are_the_data_ids_so_links_stay_stable(
    built_site: Path, real_check: CheckResult
) -> None:
    assert real_check.kb is not None
    biomarker = real_check.kb.biomarkers[0]
    soup = _article(built_site, biomarker.id)
    for claim in biomarker.claims:
        assert soup.find(id=f"claim-{claim.id}") is not None, claim.id
