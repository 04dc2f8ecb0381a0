"""Render stage: a validated KnowledgeBase → page views → Markdown pages in memory.

Input: a ``KnowledgeBase`` and the templates directory. Output: ``RenderedPage`` records keyed
by their path inside the docs dir. Pure: writes nothing. Each page's content is built first, in
Python, as a typed view (one module per page kind: ``article_page``, ``condition_page``,
``specimen_page``, ``references_page``, ``home_page``), with every value escaped and footnotes
numbered there; its template only lays the view out. Templates run with StrictUndefined and
call nothing back, so a missing value is a bug, not a blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import jinja2

from biomarker_kb import urls
from biomarker_kb.article_page import article_page
from biomarker_kb.browse import build_condition_views, build_specimen_views
from biomarker_kb.condition_page import condition_page, conditions_index
from biomarker_kb.escape import html_text
from biomarker_kb.home_page import home_entries, index_entries
from biomarker_kb.labels import long_date
from biomarker_kb.page_kit import PageKit
from biomarker_kb.problems import KbError, Location, Problem
from biomarker_kb.references_page import references_page
from biomarker_kb.specimen_page import specimen_page, specimens_index
from biomarker_kb.yaml_text import yaml_flow

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from pathlib import Path

    from biomarker_kb.model import Biomarker, KnowledgeBase

GENERATED_NOTICE = "<!-- generated from {source}; do not edit -->"


@dataclass(frozen=True)
class RenderedPage:
    """One generated Markdown page."""

    path: str
    """Path inside the docs dir, e.g. ``biomarkers/b2m.md``."""
    utf8: bytes
    """The page's Markdown, encoded. As a ``str`` one character beyond Latin-1 (an em dash)
    makes Python store the whole page at two bytes per character; nearly every page has one,
    and all pages are held until MkDocs has read them (N=1000: 280 MB as text, 145 MB encoded)."""
    source: str
    """The data file the page was generated from, for the do-not-edit notice."""

    @property
    def markdown(self) -> str:
        """The page's Markdown text."""
        return self.utf8.decode("utf-8")


def front_matter(values: Mapping[str, object]) -> str:
    """Return a YAML front-matter block with every text value HTML-escaped.

    The theme prints the title and tags into the page header, navigation and tag list as raw
    text (never into an attribute unescaped), so ``& < >`` are escaped here and apostrophes
    stay readable; each value is written as YAML flow text (``yaml_flow``), which quotes and
    escapes everything else, so any text reads back as it was.
    """
    escaped = {key: _escaped(value) for key, value in values.items()}
    lines = [f"{key}: {yaml_flow(value)}" for key, value in escaped.items()]
    return "\n".join(["---", *lines, "---"])


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return html_text(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def _environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown: the views escape every value for its place
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,  # `mkdocs serve` re-renders after a template edit
    )


class SiteRenderer:
    """Holds the one Jinja environment; templates are compiled once and cached."""

    def __init__(self, templates_dir: Path) -> None:
        self.environment = _environment(templates_dir)

    def _template(self, name: str) -> jinja2.Template:
        """Return a compiled template; a syntax error becomes a located problem, not a traceback."""
        try:
            return self.environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            where = Location(f"templates/{error.name or name}", error.lineno)
            raise KbError([Problem(where, f"template syntax error: {error.message}")]) from None

    def _page(
        self,
        template: str,
        path: str,
        source: str,
        meta: Mapping[str, object],
        page: object,
        reviewed: Iterable[Biomarker],
    ) -> RenderedPage:
        """Render one page; ``reviewed``: the articles it draws on, for its review date."""
        latest = max((b.last_reviewed for b in reviewed), default=None)
        body = self._template(template).render(
            front_matter=front_matter(meta),
            notice=GENERATED_NOTICE.format(source=source),
            page=page,
            reviewed=long_date(latest) if latest else "",
        )
        return RenderedPage(path, body.encode("utf-8"), source)

    def render_site(self, kb: KnowledgeBase, sources: Mapping[str, str]) -> list[RenderedPage]:
        """Render every generated page of the site, sorted by path."""
        return sorted(self.iter_site(kb, sources), key=lambda page: page.path)

    def iter_site(self, kb: KnowledgeBase, sources: Mapping[str, str]) -> Iterator[RenderedPage]:
        """Render every generated page, one at a time, so a caller need not hold them all."""
        kit = PageKit.of(kb)
        yield from self._index_pages(kb, kit)
        for biomarker in kb.biomarkers:
            meta = {
                "title": biomarker.name,
                "description": biomarker.summary,
                "tags": search_names(biomarker.name, biomarker.abbreviation, *biomarker.aliases),
            }
            view = article_page(biomarker, kb, kit)
            path = urls.article(biomarker.id)
            yield self._page(
                "biomarker.md.j2", path, sources[biomarker.id], meta, view, (biomarker,)
            )
        yield from self._condition_pages(kb, kit)
        yield from self._specimen_pages(kb, kit)

    def _index_pages(self, kb: KnowledgeBase, kit: PageKit) -> list[RenderedPage]:
        return [
            self._page(
                "home.md.j2", urls.HOME, "data/biomarkers/", {"title": "Home"},
                home_entries(kb.biomarkers), kb.biomarkers,
            ),
            self._page(
                "biomarkers_index.md.j2", urls.BIOMARKERS_INDEX, "data/biomarkers/",
                {"title": "Biomarkers"}, index_entries(kb.biomarkers), kb.biomarkers,
            ),
            self._page(
                "references.md.j2", urls.REFERENCES, "data/references.bib",
                {"title": "References"}, references_page(kb, kit.reference_texts), kb.biomarkers,
            ),
        ]  # fmt: skip

    def _condition_pages(self, kb: KnowledgeBase, kit: PageKit) -> Iterator[RenderedPage]:
        views = build_condition_views(kb)
        yield self._page(
            "conditions_index.md.j2", urls.CONDITIONS_INDEX, "data/conditions.yaml",
            {"title": "Conditions"}, conditions_index(views), kb.biomarkers,
        )  # fmt: skip
        for view in views.values():
            refs = view.associations + view.patterns + view.mentions + view.in_population
            names = search_names(view.condition.name, *view.condition.synonyms)
            meta = {"title": view.condition.name, "tags": names}
            yield self._page(
                "condition.md.j2", urls.condition(view.condition.id), "data/conditions.yaml",
                meta, condition_page(view, kit), (ref.biomarker for ref in refs),
            )  # fmt: skip

    def _specimen_pages(self, kb: KnowledgeBase, kit: PageKit) -> Iterator[RenderedPage]:
        views = build_specimen_views(kb)
        ordered = sorted(views.values(), key=lambda v: (v.specimen.name.casefold(), v.specimen.id))
        yield self._page(
            "specimens_index.md.j2", urls.SPECIMENS_INDEX, "data/specimens.yaml",
            {"title": "Specimens"}, specimens_index(ordered), kb.biomarkers,
        )  # fmt: skip
        for view in ordered:
            names = search_names(view.specimen.name, *view.specimen.synonyms)
            meta = {"title": view.specimen.name, "tags": names}
            yield self._page(
                "specimen.md.j2", urls.specimen(view.specimen.id), "data/specimens.yaml",
                meta, specimen_page(view, kb, kit), view.biomarkers,
            )  # fmt: skip


def search_names(*names: str | None) -> list[str]:
    """Return a page's names for search, each once, in order: its name, then its synonyms.

    They go in the front matter's ``tags``, which the theme's search ranks far above the text
    (a boost of a million), so that searching "Sjogren" or "CMV" finds the condition's own page
    first, and not every page that mentions it. Pages show no tags.
    """
    return list(dict.fromkeys(name for name in names if name))
