"""Render stage: schema.org JSON-LD for each generated page, for search engines and aggregators.

Input: the checked records a page is made from (a biomarker and the references it cites, a
condition, or just the page's title) and the site's name and address. Output: one JSON-LD
object per page, and its text made safe inside an HTML ``<script>`` element. Only what the
data holds is written: a DOI or URL where the .bib gives one, codes where the data has them.
Pure: reads nothing, writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from biomarker_kb import urls
from biomarker_kb.csl_json import csl_name
from biomarker_kb.labels import CODE_LABELS

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mkdocs.config.defaults import MkDocsConfig

    from biomarker_kb.model import Biomarker, Condition, Reference

CONTEXT = "https://schema.org"

CITATION_TYPES = {
    "article": "ScholarlyArticle",
    "book": "Book",
    "inbook": "Chapter",
    "incollection": "Chapter",
    "inproceedings": "ScholarlyArticle",
    "online": "WebPage",
}
"""BibTeX entry types → schema.org types; others are a ``WebPage`` when they have a URL only,
else a ``CreativeWork``."""


@dataclass(frozen=True)
class Site:
    """What pages say about the site they belong to (from mkdocs.yml)."""

    name: str
    url: str | None = None
    """The published address (``site_url``), ending in "/"; None: pages give no addresses."""
    description: str | None = None
    author: str | None = None

    def address(self, path: str) -> str | None:
        """Return the absolute address of a docs page (or of a file in the site)."""
        if self.url is None:
            return None
        target = urls.page_url(path) if path.endswith(".md") else path
        return urljoin(self.url if self.url.endswith("/") else f"{self.url}/", target)


def site_of(config: MkDocsConfig) -> Site:
    """Return what pages and the feed say about the site, from mkdocs.yml."""
    return Site(
        name=config.site_name,
        url=config.site_url or None,
        description=config.site_description or None,
        author=config.site_author or None,
    )


def script_text(data: Mapping[str, Any]) -> str:
    """Return ``data`` as JSON that cannot end or comment out the ``<script>`` it sits in.

    "<", ">" and "&" become JSON escapes (backslash, u003c), so no text can write ``</script>`` or
    ``<!--``; U+2028 and U+2029 too, which some JavaScript parsers take for line ends.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character in "<>&\u2028\u2029":
        text = text.replace(character, f"\\u{ord(character):04x}")
    return text


def _page(kind: str, name: str, path: str, site: Site) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": CONTEXT, "@type": kind, "name": name}
    if (address := site.address(path)) is not None:
        data["url"] = address
    website: dict[str, Any] = {"@type": "WebSite", "name": site.name}
    if site.url is not None:
        website["url"] = site.url
    data["isPartOf"] = website
    return data


def _codes(codes: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [
        {"@type": "MedicalCode", "codeValue": value, "codingSystem": CODE_LABELS.get(k, k)}
        for k, value in codes
    ]


def article_data(
    biomarker: Biomarker, references: Mapping[str, Reference], site: Site
) -> dict[str, Any]:
    """Return the article as a ``MedicalWebPage`` about its test, citing its references."""
    data = _page("MedicalWebPage", biomarker.name, urls.article(biomarker.id), site)
    data["headline"] = biomarker.name
    data["description"] = biomarker.summary
    data["datePublished"] = biomarker.original_post.published.isoformat()
    data["lastReviewed"] = biomarker.last_reviewed.isoformat()
    test: dict[str, Any] = {"@type": "MedicalTest", "name": biomarker.name}
    names = [n for n in (biomarker.abbreviation, *biomarker.aliases) if n]
    if names:
        test["alternateName"] = names
    loinc = [
        {"@type": "MedicalCode", "codeValue": t.loinc, "codingSystem": "LOINC"}
        | ({"name": t.loinc_name} if t.loinc_name else {})
        for t in biomarker.tests
        if t.loinc
    ]
    if loinc:
        test["code"] = loinc
    data["about"] = test
    cited = _cited_keys(biomarker)
    data["citation"] = [citation(references[key]) for key in cited if key in references]
    return data


def _cited_keys(biomarker: Biomarker) -> list[str]:
    """Return the keys the article cites, in the order readers meet them (the post first)."""
    keys = [biomarker.original_post.cite]
    keys += [c.key for claim in biomarker.claims for c in claim.citations]
    return list(dict.fromkeys(keys))


def citation(reference: Reference) -> dict[str, Any]:
    """Return one reference as a schema.org creative work, with its DOI or URL if it has one."""
    kind = CITATION_TYPES.get(reference.entry_type)
    if kind is None:
        kind = "WebPage" if reference.url and not reference.doi else "CreativeWork"
    work: dict[str, Any] = {"@type": kind, "name": reference.title}
    authors = [_person(name) for name in reference.authors]
    if not authors and reference.organization:
        authors = [{"@type": "Organization", "name": reference.organization}]
    if authors:
        work["author"] = authors
    if reference.year:
        work["datePublished"] = reference.year
    if reference.journal:
        work["isPartOf"] = {"@type": "Periodical", "name": reference.journal}
    if reference.publisher:
        work["publisher"] = {"@type": "Organization", "name": reference.publisher}
    identifiers = [("DOI", reference.doi), ("PMID", reference.pmid)]
    found = [{"@type": "PropertyValue", "propertyID": k, "value": v} for k, v in identifiers if v]
    if found:
        work["identifier"] = found
    if reference.doi:
        work["sameAs"] = f"https://doi.org/{reference.doi}"
    if reference.url:
        work["url"] = reference.url
    return work


def _person(name: str) -> dict[str, str]:
    parts = csl_name(name)
    if "literal" in parts:
        return {"@type": "Organization", "name": parts["literal"]}
    order = ("given", "non-dropping-particle", "family", "suffix")
    return {"@type": "Person", "name": " ".join(parts[p] for p in order if p in parts)}


def condition_data(condition: Condition, site: Site) -> dict[str, Any]:
    """Return a condition's page as a ``MedicalWebPage`` about the ``MedicalCondition``."""
    data = _page("MedicalWebPage", condition.name, urls.condition(condition.id), site)
    subject: dict[str, Any] = {"@type": "MedicalCondition", "name": condition.name}
    if condition.synonyms:
        subject["alternateName"] = list(condition.synonyms)
    if condition.codes:
        subject["code"] = _codes(condition.codes)
    data["about"] = subject
    data["mainEntity"] = subject
    return data


def listing_data(title: str, path: str, site: Site) -> dict[str, Any]:
    """Return a page that lists others (indexes, specimens, references) as a ``CollectionPage``."""
    return _page("CollectionPage", title, path, site)


def home_data(site: Site) -> dict[str, Any]:
    """Return the home page as the ``WebSite`` itself."""
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "WebSite", "name": site.name}
    if site.url is not None:
        data["url"] = site.url
    if site.description:
        data["description"] = site.description
    return data
