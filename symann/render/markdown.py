"""Markdown with ``$$`` blocks, as the course documents write them (Jupyter Book, MkDocs)."""
from __future__ import annotations

import re

from ..formats import register
from .blocks import CarryNote, Inputs, Layer, Outputs, ParameterTables, Part, Title
from .document import DocumentWriter
from .latex import LatexPrinter, aligned, line_latex, math, number_tags, rows

_SPECIAL = re.compile(r"([\\`*_\[\]|$~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: the marks of the title and of the layers' headings, by :attr:`RenderSettings.heading`
LEVELS = {"section": ("#", "##"), "subsection": ("##", "###")}


def escape(text: str) -> str:
    """Text from a file, shown literally by Markdown (and by the HTML inside it)."""
    text = _SPECIAL.sub(r"\\\1", text.replace("\n", " "))
    return "".join(_HTML.get(char, char) for char in text)


def annotated(label: str) -> str:
    """`` (hours)`` after a value: a label from a file, escaped; empty if none."""
    return f" ({escape(label)})" if label else ""


class MarkdownWriter(DocumentWriter):
    """The worked solution as Markdown: a ``$$`` block of aligned lines per layer, inline
    ``$`` for values."""

    dialect = LatexPrinter
    writes_tables = False
    #: a web page's column of text, at KaTeX's size
    line_width = 60

    def title(self, block: Title) -> str | None:
        level = LEVELS.get(self.settings.heading)
        return f"{level[0]} {escape(block.text)}" if block.text and level else None

    def inputs(self, block: Inputs) -> str:
        return f"Inputs: {math(block.given, block.labels, annotated)}"

    def parameters(self, block: ParameterTables) -> None:
        return None

    def layer(self, block: Layer) -> str:
        level = LEVELS.get(self.settings.heading)
        heading = escape(block.heading)
        out = [f"{level[1]} {heading}" if level else f"**{heading}**"]
        if block.given:
            out.append("Given: " + "; ".join(math(neuron) for neuron in block.given))
        if block.lines:   # else the given part alone (an exercise sheet)
            out.append(f"$$\n{self.maths(block)}\n$$")
        out += [f"*${line.parts[0]}$: {escape(line.note)}*" for line in block.lines if line.note]
        return "\n\n".join(out)

    def outputs(self, block: Outputs) -> str:
        return "**Output:** " + ", ".join(f"${line_latex(line, align=False)}$"
                                          + annotated(line.annotation) for line in block.lines)

    def maths(self, block: Layer) -> str:
        """The layer's lines in ``aligned``; numbered, in ``align*`` with a ``\\tag`` each
        (KaTeX and MathJax number no ``aligned`` line)."""
        if not self.settings.numbered:
            return aligned(rows(block.lines, self.width))
        body = rows(block.lines, self.width, number_tags)
        return f"\\begin{{align*}}\n{body}\n\\end{{align*}}"

    def carry_note(self, block: CarryNote) -> str:
        return escape(block.text)

    def part(self, block: Part) -> str:
        level = LEVELS.get(self.settings.heading)
        return f"{level[0]} {escape(block.text)}" if level else f"***{escape(block.text)}***"


register("markdown", MarkdownWriter())
