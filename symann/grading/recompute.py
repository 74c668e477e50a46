"""A step's value from any values of the quantities it uses: the student's own earlier
answers (follow-through), rounded ones (rounding too early), or random ones (probing a
formula). Uses the step's own formula; nothing is derived a second way."""
from __future__ import annotations

from typing import Mapping

import mpmath

from ..formula import Exp, Node, Quotient, Ref, Sum, Symbol, Weighted
from ..numbers import precise, to_precise
from ..steps import Derivation, Step

Values = Mapping[Ref, mpmath.mpf]


def given_values(derivation: Derivation) -> dict[Ref, mpmath.mpf]:
    """The inputs, weights and biases, at working precision."""
    values = {Ref("x", source=k): to_precise(x) for k, x in enumerate(derivation.inputs, 1)}
    for l, layer in enumerate(derivation.network.layers, 1):
        for j, (row, bias) in enumerate(zip(layer.weights, layer.biases), 1):
            values.update({Ref("w", l, j, k): to_precise(w) for k, w in enumerate(row, 1)})
            values[Ref("b", l, j)] = to_precise(bias)
    return values


def recompute(step: Step, values: Values) -> mpmath.mpf:
    """The value of ``step`` when the quantities it uses take ``values``."""
    activation = step.activation
    if step.quantity == "a" and activation is not None and not activation.layerwise:
        return activation.precise(values[Ref("z", step.layer, step.ref.neuron)])
    return evaluate(step.symbolic, values)


def evaluate(node: Node, values: Values) -> mpmath.mpf:
    """A weighted sum, quotient or exponential formula at ``values``."""
    if isinstance(node, Symbol):
        return values[node.ref]
    if isinstance(node, Weighted):
        return values[node.weight] * values[node.source]
    if isinstance(node, Sum):
        return precise.fsum([evaluate(term, values) for term in node.terms])
    if isinstance(node, Quotient):
        denominator = evaluate(node.denominator, values)
        if denominator == 0:   # e.g. a student's sum of 0: no value, never a crash
            return precise.nan
        return evaluate(node.numerator, values) / denominator
    if isinstance(node, Exp):
        return precise.exp(evaluate(node.exponent, values))
    raise TypeError(f"cannot evaluate {type(node).__name__}")  # pragma: no cover
