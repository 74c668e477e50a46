"""The worked solution as plain text, for a terminal: Unicode names (``z⁽¹⁾₂``, ``σ``)."""
from __future__ import annotations

import re
from typing import Any

from ..activations import REGISTRY
from ..notation import Name, indices, notation as resolve
from ..steps import Derivation
from .document import Line, build
from .printer import Printer, Style

_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")
_ATOM = re.compile(r"[\d.]+|[a-z]")
_COMPOUND = (" + ", " × ", " · ", " / ")



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
        return f"{REGISTRY[function].names.text}({', '.join(arguments)})"

    def power(self, base: str, exponent: str) -> str:
        return f"{base}^{exponent}" if _ATOM.fullmatch(exponent) else f"{base}^({exponent})"

    def log(self, argument: str) -> str:
        return f"ln({argument})"

    def times(self, substituted: bool) -> str:
        return " × " if substituted and self.style.times == "times" else " · "

    def implicit(self, left: str, right: str) -> str:
        return f"{left}·{right}"

    def matrix(self, rows: list[list[str]]) -> str:
        return "[" + "; ".join(", ".join(row) for row in rows) + "]"


def to_text(derivation: Derivation, notation: str = "auto", **style: Any) -> str:
    """The worked solution, every neuron's steps, as readable plain text."""
    document = build(derivation, TextPrinter(resolve(derivation.network, notation), Style(**style)))
    lines: list[str] = []
    if document.title:
        lines += [document.title, "=" * len(document.title), ""]
    lines += ["Inputs: " + ", ".join(f"{n} = {v}" for n, v in document.inputs), ""]
    for block in document.blocks:
        lines.append(block.heading)
        lines += ["  given: " + ", ".join(f"{n} = {v}" for n, v in neuron)
                  for neuron in block.given]
        for line in block.lines:
            lines.append(f"  {line_text(line)}")
            if line.note:
                lines.append(f"    ({line.note})")
        lines.append("")
    lines += ["Output: " + ", ".join(line_text(line) for line in document.outputs), "",
              document.note]
    return "\n".join(lines) + "\n"


def line_text(line: Line) -> str:
    """``lhs = symbolic = substituted ≈ value``."""
    return " = ".join(line.parts[:-1]) + f" {line.relation} {line.parts[-1]}"
