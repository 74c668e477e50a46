"""The worked solution as plain text, for a terminal: Unicode names (``z⁽¹⁾₂``, ``σ``)."""
from __future__ import annotations

from ..formats import register
from ..printers.text import TextPrinter
from .blocks import CarryNote, Inputs, Layer, Line, Outputs, ParameterTables, Part, Title
from .document import DocumentWriter


class TextWriter(DocumentWriter):
    """The worked solution, every neuron's steps, as readable plain text."""

    dialect = TextPrinter
    writes_tables = False

    def title(self, block: Title) -> str | None:
        return f"{block.text}\n{'=' * len(block.text)}" if block.text else None

    def inputs(self, block: Inputs) -> str:
        labels = [*block.labels, *[""] * len(block.given)]
        return "Inputs: " + ", ".join(f"{n} = {v}{annotated(label)}"
                                      for (n, v), label in zip(block.given, labels))

    def parameters(self, block: ParameterTables) -> None:
        return None

    def layer(self, block: Layer) -> str:
        lines = [block.heading]
        lines += ["  given: " + ", ".join(f"{n} = {v}" for n, v in neuron)
                  for neuron in block.given]
        for line in block.lines:
            lines.append(f"  {line_text(line)}" + (f"   ({line.number})" if line.number else ""))
            if line.note:
                lines.append(f"    ({line.note})")
        return "\n".join(lines)

    def outputs(self, block: Outputs) -> str:
        return "Output: " + ", ".join(line_text(line) + annotated(line.annotation)
                                      for line in block.lines)

    def carry_note(self, block: CarryNote) -> str:
        return block.text

    def part(self, block: Part) -> str:
        return f"{block.text}\n{'-' * len(block.text)}"


def annotated(label: str) -> str:
    """`` (hours)`` after a value (a label, already made visible); empty if none."""
    return f" ({label})" if label else ""


def line_text(line: Line) -> str:
    """``lhs = symbolic = substituted ≈ value``."""
    return " = ".join(line.parts[:-1]) + f" {line.relation} {line.parts[-1]}"


TEXT = register("text", TextWriter())
