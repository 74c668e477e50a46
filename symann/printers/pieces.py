"""The small pieces every dialect of the printer shares: a subscript's indices, whether a
fraction has a decimal text, and a step's operands looked up fast."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache

from ..numbers import Shown
from ..quantities import Ref


@lru_cache(maxsize=1024)
def terminates(denominator: int) -> bool:
    """Whether a fraction with this (positive) denominator has a finite decimal text: the
    denominator has no prime factors but 2 and 5 (``decimal_text`` is not None)."""
    denominator >>= (denominator & -denominator).bit_length() - 1
    while denominator % 5 == 0:
        denominator //= 5
    return denominator == 1


def subscript(values: tuple[int | str, ...]) -> str:
    """:func:`symann.notation.indices` (``12`` for (1, 2), ``1,12`` once one passes 9, ``1k``
    with a summation's index), in fewer steps: it is written for every weight."""
    if len(values) == 1:
        return str(values[0])
    wide = any(not isinstance(v, str) and v > 9 for v in values)
    return ("," if wide else "").join(map(str, values))


#: the index of a weighted sum written with ``\sum`` (``RenderSettings.sum``)
INDEX = "k"


class Operands(Mapping[Ref, Shown]):
    """A step's operands by quantity, looked up first by identity: the formula of a step
    holds the very :class:`Ref` objects of its operands, and a dataclass's hash is slow
    when a layer has 100 000 of them. Any other equal ``Ref`` is found by equality."""

    def __init__(self, operands: tuple[tuple[Ref, Shown], ...]) -> None:
        self.operands = operands
        self.by_id = {id(ref): shown for ref, shown in operands}
        self.by_value: dict[Ref, Shown] | None = None

    def __getitem__(self, ref: Ref) -> Shown:
        shown = self.by_id.get(id(ref))
        if shown is not None:
            return shown
        if self.by_value is None:
            self.by_value = dict(self.operands)
        return self.by_value[ref]

    def __iter__(self) -> Iterator[Ref]:
        return (ref for ref, _ in self.operands)

    def __len__(self) -> int:
        return len(self.operands)
