"""The only place that knows the order of the stages: load → validate → model → check → render.

Input: the project's directories. Output: a ``BuildResult`` holding the rendered pages, or the
problems that stop the build. Nothing is written anywhere; callers (the MkDocs plugin, the CLI)
decide what to do with the pages, after everything has been gathered.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from biomarker_kb.assemble import assemble_biomarker, assemble_conditions, assemble_specimens
from biomarker_kb.bibliography import Bibliography, parse_bibliography
from biomarker_kb.check_memo import CheckMemo
from biomarker_kb.consistency import check_biomarker_consistency, related_conditions
from biomarker_kb.crossref import (
    CheckScope,
    check_biomarker_references,
    check_shared_references,
    check_vocabulary_ids,
)
from biomarker_kb.forked_map import CHILD_SHARE, forked_map
from biomarker_kb.load import (
    DataFiles,
    YamlFile,
    find_data_files,
    load_bibliography,
    load_yaml,
)
from biomarker_kb.model import Biomarker, KnowledgeBase
from biomarker_kb.placeholders import placeholders_in_bibliography, placeholders_in_yaml
from biomarker_kb.primary_source import check_acknowledgements, primary_source_warnings
from biomarker_kb.problems import Problem, Severity, sort_problems
from biomarker_kb.schema_check import check_against_schema
from biomarker_kb.sentence_check import check_sentences

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from biomarker_kb.render import RenderedPage, SiteRenderer


T = TypeVar("T")
R = TypeVar("R")
V = TypeVar("V")


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


@dataclass(frozen=True)
class FileResult(Generic[T]):
    """What one data file gave: its problems, and its records unless its shape was wrong."""

    problems: tuple[Problem, ...]
    records: T | None


def _valid(document: YamlFile, schema: str, problems: list[Problem]) -> bool:
    """Record schema problems; a file is assembled only if its shape is right."""
    if document.unreadable:  # its problem is already reported; say nothing more about it
        return False
    found = check_against_schema(document, schema)
    problems.extend(found)
    return not found


def _biomarker_file(path: Path, shown: str) -> FileResult[Biomarker]:
    """1-3 for one article: load, validate (schema, sentences, placeholders), model."""
    document, problems = load_yaml(path, shown)
    problems += placeholders_in_yaml(document)  # left by make new-biomarker, shape or not
    if not _valid(document, "biomarker", problems):
        return FileResult(tuple(problems), None)
    spans = check_sentences(document)
    if spans:
        return FileResult(tuple(problems + spans), None)
    problems += check_acknowledgements(document)  # reasons given where no marker stands
    return FileResult(tuple(problems), assemble_biomarker(document))


def _vocabulary_file(
    path: Path, shown: str, schema: str, assemble: Callable[[YamlFile], list[V]]
) -> FileResult[list[V]]:
    """1-3 for conditions.yaml or specimens.yaml."""
    document, problems = load_yaml(path, shown)
    if not _valid(document, schema, problems):
        return FileResult(tuple(problems), None)
    return FileResult(tuple(problems), assemble(document))


def _bibliography_file(path: Path, shown: str) -> FileResult[Bibliography]:
    """1-3 for references.bib: read, parse and check the entries."""
    source, problems = load_bibliography(path, shown)
    bibliography = parse_bibliography(source)
    problems += bibliography.problems
    problems += placeholders_in_bibliography(source, bibliography.references)
    return FileResult(tuple(problems), bibliography)


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


MIN_FILES_TO_FORK = 40
"""Below this many articles, a second process costs more than it saves."""


def check(paths: ProjectPaths, memo: CheckMemo | None = None, *, fork: bool = False) -> CheckResult:
    """Load and validate all data; collect every problem rather than stopping at the first.

    ``memo``: results of earlier builds to reuse (`mkdocs serve` keeps one); the result is the
    same with or without it. ``fork``: read a large knowledge base's articles in this process and
    a child at once (``forked_map``); only where no other thread runs. The same result either way.
    """
    memo = memo or CheckMemo()
    memo.start()
    with collector_paused():
        return _check(paths, memo, fork)


def _read_articles_at_once(files: DataFiles, fork: bool) -> dict[Path, FileResult[Biomarker]]:
    """Return the articles' results computed by two processes, or nothing (read one by one)."""
    if not fork or len(files.biomarkers) < MIN_FILES_TO_FORK:
        return {}
    results = forked_map(
        lambda path: _biomarker_file(path, files.shown(path)), files.biomarkers, CHILD_SHARE
    )
    return dict(zip(files.biomarkers, results, strict=True))


def _check(paths: ProjectPaths, memo: CheckMemo, fork: bool) -> CheckResult:
    # 1-3 per file: load (unreadable files become problems, not exceptions), validate shapes
    # against the JSON Schemas editors also use, model as typed records. Each file's result is
    # kept while its bytes stay the same, so an edit reads one file again, not all of them.
    files = find_data_files(paths.data_dir, paths.root)
    problems = list(files.problems)
    first_build = not memo.has_files  # later builds re-read only the files that changed

    def per_file(path: Path, compute: Callable[[Path, str], FileResult[R]]) -> R | None:
        result = memo.file(path, lambda: compute(path, files.shown(path)))
        problems.extend(result.problems)
        return result.records

    specimens = per_file(
        files.specimens,
        lambda p, shown: _vocabulary_file(p, shown, "specimens", assemble_specimens),
    )
    conditions = per_file(
        files.conditions,
        lambda p, shown: _vocabulary_file(p, shown, "conditions", assemble_conditions),
    )
    bibliography = per_file(files.bibliography, _bibliography_file)
    assert bibliography is not None, "bug: the bibliography always parses, if to nothing"
    read_at_once = _read_articles_at_once(files, fork and first_build)

    def article(path: Path, shown: str) -> FileResult[Biomarker]:
        return read_at_once.pop(path, None) or _biomarker_file(path, shown)

    loaded = [per_file(path, article) for path in files.biomarkers]
    biomarkers = [b for b in loaded if b is not None]
    memo.keep_only(
        [files.specimens, files.conditions, files.bibliography, *files.biomarkers],
        (b.id for b in biomarkers),
    )
    problems += check_vocabulary_ids(conditions or [], specimens or [])
    kb = KnowledgeBase(
        biomarkers=tuple(sorted(biomarkers, key=lambda b: b.id)),
        conditions={c.id: c for c in conditions or []},
        specimens={s.id: s for s in specimens or []},
        references=bibliography.references,
        claims={c.id: c for b in biomarkers for c in b.claims},
    )
    # 4. Cross-check references between records; skip checks whose other side failed above,
    # so one mistake is reported once, not again by everything that refers to it.
    scope = CheckScope(
        conditions_known=conditions is not None,
        specimens_known=specimens is not None,
        all_biomarkers_loaded=len(biomarkers) == len(loaded),
        broken_keys=bibliography.broken_keys,
    )
    problems += check_shared_references(kb, scope)
    # 5. Per article: its references, clinical consistency (units, printed equivalences,
    # contradictions) and primary sources. They depend on the article and on the vocabularies
    # only, so they are kept while both stay the same.
    related = related_conditions(kb.conditions)
    context = memo.same_context((kb.references, kb.conditions, kb.specimens, scope, related))

    def per_biomarker(biomarker: Biomarker) -> list[Problem]:
        return [
            *check_biomarker_references(biomarker, kb, scope),
            *check_biomarker_consistency(biomarker, related),
            *primary_source_warnings(biomarker),
        ]

    for biomarker in kb.biomarkers:
        problems += memo.biomarker_problems(biomarker, context, per_biomarker)
    sources = {b.id: b.location.path for b in biomarkers}
    result_problems = tuple(sort_problems(problems))
    has_errors = any(p.severity is Severity.ERROR for p in result_problems)
    return CheckResult(None if has_errors else kb, result_problems, sources)


def render_pages(result: CheckResult, renderer: SiteRenderer) -> list[RenderedPage]:
    """Render a checked knowledge base (4. Render); calling it with errors is a bug."""
    assert result.kb is not None, "bug: rendering was asked for data that has errors"
    with collector_paused():
        return renderer.render_site(result.kb, result.sources)


def iter_changed_pages(result: CheckResult, renderer: SiteRenderer) -> Iterator[RenderedPage]:
    """Render the pages made from anything else than at the renderer's last call (all, at first).

    `mkdocs serve` keeps one renderer: an edit renders only the pages it changed.
    """
    assert result.kb is not None, "bug: rendering was asked for data that has errors"
    with collector_paused():
        yield from renderer.changed_pages(result.kb, result.sources)


def iter_pages(result: CheckResult, renderer: SiteRenderer) -> Iterator[RenderedPage]:
    """Render a checked knowledge base page by page, for callers that store each page at once.

    Holding every page's Markdown was the largest part of the build's peak memory (N=1000: 165
    MB of Markdown next to MkDocs' own HTML).
    """
    assert result.kb is not None, "bug: rendering was asked for data that has errors"
    with collector_paused():
        yield from renderer.iter_site(result.kb, result.sources)
