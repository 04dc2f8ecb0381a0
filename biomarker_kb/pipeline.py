"""The only place that knows the order of the stages: load → validate → model → check → render.

Input: the project's directories. Output: a ``BuildResult`` holding the rendered pages, or the
problems that stop the build. Nothing is written anywhere; callers (the MkDocs plugin, the CLI)
decide what to do with the pages, after everything has been gathered.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb.assemble import assemble_biomarker, assemble_conditions, assemble_specimens
from biomarker_kb.bibliography import parse_bibliography
from biomarker_kb.consistency import check_consistency
from biomarker_kb.crossref import (
    CheckScope,
    check_cross_references,
    check_vocabulary_ids,
)
from biomarker_kb.load import YamlFile, load_data
from biomarker_kb.model import Biomarker, KnowledgeBase
from biomarker_kb.placeholders import find_placeholders
from biomarker_kb.primary_source import check_acknowledgements, needs_primary_source_warnings
from biomarker_kb.problems import Problem, Severity, sort_problems
from biomarker_kb.schema_check import check_against_schema
from biomarker_kb.sentence_check import check_sentences

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from biomarker_kb.render import RenderedPage, SiteRenderer


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project keeps its data and templates."""

    root: Path
    data_dir: Path
    templates_dir: Path

    @classmethod
    def at(cls, root: Path) -> ProjectPaths:
        """Return the standard layout below ``root``."""
        return cls(root, root / "data", root / "templates")


@dataclass(frozen=True)
class CheckResult:
    """The knowledge base (None when errors stopped it) and every problem found."""

    kb: KnowledgeBase | None
    problems: tuple[Problem, ...]
    sources: dict[str, str]
    """Biomarker id → the data file it came from."""

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that stop a build."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Return the problems that stop only a strict build."""
        return [p for p in self.problems if p.severity is Severity.WARNING]


def _valid(document: YamlFile, schema: str, problems: list[Problem]) -> bool:
    """Record schema problems; a file is assembled only if its shape is right."""
    if document.unreadable:  # its problem is already reported; say nothing more about it
        return False
    found = check_against_schema(document, schema)
    problems.extend(found)
    return not found


def _spans_ok(document: YamlFile, problems: list[Problem]) -> bool:
    """Record span problems; a file is assembled only if its sentences and claims agree."""
    found = check_sentences(document)
    problems.extend(found)
    return not found


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while the stages run.

    Why: the stages build millions of small objects that all live until the pages are rendered,
    and every full collection walks all of them again, which made loading superlinear in the
    number of claims (N=1000 load: 7.3 s with the collector on, 3.3 s paused). Reference
    counting still frees them; peak memory of the stages was the same either way (measured).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(paths: ProjectPaths) -> CheckResult:
    """Load and validate all data; collect every problem rather than stopping at the first."""
    with collector_paused():
        return _check(paths)


def _check(paths: ProjectPaths) -> CheckResult:
    # 1. Load: read every file; unreadable files become problems, not exceptions.
    raw = load_data(paths.data_dir, paths.root)
    problems = list(raw.problems)
    # 2. Validate shapes against the JSON Schemas editors also use.
    specimens_ok = _valid(raw.specimens, "specimens", problems)
    conditions_ok = _valid(raw.conditions, "conditions", problems)
    valid_biomarkers = [
        doc
        for doc in raw.biomarkers
        if _valid(doc, "biomarker", problems) and _spans_ok(doc, problems)
    ]
    bibliography = parse_bibliography(raw.bibliography)
    problems += bibliography.problems
    # Placeholders left by make new-biomarker; acknowledged reasons where no marker stands.
    problems += find_placeholders(raw.biomarkers, raw.bibliography, bibliography.references)
    problems += [p for doc in valid_biomarkers for p in check_acknowledgements(doc)]
    # 3. Model: typed records, then one knowledge base.
    specimens = assemble_specimens(raw.specimens) if specimens_ok else []
    conditions = assemble_conditions(raw.conditions) if conditions_ok else []
    biomarkers: list[Biomarker] = [assemble_biomarker(doc) for doc in valid_biomarkers]
    all_biomarkers_loaded = len(valid_biomarkers) == len(raw.biomarkers)
    # The loaded documents, with a location for every key and value, take more memory than the
    # records made from them (N=1000: about 240 MiB); let them go before the checks, rendering and
    # MkDocs' own work, whose many small objects can reuse that memory.
    del raw, valid_biomarkers
    problems += check_vocabulary_ids(conditions, specimens)
    kb = KnowledgeBase(
        biomarkers=tuple(sorted(biomarkers, key=lambda b: b.id)),
        conditions={c.id: c for c in conditions},
        specimens={s.id: s for s in specimens},
        references=bibliography.references,
        claims={c.id: c for b in biomarkers for c in b.claims},
    )
    # 4. Cross-check references between records; skip checks whose other side failed above,
    # so one mistake is reported once, not again by everything that refers to it.
    scope = CheckScope(
        conditions_known=conditions_ok,
        specimens_known=specimens_ok,
        all_biomarkers_loaded=all_biomarkers_loaded,
        broken_keys=bibliography.broken_keys,
    )
    problems += check_cross_references(kb, scope)
    # 5. Clinical consistency: units, printed equivalences, contradictions.
    problems += check_consistency(kb)
    problems += needs_primary_source_warnings(kb)
    sources = {b.id: b.location.path for b in biomarkers}
    result_problems = tuple(sort_problems(problems))
    has_errors = any(p.severity is Severity.ERROR for p in result_problems)
    return CheckResult(None if has_errors else kb, result_problems, sources)


def render_pages(result: CheckResult, renderer: SiteRenderer) -> list[RenderedPage]:
    """Render a checked knowledge base (4. Render); calling it with errors is a bug."""
    assert result.kb is not None, "bug: rendering was asked for data that has errors"
    with collector_paused():
        return renderer.render_site(result.kb, result.sources)


def iter_pages(result: CheckResult, renderer: SiteRenderer) -> Iterator[RenderedPage]:
    """Render a checked knowledge base page by page, for callers that store each page at once.

    Holding every page's Markdown was the largest part of the build's peak memory (N=1000: 165
    MB of Markdown next to MkDocs' own HTML).
    """
    assert result.kb is not None, "bug: rendering was asked for data that has errors"
    with collector_paused():
        yield from renderer.iter_site(result.kb, result.sources)
