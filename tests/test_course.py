"""The course's worked examples (Module 1), every number checked against mpmath.

The course writes z_2 = 0.6023 · 0.35 + 0.5 ≈ 0.7158 and a_2 ≈ 0.6717. The arithmetic is
0.6023 × 0.35 = 0.210805, so z_2 = 0.710805 ≈ 0.7108 and a_2 = σ(0.7108) ≈ 0.6706: the
course's 0.7158 is a slip, and its 0.6717 (= σ(0.7158)) follows from it. symann shows the
correct values; the README says so.
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy

import symann

from conftest import EXAMPLES

mpmath.mp.dps = 50


def sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def test_one_neuron_one_input():
    d = symann.load(EXAMPLES / "one-neuron.toml").forward()
    z, a = d.steps
    assert (z.id, z.quantity, z.layer, z.neuron) == ("z1_1", "z", 1, 1)
    assert z.exact == sympy.Rational(83, 200)            # 0.1 × 0.15 + 0.4, exactly
    assert (z.shown.text, z.relation) == ("0.415", "=")
    assert abs(a.approximation - sigmoid(mpmath.mpf("0.415"))) < mpmath.mpf(10) ** -45
    assert mpmath.nstr(sigmoid(mpmath.mpf("0.415")), 10) == "0.6022861769"
    assert (a.shown.text, a.relation) == ("0.6023", "≈")


def test_two_neurons_in_sequence_carrying_the_shown_value():
    d = symann.load(EXAMPLES / "two-neurons.toml").forward()
    z1, a1, z2, a2 = d.steps
    assert [s.id for s in d.steps] == ["z1_1", "a1_1", "z2_1", "a2_1"]
    # the course's way: a_1 = 0.6023 is carried; 0.6023 × 0.35 + 0.5 = 0.710805
    assert Fraction(6023, 10000) * Fraction(35, 100) + Fraction(1, 2) == Fraction(710805, 10**6)
    assert (z2.shown.text, z2.relation) == ("0.7108", "≈")
    assert mpmath.nstr(sigmoid(mpmath.mpf("0.7108")), 8) == "0.67057791"
    assert (a2.shown.text, a2.relation) == ("0.6706", "≈")
    # value/exact are exact all the way through, whatever is carried
    exact_a1 = sigmoid(mpmath.mpf("0.415"))
    exact_z2 = exact_a1 * mpmath.mpf("0.35") + mpmath.mpf("0.5")
    assert abs(z2.approximation - exact_z2) < mpmath.mpf(10) ** -45
    assert abs(a2.approximation - sigmoid(exact_z2)) < mpmath.mpf(10) ** -45
    assert z2.exact == sympy.Rational(7, 20) / (1 + sympy.exp(-sympy.Rational(83, 200))) + \
        sympy.Rational(1, 2)
    assert d.outputs == (a2,)


def test_two_neurons_carrying_the_exact_value():
    d = symann.load(EXAMPLES / "two-neurons.toml").forward(carry="exact")
    z2, a2 = d.steps[2:]
    assert mpmath.nstr(sigmoid(mpmath.mpf("0.415")) * mpmath.mpf("0.35") + mpmath.mpf("0.5"),
                       8) == "0.71080016"
    assert z2.shown.text == "0.7108" and a2.shown.text == "0.6706"


def test_the_course_slip_is_not_reproduced():
    d = symann.load(EXAMPLES / "two-neurons.toml").forward()
    assert d["z2_1"].shown.text != "0.7158" and d["a2_1"].shown.text != "0.6717"


def test_relu_softmax_example_by_hand():
    d = symann.load(EXAMPLES / "relu-softmax.json").forward()
    # z⁽¹⁾ = W x + b with x = (0.5, -1.2, 2): worked by hand
    assert [d[f"z1_{j}"].exact for j in range(1, 5)] == [
        sympy.Rational(1), sympy.Rational(-66, 100), sympy.Rational(-6, 100), sympy.Rational(13, 100)]
    assert [d[f"a1_{j}"].shown.text for j in range(1, 5)] == ["1", "0", "0", "0.13"]
    assert d["z2_1"].exact == sympy.Rational(639, 1000)      # 0.6 + 0.13 × 0.3
    assert d["z2_2"].exact == sympy.Rational(26, 1000)       # -0.1 + 0.13 × 0.2 + 0.1
    total = mpmath.exp(mpmath.mpf("0.639")) + mpmath.exp(mpmath.mpf("0.026"))
    assert d["s2"].shown.text == mpmath.nstr(total, 5) == "2.9209"
    assert d["a2_1"].shown.text == "0.6486" and d["a2_2"].shown.text == "0.3514"
    assert abs(d["a2_1"].approximation - mpmath.exp(mpmath.mpf("0.639")) / total) < 1e-40


def test_json_output_fields():
    data = symann.load(EXAMPLES / "two-neurons.toml").forward().to_dict()
    assert data["title"] == "Two neurons in sequence"
    first = data["steps"][0]
    assert {k: first[k] for k in ("id", "quantity", "layer", "neuron", "value", "exact",
                                  "shown", "relation")} == {
        "id": "z1_1", "quantity": "z", "layer": 1, "neuron": 1, "value": 0.415,
        "exact": "83/200", "shown": "0.415", "relation": "="}
    assert data["outputs"] == [{"id": "a2_1", "value": pytest.approx(0.67057794222762, abs=1e-14),
                                "exact": data["steps"][3]["exact"], "shown": "0.6706",
                                "relation": "≈"}]


def test_softmax_sum_that_rounds_to_zero_is_carried_exactly():
    # found by hypothesis: one softmax neuron with z = -12 has S = e^-12 = 0.0000 shown
    network = symann.load({"inputs": [0.0, -4.0, 0.0],
                           "layers": [{"weights": [[0.0, 3, 0.0]], "biases": [0.0],
                                       "activation": "softmax"}]})
    d = network.forward()
    assert d["s1"].shown.text == "0.0000" and "unrounded value" in d["s1"].note
    assert d["a1_1"].shown.text == "1" and d["a1_1"].relation == "="
    report = symann.check(d, {"s1": "0", "a1_1": "1"})
    assert [v.status for v in report.verdicts] == ["missing", "correct", "correct"]  # z1_1, s1, a1_1


def test_a_softmax_sum_that_rounds_to_zero_divides_the_shown_exponentials_by_their_sum():
    """Found by an outside trial: at 0 places the sum e^-5 + e^-9 shows 0, and a_1 was
    e^-5 divided by the *exact* sum (from z = -5.49): 2. It is e^-5 / (e^-5 + e^-9)."""
    network = symann.loads('inputs = [-5.49, -9]\n[[layers]]\nweights = [[1, 0], [0, 1]]\n'
                           'biases = [0, 0]\nactivation = "softmax"\n')
    d = network.forward(digits=0)
    assert [d[i].shown.text for i in ("z1_1", "s1", "a1_1", "a1_2")] == ["-5", "0", "1", "0"]
    shown = mpmath.exp(-5) / (mpmath.exp(-5) + mpmath.exp(-9))
    assert abs(d["a1_1"].computed - shown) < mpmath.mpf(10) ** -40
    report = symann.check(network, {"a1_1": "2"}, digits=0, steps=["a1_1"])
    assert report.verdicts[0].status == "incorrect"
