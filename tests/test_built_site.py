"""The real site as readers get it: anchors, footnotes, back-links and flags in the built HTML."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Comment, Tag

from biomarker_kb.citation_style import shown_title
from biomarker_kb.footnotes import LETTERED_BACK_LINKS
from biomarker_kb.pipeline import ProjectPaths, check, render_pages
from biomarker_kb.render import SiteRenderer
from biomarker_kb.spans import plain_text
from tests.helpers import PROJECT_ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.model import Biomarker, KnowledgeBase
    from biomarker_kb.pipeline import CheckResult


def _html_path(markdown_path: str) -> str:
    """Return where MkDocs (directory URLs) writes a page: biomarkers/b2m.md → .../index.html."""
    path = PurePosixPath(markdown_path)
    if path.stem == "index":
        return str(path.with_suffix(".html"))
    return str(path.with_suffix("") / "index.html")


# Pages are discovered from the data and the renderer, so new ones are covered automatically.
_REAL = check(ProjectPaths.at(PROJECT_ROOT))
_RENDERED = render_pages(_REAL, SiteRenderer(PROJECT_ROOT / "templates")) if _REAL.kb else []
GENERATED_PAGES = [_html_path(p.path) for p in _RENDERED]
CLAIM_PAGES = [_html_path(p.path) for p in _RENDERED if 'data-claim="' in p.markdown]
BIOMARKER_IDS = sorted(p.stem for p in (PROJECT_ROOT / "data" / "biomarkers").glob("*.yaml"))
BIB_KEYS = sorted(_REAL.kb.references) if _REAL.kb else []

Page = Callable[[str], BeautifulSoup]


def test_the_required_pages_are_generated() -> None:
    required = {"index.html", "biomarkers/index.html", "references/index.html"}
    required |= {f"biomarkers/{b}/index.html" for b in BIOMARKER_IDS}
    assert required <= set(GENERATED_PAGES)
    assert set(CLAIM_PAGES) >= {f"biomarkers/{b}/index.html" for b in BIOMARKER_IDS}


@pytest.fixture(scope="module")
def page(built_site: Path) -> Page:
    """Return a function parsing one built page (each page is parsed once per module)."""
    cache: dict[str, BeautifulSoup] = {}

    def parse(relative: str) -> BeautifulSoup:
        if relative not in cache:
            html = (built_site / relative).read_text(encoding="utf-8")
            cache[relative] = BeautifulSoup(html, "html.parser")
        return cache[relative]

    return parse


@pytest.fixture(scope="module")
def kb(real_check: CheckResult) -> KnowledgeBase:
    assert real_check.kb is not None
    return real_check.kb


def _biomarker(kb: KnowledgeBase, biomarker_id: str) -> Biomarker:
    return next(b for b in kb.biomarkers if b.id == biomarker_id)


def _article(soup: BeautifulSoup) -> Tag:
    article = soup.select_one("article.md-content__inner")
    assert article is not None
    return article


def _resolve(page_path: str, href: str) -> tuple[str, str]:
    """Return (site-relative file, fragment) for a relative link found on ``page_path``."""
    base = "http://site/" + page_path.removesuffix("index.html")
    url = urlsplit(urljoin(base, href))
    path = url.path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path, url.fragment


def _ids(soup: BeautifulSoup) -> set[str]:
    return {str(tag["id"]) for tag in soup.find_all(id=True)}


def _claims(soup: BeautifulSoup) -> list[Tag]:
    return soup.find_all(attrs={"data-claim": True})


# --------------------------------------------------------------------------- every generated page


@pytest.mark.parametrize("relative", GENERATED_PAGES)
def test_page_carries_the_generated_notice(relative: str, page: Page) -> None:
    comments = _article(page(relative)).find_all(string=lambda s: isinstance(s, Comment))
    notices = [c.strip() for c in comments if c.strip().startswith("generated from data/")]
    assert len(notices) == 1
    assert notices[0].endswith("; do not edit")


@pytest.mark.parametrize("relative", GENERATED_PAGES)
def test_every_internal_link_and_anchor_resolves(
    relative: str, page: Page, built_site: Path
) -> None:
    links = [str(a["href"]) for a in _article(page(relative)).find_all("a", href=True)]
    internal = [h for h in links if not urlsplit(h).scheme]
    assert internal, "a generated page links to nothing"
    for href in internal:
        target, fragment = _resolve(relative, href)
        assert (built_site / target).is_file(), f"{href} -> {target} does not exist"
        if fragment:
            assert fragment in _ids(page(target)), f"{href}: no #{fragment} on {target}"


# --------------------------------------------------------------------------- pages showing claims


@pytest.mark.parametrize("relative", CLAIM_PAGES)
def test_claim_elements_have_matching_ids(relative: str, page: Page) -> None:
    claims = _claims(page(relative))
    assert claims
    assert [c.get("id") for c in claims] == [f"claim-{c['data-claim']}" for c in claims]


def _scope(element: Tag) -> Tag | None:
    """Return the nearest ancestor that holds the citations given for all of it."""
    return element.find_parent(attrs={"data-cite-scope": True})


@pytest.mark.parametrize("relative", CLAIM_PAGES)
def test_every_source_of_a_claim_is_cited_in_the_claim_or_its_scope(
    relative: str, page: Page, kb: KnowledgeBase
) -> None:
    """The contract of issue 11: each key in data-cite has its footnote mark within reach."""
    soup = page(relative)
    for claim in _claims(soup):
        keys = str(claim["data-cite"]).split()
        assert keys == list(kb.claims[claim["data-claim"]].citation_keys)
        reach = [claim] + ([scope] if (scope := _scope(claim)) is not None else [])
        marked = {str(a["href"]) for place in reach for a in place.select("a.footnote-ref")}
        for key in keys:
            assert f"#fn:{key}" in marked, f"{claim['data-claim']}: no mark for {key} in reach"


@pytest.mark.parametrize("relative", CLAIM_PAGES)
def test_footnotes_hold_their_reference_and_doi(
    relative: str, page: Page, kb: KnowledgeBase
) -> None:
    soup = page(relative)
    for ref in soup.select("a.footnote-ref"):
        href = str(ref["href"])
        assert href.startswith("#fn:")
        note = soup.find(id=href[1:])
        assert note is not None, f"{href} has no footnote on the page"
        reference = kb.references[href.removeprefix("#fn:")]
        text = " ".join(note.get_text(" ").split())
        assert shown_title(reference) in text
        if reference.doi:
            links = note.select('a[href^="https://doi.org/"]')
            assert [a["href"] for a in links] == [f"https://doi.org/{reference.doi}"]


@pytest.mark.parametrize("relative", CLAIM_PAGES)
def test_footnotes_are_numbered_in_order_of_first_citation(relative: str, page: Page) -> None:
    soup = page(relative)
    first_seen: dict[str, int] = {}
    for ref in soup.select("a.footnote-ref"):
        number = first_seen.setdefault(str(ref["href"]), len(first_seen) + 1)
        assert ref.get_text() == str(number), f"{ref['href']} is numbered {ref.get_text()}"
    listed = [f"#{li['id']}" for li in soup.select("div.footnote > ol > li")]
    assert listed == list(first_seen)


def _is_mark(node: object) -> bool:
    return isinstance(node, Tag) and str(node.get("id", "")).startswith("fnref")


@pytest.mark.parametrize("relative", CLAIM_PAGES)
def test_marks_standing_together_are_in_ascending_order(relative: str, page: Page) -> None:
    soup = page(relative)
    groups = 0
    for sup in soup.select('sup[id^="fnref"]'):
        if _is_mark(sup.previous_sibling):
            continue  # not the first of its group
        numbers = [int(sup.get_text())]
        following = sup.next_sibling
        while _is_mark(following):
            assert isinstance(following, Tag)
            numbers.append(int(following.get_text()))
            following = following.next_sibling
        assert numbers == sorted(numbers), numbers
        groups += 1
    assert groups


@pytest.mark.parametrize("relative", CLAIM_PAGES)
def test_each_footnote_has_one_labelled_back_link_per_citing_place(
    relative: str, page: Page
) -> None:
    soup = page(relative)
    citing = Counter(str(a["href"]) for a in soup.select("a.footnote-ref"))
    assert citing
    ids = _ids(soup)
    for item in soup.select("div.footnote > ol > li"):
        backrefs = item.select("a.kb-backref")
        count = citing[f"#{item['id']}"]
        assert all(str(a["href"])[1:] in ids for a in backrefs)
        if count == 1 or count > LETTERED_BACK_LINKS:
            assert [a.get_text() for a in backrefs] == ["↩"]
        else:
            assert [a.get_text() for a in backrefs] == [chr(ord("a") + i) for i in range(count)]
        # The reference is the footnote's first paragraph, alone: what the tooltip shows.
        first = item.find("p")
        assert first is not None
        assert not first.select("a.kb-backref")


def _expected_markers(biomarker: Biomarker) -> int:
    """Return how many "needs primary source" markers an article shows: one per block or
    sentence whose claims all rest on the post alone, else one per such claim."""
    count = 0
    blocks = [(p.sentences, p.citations) for p in biomarker.overview + biomarker.range_paragraphs]
    blocks += [(lst.items, lst.citations) for lst in biomarker.levels]
    for sentences, citations in blocks:
        claims = [c for s in sentences for c in s.claims]
        if citations and all(c.needs_primary_source for c in claims):
            count += 1
            continue
        for sentence in sentences:
            if all(c.needs_primary_source for c in sentence.claims):
                count += 1
            else:
                count += sum(c.needs_primary_source for c in sentence.claims)
    count += sum(c.needs_primary_source for c in biomarker.ranges)
    return count + (1 if biomarker.takeaways else 0)  # the post's own summary, marked once


@pytest.mark.parametrize("biomarker_id", BIOMARKER_IDS)
def test_needs_primary_source_is_shown_once_per_unsourced_block(
    biomarker_id: str, page: Page, kb: KnowledgeBase
) -> None:
    soup = page(f"biomarkers/{biomarker_id}/index.html")
    biomarker = _biomarker(kb, biomarker_id)
    assert len(soup.select(".kb-flag")) == _expected_markers(biomarker)
    for claim in _claims(soup):
        flags = [*claim.select(".kb-flag")]
        sentence = claim.find_parent(class_="kb-sentence")
        for place in (sentence, _scope(claim)):
            if place is not None:
                flags += place.select(".kb-flag")
        assert bool(flags) == kb.claims[claim["data-claim"]].needs_primary_source, claim


@pytest.mark.parametrize("biomarker_id", BIOMARKER_IDS)
def test_article_paragraphs_read_sentence_for_sentence_as_the_data(
    biomarker_id: str, page: Page, kb: KnowledgeBase
) -> None:
    """Each rendered paragraph or list item is its sentences' text and nothing else."""
    soup = page(f"biomarkers/{biomarker_id}/index.html")
    biomarker = _biomarker(kb, biomarker_id)
    for paragraph in biomarker.overview + biomarker.range_paragraphs:
        anchor = f"sentence-{paragraph.sentences[0].claims[0].id}"
        element = soup.find(id=anchor).find_parent("p")
        assert element is not None
        assert element.get("data-cite-scope") == "paragraph"
        expected = " ".join(plain_text(s.parts) for s in paragraph.sentences)
        assert _reader_text(element) == " ".join(expected.split())
    for level_list in biomarker.levels:
        for item in level_list.items:
            element = soup.find(id=f"sentence-{item.claims[0].id}").find_parent("li")
            assert _reader_text(element) == " ".join(plain_text(item.parts).split())


def _reader_text(element: Tag) -> str:
    """Return an element's words as read, without footnote marks, markers and note links."""
    copy = BeautifulSoup(str(element), "html.parser")
    for extra in copy.select("sup, .kb-flag, .kb-contested, .kb-review"):
        extra.decompose()
    # A marker stood after a space of its own ("levels questioned,"): drop the space with it.
    return re.sub(r" ([,.;:])", r"\1", " ".join(copy.get_text().split()))


@pytest.mark.parametrize("relative", CLAIM_PAGES)
def test_claim_attribution_levels_match_the_data(
    relative: str, page: Page, kb: KnowledgeBase
) -> None:
    for element in _claims(page(relative)):
        claim = kb.claims[element["data-claim"]]
        shown = set(str(element["data-attribution"]).split())
        assert shown == {c.attribution for c in claim.citations}, claim.id


@pytest.mark.parametrize("biomarker_id", BIOMARKER_IDS)
def test_biomarker_page_shows_every_claim_of_its_data(
    biomarker_id: str, page: Page, kb: KnowledgeBase
) -> None:
    shown = [c["data-claim"] for c in _claims(page(f"biomarkers/{biomarker_id}/index.html"))]
    expected = [c.id for c in _biomarker(kb, biomarker_id).claims]
    assert sorted(shown) == sorted(expected)


# --------------------------------------------------------------------------- references page


def _reference_entry(soup: BeautifulSoup, key: str) -> list[Tag]:
    """Return the elements making up one bibliography entry (a block, or a heading's section)."""
    anchor = soup.find(id=f"ref-{key}")
    assert anchor is not None, f"no #ref-{key} on the references page"
    if anchor.name not in {"h2", "h3", "h4"}:
        return [anchor]
    section = [anchor]
    for sibling in anchor.find_next_siblings():
        if sibling.name in {"h1", "h2", "h3", "h4"} and sibling.name <= anchor.name:
            break
        section.append(sibling)
    return section


@pytest.mark.parametrize("key", BIB_KEYS)
def test_references_page_has_an_entry_per_bib_key(key: str, page: Page, kb: KnowledgeBase) -> None:
    entry = _reference_entry(page("references/index.html"), key)
    text = " ".join(" ".join(e.get_text(" ") for e in entry).split())
    assert shown_title(kb.references[key]) in text


@pytest.mark.parametrize("key", BIB_KEYS)
def test_cited_by_links_open_the_sources_footnote_in_each_citing_article(
    key: str, page: Page, kb: KnowledgeBase
) -> None:
    entry = _reference_entry(page("references/index.html"), key)
    counted: dict[str, int] = {}
    for element in entry:
        for item in element.find_all("li"):
            a = item.find("a", href=True)
            target, fragment = _resolve("references/index.html", str(a["href"]))
            parts = target.split("/")
            assert (parts[0], parts[2:]) == ("biomarkers", ["index.html"]), target
            assert fragment == f"fn:{key}"
            assert fragment in _ids(page(target)), f"{a['href']} has no anchor"
            found = re.search(r": (\d+) claims? \(", item.get_text())
            assert found, item.get_text()
            counted[parts[1]] = int(found[1])
    citing = Counter(b.id for b in kb.biomarkers for c in b.claims if key in c.citation_keys)
    assert counted == dict(citing)


# --------------------------------------------------------------------------- home page


@pytest.mark.parametrize("biomarker_id", BIOMARKER_IDS)
def test_home_page_lists_each_article(biomarker_id: str, page: Page, kb: KnowledgeBase) -> None:
    post = _biomarker(kb, biomarker_id).original_post
    links = [
        a
        for a in _article(page("index.html")).select("li a[href]")
        if _resolve("index.html", str(a["href"]))[0] == f"biomarkers/{biomarker_id}/index.html"
    ]
    assert [a.get_text() for a in links] == [post.title]


def test_home_page_lists_the_b2m_article_with_its_date(page: Page) -> None:
    items = _article(page("index.html")).select("li")
    b2m = [li for li in items if li.find("a", href="biomarkers/b2m/")]
    assert len(b2m) == 1
    assert "September 7, 2023" in b2m[0].get_text()


# --------------------------------------------------------------------------- the docs dir


def test_build_writes_no_generated_page_into_the_docs_dir(
    built_site: Path, project_root: Path
) -> None:
    assert (built_site / "index.html").is_file()
    content = project_root / "content"
    assert [p.path for p in _RENDERED if (content / p.path).exists()] == []
    assert not (content / "biomarkers").exists()


# --------------------------------------------------------------------------- editor's notes


@pytest.mark.parametrize("biomarker_id", BIOMARKER_IDS)
def test_each_editors_note_and_its_sentence_link_to_each_other(
    biomarker_id: str, page: Page
) -> None:
    soup = page(f"biomarkers/{biomarker_id}/index.html")
    notes = soup.select(".kb-note")
    assert notes
    for note in notes:
        back = note.select_one(".kb-note-about a")
        assert back is not None
        annotated = soup.find(id=str(back["href"]).removeprefix("#"))
        assert annotated is not None, back["href"]
        links = annotated.select(f'.kb-note-ref a[href="#{note["id"]}"]')
        assert len(links) == 1, f"{back['href']} does not link to #{note['id']}"


def test_editors_notes_are_kept_out_of_search(built_site: Path, page: Page) -> None:
    notes = page("biomarkers/b2m/index.html").select(".kb-note")
    assert notes
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = " ".join(doc["text"] for doc in index["docs"])
    assert not [doc["location"] for doc in index["docs"] if "editors-notes" in doc["location"]]
    for note in notes:
        words = " ".join(note.select("p")[-1].get_text().split())
        assert words not in indexed
    sjogren = [doc["location"] for doc in index["docs"] if "Sjögren" in doc["title"]]
    assert "conditions/sjogrens-syndrome/" in sjogren
