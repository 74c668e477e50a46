"""A step's value from any values of the quantities it uses: the student's own earlier
answers (follow-through), rounded ones (rounding too early), random ones (probing a
formula), or the true ones at a higher precision. The step's own formula is evaluated by
the one evaluator (:mod:`symann.evaluate`); nothing is derived a second way.

Values are :class:`~symann.reals.Real`: a weighted sum of rationals is rational, and so is
an activation of one wherever the registry says so (ReLU, step, sigmoid(0)), so a value that
is rational stays exact and ties are decided exactly.
"""
from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from ..evaluate import Domain, DomainError, RealDomain, evaluate
from ..formula import Node
from ..quantities import Quantity, Ref
from ..reals import Arithmetic, Real
from ..steps import Derivation, Step

Values = Mapping[Ref, Real]
#: the domain of the steps' own formulas on a student's or random values
STEPS = RealDomain(Arithmetic(256))


def given_values(derivation: Derivation) -> dict[Ref, Real]:
    """The inputs, weights and biases, exactly; after a backward pass also the targets
    and the learning rate."""
    values = {Ref(Quantity.INPUT, source=k): Real(Fraction(x))
              for k, x in enumerate(derivation.inputs, 1)}
    values.update({Ref(Quantity.TARGET, neuron=j): Real(Fraction(y))
                   for j, y in enumerate(derivation.targets or (), 1)})
    if derivation.learning_rate is not None:
        values[Ref(Quantity.LEARNING_RATE)] = Real(derivation.learning_rate)
    for l, layer in enumerate(derivation.network.layers, 1):
        for j, (row, bias) in enumerate(zip(layer.weights, layer.biases), 1):
            values.update({Ref(Quantity.WEIGHT, l, j, k): Real(Fraction(w))
                           for k, w in enumerate(row, 1)})
            values[Ref(Quantity.BIAS, l, j)] = Real(Fraction(bias))
    return values


def true_values(derivation: Derivation, domain: Domain[Real]) -> dict[Ref, Real]:
    """Every quantity's true value computed again in ``domain`` (at a higher precision)."""
    values = given_values(derivation)
    for step in derivation.steps:
        values[step.ref] = evaluate(step.expansion, domain, values)
    return values


def recompute(step: Step, values: Values, domain: Domain[Real] = STEPS) -> Real | None:
    """The value of ``step`` when the quantities it uses take ``values``; None where it has
    none (a quotient by a sum of 0, or an earlier value that has none)."""
    return formula_value(step.expansion, values, domain)


def formula_value(formula: Node, values: Values, domain: Domain[Real] = STEPS) -> Real | None:
    """The value of one of symann's own formulas at ``values``, or None where it has none."""
    try:
        return evaluate(formula, domain, values)
    except (DomainError, KeyError):
        return None


__all__ = ["STEPS", "Values", "formula_value", "given_values", "recompute", "true_values"]
