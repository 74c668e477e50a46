"""The arithmetic of students' answers: the one evaluator (:mod:`symann.evaluate`) in the
exact-or-enclosed domain, with the bounds that make any answer cheap to evaluate.

``-(0.415)``, ``0 - 0.7108``, ``relu(-0.3)``, ``sigma(0)`` and ``0.6023*0.5 + 0.5`` are exact
fractions, so a tie at half a unit is decided on the exact value; ``σ(0.415)`` or ``e^2`` is
a verified enclosure, compared on its 60-digit value. The work is bounded in any thread,
without signals: the parser limits the formula to :data:`~symann.grading.parse.MAX_NODES`
parts, an evaluation may take :data:`MAX_OPERATIONS` operations
(:class:`~symann.evaluate.Budget`), powers and exponentials are bounded before they are
computed (``9^9^9`` and ``e^2301`` are refused), a fraction that would grow past
:data:`MAX_EXACT_BITS` is carried as an enclosure instead, and an enclosure too wide to
know 60 digits (``e^2300 - e^2300``) is refused. Every refusal is an
:class:`AnswerError` that says why.

A formula is probed at random points in :class:`ProbeDomain`: 60-digit values with the same
bounds on exponentials and powers (its points need no exact arithmetic, only speed).
"""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from ..evaluate import Budget, BudgetExhausted, DomainError, PreciseDomain, RealDomain, evaluate
from ..formula import Node
from ..numbers import precise
from ..reals import Arithmetic, Real
from .parse import MAX_NODES, MAX_POWER_DIGITS
from .tokens import AnswerError
from .values import approximate, log10_abs, number, to_mpf

BITS = 256                     # the working precision of enclosures (about 77 digits)
MAX_EXP_ARGUMENT = 2300        # e^2300 is about 10^999
MAX_EXACT_BITS = 20_000        # a fraction larger than this is carried as an enclosure
MAX_OPERATIONS = 4 * MAX_NODES  # the work budget of one evaluation (operations)
#: the widest enclosure an answer may have, relative to its size (or to 1): wider, and its
#: 60-digit value is not known (``e^2300 - e^2300``, ``step(e - e)``)
MAX_WIDTH = precise.mpf(10) ** -50
UNKNOWN = ("the answer cannot be computed to 60 digits (it cancels too many digits, or a "
           "function jumps at its value)")
_SMALL_EXPONENT_BITS = 16      # a larger exponent widens the precision of the power


class AnswerDomain(RealDomain):
    """:class:`~symann.evaluate.RealDomain` with an answer's bounds and messages."""

    def add(self, values: Sequence[Real]) -> Real:
        return self._small(super().add(values))

    def multiply(self, values: Sequence[Real]) -> Real:
        """Factor by factor, so that no fraction grows far past :data:`MAX_EXACT_BITS`."""
        result = values[0]
        for factor in values[1:]:
            result = self._small(self.math.product([result, factor]))
        return result

    def divide(self, numerator: Real, denominator: Real) -> Real:
        if _may_be_zero(denominator):
            raise AnswerError("the answer divides by zero")
        return self._small(self.math.quotient(numerator, denominator))

    def log(self, value: Real) -> Real:
        if not _positive(value):
            raise AnswerError("the answer takes the logarithm of a number that is not positive")
        return self.math.log(value)

    def exp(self, value: Real) -> Real:
        x = number(value)
        if abs(x) > MAX_EXP_ARGUMENT:
            raise AnswerError(f"e^{precise.nstr(to_mpf(x), 6)} is out of range "
                              f"(|x| up to {MAX_EXP_ARGUMENT})")
        return self.math.exp(value)

    def power(self, base: Real, exponent: Real) -> Real:
        power = exponent.rational
        whole = power if power is not None and power.denominator == 1 else None
        if base.rational == 0:
            if number(exponent) < 0:
                raise AnswerError("the answer divides by zero")
            return self.math.one if power == 0 else self.math.zero
        if whole is None and not _positive(base):
            raise AnswerError("a negative number to a fractional power is not a real number")
        if _may_be_zero(base):
            raise AnswerError(UNKNOWN)
        if abs(approximate(number(exponent))) * abs(log10_abs(number(base))) > MAX_POWER_DIGITS:
            raise AnswerError(f"a power in the answer is too large (over 10^{MAX_POWER_DIGITS})")
        if whole is not None and base.rational is not None:
            n = whole.numerator
            if abs(base.rational) == 1:          # (±1)^n, however large n is
                return self.math.given(base.rational ** (n % 2))
            if base.magnitude_bits() * abs(n) <= MAX_EXACT_BITS:
                return self.math.given(base.rational ** n)
        if whole is not None and not _positive(base):     # (-x)^n = ±x^n
            size = self._positive_power(self.math.negate(base), exponent)
            return self.math.negate(size) if whole.numerator % 2 else size
        return self._positive_power(base, exponent)

    def _positive_power(self, base: Real, exponent: Real) -> Real:
        """``base^exponent`` for a positive base, enclosed: at a wider precision for a large
        exponent, so that ``(1 + 10^-300)^(10^300)`` is e to 60 digits."""
        extra = exponent.magnitude()
        if extra <= _SMALL_EXPONENT_BITS:
            return self._small(self.math.power(base, exponent))
        wide = _wider(BITS + extra + 32)
        enclosure = wide.power(base, exponent).enclosure
        return self.math.of(self.math.ctx.convert(enclosure))

    def _small(self, value: Real) -> Real:
        """``value``, or its enclosure when the fraction has grown too large to carry."""
        if value.rational is not None and value.magnitude_bits() > MAX_EXACT_BITS:
            return Real(None, self.math.enclosure(value))
        return value


class ProbeDomain(PreciseDomain):
    """60-digit values with an answer's bounds on exponentials and powers, for evaluating a
    formula at many random points (:mod:`~symann.grading.equivalence`): where the formula
    has no value within them, a :class:`~symann.evaluate.DomainError`."""

    def exp(self, value: Any) -> Any:
        if abs(value) > MAX_EXP_ARGUMENT:
            raise DomainError(f"e^x is out of range (|x| up to {MAX_EXP_ARGUMENT})")
        return super().exp(value)

    def power(self, base: Any, exponent: Any) -> Any:
        if base != 0 and abs(exponent) * abs(precise.log10(abs(base))) > MAX_POWER_DIGITS:
            raise DomainError(f"a power is too large (over 10^{MAX_POWER_DIGITS})")
        return super().power(base, exponent)


@functools.lru_cache(maxsize=8)
def _wider(bits: int) -> Arithmetic:
    return Arithmetic(bits)


def _positive(value: Real) -> bool:
    if value.rational is not None:
        return value.rational > 0
    return bool(value.enclosure.a > 0)


def _may_be_zero(value: Real) -> bool:
    """Exactly 0, or an enclosure that holds 0 (``1/(e - e)``)."""
    if value.rational is not None:
        return value.rational == 0
    return bool(value.enclosure.a <= 0 <= value.enclosure.b)


#: the domain of every answer (its arithmetic has a context of its own: any thread)
ANSWERS = AnswerDomain(Arithmetic(BITS))
#: the domain of formulas probed at random points
PROBES = ProbeDomain()


def value(formula: Node, values: Mapping[Any, Real] | None = None,
          budget: Budget | None = None) -> Real:
    """The value of a parsed answer, exact where it is rational; ``values`` gives the
    quantities' values (formulas). Raises :class:`AnswerError` when it has none."""
    try:
        result = evaluate(formula, ANSWERS, values or {}, budget=budget or Budget(MAX_OPERATIONS))
    except BudgetExhausted:
        raise AnswerError("the answer takes too much work to evaluate") from None
    except KeyError as error:
        raise AnswerError(f"a number is expected, not the name {error.args[0].id}") from None
    if result.rational is None:
        middle = number(result)
        if not precise.isfinite(middle):
            raise AnswerError("the answer is not a finite number")
        if precise.mpf(result.enclosure.delta) > MAX_WIDTH * max(1, abs(middle)):
            raise AnswerError(UNKNOWN)
    return result


__all__ = ["ANSWERS", "AnswerDomain", "MAX_EXACT_BITS", "MAX_OPERATIONS", "PROBES",
           "ProbeDomain", "value"]
