from decimal import Decimal
from fractions import Fraction

import pytest
import sympy

from symann.errors import InputError
from symann.numbers import decimal_text, exact, round_half_up, show, show_exact, show_tie
from symann.reals import Arithmetic, Real, Undecided


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
    assert show(Real(Fraction(83, 200)), 4).text == "0.415"
    assert show(Real(Fraction(83, 200)), 4).relation == "="
    third = show(Real(Fraction(1, 3)), 4)
    assert (third.text, third.relation) == ("0.3333", "≈")
    near = show(Real(Fraction(6020001, 10**7)), 4)
    assert (near.text, near.relation) == ("0.6020", "≈")


def _sigmoid(math, z):
    return math.apply(lambda _: None, lambda x, ctx: 1 / (1 + ctx.exp(-x)),
                      math.given(Fraction(z)))


def test_irrational_values_round_from_a_verified_enclosure():
    shown = show(_sigmoid(Arithmetic(256), "0.415"), 4)
    assert (shown.text, shown.relation) == ("0.6023", "≈")


@pytest.mark.parametrize("z, text", [("-1.455", "-0.8967"), ("-0.415", "0.3977")])
def test_negative_irrational_values_keep_their_sign(z, text):
    math = Arithmetic(256)
    tanh = math.apply(lambda _: None, lambda x, ctx: ctx.expm1(2 * x) / (ctx.expm1(2 * x) + 2),
                      math.given(Fraction(z)))
    value = tanh if z == "-1.455" else _sigmoid(math, z)
    assert show(value, 4).text == text
    assert show(Real(None, -value.enclosure), 4).text == ("0.8967" if z == "-1.455" else "-0.3977")


@pytest.mark.parametrize("value, text", [
    (Fraction(80115, 10**5), "0.8012"), (Fraction(-80115, 10**5), "-0.8012"),
    (Fraction(5, 100), "0.1"), (Fraction(-25, 1000), "-0.03"),
])
def test_exact_ties_round_half_away_from_zero(value, text):
    digits = len(text.split(".")[1])
    shown = show(Real(value), digits)
    assert shown.text == text and shown.relation == "≈"


def test_an_enclosure_across_a_tie_is_undecided_and_a_tie_is_then_taken_as_one():
    math = Arithmetic(256)
    tie = math.enclosure(math.given(Fraction(80115, 10**5)))
    straddling = Real(None, tie + math.ctx.mpf([-1e-70, 1e-70]))
    with pytest.raises(Undecided):
        show(straddling, 4)
    assert show_tie(straddling, 4).text == "0.8012"
    assert show_tie(Real(None, -straddling.enclosure), 4).text == "-0.8012"


def test_tiny_negative_rounds_to_unsigned_zero():
    shown = show(Real(Fraction(-1, 10**6)), 4)
    assert shown.text == "0.0000" and shown.relation == "≈"
    tiny = Arithmetic(256).exp(Real(Fraction(-10**9)))   # e^(-10^9): 2^(-1.4e9), no blow-up
    assert show(tiny, 4).text == "0.0000"
    assert show(Real(None, -tiny.enclosure), 4).text == "0.0000"


def test_decimal_text():
    assert decimal_text(Fraction(83, 200)) == "0.415"
    assert decimal_text(Fraction(-3, 2)) == "-1.5"
    assert decimal_text(Fraction(1, 3)) is None
    assert show_exact(Fraction(1, 3)).text == "1/3"


@pytest.mark.parametrize("given, value", [
    (__import__("numpy").float64(0.1), Fraction(1, 10)),
    (__import__("numpy").float32(0.1), Fraction(1, 10)),
    (__import__("numpy").int64(-3), Fraction(-3)),
])
def test_numpy_numbers_are_read_as_the_decimals_they_print_as(given, value):
    assert exact(given) == value


@pytest.mark.parametrize("given", [
    10**400, -(10**301), "1" * 150, Decimal("1." + "1" * 120), Fraction(1, 10**500),
    __import__("numpy").bool_(True), float("nan"),
])
def test_numbers_beyond_the_limits_are_refused_clearly(given):
    with pytest.raises(InputError, match="expected a finite number"):
        exact(given, "weights[1]")
