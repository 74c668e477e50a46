"""Forward propagation: a network and its inputs become a derivation, step by step.

Each quantity is computed once from the values of the quantities it uses, never as a
closed form nested through every layer: exactly where it is rational, else as a verified
enclosure (:mod:`symann.reals`). The cost of a derivation is linear in the number of
weights, whatever the depth. A rounding that the working precision cannot decide (a value
within ``2**-250`` of a tie) makes the whole pass run again with more bits.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy

from .errors import InputError
from .formula import Exp, Node, Quotient, Ref, Sum, Symbol, Weighted
from .model import Dense, Network
from .numbers import Shown, show, show_exact, show_tie, to_sympy
from .reals import Arithmetic, Real, Undecided
from .steps import Derivation, Step

CARRIES = ("shown", "exact")
MAX_DIGITS = 50
#: working precisions in bits, tried in turn while a rounding is undecided (about 77, 308,
#: 1233 and 4932 decimal digits); past the last one the value is taken as the tie itself
PRECISIONS = (256, 1024, 4096, 16384)
#: the largest value a solution shows: 2**3322, about 10**1000
MAX_SHOWN_BITS = 3322
#: the most operations a closed form (``Step.exact`` of an irrational value) may have
MAX_CLOSED_FORM = 5000


@dataclass(frozen=True)
class _Known:
    """What later steps need of a quantity: its true value, the value they compute with
    (``carried``: the shown one or the true one), and how to build its closed form."""

    ref: Ref
    exact: Real
    carried: Real
    shown: Shown
    closed: Callable[[], sympy.Expr]
    size: int   # operations in the closed form


def _closed(size: int, ref: Ref, build: Callable[[], sympy.Expr]) -> Callable[[], sympy.Expr]:
    """A memoised builder of a closed form, refused past :data:`MAX_CLOSED_FORM`."""
    @functools.cache
    def closed() -> sympy.Expr:
        if size > MAX_CLOSED_FORM:
            raise InputError(f"the closed form of {ref.plain} would have about {size:.2e} "
                             f"operations; symann builds closed forms of at most "
                             f"{MAX_CLOSED_FORM} (the values are exact without it)",
                             field=f"steps.{ref.plain}")
        return build()
    return closed


class _Forward:
    """One forward pass, layer by layer, at one working precision."""

    def __init__(self, digits: int, carry: str, arithmetic: Arithmetic, ties: bool) -> None:
        self.digits = digits
        self.carry = carry
        self.math = arithmetic
        self.ties = ties
        self.steps: list[Step] = []

    def given(self, ref: Ref, value: Fraction) -> _Known:
        real = self.math.given(value)
        return _Known(ref, real, real, show_exact(value), lambda: to_sympy(value), 1)

    def show(self, ref: Ref, value: Real) -> Shown:
        if value.magnitude() > MAX_SHOWN_BITS:
            raise InputError(f"the value of {ref.plain} is about 2^{value.magnitude()}: "
                             f"symann shows values up to about 10^1000 (2^{MAX_SHOWN_BITS})",
                             field=f"steps.{ref.plain}")
        try:
            return show(value, self.digits)
        except Undecided:
            if not self.ties:
                raise
            return show_tie(value, self.digits)

    def known(self, ref: Ref, exact: Real, computed: Real, closed: Callable[[], sympy.Expr],
              size: int) -> tuple[_Known, Real]:
        shown = self.show(ref, computed)
        same = computed is exact or (computed.rational is not None
                                     and computed.rational == exact.rational)
        if shown.exact and not same:
            shown = Shown(shown.value, shown.text, False)
        if self.carry == "exact" or shown.value == exact.rational:
            carried = exact
        else:
            carried = self.math.given(shown.value)
        return _Known(ref, exact, carried, shown, _closed(size, ref, closed), size), computed

    def record(self, known: _Known, computed: Real, symbolic: Node, expansion: Node,
               operands: Sequence[_Known | tuple[Ref, Shown]], activation: Any = None,
               note: str = "") -> None:
        pairs = tuple(k if isinstance(k, tuple) else (k.ref, k.shown) for k in operands)
        self.steps.append(Step(known.ref, symbolic, expansion, pairs, known.exact, known.shown,
                               computed, activation, note, known.closed))

    def layer(self, number: int, layer: Dense, sources: list[_Known]) -> list[_Known]:
        neurons = list(enumerate(zip(layer.weights, layer.biases), 1))
        if layer.activation.layerwise:
            zs = [self.pre_activation(number, j, row, bias, sources) for j, (row, bias) in neurons]
            return self.softmax(number, layer, zs)
        return [self.activation(layer, self.pre_activation(number, j, row, bias, sources))
                for j, (row, bias) in neurons]

    def pre_activation(self, l: int, j: int, row: Sequence[Fraction], bias: Fraction,
                       sources: list[_Known]) -> _Known:
        weights = [Real(w) for w in row]
        b = self.given(Ref("b", l, j), bias)
        exact = self.math.dot(weights, [s.exact for s in sources], b.exact)
        computed = exact
        if any(s.carried is not s.exact for s in sources):
            computed = self.math.dot(weights, [s.carried for s in sources], b.exact)

        def closed() -> sympy.Expr:
            return sympy.Add(*[to_sympy(w) * s.closed() for w, s in zip(row, sources)],
                             to_sympy(bias))

        size = 1 + sum(2 + s.size for s in sources)
        z, computed = self.known(Ref("z", l, j), exact, computed, closed, size)
        refs = [Ref("w", l, j, k) for k in range(1, len(row) + 1)]
        formula = Sum((*(Weighted(w, s.ref) for w, s in zip(refs, sources)), Symbol(b.ref)))
        operands = [pair for s, w, value in zip(sources, refs, row)
                    for pair in ((s.ref, s.shown), (w, show_exact(value)))] + [(b.ref, b.shown)]
        self.record(z, computed, formula, formula, operands)
        return z

    def activation(self, layer: Dense, z: _Known) -> _Known:
        act = layer.activation
        exact = self.math.apply(act.rational, act.enclose, z.exact)
        computed = exact if z.carried is z.exact else \
            self.math.apply(act.rational, act.enclose, z.carried)
        a, computed = self.known(Ref("a", z.ref.layer, z.ref.neuron), exact, computed,
                                 lambda: act.exact(z.closed()), z.size + 4)
        note = ""
        if act.name == "step" and z.carried.rational == 0:
            note = f"z = 0: step takes its value at 0, {show_exact(act.setting('at_zero')).text}"
        z_symbol = Symbol(z.ref)
        self.record(a, computed, act.symbolic(z_symbol), act.definition(z_symbol), [z], act, note)
        return a

    def softmax(self, l: int, layer: Dense, zs: list[_Known]) -> list[_Known]:
        act = layer.activation
        exact_sum = self.math.total([self.math.exp(z.exact) for z in zs])
        computed_sum = exact_sum
        if any(z.carried is not z.exact for z in zs):
            computed_sum = self.math.total([self.math.exp(z.carried) for z in zs])
        size = sum(2 + z.size for z in zs)
        total, computed_sum = self.known(
            Ref("s", l), exact_sum, computed_sum,
            lambda: sympy.Add(*[sympy.exp(z.closed()) for z in zs]), size)
        note = ""
        if total.carried.rational == 0:   # the shown sum rounds to 0: never divide by it
            total = _Known(total.ref, total.exact, total.exact, total.shown, total.closed, size)
            note = (f"the sum rounds to 0 at {self.digits} decimal places; the next steps "
                    "divide by its exact value")
        self.record(total, computed_sum, Sum(tuple(Exp(Symbol(z.ref)) for z in zs)),
                    Sum(tuple(Exp(Symbol(z.ref)) for z in zs)), zs, act, note)
        exact = self.math.apply_layer(act.rational, act.enclose, [z.exact for z in zs])
        outputs = []
        for j, z in enumerate(zs):
            computed = exact[j] if z.carried is z.exact and total.carried is total.exact \
                else self.math.quotient(self.math.exp(z.carried), total.carried)
            a, computed = self.known(
                Ref("a", l, j + 1), exact[j], computed,
                functools.partial(_softmax_closed, z, total), z.size + size + 2)
            formula = Quotient(Exp(Symbol(z.ref)), Symbol(total.ref))
            self.record(a, computed, formula, formula, [z, total], act)
            outputs.append(a)
        return outputs


def _softmax_closed(z: _Known, total: _Known) -> sympy.Expr:
    return sympy.exp(z.closed()) / total.closed()


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
    for bits in PRECISIONS:
        try:
            steps = _run(network, values, digits, carry, Arithmetic(bits), ties=False)
            break
        except Undecided:
            continue
    else:
        steps = _run(network, values, digits, carry, Arithmetic(PRECISIONS[-1]), ties=True)
    return Derivation(network, values, steps, digits, carry)


def _run(network: Network, values: Sequence[Fraction], digits: int, carry: str,
         arithmetic: Arithmetic, ties: bool) -> tuple[Step, ...]:
    run = _Forward(digits, carry, arithmetic, ties)
    sources = [run.given(Ref("x", source=k), x) for k, x in enumerate(values, 1)]
    for number, layer in enumerate(network.layers, 1):
        sources = run.layer(number, layer, sources)
    return tuple(run.steps)
