"""Problems found in user data, and the one format every message is printed in.

Input: a location and a message. Output: ``path:line:column: message`` lines.
User mistakes are Problems (data); bugs in this package are ordinary exceptions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True, order=True)
class Location:
    """Where something was written: a path relative to the project, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.column <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


class Severity(Enum):
    """An error blocks the build; a warning blocks it only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, said where it is and how to fix it."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.location}: {prefix}{self.message}"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Return the problems in file, line, column order, without repeats."""
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda p: (p.location, p.severity.value, p.message))


def quoted(identifier: str) -> str:
    r"""Return an id or key quoted for a message, anything but printable ASCII escaped.

    A look-alike letter then shows as what it is: Cyrillic ``рagana2022`` is printed as
    ``'\u0440agana2022'``, next to the ``'pagana2022'`` it imitates. Ids and keys are ASCII by
    rule, so a real one is shown as written.
    """
    return ascii(identifier)


def differs_only_in_case(what: str, later: str, first: str, where: str) -> str:
    """Return the message for an id or key that differs from an earlier one only in case."""
    return (
        f"{what} {quoted(later)} differs only in letter case from {quoted(first)} ({where});"
        " rename one of them"
    )


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest candidate, or an empty string."""
    ordered = sorted(candidates)
    # Letter case first: difflib sees SMITH2020 and smith2020 as far apart.
    same_letters = [c for c in ordered if c.casefold() == word.casefold() and c != word]
    # 0.75: close enough for typos (pagana2021 → pagana2022), not for other words
    # (raised → decreased would mislead).
    matches = same_letters or difflib.get_close_matches(word, ordered, n=1, cutoff=0.75)
    return f"; did you mean {quoted(matches[0])}?" if matches else ""


class KbError(Exception):
    """The data cannot be built; carries every problem found, already sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """Return all problems, one per line, then the counts of errors and warnings."""
        lines = [str(p) for p in self.problems]
        errors = sum(p.severity is Severity.ERROR for p in self.problems)
        warnings = len(self.problems) - errors
        lines.append(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} found")
        return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
