"""Forward propagation: a network and its inputs become a derivation, step by step."""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Sequence

import mpmath
import sympy

from .errors import InputError
from .formula import Exp, Quotient, Ref, Sum, Symbol, Weighted
from .model import Dense, Network
from .numbers import Shown, precise, show, show_exact, to_precise, to_sympy
from .steps import Derivation, Step

CARRIES = ("shown", "exact")
MAX_DIGITS = 50


@dataclass(frozen=True)
class _Known:
    """What later steps need of a quantity: its exact value and what the solution shows.

    ``carried`` / ``carried_approximation`` are the value later steps compute with: the
    shown one (``carry="shown"``) or the exact one.
    """

    ref: Ref
    exact: sympy.Expr
    approximation: mpmath.mpf
    shown: Shown
    carried: sympy.Expr
    carried_approximation: mpmath.mpf
    computed: mpmath.mpf   # the substituted line's value, before rounding


def _given(ref: Ref, value: Fraction) -> _Known:
    rational = to_sympy(value)
    approximation = to_precise(value)
    return _Known(ref, rational, approximation, show_exact(value), rational, approximation,
                  approximation)


def _known(ref: Ref, exact: sympy.Expr, approximation: mpmath.mpf, carried: sympy.Expr,
           carried_approximation: mpmath.mpf, digits: int, carry: str) -> _Known:
    shown = show(carried, carried_approximation, digits)
    if shown.exact and carried != exact:
        shown = Shown(shown.value, shown.text, False)
    if carry == "shown":
        return _Known(ref, exact, approximation, shown, to_sympy(shown.value),
                      to_precise(shown.value), carried_approximation)
    return _Known(ref, exact, approximation, shown, exact, approximation, approximation)


def _step(known: _Known, symbolic: Any, expansion: Any, operands: Sequence[_Known],
          activation: Any = None, note: str = "") -> Step:
    pairs = tuple((k.ref, k.shown) for k in operands)
    return Step(known.ref, symbolic, expansion, pairs, known.exact, known.approximation,
                known.shown, known.computed, activation, note)


class _Forward:
    """One forward pass, layer by layer."""

    def __init__(self, digits: int, carry: str) -> None:
        self.digits = digits
        self.carry = carry
        self.steps: list[Step] = []

    def known(self, ref: Ref, exact: sympy.Expr, approximation: mpmath.mpf,
              carried: sympy.Expr, carried_approximation: mpmath.mpf) -> _Known:
        if self.carry == "exact":
            carried, carried_approximation = exact, approximation
        return _known(ref, exact, approximation, carried, carried_approximation,
                      self.digits, self.carry)

    def layer(self, number: int, layer: Dense, sources: list[_Known]) -> list[_Known]:
        neurons = list(enumerate(zip(layer.weights, layer.biases), 1))
        if layer.activation.layerwise:
            zs = [self.pre_activation(number, j, row, bias, sources) for j, (row, bias) in neurons]
            return self.softmax(number, layer, zs)
        return [self.activation(layer, self.pre_activation(number, j, row, bias, sources))
                for j, (row, bias) in neurons]

    def pre_activation(self, l: int, j: int, row: Sequence[Fraction], bias: Fraction,
                       sources: list[_Known]) -> _Known:
        weights = [_given(Ref("w", l, j, k), w) for k, w in enumerate(row, 1)]
        b = _given(Ref("b", l, j), bias)
        exact = sympy.Add(*[w.exact * s.exact for w, s in zip(weights, sources)], b.exact)
        approximation = precise.fsum([w.approximation * s.approximation
                                      for w, s in zip(weights, sources)]) + b.approximation
        carried = sympy.Add(*[w.exact * s.carried for w, s in zip(weights, sources)], b.exact)
        carried_approximation = precise.fsum(
            [w.approximation * s.carried_approximation for w, s in zip(weights, sources)]
        ) + b.approximation
        z = self.known(Ref("z", l, j), exact, approximation, carried, carried_approximation)
        formula = Sum((*(Weighted(w.ref, s.ref) for w, s in zip(weights, sources)), Symbol(b.ref)))
        operands = [item for pair in zip(sources, weights) for item in pair] + [b]
        self.steps.append(_step(z, formula, formula, operands))
        return z

    def activation(self, layer: Dense, z: _Known) -> _Known:
        act = layer.activation
        ref = Ref("a", z.ref.layer, z.ref.neuron)
        a = self.known(ref, act.exact(z.exact), act.precise(z.approximation),
                       act.exact(z.carried), act.precise(z.carried_approximation))
        note = ""
        if act.name == "step" and z.carried == 0:
            note = f"z = 0: step takes its value at 0, {show_exact(act.setting('at_zero')).text}"
        z_symbol = Symbol(z.ref)
        self.steps.append(_step(a, act.symbolic(z_symbol), act.definition(z_symbol), [z],
                                act, note))
        return a

    def softmax(self, l: int, layer: Dense, zs: list[_Known]) -> list[_Known]:
        act = layer.activation
        exps = [sympy.exp(z.exact) for z in zs]
        total = self.known(Ref("s", l), sympy.Add(*exps),
                           precise.fsum([precise.exp(z.approximation) for z in zs]),
                           sympy.Add(*[sympy.exp(z.carried) for z in zs]),
                           precise.fsum([precise.exp(z.carried_approximation) for z in zs]))
        note = ""
        if total.carried == 0:   # the shown sum rounds to 0: dividing by it would fail
            total = replace(total, carried=total.exact,
                            carried_approximation=total.approximation)
            note = (f"the sum rounds to 0 at {self.digits} decimal places; the next steps "
                    "divide by its exact value")
        formula = Sum(tuple(Exp(Symbol(z.ref)) for z in zs))
        self.steps.append(_step(total, formula, formula, zs, act, note))
        exact = act.exact([z.exact for z in zs])
        approximation = act.precise([z.approximation for z in zs])
        outputs = []
        for j, z in enumerate(zs):
            carried = sympy.exp(z.carried) / total.carried
            a = self.known(Ref("a", l, j + 1), exact[j], approximation[j], carried,
                           precise.exp(z.carried_approximation) / total.carried_approximation)
            formula = Quotient(Exp(Symbol(z.ref)), Symbol(total.ref))
            self.steps.append(_step(a, formula, formula, [z, total], act))
            outputs.append(a)
        return outputs


def forward(network: Network, inputs: Sequence[Any] | None = None, *, digits: int = 4,
            carry: str = "shown") -> Derivation:
    """The worked forward pass of ``network`` on ``inputs`` (default: the network's own)."""
    if carry not in CARRIES:
        raise InputError(f"expected one of {', '.join(CARRIES)}, got {carry!r}", field="carry")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= MAX_DIGITS:
        raise InputError(f"expected a whole number of decimal places from 0 to {MAX_DIGITS}, "
                         f"got {digits!r}", field="digits")
    if inputs is None:
        if network.inputs is None:
            raise InputError("the network has no inputs: give them (e.g. inputs = [0.1, 0.2])",
                             field="inputs")
        values = network.inputs
    else:
        values = network.check_inputs(inputs)
    run = _Forward(digits, carry)
    sources = [_given(Ref("x", source=k), x) for k, x in enumerate(values, 1)]
    for number, layer in enumerate(network.layers, 1):
        sources = run.layer(number, layer, sources)
    return Derivation(network, values, tuple(run.steps), digits, carry)
