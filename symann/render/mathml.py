"""MathML from the same LaTeX, through latex2mathml, checked and made to align.

latex2mathml turns ``align*`` into an ``<mtable>`` whose cells say ``columnalign``, which
browsers' MathML Core ignores: each cell also gets a ``text-align`` style, so the ``=``
column lines up. Every result is parsed as XML, and LaTeX left over (``<mi>\\foo</mi>``)
is an error, never output.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

from latex2mathml.converter import convert

from ..activations import REGISTRY
from ..errors import SymannError
from ..formats import register
from .blocks import CarryNote, Inputs, Layer, Line, Outputs, ParameterTables, Title
from .document import DocumentWriter
from .latex import LatexPrinter, align

MATHML = "http://www.w3.org/1998/Math/MathML"
ElementTree.register_namespace("", MATHML)


class RenderError(SymannError):
    """A formula could not be turned into well-formed MathML."""


def math_element(latex: str, display: str = "block") -> str:
    """One ``<math>`` element for a LaTeX formula (``align*`` allowed)."""
    try:
        root = ElementTree.fromstring(convert(latex))
    except ElementTree.ParseError as error:
        raise RenderError(f"latex2mathml gave malformed XML for {latex[:80]!r}: {error}") from None
    root.set("display", display)
    _tidy(root)
    for element in root.iter():
        if element.tag.endswith("}mi") and (element.text or "").startswith("\\"):
            raise RenderError(f"LaTeX command {element.text} has no MathML form")
        align = element.attrib.get("columnalign")
        if element.tag.endswith("}mtd") and align:
            element.set("style", f"text-align: {align}; padding: 0.15em 0")
    return ElementTree.tostring(root, encoding="unicode")


MINUS = "\u2212"
#: function names latex2mathml writes as operators: made identifiers
NAMED_FUNCTIONS = frozenset(re.sub(r"\\operatorname\{(.*)\}|\\", r"\1", entry.names.latex)
                            for entry in REGISTRY.values()) | {"ln"}


def _tidy(root: ElementTree.Element) -> None:
    """A sign before a number becomes part of it (``<mn>−1.2</mn>``, not a spaced binary
    operator), and function names are identifiers (``max(0, z)``, not ``max (0, z)``)."""
    for parent in root.iter():
        children = list(parent)
        for index, child in enumerate(children):
            if child.tag == f"{{{MATHML}}}mo" and child.text in NAMED_FUNCTIONS:
                child.tag = f"{{{MATHML}}}mi"
            if not (child.tag == f"{{{MATHML}}}mo" and child.text == MINUS):
                continue
            after = children[index + 1] if index + 1 < len(children) else None
            before = children[index - 1] if index else None
            unary = before is None or before.tag == f"{{{MATHML}}}mo" or (
                before.tag == f"{{{MATHML}}}mi" and not before.text)
            if unary and after is not None and after.tag == f"{{{MATHML}}}mn":
                after.text = MINUS + (after.text or "")
                parent.remove(child)


def lines_mathml(lines: tuple[Line, ...] | list[Line]) -> str:
    """The lines as one block ``<math>`` with aligned ``=`` signs."""
    return math_element(align(lines))


class MathmlWriter(DocumentWriter):
    """The worked solution as ``<math>`` elements only: one per layer, then the outputs."""

    dialect = LatexPrinter
    separator = "\n"

    def title(self, block: Title) -> None:
        return None

    def inputs(self, block: Inputs) -> None:
        return None

    def parameters(self, block: ParameterTables) -> None:
        return None

    def layer(self, block: Layer) -> str:
        return lines_mathml(block.lines)

    def outputs(self, block: Outputs) -> str:
        return lines_mathml(block.lines)

    def carry_note(self, block: CarryNote) -> None:
        return None


register("mathml", MathmlWriter())
