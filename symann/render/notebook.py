"""Notebook display: a derivation shows as typeset maths in Jupyter."""
from __future__ import annotations

from html import escape

from ..steps import Derivation
from .document import build
from .latex import aligned, printer_for
from .mathml import document_mathml
from .text import to_text


def latex_display(derivation: Derivation) -> str:
    """``$$\\begin{aligned} ... \\end{aligned}$$``: every step, for MathJax or KaTeX."""
    document = build(derivation, printer_for(derivation))
    lines = [line for block in document.blocks for line in block.lines]
    return f"$$\n{aligned(lines)}\n$$"


def mimebundle(derivation: Derivation) -> dict[str, str]:
    """``text/latex``, ``text/html`` (MathML, no scripts) and ``text/plain``."""
    document = build(derivation, printer_for(derivation))
    html = "".join(f"<div>{math}</div>" for math in document_mathml(document))
    title = f"<h4>{escape(document.title)}</h4>" if document.title else ""
    return {"text/plain": to_text(derivation), "text/latex": latex_display(derivation),
            "text/html": title + html}
