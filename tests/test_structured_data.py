"""schema.org JSON-LD in every generated page: it parses, says what the data says, and no text
can end the <script> element it sits in."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup

from biomarker_kb import urls
from biomarker_kb.labels import CODE_LABELS
from biomarker_kb.page_head import json_ld
from biomarker_kb.structured_data import Site, article_data, citation, script_text

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.model import Biomarker, KnowledgeBase
    from biomarker_kb.pipeline import CheckResult

HOSTILE = 'B2M </script><script>alert("x")</script> <!-- & \u2028 \\ "quoted"'
CITATION_TYPES = {"ScholarlyArticle", "Book", "Chapter", "WebPage", "CreativeWork"}


def _kb(real_check: CheckResult) -> KnowledgeBase:
    assert real_check.kb is not None
    return real_check.kb


def _json_ld(page: Path) -> list[dict[str, Any]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    scripts = soup.find_all("script", attrs={"type": "application/ld+json"})
    return [json.loads(script.string) for script in scripts]


def _page_file(site: Path, docs_path: str) -> Path:
    return site / urls.page_url(docs_path) / "index.html"


def _article(real_check: CheckResult) -> Biomarker:
    return _kb(real_check).biomarkers[0]


def test_the_article_is_a_medical_web_page_about_its_test(
    built_site: Path, real_check: CheckResult
) -> None:
    biomarker = _article(real_check)
    (data,) = _json_ld(_page_file(built_site, urls.article(biomarker.id)))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == biomarker.name
    assert data["lastReviewed"] == biomarker.last_reviewed.isoformat()
    assert data["datePublished"] == biomarker.original_post.published.isoformat()
    assert data["about"]["@type"] == "MedicalTest"
    codes = {(c["codingSystem"], c["codeValue"]) for c in data["about"]["code"]}
    assert codes == {("LOINC", t.loinc) for t in biomarker.tests if t.loinc}
    assert all(code["@type"] == "MedicalCode" for code in data["about"]["code"])


def test_the_article_cites_every_reference_it_uses_with_its_doi_or_url(
    built_site: Path, real_check: CheckResult
) -> None:
    kb, biomarker = _kb(real_check), _article(real_check)
    (data,) = _json_ld(_page_file(built_site, urls.article(biomarker.id)))
    cited = {c.key for claim in biomarker.claims for c in claim.citations}
    cited.add(biomarker.original_post.cite)
    assert [c["name"] for c in data["citation"]] == [
        citation(kb.references[key])["name"] for key in _reading_order(biomarker)
    ]
    assert len(data["citation"]) == len(cited)
    by_name = {c["name"]: c for c in data["citation"]}
    for key in cited:
        reference = kb.references[key]
        work = by_name[reference.title]
        assert work["@type"] in CITATION_TYPES
        assert work.get("sameAs") == (f"https://doi.org/{reference.doi}" if reference.doi else None)
        assert work.get("url") == reference.url
    assert any("sameAs" in work for work in data["citation"])  # the real data has a DOI


def _reading_order(biomarker: Biomarker) -> list[str]:
    keys = [biomarker.original_post.cite, *(c.key for cl in biomarker.claims for c in cl.citations)]
    return list(dict.fromkeys(keys))


def test_each_condition_page_is_about_a_medical_condition_with_its_codes(
    built_site: Path, real_check: CheckResult
) -> None:
    kb = _kb(real_check)
    pages = [(c, _page_file(built_site, urls.condition(c.id))) for c in kb.conditions.values()]
    pages = [(condition, page) for condition, page in pages if page.exists()]
    assert len(pages) > 10
    for condition, page in pages:
        (data,) = _json_ld(page)
        subject = data["about"]
        assert subject["@type"] == "MedicalCondition"
        assert subject["name"] == condition.name
        expected = {(CODE_LABELS[system], code) for system, code in condition.codes}
        found = {(c["codingSystem"], c["codeValue"]) for c in subject.get("code", [])}
        assert found == expected, condition.id


def test_every_generated_page_has_one_json_ld_and_hand_written_pages_none(
    built_site: Path,
) -> None:
    generated = ["index.html", "biomarkers/index.html", "conditions/index.html"]
    generated += ["specimens/index.html", "references/index.html", "specimens/serum/index.html"]
    for path in generated:
        (data,) = _json_ld(built_site / path)
        assert data["@type"] in {"WebSite", "CollectionPage"}, path
    assert _json_ld(built_site / "editors" / "index.html") == []


def test_no_json_ld_in_the_built_site_has_markup_characters(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    texts = [
        script.string
        for page in pages
        for script in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(
            "script", attrs={"type": "application/ld+json"}
        )
    ]
    assert len(texts) > 20
    assert not any(set("<>&") & set(text) for text in texts)


@pytest.mark.parametrize("where", ["name", "summary", "abbreviation"])
def test_text_that_would_close_the_script_stays_inside_it(
    real_check: CheckResult, where: str
) -> None:
    biomarker = dataclasses.replace(_article(real_check), **{where: HOSTILE})
    data = article_data(biomarker, _kb(real_check).references, Site("Site", "https://x.test/"))
    html = f"<html><head>{json_ld(script_text(data))}</head><body></body></html>"
    soup = BeautifulSoup(html, "html.parser")
    (script,) = soup.find_all("script")
    read_back = json.loads(script.string)
    found = {"name": read_back["name"], "summary": read_back["description"]}
    found["abbreviation"] = read_back["about"].get("alternateName", [None])[0]
    assert found[where] == HOSTILE
    assert "</script" not in script.string.lower()
    assert "<!--" not in script.string


def test_without_a_site_address_pages_give_no_urls(real_check: CheckResult) -> None:
    data = article_data(_article(real_check), _kb(real_check).references, Site("Site"))
    assert "url" not in data
    assert data["isPartOf"] == {"@type": "WebSite", "name": "Site"}
