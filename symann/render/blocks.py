"""The document every format writes: typed blocks, in order.

A :class:`Document` is a title, the given inputs, a table of the network's parameters,
one block per layer (or one neuron of a chain), the outputs and the note on rounding.
Its maths is already written by the dialect printer of the writer that asked for it; its
text (title, headings, labels) is made visible but not escaped: escaping is the writer's.
This module imports no printer and no writer.

Each block names the writer method that writes it (:attr:`Block.method`): a writer
(:class:`symann.render.document.DocumentWriter`) has one method per block type.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Line:
    """``parts[0] = parts[1] = ... relation parts[-1]``, with an optional note.
    ``breaks``, for each part (or none), where its terms after the first begin: the
    places a long line may break (:mod:`~.breaking`). ``number``, the line's equation
    number (0: none), ``label`` its stable name (``symann:z2_1``: a LaTeX label, an HTML
    anchor); ``annotation``, plain text shown after it (an output's label, from the file)."""

    parts: tuple[str, ...]
    relation: str
    note: str = ""
    breaks: tuple[tuple[int, ...], ...] = ()
    number: int = 0
    label: str = ""
    annotation: str = ""


class Block:
    """A block of a document."""

    method: ClassVar[str]


@dataclass(frozen=True)
class Title(Block):
    """The network's title (made visible; may be empty), and whether the document is a
    backward pass (a format that must title it says so)."""

    text: str
    backward: bool = False
    method: ClassVar[str] = "title"


@dataclass(frozen=True)
class Inputs(Block):
    """The given inputs: ``(name, value)`` pairs, and each input's label from the file
    (made visible; none, or one per input, some empty)."""

    given: Pairs
    labels: tuple[str, ...] = ()
    method: ClassVar[str] = "inputs"


@dataclass(frozen=True)
class LayerTable:
    """One layer's parameters: ``rows`` are ``(weights, bias)`` per neuron, as exact
    decimal texts."""

    number: int
    activation: str
    fan_in: int
    rows: tuple[tuple[tuple[str, ...], str], ...]


@dataclass(frozen=True)
class ParameterTables(Block):
    """The network as tables: the inputs ``(label, value)`` and each layer's parameters."""

    inputs: Pairs
    layers: tuple[LayerTable, ...]
    method: ClassVar[str] = "parameters"


@dataclass(frozen=True)
class Layer(Block):
    """One layer (or one neuron of a chain): a plain-text heading, the given parameters
    (one tuple of ``(name, value)`` per neuron) and the lines of its steps."""

    heading: str
    given: tuple[Pairs, ...]
    #: a tuple, or lines printed each time they are read (:class:`~.document.PrintedLines`)
    lines: Sequence[Line]
    #: the plain text of the lines, where a writer asks for it (MathML's ``alttext``)
    alt: str = ""
    method: ClassVar[str] = "layer"


@dataclass(frozen=True)
class MatrixLayer(Block):
    """One layer in matrix form: the layer as one formula, then ``z`` and ``a`` as
    vectors (the parameters are in the lines)."""

    heading: str
    lines: tuple[Line, ...]
    #: the plain text of the lines, where a writer asks for it (MathML's ``alttext``)
    alt: str = ""
    method: ClassVar[str] = "matrix_layer"


@dataclass(frozen=True)
class Outputs(Block):
    """The network's outputs, one line each (``a₂ ≈ 0.6706``)."""

    lines: tuple[Line, ...]
    #: the plain text of the lines, where a writer asks for it (MathML's ``alttext``)
    alt: str = ""
    method: ClassVar[str] = "outputs"


@dataclass(frozen=True)
class Part(Block):
    """The heading of a part of the solution made of several layers (``Backward pass``)."""

    text: str
    method: ClassVar[str] = "part"


@dataclass(frozen=True)
class CarryNote(Block):
    """How values are rounded and carried, in words."""

    text: str
    method: ClassVar[str] = "carry_note"


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if isinstance(b, Title)), "")
