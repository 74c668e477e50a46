"""The common mistakes, each recognised by computing the step the mistaken way: a formula
(the sum without its bias, ``1 / (1 + e^{z})``, another activation of the registry)
evaluated by the one evaluator, or the step's own formula on altered values.

A diagnosis is offered only for an answer that is wrong, and only when the answer
matches the mistaken computation within the step's tolerance.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

from .. import activations
from ..formula import Constant, Exp, Negate, Product, Quotient, Sum, Symbol, Weighted
from ..numbers import round_half_up
from ..quantities import Quantity, Ref
from ..reals import Real
from ..steps import Derivation, Step
from .recompute import Values, formula_value, recompute
from .tolerance import Tolerance
from .values import Number, approximate, as_fraction, finite, number, same

#: the confusions named first when several explain an answer (then the registry's order)
MOST_COMMON = ("relu", "sigmoid", "tanh")
ONE = Constant(Fraction(1))
#: the code of earlier values rounded before use, said after a rounded answer
EARLY = "rounded_too_early"

#: a mistake's value (None where it has none), its code and its message
Mistake = tuple[Real | None, str, str]
#: a mistake's value as a float (the quick test), as a number, its code and its message
Candidate = tuple[float, Number, str, str]


@dataclass(frozen=True)
class Diagnosis:
    code: str
    message: str


@dataclass(frozen=True)
class Context:
    """What a diagnosis may use: the true values, the student's, how to name things, and
    where to keep the mistaken values once computed, per step: ``cache`` from the true values
    (and the step's value rounded early), ``fresh`` from the student's chain."""

    derivation: Derivation
    true: Values
    student: Values
    name: Callable[[Ref], str]
    #: per step, the mistakes made from the true values, and those of rounding too early
    cache: dict[Ref, tuple[list[Candidate], list[Candidate]]] = field(default_factory=dict)
    fresh: dict[Ref, list[Candidate]] = field(default_factory=dict)


def suspects() -> list[str]:
    """Every element-wise activation of the registry, the most common confusions first."""
    names = [name for name in activations.ACTIVATIONS
             if not activations.REGISTRY[name].layerwise]
    return sorted(names, key=lambda n: MOST_COMMON.index(n) if n in MOST_COMMON
                  else len(MOST_COMMON))


def diagnose(step: Step, given: Number, context: Context, tolerance: Tolerance,
             text: str = "") -> Diagnosis | None:
    """The first common mistake that explains ``given`` (the answer as typed: ``text``),
    or None. An answer that is the step's own value rounded (or cut off) to fewer places is
    that, whatever the earlier steps: it is named before "rounded too early", which is said
    only of an answer its own rounding does not explain."""
    ref = step.ref
    if ref not in context.cache:
        context.cache[ref] = (_finite(_candidates(step, context, context.true)),
                              _finite(_rounded_early(step, context)))
    if ref not in context.fresh:
        unchanged = all(r in context.student and same(context.student[r], context.true[r])
                        for r, _ in step.operands)
        context.fresh[ref] = [] if unchanged else \
            _finite(_candidates(step, context, context.student))
    digits = context.derivation.digits
    mistakes, early = context.cache[ref]
    return (_explained(given, context.fresh[ref] + mistakes, tolerance, digits)
            or _rounded_answer(step, given, text)
            or _explained(given, early, tolerance, digits))


def _explained(given: Number, candidates: list[Candidate], tolerance: Tolerance,
               digits: int) -> Diagnosis | None:
    """The first of ``candidates`` whose value accepts ``given``, or None."""
    quick = approximate(given)
    for near, value, code, message in candidates:
        if tolerance.near(quick, near, digits) and tolerance.accepts(given, value, digits):
            return Diagnosis(code, message)
    return None


def _finite(candidates: Iterator[Mistake]) -> list[Candidate]:
    found = []
    for real, code, message in candidates:
        if real is not None:
            value = number(real)
            if finite(value):
                found.append((approximate(value), value, code, message))
    return found


def _candidates(step: Step, context: Context, values: Values) -> Iterator[Mistake]:
    """``(value, code, message)`` of each mistake, made with the given earlier values."""
    if step.quantity == Quantity.PRE_ACTIVATION:
        yield from _pre_activation(step, context, values)
    elif step.quantity == Quantity.ACTIVATION:
        yield from _activation(step, context, values)
    elif step.quantity == Quantity.DELTA:
        yield from _delta(step, context, values)
    elif step.quantity in (Quantity.GRAD_WEIGHT, Quantity.GRAD_BIAS):
        yield from _gradient(step, context, values)


def _sign(step: Step, context: Context, values: Values) -> Mistake:
    return (formula_value(Negate(step.expansion), values), "sign_of_error",
            f"the sign of {context.name(step.ref)} is wrong: the error starts from a − y "
            "at the output, not y − a")


def _delta(step: Step, context: Context, values: Values) -> Iterator[Mistake]:
    """δ with the wrong sign, without its σ' factor, or with the sum over the next layer
    taken over the wrong index of the weights (w⁽ˡ⁺¹⁾ⱼₘ for w⁽ˡ⁺¹⁾ₘⱼ)."""
    yield _sign(step, context, values)
    expansion = step.expansion
    if not isinstance(expansion, Product):
        return
    *upstream, slope = expansion.factors
    if isinstance(slope, Symbol) and slope.ref.kind is Quantity.SLOPE and step.activation:
        without = upstream[0] if len(upstream) == 1 else Product(tuple(upstream))
        names = step.activation.names
        prime = f"{names.text or names.display}'"
        z = context.name(Ref(Quantity.PRE_ACTIVATION, step.layer, step.ref.neuron))
        a = context.name(Ref(Quantity.ACTIVATION, step.layer, step.ref.neuron))
        yield (formula_value(without, values), "missing_activation_derivative",
               f"the factor {prime}({z}) seems to be missing: {context.name(step.ref)} = "
               f"∂L/∂{z} is ∂L/∂{a} times {prime}({z})")
    total = upstream[0] if upstream else None
    l, j = step.layer, step.ref.neuron
    layers = context.derivation.network.layers
    if isinstance(total, Sum) and l < len(layers):
        above = layers[l]
        if j <= above.size and above.size <= above.fan_in:
            swapped = Sum(tuple(Weighted(Ref(Quantity.WEIGHT, l + 1, j, m), term.source)
                                for m, term in enumerate(total.terms, 1)
                                if isinstance(term, Weighted)))
            yield (formula_value(Product((swapped, slope)), values), "downstream_index",
                   f"the sum over the next layer takes the weights w{_layer(l + 1)}ⱼₘ; "
                   f"{context.name(step.ref)} needs w{_layer(l + 1)}ₘⱼ, the weights from "
                   f"neuron {j} to each neuron m")


def _gradient(step: Step, context: Context, values: Values) -> Iterator[Mistake]:
    """A gradient with the wrong sign, or taken with respect to another input."""
    yield _sign(step, context, values)
    if step.quantity != Quantity.GRAD_WEIGHT:
        return
    l, j, k = step.layer, step.ref.neuron, step.ref.source
    delta = Symbol(Ref(Quantity.DELTA, l, j))
    layer = context.derivation.network.layers[l - 1]
    sources = [Ref(Quantity.INPUT, source=i) if l == 1 else Ref(Quantity.ACTIVATION, l - 1, i)
               for i in range(1, layer.fan_in + 1)]
    for other, source in enumerate(sources, 1):
        if other != k:
            yield (formula_value(Product((delta, Symbol(source))), values), "wrong_input",
                   f"this is {context.name(delta.ref)}·{context.name(source)}; "
                   f"{context.name(step.ref)} takes input {k} of the weight, "
                   f"{context.name(sources[k - 1])}")


def _pre_activation(step: Step, context: Context, values: Values) -> Iterator[Mistake]:
    l, j = step.layer, step.ref.neuron
    bias = Ref(Quantity.BIAS, l, j)
    assert isinstance(step.expansion, Sum)
    unbiased = Sum(tuple(t for t in step.expansion.terms if t != Symbol(bias)))
    yield (formula_value(unbiased, values), "bias_forgotten",
           f"the bias {context.name(bias)} seems to be missing: "
           f"{context.name(step.ref)} = Σ w·x + b")
    layer = context.derivation.network.layers[l - 1]
    sources = [t.source for t in step.expansion.terms if isinstance(t, Weighted)]
    for p, q in combinations(range(1, layer.fan_in + 1), 2):
        first, second = Ref(Quantity.WEIGHT, l, j, p), Ref(Quantity.WEIGHT, l, j, q)
        swapped = {**values, first: values[second], second: values[first]}
        yield (recompute(step, swapped), "weights_swapped",
               f"the weights of inputs {p} and {q} seem swapped: each weight multiplies its "
               "own input")
    if layer.size > 1 and j <= layer.fan_in and layer.size >= layer.fan_in:
        transposed = Sum((*(Weighted(Ref(Quantity.WEIGHT, l, k, j), source)
                            for k, source in enumerate(sources, 1)), Symbol(bias)))
        yield (formula_value(transposed, values), "weights_transposed",
               f"the weight matrix seems transposed: neuron {j} uses row {j} of "
               f"W⁽{l}⁾ (w_{j}k), not column {j}")


def _activation(step: Step, context: Context, values: Values) -> Iterator[Mistake]:
    act = step.activation
    assert act is not None
    z_ref = Ref(Quantity.PRE_ACTIVATION, step.layer, step.ref.neuron)
    z = Symbol(z_ref)
    yield (values.get(z_ref), "z_for_a",
           f"this is {context.name(z_ref)}; {context.name(step.ref)} is the "
           f"activation {act.name}({context.name(z_ref)})")
    if act.layerwise:
        yield (formula_value(Exp(z), values), "softmax_not_normalised",
               f"e^{context.name(z_ref)} must be divided by the sum over the "
               "layer (softmax is normalised)")
        return
    if act.name == "sigmoid":
        yield (formula_value(Quotient(ONE, Sum((ONE, Exp(z)))), values), "exponent_sign",
               "the sign in the exponent is wrong: σ(z) = 1 / (1 + e^(-z))")
    for name in suspects():
        if name != act.name:
            other = activations.function(name)
            yield (formula_value(other.call(z), values), "wrong_activation",
                   f"this is {name}({context.name(z_ref)}); the layer's "
                   f"activation is {act.name}")


def _rounded_early(step: Step, context: Context) -> Iterator[Mistake]:
    digits = context.derivation.digits
    for places in range(digits - 1, -1, -1):
        rounded = dict(context.true)
        changed = False
        for ref, _ in step.operands:
            if ref.kind.derived:
                true = as_fraction(number(context.true[ref]))
                rounded[ref] = Real(round_half_up(true, places))
                changed = changed or rounded[ref].rational != true
        if changed:
            yield (recompute(step, rounded), EARLY,
                   f"earlier values seem rounded to {places} decimal "
                   f"place(s) before use; carry {digits} places")


def _layer(l: int) -> str:
    """A layer's superscript as the text names write it: ``⁽²⁾``."""
    return f"({l})".translate(_SUPERSCRIPT)


_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
#: a plain decimal answer; its group is the places written
_DECIMAL = re.compile(r"[-+−]?\d*(?:\.(\d*))?")


def _rounded_answer(step: Step, given: Number, text: str) -> Diagnosis | None:
    """"rounded to N places" where a decimal answer has N places, fewer than shown, and is
    the exact value rounded half up to N places (``0.8`` for 0.7514 is; ``0.8000`` typed
    with all 4 places is not); "cut off" where it is the value cut off at N places
    (``0.661`` for 0.66150)."""
    digits = len(step.shown.text.partition(".")[2])
    written = _DECIMAL.fullmatch(text.strip())
    if not isinstance(given, Fraction) or written is None:
        return None
    places = len(written.group(1) or "")
    value = step.rational if step.rational is not None else as_fraction(step.approximation)
    if places >= digits:
        return None
    if round_half_up(value, places) == given:
        return Diagnosis("rounded_answer", f"rounded to {places} decimal place(s); give "
                         f"{digits}")
    if Fraction(math.trunc(value * 10**places), 10**places) == given:
        return Diagnosis("cut_off_answer", f"cut off at {places} decimal place(s), not "
                         f"rounded; give {digits}, rounded")
    return None


__all__ = ["Context", "Diagnosis", "diagnose", "suspects"]
