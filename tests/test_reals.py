"""symann.reals: exact rationals and verified enclosures, checked against mpmath at 200
digits (containment), with the rationality claims, signs and edges of every operation
(written to kill mutants: docs/mutation.md)."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from symann.reals import (
    MAX_EXACT_POWER_BITS,
    Arithmetic,
    Real,
    Undecided,
    _exact_dot,
    _magnitude,
    raw_fraction,
)

BITS = 128
F = Fraction


def reference(text_or_value) -> mpmath.mpf:
    with mpmath.workdps(200):
        if isinstance(text_or_value, Fraction):
            return mpmath.mpf(text_or_value.numerator) / text_or_value.denominator
        return mpmath.mpf(text_or_value)


def contains(value: Real, truth) -> bool:
    """Whether the enclosure of ``value`` contains ``truth`` (an mpf at 200 digits)."""
    low, high = value.bounds(-(10**6))
    with mpmath.workdps(200):
        return (mpmath.mpf(low.numerator) / low.denominator <= truth
                <= mpmath.mpf(high.numerator) / high.denominator)


def width(value: Real) -> Fraction:
    low, high = value.bounds(-(10**6))
    return high - low


@pytest.fixture
def m() -> Arithmetic:
    return Arithmetic(BITS)


# -- raw mpmath floats to fractions ------------------------------------------------------------

def test_fraction_of_raw_floats(m):
    for value in (F(3, 8), F(-3, 8), F(5), F(-12), F(0), F(1, 2**200), F(-(2**70) - 1)):
        raw = m.enclosure(Real(value))._mpi_[0]
        assert raw_fraction(raw) == value
    # the whole message, not a substring of it: an infinite end is named as such
    with pytest.raises(OverflowError, match=r"^not a finite number$"):
        raw_fraction(m.ctx.mpf([1, "inf"])._mpi_[1])
    with pytest.raises(OverflowError, match=r"^not a finite number$"):
        raw_fraction(m.ctx.mpf(["-inf", 1])._mpi_[0])


def test_magnitude_of_raw_floats(m):
    for value in (F(1), F(3), F(1, 3), F(-1000), F(2**100), F(1, 2**100)):
        raw = m.enclosure(Real(value))._mpi_[1]
        assert 2 ** (_magnitude(raw) - 1) <= abs(raw_fraction(raw)) < 2 ** _magnitude(raw) + 1
    assert _magnitude(m.enclosure(m.zero)._mpi_[0]) == -(1 << 62)


# -- Real --------------------------------------------------------------------------------------

def test_a_rational_real():
    r = Real(F(-3, 4))
    assert r.is_rational and r.bounds(0) == (F(-3, 4), F(-3, 4))
    assert Real(None, Arithmetic(64).ctx.mpf(1)).is_rational is False
    assert r.magnitude_bits() == 2 + 3
    assert Real(F(1)).magnitude_bits() == 2


@pytest.mark.parametrize("value", [F(1), F(2), F(3, 4), F(1, 3), F(-7), F(100, 3), F(1, 1024),
                                   F(1023, 1024), F(1025, 1024)])
def test_magnitude_is_an_upper_bound_of_log2(value, m):
    bound = Real(value).magnitude()
    assert abs(value) < F(2) ** bound
    assert abs(value) >= F(2) ** (bound - 2)          # and not a loose one
    enclosed = m.exp(Real(F(1, 3)))                    # e^(1/3) = 1.39...: below 2^1
    assert enclosed.magnitude() in (1, 2)


def test_bounds_drop_only_negligible_ends(m):
    tiny = m.exp(Real(F(-200)))                        # about 2^-288.5
    low, high = tiny.bounds(-300)
    assert 0 < low < high < F(1, 2**288)
    assert tiny.bounds(-280) == (0, 0)
    assert tiny.bounds(-287) == (0, 0)             # its magnitude bound is 2^-288
    low, _ = tiny.bounds(-288)
    assert low > 0
    negative = m.negate(tiny)
    assert negative.bounds(-280) == (0, 0)
    low, high = negative.bounds(-300)
    assert low < high < 0


def test_approximate_is_the_middle(m):
    ctx = mpmath.MPContext()
    ctx.prec = 300
    assert Real(F(1, 3)).approximate(ctx) == ctx.mpf(1) / 3
    assert Real(F(-5, 2)).approximate(ctx) == ctx.mpf(-2.5)
    enclosure = Real(None, m.ctx.mpf([1, 2]))
    assert enclosure.approximate(ctx) == ctx.mpf(1.5)
    e = m.exp(m.one)
    assert abs(e.approximate(ctx) - ctx.e) < ctx.mpf(2) ** -(BITS - 4)


def test_decide(m):
    key = lambda x: round(x * 10)
    assert Real(F(1, 4)).decide(key, -100) == round(F(5, 2))
    assert Real(None, m.ctx.mpf([0.31, 0.32])).decide(key, -100) == 3
    with pytest.raises(Undecided):
        Real(None, m.ctx.mpf([0.31, 0.39])).decide(key, -100)
    # an end below 2^negligible counts as 0
    tiny = Real(None, m.ctx.mpf([-(2.0**-60), 2.0**-60]))
    assert tiny.decide(lambda x: x, -50) == 0
    with pytest.raises(Undecided):
        tiny.decide(lambda x: x, -70)


# -- Arithmetic: exact where rational ---------------------------------------------------------

def test_context_precision_and_constants():
    m = Arithmetic(77)
    assert m.bits == 77 and m.ctx.prec == 77
    assert m.zero == Real(F(0)) and m.one == Real(F(1))
    assert m.given(F(2, 3)) == Real(F(2, 3), None)
    low, high = Real(None, m.enclosure(Real(F(1, 3)))).bounds(-(10**6))
    assert low < F(1, 3) < high < low + F(1, 2**75)   # outward rounding at 77 bits
    low, high = Real(None, Arithmetic(20).enclosure(Real(F(1, 3)))).bounds(-(10**6))
    assert high - low > F(1, 2**30)
    interval = m.ctx.mpf([1, 2])
    assert m.enclosure(Real(None, interval)) is interval


def test_of_a_point_is_rational_and_of_an_interval_is_not(m):
    assert m.of(m.ctx.mpf(0.75)) == Real(F(3, 4), m.ctx.mpf(0.75))
    assert m.of(m.ctx.mpf(-3)).rational == -3
    assert m.of(m.ctx.mpf([1, 2])).rational is None


def test_dot_exact(m):
    w = [Real(F(1, 10)), Real(F(-2, 3)), Real(F(0))]
    s = [Real(F(15, 100)), Real(F(3, 7)), m.exp(m.one)]     # a zero weight: e is ignored
    result = m.dot(w, s, Real(F(2, 5)))
    assert result == Real(F(1, 10) * F(15, 100) - F(2, 3) * F(3, 7) + F(2, 5))
    assert m.dot([], [], Real(F(-1, 9))) == Real(F(-1, 9))
    assert _exact_dot([(F(1, 6), F(3, 4)), (F(-5, 2), F(1, 3))], F(7, 9)) == \
        F(1, 6) * F(3, 4) - F(5, 2) * F(1, 3) + F(7, 9)
    assert _exact_dot([], F(-4, 9)) == F(-4, 9)
    assert _exact_dot([(F(2, 3), F(3, 2))], F(0)) == 1


def test_dot_enclosed(m):
    e = m.exp(m.one)
    # an irrational source, weight or bias makes the whole enclosed
    with mpmath.workdps(200):
        for weights, sources, bias, truth in [
            ([Real(F(1, 10)), Real(F(-3))], [e, Real(F(1, 3))], Real(F(2, 5)),
             reference(F(1, 10)) * mpmath.e - 1 + reference(F(2, 5))),
            ([e], [Real(F(-1, 3))], Real(F(1, 7)), -mpmath.e / 3 + reference(F(1, 7))),
            ([Real(F(2))], [Real(F(1, 3))], e, reference(F(2, 3)) + mpmath.e),
        ]:
            result = m.dot(weights, sources, bias)
            assert not result.is_rational
            assert contains(result, truth)
            assert width(result) < F(1, 2**(BITS - 8))


def test_total(m):
    assert m.total([Real(F(1, 3)), Real(F(1, 6)), Real(F(-2))]) == Real(F(-3, 2))
    assert m.total([]) == m.zero
    e = m.exp(m.one)
    with mpmath.workdps(200):
        assert contains(m.total([e, Real(F(1, 3))]), mpmath.e + reference(F(1, 3)))


def test_product(m):
    assert m.product([Real(F(2, 3)), Real(F(-3, 4)), Real(F(5))]) == Real(F(-5, 2))
    assert m.product([]) == m.one
    e = m.exp(m.one)
    assert m.product([e, Real(F(0))]) == m.zero          # exactly 0, whatever e is
    assert m.product([Real(F(0)), e]).rational == 0
    with mpmath.workdps(200):
        result = m.product([e, Real(F(-1, 3)), e])
        assert not result.is_rational and contains(result, -mpmath.e**2 / 3)


def test_negate(m):
    assert m.negate(Real(F(2, 3))) == Real(F(-2, 3))
    e = m.exp(m.one)
    with mpmath.workdps(200):
        assert contains(m.negate(e), -mpmath.e)
        assert not contains(m.negate(e), mpmath.e)


def test_maximum(m):
    assert m.maximum([Real(F(1, 3)), Real(F(1, 2)), Real(F(-4))]) == Real(F(1, 2))
    e = m.exp(m.one)
    assert m.maximum([Real(F(3)), e]).rational == 3           # e's whole interval below 3
    result = m.maximum([Real(F(2)), e])
    with mpmath.workdps(200):
        assert result.rational is None and contains(result, mpmath.e)
        assert width(result) < F(1, 2**(BITS - 4))
    low = m.negate(e)
    assert m.maximum([low, Real(F(-1))]) == Real(F(-1), m.maximum([low, Real(F(-1))]).enclosure)
    both = m.maximum([Real(None, m.ctx.mpf([1, 4])), Real(None, m.ctx.mpf([2, 3]))])
    assert both.bounds(-100) == (F(2), F(4))


def test_log(m):
    assert m.log(m.one) == m.zero
    with mpmath.workdps(200):
        for value in (F(2), F(1, 3), F(10**20)):
            result = m.log(Real(value))
            assert not result.is_rational and contains(result, mpmath.log(reference(value)))


def test_exp(m):
    assert m.exp(m.zero) == m.one
    with mpmath.workdps(200):
        for value in (F(1), F(-1, 3), F(50)):
            result = m.exp(Real(value))
            assert not result.is_rational and contains(result, mpmath.exp(reference(value)))


@pytest.mark.parametrize("base, exponent", [
    (F(2, 3), 5), (F(-2, 3), 3), (F(-2, 3), 4), (F(3), -2), (F(-1, 2), -3), (F(7), 0), (F(5), 1),
])
def test_power_exact(m, base, exponent):
    assert m.power(Real(base), Real(F(exponent))) == Real(base ** exponent)


def test_power_exact_up_to_the_bit_limit(m):
    base = Real(F(3, 2))                         # 2 + 2 = 4 bits
    most = MAX_EXACT_POWER_BITS // base.magnitude_bits()
    assert m.power(base, Real(F(most))).rational == F(3, 2) ** most
    assert m.power(base, Real(F(-most))).rational == F(2, 3) ** most
    beyond = m.power(base, Real(F(most + 1)))
    assert beyond.rational is None
    with mpmath.workdps(200):
        assert contains(beyond, reference(F(3, 2)) ** (most + 1))
    assert m.power(base, Real(F(-most - 1))).rational is None


def test_power_enclosed(m):
    with mpmath.workdps(200):
        result = m.power(Real(F(2)), Real(F(1, 2)))
        assert not result.is_rational and contains(result, mpmath.sqrt(2))
        result = m.power(m.exp(m.one), Real(F(2)))
        assert contains(result, mpmath.e ** 2)
        result = m.power(Real(F(5, 4)), m.exp(m.one))
        assert contains(result, reference(F(5, 4)) ** mpmath.e)


def test_quotient(m):
    assert m.quotient(Real(F(1, 3)), Real(F(-2, 5))) == Real(F(-5, 6))
    e = m.exp(m.one)
    with mpmath.workdps(200):
        assert contains(m.quotient(Real(F(1)), e), 1 / mpmath.e)
        assert contains(m.quotient(e, Real(F(3))), mpmath.e / 3)
    # an enclosed quotient that is one point is rational
    assert m.quotient(Real(None, m.ctx.mpf(3)), Real(F(4))).rational == F(3, 4)


def test_apply(m):
    half = lambda z: z / 2 if z.denominator == 1 else None
    double = lambda z, ctx: z * 2
    assert m.apply(half, double, Real(F(3))) == Real(F(3, 2))
    result = m.apply(half, double, Real(F(1, 3)))              # rational form declines
    with mpmath.workdps(200):
        assert result.rational is None and contains(result, reference(F(2, 3)))
    assert m.apply(half, double, Real(None, m.ctx.mpf(0.25))).rational == F(1, 2)


def test_apply_layer(m):
    calls = []

    def rational(zs):
        calls.append(list(zs))
        return [z if z > 0 else None for z in zs]

    def enclose(zs, ctx):
        calls.append("enclose")
        return [ctx.exp(z) for z in zs]

    result = m.apply_layer(rational, enclose, [Real(F(2)), Real(F(-1))])
    assert result[0] == Real(F(2))
    with mpmath.workdps(200):
        assert result[1].rational is None and contains(result[1], mpmath.exp(-1))
    assert calls == [[F(2), F(-1)], "enclose"]
    calls.clear()
    assert m.apply_layer(rational, enclose, [Real(F(1)), Real(F(3))]) == [Real(F(1)), Real(F(3))]
    assert calls == [[F(1), F(3)]]                # every value rational: nothing enclosed
    calls.clear()
    e = m.exp(m.one)
    result = m.apply_layer(rational, enclose, [e, Real(F(1))])
    assert calls == ["enclose"]                   # not all rational: no rational form
    with mpmath.workdps(200):
        assert contains(result[0], mpmath.exp(mpmath.e)) and contains(result[1], mpmath.e)


def test_power_of_one_is_exactly_one(m):
    assert m.power(Real(F(1)), Real(F(5))) == Real(F(1))
    assert m.power(Real(F(1)), Real(F(-7))) == Real(F(1))
