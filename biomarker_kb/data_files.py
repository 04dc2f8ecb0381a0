"""Load stage, part 0: which files of ``data/`` are read, and what every other file there is.

Input: the data directory. Output: the biomarker files to read, in name order, plus Problems:
an error for each file of ``data/biomarkers/`` that is not ``<id>.yaml`` (none is skipped in
silence), and a warning naming each file an editor or the system leaves beside the data (lock,
swap and backup files), which is not read. Reads directory listings only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from biomarker_kb.problems import Location, Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

FOLDER = "data/biomarkers/"

# Files an editor or the system makes beside the one being edited: (name pattern, what it is,
# what to do). They are reported, as what they are, in a warning: an editor's lock or swap
# file stands there while the file is open, so an error would stop every check meanwhile.
_LEFT_BY_TOOLS = [
    (
        re.compile(r"\.#(?P<of>.+)"),
        "an Emacs lock file",
        "save {of} in Emacs, where it has unsaved changes, and the lock file goes away",
    ),
    (
        re.compile(r"#(?P<of>.+)#"),
        "an Emacs auto-save file",
        "save {of} in Emacs, where it has unsaved changes, and this file goes away",
    ),
    (
        re.compile(r"\.(?P<of>.+)\.sw[a-p]"),
        "a Vim swap file",
        "close {of} in Vim, where it is open (after a crash, recover it with vim -r {of}),"
        " then delete this file if it stays",
    ),
    (
        re.compile(r"(?P<of>.+)(?:~|\.bak|\.orig)"),
        "a backup copy",
        "an editor or a merge tool made this copy of {of}: delete it once you no longer need it",
    ),
    (
        re.compile(r"\._(?P<of>.+)|\.DS_Store|Thumbs\.db|desktop\.ini"),
        "a file the operating system made",
        "macOS or Windows keeps details about the folder in it: delete it",
    ),
]


def biomarker_files(folder: Path, shown: Callable[[Path], str]) -> tuple[list[Path], list[Problem]]:
    """Return the ``<id>.yaml`` files of ``folder`` to read, and a problem for any other entry."""
    if not folder.exists():
        return [], []
    if not folder.is_dir():
        message = f"{FOLDER} should be a folder, holding one <id>.yaml file per biomarker"
        return [], [Problem(Location(shown(folder)), f"{message}; make it one")]
    paths: list[Path] = []
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        problem = _not_a_biomarker_file(path, shown(path))
        if problem is None:
            paths.append(path)
        else:
            problems.append(problem)
    return paths, problems


def _not_a_biomarker_file(path: Path, shown: str) -> Problem | None:
    """Return why ``path`` is not read as a biomarker file, or None when it is one."""
    name = path.name
    for pattern, what, fix in _LEFT_BY_TOOLS:
        match = pattern.fullmatch(name)
        if match:
            message = f"{what} (got {name!r}) is not read; {fix.format(of=match['of'] or name)}"
            return Problem(Location(shown), message, Severity.WARNING)
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension == "yaml":
        return None if path.is_file() else not_a_file(path, shown, f"move it out of {FOLDER}")
    if dot and stem and extension.lower() in {"yaml", "yml"}:
        message = f"a biomarker file name must end in .yaml (got {name!r}); rename it {stem}.yaml"
        return Problem(Location(shown), message)
    kind = "folder" if path.is_dir() else "file"
    message = (
        f"only biomarker files named <id>.yaml belong in {FOLDER} (got the {kind} {name!r});"
        f" move it out of {FOLDER}, or rename it <id>.yaml if it is one"
    )
    return Problem(Location(shown), message)


def not_a_file(path: Path, shown: str, folder_fix: str) -> Problem:
    """Explain a data file's name that is not a readable file (a folder, a broken link)."""
    if path.is_dir():
        message = f"a folder stands where a data file should (got {path.name!r}); {folder_fix}"
    elif path.is_symlink():
        message = "the file is a link to a file that does not exist; replace it with the file"
    else:
        message = "not a regular file (a pipe or a device?); replace it with a text file"
    return Problem(Location(shown), message)


def missing_file(path: Path, shown: str) -> Problem:
    """Report a required data file as missing, naming a look-alike that is there instead."""
    name = path.name
    if path.exists() or path.is_symlink():
        return not_a_file(path, shown, f"replace it with the file {name}")
    stem = name.rpartition(".")[0].lower()
    wanted = {name.lower(), f"{stem}.yml"} if name.endswith(".yaml") else {name.lower()}
    siblings = sorted(path.parent.iterdir()) if path.parent.is_dir() else []
    for sibling in siblings:
        if sibling.name.lower() in wanted and sibling.name != name:
            return Problem(Location(shown), f"file is missing; rename {sibling.name!r} to {name}")
    return Problem(Location(shown), "file is missing; create it")
