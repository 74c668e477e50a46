"""MathML Core written directly from the formula tree: no LaTeX in between, linear time.

:class:`MathmlPrinter` is a dialect of :class:`~.printer.Printer` whose texts are MathML
fragments: numbers ``<mn>`` (a negative number is one ``<mn>−1.2</mn>``), names ``<mi>``
with ``<msub>``/``<msup>``/``<msubsup>`` for the indices and the layer, ``<mfrac>``,
``<msup>`` for powers and ``e^{…}``, a function name followed by U+2061 (function
application), implicit products joined by U+2062 (invisible times), and every bracketed
sub-expression its own ``<mrow>`` (so a bracket stretches to its own content only).

Lines are rows of an ``<mtable>``: the name right-aligned in the first cell, ``= …`` left-aligned
in the second, so the ``=`` column lines up. MathML Core ignores ``columnalign``, so each
cell also says ``text-align``. Each ``<math>`` carries ``alttext``: the plain text of its
lines, for screen readers and for copying. Every text is escaped, and every character
outside ASCII is a character reference (``&#x2212;`` for the minus sign): the markup of
784-128-10 is 33 million characters, which Python stores in one byte each only if all
are ASCII.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from html import escape
from itertools import chain

from ..activations import REGISTRY
from ..formats import RenderSettings, register
from ..notation import Name, Notation, notation
from ..printers.base import Printer
from ..printers.pieces import INDEX, subscript
from ..printers.text import TextPrinter
from ..steps import Derivation, Step
from .blocks import (
    Block,
    CarryNote,
    Layer,
    Line,
    MatrixLayer,
    Outputs,
    Part,
)
from .breaking import RELATION, layout, mathml_width
from .document import NUMBER_WIDTH, DocumentWriter, MathsOnly, Pieces, blocks_of
from .text import annotated, line_text

MATHML = "http://www.w3.org/1998/Math/MathML"
#: U+2212 MINUS SIGN. Every character outside ASCII is written as a character reference,
#: so the markup of a large network is a compact (one byte a character) string
MINUS = "&#x2212;"
#: U+2061 FUNCTION APPLICATION, after a function's name
APPLY = "<mo>&#x2061;</mo>"
#: U+2062 INVISIBLE TIMES, between the factors of an implicit product (``w x``)
INVISIBLE_TIMES = "<mo>&#x2062;</mo>"
EQUALS = "<mo>=</mo>"
RIGHT = 'columnalign="right" style="text-align: right; padding: 0.15em 0"'
LEFT = 'columnalign="left" style="text-align: left; padding: 0.15em 0"'
#: the cell of an equation number, at the end of its line
NUMBER = 'columnalign="right" style="text-align: right; padding: 0.15em 0 0.15em 2em"'
TABLE = '<mtable displaystyle="true" rowspacing="3pt" columnspacing="0em 2em">'
APPROX = "<mo>&#x2248;</mo>"
_COMMAND = re.compile(r"\\operatorname\{(.*)\}|\\(\w+)")


def function_name(latex: str) -> str:
    """The text of a function's name from its LaTeX name: ``\\operatorname{ReLU}`` is
    ``ReLU``, ``\\tanh`` is ``tanh``, a Greek letter (``\\sigma``) is the letter (``σ``)."""
    match = _COMMAND.fullmatch(latex)
    if match is None:
        return latex
    if match[1] is not None:
        return match[1]
    try:
        return unicodedata.lookup(f"GREEK SMALL LETTER {match[2]}")
    except KeyError:
        return match[2]


def text_node(text: str) -> str:
    """Text escaped for HTML and XML, characters outside ASCII as character references."""
    return escape(text).encode("ascii", "xmlcharrefreplace").decode("ascii")


#: brackets that keep their size: Chromium draws a stretchy bracket with wide side bearings
#: even where nothing is taller than a line of text
_OPEN, _CLOSE = '<mo stretchy="false">(</mo>', '<mo stretchy="false">)</mo>'


def _paren(text: str) -> str:
    """``text`` in brackets, its own ``<mrow>``; the brackets stretch only around a
    fraction or a matrix."""
    if "<mfrac" in text or "<mtable" in text:
        return f"<mrow><mo>(</mo>{text}<mo>)</mo></mrow>"
    return f"<mrow>{_OPEN}{text}{_CLOSE}</mrow>"


def _subscript(values: tuple[int | str, ...]) -> str:
    written = subscript(values)
    if written.isdigit():
        return f"<mn>{written}</mn>"
    if "," not in written:   # with a summation's index: 1k
        return "<mrow>" + "".join(f"<mn>{v}</mn>" if isinstance(v, int) else f"<mi>{v}</mi>"
                                  for v in values) + "</mrow>"
    return "<mrow>" + "<mo>,</mo>".join(f"<mn>{v}</mn>" if v.isdigit() else f"<mi>{v}</mi>"
                                        for v in written.split(",")) + "</mrow>"


#: the brackets of a layer's superscript, by ``RenderSettings.layer_brackets``
_LAYER = {"round": (_OPEN, _CLOSE),
          "square": ('<mo stretchy="false">[</mo>', '<mo stretchy="false">]</mo>')}


class MathmlPrinter(Printer):
    """MathML Core dialect: each printed text is a sequence of MathML elements."""

    plus = "<mo>+</mo>"
    minus = f"<mo>{MINUS}</mo>"

    def name(self, name: Name) -> str:
        base = f"<mi>{text_node(name.base.replace(chr(39), '′'))}</mi>"
        below = _subscript(name.indices) if name.indices else ""
        if name.layer is None:
            return f"<msub>{base}{below}</msub>" if below else base
        opening, closing = _LAYER[self.settings.layer_brackets]
        above = f"<mrow>{opening}<mn>{name.layer}</mn>{closing}</mrow>"
        if below:
            return f"<msubsup>{base}{below}{above}</msubsup>"
        return f"<msup>{base}{above}</msup>"

    def decimal(self, text: str) -> str:
        return f"<mn>{MINUS}{text[1:]}</mn>" if text.startswith("-") else f"<mn>{text}</mn>"

    def negative(self, text: str) -> str:
        if text.startswith("<mn>") and text.find("<", 4) == len(text) - 5:
            return f"<mn>{MINUS}{text[4:]}"   # a number: the sign is part of it
        return f"<mrow><mo>{MINUS}</mo>{text}</mrow>"

    def fraction(self, numerator: str, denominator: str) -> str:
        return f"<mfrac><mrow>{numerator}</mrow><mrow>{denominator}</mrow></mfrac>"

    def exp(self, exponent: str) -> str:
        return f"<msup><mi>e</mi><mrow>{exponent}</mrow></msup>"

    def slash(self, numerator: str, denominator: str) -> str:
        return f"<mrow>{numerator}<mo>/</mo>{denominator}</mrow>"

    def summation(self, upper: int, body: str) -> str:
        return (f"<munderover><mo>&#x2211;</mo><mrow><mi>{INDEX}</mi><mo>=</mo><mn>1</mn>"
                f"</mrow><mn>{upper}</mn></munderover>{body}")

    def function(self, function: str, arguments: list[str]) -> str:
        inner = _paren("<mo>,</mo>".join(arguments))
        name = function_name(REGISTRY[function].names.latex)
        if not name:
            return inner
        return f"<mrow><mi>{text_node(name)}</mi>{APPLY}{inner}</mrow>"

    def power(self, base: str, exponent: str) -> str:
        return f"<msup><mrow>{base}</mrow><mrow>{exponent}</mrow></msup>"

    def partial(self, of: str, by: str) -> str:
        return (f"<mfrac><mrow><mo>&#x2202;</mo>{of}</mrow>"
                f"<mrow><mo>&#x2202;</mo>{by}</mrow></mfrac>")

    def prime(self, function: str, arguments: list[str]) -> str:
        names = REGISTRY[function].names
        name = function_name(names.latex) or names.display
        return (f"<mrow><msup><mi>{text_node(name)}</mi><mo>&#x2032;</mo></msup>{APPLY}"
                f"{_paren('<mo>,</mo>'.join(arguments))}</mrow>")

    def log(self, argument: str) -> str:
        return f"<mrow><mi>ln</mi>{APPLY}{_paren(argument)}</mrow>"

    def times(self, substituted: bool) -> str:
        if substituted and self.settings.times == "times":
            return "<mo>&#xD7;</mo>"   # ×
        return "<mo>&#xB7;</mo>"   # ·

    def implicit(self, left: str, right: str) -> str:
        return f"{left}{INVISIBLE_TIMES}{right}"

    def paren(self, text: str) -> str:
        return _paren(text)

    def open_bracket(self, inside: str) -> str:
        return _OPEN

    def close_bracket(self, inside: str) -> str:
        return _CLOSE

    def relation(self, relation: str) -> str:
        return EQUALS if relation == "=" else APPROX

    def ellipsis(self) -> str:
        return "<mo>&#x22EF;</mo>"

    def transpose(self, text: str) -> str:
        return f"<msup><mrow>{text}</mrow><mi>T</mi></msup>"

    def hadamard(self) -> str:
        return "<mo>&#x2299;</mo>"

    def vertical_ellipsis(self) -> str:
        return "<mo>&#x22EE;</mo>"

    def diagonal_ellipsis(self) -> str:
        return "<mo>&#x22F1;</mo>"

    def matrix(self, rows: list[list[str]]) -> str:
        body = "".join("<mtr>" + "".join(f"<mtd>{cell}</mtd>" for cell in row) + "</mtr>"
                       for row in rows)
        return f"<mrow><mo>[</mo><mtable>{body}</mtable><mo>]</mo></mrow>"

    def indexed(self, text: str, indices: tuple[int, ...]) -> str:
        return f"<msub><mrow>{text}</mrow>{_subscript(indices)}</msub>"


#: the indent of a row that continues a sum
INDENT = '<mspace width="1em"></mspace>'


def _row(line: Line, width: float = 0) -> str:
    """A line as one row of the table, or (longer than ``width``) as several: each member
    on its own row, a long sum broken between its terms (:mod:`~.breaking`); a row that
    continues a sum is of class ``more``. A numbered line's first row has its label as
    ``id`` and its number in a third cell; an annotation follows the value as text."""
    broken = layout(line, width, mathml_width, EQUALS)
    number = f"<mtd {NUMBER}><mtext>({line.number})</mtext></mtd>" if line.number else ""
    anchor = f' id="{text_node(line.label)}"' if line.label else ""
    if broken is None:
        lhs, *middle, value = line.parts
        right = "".join(f"{EQUALS}<mrow>{part}</mrow>" for part in middle)
        note, after = "", NUMBER_WIDTH if line.number else 0
        if line.annotation:   # a label after the value: drawn smaller if it is too long
            text = f"<mtext>({text_node(line.annotation)})</mtext>"
            before = mathml_width(lhs) + sum(RELATION + mathml_width(part)
                                             for part in line.parts[1:]) + 2
            note = f'<mspace width="1em"></mspace>{_fitted(text, before, width, after)}'

        return (f"<mtr{anchor}><mtd {RIGHT}>{lhs}</mtd><mtd {LEFT}>{right}{line.relation}"
                f"<mrow>{value}</mrow>{note}</mtd>{number}</mtr>")
    rest = "<mtd></mtd>" if number else ""
    before = mathml_width(line.parts[0]) + RELATION
    after = NUMBER_WIDTH if line.number else 0
    return "".join(
        f"<mtr{'' if k else anchor}><mtd {RIGHT}>{row.lhs}</mtd><mtd {LEFT}>{row.relation}"
        f"{_fitted(row.text, before, width, after)}</mtd>{rest if k else number}</mtr>"
        if row.relation else
        f'<mtr class="more"><mtd {RIGHT}></mtd><mtd {LEFT}>{INDENT}'
        f"{_fitted(row.text, before, width, after)}</mtd>{rest}</mtr>"
        for k, row in enumerate(broken))


#: the width (in digits) left for the names and relation of a block's lines, at least: a
#: row too wide is drawn smaller to fit beside them (the widest name of its block)
NAME = 9.0


def _fit(text: str, before: float, width: float, after: float = 0) -> str:
    """Nothing for a row of maths that fits ``width`` digits after ``before`` (the name
    and the relation); for one that does not (a matrix of eight columns, a number of forty
    digits: lines are never broken inside a term), the estimated widths as the CSS
    properties ``--digits`` (the row's maths) and ``--name`` (before it), by which a page's
    style may draw the row smaller to fit (as :mod:`~.html` does); ``--name`` counts
    ``after`` too (the equation numbers' column)."""
    size = mathml_width(text)
    if not width or before + size <= width:
        return ""
    return f' style="--digits: {size:.1f}; --name: {max(before, NAME) + after:.1f}"'


def _fitted(text: str, before: float, width: float, after: float = 0) -> str:
    """``text`` as one ``<mrow>``, with the widths of :func:`_fit` if it is too wide."""
    return f"<mrow{_fit(text, before, width, after)}>{text}</mrow>"


def math_pieces(lines: Sequence[Line], alt: str, notes: list[str] | None = None,
                width: float = 0) -> Pieces:
    """:func:`math_block` in pieces, made as they are written (a layer of 784-128-10 is 30
    million characters: each copy counts); the lines' notes are added to ``notes``, as
    the lines are read (once). Lines longer than ``width`` are broken (0: never)."""
    alttext = text_node(alt).replace("\n", "&#10;")
    head = f'<math xmlns="{MATHML}" display="block" alttext="{alttext}">{TABLE}'
    return Pieces(chain((head,), _rows(lines, notes, width), ("</mtable></math>",)))


def _rows(lines: Sequence[Line], notes: list[str] | None, width: float) -> Iterator[str]:
    for line in lines:
        if notes is not None and line.note:
            notes.append(line.note)
        yield _row(line, width)


def math_block(lines: Sequence[Line], alt: str, width: float = 0) -> str:
    """Lines printed by a :class:`MathmlPrinter` as one block ``<math>``, the ``=`` signs
    aligned; ``alt`` is their plain text. Lines longer than ``width`` are broken."""
    return "".join(math_pieces(lines, alt, width=width))


#: a layer with more weights than this gets, as its ``alttext``, each line's name and value
#: only (its MathML has the rest): 100 000 terms of text help no reader
ALT_WEIGHTS = 5_000


class AltPrinter(TextPrinter):
    """The plain text of MathML's ``alttext``: each step's line in full, or only its name
    and value in the layers of :attr:`summarised` (numbered from 1)."""

    summarised: frozenset[int] = frozenset()

    def step_members(self, step: Step) -> tuple[list[str], tuple[tuple[int, ...], ...]]:
        if step.ref.layer in self.summarised:
            return [self.ref(step.ref), self.number(step.shown)], ((), ())
        return super().step_members(step)


def alt_text(lines: Sequence[Line]) -> str:
    """Lines printed by a :class:`~.text.TextPrinter`, one per line of text."""
    return "\n".join(line_text(line) + annotated(line.annotation) for line in lines)


def with_alt(blocks: Iterable[Block], text: Iterable[Block]) -> Iterator[Block]:
    """``blocks`` with each block of lines given the plain text of the same block of
    ``text`` (the same derivation printed in text) as its ``alt``, one block at a time."""
    for block, plain in zip(blocks, text):
        if isinstance(block, (Layer, MatrixLayer, Outputs)) and isinstance(
                plain, (Layer, MatrixLayer, Outputs)):
            block = replace(block, alt=alt_text(plain.lines))
        yield block


class MathmlDocumentWriter(DocumentWriter):
    """A writer of MathML: the maths by :class:`MathmlPrinter`, and the same lines in
    plain text for each ``<math>``'s ``alttext``."""

    dialect = MathmlPrinter
    writes_given = False
    writes_tables = False
    prints_lines_once = True

    def blocks(self, derivation: Derivation, settings: RenderSettings) -> Iterator[Block]:
        printer = AltPrinter(notation(derivation.network, settings.notation), settings,
                             weights_twice=False)
        printer.summarised = frozenset(
            number for number, layer in enumerate(derivation.network.layers, 1)
            if layer.fan_in * layer.size > ALT_WEIGHTS)
        return with_alt(super().blocks(derivation, settings),
                        blocks_of(derivation, printer, given=False, tables=False))

    def printed_blocks(self, lay_out: Callable[[Printer], Iterable[Block]],
                       notation: Notation) -> Iterable[Block]:
        """The blocks, each block of lines with their plain text as its ``alt``."""
        return with_alt(super().printed_blocks(lay_out, notation),
                        lay_out(TextPrinter(notation, self.settings)))


class MathmlWriter(MathsOnly, MathmlDocumentWriter):
    """The worked solution as ``<math>`` elements only: one per layer, then the outputs."""

    separator = "\n"
    #: a phone's width, as the HTML page (:mod:`~.html`)
    line_width = 34

    def layer(self, block: Layer) -> Pieces:
        return math_pieces(block.lines, block.alt, width=self.width)

    def outputs(self, block: Outputs) -> Pieces:
        return math_pieces(block.lines, block.alt, width=self.width)

    def part(self, block: Part) -> None:
        return None   # maths only, as the layers have no headings here

    def carry_note(self, block: CarryNote) -> None:
        return None


register("mathml", MathmlWriter())
