"""What every format lays out: a title, the inputs, one block per layer, the outputs.

Formats differ only in layout and escaping; the lines themselves come from a dialect
printer, so no format recomputes or reformats a number.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..numbers import APPROX
from ..steps import Derivation
from .printer import Printer
from .safe import visible
from .structure import sections


@dataclass(frozen=True)
class Line:
    """``parts[0] = parts[1] = ... relation parts[-1]``, with an optional note."""

    parts: tuple[str, ...]
    relation: str
    note: str = ""


@dataclass(frozen=True)
class Block:
    """One layer (or one neuron of a chain): a plain-text heading, the given parameters
    (one list of ``(name, value)`` per neuron), and the lines of maths."""

    heading: str
    given: tuple[tuple[tuple[str, str], ...], ...]
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Document:
    title: str
    inputs: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    outputs: tuple[Line, ...]
    note: str


def build(derivation: Derivation, printer: Printer) -> Document:
    """The document of a derivation, its maths written by ``printer``."""
    if printer.notation.preset == "matrix":
        from .matrix import matrix_blocks
        blocks = matrix_blocks(derivation, printer)
    else:
        blocks = tuple(_block(derivation, printer, section) for section in sections(derivation))
    outputs = tuple(Line((printer.ref(s.ref), printer.number(s.shown)),
                         printer.relation(s.relation)) for s in derivation.outputs)
    return Document(visible(derivation.title), tuple(printer.given(derivation)), blocks, outputs,
                    carry_note(derivation))


def _block(derivation: Derivation, printer: Printer, section) -> Block:
    lines = tuple(Line(tuple(printer.step_parts(step)), printer.relation(step.relation), step.note)
                  for step in section.steps)
    given = tuple(tuple(neuron) for neuron in printer.parameters(derivation, section.layer))
    return Block(section.heading, given, lines)


def carry_note(derivation: Derivation) -> str:
    """The sentence that says how values are rounded and carried."""
    rounded = (f"rounded half-up to {derivation.digits} decimal places; {APPROX} marks a "
               "rounded value")
    if derivation.carry == "shown":
        return f"Values are {rounded}. Each step uses the rounded values shown before it."
    return f"Values are {rounded}. Each step uses the exact values of the steps before it."
