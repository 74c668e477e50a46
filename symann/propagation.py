"""Forward propagation: a network and its inputs become a derivation, step by step.

Each step is a formula; its value is the formula evaluated (:mod:`symann.evaluate`, in the
exact-or-enclosed domain) on the values of the quantities it uses: once on the true values
(the exact value) and, where the solution carries rounded values, once on those (the
value of the substituted line). Nothing is a closed form nested through every layer, so a
derivation costs time linear in the number of weights, whatever the depth. The carry
policy lives here and nowhere else. A rounding that the working precision cannot decide (a
value within about ``2**-250`` of a tie) makes the whole pass run again with more bits.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

import sympy

from .activations import Activation
from .errors import InputError
from .evaluate import Domain, RealDomain, SympyDomain, apply, evaluate
from .formula import Constant, Exp, Node, Quotient, Sum, Symbol, Weighted
from .numbers import Shown, padded_text, show, show_exact, show_tie
from .quantities import Quantity, Ref
from .reals import Arithmetic, Real, Undecided
from .steps import Derivation, Step

if TYPE_CHECKING:
    from .model import Network

CARRIES = ("shown", "exact")
MAX_DIGITS = 50
#: working precisions in bits, tried in turn while a rounding is undecided (about 77, 308,
#: 1233 and 4932 decimal digits); past the last one the value is taken as the tie itself
PRECISIONS = (256, 1024, 4096, 16384)
#: the largest value a solution shows: 2**3322, about 10**1000
MAX_SHOWN_BITS = 3322
#: the most operations a closed form (``Step.exact`` of an irrational value) may have
MAX_CLOSED_FORM = 5000


class _Values(Mapping[Ref, Any]):
    """The value of every quantity: given ones from the network (made by ``given`` once
    per layer, when first needed), derived ones as computed so far."""

    def __init__(self, network: Network, inputs: Sequence[Fraction], given: Any,
                 derived: dict[Ref, Any]) -> None:
        self.network = network
        self.given = given
        self.inputs = [given(x) for x in inputs]
        self.weights: dict[int, list[list[Any]]] = {}
        self.biases: dict[int, list[Any]] = {}
        self.derived = derived

    def __getitem__(self, ref: Ref) -> Any:
        kind = ref.kind
        if kind is Quantity.WEIGHT:
            rows = self.weights.get(ref.layer)
            if rows is None:
                rows = self.weights[ref.layer] = [
                    [self.given(w) for w in row]
                    for row in self.network.layers[ref.layer - 1].weights]
            return rows[ref.neuron - 1][ref.source - 1]
        if kind is Quantity.BIAS:
            biases = self.biases.get(ref.layer)
            if biases is None:
                biases = self.biases[ref.layer] = [
                    self.given(b) for b in self.network.layers[ref.layer - 1].biases]
            return biases[ref.neuron - 1]
        if kind is Quantity.INPUT:
            return self.inputs[ref.source - 1]
        return self.derived[ref]

    def __iter__(self) -> Iterator[Ref]:
        return iter(self.derived)

    def __len__(self) -> int:
        return len(self.derived)


class _ClosedForms:
    """Closed forms built on demand from the steps' formulas, memoised, refused past
    :data:`MAX_CLOSED_FORM` operations."""

    def __init__(self, network: Network, inputs: Sequence[Fraction]) -> None:
        self.formulas: dict[Ref, Node] = {}
        self.sizes: dict[Ref, int] = {}
        self.built: dict[Ref, sympy.Expr] = {}
        self.values = _Values(network, inputs, _rational, _Lazy(self))

    def add(self, ref: Ref, formula: Node, given: int, derived: Sequence[Ref]) -> None:
        """A step's formula, with ``given`` operands given and the ``derived`` ones."""
        self.formulas[ref] = formula
        self.sizes[ref] = 1 + given + sum(self.sizes[r] for r in derived)

    def get(self, ref: Ref) -> sympy.Expr:
        if ref not in self.built:
            if self.sizes[ref] > MAX_CLOSED_FORM:
                raise InputError(f"the closed form of {ref.id} would have about "
                                 f"{self.sizes[ref]:.2e} operations; symann builds closed "
                                 f"forms of at most {MAX_CLOSED_FORM} (the values are exact "
                                 "without it)", field=f"steps.{ref.id}")
            self.built[ref] = evaluate(self.formulas[ref], SympyDomain(), self.values)
        return self.built[ref]


class _Lazy(dict):  # type: ignore[type-arg]
    """The derived quantities' closed forms, each built when first looked up."""

    def __init__(self, forms: _ClosedForms) -> None:
        super().__init__()
        self.forms = forms

    def __missing__(self, ref: Ref) -> sympy.Expr:
        return self.forms.get(ref)


T = TypeVar("T")


def _remembered(make: Callable[[Fraction], T]) -> Callable[[Fraction], T]:
    """``make``, remembered by value for one pass: a layer's weights of one or two decimals
    take a few hundred values among 100 000 (keyed by two ints: a Fraction hashes slowly)."""
    known: dict[tuple[int, int], T] = {}

    def remembered(value: Fraction) -> T:
        key = (value.numerator, value.denominator)
        found = known.get(key)
        if found is None:
            found = known[key] = make(value)
        return found
    return remembered


def _rational(value: Fraction) -> sympy.Expr:
    return sympy.Rational(value.numerator, value.denominator)


class _Forward:
    """One forward pass, layer by layer, at one working precision."""

    def __init__(self, network: Network, inputs: Sequence[Fraction], digits: int, carry: str,
                 arithmetic: Arithmetic, ties: bool) -> None:
        self.digits = digits
        self.carry = carry
        self.ties = ties
        self.domain: Domain[Real] = RealDomain(arithmetic)
        self.exact: dict[Ref, Real] = {}
        self.carried: dict[Ref, Real] = {}
        self.shown: dict[Ref, Shown] = {}
        self.differs: set[Ref] = set()   # carried with a value other than the exact one
        self.exact_values = _Values(network, inputs, _remembered(Real), self.exact)
        self.carried_values = _Values(network, inputs, Real, self.carried)
        self.carried_values.weights = self.exact_values.weights   # the same given values
        self.carried_values.biases = self.exact_values.biases
        self.given_shown = _Values(network, inputs, _remembered(show_exact), self.shown)
        self.closed = _ClosedForms(network, inputs)
        self.network = network
        self.inputs = inputs
        self.steps: list[Step] = []

    def show(self, ref: Ref, value: Real) -> Shown:
        if value.magnitude() > MAX_SHOWN_BITS:
            raise InputError(f"the value of {ref.id} is about 2^{value.magnitude()}: "
                             f"symann shows values up to about 10^1000 (2^{MAX_SHOWN_BITS})",
                             field=f"steps.{ref.id}")
        try:
            return show(value, self.digits)
        except Undecided:
            if not self.ties:
                raise
            return show_tie(value, self.digits)

    def given(self, ref: Ref, value: Fraction) -> None:
        """A given value that is not part of the network's layers (a target, the learning
        rate): known exactly, shown exactly, carried as it is."""
        real = Real(value)
        self.exact[ref] = self.carried[ref] = real
        self.shown[ref] = show_exact(value)
        self.closed.formulas[ref] = Constant(value)
        self.closed.sizes[ref] = 1

    def step(self, ref: Ref, symbolic: Node, expansion: Node, operands: Sequence[Ref],
             derived: Sequence[Ref], activation: Activation | None = None,
             exact: Real | None = None, written: Node | None = None) -> Step:
        """Compute, show and record one step (``derived``: the operands that steps
        computed); ``exact`` overrides the exact value (softmax's comes from the registry's
        form for the whole layer); ``written``: the left-hand side as a formula."""
        if exact is None:
            exact = evaluate(expansion, self.domain, self.exact_values)
        computed = exact
        if any(r in self.differs for r in derived):
            computed = evaluate(expansion, self.domain, self.carried_values)
        shown = self.show(ref, computed)
        same = computed is exact or (computed.rational is not None
                                     and computed.rational == exact.rational)
        if shown.exact and not same:   # rounded after all: written as rounded values are
            shown = Shown(shown.value, padded_text(shown.value, self.digits), False)
        self.exact[ref] = exact
        self.shown[ref] = shown
        if self.carry == "exact" or shown.value == exact.rational:
            self.carried[ref] = exact
        else:
            self.carried[ref] = Real(shown.value)
            self.differs.add(ref)
        self.closed.add(ref, expansion, len(operands) - len(derived), derived)
        pairs = tuple((r, self.given_shown[r]) for r in operands)
        step = Step(ref, symbolic, expansion, pairs, exact, shown, computed, activation, "",
                    functools.partial(self.closed.get, ref), written)
        self.steps.append(step)
        return step

    def layer(self, l: int) -> None:
        layer = self.network.layers[l - 1]
        sources = [Ref(Quantity.INPUT, source=k) for k in range(1, layer.fan_in + 1)] if l == 1 \
            else [Ref(Quantity.ACTIVATION, l - 1, k) for k in range(1, layer.fan_in + 1)]
        if layer.activation.layerwise:
            zs = [self.pre_activation(l, j, sources) for j in range(1, layer.size + 1)]
            self.softmax(l, layer.activation, zs)
            return
        for j in range(1, layer.size + 1):
            self.activation(layer.activation, self.pre_activation(l, j, sources))

    def pre_activation(self, l: int, j: int, sources: Sequence[Ref]) -> Ref:
        weights = [Ref(Quantity.WEIGHT, l, j, k) for k in range(1, len(sources) + 1)]
        bias = Ref(Quantity.BIAS, l, j)
        formula = Sum((*(Weighted(w, s) for w, s in zip(weights, sources)), Symbol(bias)))
        operands = [r for pair in zip(sources, weights) for r in pair] + [bias]
        ref = Ref(Quantity.PRE_ACTIVATION, l, j)
        self.step(ref, formula, formula, operands, sources if l > 1 else ())
        return ref

    def activation(self, act: Activation, z: Ref) -> None:
        ref = Ref(Quantity.ACTIVATION, z.layer, z.neuron)
        step = self.step(ref, act.symbolic(Symbol(z)), act.substituted(Symbol(z)), [z], [z], act)
        if act.name == "step" and self.carried[z].rational == 0:
            self._note(step, f"z = 0: step takes its value at 0, "
                             f"{show_exact(act.setting('at_zero')).text}")

    def softmax(self, l: int, act: Activation, zs: Sequence[Ref]) -> None:
        total = Ref(Quantity.SOFTMAX_SUM, l)
        formula = Sum(tuple(Exp(Symbol(z)) for z in zs))
        step = self.step(total, formula, formula, zs, zs, act)
        if self.carried[total].rational == 0:   # the shown sum rounds to 0: never divide by it
            self.carried[total] = step.computed_value   # the same sum, unrounded
            if step.computed_value is step.exact_value:
                self.differs.discard(total)
            self._note(step, f"the sum rounds to 0 at {self.digits} decimal places; the next "
                             "steps divide by its unrounded value")
        exact = apply(act, [self.exact[z] for z in zs], self.domain)
        for j, z in enumerate(zs):
            quotient = Quotient(Exp(Symbol(z)), Symbol(total))
            self.step(Ref(Quantity.ACTIVATION, l, j + 1), quotient, quotient, [z, total],
                      [z, total], act, exact[j])

    def _note(self, step: Step, note: str) -> None:
        self.steps[-1] = Step(
            step.ref, step.symbolic, step.expansion, step.operands, step.exact_value,
            step.shown, step.computed_value, step.activation, note, step.closed_form,
            step.written)


def forward(network: Network, inputs: Sequence[Any] | None = None, *, digits: int = 4,
            carry: str = "shown") -> Derivation:
    """The worked forward pass of ``network`` on ``inputs`` (default: the network's own)."""
    check_settings(digits, carry)
    if inputs is None:
        if network.inputs is None:
            raise InputError("the network has no inputs: give them (e.g. inputs = [0.1, 0.2])",
                             field="inputs")
        values = network.inputs
    else:
        values = network.check_inputs(inputs)
    steps = with_precision(lambda arithmetic, ties: _run(network, values, digits, carry,
                                                         arithmetic, ties))
    return Derivation(network, values, steps, digits, carry)


def check_settings(digits: Any, carry: Any) -> None:
    """Refuse a carry policy or a number of decimal places symann does not have."""
    if carry not in CARRIES:
        raise InputError(f"expected one of {', '.join(CARRIES)}, got {carry!r}", field="carry")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= MAX_DIGITS:
        raise InputError(f"expected a whole number of decimal places from 0 to {MAX_DIGITS}, "
                         f"got {digits!r}", field="digits")


def with_precision(run: Callable[[Arithmetic, bool], T]) -> T:
    """``run(arithmetic, ties)`` at each working precision of :data:`PRECISIONS` in turn
    while a rounding is undecided; past the last one a near-tie is taken as the tie."""
    for bits in PRECISIONS:
        try:
            return run(Arithmetic(bits), False)
        except Undecided:
            continue
    return run(Arithmetic(PRECISIONS[-1]), True)


def _run(network: Network, values: Sequence[Fraction], digits: int, carry: str,
         arithmetic: Arithmetic, ties: bool) -> tuple[Step, ...]:
    run = _Forward(network, values, digits, carry, arithmetic, ties)
    for l in range(1, len(network.layers) + 1):
        run.layer(l)
    return tuple(run.steps)
