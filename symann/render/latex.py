"""The worked solution in LaTeX: ``align*`` blocks, a fragment or a standalone document.

The maths uses only amsmath; text from a file (the title) is escaped, never interpreted.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..activations import REGISTRY
from ..formats import RenderSettings, register
from ..notation import Name
from ..printers.base import Printer, subscript
from .blocks import (
    CarryNote,
    Inputs,
    Layer,
    Line,
    Outputs,
    ParameterTables,
    Title,
)
from .document import DocumentWriter

_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
            "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
            "|": r"\textbar{}", "\n": " ", "\r": " "}



class LatexPrinter(Printer):
    """LaTeX dialect (also the input of the MathML, KaTeX and MathJax outputs)."""

    def name(self, name: Name) -> str:
        text = name.base
        if name.layer is not None:
            text += f"^{{({name.layer})}}"
        if name.indices:
            sub = subscript(name.indices)
            text += f"_{sub}" if len(sub) == 1 else f"_{{{sub}}}"
        return text

    def fraction(self, numerator: str, denominator: str) -> str:
        return rf"\frac{{{numerator}}}{{{denominator}}}"

    def exp(self, exponent: str) -> str:
        return f"e^{{{exponent}}}"

    def function(self, function: str, arguments: list[str]) -> str:
        return rf"{REGISTRY[function].names.latex}({', '.join(arguments)})"

    def power(self, base: str, exponent: str) -> str:
        return f"{base}^{{{exponent}}}"

    def log(self, argument: str) -> str:
        return rf"\ln({argument})"

    def times(self, substituted: bool) -> str:
        return rf" \{self.settings.times} " if substituted else r" \cdot "

    def implicit(self, left: str, right: str) -> str:
        return f"{left} {right}"

    def relation(self, relation: str) -> str:
        return "=" if relation == "=" else r"\approx"

    def matrix(self, rows: list[list[str]]) -> str:
        body = r" \\ ".join(" & ".join(row) for row in rows)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def escape(text: str) -> str:
    """Text from a file, safe in LaTeX: every special character printed literally."""
    return "".join(_ESCAPES.get(char, char) for char in text)


def line_latex(line: Line, align: bool = True) -> str:
    """One line: ``lhs &= symbolic = substituted \\approx value`` (``&`` only when aligned)."""
    lhs, *middle, value = line.parts
    relations = ["=" for _ in middle] + [line.relation]
    if align:
        relations[0] = "&" + relations[0]
    members = [lhs] + [f"{rel} {part}" for rel, part in zip(relations, [*middle, value])]
    return " ".join(members)


#: between the rows of ``align*`` and ``aligned``
ROW = " \\\\\n"


def rows(lines: Sequence[Line]) -> str:
    """The lines as aligned rows."""
    return ROW.join(line_latex(line) for line in lines)


def align(lines: Sequence[Line]) -> str:
    """An ``align*`` environment, one row per line."""
    return f"\\begin{{align*}}\n{rows(lines)}\n\\end{{align*}}"


def aligned(body: str) -> str:
    """Rows in ``aligned``, for ``$$ ... $$`` in notebooks, KaTeX and MathJax."""
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"


STANDALONE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{amsmath}
\usepackage[margin=2cm]{geometry}
\setlength{\parindent}{0pt}
\allowdisplaybreaks
\begin{document}
%s\end{document}
"""


def math(pairs: tuple[tuple[str, str], ...]) -> str:
    """``$w_1 = 0.15$, $b = 0.4$``."""
    return ", ".join(f"${name} = {value}$" for name, value in pairs)


class LatexWriter(DocumentWriter):
    """The worked solution as LaTeX: a fragment for ``\\input`` (needs amsmath), or with
    ``standalone`` a document pdflatex compiles."""

    dialect = LatexPrinter
    writes_tables = False

    def title(self, block: Title) -> str | None:
        return rf"\section*{{{escape(block.text)}}}" if block.text else None

    def inputs(self, block: Inputs) -> str:
        return f"Inputs: {math(block.given)}."

    def parameters(self, block: ParameterTables) -> None:
        return None

    def layer(self, block: Layer) -> str:
        text = [rf"\subsection*{{{escape(block.heading)}}}"]
        if block.given:
            text.append("Given: " + "; ".join(math(neuron) for neuron in block.given) + ".")
        text.append(align(block.lines))
        notes = [f"${line.parts[0]}$: {escape(line.note)}." for line in block.lines if line.note]
        return "\n\n".join(text + notes)

    def outputs(self, block: Outputs) -> str:
        outputs = ", ".join(f"${line.parts[0]} {line.relation} {line.parts[-1]}$"
                            for line in block.lines)
        return f"Output: {outputs}."

    def carry_note(self, block: CarryNote) -> str:
        return escape(block.text).replace("≈", r"$\approx$")

    def frame(self, title: str, settings: RenderSettings) -> tuple[str, str]:
        if not settings.standalone:
            return "", "\n"
        head, tail = STANDALONE.split("%s")
        return head, "\n" + tail


register("latex", LatexWriter())
