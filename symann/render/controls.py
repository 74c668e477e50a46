"""The author's controls of a worked solution: which steps are shown, which members of
each line, and the lines' equation numbers and labels (:class:`~symann.formats.RenderSettings`
``steps``, ``show``, ``numbered``, ``label_prefix``)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..errors import InputError
from ..formats import SHOWN, RenderSettings
from ..printers.base import Printer
from ..steps import Derivation, Step
from .blocks import Line

#: what a hidden result is written as: the line is a question (``z⁽¹⁾₁ = ?``)
UNKNOWN = "?"
#: what a forward derivation's ids lack
BACKWARD_IDS = (" (the backward pass's steps, L, d2_1, gw2_1_1, ..., need a backward "
                "derivation: solve --backward)")


def chosen(derivation: Derivation, settings: RenderSettings) -> frozenset[str] | None:
    """The ids of the steps :attr:`RenderSettings.steps` chooses (None: every step); an
    id the derivation has no step of is an :class:`~symann.errors.InputError` that says
    which ids there are."""
    if settings.steps is None:
        return None
    ids = [step.id for step in derivation.steps]
    known = frozenset(ids)
    for key in settings.steps:
        if key not in known:
            more = "" if derivation.backward else BACKWARD_IDS
            raise InputError(f"no step {key!r} in this derivation; expected comma-separated "
                             f"step ids: {summary(ids)}{more}", field="steps")
    return frozenset(settings.steps)


def summary(ids: Sequence[str]) -> str:
    """The ids in a few words: each kind of step with its first and last id
    (``z1_1 … z3_5 (15)``), in the order of the derivation."""
    groups: dict[str, list[str]] = {}
    for key in ids:
        groups.setdefault(key.rstrip("0123456789_"), []).append(key)
    return ", ".join(found[0] if len(found) == 1 else f"{found[0]} … {found[-1]} ({len(found)})"
                     for found in groups.values())


def shows(step: Step, wanted: frozenset[str] | None) -> bool:
    """Whether the step is among the chosen (every step when none are)."""
    return wanted is None or step.id in wanted


class Numbering:
    """The equation numbers of a document, given out in order from 1."""

    def __init__(self, settings: RenderSettings) -> None:
        self.on = settings.numbered
        self.prefix = settings.label_prefix
        self.last = 0

    def take(self, count: int) -> int:
        """The first of ``count`` numbers in a row (0 when lines are not numbered)."""
        if not self.on:
            return 0
        first = self.last + 1
        self.last += count
        return first

    def label(self, name: str) -> str:
        """The label of the line called ``name`` (a step id): ``symann:z2_1``."""
        return f"{self.prefix}:{name}"

    def lines(self, lines: Iterable[Line], name: str) -> tuple[Line, ...]:
        """Lines of a layer in matrix form, numbered and labelled ``<name>_<k>`` (``m2_1``)."""
        lines = tuple(lines)
        first = self.take(len(lines))
        if not first:
            return lines
        return tuple(replace(line, number=first + k, label=self.label(f"{name}_{k + 1}"))
                     for k, line in enumerate(lines))


def members(line: Line, kinds: Sequence[str], printer: Printer,
            show: tuple[str, ...]) -> Line:
    """``line`` with only the members ``show`` asks for; ``kinds`` names each member
    between the name and the result (``symbolic``, ``substituted``). Without the result
    the line ends ``= ?``."""
    if show == SHOWN:
        return line
    lhs, *middle, result = line.parts
    breaks = line.breaks or ((),) * len(line.parts)
    kept = [(part, places) for part, places, kind in zip(middle, breaks[1:-1], kinds)
            if kind in show]
    relation = line.relation
    if "result" in show:
        kept.append((result, breaks[-1]))
    else:
        kept.append((printer.decimal(UNKNOWN), ()))
        relation = printer.relation("=")
    parts = (lhs, *(part for part, _ in kept))
    return replace(line, parts=parts, relation=relation,
                   breaks=((), *(places for _, places in kept)) if line.breaks else ())


def step_kinds(line: Line, step: Step, printer: Printer) -> tuple[str, ...]:
    """What each member of a step's line between its name and its result is: both, or
    the symbolic form alone (the substituted is the same), or the substituted alone (the
    symbolic form is the name or the result)."""
    middle = line.parts[1:-1]
    if len(middle) != 1:
        return SHOWN[:len(middle)]
    symbolic = printer.symbolic(step.symbolic)
    return ("symbolic",) if middle[0] == symbolic else ("substituted",)


def matrix_kinds(line: Line) -> tuple[str, ...]:
    """What each member of a line in matrix form between its name and its value is: the
    symbolic form, then the matrices substituted (if they add anything)."""
    return SHOWN[:len(line.parts) - 2]


def matrix_members(lines: Iterable[Line], printer: Printer,
                   show: tuple[str, ...]) -> tuple[Line, ...]:
    """A layer in matrix form with the members ``show`` asks for; a line of two members
    (a definition, ``a⁽⁰⁾ = x``) is kept whole."""
    return tuple(line if len(line.parts) < 3 else
                 members(line, matrix_kinds(line), printer, show) for line in lines)
