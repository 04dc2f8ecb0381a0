"""Keep generated, compiled code between runs, in the user's cache directory.

Input: the text a piece of code is generated from (its key) and a function that generates and
compiles it. Output: the same code object either way: from the cache when an earlier run of the
same Python stored it for the same key, otherwise made now and stored for the next run. Why:
generating and compiling the schemas' validators took 0.11 s of every build and every `make
check` (a twentieth of a build's own work at N = 100 biomarkers), for code that changes only
when a schema or fastjsonschema does. Like Python's own ``__pycache__``, a missing, unreadable,
unwritable or damaged cache only costs the time it was meant to save.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from collections.abc import Callable

CACHE_DIR_VARIABLE = "BIOMARKER_KB_CACHE_DIR"
"""Where the cache lives, when set (tests give each run its own); else the user's cache folder."""

CompiledEntry = tuple[str, CodeType]
"""A generated module's code and the name of the function to call in it."""


def cache_dir() -> Path:
    """Return the folder the compiled code is kept in."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(chosen) if chosen else Path(platformdirs.user_cache_dir("biomarker-kb"))


def cached_entry(key: str, make: Callable[[], CompiledEntry]) -> CompiledEntry:
    """Return ``make()``'s result, kept from an earlier run under the same key if there is one.

    The key is the whole text the code is made from (schema, generator version, rewrites): any
    change to it is a different file. Python's bytecode magic number is part of it, because
    compiled code only loads into the Python version that wrote it.
    """
    digest = hashlib.sha256(MAGIC_NUMBER + key.encode("utf-8")).hexdigest()
    path = cache_dir() / f"validator-{digest}.marshal"
    kept = _read(path)
    if kept is not None:
        return kept
    entry = make()
    _write(path, entry)
    return entry


def _read(path: Path) -> CompiledEntry | None:
    """Return the entry kept at ``path``, or None if there is none or it is not whole."""
    # marshal raises EOFError, ValueError or TypeError on a truncated or foreign file.
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        kept = marshal.loads(path.read_bytes())  # noqa: S302 - written by _write, as .pyc files are
        if (
            isinstance(kept, tuple)
            and len(kept) == 2  # noqa: PLR2004 - (name, code)
            and isinstance(kept[0], str)
            and isinstance(kept[1], CodeType)
        ):
            return kept[0], kept[1]
    return None


def _write(path: Path, entry: CompiledEntry) -> None:
    """Store ``entry`` at ``path`` whole or not at all; a cache that cannot be written is left."""
    # Written beside its final name, then renamed: a build reading it at the same time (or a
    # forked child writing the same entry) sees the old file or the whole new one, never part.
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(marshal.dumps(entry))
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
