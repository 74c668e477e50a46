"""The quantities of a network and their references: what a step defines or uses.

A :class:`Ref` names one quantity by structured indices (layer, neuron, source), never by
parsing a written name. Its :attr:`Ref.id` is the plain identifier that answer files, JSON
and compiled code use (``z2_1``, ``w1_2_3``); :func:`parse_id` reads one back. Both live
here and nowhere else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .errors import InputError


class Quantity(str, Enum):
    """A kind of quantity; the value is the letter of its plain id."""

    INPUT = "x"
    WEIGHT = "w"
    BIAS = "b"
    PRE_ACTIVATION = "z"
    ACTIVATION = "a"
    SOFTMAX_SUM = "s"
    WEIGHT_MATRIX = "W"
    # the backward pass (:mod:`symann.backpropagation`)
    TARGET = "y"
    LEARNING_RATE = "eta"
    LOSS = "L"
    DELTA = "d"
    SLOPE = "ds"
    GRAD_WEIGHT = "gw"
    GRAD_BIAS = "gb"
    UPDATE_WEIGHT = "uw"
    UPDATE_BIAS = "ub"

    __str__ = str.__str__

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)

    @property
    def derived(self) -> bool:
        """Whether a step computes it (``z``, ``a``, the softmax sum), rather than it being
        given with the network."""
        return self in _DERIVED

    @property
    def backward(self) -> bool:
        """Whether it belongs to the backward pass (loss, targets, gradients, updates)."""
        return self in _BACKWARD

    @property
    def word(self) -> str:
        """The name JSON gives the kind: the letter for the forward pass (``z``, ``a``,
        ``s``), a word for the backward pass (``loss``, ``delta``, ``grad_w``, ...)."""
        return str(_WORDS.get(self, self.value))


_DERIVED = frozenset((Quantity.PRE_ACTIVATION, Quantity.ACTIVATION, Quantity.SOFTMAX_SUM,
                      Quantity.LOSS, Quantity.DELTA, Quantity.SLOPE, Quantity.GRAD_WEIGHT,
                      Quantity.GRAD_BIAS, Quantity.UPDATE_WEIGHT, Quantity.UPDATE_BIAS))
_BACKWARD = frozenset((Quantity.TARGET, Quantity.LEARNING_RATE, Quantity.LOSS, Quantity.DELTA,
                       Quantity.SLOPE, Quantity.GRAD_WEIGHT, Quantity.GRAD_BIAS,
                       Quantity.UPDATE_WEIGHT, Quantity.UPDATE_BIAS))
_WORDS = {Quantity.TARGET: "target", Quantity.LEARNING_RATE: "learning_rate",
          Quantity.LOSS: "loss", Quantity.DELTA: "delta",
          Quantity.SLOPE: "activation_derivative", Quantity.GRAD_WEIGHT: "grad_w",
          Quantity.GRAD_BIAS: "grad_b", Quantity.UPDATE_WEIGHT: "update",
          Quantity.UPDATE_BIAS: "update"}


@dataclass(frozen=True, order=True)
class Ref:
    """One quantity of the network.

    ``layer`` and ``neuron`` count from 1 (neuron 0: the layer's whole vector in the matrix
    form, and the weight matrix itself); ``source`` is the input index of a weight
    (``w^{(layer)}_{neuron, source}``) or of an input ``x_source``.
    """

    kind: Quantity
    layer: int = 0
    neuron: int = 0
    source: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.kind, Quantity):
            object.__setattr__(self, "kind", Quantity(self.kind))

    @property
    def id(self) -> str:
        """The plain identifier: ``x1``, ``w2_1_3``, ``b2_1``, ``z1_2``, ``a1_2``, ``s2``;
        for the backward pass ``y1`` (a target), ``eta``, ``L``, ``d2_1`` (δ),
        ``ds2_1`` (the activation's derivative), ``gw2_1_3``, ``gb2_1`` (gradients),
        ``uw2_1_3``, ``ub2_1`` (the updated weight and bias)."""
        kind = self.kind
        if kind is Quantity.INPUT:
            return f"x{self.source}"
        if kind is Quantity.WEIGHT:
            return f"w{self.layer}_{self.neuron}_{self.source}"
        if kind is Quantity.TARGET:
            return f"y{self.neuron}"
        if kind in (Quantity.LOSS, Quantity.LEARNING_RATE):
            return str(kind.value)
        if kind in (Quantity.GRAD_WEIGHT, Quantity.UPDATE_WEIGHT):
            return f"{kind.value}{self.layer}_{self.neuron}_{self.source}"
        if kind is Quantity.SOFTMAX_SUM:
            return f"s{self.layer}"
        if kind is Quantity.WEIGHT_MATRIX or not self.neuron:
            return f"{kind.value}{self.layer}"
        return f"{kind.value}{self.layer}_{self.neuron}"

    @property
    def plain(self) -> str:
        """The same as :attr:`id` (the name compiled code and SymPy symbols use)."""
        return self.id


_ID = re.compile(r"x(?P<x>\d+)|(?P<wkind>w|gw|uw)(?P<wl>\d+)_(?P<wj>\d+)_(?P<wk>\d+)"
                 r"|s(?P<s>\d+)|y(?P<y>\d+)|(?P<single>L|eta)"
                 r"|(?P<kind>[bza]|d|ds|gb|ub)(?P<l>\d+)_(?P<j>\d+)")


def parse_id(text: str, field: str = "step") -> Ref:
    """The quantity a plain id names (``"z2_1"``); an :class:`InputError` otherwise."""
    match = _ID.fullmatch(text.strip())
    if match is None:
        raise InputError(f"expected a quantity id such as z1_1, a2_1, s2, w1_1_2, b1_1 or x1 "
                         f"(backward: L, d2_1, ds2_1, gw2_1_1, gb2_1, uw2_1_1, ub2_1), "
                         f"got {text!r}", field=field)
    if match["x"]:
        return Ref(Quantity.INPUT, source=int(match["x"]))
    if match["wl"]:
        return Ref(Quantity(match["wkind"]), int(match["wl"]), int(match["wj"]),
                   int(match["wk"]))
    if match["y"]:
        return Ref(Quantity.TARGET, neuron=int(match["y"]))
    if match["single"]:
        return Ref(Quantity(match["single"]))
    if match["s"]:
        return Ref(Quantity.SOFTMAX_SUM, int(match["s"]))
    return Ref(Quantity(match["kind"]), int(match["l"]), int(match["j"]))
