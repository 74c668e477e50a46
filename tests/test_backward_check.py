"""Checking answers to the backward pass (issue 13): the same ids as ``solve --backward``,
follow-through from the student's own forward and backward values, and the diagnoses of
the classic mistakes (sign of y − a, a missing σ', the downstream sum over the wrong index,
a gradient with respect to the wrong input)."""
from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import symann
from symann.cli import main

from conftest import EXAMPLES
from helpers import random_network

EXAMPLE = EXAMPLES / "backprop-2-2-1.toml"


def square() -> symann.Network:
    """2-2-2: tanh, then sigmoid outputs; the second layer's weights are not symmetric."""
    return symann.Network([symann.Dense([[0.1, -0.2], [0.3, 0.4]], [0.1, -0.1], "tanh"),
                           symann.Dense([[0.5, -0.6], [0.7, 0.2]], [0.2, 0.1], "sigmoid")],
                          inputs=[1, -2], targets=[0, 1], loss="squared_error",
                          learning_rate=0.5)


def shown(network: symann.Network) -> dict[str, str]:
    return {s.id: s.shown.text for s in network.backward().steps}


def verdict(network, answers, step_id):
    return next(v for v in symann.check(network, answers).verdicts if v.id == step_id)


def test_every_shown_value_of_the_example_is_correct():
    network = symann.load(EXAMPLE)
    report = symann.check(network, shown(network))
    assert report.passed and report.total == 31


def test_the_sign_of_y_minus_a():
    network = symann.load(EXAMPLE)
    answers = shown(network)
    answers["d2_1"] = "-0.1385"
    v = verdict(network, answers, "d2_1")
    assert v.status == "incorrect" and v.diagnosis == "sign_of_error"
    # the gradients from the student's own (wrong) δ: follow-through, not incorrect
    answers["gw2_1_1"] = "-0.0822"
    assert verdict(network, answers, "gw2_1_1").status == "follow_through"


def test_a_missing_activation_derivative():
    network = symann.load(EXAMPLE)
    answers = shown(network)
    answers["d2_1"] = "0.7414"        # a − y, without σ'(z)
    assert verdict(network, answers, "d2_1").diagnosis == "missing_activation_derivative"
    answers = shown(network)
    answers["d1_1"] = "0.0554"        # w δ, without σ'(z⁽¹⁾₁) = 0.2413
    assert verdict(network, answers, "d1_1").diagnosis == "missing_activation_derivative"


def test_the_downstream_sum_over_the_wrong_index():
    network = square()
    d = network.backward()
    answers = {s.id: s.shown.text for s in d.steps}
    # δ⁽¹⁾₁ with w⁽²⁾₁ₘ (row 1) rather than w⁽²⁾ₘ₁ (column 1)
    delta = [Fraction(d[f"d2_{m}"].shown.text) for m in (1, 2)]
    wrong = (Fraction("0.5") * delta[0] + Fraction("-0.6") * delta[1]) * \
        Fraction(d["ds1_1"].shown.text)
    answers["d1_1"] = f"{float(wrong):.4f}"
    v = verdict(network, answers, "d1_1")
    assert v.status == "incorrect" and v.diagnosis == "downstream_index", v
    assert "w⁽²⁾ⱼₘ" in v.message and "w⁽²⁾ₘⱼ" in v.message, v.message   # not w⁽2⁾ⱼₘ


def test_a_gradient_with_respect_to_the_wrong_input():
    network = square()
    d = network.backward()
    answers = {s.id: s.shown.text for s in d.steps}
    answers["gw1_2_1"] = answers["gw1_2_2"]   # δ⁽¹⁾₂ x₂ for ∂L/∂w⁽¹⁾₂₁
    v = verdict(network, answers, "gw1_2_1")
    assert v.status == "incorrect" and v.diagnosis == "wrong_input"
    assert "δ⁽¹⁾₂·x₂" in v.message


def test_follow_through_from_a_wrong_forward_value():
    network = symann.load(EXAMPLE)
    answers = shown(network)
    answers["a2_1"] = "0.7600"        # wrong forward output
    own = Fraction("0.7600")
    answers["ds2_1"] = str(own * (1 - own))                # 0.1824
    delta = (own - Fraction("0.01")) * own * (1 - own)
    answers["d2_1"] = f"{float(delta):.4f}"
    report = symann.check(network, answers)
    statuses = {v.id: v.status for v in report.verdicts}
    assert statuses["a2_1"] == "incorrect"
    assert statuses["ds2_1"] == "follow_through" and statuses["d2_1"] == "follow_through"
    message = next(v.message for v in report.verdicts if v.id == "d2_1")
    assert "from your own values of a⁽²⁾₁ and σ'(z⁽²⁾₁)" in message, message


def test_feedback_names_the_derivative_as_the_solution_writes_it():
    """The review: the feedback called ReLU's derivative ``σ'⁽¹⁾₁``; it is ``relu'(z⁽¹⁾₁)``
    as in the solution (``leaky'``, ``tanh'`` alike)."""
    network = relu_at_kink()
    answers = shown(network)
    answers["ds1_2"] = "0.5"
    v = verdict(network, answers, "ds1_2")
    assert v.status == "incorrect" and "expected relu'(z⁽¹⁾₂) = 1" in v.message, v.message
    assert "σ'" not in v.message


def test_the_cli_checks_backward_answers(tmp_path, capsys):
    network = symann.load(EXAMPLE)
    answers = tmp_path / "answers.toml"
    answers.write_text("\n".join(f'{k} = "{v}"' for k, v in shown(network).items()))
    assert main(["check", str(EXAMPLE), str(answers)]) == 0
    answers.write_text('d2_1 = "-0.1385"\n')
    assert main(["check", str(EXAMPLE), str(answers), "--steps", "d2_1"]) == 1
    assert "sign of δ⁽²⁾₁ is wrong" in capsys.readouterr().out


def _case(seed: int):
    rng = random.Random(seed)
    hidden = rng.choice(["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softplus"])
    output, loss = rng.choice([("sigmoid", "squared_error"), ("tanh", "mse"),
                               ("sigmoid", "binary_cross_entropy"),
                               ("softmax", "cross_entropy"), ("identity", "squared_error")])
    network = random_network(rng, [hidden, output])
    if loss == "cross_entropy":
        targets = [0] * network.n_outputs
        targets[rng.randrange(network.n_outputs)] = 1
    elif loss == "binary_cross_entropy":
        targets = [f"{rng.random():.2f}" for _ in range(network.n_outputs)]
    else:
        targets = [f"{rng.uniform(-2, 2):.2f}" for _ in range(network.n_outputs)]
    return symann.Network(network.layers, inputs=network.inputs, targets=targets, loss=loss,
                          learning_rate=rng.choice(["0.1", "0.5", "1"]))


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([2, 4]))
def test_the_checker_accepts_every_shown_value_and_never_a_wrong_sign(seed, digits):
    network = _case(seed)
    d = network.backward(digits=digits)
    answers = {s.id: s.shown.text for s in d.steps}
    checker = symann.Checker(d)
    assert checker.check(answers).passed
    for step in d.backward_steps:
        value = Fraction(step.shown.text)
        if value == 0:
            continue
        flipped = dict(answers)
        flipped[step.id] = step.shown.text[1:] if step.shown.text.startswith("-") \
            else "-" + step.shown.text
        status = {v.id: v.status for v in checker.check(flipped, [step.id]).verdicts}
        assert status[step.id] == "incorrect", (step.id, step.shown.text)


@pytest.mark.parametrize("formula", ["(a^(2)_1 - y_1)*sigma(z^(2)_1)*(1 - sigma(z^(2)_1))",
                                     "(a^(2)_1 - y_1)*a^(2)_1*(1 - a^(2)_1)"])
def test_a_formula_for_delta(formula):
    network = symann.load(EXAMPLE)
    report = symann.check(network, {"d2_1_formula": formula}, steps=["d2_1_formula"])
    assert report.verdicts[0].status == "correct", report.verdicts[0]


def test_a_formula_with_the_wrong_sign_is_incorrect():
    network = symann.load(EXAMPLE)
    report = symann.check(network, {"d2_1_formula": "(y_1 - a^(2)_1)*a^(2)_1*(1 - a^(2)_1)"},
                          steps=["d2_1_formula"])
    assert report.verdicts[0].status == "incorrect", report.verdicts[0]


@pytest.mark.parametrize(("step", "formula", "status"), [
    ("gw2_1_1", "delta^(2)_1 * a^(1)_1", "correct"),
    ("gw2_1_1", "delta^(2)_1 * a^(1)_2", "incorrect"),
    ("uw2_1_1", "w^(2)_11 - eta*delta^(2)_1*a^(1)_1", "correct"),
    ("d1_1", "(w^(2)_11*delta^(2)_1)*a^(1)_1*(1-a^(1)_1)", "correct"),
    ("d1_1", "(w^(2)_12*delta^(2)_1)*a^(1)_1*(1-a^(1)_1)", "incorrect"),
])
def test_formulas_name_delta_and_eta_as_typed(step, formula, status):
    network = symann.load(EXAMPLE)
    report = symann.check(network, {f"{step}_formula": formula}, steps=[f"{step}_formula"])
    assert report.verdicts[0].status == status, report.verdicts[0]


def test_chain_formulas():
    network = symann.load(EXAMPLES / "two-neurons.toml")
    network = symann.Network(network.layers, inputs=network.inputs, targets=[1],
                             loss="squared_error")
    report = symann.check(network, {"d1_1_formula": "delta_2*w_2*a_1*(1-a_1)"},
                          steps=["d1_1_formula"])
    assert report.verdicts[0].status == "correct", report.verdicts[0]


def relu_at_kink(activation="relu") -> symann.Network:
    """z⁽¹⁾₁ = 0.4·(-0.5) + 0.2·1 + 0 = 0 exactly: the first neuron sits on the kink."""
    return symann.Network([symann.Dense([[0.4, 0.2], [-0.6, -0.3]], [0, 0.2], activation),
                           symann.Dense([[0.5, -0.7], [-0.25, 0.8]], [0.1, -0.05], "tanh")],
                          inputs=[-0.5, 1], targets=[0.3, -0.2], loss="squared_error")


@pytest.mark.parametrize(("activation", "name", "value"), [
    ("relu", "relu", "0"), ({"name": "relu", "kink": 1}, "relu", "1"),
    ("leaky_relu", "leaky", "0.01"), ({"name": "leaky_relu", "slope": 0.2}, "leaky", "0.2")])
def test_the_derivative_at_a_kink_is_written_as_it_is_taken(activation, name, value):
    """The review: ``relu'(z) = step(z) = step(0) = 0`` while step(0) is 1; the line now
    reads ``relu'(z⁽¹⁾₁) = relu'(0) = 0`` (the kink note says which value is taken), and
    the checker accepts what it shows, typed as a student would."""
    network = relu_at_kink(activation)
    derivation = network.backward()
    slope = next(s for s in derivation.steps if s.id == "ds1_1")
    assert slope.shown.text == value
    text = derivation.to_text()
    written = name + "'"
    line = next(line for line in text.splitlines() if line.strip().startswith(written + "(z⁽¹⁾₁)"))
    assert line.strip().endswith(f"= {written}(0) = {value}"), line
    assert "step(0)" not in text
    matrix = derivation.to_text(notation="matrix")   # the kink noted in the matrix form too
    assert f"{written}(0)" in matrix and "neuron 1, z = 0:" in matrix and "step(0)" not in matrix
    for typed in (f"{name}'(0)", f"{name}′(0)", value, f"{name.upper()}'(0)"):
        assert verdict(network, {"ds1_1": typed}, "ds1_1").status == "correct", typed
    assert verdict(network, {"ds1_1": "step(0)"}, "ds1_1").status != "correct" or value == "1"


def test_the_rounding_diagnosis_needs_fewer_places_than_asked():
    """The review: ``a2_1 = "0.8000"`` (correct 0.7514) was told "rounded to 1 decimal
    place(s); give 4" although 4 places were written; ``0.8`` is rounded, ``0.8000`` not."""
    network = symann.load(EXAMPLE)
    assert shown(network)["a2_1"] == "0.7514"
    for typed, code in (("0.8", "rounded_answer"), ("0.75", "rounded_answer"),
                        ("0.8000", None), ("0.80000", None), ("0.7500", None)):
        v = verdict(network, {"a2_1": typed}, "a2_1")
        assert v.status == "incorrect" and v.diagnosis == code, (typed, v)
        assert ("rounded to" in v.message) == (code is not None), (typed, v.message)
