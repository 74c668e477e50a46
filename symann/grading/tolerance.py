"""When a numeric answer counts as right: tolerance modes with PrairieLearn/STACK meanings.

* ``shown`` (default): within half a unit of the last shown decimal place (0.5e-4 at 4
  places) — the course's precision.
* ``absolute:A``: ``|given - expected| <= A`` (STACK NumAbsolute, PrairieLearn atol).
* ``relative:R``: ``|given - expected| <= R |expected|`` (STACK NumRelative, PL rtol).
* ``decimals:N``: within half a unit of the N-th decimal place (PrairieLearn ``decdig``).
* ``sigfigs:N``: within half a unit of the N-th significant figure of the expected value
  (PrairieLearn ``sigfig``).

An answer is compared with the exact value and with the value computed from the rounded
intermediate values the solution shows (the course's way); matching either is right.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..errors import InputError
from ..numbers import decimal_text, exact

MODES = ("shown", "absolute", "relative", "decimals", "sigfigs")


@dataclass(frozen=True)
class Tolerance:
    mode: str = "shown"
    value: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InputError(f"expected one of {', '.join(MODES)}, got {self.mode!r}",
                             field="tolerance")
        if self.value < 0:
            raise InputError("expected a tolerance of 0 or more", field="tolerance")
        if self.mode in ("decimals", "sigfigs") and (self.value.denominator != 1
                                                      or not 0 < self.value <= 50):
            raise InputError(f"{self.mode} takes a whole number from 1 to 50", field="tolerance")

    @classmethod
    def parse(cls, text: str, field: str = "tolerance") -> "Tolerance":
        """``"shown"``, ``"absolute:0.001"``, ``"relative:1e-3"``, ``"decimals:3"``, ``"sigfigs:3"``."""
        mode, _, value = text.partition(":")
        mode = mode.strip().lower()
        if mode != "shown" and not value:
            raise InputError(f"expected MODE:VALUE (e.g. absolute:0.001), got {text!r}", field=field)
        try:
            return cls(mode, exact(value, field) if value else Fraction(0))
        except InputError as error:
            raise InputError(error.message, field=field) from None

    def width(self, expected: Fraction, digits: int) -> Fraction:
        """How far from ``expected`` an answer may be."""
        if self.mode == "shown":
            return Fraction(1, 2 * 10**digits)
        if self.mode == "absolute":
            return self.value
        if self.mode == "relative":
            return self.value * abs(expected)
        if self.mode == "decimals":
            return Fraction(1, 2 * 10 ** int(self.value))
        if expected == 0:
            return Fraction(0)
        magnitude = math.floor(math.log10(abs(expected)))
        if Fraction(10) ** (magnitude + 1) <= abs(expected):   # log10 rounding at powers of 10
            magnitude += 1
        return Fraction(10) ** (magnitude - int(self.value) + 1) / 2

    def accepts(self, given: Fraction, expected: Fraction, digits: int) -> bool:
        return abs(given - expected) <= self.width(expected, digits)

    def near(self, given: float, expected: float, digits: int) -> bool:
        """A quick float test that never says no where :meth:`accepts` says yes: only a
        near value needs the exact comparison."""
        if self.mode in ("shown", "absolute", "decimals"):
            width = float(self.width(Fraction(0), digits))
        elif self.mode == "relative":
            width = float(self.value) * abs(expected)
        else:
            width = abs(expected) * 10.0 ** (1 - int(self.value)) * 5 + 1e-300
        return abs(given - expected) <= width * (1 + 1e-6) + 1e-12 * max(1.0, abs(expected))

    def describe(self, digits: int) -> str:
        if self.mode == "shown":
            return f"within {decimal_text(Fraction(1, 2 * 10**digits))} ({digits} decimal places)"
        return f"{self.mode} {decimal_text(self.value) or self.value}"
