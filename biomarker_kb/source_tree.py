"""Located YAML trees: the ``SourceMap``/``SourceList`` values the load stage hands on.

Input: positions recorded by ``strict_yaml`` while it builds a tree. Output: mappings and lists
that answer where each key, value and item was written. Positions become ``Location``s only
when asked for: a valid file asks for few of its million positions, and making them all was a
third of loading.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from biomarker_kb.problems import Location

if TYPE_CHECKING:
    from collections.abc import Callable


class Mark(Protocol):
    """A parser position, 0-based (PyYAML's ``Mark`` and libyaml's have the same fields)."""

    line: int
    column: int


def mark_location(path: str, mark: Mark) -> Location:
    """Return the 1-based ``Location`` of a parser mark."""
    return Location(path, mark.line + 1, mark.column + 1)


# Values and list items, whose positions the checked records keep, have them as a mark's
# 0-based line and column packed into one int, ``line << COLUMN_BITS | column``. Why not the
# marks: the garbage collector walks every mark object the records keep (half a million,
# 0.15 s after each check), but never an int.
COLUMN_BITS = 32
_COLUMN_MASK = (1 << COLUMN_BITS) - 1


def location_at(path: str, position: int) -> Location:
    """Return the 1-based ``Location`` of a packed position."""
    return Location(path, (position >> COLUMN_BITS) + 1, (position & _COLUMN_MASK) + 1)


V = TypeVar("V")


class LazyLocations(Mapping[str, V]):
    """A read-only mapping of names to locations, made from positions each time one is read."""

    __slots__ = ("_convert", "_path", "_positions")

    def __init__(self, path: str, positions: Mapping[str, Any], convert: Callable[[str, Any], V]):
        self._path = path
        self._positions = positions
        self._convert = convert

    def __getitem__(self, key: str) -> V:
        return self._convert(self._path, self._positions[key])

    def get(self, key: str, default: Any = None) -> Any:
        """Return the location of ``key``, or ``default`` (faster than ``Mapping.get``)."""
        found = self._positions.get(key)
        return default if found is None else self._convert(self._path, found)

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def _locations_at(path: str, positions: list[int]) -> tuple[Location, ...]:
    return tuple(location_at(path, at) for at in positions)


_NO_ITEMS: Mapping[str, tuple[Location, ...]] = LazyLocations("", {}, _locations_at)


class SourceMap(dict[str, Any]):
    """A YAML mapping that knows where it, each key and each value were written."""

    __slots__ = ("key_marks", "list_positions", "mark", "path", "raw_text", "value_positions")

    def __init__(self, path: str, mark: Mark) -> None:  # starts empty: no dict.__init__ needed
        self.path = path
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.value_positions: dict[str, int] = {}
        self.list_positions: dict[str, list[int]] = {}
        """The item positions of each list-valued field."""
        self.raw_text: dict[str, str] = {}
        """Scalars read as something other than their text, as typed: ``3.10`` reads as 3.1."""

    @property
    def location(self) -> Location:
        """Return where the mapping starts."""
        return mark_location(self.path, self.mark)

    @property
    def key_locations(self) -> Mapping[str, Location]:
        """Return where each key was written."""
        return LazyLocations(self.path, self.key_marks, mark_location)

    @property
    def value_locations(self) -> Mapping[str, Location]:
        """Return where each value starts."""
        return LazyLocations(self.path, self.value_positions, location_at)

    @property
    def list_item_locations(self) -> Mapping[str, tuple[Location, ...]]:
        """Return where each item of each list-valued field was written."""
        if not self.list_positions:  # most claims: one shared empty mapping, not 90,000
            return _NO_ITEMS
        return LazyLocations(self.path, self.list_positions, _locations_at)

    def key_location(self, key: str) -> Location:
        """Return where ``key`` was written, or where the mapping starts if it is absent."""
        mark = self.key_marks.get(key)
        return self.location if mark is None else mark_location(self.path, mark)

    def value_location(self, key: str) -> Location:
        """Return where the value of ``key`` starts, or where the mapping starts."""
        at = self.value_positions.get(key)
        return self.location if at is None else location_at(self.path, at)


class SourceList(list[Any]):
    """A YAML sequence that knows where it and each item were written."""

    __slots__ = ("item_positions", "mark", "path")

    def __init__(self, path: str, mark: Mark) -> None:  # starts empty: no list.__init__ needed
        self.path = path
        self.mark = mark
        self.item_positions: list[int] = []

    @property
    def location(self) -> Location:
        """Return where the sequence starts."""
        return mark_location(self.path, self.mark)

    @property
    def item_locations(self) -> list[Location]:
        """Return where each item starts."""
        return list(_locations_at(self.path, self.item_positions))
