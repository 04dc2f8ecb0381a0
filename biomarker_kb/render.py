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
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from biomarker_kb import urls
from biomarker_kb.article_page import article_page
from biomarker_kb.browse import build_condition_views, build_specimen_views
from biomarker_kb.condition_page import condition_page, conditions_index
from biomarker_kb.escape import html_text
from biomarker_kb.home_page import home_page, index_entries
from biomarker_kb.labels import long_date
from biomarker_kb.page_keys import BiomarkerParts, browse_key, condition_key, specimen_key
from biomarker_kb.page_kit import PageKit
from biomarker_kb.problems import KbError, Location, Problem
from biomarker_kb.references_page import references_page
from biomarker_kb.specimen_page import specimen_page, specimens_index
from biomarker_kb.structured_data import (
    Site,
    article_data,
    condition_data,
    home_data,
    listing_data,
    script_text,
)
from biomarker_kb.yaml_text import yaml_flow

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

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
    structured_data: str = ""
    """The page's schema.org JSON-LD, safe inside ``<script>`` (``structured_data``); the
    plugin puts it in the HTML head. Empty: none (no site to describe, or not a page)."""

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


DEFAULT_TEMPLATES = Path(__file__).parent / "templates"
"""The templates the package ships; a project's own templates/ overrides them file by file."""


def _environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([templates_dir, DEFAULT_TEMPLATES]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown: the views escape every value for its place
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,  # `mkdocs serve` re-renders after a template edit
    )


@dataclass(frozen=True)
class _PagePlan:
    """A page not rendered yet: its path, what it is made from, and how to render it."""

    path: str
    source: str
    key: object
    render: Callable[[], RenderedPage]


class SiteRenderer:
    """Holds the one Jinja environment and, between builds, what each page was made from.

    Templates are compiled once and cached. ``changed_pages`` renders only the pages whose
    inputs differ from the last call's (`mkdocs serve`); ``iter_site`` renders them all.
    """

    def __init__(self, templates_dir: Path, site: Site | None = None) -> None:
        self.templates_dir = templates_dir
        self.site = site
        """The site the pages describe in their JSON-LD; None: no JSON-LD."""
        self.environment = _environment(templates_dir)
        self._shared: object = None
        self._keys: dict[str, object] = {}
        """Page path → the key it was last rendered from."""
        self._parts = BiomarkerParts()
        self._browse: object = None
        self._browse_paths: frozenset[str] = frozenset()
        """The pages ``_browse_plans`` made, at the last call that made them."""
        self.page_paths: frozenset[str] = frozenset()
        """The paths of the last build's pages, rendered or not."""
        self.page_sources: dict[str, str] = {}
        """Page path → the data file it is generated from, for every page planned."""
        self.shard = (0, 1)
        """(index, count): render only the changed pages whose number modulo count is index."""
        self._changed = 0

    def _template(self, name: str) -> jinja2.Template:
        """Return a compiled template; a syntax error becomes a located problem, not a traceback."""
        try:
            return self.environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            where = Location(f"templates/{error.name or name}", error.lineno)
            raise KbError([Problem(where, f"template syntax error: {error.message}")]) from None

    def _plan(
        self,
        template: str,
        path: str,
        source: str,
        meta: Mapping[str, object],
        inputs: tuple[object, Callable[[], object]],
        reviewed: Iterable[Biomarker],
        described: Callable[[Site], Mapping[str, object]] | None = None,
    ) -> _PagePlan:
        """Plan one page.

        ``inputs``: what its view is made from, and how to make the view; ``reviewed``: the
        articles it draws on, for its review date; ``described``: its JSON-LD, made from
        nothing the key does not hold (None: a page listing others, named by its title).
        """
        key, view = inputs
        latest = max((b.last_reviewed for b in reviewed), default=None)
        site = self.site

        def render() -> RenderedPage:
            body = self._template(template).render(
                front_matter=front_matter(meta),
                notice=GENERATED_NOTICE.format(source=source),
                page=view(),
                reviewed=long_date(latest) if latest else "",
            )
            data = ""
            if site is not None:
                title = str(meta["title"])
                made = described(site) if described else listing_data(title, path, site)
                data = script_text(made)
            return RenderedPage(path, body.encode("utf-8"), source, data)

        return _PagePlan(path, source, (key, source, meta, latest), render)

    def render_site(self, kb: KnowledgeBase, sources: Mapping[str, str]) -> list[RenderedPage]:
        """Render every generated page of the site, sorted by path."""
        return sorted(self.iter_site(kb, sources), key=lambda page: page.path)

    def iter_site(self, kb: KnowledgeBase, sources: Mapping[str, str]) -> Iterator[RenderedPage]:
        """Render every generated page, one at a time, so a caller need not hold them all."""
        kit = PageKit.of(kb)
        parts = BiomarkerParts()
        for plan in chain(
            self._article_plans(kb, sources, kit), self._browse_plans(kb, kit, parts)
        ):
            yield plan.render()

    def changed_pages(
        self, kb: KnowledgeBase, sources: Mapping[str, str]
    ) -> Iterator[RenderedPage]:
        """Render the pages made from anything else than at the last call; all, the first time.

        A page's key is recorded as it is yielded, so stop early only to start again.
        Afterwards ``page_paths`` holds every page's path; pages of the last call missing from
        it are gone.
        """
        templates = file_stamps(self.templates_dir, DEFAULT_TEMPLATES)
        shared = (templates, kb.conditions, kb.specimens, kb.references, self.site)
        if shared != self._shared:  # what every page reads: render them all
            self._shared, self._keys, self._browse = shared, {}, None
        kit = PageKit.of(kb)
        self._parts.keep_only(kb.biomarkers)
        self._changed = 0
        paths: set[str] = set()
        yield from self._render_changed(self._article_plans(kb, sources, kit), paths)
        browse = browse_key(kb.biomarkers, self._parts)
        if browse != self._browse:  # else the condition, specimen and reference pages stay
            browse_paths: set[str] = set()
            yield from self._render_changed(self._browse_plans(kb, kit, self._parts), browse_paths)
            self._browse, self._browse_paths = browse, frozenset(browse_paths)
        self.page_paths = frozenset(paths | self._browse_paths)
        self._keys = {path: key for path, key in self._keys.items() if path in self.page_paths}
        self.page_sources = {p: s for p, s in self.page_sources.items() if p in self.page_paths}

    def forget(self) -> None:
        """Forget every page's key: the next call renders them all (after a failed build)."""
        self._shared, self._keys, self._browse = None, {}, None

    def _render_changed(
        self, plans: Iterable[_PagePlan], paths: set[str]
    ) -> Iterator[RenderedPage]:
        """Render the planned pages whose key changed; add every plan's path to ``paths``.

        Of those, only this process's share (``shard``): the others render the rest.
        """
        index, count = self.shard
        for plan in plans:
            paths.add(plan.path)
            self.page_sources[plan.path] = plan.source
            if self._keys.get(plan.path, _NEVER) != plan.key:
                self._changed += 1
                self._keys[plan.path] = plan.key
                if self._changed % count == index:
                    yield plan.render()

    def _article_plans(
        self, kb: KnowledgeBase, sources: Mapping[str, str], kit: PageKit
    ) -> Iterator[_PagePlan]:
        """Plan the home page, the biomarkers index and the articles."""
        home, index = home_page(kb.biomarkers), index_entries(kb.biomarkers)
        yield self._plan(
            "home.md.j2", urls.HOME, "data/biomarkers/", {"title": "Home"},
            (home, lambda: home), kb.biomarkers, home_data,
        )  # fmt: skip
        yield self._plan(
            "biomarkers_index.md.j2", urls.BIOMARKERS_INDEX, "data/biomarkers/",
            {"title": "Biomarkers"}, (index, lambda: index), kb.biomarkers,
        )  # fmt: skip
        for biomarker in kb.biomarkers:
            meta = {
                "title": biomarker.name,
                "description": biomarker.summary,
                "tags": search_names(biomarker.name, biomarker.abbreviation, *biomarker.aliases),
            }
            yield self._plan(
                "biomarker.md.j2", urls.article(biomarker.id), sources[biomarker.id], meta,
                (biomarker, partial(article_page, biomarker, kb, kit)), (biomarker,),
                partial(article_data, biomarker, kb.references),
            )  # fmt: skip

    def _browse_plans(
        self, kb: KnowledgeBase, kit: PageKit, parts: BiomarkerParts
    ) -> Iterator[_PagePlan]:
        """Plan the pages that list claims of many articles: references, conditions, specimens."""
        yield self._plan(
            "references.md.j2", urls.REFERENCES, "data/references.bib", {"title": "References"},
            (browse_key(kb.biomarkers, parts), partial(references_page, kb, kit.reference_texts)),
            kb.biomarkers,
        )  # fmt: skip
        yield from self._condition_pages(kb, kit, parts)
        yield from self._specimen_pages(kb, kit, parts)

    def _condition_pages(
        self, kb: KnowledgeBase, kit: PageKit, parts: BiomarkerParts
    ) -> Iterator[_PagePlan]:
        views = build_condition_views(kb)
        index = conditions_index(views)
        yield self._plan(
            "conditions_index.md.j2", urls.CONDITIONS_INDEX, "data/conditions.yaml",
            {"title": "Conditions"}, (index, lambda: index), kb.biomarkers,
        )  # fmt: skip
        for view in views.values():
            refs = view.associations + view.patterns + view.mentions + view.in_population
            names = search_names(view.condition.name, *view.condition.synonyms)
            meta = {"title": view.condition.name, "tags": names}
            yield self._plan(
                "condition.md.j2", urls.condition(view.condition.id), "data/conditions.yaml",
                meta, (condition_key(view, parts), partial(condition_page, view, kit)),
                [ref.biomarker for ref in refs], partial(condition_data, view.condition),
            )  # fmt: skip

    def _specimen_pages(
        self, kb: KnowledgeBase, kit: PageKit, parts: BiomarkerParts
    ) -> Iterator[_PagePlan]:
        views = build_specimen_views(kb)
        ordered = sorted(views.values(), key=lambda v: (v.specimen.name.casefold(), v.specimen.id))
        index = specimens_index(ordered)
        yield self._plan(
            "specimens_index.md.j2", urls.SPECIMENS_INDEX, "data/specimens.yaml",
            {"title": "Specimens"}, (index, lambda: index), kb.biomarkers,
        )  # fmt: skip
        for view in ordered:
            names = search_names(view.specimen.name, *view.specimen.synonyms)
            meta = {"title": view.specimen.name, "tags": names}
            yield self._plan(
                "specimen.md.j2", urls.specimen(view.specimen.id), "data/specimens.yaml",
                meta, (specimen_key(view, parts), partial(specimen_page, view, kb, kit)),
                view.biomarkers,
            )  # fmt: skip


_NEVER = object()
"""The key of a page never rendered: equal to no key."""


def file_stamps(*folders: Path) -> tuple[tuple[str, int, int], ...]:
    """Return each file's path, size and time of change below ``folders``: an edit changes it.

    A folder named twice (the package's templates are the repository's) is walked once.
    """
    files = {path.resolve() for folder in folders for path in folder.rglob("*") if path.is_file()}
    return tuple(sorted((p.as_posix(), (s := p.stat()).st_size, s.st_mtime_ns) for p in files))


def search_names(*names: str | None) -> list[str]:
    """Return a page's names for search, each once, in order: its name, then its synonyms.

    They go in the front matter's ``tags``, which the theme's search ranks far above the text
    (a boost of a million), so that searching "Sjogren" or "CMV" finds the condition's own page
    first, and not every page that mentions it. Pages show no tags.
    """
    return list(dict.fromkeys(name for name in names if name))
