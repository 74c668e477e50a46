"""The linear collapse as a worked solution, in every format of the forward pass.

:func:`collapse_blocks` lays the collapse out once, as the blocks every document writer
writes (:mod:`~.blocks`): why identity layers compose (``a^{(2)} = W^{(2)}(W^{(1)} x +
b^{(1)}) + b^{(2)} = W^{(2)} W^{(1)} x + W^{(2)} b^{(1)} + b^{(2)}``), then each matrix
product with its matrices substituted and, entry by entry, the sum of products written out
with values and its result, then the one affine map ``a = W x + b``. Every value is exact
and comes from :class:`~symann.collapse.Collapse`: nothing is computed here. Sums and
matrices are elided above :attr:`RenderSettings.terms` as in the forward pass (with the
entries of the rows and columns left out), and long lines break where the forward pass's
do (:mod:`~.breaking`). ``json`` is the map alone, exact (:class:`CollapseJson`).
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from fractions import Fraction

from ..collapse import Collapse, Stage
from ..formats import (
    DISPLAYS,
    FORMATS,
    RenderSettings,
    register_collapse,
    register_collapse_display,
)
from ..formula import Node, Sum, Symbol, Weighted
from ..notation import Name, notation
from ..numbers import EQUALS, Shown, file_text
from ..printers.base import Printer
from ..quantities import Quantity, Ref
from .blocks import Block, CarryNote, Layer, Line, Title
from .document import DocumentWriter
from .safe import json_safe, visible

Q = Quantity
#: the sentence after the collapse
NOTE = ("Every value is exact. With identity activations the network computes W x + b for "
        "every input x: it is one linear (affine) layer.")


def title(collapse: Collapse) -> str:
    """``Two layers: the linear collapse``, or ``The linear collapse`` without a title."""
    name = visible(collapse.network.title)
    return f"{name}: the linear collapse" if name else "The linear collapse"


class Symbols:
    """The names of the collapse written by one printer: ``W^{(l)}``, ``b^{(l)}``, the
    product ``W^{(l)} ⋯ W^{(1)}`` and the bias ``W^{(l)}(⋯) + b^{(l)}`` of the first ``l``
    layers."""

    def __init__(self, printer: Printer) -> None:
        self.printer = printer
        self.x = printer.name(Name("x"))
        self.W = printer.name(Name("W"))
        self.b = printer.name(Name("b"))

    def weights(self, l: int) -> str:
        return self.printer.ref(Ref(Q.WEIGHT_MATRIX, l))

    def bias(self, l: int) -> str:
        return self.printer.ref(Ref(Q.BIAS, l))

    def activation(self, l: int) -> str:
        return self.printer.ref(Ref(Q.ACTIVATION, l))

    def product(self, l: int) -> str:
        """``W^{(l)} W^{(l-1)} ⋯ W^{(1)}``: every factor up to three, else the first and
        the last."""
        factors = ([self.weights(l), self.printer.ellipsis(), self.weights(1)] if l > 3
                   else [self.weights(k) for k in range(l, 0, -1)])
        return self.implicit(factors)

    def accumulated(self, l: int) -> str:
        """The bias of the first ``l`` layers, as each line names it: ``b^{(1)}``,
        ``W^{(2)} b^{(1)} + b^{(2)}``, and from the third layer ``W^{(l)}(⋯) + b^{(l)}``,
        the ``⋯`` being the bias of the line before (a name that stays short at any depth)."""
        if l == 1:
            return self.bias(1)
        inner = self.bias(1) if l == 2 else self.printer.paren(self.printer.ellipsis())
        return self.plus([self.printer.implicit(self.weights(l), inner), self.bias(l)])[0]

    def definition(self, l: int) -> tuple[str, tuple[int, ...]]:
        """The bias of the first ``l`` layers in full: ``W^{(3)}(W^{(2)} b^{(1)} + b^{(2)}) +
        b^{(3)}``; from the fourth layer ``W^{(l)}(⋯(W^{(2)} b^{(1)} + b^{(2)})⋯) + b^{(l)}``."""
        if l == 1:
            return self.plus([self.bias(1)])
        if l == 2:
            return self.plus([self.printer.implicit(self.weights(2), self.bias(1)),
                              self.bias(2)])
        inner = self.printer.paren(self.accumulated(2))
        if l > 3:
            dots = self.printer.ellipsis()
            inner = self.printer.paren(dots + inner + dots)
        return self.plus([self.printer.implicit(self.weights(l), inner), self.bias(l)])

    def group(self, l: int) -> str:
        """The bias of the first ``l`` layers as a factor: ``b^{(1)}``, ``(W^{(2)} b^{(1)} +
        b^{(2)})``, then ``(⋯)``."""
        if l == 1:
            return self.bias(1)
        return self.printer.paren(self.accumulated(2) if l == 2 else self.printer.ellipsis())

    def implicit(self, factors: Sequence[str]) -> str:
        text = factors[0]
        for factor in factors[1:]:
            text = self.printer.implicit(text, factor)
        return text

    def plus(self, terms: Sequence[str]) -> tuple[str, tuple[int, ...]]:
        """The terms joined by ``+``, and where each term after the first begins."""
        breaks, at = [], 0
        for term in terms[:-1]:
            at += len(term)
            breaks.append(at)
            at += len(self.printer.plus)
        return self.printer.plus.join(terms), tuple(breaks)


def line(parts: Sequence[tuple[str, tuple[int, ...]] | str], note: str = "") -> Line:
    """A line whose members are all ``=``: each part a text, or a text and its breaks."""
    members = [(part, ()) if isinstance(part, str) else part for part in parts]
    return Line(tuple(text for text, _ in members), EQUALS, note,
                tuple(breaks for _, breaks in members))


def collapse_blocks(collapse: Collapse, printer: Printer) -> Iterator[Block]:
    """The collapse as blocks, its maths written by ``printer``."""
    names = Symbols(printer)
    stages = collapse.stages
    yield Title(title(collapse))
    yield Layer("Identity layers compose into one affine map", (),
                tuple(_composition(names, len(stages))))
    if len(stages) > 1:
        yield Layer("The weights W", (), tuple(
            row for l in range(2, len(stages) + 1)
            for row in _weights(collapse, names, stages[l - 2], stages[l - 1])))
        yield Layer("The biases b", (), tuple(
            row for l in range(2, len(stages) + 1)
            for row in _biases(collapse, names, stages[l - 2], stages[l - 1])))
    yield Layer("The collapsed network", (), _result(names, stages[-1]))
    yield CarryNote(NOTE)


def _composition(names: Symbols, depth: int) -> Iterator[Line]:
    """``a^{(1)} = W^{(1)} x + b^{(1)}``; each later layer substituted and multiplied out;
    ``a^{(L)} = W x + b`` with ``W`` and ``b`` named."""
    printer = names.printer
    yield line((names.activation(1),
                names.plus([printer.implicit(names.weights(1), names.x), names.bias(1)])))
    for l in range(2, depth + 1):
        parts: list[str | tuple[str, tuple[int, ...]]] = [names.activation(l),
                 names.plus([printer.implicit(names.weights(l), names.activation(l - 1)),
                             names.bias(l)])]
        if l == 2:
            parts.append(names.plus([printer.implicit(names.weights(2), printer.paren(
                names.plus([printer.implicit(names.weights(1), names.x), names.bias(1)])[0])),
                names.bias(2)]))
        parts.append(names.plus([printer.implicit(names.product(l), names.x),
                                 printer.implicit(names.weights(l), names.group(l - 1)),
                                 names.bias(l)]))
        yield line(parts)
    yield line((names.activation(depth),
                names.plus([printer.implicit(names.W, names.x), names.b])))
    yield line((names.W, names.product(depth)))
    yield line((names.b, names.definition(depth)))


def _shown(count: int, terms: int) -> list[int]:
    """The indices (from 1) of the rows or columns a matrix elided at ``terms`` shows."""
    if not terms or count <= terms:
        return list(range(1, count + 1))
    return [1, 2, count]


def _left_out(rows: int, columns: int, terms: int) -> str:
    """The note of a product whose entries are not all written."""
    parts = [f"{what} 3 to {count - 1}" for what, count in (("rows", rows),
                                                            ("columns", columns))
             if len(_shown(count, terms)) < count]
    if not parts:
        return ""
    return (f"the entries in {' and '.join(parts)} are computed in the same way; "
            "--terms 0 writes them all")


def _number(printer: Printer, value: Fraction) -> str:
    return printer.number(printer.exact(value))


def _grid(printer: Printer, rows: Sequence[Sequence[Fraction]]) -> str:
    return printer.grid([[_number(printer, v) for v in row] for row in rows])


def _column(printer: Printer, values: Sequence[Fraction]) -> str:
    return printer.grid([[_number(printer, v)] for v in values])


def _entry(printer: Printer, lhs: str, node: Node, values: dict[Ref, Shown],
           result: Fraction) -> Line:
    """``lhs = (a × b) + (c × d) + … = result``."""
    return line((lhs, printer.members(node, values), _number(printer, result)))


def _weights(collapse: Collapse, names: Symbols, before: Stage, stage: Stage) -> Iterator[Line]:
    """``W^{(l)} ⋯ W^{(1)} = W^{(l)}(W^{(l-1)} ⋯ W^{(1)}) = [W^{(l)}] [W_{l-1}] = [W_l]``, then
    each entry as the sum of products of a row and a column."""
    printer, l = names.printer, stage.layers
    layer = collapse.network.layers[l - 1].weights
    terms = printer.settings.terms
    left = _grid(printer, layer)
    product = printer.implicit(left, _grid(printer, before.weights))
    parts: list[str | tuple[str, tuple[int, ...]]] = [names.product(l)]
    if l > 2:
        parts.append(printer.implicit(names.weights(l), printer.paren(names.product(l - 1))))
    # a break before the matrices too: a wide matrix may start on a row of its own
    parts += [(product, (0, len(left))), _grid(printer, stage.weights)]
    rows, columns = len(stage.weights), len(stage.weights[0])
    yield line(parts, _left_out(rows, columns, terms))
    entry = printer.paren(names.product(l))
    for j in _shown(rows, terms):
        for k in _shown(columns, terms):
            values: dict[Ref, Shown] = {}
            factors = []
            for i, (w, m) in enumerate(zip(layer[j - 1], (row[k - 1] for row in before.weights)),
                                       1):
                this, that = Ref(Q.WEIGHT, l, j, i), Ref(Q.WEIGHT_MATRIX, l - 1, i, k)
                values[this], values[that] = printer.exact(w), printer.exact(m)
                factors.append(Weighted(this, that))
            yield _entry(printer, printer.indexed(entry, (j, k)), Sum(tuple(factors)), values,
                         stage.weights[j - 1][k - 1])


def _biases(collapse: Collapse, names: Symbols, before: Stage, stage: Stage) -> Iterator[Line]:
    """``W^{(l)} b_{l-1} + b^{(l)} = [W^{(l)}] [b_{l-1}] + [b^{(l)}] = [b_l]``, then each
    entry as a sum of products and the bias."""
    printer, l = names.printer, stage.layers
    dense = collapse.network.layers[l - 1]
    terms = printer.settings.terms
    left = _grid(printer, dense.weights)
    product = printer.implicit(left, _column(printer, before.biases))
    substituted = product + printer.plus + _column(printer, dense.biases)
    yield line((names.accumulated(l), (substituted, (0, len(left), len(product))),
                _column(printer, stage.biases)), _left_out(len(stage.biases), 1, terms))
    entry = printer.paren(names.accumulated(l))
    for j in _shown(len(stage.biases), terms):
        values: dict[Ref, Shown] = {}
        addends: list[Node] = []
        for i, (w, c) in enumerate(zip(dense.weights[j - 1], before.biases), 1):
            this, that = Ref(Q.WEIGHT, l, j, i), Ref(Q.BIAS, l - 1, i)
            values[this], values[that] = printer.exact(w), printer.exact(c)
            addends.append(Weighted(this, that))
        bias = Ref(Q.BIAS, l, j)
        values[bias] = printer.exact(dense.biases[j - 1])
        addends.append(Symbol(bias))
        yield _entry(printer, printer.indexed(entry, (j,)), Sum(tuple(addends)), values,
                     stage.biases[j - 1])


def _result(names: Symbols, stage: Stage) -> tuple[Line, ...]:
    """``W = … = [W]``, ``b = … = [b]`` and ``a^{(L)} = W x + b = [W] x + [b]``."""
    printer, depth = names.printer, stage.layers
    weights, biases = _grid(printer, stage.weights), _column(printer, stage.biases)
    applied = printer.implicit(weights, names.x)
    return (line((names.W, names.product(depth), weights)),
            line((names.b, names.definition(depth), biases)),
            line((names.activation(depth),
                  names.plus([printer.implicit(names.W, names.x), names.b]),
                  (applied + printer.plus + biases, (len(applied),)))))


class CollapseDocument:
    """A collapse written by a document format's writer (text, LaTeX, MathML, Markdown,
    HTML): the same blocks, the same layout and escaping as the forward pass."""

    def __init__(self, writer: DocumentWriter) -> None:
        self.writer = writer

    def write(self, collapse: Collapse, settings: RenderSettings) -> str:
        bound = self.writer.bound(settings)
        blocks = bound.printed_blocks(lambda printer: collapse_blocks(collapse, printer),
                                      notation(collapse.network, "matrix"))
        return bound.write_document(title(collapse), blocks)


def json_number(value: Fraction) -> str:
    """An exact value as JSON, as a network file writes it (:func:`~symann.numbers.file_text`,
    which :func:`~symann.collapse.collapse` has checked): a number where its decimal
    terminates (``-0.35``, ``2``), else a text ``"1/3"``."""
    text = file_text(value)
    assert text is not None, "collapse() refuses a value a network file cannot hold"
    return text if "/" not in text else json.dumps(text)


class CollapseJson:
    """``{"weights": [[…], …], "biases": […]}``, every value exact (:func:`json_number`):
    each row of ``weights`` on its own line, or the whole on one line with ``indent`` None."""

    def write(self, collapse: Collapse, settings: RenderSettings) -> str:
        rows = ["[" + ", ".join(json_number(w) for w in row) + "]" for row in collapse.weights]
        biases = "[" + ", ".join(json_number(b) for b in collapse.biases) + "]"
        if settings.indent is None:
            return json_safe(f'{{"weights": [{", ".join(rows)}], "biases": {biases}}}')
        one, two = " " * settings.indent, " " * 2 * settings.indent
        weights = ",\n".join(two + row for row in rows)
        return json_safe(f'{{\n{one}"weights": [\n{weights}\n{one}],\n'
                         f'{one}"biases": {biases}\n}}')


def _register() -> None:
    """Every format of the forward pass, in its order: the document formats write the
    worked collapse, ``json`` the map alone; and every notebook display."""
    for name, writer in FORMATS.items():
        if name == "json":
            register_collapse(name, CollapseJson())
        elif isinstance(writer, DocumentWriter):
            register_collapse(name, CollapseDocument(writer))
    for media, display in DISPLAYS.items():
        if isinstance(display, DocumentWriter):
            register_collapse_display(media, CollapseDocument(display))


_register()
