"""The values a numeric answer is compared with: a step's exact value and the value of its
substituted line, each an exact fraction when rational, else its 60-digit value.

Within 10^-50 of a power of ten, where the 60-digit value could sit on the wrong side of
it (σ(200) = 1 - 1.4·10⁻⁸⁷ must count as below 1 for ``sigfigs``), the value is computed
again through the one evaluator at more bits until its enclosure lies on one side.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..evaluate import DomainError, RealDomain, evaluate
from ..numbers import precise
from ..reals import Arithmetic, Real
from ..steps import Derivation, Step
from .recompute import given_values, true_values
from .tolerance import floor_log10
from .values import Number

#: the precisions (bits) of a value computed again near a power of ten
REFINING = (1024, 4096)
_NEAR = precise.mpf(10) ** -50


def references(derivation: Derivation, step: Step) -> tuple[Number, Number]:
    """The step's exact value and the value of its substituted line (from the values the
    solution carries)."""
    exact = _settled(step.exact_value,
                     lambda domain: true_values(derivation, domain)[step.ref])
    if step.computed_value is step.exact_value:
        return exact, exact
    shown = {**given_values(derivation),
             **{ref: Real(value.value) for ref, value in step.operands}}
    return exact, _settled(step.computed_value,
                           lambda domain: evaluate(step.expansion, domain, shown))


def _settled(value: Real, again: Callable[[RealDomain], Real]) -> Number:
    """``value`` as a number whose side of the nearest power of ten is right."""
    if value.rational is not None:
        return value.rational
    approximation = value.approximate(precise)
    if not _near_a_power_of_ten(approximation):
        return approximation
    for bits in REFINING:
        try:
            refined = again(RealDomain(Arithmetic(bits)))
        except DomainError:   # pragma: no cover - the value had one at lower precision
            break
        if refined.rational is not None:
            return refined.rational
        low, high = refined.bounds(-(1 << 62))
        if low * high > 0 and floor_log10(low) == floor_log10(high):
            middle = (low + high) / 2
            outer_low, outer_high = value.bounds(-(1 << 62))
            return middle if outer_low <= middle <= outer_high else approximation
    return approximation


def _near_a_power_of_ten(x: Any) -> bool:
    if not precise.isfinite(x) or x == 0:
        return False
    power = precise.mpf(10) ** precise.nint(precise.log10(abs(x)))
    return bool(abs(abs(x) - power) <= power * _NEAR)


__all__ = ["REFINING", "references"]
