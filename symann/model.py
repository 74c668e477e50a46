"""Neurons, dense layers and networks: immutable, exact, validated when built."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Number
from typing import TYPE_CHECKING, Any

import numpy as np

from .activations import Activation, activation as _activation
from .backpropagation import backward as _backward
from .compile import CompiledNetwork
from .errors import InputError
from .losses import Loss, check as _check_loss, loss as _loss
from .numbers import exact
from .propagation import forward as _forward

if TYPE_CHECKING:
    from .steps import Derivation


def _kind(value: Any) -> str:
    """What a value is, in a message: ``a number`` (not ``Decimal``), ``a text``."""
    if isinstance(value, Number) and not isinstance(value, bool):
        return f"a single number ({value})"
    return "a text" if isinstance(value, (str, bytes)) else type(value).__name__


def _vector(values: Any, field: str, what: str) -> tuple[Fraction, ...]:
    if isinstance(values, np.ndarray):
        values = list(values)
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InputError(f"expected a list of numbers ({what}), got {_kind(values)}",
                         field=field)
    return tuple(exact(_python(value), f"{field}[{i}]") for i, value in enumerate(values, 1))


def _python(value: Any) -> Any:
    """A NumPy number as the Python number it prints as (``np.float32(0.1)`` is 0.1)."""
    if isinstance(value, np.floating):
        return float(str(value))
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    return value


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


#: the activation of a neuron or layer that names none (a network file's layer without
#: ``activation``)
DEFAULT_ACTIVATION = "sigmoid"


@dataclass(frozen=True, init=False)
class Neuron:
    """One neuron: ``z = sum_i w_i x_i + b``, ``a = activation(z)``."""

    weights: tuple[Fraction, ...]
    bias: Fraction
    activation: Activation

    def __init__(self, weights: Sequence[Any], bias: Any = 0,
                 activation: str | Activation | dict[str, Any] = DEFAULT_ACTIVATION) -> None:
        object.__setattr__(self, "weights", _vector(weights, "weights", "one per input"))
        object.__setattr__(self, "bias", exact(bias, "bias"))
        object.__setattr__(self, "activation", _activation(activation))
        if not self.weights:
            raise InputError("expected at least one weight", field="weights")

    def layer(self) -> Dense:
        """This neuron as a layer of one neuron."""
        return Dense([list(self.weights)], [self.bias], self.activation)


class Dense:
    """A fully connected layer: one row of ``weights`` and one bias per neuron.

    Weights given as lists are read exactly at once; weights given as NumPy arrays (large
    networks) are kept as arrays and read exactly only when a derivation needs them, each
    float taken as the decimal it prints as. ``matrix`` and ``vector`` are float64 arrays
    that cannot be written (nor made writable).
    """

    __slots__ = ("_weights", "_biases", "_matrix", "_vector", "activation")
    _weights: tuple[tuple[Fraction, ...], ...] | None
    _biases: tuple[Fraction, ...] | None
    _matrix: np.ndarray
    _vector: np.ndarray
    activation: Activation

    def __init__(self, weights: Any, biases: Any,
                 activation: str | Activation | dict[str, Any] = DEFAULT_ACTIVATION) -> None:
        act = _activation(activation)
        if isinstance(weights, np.ndarray) or isinstance(biases, np.ndarray):
            matrix, vector = _arrays(weights, biases)
            exact_weights = exact_biases = None
        else:
            if isinstance(weights, (str, bytes)) or not isinstance(weights, Iterable):
                raise InputError("expected a list of rows, one per neuron", field="weights")
            exact_weights = tuple(_vector(row, f"weights[{j}]", "one per input of the layer")
                                  for j, row in enumerate(weights, 1))
            exact_biases = _vector(biases, "biases", "one per neuron")
            _check_shape([len(row) for row in exact_weights], len(exact_biases))
            matrix = np.array([[float(w) for w in row] for row in exact_weights], dtype=float)
            vector = np.array([float(b) for b in exact_biases], dtype=float)
        matrix.setflags(write=False)
        vector.setflags(write=False)
        for name, value in (("_weights", exact_weights), ("_biases", exact_biases),
                            ("_matrix", matrix), ("_vector", vector), ("activation", act)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Dense layer is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a Dense layer is immutable")

    @property
    def matrix(self) -> np.ndarray:
        """The weights as float64, one row per neuron: a read-only view (its base is
        read-only, so ``setflags(write=True)`` fails)."""
        return self._matrix.view()

    @property
    def vector(self) -> np.ndarray:
        """The biases as float64: a read-only view."""
        return self._vector.view()

    @property
    def weights(self) -> tuple[tuple[Fraction, ...], ...]:
        """The weights, exact: one row per neuron."""
        weights = self._weights
        if weights is None:
            weights = tuple(tuple(exact(float(w)) for w in row) for row in self.matrix)
            object.__setattr__(self, "_weights", weights)
        return weights

    @property
    def biases(self) -> tuple[Fraction, ...]:
        """The biases, exact."""
        biases = self._biases
        if biases is None:
            biases = tuple(exact(float(b)) for b in self.vector)
            object.__setattr__(self, "_biases", biases)
        return biases

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dense):
            return NotImplemented
        return self.activation == other.activation and self.matrix.shape == \
            other.matrix.shape and self.weights == other.weights and self.biases == other.biases

    def __hash__(self) -> int:
        return hash((self.activation, self.matrix.shape, self.matrix.tobytes()))

    def __repr__(self) -> str:
        return f"Dense({self.fan_in} inputs -> {self.size} neurons, {self.activation.describe()})"

    @property
    def size(self) -> int:
        """The number of neurons."""
        return int(self.matrix.shape[0])

    @property
    def fan_in(self) -> int:
        """The number of inputs of each neuron."""
        return int(self.matrix.shape[1])

    @property
    def neurons(self) -> tuple[Neuron, ...]:
        return tuple(Neuron(row, bias, self.activation)
                     for row, bias in zip(self.weights, self.biases))


def _check_shape(widths: list[int], n_biases: int) -> None:
    if not widths:
        raise InputError("expected at least one row (one per neuron)", field="weights")
    if not widths[0]:
        raise InputError("expected at least one weight", field="weights[1]")
    for j, width in enumerate(widths, 1):
        if width != widths[0]:
            raise InputError(f"expected {widths[0]} weights (as in weights[1]), got {width}",
                             field=f"weights[{j}]")
    if n_biases != len(widths):
        raise InputError(f"expected {len(widths)} biases (one per neuron, as there are "
                         f"{len(widths)} weight rows), got {n_biases}", field="biases")


def _as_printed(values: Any) -> np.ndarray:
    """``values`` as float64; a narrower float (float32, float16) as the decimals its numbers
    print as (float32 0.15 is 0.15, not 0.15000000596...), as NumPy scalars are read."""
    array = np.asarray(values)
    if array.dtype.kind == "f" and array.dtype.itemsize < 8:
        return np.array(array.astype(str), dtype=float)
    return np.array(array, dtype=float)


def _arrays(weights: Any, biases: Any) -> tuple[np.ndarray, np.ndarray]:
    """Weights and biases given as arrays: checked for shape and finiteness, as float64."""
    try:
        matrix, vector = _as_printed(weights), _as_printed(biases)
    except (TypeError, ValueError) as error:
        raise InputError(f"expected numbers: {error}", field="weights") from None
    if matrix.ndim != 2:
        raise InputError(f"expected a 2-D array (one row per neuron), got {matrix.ndim}-D",
                         field="weights")
    if vector.ndim != 1:
        raise InputError(f"expected a 1-D array (one per neuron), got {vector.ndim}-D",
                         field="biases")
    _check_shape([matrix.shape[1]] * matrix.shape[0], vector.shape[0])
    for name, array in (("weights", matrix), ("biases", vector)):
        if not np.all(np.isfinite(array)):
            index = tuple(int(i) + 1 for i in np.argwhere(~np.isfinite(array))[0])
            where = "".join(f"[{i}]" for i in index)
            raise InputError("expected a finite number", field=f"{name}{where}")
    return matrix, vector


def check_learning_rate(value: Any, field: str = "learning_rate") -> Fraction:
    """A learning rate: a positive exact number."""
    try:
        rate = exact(_python(value), field)
    except InputError:   # its message's examples include negative numbers
        got = repr(value) if isinstance(value, str) else _kind(value)
        raise InputError(f'expected a positive number (e.g. 0.5, "1/4" or "2.5e-3"), got {got}',
                         field=field) from None
    if rate <= 0:
        raise InputError(f"expected a positive number, got {float(rate):g}", field=field)
    return rate


@dataclass(frozen=True, init=False)
class Network:
    """Layers in order, the inputs of a worked example (optional), and a title; for the
    backward pass (optional) the ``targets`` (one per output), the ``loss`` (a name of
    :data:`symann.losses.LOSSES`) and a ``learning_rate``.

    ``layers`` may hold :class:`Dense` layers or single :class:`Neuron` objects.
    """

    layers: tuple[Dense, ...]
    inputs: tuple[Fraction, ...] | None
    title: str
    input_labels: tuple[str, ...]
    output_labels: tuple[str, ...]
    targets: tuple[Fraction, ...] | None
    loss: Loss | None
    learning_rate: Fraction | None

    def __init__(self, layers: Sequence[Dense | Neuron], inputs: Sequence[Any] | None = None,
                 title: str = "", input_labels: Sequence[str] | None = None,
                 output_labels: Sequence[str] | None = None, *,
                 targets: Sequence[Any] | None = None, loss: str | Loss | None = None,
                 learning_rate: Any = None) -> None:
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
        object.__setattr__(self, "targets",
                           None if targets is None else self.check_targets(targets))
        object.__setattr__(self, "loss", None if loss is None else _loss(loss))
        object.__setattr__(self, "learning_rate", None if learning_rate is None
                           else check_learning_rate(learning_rate))
        if self.loss is not None:
            output = self.layers[-1].activation
            _check_loss(self.loss, output.name, output.layerwise, self.targets or ())

    def check_targets(self, targets: Sequence[Any], field: str = "targets") -> tuple[Fraction, ...]:
        """``targets`` as exact numbers, one per output."""
        values = _vector(targets, field, "one per output")
        if len(values) != self.n_outputs:
            raise InputError(f"expected {self.n_outputs} targets (one per output neuron), got "
                             f"{len(values)}", field=field)
        return values

    def _check_connections(self) -> None:
        for l in range(1, len(self.layers)):
            before, layer = self.layers[l - 1], self.layers[l]
            if layer.fan_in != before.size:
                raise InputError(f"expected {before.size} weights (one per neuron of layer {l}), "
                                 f"got {layer.fan_in}", field=f"layers[{l + 1}].weights[1]")

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
                carry: str = "shown") -> Derivation:
        """The worked forward pass: one ``z`` and one ``a`` step per neuron, exact values,
        shown to ``digits`` places; ``carry`` is ``"shown"`` (the course's way: the next step
        uses the rounded value shown) or ``"exact"``."""
        return _forward(self, inputs, digits=digits, carry=carry)

    def backward(self, inputs: Sequence[Any] | None = None, *, targets: Sequence[Any] | None = None,
                 loss: str | Loss | None = None, learning_rate: Any = None, digits: int = 4,
                 carry: str = "shown") -> Derivation:
        """The worked forward pass, then the backward pass: the loss, each error term
        ``δ = ∂L/∂z``, each gradient ``∂L/∂w`` and ``∂L/∂b`` and, with a learning rate,
        one gradient-descent step ``w' = w − η ∂L/∂w``. ``targets``, ``loss`` and
        ``learning_rate`` default to the network's own."""
        return _backward(self, inputs, targets=targets, loss=loss, learning_rate=learning_rate,
                         digits=digits, carry=carry)

    def updated(self, derivation: Derivation) -> Network:
        """This network after the gradient-descent step of ``derivation`` (a backward pass
        with a learning rate): each weight and bias replaced by its update step's value as
        shown (exact where it is rational and fits the digits), everything else kept; the
        targets, loss and learning rate are those the derivation used (given to
        :meth:`backward` or the network's own), so ``net.updated(d).backward()`` is the
        next iteration."""
        if derivation.learning_rate is None:
            raise InputError("the derivation has no gradient-descent step: give a learning "
                             "rate", field="learning_rate")
        shown = {step.id: step.shown.value for step in derivation.backward_steps}
        layers = [Dense([[shown[f"uw{l}_{j}_{k}"] for k in range(1, layer.fan_in + 1)]
                         for j in range(1, layer.size + 1)],
                        [shown[f"ub{l}_{j}"] for j in range(1, layer.size + 1)],
                        layer.activation)
                  for l, layer in enumerate(self.layers, 1)]
        return Network(layers, self.inputs, self.title, self.input_labels or None,
                       self.output_labels or None, targets=derivation.targets,
                       loss=derivation.loss, learning_rate=derivation.learning_rate)

    def compile(self, dtype: Any = np.float64) -> CompiledNetwork:
        """A fast batched NumPy function: ``f(X)`` maps ``(batch, n_inputs)`` inputs (or one
        vector) to ``(batch, n_outputs)``; ``f(X, trace=True)`` gives every layer's z and a."""
        return CompiledNetwork(self, dtype)
