from decimal import Decimal
from fractions import Fraction

import pytest
import sympy

from symann.errors import InputError
from symann.numbers import decimal_text, exact, round_half_up, show, show_exact, to_precise


@pytest.mark.parametrize("given, expected", [
    (0.1, Fraction(1, 10)), ("0.1", Fraction(1, 10)), (Decimal("0.15"), Fraction(3, 20)),
    ("1/3", Fraction(1, 3)), (" -2 / 6 ", Fraction(-1, 3)), ("2.5e-3", Fraction(1, 400)),
    (3, Fraction(3)), (1e-5, Fraction(1, 100000)), (sympy.Rational(2, 7), Fraction(2, 7)),
    ("-.5", Fraction(-1, 2)),
])
def test_numbers_are_read_exactly(given, expected):
    assert exact(given) == expected


def test_course_sum_is_exact():
    assert exact(0.1) * exact(0.15) + exact(0.4) == Fraction(83, 200)  # 0.415, no float noise


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "1e999999", "abc", "1/0",
                                 "0x10", "1_000", None, [1], "9" * 300, "__import__('os')"])
def test_bad_numbers_are_refused_with_the_field(bad):
    with pytest.raises(InputError) as caught:
        exact(bad, "layers[1].biases[2]")
    assert "layers[1].biases[2]" in str(caught.value)
    assert "expected" in str(caught.value)


@pytest.mark.parametrize("value, digits, expected", [
    (Fraction(41505, 100000), 4, Fraction(4151, 10000)),    # half goes up
    (Fraction(-41505, 100000), 4, Fraction(-4151, 10000)),  # and away from zero
    (Fraction(12345, 100000), 4, Fraction(1235, 10000)),    # Python's round(0.12345, 4) is 0.1234
    (Fraction(1, 3), 4, Fraction(3333, 10000)),
    (Fraction(2, 3), 0, Fraction(1)),
    (Fraction(5, 2), 0, Fraction(3)),                        # not banker's rounding
])
def test_rounding_is_half_up(value, digits, expected):
    assert round_half_up(value, digits) == expected


def test_exact_values_are_shown_without_padding_rounded_ones_with():
    assert show(sympy.Rational(83, 200), to_precise(Fraction(83, 200)), 4).text == "0.415"
    assert show(sympy.Rational(83, 200), to_precise(Fraction(83, 200)), 4).relation == "="
    third = show(sympy.Rational(1, 3), to_precise(Fraction(1, 3)), 4)
    assert (third.text, third.relation) == ("0.3333", "≈")
    near = show(sympy.Rational(6020001, 10**7), to_precise(Fraction(6020001, 10**7)), 4)
    assert (near.text, near.relation) == ("0.6020", "≈")


def test_irrational_values_round_from_high_precision():
    value = 1 / (1 + sympy.exp(-sympy.Rational(83, 200)))
    approximation = to_precise(Fraction(1)) / (1 + __import__("symann").numbers.precise.exp(
        -to_precise(Fraction(83, 200))))
    shown = show(value, approximation, 4)
    assert (shown.text, shown.relation) == ("0.6023", "≈")


def test_tiny_negative_rounds_to_unsigned_zero():
    shown = show(sympy.Rational(-1, 10**6), to_precise(Fraction(-1, 10**6)), 4)
    assert shown.text == "0.0000" and shown.relation == "≈"


def test_decimal_text():
    assert decimal_text(Fraction(83, 200)) == "0.415"
    assert decimal_text(Fraction(-3, 2)) == "-1.5"
    assert decimal_text(Fraction(1, 3)) is None
    assert show_exact(Fraction(1, 3)).text == "1/3"
