"""The document of a derivation, and the writer every document format derives from.

:func:`build` lays out what every format shows, once: a :class:`~.blocks.Document` of
typed blocks whose maths a dialect printer writes. A :class:`DocumentWriter` walks the
blocks and writes each with the method its type names; formats differ only there (layout
and escaping), and no format recomputes or reformats a number.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from io import StringIO
from typing import ClassVar, overload

from ..formats import SHOWN, RenderSettings
from ..notation import Notation, notation
from ..numbers import APPROX
from ..printers.base import Printer
from ..quantities import Quantity, Ref
from ..steps import Derivation, Step
from .blocks import (
    Block,
    CarryNote,
    Document,
    Inputs,
    Layer,
    LayerTable,
    Line,
    MatrixLayer,
    Outputs,
    Pairs,
    ParameterTables,
    Part,
    Title,
)
from .controls import Numbering, chosen, matrix_members, members, shows, step_kinds
from .matrix import backward_matrix_layer, matrix_blocks, update_matrix_layer
from .safe import visible
from .structure import Section, activation_name, backward_sections, sections

Q = Quantity


def build(derivation: Derivation, printer: Printer, given: bool = True,
          tables: bool = True) -> Document:
    """The document of a derivation, its maths written by ``printer``. Without ``given``
    the layers give no parameters, without ``tables`` the parameter tables are empty: a
    writer that does not show them does not pay for them (100 000 weights for MNIST)."""
    return Document(tuple(blocks_of(derivation, printer, given, tables)))


def blocks_of(derivation: Derivation, printer: Printer, given: bool = True,
              tables: bool = True, once: bool = False) -> Iterator[Block]:
    """The blocks of :func:`build`, in order, each made when it is asked for: a writer
    writes one layer and lets it go before the next is printed. With ``once``, a layer's
    lines are :class:`PrintedLines` (for a writer that reads them once). The settings'
    controls (:mod:`~.controls`) choose the steps and members shown and number the lines."""
    wanted = chosen(derivation, printer.settings)
    numbering = Numbering(printer.settings)
    shown = _shown_sections(sections(derivation, printer.settings.activation_names), wanted)
    yield Title(visible(derivation.title), derivation.backward)
    yield Inputs(_inputs(derivation, printer), tuple(map(visible, derivation.network.input_labels)))
    layers = {section.layer for section in shown}
    yield _tables(derivation, printer, layers) if tables else ParameterTables((), ())
    if printer.notation.layout == "matrix":
        for layer, block in enumerate(matrix_blocks(derivation, printer), 1):
            if layer in layers:
                yield _matrix(block, printer, numbering, f"m{layer}")
    else:
        for section in shown:
            yield _layer(derivation, printer, section, numbering, given, once)
    outputs = _outputs(derivation, printer, wanted)
    if outputs.lines:
        yield outputs
    if derivation.backward:
        yield from backward_blocks(derivation, printer, given, once, numbering, wanted)
    show = printer.settings.show
    if "result" in show or "substituted" in show:   # else no computed value is shown
        yield CarryNote(carry_note(derivation, marked="result" in show))


def _shown_sections(found: Iterable[Section], wanted: frozenset[str] | None) -> list[Section]:
    """The sections with a chosen step, each with its chosen steps only."""
    if wanted is None:
        return list(found)
    kept = (replace(section, steps=tuple(s for s in section.steps if s.id in wanted))
            for section in found)
    return [section for section in kept if section.steps]


def _outputs(derivation: Derivation, printer: Printer,
             wanted: frozenset[str] | None) -> Outputs:
    """The chosen outputs, each with its label from the network file."""
    labels = derivation.network.output_labels or ("",) * len(derivation.outputs)
    show = printer.settings.show
    lines = (members(Line((printer.ref(s.ref), printer.number(s.shown)),
                          printer.relation(s.relation), annotation=visible(label)),
                     (), printer, show)
             for s, label in zip(derivation.outputs, labels) if shows(s, wanted))
    return Outputs(tuple(lines))


def _matrix(block: MatrixLayer, printer: Printer, numbering: Numbering, name: str) -> MatrixLayer:
    """A layer in matrix form with the members shown, its lines numbered."""
    lines = matrix_members(block.lines, printer, printer.settings.show)
    return replace(block, lines=numbering.lines(lines, name))


#: the heading of the backward pass
BACKWARD = "Backward pass"


def backward_blocks(derivation: Derivation, printer: Printer, with_given: bool = True,
                    once: bool = False, numbering: Numbering | None = None,
                    wanted: frozenset[str] | None = None) -> Iterator[Block]:
    """The backward pass: its heading, the loss (with the targets given), each layer from
    the output back, and the gradient-descent step (with the learning rate given); with
    ``wanted``, only the sections with a chosen step."""
    numbering = numbering or Numbering(printer.settings)
    shown = _shown_sections(backward_sections(derivation, printer.settings.activation_names),
                            wanted)
    if not shown:
        return
    yield Part(BACKWARD)
    matrix = printer.notation.layout == "matrix"
    for section in shown:
        if matrix and section.layer:
            yield _matrix(backward_matrix_layer(derivation, printer, section.layer,
                                                section.heading),
                          printer, numbering, f"mb{section.layer}")
            continue
        if matrix and section.steps[0].ref.kind is not Q.LOSS:
            yield _matrix(update_matrix_layer(derivation, printer, section.heading), printer,
                          numbering, "mu")
            continue
        printed = PrintedLines(printer, section.steps, numbering)
        given: tuple[Pairs, ...] = ()
        if not with_given:
            pass
        elif section.layer == 0 and section.steps[0].ref.kind is Q.LOSS:
            given = (tuple((printer.ref(Ref(Q.TARGET, neuron=j)), printer.number(printer.exact(y)))
                           for j, y in enumerate(derivation.targets or (), 1)),)
        elif section.layer == 0 and derivation.learning_rate is not None:
            given = (((printer.ref(Ref(Q.LEARNING_RATE)),
                       printer.number(printer.exact(derivation.learning_rate))),),)
        yield Layer(section.heading, given, printed if once else tuple(printed))


def _inputs(derivation: Derivation, printer: Printer) -> Pairs:
    return tuple((printer.ref(Ref(Q.INPUT, source=k)), printer.number(printer.exact(x)))
                 for k, x in enumerate(derivation.inputs, 1))


def _given(derivation: Derivation, printer: Printer, layer: int) -> tuple[Pairs, ...]:
    """``(name, value)`` of the weights and bias of each neuron of a layer (1-based)."""
    dense = derivation.network.layers[layer - 1]
    neurons = []
    for j, (row, bias) in enumerate(zip(dense.weights, dense.biases), 1):
        pairs = [(printer.ref(Ref(Q.WEIGHT, layer, j, k)), printer.number(printer.exact(w)))
                 for k, w in enumerate(row, 1)]
        pairs.append((printer.ref(Ref(Q.BIAS, layer, j)), printer.number(printer.exact(bias))))
        neurons.append(tuple(pairs))
    return tuple(neurons)


class PrintedLines(Sequence[Line]):
    """The lines of steps, printed each time they are read and never kept: a writer that
    reads them once holds one line at a time (a line of 784-128-10 is 230 000 characters
    of MathML, its first layer 30 million). With a ``numbering``, the lines take their
    equation numbers from it, in order."""

    def __init__(self, printer: Printer, steps: Sequence[Step],
                 numbering: Numbering | None = None) -> None:
        self.printer = printer
        self.steps = steps
        self.numbering = numbering
        self.first = numbering.take(len(steps)) if numbering else 0

    def line(self, step: Step, number: int = 0) -> Line:
        printer = self.printer
        parts, breaks = printer.step_members(step)
        line = Line(tuple(parts), printer.relation(step.relation), step.note, breaks)
        show = printer.settings.show
        if show != SHOWN:
            line = members(line, step_kinds(line, step, printer), printer, show)
        if number and self.numbering:
            line = replace(line, number=number, label=self.numbering.label(step.id))
        return line

    def _number(self, index: int) -> int:
        return self.first + index if self.first else 0

    def __len__(self) -> int:
        return len(self.steps)

    @overload
    def __getitem__(self, index: int) -> Line: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | Sequence[Line]:
        if isinstance(index, slice):
            return tuple(self.line(self.steps[k], self._number(k))
                         for k in range(len(self.steps))[index])
        index = range(len(self.steps))[index]
        return self.line(self.steps[index], self._number(index))

    def __iter__(self) -> Iterator[Line]:
        return (self.line(step, self._number(k)) for k, step in enumerate(self.steps))


def _layer(derivation: Derivation, printer: Printer, section: Section, numbering: Numbering,
           given: bool = True, once: bool = False) -> Layer:
    printed = PrintedLines(printer, section.steps, numbering)
    lines = printed if once else tuple(printed)
    pairs = _given(derivation, printer, section.layer) if given else ()
    return Layer(section.heading, pairs, lines)


def _tables(derivation: Derivation, printer: Printer, layers: set[int]) -> ParameterTables:
    """The inputs and the parameters of the ``layers`` shown, as tables."""
    network = derivation.network
    labels = network.input_labels or ("",) * network.n_inputs
    inputs = tuple((visible(label), printer.exact(x).text)
                   for label, x in zip(labels, derivation.inputs))
    tables = tuple(
        LayerTable(number, activation_name(layer.activation,
                                           printer.settings.activation_names), layer.fan_in,
                   tuple((tuple(printer.exact(w).text for w in row), printer.exact(b).text)
                         for row, b in zip(layer.weights, layer.biases)))
        for number, layer in enumerate(network.layers, 1) if number in layers)
    return ParameterTables(inputs, tables)


def carry_note(derivation: Derivation, marked: bool = True) -> str:
    """The sentence that says how values are rounded and carried; with ``marked``, that
    ``≈`` marks a rounded value (a line that shows no result marks none)."""
    rounded = f"rounded half-up to {derivation.digits} decimal places"
    if marked:
        rounded += f"; {APPROX} marks a rounded value"
    if derivation.carry == "shown":
        return f"Values are {rounded}. Each step uses the rounded values shown before it."
    return f"Values are {rounded}. Each step uses the exact values of the steps before it."


class Pieces:
    """A block's text in pieces, made as they are written into the whole output: a layer
    of 784-128-10 in MathML is 30 million characters, and each copy of it counts."""

    def __init__(self, pieces: Iterable[str]) -> None:
        self.pieces = pieces

    def __iter__(self) -> Iterator[str]:
        return iter(self.pieces)


#: the room an equation number takes at the end of a line, with its space, in digit
#: widths (``(123)`` beside a line centred on an A4 page)
NUMBER_WIDTH = 10


class DocumentWriter:
    """A format that writes the :class:`~.blocks.Document`: one method per block type
    (``title``, ``inputs``, ``parameters``, ``layer``, ``matrix_layer``, ``outputs``,
    ``part``, ``carry_note``), each returning its text, or None to leave the block out. The texts
    are joined by :attr:`separator` between the two texts of :meth:`frame`: written one
    after another into one buffer, never joined again (a copy of an HTML page of
    784-128-10 is 40 MB)."""

    #: the printer of the format's maths
    dialect: ClassVar[type[Printer]]
    #: whether the format shows each layer's given parameters (:attr:`Layer.given`) and
    #: the parameter tables (:class:`ParameterTables`): if not, they are not built
    writes_given: ClassVar[bool] = True
    writes_tables: ClassVar[bool] = True
    #: whether the format reads each layer's lines once: then they are printed as read
    prints_lines_once: ClassVar[bool] = False
    separator: ClassVar[str] = "\n\n"
    #: the width a line may take (:attr:`RenderSettings.width`) where the settings leave
    #: it to the format; 0: lines are never broken
    line_width: ClassVar[int] = 0
    #: the settings of the output being written: :meth:`write` writes with a copy of the
    #: writer that holds them (a registered writer is shared)
    settings: RenderSettings = RenderSettings()

    def write(self, derivation: Derivation, settings: RenderSettings) -> str:
        bound = self.bound(settings)
        return bound.write_document(derivation.title, bound.blocks(derivation, settings))

    def write_document(self, title: str, blocks: Iterable[Block]) -> str:
        """The blocks in the frame of a document titled ``title``, with :attr:`settings`."""
        head, tail = self.frame(visible(title), self.settings)
        out = StringIO()
        out.write(head)
        self.write_body(blocks, out)
        out.write(tail)
        return out.getvalue()

    def printed_blocks(self, lay_out: Callable[[Printer], Iterable[Block]],
                       notation: Notation) -> Iterable[Block]:
        """The blocks that ``lay_out`` makes with this format's printer: a document that is
        not a forward pass (the linear collapse, :mod:`~.collapse`)."""
        return lay_out(self.dialect(notation, self.settings, weights_twice=self.writes_given))

    def bound(self, settings: RenderSettings) -> DocumentWriter:
        """A copy of this writer that writes with ``settings``."""
        bound = copy.copy(self)
        bound.settings = settings
        return bound

    @property
    def width(self) -> int:
        """The width lines are broken to (0: never); numbered lines leave room for their
        numbers (:data:`NUMBER_WIDTH`)."""
        width = self.line_width if self.settings.width is None else self.settings.width
        if self.settings.numbered and width:
            return max(width - NUMBER_WIDTH, 1)
        return width

    def blocks(self, derivation: Derivation, settings: RenderSettings) -> Iterator[Block]:
        """The document's blocks, made one at a time (:func:`blocks_of`)."""
        printer = self.dialect(notation(derivation.network, settings.notation), settings,
                               weights_twice=self.writes_given)
        return blocks_of(derivation, printer, self.writes_given, self.writes_tables,
                         self.prints_lines_once)

    def document(self, derivation: Derivation, settings: RenderSettings) -> Document:
        """The whole document, as this writer sees it."""
        return Document(tuple(self.blocks(derivation, settings)))

    def body(self, blocks: Iterable[Block]) -> str:
        """The blocks' texts joined by :attr:`separator`."""
        out = StringIO()
        self.write_body(blocks, out)
        return out.getvalue()

    def write_body(self, blocks: Iterable[Block], out: StringIO) -> None:
        first = True
        for block in blocks:
            text = self.block(block)
            if text is None:
                continue
            if not first:
                out.write(self.separator)
            first = False
            if isinstance(text, Pieces):
                for piece in text:
                    out.write(piece)
            else:
                out.write(text)

    def block(self, block: Block) -> str | Pieces | None:
        """The text of one block, by the writer's method for its type."""
        method = getattr(self, block.method)
        text: str | Pieces | None = method(block)
        return text

    def frame(self, title: str, settings: RenderSettings) -> tuple[str, str]:
        """The texts before and after the blocks' (``title``: the document's title)."""
        return "", "\n"

    # --- one method per block type -----------------------------------------------------
    def title(self, block: Title) -> str | None: raise NotImplementedError
    def inputs(self, block: Inputs) -> str | None: raise NotImplementedError
    def parameters(self, block: ParameterTables) -> str | None: raise NotImplementedError
    def layer(self, block: Layer) -> str | Pieces | None: raise NotImplementedError
    def outputs(self, block: Outputs) -> str | Pieces | None: raise NotImplementedError
    def carry_note(self, block: CarryNote) -> str | None: raise NotImplementedError
    def part(self, block: Part) -> str | None: raise NotImplementedError

    def matrix_layer(self, block: MatrixLayer) -> str | Pieces | None:
        """A layer in matrix form: by default as a layer with no parameters given."""
        return self.layer(Layer(block.heading, (), block.lines, block.alt))


class MathsOnly:
    """A writer of the steps' maths alone: no title, inputs or parameter tables (the
    MathML elements, a notebook's display formula, a quiz's feedback)."""

    def title(self, block: Title) -> None:
        return None

    def inputs(self, block: Inputs) -> None:
        return None

    def parameters(self, block: ParameterTables) -> None:
        return None
