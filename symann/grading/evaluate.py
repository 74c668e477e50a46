"""Parsed answers as numbers (mpmath) or SymPy expressions, within limits.

Powers are bounded before they are computed (``9^9^9``, ``(9^64)^64`` are refused), so
evaluating any parsed answer takes microseconds.
"""
from __future__ import annotations

import operator
from fractions import Fraction
from typing import Mapping

import mpmath
import sympy

from ..numbers import precise
from .parse import MAX_POWER_DIGITS, MAX_SYMBOLIC_POWER, AnswerError, Node

MAX_EXP_ARGUMENT = 2300    # e^2300 is about 10^999
ARITHMETIC = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}


def number(tree: Node, values: Mapping[str, mpmath.mpf] | None = None) -> mpmath.mpf:
    """The value of a parsed answer; ``values`` gives the symbols' values (formulas)."""
    result = _number(tree, values or {})
    if not precise.isfinite(result):
        raise AnswerError("the answer is not a finite number")
    return result


def _number(tree: Node, values: Mapping[str, mpmath.mpf]) -> mpmath.mpf:
    kind = tree[0]
    if kind == "num":
        return precise.mpf(tree[1].numerator) / tree[1].denominator
    if kind == "e":
        return precise.e
    if kind == "sym":
        if tree[1] not in values:
            raise AnswerError(f"a number is expected, not the name {tree[1]}")
        return values[tree[1]]
    if kind == "neg":
        return -_number(tree[1], values)
    if kind == "call":
        return _call(tree[1], [_number(a, values) for a in tree[2]])
    left, right = _number(tree[1], values), _number(tree[2], values)
    if kind in ARITHMETIC:
        return ARITHMETIC[kind](left, right)
    if kind == "div":
        if right == 0:
            raise AnswerError("the answer divides by zero")
        return left / right
    return _power(tree[1], left, right)


def _power(base_tree: Node, base: mpmath.mpf, exponent: mpmath.mpf) -> mpmath.mpf:
    if base_tree[0] == "e":
        return _call("exp", [exponent])
    if base == 0 and exponent < 0:
        raise AnswerError("the answer divides by zero")
    if base < 0 and exponent != precise.floor(exponent):
        raise AnswerError("a negative number to a fractional power is not a real number")
    if base != 0 and abs(exponent) * abs(precise.log10(abs(base))) > MAX_POWER_DIGITS:
        raise AnswerError(f"a power in the answer is too large (over 10^{MAX_POWER_DIGITS})")
    return precise.power(base, exponent)


def _call(function: str, arguments: list[mpmath.mpf]) -> mpmath.mpf:
    if function in ("exp", "sigma") and abs(arguments[0]) > MAX_EXP_ARGUMENT:
        raise AnswerError(f"e^{precise.nstr(arguments[0], 6)} is out of range")
    x = arguments[0]
    if function == "exp":
        return precise.exp(x)
    if function == "sigma":
        return 1 / (1 + precise.exp(-x))
    if function == "tanh":
        return precise.tanh(x)
    if function == "relu":
        return max(precise.zero, x)
    return max(arguments)


def expression(tree: Node, symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr:
    """The parsed formula as SymPy (built from the tree, never from text)."""
    kind = tree[0]
    if kind == "num":
        return sympy.Rational(tree[1].numerator, tree[1].denominator)
    if kind == "e":
        return sympy.E
    if kind == "sym":
        return symbols[tree[1]]
    if kind == "neg":
        return -expression(tree[1], symbols)
    if kind == "call":
        args = [expression(a, symbols) for a in tree[2]]
        return {"exp": lambda: sympy.exp(args[0]),
                "sigma": lambda: 1 / (1 + sympy.exp(-args[0])),
                "tanh": lambda: sympy.tanh(args[0]),
                "relu": lambda: sympy.Max(0, args[0]),
                "max": lambda: sympy.Max(*args)}[tree[1]]()
    left, right = expression(tree[1], symbols), expression(tree[2], symbols)
    if kind in ARITHMETIC:
        return ARITHMETIC[kind](left, right)
    if kind == "div":
        return left / right
    if tree[1][0] == "e":
        return sympy.exp(right)
    if not left.is_number:
        if not (right.is_Integer and abs(int(right)) <= MAX_SYMBOLIC_POWER):
            raise AnswerError(f"a formula may be raised only to a whole power up to "
                              f"{MAX_SYMBOLIC_POWER}")
    else:
        _power(tree[1], number(tree[1]), number(tree[2]))   # the same bounds as numbers
    return left ** right


def as_fraction(value: mpmath.mpf) -> Fraction:
    """The exact binary value of an mpf, as a fraction."""
    man, exp = precise.mpf(value).man_exp
    man, exp = int(man), int(exp)
    return Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)
