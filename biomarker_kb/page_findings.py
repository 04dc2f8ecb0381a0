"""Say what the scan of a page's HTML found, as messages that name the page and the fix.

Input: a page's path in the site (``src_uri``), what the scan found in its HTML (``Findings``),
and where the page comes from: the data file of a generated page, or the docs-dir path and the
Markdown of a hand-written one. Output: one message per kind of unsafe markup and per footnote
mark left without a definition. A generated page's findings are bugs (the templates never write
them); a hand-written page's are the author's to fix, at the line the mark is on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageOrigin:
    """Where a built page comes from, for its messages."""

    src_uri: str
    data_source: str | None
    """The data file a generated page is made from; None for a hand-written page."""
    docs_path: str
    """The page as its author finds it, e.g. ``content/about.md``."""
    markdown: str
    """A hand-written page's Markdown, for the line of a mark (empty if let go of)."""


def findings_messages(
    origin: PageOrigin, unsafe_markup: tuple[str, ...], unresolved_footnotes: tuple[str, ...]
) -> list[str]:
    """Return a message for each kind of unsafe markup and each unresolved footnote mark."""
    hint = _unsafe_markup_hint(origin)
    messages = [
        f"{origin.src_uri}: page content contains {finding}; {hint}"
        for finding in dict.fromkeys(unsafe_markup)
    ]
    messages += [_footnote_problem(origin, mark) for mark in unresolved_footnotes]
    return messages


def _unsafe_markup_hint(origin: PageOrigin) -> str:
    """Say where the markup came from: a generated page's data file, or a hand-written page."""
    if origin.data_source is None:
        return f"remove it from {origin.docs_path}: pages may not contain it"
    return (
        f"the templates never write this, so text from {origin.data_source} reached the page"
        " unescaped (or a template was changed); this is a bug, report it to the developers"
    )


def _footnote_problem(origin: PageOrigin, mark: str) -> str:
    """Say where a footnote mark without a definition is, and how to fix it."""
    if origin.data_source is not None:
        return (
            f"{origin.src_uri}: the page shows the footnote mark {mark} literally;"
            f" text from {origin.data_source} reached it unescaped, or a template wrote it;"
            " this is a bug, report it to the developers"
        )
    lines = origin.markdown.splitlines()
    line = next((n for n, text in enumerate(lines, 1) if mark in text), None)
    where = origin.docs_path + (f":{line}" if line else "")
    return (
        f"{where}: footnote {mark} has no definition; add a line '{mark}: <the source>'"
        " to the page, or remove the mark"
    )
