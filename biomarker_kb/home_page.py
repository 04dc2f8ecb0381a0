"""Render stage, the home page and the biomarkers index: articles → their views.

Input: the checked biomarkers. Output: ``ArticleEntry`` rows, newest first for the home page
(as a blog lists its posts) and by name for the index, every value escaped. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb import urls
from biomarker_kb.browse import biomarker_sort_key
from biomarker_kb.escape import md_inline
from biomarker_kb.labels import long_date

if TYPE_CHECKING:
    from collections.abc import Sequence

    from biomarker_kb.model import Biomarker


@dataclass(frozen=True)
class ArticleEntry:
    """One article as the home page and the biomarkers index list it."""

    name_link: str
    title_link: str
    """The blog post's title, linked to the article."""
    aliases: str
    summary: str
    claims: int
    published: str
    last_reviewed: str
    tags: str

    @property
    def index_cells(self) -> tuple[str, str, str, str, str]:
        """Return its row of the biomarkers index."""
        return (self.name_link, self.aliases, str(self.claims), self.published, self.last_reviewed)


def newest_first_key(biomarker: Biomarker) -> tuple[int, str]:
    """Sort articles newest first, as a blog index does; ties by name."""
    return (-biomarker.original_post.published.toordinal(), biomarker.name.casefold())


def _entry(biomarker: Biomarker, page: str) -> ArticleEntry:
    target = urls.link(page, urls.article(biomarker.id))
    names = ([biomarker.abbreviation] if biomarker.abbreviation else []) + list(biomarker.aliases)
    return ArticleEntry(
        name_link=f"[{md_inline(biomarker.name)}]({target})",
        title_link=f"[{md_inline(biomarker.original_post.title)}]({target})",
        aliases=", ".join(md_inline(name) for name in names),
        summary=md_inline(biomarker.summary),
        claims=len(biomarker.claims),
        published=long_date(biomarker.original_post.published),
        last_reviewed=long_date(biomarker.last_reviewed),
        tags=", ".join(md_inline(tag) for tag in biomarker.tags),
    )


LATEST_ARTICLES = 10
"""How many articles the home page lists; the biomarkers index lists them all."""


@dataclass(frozen=True)
class HomePage:
    """The home page: the latest articles and the open-data files."""

    entries: tuple[ArticleEntry, ...]
    downloads: str


def home_page(biomarkers: Sequence[Biomarker]) -> HomePage:
    """Return the home page's latest articles, newest first, and the download links.

    Not all articles: a knowledge base of hundreds would make the home page a long list that
    also changes with every edit to any article's summary.
    """
    latest = sorted(biomarkers, key=newest_first_key)[:LATEST_ARTICLES]
    entries = tuple(_entry(b, urls.HOME) for b in latest)
    return HomePage(entries, urls.download_links(urls.HOME))


def index_entries(biomarkers: Sequence[Biomarker]) -> tuple[ArticleEntry, ...]:
    """Return the biomarkers index's rows, alphabetically."""
    return tuple(
        _entry(b, urls.BIOMARKERS_INDEX) for b in sorted(biomarkers, key=biomarker_sort_key)
    )
