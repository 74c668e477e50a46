"""The numbers the checker compares: an exact fraction where a value is rational, else its
60-digit mpmath value, and the conversions the tolerance needs.

Values are computed as :class:`~symann.reals.Real` (exact or enclosed) by the one evaluator,
:mod:`symann.evaluate`; :func:`number` turns one into what a tolerance compares. Turning an
mpf back into a fraction keeps its sign (:func:`as_fraction`).
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import TypeAlias

import mpmath

from ..numbers import precise, to_precise
from ..reals import Real, raw_fraction

MAX_BINARY_EXPONENT = 100_000  # an mpf beyond 2^±this is not turned into a fraction

Number: TypeAlias = Fraction | mpmath.mpf


def number(value: Real) -> Number:
    """``value`` exactly when it is rational, else its 60-digit value (the middle of its
    enclosure)."""
    if value.rational is not None:
        return value.rational
    return value.approximate(precise)


def to_mpf(x: Number) -> mpmath.mpf:
    """``x`` at working precision (a fraction's conversion is cached: a class repeats
    the same values)."""
    return _fraction_mpf(x) if isinstance(x, Fraction) else x


@functools.lru_cache(maxsize=4096)
def _fraction_mpf(x: Fraction) -> mpmath.mpf:
    return to_precise(x)


def finite(x: Number) -> bool:
    """Whether ``x`` is a number (not ±inf or NaN)."""
    return isinstance(x, Fraction) or bool(precise.isfinite(x))


def same(a: Real, b: Real) -> bool:
    """The same value: exactly for rationals, else to 55 digits (60-digit values of one
    quantity)."""
    if a.rational is not None and b.rational is not None:
        return a.rational == b.rational
    x, y = to_mpf(number(a)), to_mpf(number(b))
    return bool(abs(x - y) <= precise.mpf(10) ** -55 * max(1, abs(y)))


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


def as_fraction(x: Number) -> Fraction:
    """The exact value of an mpf (its binary value, sign included) as a fraction.

    Raises :class:`OverflowError` for a value beyond 2^±100000 (there is no point in a
    fraction of that size) and :class:`ValueError` for infinity or NaN."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    raw = precise.mpf(x)._mpf_
    _, man, exp, _ = raw
    if not man and exp:               # inf, -inf and nan have a zero mantissa
        raise ValueError(f"{x} is not a finite number")
    if man and abs(exp) > MAX_BINARY_EXPONENT:
        raise OverflowError(f"{precise.nstr(x, 5)} is too large or too small for a fraction")
    return raw_fraction(raw)


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


__all__ = ["MAX_BINARY_EXPONENT", "Number", "approximate", "as_fraction", "finite",
           "log10_abs", "number", "same", "to_mpf"]
