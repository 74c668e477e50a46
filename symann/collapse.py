"""The linear collapse: a network whose layers are all identity multiplied out, exactly,
into one affine map ``a = W x + b``.

``W = W^{(L)} ⋯ W^{(1)}`` and ``b = W^{(L)}(⋯(W^{(2)} b^{(1)} + b^{(2)})⋯) + b^{(L)}``, each
computed one layer at a time in :class:`~fractions.Fraction`: stage ``l`` is the map of
the first ``l`` layers, ``W_l = W^{(l)} W_{l-1}``, ``b_l = W^{(l)} b_{l-1} + b^{(l)}``. The
stages are kept, so that the worked solution (:mod:`symann.render.collapse`) shows every
product without computing anything again. What is linear is the registry's to say
(:attr:`symann.activations.Entry.linear`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import limits
from .errors import InputError
from .formats import COLLAPSE_DISPLAYS, RenderSettings, collapse_writer
from .model import DEFAULT_ACTIVATION, Dense, Network
from .numbers import MAX_SIGNIFICANT, MAX_TEXT, decimal_text, file_text, fraction_text

Matrix = tuple[tuple[Fraction, ...], ...]
Vector = tuple[Fraction, ...]
#: a numerator and denominator of at most so many bits (about 90 digits) are always within
#: what a network file holds: the exact check is left for larger ones
_READABLE_BITS = 300


@dataclass(frozen=True)
class Stage:
    """The first :attr:`layers` layers multiplied out: ``a^{(layers)} = weights x + biases``."""

    layers: int
    weights: Matrix
    biases: Vector


@dataclass(frozen=True)
class Collapse:
    """A network of identity layers as one affine map: :attr:`weights` (one row per
    output, one column per input) and :attr:`biases`, exact; :attr:`stages` are the maps of
    the first 1, 2, …, L layers, the last being the whole network's."""

    network: Network
    stages: tuple[Stage, ...]

    @property
    def weights(self) -> Matrix:
        """``W = W^{(L)} ⋯ W^{(1)}``, exact: one row per output."""
        return self.stages[-1].weights

    @property
    def biases(self) -> Vector:
        """``b``, exact: one per output."""
        return self.stages[-1].biases

    def apply(self, inputs: Sequence[Any]) -> Vector:
        """``W x + b`` for ``inputs`` (read exactly, as :meth:`Network.forward` reads them)."""
        x = self.network.check_inputs(inputs)
        return tuple(sum((w * v for w, v in zip(row, x)), bias)
                     for row, bias in zip(self.weights, self.biases))

    def as_network(self) -> Network:
        """The collapsed map as a network of one identity layer (the same inputs and title):
        it computes what :attr:`network` computes, and :func:`symann.dumps` writes it as a
        file that :func:`symann.load` reads back (:func:`collapse` refuses a value that a
        network file cannot hold)."""
        network = self.network
        return Network([Dense([list(row) for row in self.weights], list(self.biases),
                              "identity")], inputs=network.inputs, title=network.title,
                       input_labels=network.input_labels or None,
                       output_labels=network.output_labels or None)

    def render(self, format: str = "text", settings: RenderSettings | None = None,
               **options: Any) -> str:
        """The worked collapse in ``format`` (``text``, ``latex``, ``mathml``, ``markdown``,
        ``html``; ``json`` is the map alone: ``{"weights": [[…]], "biases": […]}``), with
        :class:`~symann.formats.RenderSettings` (``numbers``, ``terms``, ``width``,
        ``standalone``, …) given as ``settings`` or as keywords."""
        chosen = (settings or RenderSettings()).replace(**options)
        return collapse_writer(format).write(self, chosen)

    def to_text(self, **options: Any) -> str:
        return self.render("text", **options)

    def to_latex(self, **options: Any) -> str:
        return self.render("latex", **options)

    def to_json(self, **options: Any) -> str:
        return self.render("json", **options)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """A notebook shows the collapse as typeset maths (as a derivation)."""
        settings = RenderSettings()
        return {media: shown.write(self, settings) for media, shown in COLLAPSE_DISPLAYS.items()}

    def __str__(self) -> str:
        return self.to_text()


def collapse(network: Network) -> Collapse:
    """``network`` multiplied out into one affine map ``W x + b``, exactly. Every layer must
    be linear (``identity``); otherwise an :class:`~symann.errors.InputError` names the
    first layer that is not (``layers[2].activation``), and one if ``network`` is not a
    :class:`~symann.model.Network`."""
    if not isinstance(network, Network):
        raise InputError(f"expected a Network (symann.load(...) reads a file), got "
                         f"{type(network).__name__}", field="network")
    check_linear(network)
    check_size(network)
    first = network.layers[0]
    stages = [Stage(1, first.weights, first.biases)]
    for number, layer in enumerate(network.layers[1:], 2):
        before = stages[-1]
        stage = Stage(number, multiply(layer.weights, before.weights),
                      tuple(sum((w * c for w, c in zip(row, before.biases)), bias)
                            for row, bias in zip(layer.weights, layer.biases)))
        check_values(stage)
        stages.append(stage)
    return Collapse(network, tuple(stages))


def multiply(left: Matrix, right: Matrix) -> Matrix:
    """The matrix product ``left right``, exact."""
    columns = tuple(zip(*right))
    return tuple(tuple(sum((a * b for a, b in zip(row, column)), Fraction(0))
                       for column in columns) for row in left)


def check_linear(network: Network) -> None:
    """Raise an :class:`~symann.errors.InputError` naming the first layer that is not linear
    (and saying so when it is the default, or computes ``z`` under another name)."""
    for number, layer in enumerate(network.layers, 1):
        activation = layer.activation
        if activation.linear:
            continue
        name = activation.describe()
        if name == DEFAULT_ACTIVATION:
            name += ", the default when activation is omitted"
        if activation.computes_identity:
            why = (f"computes z but is written as {activation.display()}: write identity to "
                   "collapse it")
        else:
            why = "is not linear: only identity layers collapse into one affine map"
        raise InputError(f"layer {number} ({name}) {why}", field=f"layers[{number}].activation")


def check_values(stage: Stage) -> None:
    """Refuse a value that a network file cannot hold (:func:`~symann.numbers.file_text`:
    a decimal of at most :data:`~symann.numbers.MAX_SIGNIFICANT` digits or a fraction of
    at most :data:`~symann.numbers.MAX_TEXT` characters), naming the layer where it arose:
    so the map, and every stage, is a layer that :func:`symann.load` reads back."""
    columns = len(stage.weights[0])
    values = (*(w for row in stage.weights for w in row), *stage.biases)
    for at, value in enumerate(values):
        if max(abs(value.numerator).bit_length(), value.denominator.bit_length()) \
                <= _READABLE_BITS or file_text(value) is not None:
            continue
        row, column = divmod(at, columns)
        name = (f"weights[{row + 1}][{column + 1}]" if row < len(stage.weights)
                else f"biases[{at - len(stage.weights) * columns + 1}]")
        decimal = decimal_text(value)
        size = (f"a decimal of {len(decimal.lstrip('-').replace('.', '').lstrip('0'))} "
                "significant digits" if decimal is not None else
                f"a fraction of {len(fraction_text(value))} characters")
        shown = (decimal or fraction_text(value))[:12]
        raise InputError(f"multiplied out through layer {stage.layers}, the collapse's "
                         f"{name} is {shown}…, {size}: more than "
                         f"a network file holds (a decimal of at most {MAX_SIGNIFICANT} "
                         f"digits or a fraction of at most {MAX_TEXT} characters), so it "
                         "is not collapsed", field=f"layers[{stage.layers}]")


def check_size(network: Network) -> None:
    """Refuse a collapse of more than :data:`~symann.limits.COLLAPSE_PRODUCTS`
    multiplications."""
    products = sum(layer.size * layer.fan_in * (network.n_inputs + 1)
                   for layer in network.layers[1:])
    if products > limits.COLLAPSE_PRODUCTS:
        raise InputError(f"multiplying this network out takes {products:,} multiplications; "
                         f"the limit is {limits.COLLAPSE_PRODUCTS:,}", field="layers")


__all__ = ["Collapse", "Stage", "collapse"]
