"""Render stage, specimen pages: ``SpecimenView`` groupings → page views, and their index.

Input: the knowledge base's specimen groupings (``browse.build_specimen_views``) and the build's
``PageKit``. Output: a ``SpecimenPage`` per specimen — tests, every biomarker's ranges compared,
what changes levels (compact links to the claims, not footnoted rows: one widely cited source
would otherwise be cited thousands of times on one page), patterns and mentions — and the
``SpecimensIndex``. Everything escaped. Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb import urls
from biomarker_kb.browse import group_by_biomarker, main_condition
from biomarker_kb.citation_style import short_citation
from biomarker_kb.escape import md_inline
from biomarker_kb.footnotes import PageFootnotes
from biomarker_kb.labels import change_label, in_sentence
from biomarker_kb.model import Association

if TYPE_CHECKING:
    from collections.abc import Sequence

    from biomarker_kb.browse import SpecimenView
    from biomarker_kb.claim_rows import ClaimRow, ContestedView
    from biomarker_kb.footnotes import FootnoteView
    from biomarker_kb.model import Biomarker, KnowledgeBase
    from biomarker_kb.page_kit import PageKit
    from biomarker_kb.range_view import ComparisonView


@dataclass(frozen=True)
class ChangeGroup:
    """Conditions that change levels the same way, on the word of the same sources."""

    label: str
    """The change, e.g. "Increased (prognosis)"."""
    sources: str
    """Their sources' short names, each linked to the bibliography."""
    links: str
    """Comma-separated links to the claims in the article."""


@dataclass(frozen=True)
class ChangesView:
    """What changes one biomarker's levels in the specimen, grouped by change and source."""

    heading: str
    groups: tuple[ChangeGroup, ...]


@dataclass(frozen=True)
class SpecimenPage:
    """Everything a specimen's page shows, escaped."""

    name: str
    meta: str
    biomarkers: str
    tests: tuple[tuple[str, str, str], ...]
    comparisons: tuple[ComparisonView, ...]
    changes: tuple[ChangesView, ...]
    patterns: tuple[ClaimRow, ...]
    mentions: tuple[ClaimRow, ...]
    contested: tuple[ContestedView, ...]
    footnotes: tuple[FootnoteView, ...]


def _biomarker_link(biomarker: Biomarker) -> str:
    return f"[{md_inline(biomarker.name)}]({urls.link(urls.LEAF_PAGE, urls.article(biomarker.id))})"


def _changes(view: SpecimenView, kb: KnowledgeBase) -> tuple[ChangesView, ...]:
    specimen = md_inline(view.specimen.name)
    sources = _SourceLabels(kb)
    found = []
    for biomarker, refs in group_by_biomarker(view.associations):
        # One line per kind of change and set of sources: "Increased — Pagana 2022: A, B".
        groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        for ref in refs:
            claim = ref.claim
            assert isinstance(claim, Association), "bug: a non-association among associations"
            target = urls.link(
                urls.LEAF_PAGE, urls.article(biomarker.id), urls.claim_anchor(claim.id)
            )
            name = kb.conditions[claim.condition].name
            if claim.population:  # the population is part of what the source says
                name += f" (in people with {in_sentence(kb.conditions[claim.population].name)})"
            key = (md_inline(change_label(claim)), claim.citation_keys)
            groups.setdefault(key, []).append(f"[{md_inline(name)}]({target})")
        found.append(
            ChangesView(
                f"{md_inline(biomarker.name)} in {specimen}",
                tuple(
                    ChangeGroup(label, sources(keys), ", ".join(links))
                    for (label, keys), links in groups.items()
                ),
            )
        )
    return tuple(found)


class _SourceLabels:
    """Short source names linked to the bibliography, made once per key for the page."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._made: dict[str, str] = {}

    def __call__(self, keys: tuple[str, ...]) -> str:
        return ", ".join(self._label(key) for key in keys)

    def _label(self, key: str) -> str:
        found = self._made.get(key)
        if found is None:
            name = md_inline(short_citation(self._kb.references[key]))
            target = urls.link(urls.LEAF_PAGE, urls.REFERENCES, urls.reference_anchor(key))
            found = self._made[key] = f"[{name}]({target})"
        return found


def specimen_page(view: SpecimenView, kb: KnowledgeBase, kit: PageKit) -> SpecimenPage:
    """Return the view of one specimen's page; sources are numbered in the order shown."""
    specimen = view.specimen
    notes = PageFootnotes(kit.reference_texts, urls.specimen(specimen.id))
    meta = "Specimen" + (
        " · Also known as " + ", ".join(md_inline(s) for s in specimen.synonyms)
        if specimen.synonyms
        else ""
    )
    comparisons: list[ComparisonView] = []
    for biomarker, _ in group_by_biomarker(view.ranges):
        comparisons += kit.ranges.views(biomarker, notes, specimen=specimen.id)
    patterns = kit.standalone.rows(
        ((main_condition(ref.claim), ref) for ref in view.patterns), notes
    )
    mentions = kit.standalone.rows(((None, ref) for ref in view.mentions), notes)
    shown = [
        ref.claim.id for ref in view.ranges + view.associations + view.patterns + view.mentions
    ]
    return SpecimenPage(
        name=md_inline(specimen.name),
        meta=meta,
        biomarkers=", ".join(_biomarker_link(b) for b in view.biomarkers),
        tests=tuple(
            (
                _biomarker_link(b),
                md_inline(t.loinc or "Not verified"),
                md_inline(t.loinc_name or ""),
            )
            for b, t in view.tests
        ),
        comparisons=tuple(comparisons),
        changes=_changes(view, kb),
        patterns=patterns,
        mentions=mentions,
        contested=kit.standalone.contested(shown, notes),
        footnotes=notes.footnotes(),
    )


@dataclass(frozen=True)
class SpecimenEntry:
    """A specimen in the index, with its counts."""

    link: str
    synonyms: str
    biomarkers: int
    ranges: int
    changes: int

    @property
    def cells(self) -> tuple[str, str, str, str, str]:
        """Return its row of the specimens index."""
        return (
            self.link,
            self.synonyms,
            str(self.biomarkers),
            str(self.ranges),
            str(self.changes),
        )


def specimens_index(views: Sequence[SpecimenView]) -> tuple[SpecimenEntry, ...]:
    """Return the rows of the specimens index, in the order given."""
    return tuple(
        SpecimenEntry(
            f"[{md_inline(v.specimen.name)}]({v.specimen.id}.md)",
            ", ".join(md_inline(s) for s in v.specimen.synonyms),
            len(v.biomarkers),
            len(v.ranges),
            len(v.associations) + len(v.patterns),
        )
        for v in views
    )
