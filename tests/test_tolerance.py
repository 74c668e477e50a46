"""Every boundary of every tolerance mode (docs/checking.md), exactly: at the boundary,
just inside and just beyond, for positive, negative and zero expected values; and the
answer arithmetic's every operator and function (grading/answers.py: the one evaluator,
symann.evaluate, with an answer's bounds)."""
from __future__ import annotations

import math
import threading
from fractions import Fraction as F

import pytest
from hypothesis import given, settings, strategies as st

import symann
from symann.evaluate import Budget
from symann.grading import answers
from symann.grading.answers import value
from symann.grading.parse import parse
from symann.grading.tokens import AnswerError
from symann.grading.tolerance import DEFAULT_ATOL, Tolerance, floor_log10
from symann.grading.values import approximate, as_fraction, log10_abs, number, same, to_mpf
from symann.numbers import precise, round_half_up
from symann.quantities import Quantity, Ref
from symann.reals import Real

TINY = F(1, 10**30)    # "one unit beyond" for exact comparisons


def accepts(spec: str, given, expected, digits: int = 4) -> bool:
    return Tolerance.parse(spec).accepts(F(given) if not hasattr(given, "_mpf_") else given,
                                         F(expected) if not hasattr(expected, "_mpf_")
                                         else expected, digits)


# --- shown: |a - b| <= 0.5 * 10^-digits, closed ------------------------------------------

@pytest.mark.parametrize("b", [F("0.415"), F("-0.415"), F(0), F("0.80115"), F("-0.80115"),
                               F(123456, 7)])
@pytest.mark.parametrize("digits", [0, 2, 4])
def test_shown_boundaries(b, digits):
    w = F(1, 2 * 10**digits)
    t = Tolerance()
    for a in (b + w, b - w, b):
        wrong_side_of_a_tie = (a * 10**digits).denominator == 1 and a != round_half_up(b, digits)
        assert t.accepts(a, b, digits) is not wrong_side_of_a_tie
    for a in (b + w + TINY, b - w - TINY):
        assert not t.accepts(a, b, digits)
    assert t.width(b, digits) == w
    assert not t.strict


def test_shown_at_an_exact_tie():
    # 0.80115 shown as 0.8012 (half-up): both neighbours are exactly half a unit away,
    # and only the half-up one is right (issue 8: never the wrong side of a tie)
    t = Tolerance()
    assert t.accepts(F("0.8012"), F("0.80115"), 4)
    assert not t.accepts(F("0.8011"), F("0.80115"), 4)
    assert not t.accepts(F("-0.8011"), F("-0.80115"), 4)
    assert t.accepts(F("0.80110001"), F("0.80115"), 4)   # inside, more places: still right
    assert not t.accepts(F("0.8013"), F("0.80115"), 4)
    assert t.accepts(F("-0.8012"), F("-0.80115"), 4)
    assert not t.accepts(F("0.8012"), F("-0.80115"), 4)


# --- absolute: |a - b| <= A, closed ------------------------------------------------------

@pytest.mark.parametrize("b", [F("0.6"), F("-0.6"), F(0)])
def test_absolute_boundaries(b):
    t = Tolerance.parse("absolute:0.001")
    assert t.value == F(1, 1000) and t.width(b, 4) == F(1, 1000)
    assert t.accepts(b + F(1, 1000), b, 4) and t.accepts(b - F(1, 1000), b, 4)
    assert not t.accepts(b + F(1, 1000) + TINY, b, 4)
    assert not t.accepts(b - F(1, 1000) - TINY, b, 4)


def test_absolute_zero_accepts_only_the_value():
    t = Tolerance.parse("absolute:0")
    assert t.accepts(F("0.415"), F("0.415"), 4)
    assert not t.accepts(F("0.415") + TINY, F("0.415"), 4)


# --- relative: |a - b| <= atol + R |b|, closed, atol 1e-8 by default -----------------------

@pytest.mark.parametrize("b", [F(2), F(-2), F("0.415"), F("-0.415")])
def test_relative_boundaries(b):
    t = Tolerance.parse("relative:0.01")
    w = F(1, 100) * abs(b) + DEFAULT_ATOL
    assert t.width(b, 4) == w
    assert t.accepts(b + w, b, 4) and t.accepts(b - w, b, 4)
    assert not t.accepts(b + w + TINY, b, 4) and not t.accepts(b - w - TINY, b, 4)


def test_relative_at_an_expected_zero_uses_atol():
    t = Tolerance.parse("relative:0.01")
    assert F(1, 10**8) == DEFAULT_ATOL
    assert t.accepts(F(1, 10**8), F(0), 4) and t.accepts(F(-1, 10**8), F(0), 4)
    assert not t.accepts(F(1, 10**8) + TINY, F(0), 4)
    custom = Tolerance.parse("relative:0.01:1e-3")
    assert custom.atol == F(1, 1000)
    assert custom.accepts(F("0.001"), F(0), 4) and not custom.accepts(F("0.001") + TINY, F(0), 4)
    assert custom.accepts(F("2.021"), F(2), 4) and not custom.accepts(F("2.021") + TINY, F(2), 4)
    none = Tolerance.parse("relative:0.01:0")
    assert none.accepts(F(0), F(0), 4) and not none.accepts(TINY, F(0), 4)


# --- decimals: |a - b| < 0.51 * 10^-N, open (PrairieLearn decdig) ---------------------------

@pytest.mark.parametrize("b", [F("0.6023"), F("-0.6023"), F(0), F(150)])
@pytest.mark.parametrize("n", [1, 2, 4])
def test_decimals_boundaries(b, n):
    t = Tolerance.parse(f"decimals:{n}")
    eps = F(51, 100) / 10**n
    assert t.width(b, 4) == eps and t.strict
    assert not t.accepts(b + eps, b, 4) and not t.accepts(b - eps, b, 4)
    assert t.accepts(b + eps - TINY, b, 4) and t.accepts(b - eps + TINY, b, 4)


def test_decimals_examples():
    assert accepts("decimals:2", "0.605", "0.6023")      # 0.0027 < 0.0051
    assert not accepts("decimals:2", "0.61", "0.6023")   # 0.0077
    assert accepts("decimals:2", "0.41", "0.415") and accepts("decimals:2", "0.42", "0.415")


# --- sigfigs: |a - b| < 0.51 * 10^(floor(log10|b|) - N + 1), open (PrairieLearn sigfig) -----

@pytest.mark.parametrize("b, n, eps", [
    (F("0.415"), 2, F("0.0051")), (F("-0.415"), 2, F("0.0051")), (F(100), 2, F("5.1")),
    (F("99.99"), 2, F("0.51")), (F(1), 2, F("0.051")), (F(1) - F(4, 10**18), 2, F("0.0051")),
    (F("0.1"), 3, F("0.00051")), (F("0.09999"), 3, F("0.000051")), (F(5), 1, F("0.51")),
    (F(0), 2, F("0.051")), (F(0), 1, F("0.51")), (F(0), 3, F("0.0051")), (F(-1000), 1, F(510)),
])
def test_sigfigs_boundaries(b, n, eps):
    t = Tolerance.parse(f"sigfigs:{n}")
    assert t.width(b, 4) == eps and t.strict
    assert not t.accepts(b + eps, b, 4) and not t.accepts(b - eps, b, 4)
    assert t.accepts(b + eps - TINY, b, 4) and t.accepts(b - eps + TINY, b, 4)
    assert t.accepts(b, b, 4)


def test_sigfigs_examples_from_the_issue():
    # 0.415 is exactly between 0.41 and 0.42: both are 0.005 < 0.0051 from it (PL sigfig)
    assert accepts("sigfigs:2", "0.42", "0.415") and accepts("sigfigs:2", "0.41", "0.415")
    assert not accepts("sigfigs:2", "0.4201", "0.415")       # exactly 0.0051 away
    assert not accepts("sigfigs:2", "0.4099", "0.415")
    # sigma(40) = 1 - 4e-18 is below 1: its unit is 0.01, so 0.95 is far off
    sigma40 = F(1) - F(4, 10**18)
    assert not accepts("sigfigs:2", "0.95", sigma40)
    assert accepts("sigfigs:2", "0.995", sigma40) and accepts("sigfigs:2", "1.0", sigma40)
    assert accepts("sigfigs:2", "0.95", "1")                  # at 1 the unit is 0.1
    # an expected 0 (a dead ReLU) is no longer "exactly 0 or nothing"
    assert accepts("sigfigs:2", "0.05", "0") and not accepts("sigfigs:2", "0.051", "0")
    assert accepts("sigfigs:2", "-0.05", "0")


def test_sigfigs_on_an_irrational_expected_value():
    s = 1 / (1 + precise.exp(-precise.mpf("0.415")))      # 0.60228617...
    assert accepts("sigfigs:2", "0.6", s) and not accepts("sigfigs:2", "0.61", s)
    assert accepts("sigfigs:3", "0.602", s) and not accepts("sigfigs:3", "0.601", s)


@pytest.mark.parametrize("x, m", [
    (F(1), 0), (F(1) - F(4, 10**18), -1), (F(10), 1), (F("9.99"), 0), (F("0.1"), -1),
    (F("0.09999"), -2), (F(-100), 2), (F(10**500), 500), (F(1, 10**500), -500),
    (F(10**500) - 1, 499), (precise.mpf("0.5"), -1), (precise.mpf(-20), 1), (F(7, 3), 0),
])
def test_floor_log10(x, m):
    assert floor_log10(x) == m


# --- parsing and validation --------------------------------------------------------------

@pytest.mark.parametrize("text, mode, val", [
    ("shown", "shown", 0), ("SIGFIGS:2", "sigfigs", 2), (" absolute:1e-3", "absolute", F(1, 1000)),
    ("relative:1/100", "relative", F(1, 100)), ("decimals:50", "decimals", 50),
    ("sigfigs:1", "sigfigs", 1),
])
def test_parse(text, mode, val):
    t = Tolerance.parse(text)
    assert (t.mode, t.value) == (mode, val)


@pytest.mark.parametrize("bad", ["absolute", "wide:3", "decimals:1.5", "absolute:-1", "decimals:0",
                                 "decimals:51", "sigfigs:0", "sigfigs:-2", "relative:0.1:-1",
                                 "shown:3", "absolute:1:2", "sigfigs:2:1", "relative:",
                                 "absolute:nan", "absolute:inf", "relative:x"])
def test_parse_errors(bad):
    with pytest.raises(symann.InputError) as error:
        Tolerance.parse(bad, field="--tolerance")
    assert error.value.field == "--tolerance"


def test_describe():
    assert Tolerance().describe(4) == "within 0.00005 (4 decimal places)"
    assert Tolerance().describe(2) == "within 0.005 (2 decimal places)"
    assert Tolerance.parse("absolute:0.001").describe(4) == "absolute 0.001"
    assert Tolerance.parse("relative:0.01").describe(4) == \
        "relative 0.01 (|a - b| <= 0.00000001 + 0.01·|b|)"
    assert "0.51·10^-3" in Tolerance.parse("decimals:3").describe(4)
    assert "0.51 of a unit in the 2th" in Tolerance.parse("sigfigs:2").describe(4)


MODES = st.sampled_from(["shown", "absolute:0.001", "absolute:0", "relative:0.01",
                         "relative:0.5:0", "decimals:2", "decimals:5", "sigfigs:1", "sigfigs:3"])
FRACTIONS = st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6)


@settings(max_examples=400, deadline=None)
@given(mode=MODES, b=FRACTIONS, d=st.fractions(min_value=-1, max_value=1, max_denominator=10**7))
def test_near_never_rejects_what_accepts_accepts(mode, b, d):
    t = Tolerance.parse(mode)
    for a in (b + d, b + t.width(b, 4), b - t.width(b, 4), b + d / 1000):
        if t.accepts(a, b, 4):
            assert t.near(approximate(a), approximate(b), 4), (mode, a, b)


@settings(max_examples=300, deadline=None)
@given(mode=MODES, b=FRACTIONS)
def test_accepts_is_symmetric_about_the_expected_value(mode, b):
    t = Tolerance.parse(mode)
    w = t.width(b, 4)
    if mode == "shown" and (b * 10**4).denominator == 2:
        # an exact tie (0.03125 at 4 places): only the neighbour away from zero is right
        away, toward = (b + w, b - w) if b > 0 else (b - w, b + w)
        assert t.accepts(away, b, 4) and not t.accepts(toward, b, 4)
        return
    assert t.accepts(b + w, b, 4) == t.accepts(b - w, b, 4) == (not t.strict)


def test_at_an_exact_tie_only_the_neighbour_away_from_zero_is_right():
    t = Tolerance.parse("shown")
    assert t.accepts(F("0.0313"), F(1, 32), 4) and not t.accepts(F("0.0312"), F(1, 32), 4)
    assert t.accepts(F("-0.0313"), F(-1, 32), 4) and not t.accepts(F("-0.0312"), F(-1, 32), 4)


def test_near_defers_anything_infinite():
    t = Tolerance()
    assert t.near(math.inf, 0.5, 4) and t.near(-math.inf, 0.5, 4) and t.near(0.5, math.inf, 4)
    assert t.near(math.nan, 0.5, 4)
    assert not t.near(0.7, 0.5, 4) and t.near(0.50004, 0.5, 4)


def test_astronomical_values_are_compared_without_fractions():
    huge = precise.mpf(10) ** 100000          # beyond 2^100000: no fraction is built
    tiny = precise.mpf(10) ** -100000
    t = Tolerance.parse("absolute:1e-300")
    assert t.accepts(F(0), tiny, 4) and not t.accepts(F(0), huge, 4)
    assert not Tolerance.parse("decimals:2").accepts(F(0), huge, 4)
    assert Tolerance.parse("sigfigs:2").accepts(huge, huge, 4)
    assert not Tolerance.parse("relative:0.01").accepts(F(0), huge, 4)
    assert Tolerance.parse("relative:0.01").accepts(huge * F(1), huge, 4)
    assert not Tolerance.parse("decimals:2").accepts(F(0), tiny * 0 + F(1), 4)


# --- the answer arithmetic -------------------------------------------------------------

def ev(text: str):
    return number(value(parse(text)))


@pytest.mark.parametrize("text, expected", [
    ("0.1 + 0.2", F(3, 10)), ("0.1 - 0.2", F(-1, 10)), ("0.1 * 0.2", F(1, 50)),
    ("0.1 / 0.2", F(1, 2)), ("-(0.415)", F(-83, 200)), ("0 - 0.7108", F("-0.7108")),
    ("--0.5", F(1, 2)), ("+0.5", F(1, 2)), ("2^3", F(8)), ("2^-3", F(1, 8)), ("(-2)^3", F(-8)),
    ("(-2)^-2", F(1, 4)), ("0^0", F(1)), ("0^2", F(0)), ("(1/2)^2", F(1, 4)), ("2**10", F(1024)),
    ("relu(-0.3)", F(0)), ("relu(0.3)", F("0.3")), ("relu(0)", F(0)), ("max(0.2, -0.5)", F("0.2")),
    ("max(-0.5, 0.2)", F("0.2")), ("max(-1, -2)", F(-1)), ("sigma(0)", F(1, 2)),
    ("exp(0)", F(1)), ("e^0", F(1)), ("tanh(0)", F(0)), ("-relu(-2)", F(0)),
    ("0.6023*0.5 + 0.5", F("0.80115")), ("6.023e-1", F("0.6023")), ("3/5", F(3, 5)),
    (r"\frac{1}{4}", F(1, 4)), ("1e-300 * 1e300", F(1)), ("10^400 - 10^400", F(0)),
    ("ln(1)", F(0)), (r"\ln(e^0)", F(0)), ("log(1)", F(0)), ("leaky_relu(-1)", F(-1, 100)),
    ("step(0.3)", F(1)), ("H(-2)", F(0)), ("relu(-sigma(1))", F(0)), ("softplus(0) - ln(2) + 1", None),
    ("1^(10^400)", F(1)), ("(-1)^(10^400+1)", F(-1)), ("Sigmoid(0)", F(1, 2)), ("TANH(0)", F(0)),
])
def test_exact_arithmetic(text, expected):
    result = ev(text)
    if expected is None:          # irrational parts that cancel: enclosed, not exact
        assert abs(result - 1) < 1e-60
        return
    assert isinstance(result, F) and result == expected, (text, result)


@pytest.mark.parametrize("text, expected", [
    ("sigma(0.415)", 1 / (1 + math.exp(-0.415))), ("-sigma(0.415)", -1 / (1 + math.exp(-0.415))),
    ("e", math.e), ("e^2", math.e**2), ("exp(-1)", math.exp(-1)), ("tanh(0.5)", math.tanh(0.5)),
    ("2^0.5", math.sqrt(2)), ("max(sigma(1), 0.5)", 1 / (1 + math.exp(-1))),
    ("max(0.9, sigma(1))", 0.9), ("relu(-sigma(1))", 0.0), ("relu(tanh(1))", math.tanh(1)),
    ("sigma(-2300)", 0.0), ("e^2300 / e^2300", 1.0), ("1 + e", 1 + math.e), ("e - 1", math.e - 1),
    ("2*e", 2 * math.e), ("e/2", math.e / 2), ("(-8)^(1/1)", -8.0), ("ln(2)", math.log(2)),
    (r"\log(e^3)", 3.0), ("softplus(0.415)", math.log1p(math.exp(0.415))),
    ("silu(1)", 1 / (1 + math.exp(-1))), ("SiLU(-2)", -2 / (1 + math.exp(2))),
    (r"\operatorname{softplus}(1)", math.log1p(math.e)), ("swish(1)", 1 / (1 + math.exp(-1))),
    ("(-e)^3", -math.e**3), ("(-e)^(-2)", math.e**-2), ("e^0.5^2", math.e**0.25),
])
def test_irrational_arithmetic(text, expected):
    assert abs(float(ev(text)) - expected) < 1e-12 * max(1, abs(expected)), text


@pytest.mark.parametrize("text, message", [
    ("1/0", "divides by zero"), ("1/(1-1)", "divides by zero"), ("0^-1", "divides by zero"),
    ("1/(e-e)", "divides by zero"), ("(-8)^(1/3)", "not a real number"),
    ("10^1001", "too large"), ("0.1^1001", "too large"), ("e^2301", "out of range"),
    ("exp(-2301)", "out of range"), ("sigma(2301)", "out of range"), ("2^(2^0.5*4000)", "too large"),
    ("softplus(2301)", "out of range"), ("ln(0)", "logarithm of a number that is not positive"),
    ("log(-e)", "logarithm"), ("x", "unknown name"), ("max(1)", "max takes 2 argument"),
    ("sigma(1, 2)", "sigmoid takes 1 argument"), ("ln(1, 2)", "ln takes 1 argument"),
    ("e^2300 - e^2300", "cannot be computed to 60 digits"), ("step(e - e)", "cannot be computed"),
    ("(e - e)^2", "cannot be computed"), ("(1+10^-300*e)^(10^300)", "cannot be computed"),
])
def test_evaluation_errors(text, message):
    with pytest.raises(AnswerError, match=message):
        ev(text)


def test_powers_at_their_limits():
    assert ev("10^1000") == F(10) ** 1000
    assert ev("e^2300") > 0 and ev("e^-2300") > 0
    assert abs(ev("(1+10^-300)^(10^300)") - precise.e) < 1e-50   # enclosed, to 60 digits
    assert not isinstance(ev("(1+10^-300)^(10^300)"), F)
    assert ev("1^(10^400)") == 1


def test_symbols_take_their_values():
    w, b = Ref(Quantity.WEIGHT, 1, 1, 1), Ref(Quantity.BIAS, 1, 1)
    tree = parse("2*w + b", {"w": w, "b": b})
    assert value(tree, {w: Real(F(3)), b: Real(F(1))}).rational == 7
    assert float(number(value(tree, {w: value(parse("0.5 + e - e")), b: Real(F(1))}))) == 2.0
    with pytest.raises(AnswerError, match="not the name w1_1_1"):
        value(tree)


def test_the_work_budget():
    tree = parse("1+2+3+4")           # one sum of four numbers: five operations
    assert value(tree, budget=Budget(5)).rational == 10
    with pytest.raises(AnswerError, match="too much work"):
        value(tree, budget=Budget(4))
    assert answers.MAX_OPERATIONS >= 4 * 400


def test_large_fractions_become_mpfs():
    big = ev("(10^999+1)/10^999 * (10^999+3)/10^999 * (10^999+7)/10^999 * (10^999+9)/10^999")
    assert not isinstance(big, F)
    assert isinstance(ev("(10^900+1)/10^900"), F)


def test_as_fraction_keeps_the_sign():
    assert as_fraction(precise.mpf("-0.5")) == F(-1, 2)
    assert as_fraction(precise.mpf("0.5")) == F(1, 2)
    assert as_fraction(precise.mpf(-3)) == -3 and as_fraction(precise.mpf(12)) == 12
    assert as_fraction(precise.mpf(0)) == 0 and as_fraction(7) == 7 and as_fraction(F(-1, 3)) == F(-1, 3)
    assert as_fraction(-precise.mpf("0.66")) == -as_fraction(precise.mpf("0.66")) < 0
    for bad in (precise.inf, -precise.inf, precise.nan):
        with pytest.raises(ValueError):
            as_fraction(bad)
    with pytest.raises(OverflowError):
        as_fraction(precise.mpf(2) ** 100001)
    with pytest.raises(OverflowError):
        as_fraction(precise.mpf(2) ** -100001)
    assert as_fraction(precise.mpf(2) ** 100000) == F(2) ** 100000


def test_approximate_never_raises():
    assert approximate(F(10**400)) == math.inf and approximate(F(-10**400)) == -math.inf
    assert approximate(F(1, 10**400)) == 0.0 and approximate(F(-1, 2)) == -0.5
    assert approximate(F(10**400, 10**399)) == 10.0
    assert approximate(precise.mpf(10) ** 400) == math.inf and approximate(precise.mpf("0.25")) == 0.25


def test_helpers():
    assert same(Real(F(1, 3)), Real(F(1, 3))) and not same(Real(F(1, 3)), Real(F(1, 3) + TINY))
    assert same(value(parse("sigma(1)")), value(parse("1/(1+e^-1)")))
    assert not same(value(parse("sigma(1)")), value(parse("sigma(1) + 10^-50")))
    assert abs(log10_abs(F(10**1200)) - 1200) < 1e-9 and abs(log10_abs(F(1, 1000)) + 3) < 1e-12
    assert abs(log10_abs(precise.mpf(-100)) - 2) < 1e-12
    assert to_mpf(F(1, 4)) == precise.mpf("0.25") and to_mpf(precise.mpf(2)) == 2


def test_the_evaluator_works_in_any_thread():
    results = []
    thread = threading.Thread(target=lambda: results.append(ev("(-2)^3 + relu(-1)")))
    thread.start()
    thread.join(5)
    assert results == [F(-8)]
