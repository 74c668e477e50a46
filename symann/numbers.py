"""Exact numbers in, decimals out.

Numbers from files and Python are read as exact rationals (``0.1`` is 1/10); values are
shown as decimals rounded half-up to a number of places, with ``=`` when what is shown is
the exact value and ``≈`` when it is rounded.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Rational as _RationalABC

import mpmath
import numpy as np
import sympy

from .errors import InputError
from .reals import Real

MAX_TEXT = 200
MAX_EXPONENT = 300
MAX_SIGNIFICANT = 100
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"([+-]?\d+)\s*/\s*([+-]?\d+)")
_EXPECTED = 'a finite number (e.g. 0.15, -2, "1/3" or "2.5e-3")'

EQUALS = "="
APPROX = "≈"

#: working precision (decimal digits) of every inexact value symann computes
PRECISION = 60
precise = mpmath.MPContext()
precise.dps = PRECISION


def exact(value: object, field: str = "") -> Fraction:
    """Read ``value`` as an exact rational: int, decimal string, fraction string, Decimal,
    Fraction, SymPy rational, or float (taken as the decimal it prints as: 0.1 is 1/10);
    NumPy numbers likewise (``np.float32(0.1)`` is 1/10).

    Limits: at most :data:`MAX_SIGNIFICANT` significant digits, magnitudes from
    ``1e-300`` to ``1e300`` (:data:`MAX_EXPONENT`), texts of :data:`MAX_TEXT` characters.
    """
    if isinstance(value, (bool, np.bool_)):
        raise InputError(f"expected {_EXPECTED}, got a boolean", field=field)
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, np.floating):
        if not np.isfinite(value):
            raise InputError(f"expected {_EXPECTED}, got {value}", field=field)
        return _from_decimal(Decimal(str(value)), field)
    if isinstance(value, int):
        return _bounded(Fraction(value), field)
    if isinstance(value, Fraction):
        return _bounded(value, field)
    if isinstance(value, sympy.Rational):
        return _bounded(Fraction(int(value.p), int(value.q)), field)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"expected {_EXPECTED}, got {value}", field=field)
        return _from_decimal(Decimal(float.__repr__(value)), field)
    if isinstance(value, Decimal):
        return _from_decimal(value, field)
    if isinstance(value, str):
        return _from_text(value, field)
    if isinstance(value, _RationalABC):
        return _bounded(Fraction(int(value.numerator), int(value.denominator)), field)
    raise InputError(f"expected {_EXPECTED}, got {type(value).__name__}", field=field)


def _bounded(value: Fraction, field: str) -> Fraction:
    """``value``, if its numerator and denominator are within the limits of a decimal of
    :data:`MAX_SIGNIFICANT` digits and exponents up to :data:`MAX_EXPONENT`."""
    limit = 10 ** (MAX_EXPONENT + MAX_SIGNIFICANT)
    if abs(value.numerator) >= limit or value.denominator >= limit:
        raise InputError(f"expected {_EXPECTED} within 1e-{MAX_EXPONENT} .. "
                         f"1e{MAX_EXPONENT}, got a number of "
                         f"{len(str(abs(value.numerator)))} digits", field=field)
    if value and not Fraction(1, 10**MAX_EXPONENT) <= abs(value) <= 10**MAX_EXPONENT:
        raise InputError(f"expected {_EXPECTED} within 1e-{MAX_EXPONENT} .. "
                         f"1e{MAX_EXPONENT} in size", field=field)
    return value


def _from_text(text: str, field: str) -> Fraction:
    stripped = text.strip()
    if len(stripped) > MAX_TEXT:
        raise InputError(f"expected {_EXPECTED}, got a text of {len(stripped)} characters",
                         field=field)
    if _DECIMAL.fullmatch(stripped):
        return _from_decimal(Decimal(stripped), field)
    match = _FRACTION.fullmatch(stripped)
    if match:
        numerator, denominator = int(match[1]), int(match[2])
        if denominator == 0:
            raise InputError(f"expected {_EXPECTED}, got {text!r} (division by zero)", field=field)
        return Fraction(numerator, denominator)
    raise InputError(f"expected {_EXPECTED}, got {text!r}", field=field)


def _from_decimal(value: Decimal, field: str) -> Fraction:
    if not value.is_finite():
        raise InputError(f"expected {_EXPECTED}, got {value}", field=field)
    digits = len(value.as_tuple().digits)
    if digits > MAX_SIGNIFICANT:
        raise InputError(f"expected {_EXPECTED} with at most {MAX_SIGNIFICANT} significant "
                         f"digits, got {digits}", field=field)
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        raise InputError(f"expected {_EXPECTED} within 1e-{MAX_EXPONENT} .. 1e{MAX_EXPONENT}, "
                         f"got {value:.6e}", field=field)
    return Fraction(value)


def to_sympy(value: Fraction) -> sympy.Rational:
    """The SymPy rational equal to ``value``."""
    return sympy.Rational(value.numerator, value.denominator)


def to_precise(value: Fraction) -> mpmath.mpf:
    """``value`` at symann's working precision."""
    return precise.mpf(value.numerator) / value.denominator


def decimal_text(value: Fraction) -> str | None:
    """The exact decimal text of ``value`` (``"0.415"``), or None when it does not terminate."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    return _format_scaled(scaled, places, pad=False)


def fraction_text(value: Fraction) -> str:
    """``"83/200"``, or ``"2"`` for an integer."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def file_text(value: Fraction) -> str | None:
    """``value`` as a network file writes it, a text that :func:`exact` reads back: its
    decimal where that terminates and is within the limits (``0.15``, ``-2``), else its
    fraction (``1/3``, also for a decimal of more than :data:`MAX_SIGNIFICANT` digits whose
    fraction is readable); None when neither is (more than :data:`MAX_TEXT` characters,
    or a whole number of more than :data:`MAX_SIGNIFICANT` digits)."""
    for text in (decimal_text(value), fraction_text(value)):
        if text is None:
            continue
        try:
            exact(text)
        except InputError:
            continue
        return text
    return None


def _format_scaled(scaled: int, places: int, *, pad: bool) -> str:
    """The decimal text of ``scaled / 10**places``; without ``pad``, trailing zeros go."""
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    whole, fraction = digits[: len(digits) - places], digits[len(digits) - places:]
    if not pad:
        fraction = fraction.rstrip("0")
    if not scaled:
        sign = ""
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def round_half_up(value: Fraction, digits: int) -> Fraction:
    """``value`` rounded to ``digits`` decimal places, halves away from zero."""
    scale = 10**digits
    magnitude = (abs(value) * scale + Fraction(1, 2)).__floor__()
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


@dataclass(frozen=True)
class Shown:
    """A number as a worked solution shows it.

    ``value`` is the number the text stands for (exact), ``text`` its decimal text and
    ``exact`` whether it equals the quantity it shows (``=``) or rounds it (``≈``).
    """

    value: Fraction
    text: str
    exact: bool

    @property
    def relation(self) -> str:
        return EQUALS if self.exact else APPROX

    @property
    def negative(self) -> bool:
        return self.value < 0


def show_exact(value: Fraction) -> Shown:
    """A given number (an input, a weight): shown exactly, as a decimal where it terminates."""
    return Shown(value, decimal_text(value) or fraction_text(value), True)


def show(value: Real, digits: int) -> Shown:
    """``value`` rounded half-up to ``digits`` places, the rounding decided exactly: on the
    fraction itself when rational, else on both ends of its enclosure (raises
    :class:`~symann.reals.Undecided` when they round apart: compute again, more precisely).

    A rational that the rounding does not change is shown exactly, unpadded (``0.415``).
    """
    if value.rational is not None:
        rounded = round_half_up(value.rational, digits)
        if rounded == value.rational:
            return show_exact(value.rational)
    else:
        rounded = value.decide(lambda x: round_half_up(x, digits), negligible(digits))
    return Shown(rounded, padded_text(rounded, digits), False)


def padded_text(value: Fraction, digits: int) -> str:
    """The text of a rounded value, with exactly ``digits`` places (``0.5000``): how a
    value shown with ``≈`` is written, even where it happens to be short."""
    scaled = round_half_up(value, digits) * 10**digits
    return _format_scaled(scaled.numerator // scaled.denominator, digits, pad=True)


def show_tie(value: Real, digits: int) -> Shown:
    """``value`` shown as the rounding tie its enclosure straddles: for a value that a very
    high precision still cannot tell from the tie (such as ``sigma(0.3) + sigma(-0.3)``,
    exactly 1, in a form symann does not recognise as rational)."""
    low, high = value.bounds(negligible(digits))
    unit = Fraction(1, 10**digits)
    tie = (round_half_up(low, digits) + round_half_up(high, digits)) / 2
    if not low <= tie <= high or high - low >= unit:
        raise ValueError("not a tie")   # pragma: no cover - callers ask only near a tie
    return show(Real(tie, None), digits)


def negligible(digits: int) -> int:
    """A power of two below which a value rounds to 0 at ``digits`` places:
    ``2**-(4 d + 5) < 10**-(d + 1)``."""
    return -(4 * digits + 5)
