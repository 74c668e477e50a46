"""When a numeric answer counts as right: tolerance modes with PrairieLearn's meanings.

``b`` is the expected value, ``a`` the answer; every comparison is exact (fractions) when
``b`` is rational and on a 60-digit value when it is irrational (docs/checking.md):

* ``shown`` (default): ``|a - b| <= 0.5 * 10^-d``, d the shown decimal places; but where b
  is a tie (0.80115 at 4 places), of its two d-place neighbours only b rounded half-up
  (away from zero) counts: 0.8012 is right, 0.8011 is not.
* ``absolute:A``: ``|a - b| <= A`` (closed; STACK NumAbsolute, PrairieLearn atol).
* ``relative:R`` or ``relative:R:A``: ``|a - b| <= A + R |b|`` (closed), A = 1e-8 unless
  given: PrairieLearn's ``relabs`` comparison (``np.allclose``), whose absolute term
  gives an expected 0 (a dead ReLU) a sensible window.
* ``decimals:N``: ``|a - b| < 0.51 * 10^-N`` (open): PrairieLearn's ``decdig``
  (``is_correct_scalar_dd``).
* ``sigfigs:N``: ``|a - b| < 0.51 * 10^(m - N + 1)`` (open), m = floor(log10 |b|) decided
  exactly; for b = 0, ``|a| < 0.51 * 10^(1 - N)``: PrairieLearn's ``sigfig``
  (``is_correct_scalar_sf``).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import InputError
from ..numbers import decimal_text, exact, precise, round_half_up
from .values import MAX_BINARY_EXPONENT, Number, approximate, as_fraction, to_mpf

MODES = ("shown", "absolute", "relative", "decimals", "sigfigs")
DEFAULT_ATOL = Fraction(1, 10**8)     # PrairieLearn's atol
PL_EPS = Fraction(51, 100)            # PrairieLearn's 0.51 of a unit (decdig, sigfig)
_STRICT = ("decimals", "sigfigs")


@dataclass(frozen=True)
class Tolerance:
    mode: str = "shown"
    value: Fraction = Fraction(0)
    atol: Fraction = DEFAULT_ATOL      # relative only

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InputError(f"expected one of {', '.join(MODES)}, got {self.mode!r}",
                             field="tolerance")
        if self.value < 0 or self.atol < 0:
            raise InputError("expected a tolerance of 0 or more", field="tolerance")
        if self.mode in _STRICT and (self.value.denominator != 1 or not 0 < self.value <= 50):
            raise InputError(f"{self.mode} takes a whole number from 1 to 50", field="tolerance")

    @classmethod
    def parse(cls, text: str, field: str = "tolerance") -> Tolerance:
        """``"shown"``, ``"absolute:0.001"``, ``"relative:1e-3"``, ``"relative:0.01:1e-6"``
        (rtol and atol), ``"decimals:3"``, ``"sigfigs:3"``."""
        mode, _, value = text.partition(":")
        mode = mode.strip().lower()
        value, _, atol = value.partition(":")
        if mode != "shown" and not value.strip():
            raise InputError(f"expected MODE:VALUE (e.g. absolute:0.001), got {text!r}",
                             field=field)
        if (mode == "shown" and value) or (atol and mode != "relative"):
            raise InputError(f"{mode} takes {'no value' if mode == 'shown' else 'one value'}, "
                             f"got {text!r}", field=field)
        try:
            return cls(mode, exact(value, field) if value else Fraction(0),
                       exact(atol, field) if atol else DEFAULT_ATOL)
        except InputError as error:
            raise InputError(error.message, field=field) from None

    @property
    def strict(self) -> bool:
        """Whether the boundary itself is outside (PrairieLearn's decdig and sigfig)."""
        return self.mode in _STRICT

    def width(self, expected: Number, digits: int) -> Fraction:
        """How far from ``expected`` an answer may be (exactly this far: see :attr:`strict`)."""
        if self.mode == "shown":
            return Fraction(1, 2 * 10**digits)
        if self.mode == "absolute":
            return self.value
        if self.mode == "relative":
            return self.atol + self.value * _magnitude_fraction(expected)
        if self.mode == "decimals":
            return PL_EPS / Fraction(10) ** int(self.value)
        if expected == 0:
            return PL_EPS * Fraction(10) ** (1 - int(self.value))
        return PL_EPS * Fraction(10) ** (floor_log10(expected) - int(self.value) + 1)

    def accepts(self, given: Number, expected: Number, digits: int) -> bool:
        """Whether ``given`` is right for ``expected``: exact for fractions."""
        width = self.width(expected, digits)
        distance = _distance(given, expected)
        if distance is None:                         # astronomically large or small values
            gap = abs(to_mpf(given) - to_mpf(expected))
            bound = precise.mpf(width.numerator) / width.denominator
            return bool(gap < bound) if self.strict else bool(gap <= bound)
        if distance == width and self.mode == "shown":
            return _rounds_to(given, expected, digits)
        return distance < width if self.strict else distance <= width

    def near(self, given: float, expected: float, digits: int) -> bool:
        """A quick float test that never says no where :meth:`accepts` says yes (only a
        near value needs the exact comparison); anything not finite goes to the exact one."""
        if not (abs(given) < float("inf") and abs(expected) < float("inf")):
            return True
        cache = self.__dict__.setdefault("_near_widths", {})
        if digits not in cache:
            cache[digits] = _float_widths(self, digits)
        fixed, scale_width = cache[digits]
        width = fixed + scale_width * abs(expected)
        scale = max(1.0, abs(expected), abs(given))
        return bool(abs(given - expected) <= width * (1 + 1e-9) + 1e-12 * scale)

    def describe(self, digits: int) -> str:
        if self.mode == "shown":
            return f"within {decimal_text(Fraction(1, 2 * 10**digits))} ({digits} decimal places)"
        if self.mode == "relative":
            return (f"relative {_text(self.value)} (|a - b| <= {_text(self.atol)} + "
                    f"{_text(self.value)}·|b|)")
        if self.mode == "decimals":
            return f"decimals {self.value} (|a - b| < 0.51·10^-{self.value})"
        if self.mode == "sigfigs":
            return f"sigfigs {self.value} (|a - b| < 0.51 of a unit in the {self.value}th " \
                   "significant figure of b)"
        return f"{self.mode} {_text(self.value)}"


def _float_widths(tolerance: Tolerance, digits: int) -> tuple[float, float]:
    """``(fixed, per unit of |b|)``: a float width at least the exact one, for :meth:`near`."""
    if tolerance.mode in ("shown", "absolute", "decimals"):
        return approximate(tolerance.width(Fraction(0), digits)), 0.0
    if tolerance.mode == "relative":
        return approximate(tolerance.atol), approximate(tolerance.value)
    n = int(tolerance.value)
    return 5.1 * 10.0 ** -n, 5.1 * 10.0 ** (1 - n)


def _text(value: Fraction) -> str:
    return decimal_text(value) or f"{value.numerator}/{value.denominator}"


def _distance(given: Number, expected: Number) -> Fraction | None:
    try:
        return abs(as_fraction(given) - as_fraction(expected))
    except OverflowError:
        return None


def _magnitude_fraction(x: Number) -> Fraction:
    try:
        return abs(as_fraction(x))
    except OverflowError:                            # beyond 2^100000: bounded, still huge
        return Fraction(2) ** MAX_BINARY_EXPONENT if abs(to_mpf(x)) > 1 else Fraction(0)


def floor_log10(x: Number) -> int:
    """floor(log10 |x|), exactly (x != 0): 0.999... (σ(40) = 1 - 4e-18) is -1, 1 is 0."""
    if not isinstance(x, (Fraction, int)):
        try:
            x = as_fraction(x)
        except OverflowError:
            return int(precise.floor(precise.log10(abs(x))))
    x = abs(Fraction(x))
    guess = len(str(x.numerator)) - len(str(x.denominator))
    while Fraction(10) ** guess > x:
        guess -= 1
    while Fraction(10) ** (guess + 1) <= x:
        guess += 1
    return guess


def _rounds_to(given: Number, expected: Number, digits: int) -> bool:
    """At exactly half a unit from ``expected``: right unless ``given`` is a ``digits``-place
    number that is not ``expected`` rounded half-up (the other neighbour of a tie). Both
    are fractions: only fractions are exactly half a unit apart."""
    given, expected = _exact_int(given), _exact_int(expected)
    if not (isinstance(given, Fraction) and isinstance(expected, Fraction)):
        return True
    on_grid = (given * 10**digits).denominator == 1
    return not on_grid or given == round_half_up(expected, digits)


def _exact_int(value: Number | int) -> Number:
    """An ``int`` as the fraction it is (an answer given from Python as ``0``)."""
    return Fraction(value) if isinstance(value, int) else value
