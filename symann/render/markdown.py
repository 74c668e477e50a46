"""Markdown with ``$$`` blocks, as the course documents write them (Jupyter Book, MkDocs)."""
from __future__ import annotations

import re
from typing import Any

from ..steps import Derivation
from .document import build
from .latex import line_latex, printer_for

_SPECIAL = re.compile(r"([\\`*_\[\]|$~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(text: str) -> str:
    """Text from a file, shown literally by Markdown (and by the HTML inside it)."""
    text = _SPECIAL.sub(r"\\\1", text.replace("\n", " "))
    return "".join(_HTML.get(char, char) for char in text)


def to_markdown(derivation: Derivation, notation: str = "auto", **style: Any) -> str:
    """The worked solution as Markdown: a ``$$`` block per step, inline ``$`` for values."""
    document = build(derivation, printer_for(derivation, notation, **style))
    out = []
    if document.title:
        out.append(f"# {escape(document.title)}")
    out.append("Inputs: " + ", ".join(f"${n} = {v}$" for n, v in document.inputs))
    for block in document.blocks:
        out.append(f"## {escape(block.heading)}")
        if block.given:
            out.append("Given: " + "; ".join(", ".join(f"${n} = {v}$" for n, v in neuron)
                                             for neuron in block.given))
        for line in block.lines:
            out.append(f"$$\n{line_latex(line, align=False)}\n$$")
            if line.note:
                out.append(f"*{escape(line.note)}*")
    outputs = ", ".join(f"${line_latex(line, align=False)}$" for line in document.outputs)
    out += [f"**Output:** {outputs}", escape(document.note)]
    return "\n\n".join(out) + "\n"
