"""symann.numbers at its edges: the limits of exact reading, the field every refusal names,
exact decimal texts of large denominators, ties, and the negligible threshold
(written to kill the mutants that survived the rest of the suite: docs/mutation.md)."""
from __future__ import annotations

import numbers as abc
import re
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy

from symann.errors import InputError
from symann.numbers import (
    MAX_SIGNIFICANT,
    MAX_TEXT,
    Shown,
    decimal_text,
    exact,
    fraction_text,
    negligible,
    precise,
    show,
    show_tie,
    to_precise,
    to_sympy,
)
from symann.reals import Arithmetic, Real

FIELD = "layers[2].weights[1][3]"


class _Rational:
    """A rational of another library (like gmpy2's mpq), registered with the ABC."""

    def __init__(self, numerator: int, denominator: int) -> None:
        self.numerator, self.denominator = numerator, denominator


abc.Rational.register(_Rational)


def _refused(value: object) -> InputError:
    with pytest.raises(InputError) as caught:
        exact(value, FIELD)
    assert caught.value.field == FIELD
    assert caught.value.message.startswith("expected a finite number")
    return caught.value


# -- every kind of number is refused with the field it came from -------------------------

@pytest.mark.parametrize("value", [
    np.float64("inf"), np.float32("nan"), np.float64(1e-310),   # NumPy: not finite, subnormal
    float("-inf"), 1e-310,                                       # Python floats
    10**301, -(10**301),                                         # int beyond 1e300
    Fraction(1, 10**301), sympy.Rational(1, 10**301),            # below 1e-300
    Decimal("NaN"), Decimal("Infinity"), Decimal("1e301"),       # Decimals
    "1" * (MAX_SIGNIFICANT + 1),                                  # 101 significant digits
    _Rational(10**301, 1),                                       # another library's rational
    object(),
])
def test_every_refusal_names_its_field(value):
    _refused(value)


def test_a_refusal_without_a_field_names_none():
    with pytest.raises(InputError) as caught:
        exact("abc")
    assert caught.value.field == ""
    assert str(caught.value) == caught.value.message


def test_another_librarys_rational_is_read_exactly():
    assert exact(_Rational(-3, 7)) == Fraction(-3, 7)


def test_the_last_refusal_names_the_type():
    assert "got object" in _refused(object()).message
    assert "got list" in _refused([1]).message


# -- the limits, at their boundaries ------------------------------------------------------

def test_magnitudes_up_to_1e300_inclusive():
    for value in (Fraction(10**300), Fraction(-(10**300)), 10**300, Fraction(2, 10**300),
                  Fraction(1e-300), -Fraction(1e-300)):   # the float 1e-300 is above 10^-300
        assert exact(value) == value
    for value in (Fraction(10**300 + 1), Fraction(1, 10**300 + 1),
                  Fraction(10**301), Fraction(1, 10**301), sympy.Rational(-1, 10**301)):
        assert "in size" in _refused(value).message


@pytest.mark.parametrize("value, expected", [
    (Fraction(1, 10**300), Fraction(1, 10**300)), (Fraction(-1, 10**300), Fraction(-1, 10**300)),
    (sympy.Rational(1, 10**300), Fraction(1, 10**300)),
])
def test_exactly_1e_minus_300_is_within_the_limits(value, expected):
    assert exact("1e-300") == Fraction(1, 10**300)   # read as text it is accepted
    assert exact(value) == expected


def test_numerator_and_denominator_of_at_most_400_digits():
    """A fraction within 1e-300..1e300 but with a 401-digit numerator or denominator is
    refused (no decimal of 100 digits and exponent 300 has it); 400 digits are read."""
    limit = 10**400
    for value in (Fraction(limit - 1, 7**170), Fraction(7**170, limit - 1),
                  Fraction(10**250 + 1, 10**100)):
        assert exact(value) == value
    for value in (Fraction(limit, 3**300), Fraction(-limit, 3**300),
                  Fraction(limit + 1, 10**150), Fraction(3**300, limit)):
        assert Fraction(1, 10**300) < abs(value) < 10**300
        message = _refused(value).message
        assert "digits" in message and "in size" not in message


def test_at_most_100_significant_digits():
    assert exact("1" * MAX_SIGNIFICANT) == int("1" * MAX_SIGNIFICANT)
    assert exact(Decimal("0." + "3" * MAX_SIGNIFICANT)) == Fraction(int("3" * 100), 10**100)
    assert "101" in _refused("1" * (MAX_SIGNIFICANT + 1)).message


def test_texts_of_at_most_200_characters():
    longest = "0" * (MAX_TEXT - 1) + "1"
    assert exact(longest) == 1
    assert exact(f"  {longest}  ") == 1                  # surrounding spaces do not count
    assert f"{MAX_TEXT + 1} characters" in _refused("0" * MAX_TEXT + "1").message


# -- conversions ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", [Fraction(-3, 7), Fraction(5), Fraction(0), Fraction(1, 10**30)])
def test_to_sympy_is_the_same_rational(value):
    converted = to_sympy(value)
    assert isinstance(converted, sympy.Rational)
    assert (converted.p, converted.q) == (value.numerator, value.denominator)


def test_to_precise_divides():
    assert to_precise(Fraction(1, 3)) == precise.mpf(1) / 3
    assert to_precise(Fraction(-22, 7)) == precise.mpf(-22) / 7
    with mpmath.workdps(200):
        assert abs(mpmath.mpf(to_precise(Fraction(2, 3))) - mpmath.mpf(2) / 3) < mpmath.mpf(10) ** -59


# -- exact decimal texts ---------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (Fraction(1, 10**30), "0." + "0" * 29 + "1"),                  # beyond float's 2**53
    (Fraction(1, 2 * 5**30), "0." + "0" * 21 + "536870912"),
    (Fraction(5), "5"), (Fraction(0), "0"), (Fraction(-1, 2), "-0.5"), (Fraction(1, 3), None),
    (Fraction(-7, 40), "-0.175"), (Fraction(2, 3), None),
])
def test_decimal_text_is_exact(value, text):
    assert decimal_text(value) == text


@pytest.mark.parametrize("value", [Fraction(3, 2**70), Fraction(-7, 5**40), Fraction(1, 2**1100),
                                   Fraction(10**40 + 1, 10**40), Fraction(-123, 10**60)])
def test_decimal_text_of_large_denominators(value):
    text = decimal_text(value)
    assert text is not None and re.fullmatch(r"-?\d+\.\d*[1-9]", text)
    assert Fraction(text) == value


@pytest.mark.parametrize("value, text", [
    (Fraction(2), "2"), (Fraction(-2), "-2"), (Fraction(0), "0"),
    (Fraction(1, 2), "1/2"), (Fraction(-5, 3), "-5/3"), (Fraction(83, 200), "83/200"),
])
def test_fraction_text(value, text):
    assert fraction_text(value) == text


# -- shown values -----------------------------------------------------------------------------

def test_a_rounded_value_is_shown_as_not_exact():
    shown = show(Real(Fraction(1, 3)), 4)
    assert shown == Shown(Fraction(3333, 10000), "0.3333", False)
    assert shown.exact is False and shown.relation == "≈"
    assert show(Real(Fraction(83, 200)), 4) == Shown(Fraction(83, 200), "0.415", True)


def _enclosing(low: str, high: str) -> Real:
    ctx = Arithmetic(256).ctx
    return Real(None, ctx.mpf([low, high]))


def test_show_tie_of_a_tie_rounds_half_up():
    assert show_tie(_enclosing("0.12499999", "0.12500001"), 2) == \
        Shown(Fraction(13, 100), "0.13", False)
    assert show_tie(_enclosing("-0.12500001", "-0.12499999"), 2).text == "-0.13"
    # narrower than a unit (0.009 < 0.01) and straddling 0.125: still a tie
    assert show_tie(_enclosing("0.1205", "0.1295"), 2).text == "0.13"


def test_show_tie_of_an_enclosure_ending_on_a_shown_decimal():
    """Both ends round to 0.25 and the enclosure reaches 0.25 itself: 0.25, exactly."""
    assert show_tie(_enclosing("0.25", "0.2501"), 2) == Shown(Fraction(1, 4), "0.25", True)
    assert show_tie(_enclosing("0.2499", "0.25"), 2) == Shown(Fraction(1, 4), "0.25", True)


@pytest.mark.parametrize("low, high, digits", [
    ("0.1211", "0.1212", 2),   # no tie inside: both ends round to 0.12 and 0.12 is outside
    ("0.115", "0.13", 2),      # 1.5 units wide
    ("0.25", "1.25", 0),       # exactly one unit wide (both ends exact in binary)
])
def test_show_tie_refuses_what_is_not_a_tie(low, high, digits):
    with pytest.raises(ValueError, match=r"^not a tie$"):
        show_tie(_enclosing(low, high), digits)


@pytest.mark.parametrize("digits", range(0, 40))
def test_negligible_is_below_half_a_unit_of_the_next_place(digits):
    """``2**negligible(d) < 10**-(d + 1)`` (the documented ``-(4 d + 5)``), so an end below it
    rounds to 0 at ``d`` places."""
    assert negligible(digits) == -(4 * digits + 5)
    assert Fraction(2) ** negligible(digits) < Fraction(1, 10 ** (digits + 1))
