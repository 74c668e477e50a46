"""Parsed answers as numbers: exact fractions wherever the arithmetic is rational, 60-digit
mpmath values where a transcendental function (``e^x``, ``σ``, ``tanh``) is applied.

``-(0.415)``, ``0 - 0.7108`` and ``0.6023*0.5 + 0.5`` are exact fractions, so a tie at half
a unit is decided on the exact value. The work is bounded in any thread, without signals:
the parser limits the tree to :data:`~symann.grading.parse.MAX_NODES` parts, each part
is one operation, powers are bounded before they are computed (``9^9^9``, ``(9^64)^64``
are refused) and a fraction that would grow past :data:`MAX_EXACT_BITS` is carried as a
60-digit value instead. Evaluating any parsed answer takes well under a millisecond.
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Mapping, Union

import mpmath

from ..numbers import PRECISION, precise, to_precise
from .parse import MAX_NODES, MAX_POWER_DIGITS, AnswerError, Node

MAX_EXP_ARGUMENT = 2300        # e^2300 is about 10^999
MAX_EXACT_BITS = 20_000        # a fraction larger than this is carried as an mpf
MAX_OPERATIONS = 4 * MAX_NODES  # the work budget of one evaluation (operations)
MAX_BINARY_EXPONENT = 100_000  # an mpf beyond 2^±this is not turned into a fraction

Number = Union[Fraction, mpmath.mpf]


class Budget:
    """A count of operations; exceeding it is an :class:`AnswerError` (any thread)."""

    __slots__ = ("left",)

    def __init__(self, operations: int = MAX_OPERATIONS) -> None:
        self.left = operations

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise AnswerError("the answer takes too much work to evaluate")


def value(tree: Node, values: Mapping[str, Number] | None = None,
          budget: Budget | None = None) -> Number:
    """The value of a parsed answer, exact (a Fraction) where it is rational; ``values``
    gives the symbols' values (formulas). Raises :class:`AnswerError` when it has none."""
    result = _value(tree, values or {}, budget or Budget())
    if not isinstance(result, Fraction) and not precise.isfinite(result):
        raise AnswerError("the answer is not a finite number")
    return result


def number(tree: Node, values: Mapping[str, Number] | None = None) -> mpmath.mpf:
    """The value of a parsed answer at working precision."""
    return to_mpf(value(tree, values))


def to_mpf(x: Number) -> mpmath.mpf:
    """``x`` at working precision (a fraction's conversion is cached: a class repeats
    the same values)."""
    return _fraction_mpf(x) if isinstance(x, Fraction) else x


@functools.lru_cache(maxsize=4096)
def _fraction_mpf(x: Fraction) -> mpmath.mpf:
    return to_precise(x)


def _small(x: Fraction) -> Number:
    """``x``, or its 60-digit value when the fraction has grown too large to carry."""
    if x.numerator.bit_length() + x.denominator.bit_length() > MAX_EXACT_BITS:
        return to_precise(x)
    return x


def _value(tree: Node, values: Mapping[str, Number], budget: Budget) -> Number:
    budget.spend()
    kind = tree[0]
    if kind == "num":
        return _small(tree[1])
    if kind == "e":
        return precise.e
    if kind == "sym":
        if tree[1] not in values:
            raise AnswerError(f"a number is expected, not the name {tree[1]}")
        return values[tree[1]]
    if kind == "neg":
        return -_value(tree[1], values, budget)
    if kind == "call":
        return _call(tree[1], [_value(a, values, budget) for a in tree[2]])
    if kind == "pow" and tree[1][0] == "e":
        return _call("exp", [_value(tree[2], values, budget)])
    left, right = _value(tree[1], values, budget), _value(tree[2], values, budget)
    if kind == "pow":
        return _power(left, right)
    if kind == "div" and right == 0:
        raise AnswerError("the answer divides by zero")
    if isinstance(left, Fraction) and isinstance(right, Fraction):
        if kind == "add":
            return _small(left + right)
        if kind == "sub":
            return _small(left - right)
        if kind == "mul":
            return _small(left * right)
        return _small(left / right)
    left, right = to_mpf(left), to_mpf(right)
    if kind == "add":
        return left + right
    if kind == "sub":
        return left - right
    if kind == "mul":
        return left * right
    return left / right


def log10_abs(x: Number) -> float:
    """log10 |x| as a float, for any size of x (x != 0)."""
    if isinstance(x, Fraction):
        return (_log10_int(abs(x.numerator)) - _log10_int(x.denominator))
    return float(precise.log10(abs(x)))


def _log10_int(n: int) -> float:
    bits = n.bit_length()
    if bits < 1000:
        return math.log10(n)
    shift = bits - 900
    return math.log10(n >> shift) + shift * math.log10(2)


def _power(base: Number, exponent: Number) -> Number:
    if base == 0:
        if exponent < 0:
            raise AnswerError("the answer divides by zero")
        return Fraction(1) if exponent == 0 else Fraction(0)
    whole = exponent == int(exponent) if isinstance(exponent, Fraction) else \
        exponent == precise.floor(exponent)
    if base < 0 and not whole:
        raise AnswerError("a negative number to a fractional power is not a real number")
    if float(abs(to_mpf(exponent))) * abs(log10_abs(base)) > MAX_POWER_DIGITS:
        raise AnswerError(f"a power in the answer is too large (over 10^{MAX_POWER_DIGITS})")
    if isinstance(base, Fraction) and isinstance(exponent, Fraction) and whole:
        size = base.numerator.bit_length() + base.denominator.bit_length()
        if size * abs(int(exponent)) <= MAX_EXACT_BITS:
            return base ** int(exponent)
    # |exponent| may be huge for a base near 1 ((1 + 10^-300)^(10^300)): the base needs
    # as many more digits as the exponent has
    extra = max(0, int(log10_abs(exponent))) if exponent != 0 else 0
    if extra <= 10:
        return precise.power(to_mpf(base), to_mpf(exponent))
    wide = mpmath.MPContext()    # a private context: the shared one's precision never moves
    wide.dps = PRECISION + extra + 10
    convert = (lambda x: wide.mpf(x.numerator) / x.denominator if isinstance(x, Fraction)
               else wide.mpf(x))
    return precise.mpf(wide.power(convert(base), convert(exponent)))


def _call(function: str, arguments: list[Number]) -> Number:
    x = arguments[0]
    if function in ("exp", "sigma") and abs(x) > MAX_EXP_ARGUMENT:
        raise AnswerError(f"e^{precise.nstr(to_mpf(x), 6)} is out of range "
                          f"(|x| up to {MAX_EXP_ARGUMENT})")
    if function == "exp":
        return Fraction(1) if x == 0 else precise.exp(to_mpf(x))
    if function == "sigma":
        return Fraction(1, 2) if x == 0 else 1 / (1 + precise.exp(-to_mpf(x)))
    if function == "tanh":
        return Fraction(0) if x == 0 else precise.tanh(to_mpf(x))
    if function == "relu":
        return maximum(Fraction(0), x)
    return maximum(*arguments)


def maximum(*items: Number) -> Number:
    """The largest of fractions and mpfs, kept exact where it is a fraction."""
    best = items[0]
    for item in items[1:]:
        if compare(item, best) > 0:
            best = item
    return best


def compare(a: Number, b: Number) -> int:
    """-1, 0 or 1 as ``a`` is below, equal to or above ``b`` (exactly where both are
    fractions)."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return (a > b) - (a < b)
    a, b = to_mpf(a), to_mpf(b)
    return int(a > b) - int(a < b)


def as_fraction(x: Number) -> Fraction:
    """The exact value of an mpf (its binary value, sign included) as a fraction.

    Raises :class:`OverflowError` for a value beyond 2^±100000 (there is no point in a
    fraction of that size) and :class:`ValueError` for infinity or NaN."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    sign, man, exp, _ = precise.mpf(x)._mpf_
    if not man:
        if exp:                       # inf, -inf and nan have a zero mantissa
            raise ValueError(f"{x} is not a finite number")
        return Fraction(0)
    if abs(exp) > MAX_BINARY_EXPONENT:
        raise OverflowError(f"{precise.nstr(x, 5)} is too large or too small for a fraction")
    man = -int(man) if sign else int(man)
    exp = int(exp)
    return Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)


def approximate(x: Number) -> float:
    """``x`` as a float, never raising: ±inf beyond float range, NaN for NaN."""
    if isinstance(x, Fraction):
        try:
            return x.numerator / x.denominator
        except OverflowError:
            return _float_far(x)
    return float(x)


def _float_far(x: Fraction) -> float:
    digits = log10_abs(x)
    magnitude = math.inf if digits > 0 else 0.0
    return magnitude if x > 0 else -magnitude
