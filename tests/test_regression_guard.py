"""Regression guard, not a timed test: count the expensive operations of one check + render.

On synthetic knowledge bases of two sizes, YAML parses, template compilations and renders,
reference formattings and unit parses are counted by wrapping the functions that do them. Each
count must follow the size of the input (data files, templates, pages, distinct references,
distinct units), so an accidental quadratic shows up here as a wrong number, not a slow build.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
import pytest
import yaml

from biomarker_kb import citation_style, units
from biomarker_kb.pipeline import ProjectPaths, check, render_pages
from biomarker_kb.render import SiteRenderer
from tests.helpers import PROJECT_ROOT
from tools.synthetic import write_knowledge_base

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from types import ModuleType

    from biomarker_kb.model import KnowledgeBase

SIZES = [5, 20]
"""Two sizes: a count that grows faster than its input cannot match both."""
FORMATTINGS_PER_REFERENCE = 2
"""A reference may be formatted for footnotes and for the bibliography page; N plays no part.

Uncached (once per footnote list of every page citing it), N=5 formatted 304 times for 11
references and N=20 1,619 times for 41; cached, each is formatted once.
"""


@dataclass(frozen=True)
class Counts:
    """What one ``check`` + ``render_pages`` did, and the sizes to hold it against."""

    yaml_parses: Counter[str]
    """Documents constructed, per file (the loader's ``path``; ``?`` if it has none)."""
    compilations: int
    renders: int
    formattings: int
    unit_parses: int
    data_files: list[str]
    templates: int
    pages: int
    kb: KnowledgeBase


def _count_calls(
    patch: pytest.MonkeyPatch, owner: object, name: str, key: Callable[..., str]
) -> Counter[str]:
    """Wrap ``owner.name`` so that every call is counted under ``key(*args)``."""
    counts: Counter[str] = Counter()
    original = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        counts[key(*args)] += 1
        return original(*args, **kwargs)

    patch.setattr(owner, name, counting)
    return counts


def _count_work(patch: pytest.MonkeyPatch, module: ModuleType, name: str) -> Callable[[], int]:
    """Count real executions of ``module.name``: its cache misses if it is cached, else calls.

    Calls are counted in every package module that imported the function by name, so that a
    cache kept by a caller (formatted references kept per key) is credited too.
    """
    function = getattr(module, name)
    if hasattr(function, "cache_info"):
        function.cache_clear()
        return lambda: int(function.cache_info().misses)
    calls = Counter[str]()

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return function(*args, **kwargs)

    package = [m for m in list(sys.modules.values()) if m.__name__.startswith("biomarker_kb")]
    for imported in package:
        if getattr(imported, name, None) is function:
            patch.setattr(imported, name, counting)
    return calls.total


def _measure(n: int, root: Path) -> Counts:
    """Check and render a synthetic knowledge base of ``n`` biomarkers, counting as it goes."""
    write_knowledge_base(n, root)
    paths = ProjectPaths(root, root / "data", PROJECT_ROOT / "templates")
    with pytest.MonkeyPatch.context() as patch:
        constructor = yaml.constructor.BaseConstructor  # under both the C and the pure loader
        parses = _count_calls(patch, constructor, "get_single_data", _loader_path)
        parses_all = _count_calls(patch, constructor, "get_data", _loader_path)
        compilations = _count_calls(patch, jinja2.Environment, "compile", lambda *_: "compile")
        renders = _count_calls(patch, jinja2.Template, "render", lambda *_: "render")
        formattings = _count_work(patch, citation_style, "format_reference")
        unit_parses = _count_work(patch, units, "parse_unit")
        result = check(paths)
        assert result.kb is not None, [str(p) for p in result.problems]
        pages = render_pages(result, SiteRenderer(paths.templates_dir))
        return Counts(
            yaml_parses=parses + parses_all,
            compilations=compilations.total(),
            renders=renders.total(),
            formattings=formattings(),
            unit_parses=unit_parses(),
            data_files=sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml")),
            templates=len(list(paths.templates_dir.glob("*.j2"))),
            pages=len(pages),
            kb=result.kb,
        )


def _loader_path(loader: object, *_: object) -> str:
    return str(getattr(loader, "path", "?"))


@pytest.fixture(scope="module", params=SIZES, ids=[f"N={n}" for n in SIZES])
def counts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Counts:
    n: int = request.param
    return _measure(n, tmp_path_factory.mktemp(f"synthetic-{n}"))


def test_each_data_file_is_parsed_once(counts: Counts) -> None:
    assert counts.yaml_parses.total() == len(counts.data_files)
    if "?" not in counts.yaml_parses:  # the loader names its file: check which ones, too
        assert counts.yaml_parses == Counter(counts.data_files)


def test_templates_are_compiled_once_in_one_environment(counts: Counts) -> None:
    assert 0 < counts.compilations <= counts.templates


def test_one_template_render_per_page(counts: Counts) -> None:
    assert counts.renders == counts.pages


def test_references_are_formatted_a_bounded_number_of_times(counts: Counts) -> None:
    assert counts.formattings <= FORMATTINGS_PER_REFERENCE * len(counts.kb.references)


def test_each_unit_code_is_parsed_once(counts: Counts) -> None:
    kb = counts.kb
    codes = {t.unit for b in kb.biomarkers for t in b.tests if t.unit is not None}
    for biomarker in kb.biomarkers:
        for claim in biomarker.ranges:
            codes.add(claim.unit)
            if claim.printed_equivalent is not None:
                codes.add(claim.printed_equivalent.unit)
    assert 0 < counts.unit_parses <= len(codes)
