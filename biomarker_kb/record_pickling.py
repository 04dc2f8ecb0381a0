"""Pickle frozen, slotted dataclasses by their fields' values in order, quickly.

Input: a dataclass (``frozen=True, slots=True``). Output: the same class, whose instances pickle
as a tuple of their fields' values. Why: the forked check (``forked_map``) sends a child's
records back pickled, and the ``__getstate__``/``__setstate__`` that ``dataclasses`` gives such
classes call ``fields()`` for every instance: at N=1000 the child's 110,000 records took 0.72 s
to pickle and 0.44 s to unpickle, against 0.51 s and 0.31 s this way. Equal records either way.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_by_fields(cls: type[T]) -> type[T]:
    """Give ``cls`` a ``__getstate__``/``__setstate__`` over its fields' values."""
    names = tuple(field.name for field in dataclasses.fields(cls))  # type: ignore[arg-type]
    values_of = operator.attrgetter(*names)  # one name: the value itself, not a tuple
    set_field = object.__setattr__  # the class is frozen: its own __setattr__ refuses

    def __getstate__(self: T) -> tuple[Any, ...]:  # noqa: N807 - the pickle protocol's name
        values = values_of(self)
        return values if len(names) > 1 else (values,)

    def __setstate__(self: T, state: tuple[Any, ...]) -> None:  # noqa: N807
        for name, value in zip(names, state, strict=True):
            set_field(self, name, value)

    setattr(cls, "__getstate__", __getstate__)  # noqa: B010 - a method of the class, set
    setattr(cls, "__setstate__", __setstate__)  # noqa: B010
    return cls
