"""A step's value from any values of the quantities it uses: the student's own earlier
answers (follow-through), rounded ones (rounding too early), or random ones (probing a
formula). Uses the step's own formula; nothing is derived a second way.

Values may be fractions or mpfs: a weighted sum of fractions is a fraction, and so is an
activation of one wherever the registry's exact form says so (ReLU, step, sigmoid(0)), so a
value that is rational stays exact and ties are decided exactly.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from ..formula import Exp, Node, Quotient, Ref, Sum, Symbol, Weighted
from ..numbers import precise, to_precise
from ..evaluate import PreciseDomain, RealDomain, apply
from ..reals import Arithmetic, Real
from ..steps import Derivation, Step
from .evaluate import Number, maximum, to_mpf

Values = Mapping[Ref, Number]
_EXACT = RealDomain(Arithmetic(64))   # only its exact results are used


def given_values(derivation: Derivation, exact: bool = False) -> dict[Ref, Number]:
    """The inputs, weights and biases: at working precision, or as fractions (``exact``)."""
    convert = (lambda v: Fraction(v)) if exact else to_precise
    values = {Ref("x", source=k): convert(x) for k, x in enumerate(derivation.inputs, 1)}
    for l, layer in enumerate(derivation.network.layers, 1):
        for j, (row, bias) in enumerate(zip(layer.weights, layer.biases), 1):
            values.update({Ref("w", l, j, k): convert(w) for k, w in enumerate(row, 1)})
            values[Ref("b", l, j)] = convert(bias)
    return values


def recompute(step: Step, values: Values) -> Number:
    """The value of ``step`` when the quantities it uses take ``values`` (a fraction where
    the values it uses are fractions and the step is rational in them, else an mpf; NaN
    where a quotient's denominator is 0)."""
    activation = step.activation
    if step.quantity == "a" and activation is not None and not activation.layerwise:
        z = values[Ref("z", step.layer, step.ref.neuron)]
        if isinstance(z, Fraction):
            rational = apply(activation, [Real(z)], _EXACT).rational
            if rational is not None:
                return rational
        return apply(activation, [to_mpf(z)], PreciseDomain())
    return evaluate(step.symbolic, values)


def evaluate(node: Node, values: Values) -> Number:
    """A weighted sum, quotient or exponential formula at ``values``."""
    if isinstance(node, Symbol):
        return values[node.ref]
    if isinstance(node, Weighted):
        weight, source = values[node.weight], values[node.source]
        if isinstance(weight, Fraction) and isinstance(source, Fraction):
            return weight * source
        return to_mpf(weight) * to_mpf(source)
    if isinstance(node, Sum):
        terms = [evaluate(term, values) for term in node.terms]
        if all(isinstance(term, Fraction) for term in terms):
            return sum(terms, Fraction(0))
        return precise.fsum([to_mpf(term) for term in terms])
    if isinstance(node, Quotient):
        denominator = evaluate(node.denominator, values)
        if denominator == 0:   # e.g. a student's sum of 0: no value, never a crash
            return precise.nan
        numerator = evaluate(node.numerator, values)
        if isinstance(numerator, Fraction) and isinstance(denominator, Fraction):
            return numerator / denominator
        return to_mpf(numerator) / to_mpf(denominator)
    if isinstance(node, Exp):
        return precise.exp(to_mpf(evaluate(node.exponent, values)))
    raise TypeError(f"cannot evaluate {type(node).__name__}")  # pragma: no cover
