"""Markdown with ``$$`` blocks, as the course documents write them (Jupyter Book, MkDocs)."""
from __future__ import annotations

import re

from ..formats import register
from .blocks import CarryNote, Inputs, Layer, Outputs, ParameterTables, Title
from .document import DocumentWriter
from .latex import LatexPrinter, line_latex, math

_SPECIAL = re.compile(r"([\\`*_\[\]|$~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(text: str) -> str:
    """Text from a file, shown literally by Markdown (and by the HTML inside it)."""
    text = _SPECIAL.sub(r"\\\1", text.replace("\n", " "))
    return "".join(_HTML.get(char, char) for char in text)


class MarkdownWriter(DocumentWriter):
    """The worked solution as Markdown: a ``$$`` block per step, inline ``$`` for values."""

    dialect = LatexPrinter
    writes_tables = False

    def title(self, block: Title) -> str | None:
        return f"# {escape(block.text)}" if block.text else None

    def inputs(self, block: Inputs) -> str:
        return f"Inputs: {math(block.given)}"

    def parameters(self, block: ParameterTables) -> None:
        return None

    def layer(self, block: Layer) -> str:
        out = [f"## {escape(block.heading)}"]
        if block.given:
            out.append("Given: " + "; ".join(math(neuron) for neuron in block.given))
        for line in block.lines:
            out.append(f"$$\n{line_latex(line, align=False)}\n$$")
            if line.note:
                out.append(f"*{escape(line.note)}*")
        return "\n\n".join(out)

    def outputs(self, block: Outputs) -> str:
        return "**Output:** " + ", ".join(f"${line_latex(line, align=False)}$"
                                          for line in block.lines)

    def carry_note(self, block: CarryNote) -> str:
        return escape(block.text)


register("markdown", MarkdownWriter())
