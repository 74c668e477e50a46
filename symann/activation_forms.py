"""The numeric forms of the registry's functions, one per domain: NumPy arrays (in place,
stable), one Python float (stable), intervals (enclosures from the ends of a monotone
function), mpmath at high precision and SymPy; the registry entries of
:mod:`symann.activations` name them."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from .numbers import precise
from .reals import Arithmetic, Real

# --- NumPy forms: in place, stable ---------------------------------------------------------

def sigmoid_np(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-z) in place: e^-z overflows to inf only where the result is 0 anyway,
    and that overflow is expected, so it warns nothing; accurate to the last bits
    everywhere (unlike 0.5 + 0.5 tanh(z / 2), which loses digits for negative z)."""
    with np.errstate(over="ignore"):
        np.negative(z, out=z)
        np.exp(z, out=z)
        np.add(z, 1.0, out=z)
        np.divide(1.0, z, out=z)   # twice as fast as np.reciprocal here
    return z


def softmax_np(z: np.ndarray) -> np.ndarray:
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def silu_np(z: np.ndarray) -> np.ndarray:
    np.multiply(z, sigmoid_np(z.copy()), out=z)
    return z


def softplus_np(z: np.ndarray) -> np.ndarray:
    np.logaddexp(0.0, z, out=z)
    return z


# --- scalar forms: one Python float, stable ----------------------------------------------

def sigmoid_scalar(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def silu_scalar(z: float) -> float:
    return z * sigmoid_scalar(z)


def softplus_scalar(z: float) -> float:
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


# --- forms for domains where the definition is not the way -----------------------------

def monotone(point: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """The enclosure of a non-decreasing function from its values at the two ends of an
    interval (``point`` gets one end, as a one-point interval)."""
    def enclose(z: Any, ctx: Any) -> Any:
        low, high = point(z.a, ctx), point(z.b, ctx)
        return ctx.mpf([low.a, high.b])
    return enclose


def tanh_point(end: Any, ctx: Any) -> Any:
    """tanh at one point as m / (m + 2), m = e^{2z} - 1: accurate near 0 and at both
    extremes."""
    m = ctx.expm1(2 * end)
    return m / (m + 2)


def real(rational: Callable[[Fraction], Fraction | None],
          enclose: Callable[[Any, Any], Any]) -> Callable[[Arithmetic, Real], Real]:
    return lambda math_, z: math_.apply(rational, enclose, z)


def step_forms(at_zero: Fraction) -> tuple[Callable[..., Real], Callable[..., Any],
                                            Callable[..., Any]]:
    def rational(z: Fraction) -> Fraction:
        return Fraction(1) if z > 0 else (at_zero if z == 0 else Fraction(0))

    def point(end: Any, ctx: Any) -> Any:
        if end.a > 0:
            return ctx.one
        return ctx.zero if end.b < 0 else ctx.mpf(at_zero.numerator) / at_zero.denominator

    def mp(z: Any) -> Any:
        return precise.one if z > 0 else (
            precise.mpf(at_zero.numerator) / at_zero.denominator if z == 0 else precise.zero)

    def sym(z: Any) -> Any:
        return sympy.Piecewise((1, z > 0), (sympy.Rational(at_zero.numerator,
                                                          at_zero.denominator),
                                            sympy.Eq(z, 0)), (0, True))

    return real(rational, monotone(point)), mp, sym


def max_real(math_: Arithmetic, *values: Real) -> Real:
    return math_.maximum(values)


def softmax_rational(zs: Sequence[Fraction]) -> list[Fraction | None]:
    """Exactly 1/n where every z is the same (e^z is irrational at every other rational)."""
    if all(z == zs[0] for z in zs):
        return [Fraction(1, len(zs))] * len(zs)
    return [None] * len(zs)


def softmax_enclose(zs: Sequence[Any], ctx: Any) -> list[Any]:
    """a_j = 1 / sum_k e^{z_k - z_j}: no overflow, whatever the size of the z."""
    enclosures = []
    for j, z in enumerate(zs):
        total = ctx.one
        for k, other in enumerate(zs):
            if k != j:
                total = total + ctx.exp(other - z)
        enclosures.append(1 / total)
    return enclosures


def softmax_precise(zs: Sequence[Any]) -> list[Any]:
    top = max(zs)
    shifted = [precise.exp(z - top) for z in zs]
    total = precise.fsum(shifted)
    return [value / total for value in shifted]


def softmax_sympy(zs: Sequence[Any]) -> list[Any]:
    total = sympy.Add(*[sympy.exp(z) for z in zs])
    return [sympy.exp(z) / total for z in zs]
