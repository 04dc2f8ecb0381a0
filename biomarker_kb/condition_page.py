"""Render stage, condition pages: ``ConditionView`` groupings → page views, and their index.

Input: the knowledge base's condition groupings (``browse.build_condition_views``) and the
build's ``PageKit``. Output: a ``ConditionPage`` per condition — its vocabulary entry, every
claim about it from every article standing alone with its own footnotes — and the
``ConditionsIndex``. Everything escaped. Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb import urls
from biomarker_kb.browse import conditions_by_kind, main_condition
from biomarker_kb.escape import md_inline
from biomarker_kb.footnotes import PageFootnotes
from biomarker_kb.labels import CODE_LABELS, KIND_LABELS, in_sentence

if TYPE_CHECKING:
    from collections.abc import Mapping

    from biomarker_kb.browse import ConditionView
    from biomarker_kb.claim_rows import ClaimRow, ContestedView
    from biomarker_kb.footnotes import FootnoteView
    from biomarker_kb.model import Condition
    from biomarker_kb.page_kit import PageKit


@dataclass(frozen=True)
class ConditionPage:
    """Everything a condition's page shows, escaped."""

    name: str
    name_in_sentence: str
    """The name as it reads inside a sentence: "kidney disease", "HIV infection"."""
    meta: str
    broader: str
    narrower: str
    codes: tuple[tuple[str, str], ...]
    editor_note: str
    associations: tuple[ClaimRow, ...]
    patterns: tuple[ClaimRow, ...]
    mentions: tuple[ClaimRow, ...]
    in_population: tuple[ClaimRow, ...]
    """Claims about other conditions, made in people who have this one."""
    from_narrower: tuple[ClaimRow, ...]
    contested: tuple[ContestedView, ...]
    footnotes: tuple[FootnoteView, ...]


def _links(conditions: tuple[Condition, ...]) -> str:
    return ", ".join(f"[{md_inline(c.name)}]({c.id}.md)" for c in conditions)


def condition_page(view: ConditionView, kit: PageKit) -> ConditionPage:
    """Return the view of one condition's page; sources are numbered in the order shown."""
    condition = view.condition
    notes = PageFootnotes(kit.reference_texts, urls.condition(condition.id))
    rows = kit.standalone.rows
    meta = [KIND_LABELS[condition.kind]]
    if condition.category:
        meta.append(md_inline(condition.category))
    if condition.synonyms:
        meta.append("Also known as " + ", ".join(md_inline(s) for s in condition.synonyms))
    associations = rows(((None, ref) for ref in view.associations), notes)
    patterns = rows(((None, ref) for ref in view.patterns), notes)
    mentions = rows(((None, ref) for ref in view.mentions), notes)
    in_population = rows(((main_condition(ref.claim), ref) for ref in view.in_population), notes)
    from_narrower = rows(((member.id, ref) for member, ref in view.from_narrower), notes)
    shown = [
        ref.claim.id
        for ref in view.associations + view.patterns + view.mentions + view.in_population
    ]
    return ConditionPage(
        name=md_inline(condition.name),
        name_in_sentence=md_inline(in_sentence(condition.name)),
        meta=" · ".join(meta),
        broader=_links(view.broader),
        narrower=_links(view.narrower),
        codes=tuple((md_inline(CODE_LABELS[s]), md_inline(code)) for s, code in condition.codes),
        editor_note=md_inline(condition.editor_note or ""),
        associations=associations,
        patterns=patterns,
        mentions=mentions,
        in_population=in_population,
        from_narrower=from_narrower,
        contested=kit.standalone.contested(shown, notes),
        footnotes=notes.footnotes(),
    )


@dataclass(frozen=True)
class ConditionsIndex:
    """The conditions, one table per kind, in category then name order."""

    total: int
    groups: tuple[tuple[str, int, tuple[tuple[str, str, str, str], ...]], ...]
    """(kind title, count, rows of (link, category, synonyms, claim count)) in a fixed order."""


def conditions_index(views: Mapping[str, ConditionView]) -> ConditionsIndex:
    """Return the view of the conditions index page."""
    groups = tuple(
        (
            title,
            count,
            tuple(
                (
                    f"[{md_inline(v.condition.name)}]({v.condition.id}.md)",
                    md_inline(category),
                    ", ".join(md_inline(s) for s in v.condition.synonyms),
                    str(v.claim_count),
                )
                for category, members in categories
                for v in members
            ),
        )
        for title, count, categories in conditions_by_kind(views)
    )
    return ConditionsIndex(len(views), groups)
