"""The one evaluator of formulas, in the domain a caller needs.

* :class:`RealDomain`: exact rationals where the value is rational, verified enclosures
  elsewhere (:mod:`symann.reals`); what derivations and the checker compute with.
* :class:`PreciseDomain`: mpmath floats at symann's working precision (60 digits).
* :class:`SympyDomain`: SymPy expressions (closed forms, ``Step.expression``, lambdify).

A function of the registry is computed by its own form for the domain where it has one,
else by evaluating its definition: what a function is lives in its registry entry only.
A :class:`Budget` bounds the work of one evaluation (untrusted formulas), in any thread.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Generic, TypeVar

import sympy

from .activations import Activation, function
from .errors import SymannError
from .formula import (
    Call,
    Constant,
    Derivative,
    Exp,
    Log,
    Negate,
    Node,
    Partial,
    Power,
    Product,
    Quotient,
    Sum,
    Symbol,
    Variable,
    Weighted,
)
from .numbers import precise
from .reals import Arithmetic, Real

V = TypeVar("V")
#: the argument of every definition in the registry
ARGUMENT = Variable("z")


class DomainError(SymannError):
    """A formula has no value here: a division by zero, the logarithm of a number that is
    not positive, a number beyond the domain's range."""


class BudgetExhausted(SymannError):
    """An evaluation needed more operations than its :class:`Budget` allows."""


class Budget:
    """A number of operations an evaluation may take (each node, each function call)."""

    def __init__(self, operations: int) -> None:
        self.left = operations

    def spend(self, operations: int = 1) -> None:
        self.left -= operations
        if self.left < 0:
            raise BudgetExhausted("the formula needs too much work to evaluate")


class Domain(Generic[V]):
    """The arithmetic of one kind of value. ``name`` picks a function's own form."""

    name = ""

    def number(self, value: Fraction) -> V: raise NotImplementedError
    def add(self, values: Sequence[V]) -> V: raise NotImplementedError
    def multiply(self, values: Sequence[V]) -> V: raise NotImplementedError
    def divide(self, numerator: V, denominator: V) -> V: raise NotImplementedError
    def power(self, base: V, exponent: V) -> V: raise NotImplementedError
    def exp(self, value: V) -> V: raise NotImplementedError
    def log(self, value: V) -> V: raise NotImplementedError
    def negate(self, value: V) -> V: raise NotImplementedError

    def form(self, form: Any, arguments: Sequence[Any]) -> Any:
        """Apply a function's own form for this domain (a layerwise form takes the layer's
        values as one argument and gives a list)."""
        return form(*arguments)

    def dot(self, pairs: Sequence[tuple[V, V]], rest: Sequence[V]) -> V:
        """``sum s w + sum rest``: a weighted sum (a domain may do it faster)."""
        return self.add([self.multiply(pair) for pair in pairs] + list(rest))


class RealDomain(Domain[Real]):
    """Exact where rational, verified enclosures elsewhere."""

    name = "real"

    def __init__(self, arithmetic: Arithmetic) -> None:
        self.math = arithmetic

    def number(self, value: Fraction) -> Real: return self.math.given(value)
    def add(self, values: Sequence[Real]) -> Real: return self.math.total(values)
    def multiply(self, values: Sequence[Real]) -> Real: return self.math.product(values)
    def exp(self, value: Real) -> Real: return self.math.exp(value)
    def negate(self, value: Real) -> Real: return self.math.negate(value)

    def divide(self, numerator: Real, denominator: Real) -> Real:
        if denominator.rational == 0 or (denominator.rational is None and
                                          0 in denominator.enclosure):
            raise DomainError("division by zero")
        return self.math.quotient(numerator, denominator)

    def power(self, base: Real, exponent: Real) -> Real:
        """``base ** exponent``; ``0 ** 0`` is 1, ``0`` to a positive power 0, and a base
        that may be negative needs a whole exponent."""
        if base.rational == 0:
            if exponent.rational == 0:
                return self.math.one
            if _positive(exponent):
                return self.math.zero
            raise DomainError("division by zero")
        whole = exponent.rational is not None and exponent.rational.denominator == 1
        if not whole and not _positive(base):
            raise DomainError("a power of a number that is not positive needs a whole exponent")
        if base.rational is None and 0 in base.enclosure and not _positive(exponent):
            raise DomainError("division by zero")   # a base that may be 0, to a power <= 0
        return self.math.power(base, exponent)

    def log(self, value: Real) -> Real:
        if not _positive(value):
            raise DomainError("the logarithm of a number that is not positive")
        return self.math.log(value)

    def form(self, form: Any, arguments: Sequence[Real]) -> Real:
        return form(self.math, *arguments)  # type: ignore[no-any-return]

    def dot(self, pairs: Sequence[tuple[Real, Real]], rest: Sequence[Real]) -> Real:
        total = self.math.total(rest)
        return self.math.dot([w for _, w in pairs], [s for s, _ in pairs], total)


def _positive(value: Real) -> bool:
    if value.rational is not None:
        return value.rational > 0
    return bool(value.enclosure.a > 0)


class PreciseDomain(Domain[Any]):
    """mpmath floats at symann's working precision."""

    name = "precise"

    def number(self, value: Fraction) -> Any:
        return precise.mpf(value.numerator) / value.denominator

    def add(self, values: Sequence[Any]) -> Any: return precise.fsum(values)
    def multiply(self, values: Sequence[Any]) -> Any: return precise.fprod(values)
    def exp(self, value: Any) -> Any: return precise.exp(value)
    def negate(self, value: Any) -> Any: return precise.fneg(value)

    def divide(self, numerator: Any, denominator: Any) -> Any:
        if denominator == 0:
            raise DomainError("division by zero")
        return precise.fdiv(numerator, denominator)

    def power(self, base: Any, exponent: Any) -> Any:
        if base == 0:
            if exponent < 0:
                raise DomainError("division by zero")
            return precise.one if exponent == 0 else precise.zero
        if base < 0 and exponent != precise.floor(exponent):
            raise DomainError("a power of a negative number needs a whole exponent")
        return precise.power(base, exponent)

    def log(self, value: Any) -> Any:
        if value <= 0:
            raise DomainError("the logarithm of a number that is not positive")
        return precise.log(value)


class SympyDomain(Domain[sympy.Expr]):
    """SymPy expressions."""

    name = "sympy"

    def number(self, value: Fraction) -> sympy.Expr:
        return sympy.Rational(value.numerator, value.denominator)

    def add(self, values: Sequence[sympy.Expr]) -> sympy.Expr: return sympy.Add(*values)
    def multiply(self, values: Sequence[sympy.Expr]) -> sympy.Expr: return sympy.Mul(*values)
    def divide(self, numerator: sympy.Expr, denominator: sympy.Expr) -> sympy.Expr:
        return numerator / denominator
    def power(self, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr: return base ** exponent
    def exp(self, value: sympy.Expr) -> sympy.Expr: return sympy.exp(value)
    def log(self, value: sympy.Expr) -> sympy.Expr: return sympy.log(value)
    def negate(self, value: sympy.Expr) -> sympy.Expr: return -value


def evaluate(node: Node, domain: Domain[V], values: Mapping[Any, V],
             variables: Mapping[str, V] | None = None, budget: Budget | None = None) -> V:
    """The value of ``node`` in ``domain``: ``values`` gives each quantity's (by
    :class:`Ref`, and each :class:`Partial` by itself), ``variables`` each variable's."""
    return _Evaluation(domain, values, variables or {}, budget).value(node)


def apply(activation: Activation, arguments: Sequence[V], domain: Domain[V],
          budget: Budget | None = None) -> Any:
    """A registry function (with its settings) applied to values in ``domain``: a value of
    the domain, or for a layerwise one (softmax), which takes the whole layer's values, a
    list of them."""
    return _Evaluation(domain, {}, {}, budget).call(activation, list(arguments))


class _Evaluation(Generic[V]):
    def __init__(self, domain: Domain[V], values: Mapping[Any, V], variables: Mapping[str, V],
                 budget: Budget | None) -> None:
        self.domain = domain
        self.values = values
        self.variables = variables
        self.budget = budget

    def value(self, node: Node) -> V:
        if self.budget is not None:
            self.budget.spend()
        d = self.domain
        if isinstance(node, Symbol):
            return self.values[node.ref]
        if isinstance(node, Constant):
            return d.number(node.value)
        if isinstance(node, Sum):
            return self._sum(node)
        if isinstance(node, Weighted):
            return d.multiply([self.values[node.source], self.values[node.weight]])
        if isinstance(node, Product):
            return d.multiply([self.value(f) for f in node.factors])
        if isinstance(node, Quotient):
            return d.divide(self.value(node.numerator), self.value(node.denominator))
        if isinstance(node, Power):
            return d.power(self.value(node.base), self.value(node.exponent))
        if isinstance(node, Exp):
            return d.exp(self.value(node.exponent))
        if isinstance(node, Log):
            return d.log(self.value(node.argument))
        if isinstance(node, Negate):
            return d.negate(self.value(node.operand))
        if isinstance(node, Call):
            value: V = self.call(function(node.function, node.settings),
                                 [self.value(a) for a in node.arguments])
            return value
        if isinstance(node, Variable):
            return self.variables[node.name]
        if isinstance(node, Derivative):
            slope = _derivative(function(node.function, node.settings))
            return _Evaluation(self.domain, self.values,
                               {ARGUMENT.name: self.value(node.arguments[0])},
                               self.budget).value(slope)
        if isinstance(node, Partial):
            return self.values[node]
        raise TypeError(f"cannot evaluate {type(node).__name__}")  # pragma: no cover

    def _sum(self, node: Sum) -> V:
        pairs = [(self.values[t.source], self.values[t.weight]) for t in node.terms
                 if isinstance(t, Weighted)]
        rest = [self.value(t) for t in node.terms if not isinstance(t, Weighted)]
        if self.budget is not None:
            self.budget.spend(len(pairs))
        return self.domain.dot(pairs, rest) if pairs else self.domain.add(rest)

    def call(self, activation: Activation, arguments: list[V]) -> Any:
        form = activation.form(self.domain.name)
        if activation.layerwise:
            if form is None:   # pragma: no cover - every layerwise entry has its forms
                raise TypeError(f"{activation.name} has no {self.domain.name} form")
            return self.domain.form(form, [arguments])
        if form is not None:
            return self.domain.form(form, arguments)
        definition = _definition(activation)
        return _Evaluation(self.domain, self.values, {ARGUMENT.name: arguments[0]},
                           self.budget).value(definition)


@functools.cache
def _derivative(activation: Activation) -> Node:
    return activation.derivative(ARGUMENT)


@functools.cache
def _definition(activation: Activation) -> Node:
    return activation.definition(ARGUMENT)


__all__ = ["ARGUMENT", "Budget", "BudgetExhausted", "Domain", "DomainError", "PreciseDomain",
           "RealDomain", "SympyDomain", "apply", "evaluate"]
