"""The common mistakes, each recognised by recomputing the step the mistaken way.

A diagnosis is offered only for an answer that is wrong, and only when the answer
matches the mistaken computation within the step's tolerance.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Callable, Iterator

import mpmath

from ..activations import activation as make_activation
from ..evaluate import PreciseDomain, apply
from ..formula import Ref
from ..numbers import precise, round_half_up, to_precise
from ..steps import Derivation, Step
from .evaluate import Number, approximate as to_float, as_fraction, to_mpf
from .recompute import Values, recompute
from .tolerance import Tolerance


#: activations a student may apply by mistake, the most common confusions first
SUSPECTS = ("relu", "sigmoid", "tanh", "leaky_relu", "step")
_SUSPECTED = {name: make_activation(name) for name in SUSPECTS}


@dataclass(frozen=True)
class Diagnosis:
    code: str
    message: str


@dataclass(frozen=True)
class Context:
    """What a diagnosis may use: the true values, the student's, and how to name things."""

    derivation: Derivation
    true: Values
    student: Values
    name: Callable[[Ref], str]
    cache: dict = field(default_factory=dict)   # step id -> candidates from true values


def diagnose(step: Step, given: Number, context: Context, tolerance: Tolerance) -> Diagnosis | None:
    """The first common mistake that explains ``given``, or None."""
    digits = context.derivation.digits
    quick = to_float(given)
    if step.id not in context.cache:
        context.cache[step.id] = [(float(v), v, code, message) for v, code, message in
                                  _candidates(step, context, context.true)
                                  if v is not None and precise.isfinite(v)] + \
            [(float(v), v, code, message) for v, code, message in _rounded_early(step, context)]
    same = all(context.student[ref] == context.true[ref] for ref, _ in step.operands)
    fresh = [] if same else [(float(v), v, code, message) for v, code, message in
                             _candidates(step, context, context.student)
                             if v is not None and precise.isfinite(v)]
    for approximate, value, code, message in fresh + context.cache[step.id]:
        if tolerance.near(quick, approximate, digits) and \
                tolerance.accepts(given, value, digits):
            return Diagnosis(code, message())
    return _rounded_answer(step, given)


def _candidates(step: Step, context: Context, values: Values) -> Iterator[tuple]:
    """``(value, code, message)`` of each mistake, made with the given earlier values."""
    if step.quantity == "z":
        yield from _pre_activation(step, context, values)
    elif step.quantity == "a":
        yield from _activation(step, context, values)


def _pre_activation(step: Step, context: Context, values: Values) -> Iterator[tuple]:
    l, j = step.layer, step.ref.neuron
    bias = Ref("b", l, j)
    yield (recompute(step, values) - values[bias], "bias_forgotten",
           lambda: f"the bias {context.name(bias)} seems to be missing: "
                   f"{context.name(step.ref)} = Σ w·x + b")
    layer = context.derivation.network.layers[l - 1]
    sources = [ref for ref, _ in step.operands if ref.kind in "xa"]
    for p, q in combinations(range(1, layer.fan_in + 1), 2):
        swapped = dict(values)
        swapped[Ref("w", l, j, p)], swapped[Ref("w", l, j, q)] = \
            values[Ref("w", l, j, q)], values[Ref("w", l, j, p)]
        yield (recompute(step, swapped), "weights_swapped",
               lambda p=p, q=q: f"the weights of inputs {p} and {q} seem swapped: each "
                                "weight multiplies its own input")
    if layer.size > 1 and j <= layer.fan_in and layer.size >= layer.fan_in:
        transposed = precise.fsum([values[Ref("w", l, k, j)] * values[source]
                                   for k, source in enumerate(sources, 1)])
        yield (transposed + values[bias], "weights_transposed",
               lambda: f"the weight matrix seems transposed: neuron {j} uses row {j} of "
                       f"W⁽{l}⁾ (w_{j}k), not column {j}")


def _activation(step: Step, context: Context, values: Values) -> Iterator[tuple]:
    act = step.activation
    z_ref = Ref("z", step.layer, step.ref.neuron)
    yield (values[z_ref], "z_for_a",
           lambda: f"this is {context.name(z_ref)}; {context.name(step.ref)} is the "
                   f"activation {act.name}({context.name(z_ref)})")
    if act.layerwise:
        yield (precise.exp(values[z_ref]), "softmax_not_normalised",
               lambda: f"e^{context.name(z_ref)} must be divided by the sum over the "
                       "layer (softmax is normalised)")
        return
    if act.name == "sigmoid":
        yield (1 / (1 + precise.exp(values[z_ref])), "exponent_sign",
               lambda: "the sign in the exponent is wrong: σ(z) = 1 / (1 + e^(-z))")
    for name, other in _SUSPECTED.items():
        if name == act.name:
            continue
        yield (apply(other, [to_mpf(values[z_ref])], PreciseDomain()), "wrong_activation",
               lambda name=name: f"this is {name}({context.name(z_ref)}); the layer's "
                                 f"activation is {act.name}")


def _rounded_early(step: Step, context: Context) -> Iterator[tuple]:
    digits = context.derivation.digits
    for places in range(digits - 1, -1, -1):
        rounded: dict[Ref, mpmath.mpf] = dict(context.true)
        for ref, _ in step.operands:
            if ref.kind in "zas":
                value = as_fraction(context.true[ref])
                rounded[ref] = to_precise(round_half_up(value, places))
        if rounded != dict(context.true):
            yield (recompute(step, rounded), "rounded_too_early",
                   lambda places=places: f"earlier values seem rounded to {places} decimal "
                                         f"place(s) before use; carry {digits} places")


def _rounded_answer(step: Step, given: Number) -> Diagnosis | None:
    if not isinstance(given, Fraction):
        return None
    digits = len(step.shown.text.partition(".")[2])
    from .grade import step_rational
    value = step_rational(step)
    if value is None:
        value = as_fraction(step.approximation)
    for places in range(digits - 1, -1, -1):
        if round_half_up(value, places) == given:
            return Diagnosis("rounded_answer", f"rounded to {places} decimal place(s); give "
                             f"{digits}")
    return None


__all__ = ["Context", "Diagnosis", "diagnose"]
