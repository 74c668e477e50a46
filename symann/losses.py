"""Losses: a registry, one entry each, the single source of what a loss is.

An entry gives the loss's names, its definition as a formula of the targets ``y_j`` and
the outputs ``a_j`` (which the worked solution substitutes values into, and
:mod:`symann.evaluate` computes), its derivative with respect to one output, the output
activations it accepts, whether targets must be probabilities, and the output activations
with which ``δ = ∂L/∂z`` simplifies (softmax with cross-entropy: ``a − y``), with the
formula and the reason. Adding a loss is adding one entry to :data:`LOSSES`.

The formulas take the output's and the target's formula nodes and the number of outputs
``n`` (the mean of ``mse`` and ``binary_cross_entropy`` divides by it).
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .errors import InputError
from .formula import Constant, Log, Negate, Node, Power, Product, Quotient, Sum

ONE, TWO = Constant(Fraction(1)), Constant(Fraction(2))
#: ``definition(targets, outputs, activation)``: the loss as a formula
Definition = Callable[[Sequence[Node], Sequence[Node], str], Node]
#: ``gradient(target, output, n, activation)``: ∂L/∂a_j as a formula
Gradient = Callable[[Node, Node, int, str], Node]
#: ``simplified(target, output, n)``: ∂L/∂z_j as a formula, where it simplifies
Simplified = Callable[[Node, Node, int], Node]


@dataclass(frozen=True, eq=False)
class Loss:
    """One loss of the registry (compared, and hashed, as the registry's object)."""

    name: str
    #: for headings: ``squared error``
    display: str
    summary: str
    definition: Definition
    gradient: Gradient
    #: the output activations it accepts (None: every element-wise one)
    accepts: tuple[str, ...] | None = None
    #: whether every target must lie in [0, 1]
    probabilities: bool = False
    #: whether the targets must sum to 1, by output activation
    distribution: tuple[str, ...] = ()
    #: output activation -> (∂L/∂z_j as a formula, why it is so)
    simplifies: dict[str, tuple[Simplified, str]] = field(default_factory=dict)


def _difference(left: Node, right: Node) -> Node:
    return Sum((left, Negate(right)))


def _mean(node: Node, n: int) -> Node:
    """``node / n``; ``node`` itself for one output."""
    return node if n == 1 else Quotient(node, Constant(Fraction(n)))


def _scaled(factor: Fraction, node: Node) -> Node:
    """``factor · node``; ``node`` itself where the factor is 1 (``2/n`` for two outputs)."""
    return node if factor == 1 else Product((Constant(factor), node))


# The definitions are written out as sums of one term per output (or two), so that a
# long line breaks between them: ``(y₁ − a₁)²/2 + (y₂ − a₂)²/2``, ``−y₁ ln a₁ − y₂ ln a₂``.

def _squares(ys: Sequence[Node], outs: Sequence[Node], divisor: int) -> Node:
    """``Σ (y − a)² / divisor``, a term per output."""
    return Sum(tuple(Quotient(Power(_difference(y, a), TWO), Constant(Fraction(divisor)))
                     for y, a in zip(ys, outs)))


def _binary(y: Node, a: Node, n: int) -> tuple[Node, ...]:
    """``−y ln(a)`` and ``−(1 − y) ln(1 − a)``, each divided by ``n`` (above 1)."""
    return (Negate(_mean(Product((y, Log(a))), n)),
            Negate(_mean(Product((_difference(ONE, y), Log(_difference(ONE, a)))), n)))


def _cross_entropy(ys: Sequence[Node], outs: Sequence[Node], activation: str) -> Node:
    """``−Σ y ln a`` over a softmax layer; with sigmoid outputs each output is a binary
    choice: ``−Σ [y ln a + (1 − y) ln(1 − a)]``."""
    if activation == "softmax":
        return Sum(tuple(Negate(Product((y, Log(a)))) for y, a in zip(ys, outs)))
    return Sum(tuple(term for y, a in zip(ys, outs) for term in _binary(y, a, 1)))


def _cross_entropy_gradient(y: Node, a: Node, n: int, activation: str) -> Node:
    if activation == "softmax":
        return Negate(Quotient(y, a))
    return Quotient(_difference(a, y), Product((a, _difference(ONE, a))))


_A_MINUS_Y: Simplified = lambda y, a, n: _difference(a, y)  # noqa: E731
_MEAN_A_MINUS_Y: Simplified = lambda y, a, n: _mean(_difference(a, y), n)  # noqa: E731
_SIGMOID_CANCELS = ("each δ of the layer: σ'(z) = a(1 − a) cancels the denominator of "
                    "∂L/∂a = (a − y) / (a(1 − a))")

#: every loss symann knows, by the name a network file gives (``loss = "mse"``)
LOSSES: dict[str, Loss] = {
    "squared_error": Loss(
        "squared_error", "squared error", "½ Σ (y − a)²",
        definition=lambda ys, outs, act: _squares(ys, outs, 2),
        gradient=lambda y, a, n, act: _difference(a, y)),
    "mse": Loss(
        "mse", "mean squared error", "(1/n) Σ (y − a)², n outputs",
        definition=lambda ys, outs, act: _squares(ys, outs, len(ys)),
        gradient=lambda y, a, n, act: _scaled(Fraction(2, n), _difference(a, y))),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy", "binary cross-entropy",
        "−(1/n) Σ [y ln a + (1 − y) ln(1 − a)], n sigmoid outputs",
        definition=lambda ys, outs, act: Sum(tuple(
            term for y, a in zip(ys, outs) for term in _binary(y, a, len(ys)))),
        gradient=lambda y, a, n, act: _mean(Quotient(_difference(a, y), Product(
            (a, _difference(ONE, a)))), n),
        accepts=("sigmoid",), probabilities=True,
        simplifies={"sigmoid": (_MEAN_A_MINUS_Y, _SIGMOID_CANCELS)}),
    "cross_entropy": Loss(
        "cross_entropy", "cross-entropy",
        "−Σ y ln a over softmax outputs; −Σ [y ln a + (1 − y) ln(1 − a)] over sigmoid ones",
        definition=_cross_entropy,
        gradient=_cross_entropy_gradient,
        accepts=("softmax", "sigmoid"), probabilities=True, distribution=("softmax",),
        simplifies={
            "softmax": (_A_MINUS_Y, "softmax with cross-entropy: each δ of the layer is "
                        "a − y, since ∂L/∂a = −y/a times the softmax's derivative, summed "
                        "over the layer's outputs, gives a·Σy − y = a − y, as the targets "
                        "sum to 1"),
            "sigmoid": (_A_MINUS_Y, _SIGMOID_CANCELS)}),
}


def loss(name: Any, field: str = "loss") -> Loss:
    """The loss named ``name``; an unknown one suggests the closest name."""
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str):
        raise InputError(f"expected a loss name, got {type(name).__name__}", field=field)
    key = name.strip().lower()
    if key not in LOSSES:
        close = difflib.get_close_matches(key, list(LOSSES), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(f"unknown loss {name!r}{hint} (known: {', '.join(LOSSES)})",
                         field=field)
    return LOSSES[key]


def check(chosen: Loss, activation: str, layerwise: bool, targets: Sequence[Fraction]) -> None:
    """Refuse a loss on outputs it does not accept (``activation``: the output layer's,
    ``layerwise`` whether it is a function of the whole layer, as softmax), and targets it
    cannot take; each error names the field (``loss``, ``targets[2]``)."""
    if chosen.accepts is not None and activation not in chosen.accepts:
        raise InputError(f"{chosen.name} needs {' or '.join(chosen.accepts)} outputs, but the "
                         f"output layer's activation is {activation}", field="loss")
    if layerwise and activation not in chosen.simplifies:
        usable = [name for name, loss in LOSSES.items() if activation in loss.simplifies]
        raise InputError(f"{chosen.name} on {activation} outputs needs the full {activation} "
                         f"Jacobian, which symann does not derive: use {' or '.join(usable)} "
                         f"with {activation} outputs", field="loss")
    if chosen.probabilities:
        for j, y in enumerate(targets, 1):
            if not 0 <= y <= 1:
                raise InputError(f"expected a probability from 0 to 1 for {chosen.name}, got "
                                 f"{float(y):g}", field=f"targets[{j}]")
    if activation in chosen.distribution and sum(targets) != 1:
        raise InputError(f"expected targets that sum to 1 (a distribution, e.g. one-hot) for "
                         f"{chosen.name} with {activation} outputs, got a sum of "
                         f"{float(sum(targets)):g}", field="targets")


__all__ = ["LOSSES", "Loss", "check", "loss"]
