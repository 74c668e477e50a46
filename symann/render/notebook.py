"""Notebook display: a derivation shows as typeset maths in Jupyter.

``text/latex`` is every step in one ``$$\\begin{aligned} ... \\end{aligned}$$`` (MathJax,
KaTeX), ``text/html`` the title and a ``<math>`` per layer and for the outputs (no
scripts), ``text/plain`` the text format.
"""
from __future__ import annotations

from itertools import chain

from ..formats import RenderSettings, register_display
from .blocks import CarryNote, Inputs, Layer, Outputs, ParameterTables, Part, Title
from .document import DocumentWriter, MathsOnly, Pieces
from .latex import ROW, LatexPrinter, aligned, rows
from .mathml import MathmlDocumentWriter, math_block, math_pieces, text_node as escape
from .text import TEXT


class DisplayLatexWriter(MathsOnly, DocumentWriter):
    """Every step's line, aligned, in one display formula."""

    dialect = LatexPrinter
    separator = ROW

    def layer(self, block: Layer) -> str:
        return rows(block.lines)

    def outputs(self, block: Outputs) -> None:
        return None

    def carry_note(self, block: CarryNote) -> None:
        return None

    def part(self, block: Part) -> str:
        return rf"&\text{{{block.text}}}"

    def frame(self, title: str, settings: RenderSettings) -> tuple[str, str]:
        head, tail = aligned("\0").split("\0")
        return f"$$\n{head}", f"{tail}\n$$"


class DisplayHtmlWriter(MathmlDocumentWriter):
    """The title, then a ``<math>`` per layer and one for the outputs."""

    separator = ""

    def title(self, block: Title) -> str | None:
        return f"<h4>{escape(block.text)}</h4>" if block.text else None

    def inputs(self, block: Inputs) -> None:
        return None

    def parameters(self, block: ParameterTables) -> None:
        return None

    def layer(self, block: Layer) -> Pieces:
        return Pieces(chain(("<div>",), math_pieces(block.lines, block.alt), ("</div>",)))

    def outputs(self, block: Outputs) -> str:
        return f"<div>{math_block(block.lines, block.alt)}</div>"

    def carry_note(self, block: CarryNote) -> None:
        return None

    def part(self, block: Part) -> str:
        return f"<h5>{escape(block.text)}</h5>"

    def frame(self, title: str, settings: RenderSettings) -> tuple[str, str]:
        return "", ""


register_display("text/plain", TEXT)
register_display("text/latex", DisplayLatexWriter())
register_display("text/html", DisplayHtmlWriter())
