"""The worked solution in LaTeX: ``align*`` blocks, a fragment or a standalone document.

The maths uses only amsmath; text from a file (the title) is escaped, never interpreted.
"""
from __future__ import annotations

from typing import Any

from ..activations import REGISTRY
from ..notation import Name, indices, notation as resolve
from ..steps import Derivation
from .document import Block, Document, Line, build
from .printer import Printer, Style

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
            sub = indices(name.indices)
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
        return rf" \{self.style.times} " if substituted else r" \cdot "

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


def align(lines: tuple[Line, ...] | list[Line]) -> str:
    """An ``align*`` environment, one row per line."""
    rows = " \\\\\n".join(line_latex(line) for line in lines)
    return f"\\begin{{align*}}\n{rows}\n\\end{{align*}}"


def aligned(lines: tuple[Line, ...] | list[Line]) -> str:
    """The same rows in ``aligned``, for ``$$ ... $$`` in notebooks, KaTeX and MathJax."""
    rows = " \\\\\n".join(line_latex(line) for line in lines)
    return f"\\begin{{aligned}}\n{rows}\n\\end{{aligned}}"


def printer_for(derivation: Derivation, notation: str = "auto", **style: Any) -> LatexPrinter:
    return LatexPrinter(resolve(derivation.network, notation), Style(**style))


def fragment(document: Document) -> str:
    """A LaTeX fragment for ``\\input``: needs amsmath."""
    parts = []
    if document.title:
        parts.append(rf"\section*{{{escape(document.title)}}}")
    inputs = ", ".join(f"${name} = {value}$" for name, value in document.inputs)
    parts.append(f"Inputs: {inputs}.")
    for block in document.blocks:
        parts.append(_block(block))
    outputs = ", ".join(f"${line.parts[0]} {line.relation} {line.parts[-1]}$"
                        for line in document.outputs)
    parts += [f"Output: {outputs}.", escape(document.note).replace("≈", r"$\approx$")]
    return "\n\n".join(parts) + "\n"


def _block(block: Block) -> str:
    text = [rf"\subsection*{{{escape(block.heading)}}}"]
    if block.given:
        text.append("Given: " + "; ".join(", ".join(f"${n} = {v}$" for n, v in neuron)
                                          for neuron in block.given) + ".")
    text.append(align(block.lines))
    notes = [f"${line.parts[0]}$: {escape(line.note)}." for line in block.lines if line.note]
    return "\n\n".join(text + notes)


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


def to_latex(derivation: Derivation, notation: str = "auto", standalone: bool = False,
             **style: Any) -> str:
    """The worked solution as LaTeX; ``standalone`` gives a document pdflatex compiles."""
    body = fragment(build(derivation, printer_for(derivation, notation, **style)))
    return STANDALONE % body if standalone else body
