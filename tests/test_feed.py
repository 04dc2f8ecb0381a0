"""The Atom feed: feed readers parse it, one entry per article, and every page links to it."""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import feedparser
from bs4 import BeautifulSoup

from biomarker_kb import urls
from biomarker_kb.feed import FeedMemo, atom_feed
from biomarker_kb.structured_data import Site

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.model import Biomarker
    from biomarker_kb.pipeline import CheckResult

SITE = Site("A <b>site</b> & more", "https://example.test/kb/", "What it is", None)


def _biomarkers(real_check: CheckResult) -> tuple[Biomarker, ...]:
    assert real_check.kb is not None
    return real_check.kb.biomarkers


def _parsed(feed: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(feed)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_the_built_feed_is_atom_with_one_entry_per_article(
    built_site: Path, real_check: CheckResult
) -> None:
    parsed = _parsed((built_site / "feed.xml").read_bytes())
    biomarkers = _biomarkers(real_check)
    assert len(parsed.entries) == len(biomarkers)
    for entry, biomarker in zip(parsed.entries, biomarkers, strict=True):
        assert entry.title == biomarker.name
        assert entry.link.endswith(urls.page_url(urls.article(biomarker.id)))
        assert entry.id == entry.link
        assert entry.summary == biomarker.summary
        assert entry.published.startswith(biomarker.original_post.published.isoformat())
        assert entry.updated.startswith(biomarker.last_reviewed.isoformat())


def test_entries_are_newest_first_and_the_feed_dates_from_the_latest_review(
    real_check: CheckResult,
) -> None:
    (real,) = _biomarkers(real_check)[:1]
    older = dataclasses.replace(
        real,
        id="older",
        name="Older",
        original_post=dataclasses.replace(real.original_post, published=datetime.date(2020, 1, 2)),
        last_reviewed=datetime.date(2030, 5, 6),
    )
    feed = atom_feed([older, real], SITE)
    assert feed is not None
    parsed = _parsed(feed)
    assert [e.title for e in parsed.entries] == [real.name, "Older"]
    assert parsed.feed.updated == "2030-05-06T00:00:00Z"
    assert atom_feed([older, real], SITE) == feed  # no clock in it


def test_markup_in_the_data_is_text_in_the_feed(real_check: CheckResult) -> None:
    (real,) = _biomarkers(real_check)[:1]
    hostile = dataclasses.replace(real, name="B2M <script>x</script> & co", summary="a < b & c")
    feed = atom_feed([hostile], SITE)
    assert feed is not None
    assert b"<script>" not in feed
    parsed = _parsed(feed)
    assert parsed.feed.title == SITE.name
    (entry,) = parsed.entries
    assert entry.title == "B2M <script>x</script> & co"
    assert entry.summary == "a < b & c"
    assert entry.link == "https://example.test/kb/biomarkers/b2m/"


def test_without_a_site_address_there_is_no_feed(real_check: CheckResult) -> None:
    assert atom_feed(_biomarkers(real_check), Site("Site")) is None


def test_every_page_links_the_feed_from_its_head(built_site: Path) -> None:
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = soup.head.find_all("link", attrs={"type": "application/atom+xml"})
        assert len(links) == 1, page
        base = page.relative_to(built_site).parent.as_posix() + "/"
        assert urljoin(f"https://site.test/{base}", links[0]["href"]) == (
            "https://site.test/feed.xml"
        ), page


def test_a_feed_kept_between_builds_equals_a_fresh_one(real_check: CheckResult) -> None:
    (real,) = _biomarkers(real_check)[:1]
    memo = FeedMemo()
    assert atom_feed([real], SITE, memo) == atom_feed([real], SITE)
    edited = dataclasses.replace(real, summary="Edited.")
    other = dataclasses.replace(real, id="other", name="Other")
    assert atom_feed([edited, other], SITE, memo) == atom_feed([edited, other], SITE)
    moved = Site(SITE.name, "https://moved.test/")  # a memo of another site is not used
    assert atom_feed([edited], moved, memo) == atom_feed([edited], moved)
