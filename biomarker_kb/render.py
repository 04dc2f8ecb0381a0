"""Render stage: a validated KnowledgeBase + Jinja2 templates → Markdown pages in memory.

Input: a ``KnowledgeBase`` and the templates directory. Output: ``RenderedPage`` records keyed
by their path inside the docs dir. Pure: writes nothing. Data reaches Markdown only through the
escaping filters; templates run with StrictUndefined so a missing value is a bug, not a blank.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import jinja2

from biomarker_kb.citation_style import format_reference, short_citation
from biomarker_kb.escape import html_attr, md_inline
from biomarker_kb.model import Biomarker, Claim, KnowledgeBase, Reference, describe_interval
from biomarker_kb.problems import KbError, Location, Problem

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Mapping
    from pathlib import Path

GENERATED_NOTICE = "<!-- generated from {source}; do not edit -->"
IDENTIFIER_LABELS = {"uniprot": "UniProt", "ncbi_gene": "NCBI Gene", "ensembl": "Ensembl"}


@dataclass(frozen=True)
class RenderedPage:
    """One generated Markdown page."""

    path: str
    """Path inside the docs dir, e.g. ``biomarkers/b2m.md``."""
    markdown: str
    source: str
    """The data file the page was generated from, for the do-not-edit notice."""


@dataclass
class Footnotes:
    """Numbers one page's sources in the order they are first cited; a repeat reuses its number."""

    references: Mapping[str, Reference]
    link_prefix: str
    """Relative path from the page to the docs root, for the link to the bibliography."""
    order: list[str] = field(default_factory=list)

    def refs(self, claim: Claim) -> str:
        """Return the footnote references for every source of ``claim``."""
        for key in claim.citation_keys:
            if key not in self.order:
                self.order.append(key)
        return "".join(f"[^{key}]" for key in claim.citation_keys)

    def definitions(self) -> list[str]:
        """Return the footnote definitions, in first-citation order."""
        return [
            f"[^{key}]: {format_reference(self.references[key])}"
            f" [All claims citing this]({self.link_prefix}references.md#ref-{key})"
            for key in self.order
        ]


@dataclass(frozen=True)
class CitingClaim:
    """A claim listed under a reference on the bibliography page."""

    biomarker: Biomarker
    claim: Claim
    attributions: str


def long_date(value: datetime.date) -> str:
    """Return "September 7, 2023"."""
    return f"{value:%B} {value.day}, {value.year}"


def front_matter(values: Mapping[str, str]) -> str:
    """Return a YAML front-matter block; JSON strings are valid YAML and escape everything."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
    return "\n".join(["---", *lines, "---"])


def biomarker_sort_key(biomarker: Biomarker) -> tuple[str, str]:
    """Sort biomarkers alphabetically by name, then id."""
    return (biomarker.name.casefold(), biomarker.id)


def newest_first_key(biomarker: Biomarker) -> tuple[int, str]:
    """Sort articles newest first, as a blog index does; ties by name."""
    return (-biomarker.original_post.published.toordinal(), biomarker.name.casefold())


def reference_sort_key(reference: Reference) -> tuple[str, str, str]:
    """Sort the bibliography by first author (or organization), then year, then key."""
    first = reference.authors[0] if reference.authors else reference.organization or ""
    return (first.casefold(), reference.year or "", reference.key)


class SiteRenderer:
    """Holds the one Jinja environment; templates are compiled once and cached."""

    def __init__(self, templates_dir: Path) -> None:
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # the output is Markdown: escaping is done by explicit filters
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,  # `mkdocs serve` re-renders after a template edit
        )
        filters: dict[str, Callable[..., str]] = {
            "md": md_inline,
            "attr": html_attr,
            "long_date": long_date,
        }
        self.environment.filters.update(filters)

    def _template(self, name: str) -> jinja2.Template:
        """Return a compiled template; a syntax error becomes a located problem, not a traceback."""
        try:
            return self.environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            where = Location(f"templates/{error.name or name}", error.lineno)
            raise KbError([Problem(where, f"template syntax error: {error.message}")]) from None

    def _page(
        self, template: str, path: str, source: str, meta: Mapping[str, str], **context: object
    ) -> RenderedPage:
        body = self._template(template).render(
            front_matter=front_matter(meta),
            notice=GENERATED_NOTICE.format(source=source),
            **context,
        )
        return RenderedPage(path, body, source)

    def render_site(self, kb: KnowledgeBase, sources: Mapping[str, str]) -> list[RenderedPage]:
        """Render every generated page of the site, sorted by path."""
        pages = [
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
                short_source=short_citation,
            ),
        ]
        pages += [self._biomarker(b, kb, sources[b.id]) for b in kb.biomarkers]
        return sorted(pages, key=lambda page: page.path)

    def _biomarker(self, biomarker: Biomarker, kb: KnowledgeBase, source: str) -> RenderedPage:
        return self._page(
            "biomarker.md.j2",
            f"biomarkers/{biomarker.id}.md",
            source,
            {"title": biomarker.name, "description": biomarker.summary},
            biomarker=biomarker,
            specimens=kb.specimens,
            references=kb.references,
            notes=Footnotes(kb.references, link_prefix="../"),
            short_source=short_citation,
            interval=lambda r: describe_interval(r.lower, r.upper),
            identifier_label=IDENTIFIER_LABELS.__getitem__,
            annotated=[c for c in biomarker.claims if c.editor_note or c.as_printed],
        )

    @staticmethod
    def _bibliography(kb: KnowledgeBase) -> list[tuple[Reference, str, list[CitingClaim]]]:
        citing: dict[str, list[CitingClaim]] = {key: [] for key in kb.references}
        for biomarker in sorted(kb.biomarkers, key=biomarker_sort_key):
            for claim in biomarker.claims:
                for key in claim.citation_keys:
                    levels = sorted({c.attribution for c in claim.citations if c.key == key})
                    citing[key].append(CitingClaim(biomarker, claim, ", ".join(levels)))
        ordered = sorted(kb.references.values(), key=reference_sort_key)
        return [(ref, format_reference(ref), citing[ref.key]) for ref in ordered]
