"""Neurons, dense layers and networks: immutable, exact, validated when built."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .activations import Activation, activation as _activation
from .errors import InputError
from .numbers import exact

if TYPE_CHECKING:  # pragma: no cover
    from .steps import Derivation


def _vector(values: Any, field: str, what: str) -> tuple[Fraction, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InputError(f"expected a list of numbers ({what}), got {type(values).__name__}",
                         field=field)
    return tuple(exact(value, f"{field}[{i}]") for i, value in enumerate(values, 1))


def _labels(values: Any, field: str, count: int) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InputError("expected a list of texts", field=field)
    labels = tuple(values)
    for i, label in enumerate(labels, 1):
        if not isinstance(label, str):
            raise InputError(f"expected a text, got {type(label).__name__}", field=f"{field}[{i}]")
    if len(labels) != count:
        raise InputError(f"expected {count} labels, got {len(labels)}", field=field)
    return labels


@dataclass(frozen=True, init=False)
class Neuron:
    """One neuron: ``z = sum_i w_i x_i + b``, ``a = activation(z)``."""

    weights: tuple[Fraction, ...]
    bias: Fraction
    activation: Activation

    def __init__(self, weights: Sequence[Any], bias: Any = 0,
                 activation: "str | Activation | dict" = "sigmoid") -> None:
        object.__setattr__(self, "weights", _vector(weights, "weights", "one per input"))
        object.__setattr__(self, "bias", exact(bias, "bias"))
        object.__setattr__(self, "activation", _activation(activation))
        if not self.weights:
            raise InputError("expected at least one weight", field="weights")

    def layer(self) -> "Dense":
        """This neuron as a layer of one neuron."""
        return Dense([self.weights], [self.bias], self.activation)


@dataclass(frozen=True, init=False)
class Dense:
    """A fully connected layer: one row of ``weights`` and one bias per neuron."""

    weights: tuple[tuple[Fraction, ...], ...]
    biases: tuple[Fraction, ...]
    activation: Activation

    def __init__(self, weights: Sequence[Sequence[Any]], biases: Sequence[Any],
                 activation: "str | Activation | dict" = "sigmoid") -> None:
        if isinstance(weights, (str, bytes)) or not isinstance(weights, Iterable):
            raise InputError("expected a list of rows, one per neuron", field="weights")
        rows = tuple(_vector(row, f"weights[{j}]", "one per input of the layer")
                     for j, row in enumerate(weights, 1))
        object.__setattr__(self, "weights", rows)
        object.__setattr__(self, "biases", _vector(biases, "biases", "one per neuron"))
        object.__setattr__(self, "activation", _activation(activation))
        self._check_shape()

    def _check_shape(self) -> None:
        if not self.weights:
            raise InputError("expected at least one row (one per neuron)", field="weights")
        width = len(self.weights[0])
        if not width:
            raise InputError("expected at least one weight", field="weights[1]")
        for j, row in enumerate(self.weights, 1):
            if len(row) != width:
                raise InputError(f"expected {width} weights (as in weights[1]), got {len(row)}",
                                 field=f"weights[{j}]")
        if len(self.biases) != len(self.weights):
            raise InputError(f"expected {len(self.weights)} biases (one per neuron, as there are "
                             f"{len(self.weights)} weight rows), got {len(self.biases)}",
                             field="biases")

    @property
    def size(self) -> int:
        """The number of neurons."""
        return len(self.weights)

    @property
    def fan_in(self) -> int:
        """The number of inputs of each neuron."""
        return len(self.weights[0])

    @property
    def neurons(self) -> tuple[Neuron, ...]:
        return tuple(Neuron(row, bias, self.activation)
                     for row, bias in zip(self.weights, self.biases))


@dataclass(frozen=True, init=False)
class Network:
    """Layers in order, the inputs of a worked example (optional), and a title.

    ``layers`` may hold :class:`Dense` layers or single :class:`Neuron` objects.
    """

    layers: tuple[Dense, ...]
    inputs: tuple[Fraction, ...] | None
    title: str
    input_labels: tuple[str, ...]
    output_labels: tuple[str, ...]

    def __init__(self, layers: Sequence["Dense | Neuron"], inputs: Sequence[Any] | None = None,
                 title: str = "", input_labels: Sequence[str] | None = None,
                 output_labels: Sequence[str] | None = None) -> None:
        built = tuple(layer.layer() if isinstance(layer, Neuron) else layer for layer in layers)
        if not built:
            raise InputError("expected at least one layer", field="layers")
        for l, layer in enumerate(built, 1):
            if not isinstance(layer, Dense):
                raise InputError(f"expected a Dense layer or a Neuron, got {type(layer).__name__}",
                                 field=f"layers[{l}]")
        if not isinstance(title, str):
            raise InputError(f"expected a text, got {type(title).__name__}", field="title")
        object.__setattr__(self, "layers", built)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "inputs", None if inputs is None else self.check_inputs(inputs))
        object.__setattr__(self, "input_labels",
                           _labels(input_labels, "input_labels", self.n_inputs))
        object.__setattr__(self, "output_labels",
                           _labels(output_labels, "output_labels", self.n_outputs))
        self._check_connections()

    def _check_connections(self) -> None:
        for l in range(1, len(self.layers)):
            before, layer = self.layers[l - 1], self.layers[l]
            if layer.fan_in != before.size:
                row = next(j for j, r in enumerate(layer.weights, 1) if len(r) != before.size)
                raise InputError(f"expected {before.size} weights (one per neuron of layer {l}), "
                                 f"got {layer.fan_in}", field=f"layers[{l + 1}].weights[{row}]")

    def check_inputs(self, inputs: Sequence[Any], field: str = "inputs") -> tuple[Fraction, ...]:
        """``inputs`` as exact numbers, checked against the first layer's width."""
        values = _vector(inputs, field, "one per input")
        if len(values) != self.n_inputs:
            raise InputError(f"expected {self.n_inputs} inputs (one per weight of a layer-1 "
                             f"neuron), got {len(values)}", field=field)
        return values

    @property
    def n_inputs(self) -> int:
        return self.layers[0].fan_in

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].size

    @property
    def shape(self) -> tuple[int, ...]:
        """``(inputs, layer 1 size, ..., output size)``, e.g. ``(3, 4, 2)``."""
        return (self.n_inputs, *(layer.size for layer in self.layers))

    def forward(self, inputs: Sequence[Any] | None = None, *, digits: int = 4,
                carry: str = "shown") -> "Derivation":
        """The worked forward pass: one ``z`` and one ``a`` step per neuron, exact values,
        shown to ``digits`` places; ``carry`` is ``"shown"`` (the course's way: the next step
        uses the rounded value shown) or ``"exact"``."""
        from .forward import forward
        return forward(self, inputs, digits=digits, carry=carry)
