"""Long lines broken as a textbook breaks them, for a page or a column of a given width.

A line ``z = symbolic = substituted ≈ value`` that does not fit is written with each member
on its own aligned row (``z = …``, ``= …``, ``≈ …``), and a member that alone does not fit
is broken between the terms of its sum, each further row indented (``\\quad + …``).

Widths are estimates in widths of a digit (``0.5em``), from the printed maths of the
dialect (LaTeX or MathML): relations, operators, letters (capitals wider), scripts
(smaller), fractions (the wider of numerator and denominator, and the space either side),
the larger parentheses of ``\\left( … \\right)`` and matrices (the widest cell of each
column) are counted, as pdflatex sets them at 11 pt; the estimates lean wide, so a line
that is estimated to fit does.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from itertools import pairwise

from ..notation import GREEK
from .blocks import Line

#: the width of a relation with its spaces (``=``, ``≈``), of a binary operator (``+``,
#: ``×``), of the indent of a continued row, in digit widths
RELATION, OPERATOR, INDENT = 2.8, 2.4, 2.0
#: the size of a sub- or superscript
SCRIPT = 0.75
#: between the columns of a matrix
COLUMN = 2.0
#: the null delimiter space either side of a fraction (1.2 pt each at 11 pt)
FRACTION = 0.45
#: what a ``\left`` or ``\right`` fence adds to its delimiter: the printers fence only
#: tall contents (a fraction), whose parentheses are a larger glyph (1.5 digits, not 0.8)
FENCE = 0.7
#: a capital letter (math italic ``W`` is 1.9 digits wide, ``A`` 1.5)
CAPITAL = 1.7
_NARROW = frozenset("()[],.;:|!'")
_RELATIONS = frozenset("=≈<>")
_OPERATORS = frozenset("+−-×·*/")


def _char(char: str) -> float:
    if char.isspace() or char in "&\u2061\u2062":
        return 0.0
    if char in _RELATIONS:
        return RELATION
    if char in _OPERATORS:
        return OPERATOR
    if char in _NARROW:
        return 0.8
    if char in "⋯⋱":
        return 2.8
    if char.isdigit():
        return 1.0
    return CAPITAL if char.isupper() else 1.2


_COMMANDS = {"times": OPERATOR, "cdot": OPERATOR, "approx": RELATION, "cdots": 2.8,
             "ddots": 2.8, "vdots": 0.8, "quad": INDENT, "left": FENCE, "right": FENCE,
             "frac": 0.0, "operatorname": 0.0, "mathrm": 0.0, "max": 3.6, "ln": 2.2,
             "exp": 3.4, "tanh": 4.4, "partial": 1.2, "sigma": 1.2, "delta": 1.0,
             "eta": 1.0, "top": 1.6, "odot": OPERATOR, "sum": 2.8, "Bigl": 0.6,
             "Bigr": 0.6,
             # a long number's line end: an arrow, a hook and a relation's space (3.2)
             "hookleftarrow": 3.4,
             # the Greek letters a reader may name a quantity by, as wide as a letter
             **{name: CAPITAL if name[0].isupper() else 1.2 for name in GREEK}}
_LATEX = re.compile(r"(?:\\left\[)?\\begin\{(?:bmatrix|array\}\{c+)\}(.*?)"
                    r"\\end\{(?:bmatrix|array)\}(?:\\right\])?"
                    r"|\\vcenter\{((?:\\hbox\{\\strut\$[^$]*\$\})+)\}"
                    r"|\\frac|\\([A-Za-z]+)|\\(.)|([{}^_])|(.)", re.S)
#: a line of a stack (``\\vcenter{\\hbox{\\strut$…$}…}``: a long number in lines)
_STACKED_LINE = re.compile(r"\\hbox\{\\strut\$([^$]*)\$\}")


def latex_width(text: str) -> float:
    """The estimated width of LaTeX maths. Every digit has the same width, so the width is
    that of the text with each digit a 0: the terms and lines of a class of exercises
    share a few such shapes, each measured once."""
    return _latex_shape_width(text.translate(_ZEROS))


#: each ASCII digit to 0 (``str.translate``)
_ZEROS = str.maketrans("123456789", "000000000")


@lru_cache(maxsize=4096)
def _latex_shape_width(text: str) -> float:
    width, _ = _latex_group(text, 0, False)
    return width


def _latex_group(text: str, at: int, script: bool) -> tuple[float, int]:
    """The width of ``text`` from ``at`` to the ``}`` that closes the group (or the end),
    and the place after it."""
    width = 0.0
    pending = False   # the next atom or group is a script
    fraction: list[float] = []   # the widths of a \frac's groups, as they are read
    while at < len(text):
        match = _LATEX.match(text, at)
        assert match is not None
        at = match.end()
        scale = SCRIPT if script or pending else 1.0
        matrix, stack, command, symbol, special, char = match.groups()
        if match.group(0) == r"\frac":
            fraction = [-1.0]
            continue
        if special == "}":
            return width, at
        if special in ("^", "_"):
            pending = True
            continue
        if special == "{":
            inner, at = _latex_group(text, at, script or pending)
            if fraction and fraction[0] < 0:
                fraction[0] = inner
                continue
            if fraction:
                inner, fraction = max(fraction[0], inner) + 2 * FRACTION, []
            width += inner
        elif matrix is not None:
            width += _latex_matrix(matrix) * scale
        elif stack is not None:
            width += max(map(latex_width, _STACKED_LINE.findall(stack))) * scale
        elif command is not None:
            width += _COMMANDS.get(command, 1.1 * len(command)) * scale
        elif symbol is not None:
            width += 0.0 if symbol in "\\ ," else _char(symbol) * scale
        else:
            width += _char(char) * scale
        pending = False
    return width, at


_ROW_SKIP = re.compile(r"^\s*\[[0-9.]+[a-z]{2}\]\s*(?:\\hline)?")
#: a row that heads a block of columns (``\multicolumn{6}{l}{\text{...columns 1--6}}``)
_HEADING = re.compile(r"\s*\\multicolumn\{\d+\}\{l\}\{\\text\{\\footnotesize ([^}]*)\}\}")
#: a heading's small text, per character, in digits
HEADING_CHAR = 0.75


def _latex_matrix(body: str) -> float:
    """The widest row of column widths, or of a block's heading (``columns 1--6``)."""
    columns: list[float] = []
    heading = 0.0
    for row in body.split(r"\\"):
        row = _ROW_SKIP.sub("", row)   # \\[4pt]: the space below a row (and a rule)
        label = _HEADING.match(row)
        if label:
            heading = max(heading, HEADING_CHAR * len(label.group(1)))
            continue
        for k, cell in enumerate(row.split("&")):
            size = latex_width(cell)
            if k < len(columns):
                columns[k] = max(columns[k], size)
            else:
                columns.append(size)
    return max(sum(columns) + COLUMN * (len(columns) - 1), heading) + 2 * 0.8


_TAG = re.compile(r"<(/?)([a-z]+)[^>]*?(/?)>|([^<]+)")
_SCRIPTS = frozenset(("msub", "msup", "msubsup", "munder", "mover", "munderover"))


@dataclass
class _Element:
    name: str
    scripted: bool
    width: float = 0.0
    children: int = 0
    cells: list[float] | None = None


_DIGIT = re.compile(r"&#x?[0-9A-Fa-f]+;|[0-9]")   # a character reference is kept whole


def mathml_width(text: str) -> float:
    """The estimated width of MathML elements (as :mod:`~.mathml` prints them). Every digit
    has the same width, so the width is that of the text with each digit a 0: the terms of
    a long sum share a few such shapes, each measured once."""
    if "&#" in text:   # a character reference's digits are kept
        return _shape_width(_DIGIT.sub(_zero, text))
    return _shape_width(text.translate(_ZEROS))


def _zero(match: re.Match[str]) -> str:
    digit = match.group(0)
    return "0" if len(digit) == 1 else digit


@lru_cache(maxsize=4096)
def _shape_width(text: str) -> float:
    stack = [_Element("mrow", False)]
    for match in _TAG.finditer(text):
        closing, name, empty, content = match.groups()
        top = stack[-1]
        if content is not None:
            scale = SCRIPT if top.scripted else 1.0
            top.width += sum(_char(char) for char in unescape(content)) * scale
        elif not closing:
            top.children += 1
            scripted = top.scripted or (top.name in _SCRIPTS and top.children > 1)
            element = _Element(name, scripted, cells=[] if name in ("mtr", "mtable") else None)
            if name == "mspace":
                element.width = INDENT
            if empty:
                _close(element, top)
            else:
                stack.append(element)
        elif len(stack) > 1:
            _close(stack.pop(), stack[-1])
    return sum(e.width for e in stack[:1])


def _close(element: _Element, parent: _Element) -> None:
    """Add a closed element's width to its parent's."""
    if element.name == "mtable" and element.cells is not None:
        element.width = sum(element.cells) + COLUMN * max(len(element.cells) - 1, 0)
    if parent.name == "mtr" and parent.cells is not None:
        parent.cells.append(element.width)
    elif parent.name == "mtable" and parent.cells is not None and element.cells is not None:
        for k, size in enumerate(element.cells):
            if k < len(parent.cells):
                parent.cells[k] = max(parent.cells[k], size)
            else:
                parent.cells.append(size)
    elif parent.name == "mfrac":
        parent.width = max(parent.width, element.width)
    else:
        parent.width += element.width


@dataclass(frozen=True)
class Row:
    """A row of a broken line: its name (first row only), its relation (empty on a row
    that continues a sum) and its maths."""

    lhs: str
    relation: str
    text: str


def pieces(part: str, breaks: tuple[int, ...]) -> list[str]:
    """A part cut at its breaks: its first term, then each further term with its ``+``."""
    ends = [0, *breaks, len(part)]
    return [part[start:end] for start, end in pairwise(ends)]


def layout(line: Line, width: float, measure: Callable[[str], float],
           equals: str) -> list[Row] | None:
    """The rows of ``line`` broken to fit ``width``; None if it fits whole (or ``width``
    is 0)."""
    lhs, *rest = line.parts
    if not width:
        return None
    breaks = line.breaks[1:] or ((),) * len(rest)
    name = measure(lhs)
    plainly_long = any(len(places) * OPERATOR > width for places in breaks)   # each + costs
    if not plainly_long and name + sum(RELATION + measure(part) for part in rest) <= width:
        return None
    relations = [equals] * (len(rest) - 1) + [line.relation]
    rows: list[Row] = []
    room = width - name
    for relation, part, places in zip(relations, rest, breaks):
        terms = pieces(part, places)
        text, used, sign = terms[0], RELATION + measure(terms[0]), relation
        for term in terms[1:]:
            size = measure(term)
            if used + size > room:
                rows.append(Row("" if rows else lhs, sign, text))
                text, used, sign = term, INDENT + size, ""
            else:
                text, used = text + term, used + size
        rows.append(Row("" if rows else lhs, sign, text))
    return rows


#: a product's sign in LaTeX, where a term too long for a row may still break
_TIMES = re.compile(r" (?=\\(?:times|cdot) )")
#: every this many digits of a longer number, a row still too wide may break
NUMBER_PIECE = 10
_LONG_NUMBER = re.compile(rf"\d{{{NUMBER_PIECE + 1},}}")
#: the end of a row that breaks a number, which the next row continues
CONTINUED = r"\hookleftarrow"


def _top_level(text: str, at: int) -> bool:
    """Whether ``at`` in LaTeX ``text`` is outside every group ``{…}`` and every
    ``\\left … \\right`` (a pair that must stay on one row)."""
    before = text[:at]
    return before.count("{") == before.count("}") and \
        before.count(r"\left") == before.count(r"\right")


def _row_breaks(text: str) -> list[int]:
    """Where a LaTeX row may break: before a ``\\times`` or ``\\cdot``, and inside a
    long number every :data:`NUMBER_PIECE` digits, at the top level."""
    places = [match.start() for match in _TIMES.finditer(text)]
    for number in _LONG_NUMBER.finditer(text):
        places += range(number.start() + NUMBER_PIECE, number.end(), NUMBER_PIECE)
    return sorted(place for place in places if _top_level(text, place))


def split_products(rows: list[Row], width: float, name: float) -> list[Row]:
    """LaTeX rows (:func:`layout`'s) that are still wider than ``width`` (beside a name
    ``name`` wide), each broken where it must before a product's sign or inside a long
    number (the row marked ``↩`` where the number continues), each further piece a
    continued row: a term of two long numbers (``(0.314… × (-2.718…))``)."""
    out: list[Row] = []
    room = width - name
    for row in rows:
        places = _row_breaks(row.text)
        if not places or RELATION + latex_width(row.text) <= room:
            out.append(row)
            continue
        terms = pieces(row.text, tuple(places))
        text, used, first = terms[0], RELATION + latex_width(terms[0]), row
        for term in terms[1:]:
            size = latex_width(term)
            if used + size + 2 * OPERATOR > room:
                mark = CONTINUED if text[-1:].isdigit() and term[:1].isdigit() else ""
                out.append(Row(first.lhs, first.relation, text + mark))
                first = Row("", "", "")
                text, used = term, INDENT + size
            else:
                text, used = text + term, used + size
        out.append(Row(first.lhs, first.relation, text))
    return out
