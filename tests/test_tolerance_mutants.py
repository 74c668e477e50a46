"""symann.grading.tolerance at its edges: what a tolerance refuses, each width exactly, each
boundary closed or open, the float pre-check per number of places, astronomical values
(written to kill mutants: docs/mutation.md)."""
from __future__ import annotations

from fractions import Fraction

import pytest

from symann.errors import InputError
from symann.grading.tolerance import DEFAULT_ATOL, MODES, PL_EPS, Tolerance, floor_log10
from symann.numbers import precise

F = Fraction


def test_constants():
    assert MODES == ("shown", "absolute", "relative", "decimals", "sigfigs")
    assert F(1, 10**8) == DEFAULT_ATOL and F(51, 100) == PL_EPS
    assert Tolerance() == Tolerance("shown", F(0), F(1, 10**8))


@pytest.mark.parametrize("mode, value, atol, message", [
    ("bogus", F(0), DEFAULT_ATOL, "expected one of shown, absolute, relative, decimals, "
                                  "sigfigs, got 'bogus'"),
    ("absolute", F(-1, 10**9), DEFAULT_ATOL, "expected a tolerance of 0 or more"),
    ("relative", F(1, 100), F(-1, 10**9), "expected a tolerance of 0 or more"),
    ("decimals", F(0), DEFAULT_ATOL, "decimals takes a whole number from 1 to 50"),
    ("decimals", F(51), DEFAULT_ATOL, "decimals takes a whole number from 1 to 50"),
    ("sigfigs", F(3, 2), DEFAULT_ATOL, "sigfigs takes a whole number from 1 to 50"),
    ("sigfigs", F(0), DEFAULT_ATOL, "sigfigs takes a whole number from 1 to 50"),
])
def test_refused_tolerances(mode, value, atol, message):
    with pytest.raises(InputError) as caught:
        Tolerance(mode, value, atol)
    assert caught.value.message == message and caught.value.field == "tolerance"


@pytest.mark.parametrize("mode, value, atol", [
    ("absolute", F(0), DEFAULT_ATOL), ("relative", F(0), F(0)), ("decimals", F(1), DEFAULT_ATOL),
    ("decimals", F(50), DEFAULT_ATOL), ("sigfigs", F(1), DEFAULT_ATOL), ("sigfigs", F(50), F(0)),
    ("shown", F(0), DEFAULT_ATOL),
])
def test_accepted_tolerances(mode, value, atol):
    assert Tolerance(mode, value, atol).mode == mode


@pytest.mark.parametrize("text, expected", [
    ("shown", Tolerance()),
    ("  SHOWN ", Tolerance()),
    ("Absolute:0.001", Tolerance("absolute", F(1, 1000))),
    ("relative:1e-3", Tolerance("relative", F(1, 1000), DEFAULT_ATOL)),
    ("relative:0.01:1e-6", Tolerance("relative", F(1, 100), F(1, 10**6))),
    ("relative:0.01:0", Tolerance("relative", F(1, 100), F(0))),
    ("decimals:3", Tolerance("decimals", F(3))),
    ("sigfigs: 2 ", Tolerance("sigfigs", F(2))),
])
def test_parse(text, expected):
    assert Tolerance.parse(text) == expected


@pytest.mark.parametrize("text, message", [
    ("absolute", "expected MODE:VALUE (e.g. absolute:0.001), got 'absolute'"),
    ("absolute:  ", "expected MODE:VALUE (e.g. absolute:0.001), got 'absolute:  '"),
    ("shown:1", "shown takes no value, got 'shown:1'"),
    ("absolute:1:2", "absolute takes one value, got 'absolute:1:2'"),
    ("decimals:3:1", "decimals takes one value, got 'decimals:3:1'"),
    ("absolute:-1", "expected a tolerance of 0 or more"),
    ("decimals:2.5", "decimals takes a whole number from 1 to 50"),
])
def test_parse_refusals_name_the_field(text, message):
    with pytest.raises(InputError) as caught:
        Tolerance.parse(text, field="tolerances[3]")
    assert caught.value.message == message
    assert caught.value.field == "tolerances[3]"
    assert caught.value.__cause__ is None


def test_parse_of_a_bad_number_names_the_field():
    with pytest.raises(InputError) as caught:
        Tolerance.parse("relative:0.1:abc", field="t")
    assert caught.value.field == "t" and "abc" in caught.value.message
    with pytest.raises(InputError) as caught:
        Tolerance.parse("absolute:x")
    assert caught.value.field == "tolerance"


def test_strict():
    assert [Tolerance.parse(t).strict for t in
            ("shown", "absolute:1", "relative:1", "decimals:1", "sigfigs:1")] == \
        [False, False, False, True, True]


@pytest.mark.parametrize("text, expected, digits, width", [
    ("shown", F(5), 3, F(1, 2000)),
    ("shown", F(5), 0, F(1, 2)),
    ("absolute:0.25", F(-7), 3, F(1, 4)),
    ("relative:0.1", F(-3), 3, F(1, 10**8) + F(3, 10)),
    ("relative:0.1:0.5", F(2), 3, F(1, 2) + F(1, 5)),
    ("relative:0:0", F(2), 3, F(0)),
    ("decimals:2", F(123), 7, F(51, 10000)),
    ("sigfigs:2", F(0), 7, F(51, 1000)),          # b = 0: 0.51 * 10^(1 - N)
    ("sigfigs:1", F(0), 7, F(51, 100)),
    ("sigfigs:2", F(1234, 10), 7, F(51, 10)),     # 0.51 * 10^(2 - 2 + 1)
    ("sigfigs:3", F(-999, 1000), 7, F(51, 100000)),
    ("sigfigs:3", F(1), 7, F(51, 10000)),
])
def test_width(text, expected, digits, width):
    assert Tolerance.parse(text).width(expected, digits) == width


@pytest.mark.parametrize("text, expected", [
    ("shown", F(1, 3)), ("absolute:0.001", F(-2)), ("relative:0.01", F(-5, 7)),
    ("relative:0.01:0", F(0)), ("decimals:3", F(1, 7)), ("sigfigs:2", F(-123, 7)),
    ("sigfigs:3", F(0)),
])
def test_boundaries_are_closed_or_open_exactly(text, expected):
    t = Tolerance.parse(text)
    w = t.width(expected, 4)
    tiny = F(1, 10**40)
    assert t.accepts(expected, expected, 4)
    for side in (1, -1):
        if w:
            assert t.accepts(expected + side * (w - tiny), expected, 4)
        assert not t.accepts(expected + side * (w + tiny), expected, 4)
        assert t.accepts(expected + side * w, expected, 4) is (not t.strict)
        # the same on values too large for fractions (mpf comparison)
        huge = precise.mpf(2) ** 200000
        assert t.accepts(huge, huge, 4) is True


def test_astronomical_boundaries():
    huge = precise.mpf(2) ** 200000
    closed, open_ = Tolerance.parse("absolute:0.5"), Tolerance.parse("decimals:1")
    tiny = precise.mpf(2) ** -200000
    assert closed.accepts(F(1, 2), tiny, 4) and not closed.accepts(F(51, 100), tiny, 4)
    assert open_.accepts(F(1, 20), tiny, 4) and not open_.accepts(F(51, 1000), tiny, 4)
    relative = Tolerance.parse("relative:0.5:0")
    assert relative.width(huge, 4) == F(1, 2) * F(2) ** 100000      # bounded, still huge
    assert relative.width(tiny, 4) == 0
    assert relative.width(-huge, 4) == F(1, 2) * F(2) ** 100000


def test_near_per_number_of_places():
    t = Tolerance()
    assert t.near(0.1049, 0.1, 2) and not t.near(0.1049, 0.1, 4)
    assert t.near(0.10004, 0.1, 4) and not t.near(0.1006, 0.1, 3)
    assert t.near(0.1049, 0.1, 2)                       # the cached width of 2 places
    absolute = Tolerance.parse("absolute:0.01")
    assert absolute.near(5.0099, 5.0, 9) and not absolute.near(5.02, 5.0, 9)
    relative = Tolerance.parse("relative:0.1:0.001")
    assert relative.near(-109.9, -100.0, 4) and not relative.near(-111.0, -100.0, 4)
    assert relative.near(0.0009, 0.0, 4) and not relative.near(0.002, 0.0, 4)
    decimals = Tolerance.parse("decimals:2")
    assert decimals.near(1.005, 1.0, 9) and not decimals.near(1.006, 1.0, 9)
    sigfigs = Tolerance.parse("sigfigs:3")           # b = 100: a unit of the 3rd figure is 1
    assert sigfigs.near(100.5, 100.0, 4) and not sigfigs.near(106.0, 100.0, 4)
    assert sigfigs.near(0.0051, 0.0, 4) and not sigfigs.near(0.06, 0.0, 4)
    # at b = 0 the quick width is the exact one (0.51 * 10^-2), not a looser filter
    assert not sigfigs.accepts(F(53, 10000), F(0), 4) and not sigfigs.near(0.0053, 0.0, 4)


def test_near_is_never_stricter_than_accepts_at_the_boundaries():
    for text in ("shown", "absolute:0.001", "relative:0.01", "decimals:3", "sigfigs:2",
                 "sigfigs:1", "relative:0:0"):
        t = Tolerance.parse(text)
        for b in (F(0), F(1, 3), F(-7, 3), F(1234, 10), F(999, 1000), F(10**6)):
            w = t.width(b, 4)
            for a in (b + w, b - w, b + w * F(999, 1000)):
                if t.accepts(a, b, 4):
                    assert t.near(float(a), float(b), 4), (text, a, b)


def test_describe_each_mode():
    assert Tolerance().describe(0) == "within 0.5 (0 decimal places)"
    assert Tolerance.parse("absolute:1/3").describe(2) == "absolute 1/3"
    assert Tolerance.parse("relative:1/3:1/7").describe(2) == \
        "relative 1/3 (|a - b| <= 1/7 + 1/3·|b|)"
    assert Tolerance.parse("decimals:3").describe(2) == "decimals 3 (|a - b| < 0.51·10^-3)"
    assert Tolerance.parse("sigfigs:2").describe(2) == \
        "sigfigs 2 (|a - b| < 0.51 of a unit in the 2th significant figure of b)"


@pytest.mark.parametrize("x, expected", [
    (F(1), 0), (F(10), 1), (F(9), 0), (F(-10), 1), (F(999, 1000), -1), (F(1, 10), -1),
    (F(1, 11), -2), (F(10**50), 50), (F(10**50 - 1), 49), (F(-1, 10**20), -20), (7, 0), (-1000, 3),
    (F(99, 10), 0), (F(101, 10), 1),
])
def test_floor_log10_exact(x, expected):
    assert floor_log10(x) == expected


def test_floor_log10_of_mpfs():
    assert floor_log10(precise.mpf(1000)) == 3
    assert floor_log10(precise.mpf(-0.5)) == -1
    assert floor_log10(precise.mpf(10) ** 100000) == 100000        # beyond fractions
    assert floor_log10(precise.mpf(10) ** -100000 * 3) == -100000


def test_a_tie_of_an_irrational_expected_value_accepts_both_neighbours():
    """The tie rule needs exact ends: an expected value held as a 60-digit mpf (irrational)
    that lands exactly on a tie (0.25 at 1 place) is a tie only of its approximation, so
    both 1-place neighbours are right; an exact (Fraction) tie takes only the half-up one."""
    t = Tolerance()
    approximated = precise.mpf(1) / 4
    assert t.accepts(F(1, 5), approximated, 1) and t.accepts(F(3, 10), approximated, 1)
    assert not t.accepts(F(1, 5), F(1, 4), 1) and t.accepts(F(3, 10), F(1, 4), 1)
