"""The worked solution as plain text, for a terminal: Unicode names (``z⁽¹⁾₂``, ``σ``)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..activations import REGISTRY
from ..formats import register
from ..notation import Name
from .blocks import CarryNote, Inputs, Layer, Line, Outputs, ParameterTables, Title
from .document import DocumentWriter
from .printer import Printer, subscript

_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")
_ATOM = re.compile(r"[\d.]+|[a-z]")
_COMPOUND = (" + ", " × ", " · ", " / ")



@lru_cache(maxsize=256)
def _superscript(layer: int) -> str:
    return f"({layer})".translate(_SUPERSCRIPT)


class TextPrinter(Printer):
    """Plain-text dialect."""

    def name(self, name: Name) -> str:
        text = name.base
        if name.layer is not None:
            text += _superscript(name.layer)
        if name.indices:
            text += subscript(name.indices).translate(_SUBSCRIPT)
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
        return " × " if substituted and self.settings.times == "times" else " · "

    def implicit(self, left: str, right: str) -> str:
        return f"{left}·{right}"

    def matrix(self, rows: list[list[str]]) -> str:
        return "[" + "; ".join(", ".join(row) for row in rows) + "]"


class TextWriter(DocumentWriter):
    """The worked solution, every neuron's steps, as readable plain text."""

    dialect = TextPrinter
    writes_tables = False

    def title(self, block: Title) -> str | None:
        return f"{block.text}\n{'=' * len(block.text)}" if block.text else None

    def inputs(self, block: Inputs) -> str:
        return "Inputs: " + ", ".join(f"{n} = {v}" for n, v in block.given)

    def parameters(self, block: ParameterTables) -> None:
        return None

    def layer(self, block: Layer) -> str:
        lines = [block.heading]
        lines += ["  given: " + ", ".join(f"{n} = {v}" for n, v in neuron)
                  for neuron in block.given]
        for line in block.lines:
            lines.append(f"  {line_text(line)}")
            if line.note:
                lines.append(f"    ({line.note})")
        return "\n".join(lines)

    def outputs(self, block: Outputs) -> str:
        return "Output: " + ", ".join(line_text(line) for line in block.lines)

    def carry_note(self, block: CarryNote) -> str:
        return block.text


def line_text(line: Line) -> str:
    """``lhs = symbolic = substituted ≈ value``."""
    return " = ".join(line.parts[:-1]) + f" {line.relation} {line.parts[-1]}"


TEXT = register("text", TextWriter())
