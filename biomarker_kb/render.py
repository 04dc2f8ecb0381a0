"""Render stage: a validated KnowledgeBase + Jinja2 templates → Markdown pages in memory.

Input: a ``KnowledgeBase`` and the templates directory. Output: ``RenderedPage`` records keyed
by their path inside the docs dir. Pure: writes nothing. Data reaches Markdown only through the
escaping filters; templates run with StrictUndefined so a missing value is a bug, not a blank.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import jinja2

from biomarker_kb import page_parts, table_rows
from biomarker_kb.browse import (
    ClaimRef,
    build_condition_views,
    build_specimen_views,
    claim_as_written,
    conditions_by_kind,
    group_by_biomarker,
    specimens_of,
)
from biomarker_kb.citation_style import family_name, format_reference
from biomarker_kb.comparison import Comparisons
from biomarker_kb.escape import html_attr, md_inline
from biomarker_kb.problems import KbError, Location, Problem

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from biomarker_kb.model import Biomarker, KnowledgeBase, Reference

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


@dataclass(frozen=True)
class CitingArticle:
    """An article citing a reference, as the bibliography page lists it."""

    biomarker: Biomarker
    claims: int
    """How many of the article's claims cite the reference."""
    attributions: str
    """Where the source was given, with counts (see ``page_parts.attribution_summary``)."""


def biomarker_sort_key(biomarker: Biomarker) -> tuple[str, str]:
    """Sort biomarkers alphabetically by name, then id."""
    return (biomarker.name.casefold(), biomarker.id)


def newest_first_key(biomarker: Biomarker) -> tuple[int, str]:
    """Sort articles newest first, as a blog index does; ties by name."""
    return (-biomarker.original_post.published.toordinal(), biomarker.name.casefold())


def reference_sort_key(reference: Reference) -> tuple[str, str, str]:
    """Sort the bibliography by first author (or organization), then year, then key."""
    first = family_name(reference.authors[0]) if reference.authors else reference.organization or ""
    return (first.casefold(), reference.year or "", reference.key)


def _environment(templates_dir: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown: escaping is done by explicit filters
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,  # `mkdocs serve` re-renders after a template edit
    )
    filters: dict[str, Callable[..., object]] = {
        "md": md_inline,
        "attr": html_attr,
        "long_date": page_parts.long_date,
        "as_rows": page_parts.as_rows,
        "as_member_rows": page_parts.as_member_rows,
        "as_condition_rows": page_parts.as_condition_rows,
        "claim_ids": page_parts.claim_ids,
        "ids": page_parts.ids,
    }
    environment.filters.update(filters)
    environment.globals.update(
        identifier_label=page_parts.IDENTIFIER_LABELS.__getitem__,
        code_label=page_parts.CODE_LABELS.__getitem__,
        kind_label=page_parts.KIND_LABELS.__getitem__,
        changes_by_kind=page_parts.changes_by_kind,
        levels_heading=page_parts.levels_heading,
        group_by_biomarker=group_by_biomarker,
    )
    return environment


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
        meta: Mapping[str, str | list[str]],
        **context: object,
    ) -> RenderedPage:
        body = self._template(template).render(
            front_matter=page_parts.front_matter(meta),
            notice=GENERATED_NOTICE.format(source=source),
            **context,
        )
        return RenderedPage(path, body.encode("utf-8"), source)

    def render_site(self, kb: KnowledgeBase, sources: Mapping[str, str]) -> list[RenderedPage]:
        """Render every generated page of the site, sorted by path."""
        leaf_context = _leaf_context(kb)
        # The leaf pages' shared macros, made once per build with the context they need rather
        # than imported "with context" by every page: that import rebuilt all the macros for
        # each of thousands of pages and left them as cyclic garbage for the collector.
        leaf_context["m"] = self._template("_macros.md.j2").make_module(leaf_context)
        # One per build: each claim's footnote marks and each source's definition are made once.
        footnote_text = page_parts.FootnoteText(kb.references)
        pages = self._index_pages(kb)
        pages += [
            self._biomarker(b, kb, sources[b.id], leaf_context, footnote_text)
            for b in kb.biomarkers
        ]
        pages += self._condition_pages(kb, leaf_context, footnote_text)
        pages += self._specimen_pages(kb, leaf_context, footnote_text)
        return sorted(pages, key=lambda page: page.path)

    def _index_pages(self, kb: KnowledgeBase) -> list[RenderedPage]:
        return [
            self._page(
                "home.md.j2",
                "index.md",
                "data/biomarkers/",
                {"title": "Home"},
                articles=sorted(kb.biomarkers, key=newest_first_key),
            ),
            self._page(
                "biomarkers_index.md.j2",
                "biomarkers/index.md",
                "data/biomarkers/",
                {"title": "Biomarkers"},
                biomarkers=sorted(kb.biomarkers, key=biomarker_sort_key),
            ),
            self._page(
                "references.md.j2",
                "references.md",
                "data/references.bib",
                {"title": "References"},
                entries=self._bibliography(kb),
            ),
        ]

    def _biomarker(
        self,
        biomarker: Biomarker,
        kb: KnowledgeBase,
        source: str,
        leaf: Mapping[str, object],
        footnote_text: page_parts.FootnoteText,
    ) -> RenderedPage:
        specimen_names = [kb.specimens[t.specimen].name for t in biomarker.tests]
        return self._page(
            "biomarker.md.j2",
            f"biomarkers/{biomarker.id}.md",
            source,
            {
                "title": biomarker.name,
                "description": biomarker.summary,
                "tags": [biomarker.name, *specimen_names],
            },
            biomarker=biomarker,
            notes=page_parts.Footnotes(footnote_text),
            annotated=[c for c in biomarker.claims if c.editor_note or c.as_printed],
            **leaf,
        )

    def _condition_pages(
        self, kb: KnowledgeBase, leaf: Mapping[str, object], footnote_text: page_parts.FootnoteText
    ) -> list[RenderedPage]:
        views = build_condition_views(kb)
        pages = [
            self._page(
                "conditions_index.md.j2",
                "conditions/index.md",
                "data/conditions.yaml",
                {"title": "Conditions"},
                groups=conditions_by_kind(views),
                total=len(views),
            )
        ]
        for view in views.values():
            refs = view.associations + view.patterns + view.mentions
            pages.append(
                self._page(
                    "condition.md.j2",
                    f"conditions/{view.condition.id}.md",
                    "data/conditions.yaml",
                    {"title": view.condition.name, "tags": _tags_of(refs, kb)},
                    view=view,
                    notes=page_parts.Footnotes(footnote_text),
                    **leaf,
                )
            )
        return pages

    def _specimen_pages(
        self, kb: KnowledgeBase, leaf: Mapping[str, object], footnote_text: page_parts.FootnoteText
    ) -> list[RenderedPage]:
        views = build_specimen_views(kb)
        ordered = sorted(views.values(), key=lambda v: (v.specimen.name.casefold(), v.specimen.id))
        pages = [
            self._page(
                "specimens_index.md.j2",
                "specimens/index.md",
                "data/specimens.yaml",
                {"title": "Specimens"},
                views=ordered,
            )
        ]
        for view in ordered:
            tags = [view.specimen.name, *(b.name for b in view.biomarkers)]
            pages.append(
                self._page(
                    "specimen.md.j2",
                    f"specimens/{view.specimen.id}.md",
                    "data/specimens.yaml",
                    {"title": view.specimen.name, "tags": tags},
                    view=view,
                    notes=page_parts.Footnotes(footnote_text),
                    **leaf,
                )
            )
        return pages

    @staticmethod
    def _bibliography(kb: KnowledgeBase) -> list[tuple[Reference, str, str, list[CitingArticle]]]:
        # One line per citing article, not per claim: a page listing every citing claim grew
        # with the whole knowledge base (24 MB of Markdown at N=1000, the build's memory peak).
        # The article's footnote for the source has a back-link to each citing claim.
        citing: dict[str, list[CitingArticle]] = {key: [] for key in kb.references}
        for biomarker in sorted(kb.biomarkers, key=biomarker_sort_key):
            claims: Counter[str] = Counter()
            levels: dict[str, Counter[str]] = defaultdict(Counter)
            for claim in biomarker.claims:
                for key in claim.citation_keys:
                    claims[key] += 1
                    levels[key].update({c.attribution for c in claim.citations if c.key == key})
            for key, count in claims.items():
                summary = page_parts.attribution_summary(levels[key])
                citing[key].append(CitingArticle(biomarker, count, summary))
        ordered = sorted(kb.references.values(), key=reference_sort_key)
        headings = page_parts.reference_headings(ordered)
        return [(ref, headings[ref.key], format_reference(ref), citing[ref.key]) for ref in ordered]


def _leaf_context(kb: KnowledgeBase) -> dict[str, object]:
    """Return what every leaf page's template sees: the vocabularies and the per-build helpers."""
    links = page_parts.SiteLinks(kb.conditions, kb.specimens)
    contested = page_parts.ContestedIndex.of(kb.biomarkers)
    return {
        "conditions": kb.conditions,
        "specimens": kb.specimens,
        "claims": kb.claims,
        "links": links,
        "as_written": functools.partial(claim_as_written, claims=kb.claims),
        "comparisons": Comparisons(),
        "chart": page_parts.ChartMaker(kb.references, kb.specimens),
        "contested": contested,
        "claim_rows": table_rows.ClaimRows(links, kb.claims, contested),
        "range_rows": table_rows.RangeRows(kb.references, links, contested),
        "article": table_rows.ArticleClaims(links),
    }


def _tags_of(refs: tuple[ClaimRef, ...], kb: KnowledgeBase) -> list[str]:
    """Return the names of the biomarkers and specimens a page's claims concern, for tags."""
    biomarkers = dict.fromkeys(ref.biomarker.name for ref in refs)
    specimens = dict.fromkeys(kb.specimens[s].name for ref in refs for s in specimens_of(ref.claim))
    return [*biomarkers, *specimens]
