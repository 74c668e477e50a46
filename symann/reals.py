"""Real numbers as a derivation holds them: exact where rational, else a verified enclosure.

Every value of a worked solution is a :class:`Real`. A rational one (every input, weight and
bias, every ``z`` computed from shown values, ``relu`` of a rational, ``sigma(0)``) is kept
as an exact :class:`~fractions.Fraction`. Any other one (``sigma(0.415)``) is kept as an
interval that is guaranteed to contain it, computed with outward rounding at a precision
chosen by the caller: deciding how a value rounds is then exact when both ends of the
interval round alike, and a rare near-tie is settled by computing again at a higher
precision (:class:`Undecided`). No value is ever a nested closed form, so the cost of a
step does not grow with the depth of the network.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from mpmath.ctx_iv import MPIntervalContext

Interval = Any   # an mpmath interval (ivmpf) of an Arithmetic's context
#: the largest exact power computed as a fraction (bits of numerator and denominator)
MAX_EXACT_POWER_BITS = 1 << 16


class Undecided(Exception):
    """A question the current precision cannot answer (how a near-tie rounds): compute
    again with more bits. Internal: never reaches a user."""


def raw_fraction(raw: tuple[int, int, int, int]) -> Fraction:
    """The exact value of an mpmath raw float ``(sign, mantissa, exponent, bitcount)``,
    sign included (the mantissa itself is unsigned)."""
    sign, man, exp, _ = raw
    if not man:
        if exp:   # +-inf or nan carry a zero mantissa and a non-zero exponent code
            raise OverflowError("not a finite number")
        return Fraction(0)
    value = Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)
    return -value if sign else value


def _magnitude(raw: tuple[int, int, int, int]) -> int:
    """An upper bound of log2 |x| (exponent + bit count); very negative for 0."""
    _, man, exp, bc = raw
    return exp + bc if man else -(1 << 62)


@dataclass(frozen=True)
class Real:
    """A value: ``rational`` when it is known to be rational (then exact), else an
    ``enclosure``, an interval that contains it (a rational may carry one too)."""

    rational: Fraction | None
    enclosure: Interval = None

    @property
    def is_rational(self) -> bool:
        return self.rational is not None

    def bounds(self, negligible: int) -> tuple[Fraction, Fraction]:
        """The ends of the enclosure as exact fractions; an end below ``2**negligible`` in
        size is taken as 0 (it never changes a rounding that calls this), so that
        ``e**(-10**9)`` costs no more than ``0.5``."""
        if self.rational is not None:
            return self.rational, self.rational
        low, high = self.enclosure._mpi_
        return tuple(Fraction(0) if _magnitude(end) < negligible else raw_fraction(end)
                     for end in (low, high))   # type: ignore[return-value]

    def magnitude_bits(self) -> int:
        """The bits of a rational's numerator and denominator together."""
        assert self.rational is not None
        return abs(self.rational.numerator).bit_length() + self.rational.denominator.bit_length()

    def magnitude(self) -> int:
        """An upper bound of log2 |value|."""
        if self.rational is not None:
            r = self.rational
            return abs(r.numerator).bit_length() - r.denominator.bit_length() + 1
        low, high = self.enclosure._mpi_
        return max(_magnitude(low), _magnitude(high))

    def approximate(self, context: Any) -> Any:
        """The value as an mpf of the mpmath ``context`` (the middle of the enclosure)."""
        if self.rational is not None:
            return context.mpf(self.rational.numerator) / self.rational.denominator
        low, high = self.enclosure._mpi_
        return (context.make_mpf(low) + context.make_mpf(high)) / 2

    def decide(self, key: Callable[[Fraction], Any], negligible: int) -> Any:
        """``key(value)``, for a ``key`` that is constant between its jumps (a rounding):
        exact for a rational, else the common answer of both ends of the enclosure;
        :class:`Undecided` when they differ."""
        if self.rational is not None:
            return key(self.rational)
        low, high = self.bounds(negligible)
        answer = key(low)
        if key(high) != answer:
            raise Undecided
        return answer


class Arithmetic:
    """Exact and enclosed arithmetic at ``bits`` of working precision (a context of its
    own: thread-safe, and independent of mpmath's global settings)."""

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self.ctx = MPIntervalContext()
        self.ctx.prec = bits
        self.zero = self.given(Fraction(0))
        self.one = self.given(Fraction(1))

    def given(self, value: Fraction) -> Real:
        """A rational value, exactly."""
        return Real(value)

    def enclosure(self, value: Real) -> Interval:
        """An interval around ``value`` at this precision."""
        if value.enclosure is not None:
            return value.enclosure
        assert value.rational is not None
        return self.ctx.mpf(value.rational.numerator) / value.rational.denominator

    def of(self, enclosure: Interval) -> Real:
        """The value an interval encloses: rational exactly when the interval is one point
        (e.g. ``relu`` of a negative irrational is exactly 0)."""
        low, high = enclosure._mpi_
        return Real(raw_fraction(low) if low == high else None, enclosure)

    def dot(self, weights: Sequence[Real], sources: Sequence[Real], bias: Real) -> Real:
        """``sum_k w_k s_k + b``: exact where every term is (a zero weight makes its term
        exactly 0, whatever the source), else enclosed."""
        terms = [(w, s) for w, s in zip(weights, sources)
                 if w.rational is None or w.rational.numerator]   # (Fraction != 0 is slow)
        exact_terms = [(w.rational, s.rational) for w, s in terms
                       if w.rational is not None and s.rational is not None]
        if bias.rational is not None and len(exact_terms) == len(terms):
            return self.given(_exact_dot(exact_terms, bias.rational))
        total = self.enclosure(bias)
        for w, s in terms:
            total = total + self.enclosure(w) * self.enclosure(s)
        return Real(None, total)

    def total(self, values: Sequence[Real]) -> Real:
        """``sum_k v_k``."""
        return self.dot([self.one] * len(values), values, self.zero)

    def product(self, values: Sequence[Real]) -> Real:
        """``prod_k v_k``: exactly 0 when a factor is exactly 0."""
        if any(v.rational == 0 for v in values):
            return self.zero
        if all(v.rational is not None for v in values):
            result = Fraction(1)
            for v in values:
                result *= v.rational   # type: ignore[operator]
            return self.given(result)
        enclosure = self.ctx.one
        for v in values:
            enclosure = enclosure * self.enclosure(v)
        return Real(None, enclosure)

    def negate(self, value: Real) -> Real:
        if value.rational is not None:
            return self.given(-value.rational)
        return Real(None, -self.enclosure(value))

    def maximum(self, values: Sequence[Real]) -> Real:
        """The largest value: exact when all are rational, else the interval from the
        largest lower end to the largest upper end (exact when that is one point)."""
        rationals = [v.rational for v in values if v.rational is not None]
        if len(rationals) == len(values):
            return self.given(max(rationals))
        enclosures = [self.enclosure(v) for v in values]
        low, high = max(e.a for e in enclosures), max(e.b for e in enclosures)
        return self.of(self.ctx.mpf([low.a, high.b]))

    def log(self, value: Real) -> Real:
        """The natural logarithm of a positive value: exactly 0 at 1."""
        if value.rational == 1:
            return self.zero
        return Real(None, self.ctx.log(self.enclosure(value)))

    def power(self, base: Real, exponent: Real) -> Real:
        """``base ** exponent``: exact for a rational base and a whole exponent (of a size
        that stays small), else enclosed: by repeated squaring for a whole exponent, else as
        ``e^(exponent log base)`` for a positive base."""
        whole = exponent.rational is not None and exponent.rational.denominator == 1
        if base.rational is not None and whole and base.rational != 0 and \
                abs(exponent.rational) * base.magnitude_bits() <= MAX_EXACT_POWER_BITS:  # type: ignore[arg-type]
            return self.given(base.rational ** exponent.rational.numerator)   # type: ignore[union-attr]
        if whole:   # any sign of base: the interval power, by repeated squaring
            return self.of(self.enclosure(base) ** exponent.rational.numerator)  # type: ignore[union-attr]
        return Real(None, self.ctx.exp(self.enclosure(exponent) * self.ctx.log(
            self.enclosure(base))))

    def exp(self, value: Real) -> Real:
        """``e**value``: exactly 1 at 0, else enclosed (irrational at every other rational)."""
        if value.rational == 0:
            return self.one
        return Real(None, self.ctx.exp(self.enclosure(value)))

    def quotient(self, numerator: Real, denominator: Real) -> Real:
        """``numerator / denominator``; the denominator is never 0 here (a sum of
        exponentials, or the exact value of one)."""
        if numerator.rational is not None and denominator.rational is not None:
            return self.given(numerator.rational / denominator.rational)
        return self.of(self.enclosure(numerator) / self.enclosure(denominator))

    def apply(self, rational: Callable[[Fraction], Fraction | None],
              enclose: Callable[[Interval, Any], Interval], value: Real) -> Real:
        """An element-wise function: exact where ``rational`` gives a value, else the
        interval ``enclose`` gives (exact too when that is a single point)."""
        if value.rational is not None:
            result = rational(value.rational)
            if result is not None:
                return self.given(result)
        return self.of(enclose(self.enclosure(value), self.ctx))

    def apply_layer(self, rational: Callable[[list[Fraction]], list[Fraction | None]],
                    enclose: Callable[[list[Interval], Any], list[Interval]],
                    values: Sequence[Real]) -> list[Real]:
        """A function of a whole layer (softmax), likewise."""
        exact: list[Fraction | None] = [None] * len(values)
        if all(v.rational is not None for v in values):
            exact = rational([v.rational for v in values])   # type: ignore[misc]
        enclosures = enclose([self.enclosure(v) for v in values], self.ctx) \
            if None in exact else [None] * len(values)
        return [self.given(r) if r is not None else self.of(e)
                for r, e in zip(exact, enclosures)]


def _exact_dot(pairs: Sequence[tuple[Fraction, Fraction]], bias: Fraction) -> Fraction:
    """``sum w s + b`` in integers over one common denominator (one normalisation, not one
    per term: a 784-input neuron costs microseconds per term)."""
    denominators = [w.denominator * s.denominator for w, s in pairs] + [bias.denominator]
    common = math.lcm(*set(denominators))
    numerator = bias.numerator * (common // bias.denominator)
    for (w, s), d in zip(pairs, denominators):
        numerator += w.numerator * s.numerator * (common // d)
    return Fraction(numerator, common)
