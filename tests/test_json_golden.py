"""JSON goldens of the course's two examples, and every number in them checked against
mpmath at 60 digits, computed here from the examples' parameters (not by symann).

``SYMANN_REGEN=1`` rewrites the golden files; then read them (and this test checks them).
"""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import mpmath
import pytest
import sympy

import symann

from conftest import EXAMPLES, GOLDEN

CASES = [("one-neuron", "shown"), ("two-neurons", "shown"), ("two-neurons", "exact")]
DIGITS = 4
MP = mpmath.mp.clone()
MP.dps = 60


def golden_name(example: str, carry: str) -> str:
    return f"{example}.json" if carry == "shown" else f"{example}.carry-{carry}.json"


@pytest.mark.parametrize("example, carry", CASES)
def test_json_golden(golden, example, carry):
    derivation = symann.load(EXAMPLES / f"{example}.toml").forward(carry=carry)
    golden(golden_name(example, carry), derivation.to_json() + "\n")


def sigmoid(z):
    return 1 / (1 + MP.exp(-z))


def rounded(value) -> Decimal:
    """``value`` (mpf or Fraction) rounded half-up to DIGITS places, from 60 digits."""
    if isinstance(value, Fraction):   # the examples' fractions have short decimals
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        decimal = Decimal(MP.nstr(value, 55, strip_zeros=False))
    return decimal.quantize(Decimal(1).scaleb(-DIGITS), rounding=ROUND_HALF_UP)


def mp_of(value):
    return MP.mpf(value.numerator) / value.denominator if isinstance(value, Fraction) else value


def expected_steps(example: str, carry: str):
    """(id, exact value, carried value) per step: the course's sums and sigmoids, the carried
    value computed from the values shown before it (carry shown) or the exact ones."""
    x, w1, b1 = Fraction(1, 10), Fraction(15, 100), Fraction(4, 10)
    z1 = x * w1 + b1                                   # 0.415 exactly
    a1 = sigmoid(mp_of(z1))
    steps = [("z1_1", z1, z1), ("a1_1", a1, a1)]
    if example == "one-neuron":
        return steps
    w2, b2 = Fraction(35, 100), Fraction(5, 10)
    z2 = a1 * mp_of(w2) + mp_of(b2)
    a2 = sigmoid(z2)
    if carry == "exact":
        return [*steps, ("z2_1", z2, z2), ("a2_1", a2, a2)]
    a1_shown = Fraction(rounded(a1))                   # 0.6023
    z2_carried = a1_shown * w2 + b2                    # 0.710805 exactly
    a2_carried = sigmoid(mp_of(Fraction(rounded(z2_carried))))   # σ(0.7108)
    return [*steps, ("z2_1", z2, z2_carried), ("a2_1", a2, a2_carried)]


def close(a, b, places: int) -> bool:
    return abs(MP.mpf(a) - MP.mpf(b)) <= MP.mpf(10) ** -places


@pytest.mark.parametrize("example, carry", CASES)
def test_every_number_of_the_golden_against_mpmath(example, carry):
    data = json.loads((GOLDEN / golden_name(example, carry)).read_text(encoding="utf-8"))
    assert data["digits"] == DIGITS and data["carry"] == carry and data["inputs"] == [0.1]
    expected = expected_steps(example, carry)
    assert [step["id"] for step in data["steps"]] == [ref for ref, _, _ in expected]
    shown_before: dict[str, str] = {}
    for step, (ref, exact, carried) in zip(data["steps"], expected):
        where = f"{example} carry={carry} {ref}"
        # value: the exact value as the nearest double
        assert step["value"] == float(mp_of(exact)), where
        # precise: the exact value to 40 decimals
        assert close(step["precise"], mp_of(exact), 39), where
        # exact: a closed form (SymPy syntax) of the same value; rational where it is
        closed = sympy.sympify(step["exact"])
        if isinstance(exact, Fraction):
            assert closed == sympy.Rational(exact.numerator, exact.denominator), where
        else:
            assert not closed.is_rational, where
            assert close(str(closed.evalf(55)), exact, 50), where
        # shown: the carried value rounded half-up; "=" only where that is the value itself
        shown = Decimal(step["shown"])
        assert shown == rounded(carried), where
        is_exact = isinstance(carried, Fraction) and Fraction(shown) == carried
        assert step["relation"] == ("=" if is_exact else "≈"), where
        if not is_exact:
            assert len(step["shown"].split(".")[1]) == DIGITS, where   # padded to 4 places
        # substituted: the line uses the values shown before it (or the exact ones)
        if ref == "z2_1":
            a1 = shown_before["a1_1"] if carry == "shown" else None
            assert step["substituted"].startswith(f"({a1} × 0.35)" if a1 else "("), where
        if ref.startswith("a"):
            z = f"z{ref[1:]}"
            assert "e^(-" in step["substituted"], where
            if carry == "shown":
                assert f"e^(-{shown_before[z]})" in step["substituted"], where
        shown_before[ref] = step["shown"]
    last = data["steps"][-1]
    assert data["outputs"] == [{key: last[key] for key in
                                ("id", "value", "exact", "shown", "relation")}]


def test_the_course_numbers_in_the_golden():
    """The README's numbers, read from the goldens: a₁ ≈ 0.6023, z₂ ≈ 0.7108, a₂ ≈ 0.6706."""
    one = json.loads((GOLDEN / "one-neuron.json").read_text(encoding="utf-8"))
    assert [(s["shown"], s["relation"]) for s in one["steps"]] == [("0.415", "="),
                                                                   ("0.6023", "≈")]
    two = json.loads((GOLDEN / "two-neurons.json").read_text(encoding="utf-8"))
    assert [s["shown"] for s in two["steps"]] == ["0.415", "0.6023", "0.7108", "0.6706"]
    assert two["steps"][2]["substituted"] == "(0.6023 × 0.35) + 0.5"
    assert two["steps"][3]["substituted"] == "1 / (1 + e^(-0.7108))"
