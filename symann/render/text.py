"""The worked solution as plain text, for a terminal: Unicode names (``z⁽¹⁾₂``, ``σ``)."""
from __future__ import annotations

import re
from typing import Any

from ..notation import Name, notation as resolve
from ..numbers import APPROX
from ..steps import Derivation
from .printer import Printer, Style
from .structure import Section, sections

_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")
_ATOM = re.compile(r"[\d.]+|[a-z]")
_COMPOUND = (" + ", " × ", " · ", " / ")
_FUNCTIONS = {"sigma": "σ", "max": "max", "tanh": "tanh", "step": "step", "softmax": "softmax"}


def indices(values: tuple[int, ...]) -> str:
    """Indices as written in a subscript: ``12`` for (1, 2), ``1,12`` once one passes 9."""
    separator = "," if any(v > 9 for v in values) else ""
    return separator.join(str(v) for v in values)


class TextPrinter(Printer):
    """Plain-text dialect."""

    def name(self, name: Name) -> str:
        text = name.base
        if name.layer is not None:
            text += f"({name.layer})".translate(_SUPERSCRIPT)
        if name.indices:
            text += indices(name.indices).translate(_SUBSCRIPT)
        return text

    def fraction(self, numerator: str, denominator: str) -> str:
        return f"{self._group(numerator)} / {self._group(denominator)}"

    def _group(self, text: str) -> str:
        compound = any(op in text for op in _COMPOUND) or text.startswith("-")
        return f"({text})" if compound else text

    def exp(self, exponent: str) -> str:
        return f"e^{exponent}" if _ATOM.fullmatch(exponent) else f"e^({exponent})"

    def function(self, function: str, arguments: list[str]) -> str:
        return f"{_FUNCTIONS[function]}({', '.join(arguments)})"

    def times(self, substituted: bool) -> str:
        return " × " if substituted and self.style.times == "times" else " · "

    def implicit(self, left: str, right: str) -> str:
        return f"{left}·{right}"


def to_text(derivation: Derivation, notation: str = "auto", **style: Any) -> str:
    """The worked solution, every neuron's steps, as readable plain text."""
    printer = TextPrinter(resolve(derivation.network, notation), Style(**style))
    lines: list[str] = []
    if derivation.title:
        lines += [derivation.title, "=" * len(derivation.title), ""]
    given = ", ".join(f"{name} = {value}" for name, value in printer.given(derivation))
    lines += [f"Inputs: {given}", ""]
    for section in sections(derivation):
        lines += _section(printer, derivation, section)
    outputs = ", ".join(f"{printer.ref(s.ref)} {s.relation} {printer.number(s.shown)}"
                        for s in derivation.outputs)
    lines += [f"Output: {outputs}", "", _carry_note(derivation)]
    return "\n".join(lines) + "\n"


def _section(printer: TextPrinter, derivation: Derivation, section: Section) -> list[str]:
    lines = [section.heading]
    for neuron in printer.parameters(derivation, section.layer):
        lines.append("  given: " + ", ".join(f"{n} = {v}" for n, v in neuron))
    for step in section.steps:
        parts = printer.step_parts(step)
        line = " = ".join(parts[:-1]) + f" {step.relation} {parts[-1]}"
        lines.append(f"  {line}")
        if step.note:
            lines.append(f"    ({step.note})")
    return lines + [""]


def _carry_note(derivation: Derivation) -> str:
    rounded = f"rounded half-up to {derivation.digits} decimal places; {APPROX} marks a rounded value"
    if derivation.carry == "shown":
        return f"Values are {rounded}. Each step uses the rounded values shown before it."
    return f"Values are {rounded}. Each step uses the exact values of the steps before it."
