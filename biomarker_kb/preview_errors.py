"""Serve glue: what `mkdocs serve` shows while the data has errors, instead of hanging.

Input: the problems of a failed check. Output: a generated page telling the editor what to fix
(written in place of every generated page, so whichever page the browser asks for shows it) and
a banner for the hand-written pages. Every message is HTML-escaped. Pure; no I/O.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from biomarker_kb.problems import KbError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from biomarker_kb.problems import Problem

TITLE = "The data has problems"


def problem_list(problems: Sequence[Problem]) -> str:
    """Return the report (every problem, then the counts) as an escaped HTML block."""
    report = escape(KbError(problems).report())
    return (
        '<div class="kb-preview-errors" role="alert">'
        f"<p><strong>{TITLE}.</strong> Fix them in <code>data/</code> and save: this page"
        " comes back by itself. Nothing is published while they remain.</p>"
        f"<pre>{report}</pre></div>"
    )


def error_page(problems: Sequence[Problem]) -> bytes:
    """Return the Markdown of the page shown in place of every generated page."""
    return f"---\ntitle: {TITLE}\n---\n\n# {TITLE}\n\n{problem_list(problems)}\n".encode()
