"""What every step *shows*, against an independent oracle (tests/oracle.py: exact Fractions
where values are rational, mpmath at 110 digits elsewhere), and against PyTorch float64.

Issue 8: the old oracle tests compared only the float ``value`` of mostly positive
networks; these compare, for every step, the shown text (sign included, exact string),
the relation (``=`` / ``≈``) and the values, over random networks with negatives, exact
zeros, kinks, rounding ties, deep chains and wide layers, both carries, digits 1..6.
"""
from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import pytest
from hypothesis import given, reject, strategies as st

import symann

import oracle
from conftest import EXAMPLES
from oracle import Net
from oracle_strategies import cases, chain, fixed, time_limit

ALL = frozenset({"number", "text", "relation", "value"})
# what a shown text means (its number, sign included), how it relates, and the values --
# everything but the padding rule of the text, which test_shown_text_format checks alone
MEANING = frozenset({"number", "relation", "value"})


def shown_number(text: str):
    try:
        return Fraction(Decimal(text))
    except (InvalidOperation, ValueError):
        return None


def mismatches(derivation, expected: dict[str, oracle.OStep], aspects=ALL) -> list[str]:
    """Every difference between symann's steps and the oracle's, as readable lines."""
    problems = []
    ids = [s.id for s in derivation.steps]
    if ids != list(expected):
        return [f"step ids {ids} != oracle {list(expected)}"]
    for step in derivation.steps:
        o = expected[step.id]
        number = shown_number(step.shown.text)
        if "number" in aspects and (number != o.shown or step.shown.text.startswith("-") != (o.shown < 0)):
            problems.append(f"{step.id}: shows the number {step.shown.text!r}, oracle {o.text!r} "
                            f"(exact {oracle.mp(o.exact)!s:.20}, computed {oracle.mp(o.computed)!s:.20})")
        elif "text" in aspects and step.shown.text != o.text:
            problems.append(f"{step.id}: shown {step.shown.text!r}, oracle {o.text!r} "
                            f"(exact {oracle.mp(o.exact)!s:.20}, computed {oracle.mp(o.computed)!s:.20})")
        if "relation" in aspects and step.relation != o.relation:
            problems.append(f"{step.id}: relation {step.relation!r}, oracle {o.relation!r} "
                            f"(shown {o.text!r})")
        if "value" in aspects and not math.isclose(float(step.value), float(oracle.mp(o.exact)), rel_tol=1e-12,
                            abs_tol=1e-300):
            problems.append(f"{step.id}: value {float(step.value)!r}, oracle "
                            f"{float(oracle.mp(o.exact))!r}")
        computed = getattr(step, "computed", None)
        if "value" in aspects and computed is not None and not math.isclose(float(computed), float(oracle.mp(o.computed)),
                                                     rel_tol=1e-12, abs_tol=1e-300):
            problems.append(f"{step.id}: computed {float(computed)!r}, oracle "
                            f"{float(oracle.mp(o.computed))!r}")
    return problems


def compare(net: Net, digits: int, carry: str, network=None, aspects=ALL) -> None:
    try:
        expected = oracle.solve(net, digits, carry)
    except oracle.Undecidable:
        reject()
    network = network if network is not None else net.symann()
    derivation = network.forward(digits=digits, carry=carry)
    problems = mismatches(derivation, expected, aspects)
    assert not problems, (f"digits={digits} carry={carry}\n{net.to_toml()}\n"
                          + "\n".join(problems[:12]))


# ------------------------------------------------------------------ random networks

@fixed("random", max_examples=60)
@given(cases())
def test_random_networks_show_what_the_oracle_shows(case):
    """The shown number (sign included), the relation and the values of every step."""
    net, digits, carry = case
    compare(net, digits, carry, symann.loads(net.to_toml(), "toml"), aspects=MEANING)


@fixed("format", max_examples=40)
@given(cases())
def test_shown_text_format(case):
    """The exact shown string: unpadded when "=", padded to `digits` places when "≈"."""
    net, digits, carry = case
    compare(net, digits, carry, aspects=ALL)


@fixed("ties", max_examples=30)
@given(cases(flavour="tie"))
def test_rounding_ties_are_shown_half_up_away_from_zero(case):
    net, digits, carry = case
    compare(net, digits, carry, aspects=MEANING)


@fixed("halves", max_examples=30)
@given(cases(flavour="halves", carry="shown"))
def test_ties_from_shown_values_are_shown_half_up(case):
    net, digits, carry = case
    compare(net, digits, carry, aspects=MEANING)


@fixed("kinks", max_examples=25)
@given(cases(flavour="kink"))
def test_kinks_at_exactly_zero(case):
    net, digits, carry = case
    compare(net, digits, carry, aspects=MEANING)


@fixed("wide", max_examples=8)
@given(cases(max_layers=2, n_inputs=30))
def test_wide_layers(case):
    net, digits, carry = case
    compare(net, digits, carry, aspects=MEANING)


@pytest.mark.parametrize("seed, depth, digits", [(1, 10, 4), (2, 20, 3), (3, 30, 4), (4, 30, 6)])
@pytest.mark.parametrize("carry", ["shown", "exact"])
def test_deep_chains_are_right_and_fast(seed, depth, digits, carry):
    net = chain(seed, depth)
    expected = oracle.solve(net, digits, carry)
    network = net.symann()
    with time_limit(4.0, f"a {depth}-layer chain's forward pass (carry {carry})"):
        derivation = network.forward(digits=digits, carry=carry)
    problems = mismatches(derivation, expected)
    assert not problems, "\n".join(problems[:12])


# -------------------------------------------------------------- known defects (issue 8)

TANH_SOFTMAX = Net.from_texts(
    ["-0.7", "1.3"],
    [([["-0.45", "0.8"], ["0.25", "-1.1"], ["-0.6", "-0.35"]], ["-0.2", "0.15", "0.05"], "tanh"),
     ([["0.3", "-0.2", "0.5"], ["-0.4", "0.1", "0.2"]], ["0.1", "-0.1"], "softmax")])


@pytest.mark.parametrize("carry", ["shown", "exact"])
def test_negative_tanh_keeps_its_sign(carry):
    d = TANH_SOFTMAX.symann().forward(digits=4, carry=carry)
    assert d["z1_2"].shown.text == "-1.455" and d["z1_2"].relation == "="
    assert d["a1_2"].shown.text == "-0.8967"        # tanh(-1.455), not 0.8967
    assert d["a1_2"].relation == "≈"
    assert d["a1_2"].value < 0
    compare(TANH_SOFTMAX, 4, carry)


@pytest.mark.parametrize("digits", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("carry", ["shown", "exact"])
def test_tanh_softmax_network_every_step(digits, carry):
    compare(TANH_SOFTMAX, digits, carry, aspects=MEANING)


def course(w2: str) -> Net:
    return Net.from_texts(["0.1"], [([["0.15"]], ["0.4"], "sigmoid"), ([[w2]], ["0.5"], "sigmoid")])


def test_course_network_tie_from_shown_values():
    # z2 = 0.6023 × 0.5 + 0.5 = 0.80115 exactly: half-up gives 0.8012 (not binary noise)
    d = course("0.5").symann().forward(digits=4, carry="shown")
    assert [d[i].shown.text for i in ("z1_1", "a1_1", "z2_1")] == ["0.415", "0.6023", "0.8012"]
    assert d["z2_1"].relation == "≈"
    compare(course("0.5"), 4, "shown")
    compare(course("0.5"), 4, "exact")


@pytest.mark.parametrize("x, text", [("0.6023", "0.8012"), ("-0.6023", "-0.8012"),
                                     ("0.6021", "0.8011"), ("-0.6021", "-0.8011")])
def test_exact_ties_round_away_from_zero(x, text):
    # z = x·0.5 ± 0.5 = ±0.80115 (a tie at 4 places, exact: no float decides it)
    net = Net.from_texts([x], [([["0.5"]], ["0.5" if x[0] != "-" else "-0.5"], "identity")])
    for carry in ("shown", "exact"):
        d = net.symann().forward(digits=4, carry=carry)
        assert d["z1_1"].shown.text == text and d["a1_1"].shown.text == text, carry
        compare(net, 4, carry)


@pytest.mark.parametrize("digits, z, text", [(1, "0.25", "0.3"), (1, "-0.25", "-0.3"),
                                             (2, "0.125", "0.13"), (2, "-0.125", "-0.13"),
                                             (1, "-0.04", "0.0"), (2, "2.675", "2.68")])
def test_ties_and_signs_at_few_digits(digits, z, text):
    net = Net.from_texts([z], [([["1"]], ["0"], "identity")])
    d = net.symann().forward(digits=digits, carry="exact")
    assert d["z1_1"].shown.text == text
    for carry in ("shown", "exact"):
        compare(net, digits, carry, aspects=MEANING)


def test_a_rounded_value_is_padded_even_when_its_line_computes_it_exactly():
    # carry shown, 1 place: z = 0.015 is shown ≈ 0.0, and a = tanh(0.0) = 0 computes exactly,
    # but a's true value 0.0149... is not 0: it is a rounded value, ≈, padded like z
    d = TANH_SOFTMAX.symann().forward(digits=1, carry="shown")
    assert (d["z1_3"].shown.text, d["z1_3"].relation) == ("0.0", "≈")
    assert (d["a1_3"].shown.text, d["a1_3"].relation) == ("0.0", "≈")
    # identity: a = z must show the same text as z
    net = Net.from_texts(["-0.00001"], [([["0.5"]], ["-0.5"], "identity")])
    d = net.symann().forward(digits=4, carry="shown")
    assert d["z1_1"].shown.text == d["a1_1"].shown.text == "-0.5000"
    compare(TANH_SOFTMAX, 1, "shown")


@pytest.mark.parametrize("carry", ["shown", "exact"])
def test_relu_softmax_example(carry):
    net = Net.from_texts(
        ["0.5", "-1.2", "2"],
        [([["0.2", "-0.5", "0.1"], ["0.4", "0.3", "-0.2"], ["-0.3", "0.8", "0.5"], ["0.1", "0.1", "0.1"]],
          ["0.1", "-0.1", "0.05", "0"], "relu"),
         ([["0.6", "-0.4", "0.2", "0.3"], ["-0.1", "0.5", "-0.3", "0.2"]], ["0", "0.1"], "softmax")])
    d = symann.load(EXAMPLES / "relu-softmax.json").forward(digits=4, carry=carry)
    assert d["z1_2"].shown.text == "-0.66" and d["z1_3"].shown.text == "-0.06"
    assert not mismatches(d, oracle.solve(net, 4, carry)), mismatches(d, oracle.solve(net, 4, carry))


# ----------------------------------------------------------------------- PyTorch

def torch_forward(torch, net: Net) -> dict[str, float]:
    """Every step's value in float64 by PyTorch (carry exact)."""
    values: dict[str, float] = {}
    a = torch.tensor([float(x) for x in net.inputs], dtype=torch.float64)
    for l, layer in enumerate(net.layers, start=1):
        W = torch.tensor([[float(w) for w in row] for row in layer.weights], dtype=torch.float64)
        b = torch.tensor([float(x) for x in layer.biases], dtype=torch.float64)
        z = W @ a + b
        name = layer.activation
        if name == "identity":
            a = z.clone()
        elif name == "relu":
            a = torch.relu(z)
        elif name == "leaky_relu":
            a = torch.nn.functional.leaky_relu(z, float(oracle.frac(layer.settings.get("slope", "0.01"))))
        elif name == "step":
            at_zero = torch.tensor(float(oracle.frac(layer.settings.get("at_zero", 1))),
                                   dtype=torch.float64)
            a = torch.heaviside(z, at_zero)
        elif name == "sigmoid":
            a = torch.sigmoid(z)
        elif name == "tanh":
            a = torch.tanh(z)
        elif name == "softmax":
            a = torch.softmax(z, dim=0)
            values[f"s{l}"] = float(torch.exp(z).sum())
        for j in range(layer.size):
            values[f"z{l}_{j + 1}"] = float(z[j])
            values[f"a{l}_{j + 1}"] = float(a[j])
    return values


def near_tie(value: float, digits: int, within: float = 1e-9) -> bool:
    scaled = abs(value) * 10 ** digits
    return abs(scaled - math.floor(scaled) - 0.5) < within * 10 ** digits


@fixed("torch", max_examples=40)
@given(cases(carry="exact"), st.data())
def test_against_torch_float64(case, data):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (CI installs torch==2.13.0)")
    from decimal import Decimal
    net, digits, _ = case
    for l, layer in enumerate(net.layers):
        if layer.activation == "step":
            # a float z near 0 can be on the other side of the step than the exact z
            probe = torch_forward(torch, Net(net.inputs, net.layers[: l + 1]))
            if any(abs(probe[f"z{l + 1}_{j + 1}"]) < 1e-9 for j in range(layer.size)):
                reject()
    reference = torch_forward(torch, net)
    d = net.symann().forward(digits=digits, carry="exact")
    assert {s.id for s in d.steps} == set(reference)
    for step in d.steps:
        ref = reference[step.id]
        assert math.isclose(float(step.value), ref, rel_tol=1e-9, abs_tol=1e-12), (
            step.id, float(step.value), ref)
        if near_tie(ref, digits):
            continue
        rounded = Decimal(repr(ref)).quantize(Decimal(1).scaleb(-digits), rounding="ROUND_HALF_UP")
        shown = Decimal(step.shown.text)
        assert shown == rounded, (step.id, step.shown.text, ref, digits)
        assert step.shown.text.startswith("-") == (rounded < 0), (step.id, step.shown.text, ref)
