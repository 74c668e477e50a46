"""The order of products, the same in the symbolic and the substituted line; the notation
options in JSON and the backward pass; text fractions as factors; the carry note; the
options' errors (review 11)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import symann
from symann.formats import data
from symann.solution_options import OPTIONS

from conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
#: distinct values, so that a value tells which quantity it is
DISTINCT = symann.Network([
    symann.Dense([["0.11", "0.12", "0.13"], ["0.21", "0.22", "0.23"]], ["0.01", "0.02"],
                 "sigmoid"),
    symann.Dense([["0.31", "0.32"]], ["0.03"], "sigmoid"),
], inputs=["1.1", "1.2", "1.3"])
FORMATS = ("text", "latex", "markdown", "html", "mathml")


def _backward(network: symann.Network = DISTINCT) -> symann.Derivation:
    return network.backward(targets=[1], loss="squared_error", learning_rate="0.5")


def _json_steps(derivation: symann.Derivation, **options) -> dict[str, dict]:
    return {s["id"]: s for s in data(derivation, "json", symann.RenderSettings(
        **options))["steps"]}


def _factor(shown: str) -> str:
    """A shown value as a factor: a negative one in brackets."""
    return f"({shown})" if shown.startswith("-") else shown


@pytest.mark.parametrize("notation", ["layered", "matrix"])
def test_layered_products_weight_first_in_both_lines(notation):
    steps = _json_steps(_backward(), notation=notation)
    z = steps["z1_2"]
    assert z["symbolic"] == "z⁽¹⁾₂ = w⁽¹⁾₂₁·x₁ + w⁽¹⁾₂₂·x₂ + w⁽¹⁾₂₃·x₃ + b⁽¹⁾₂"
    assert z["substituted"] == "(0.21 × 1.1) + (0.22 × 1.2) + (0.23 × 1.3) + 0.02"
    delta = steps["d1_2"]
    assert delta["symbolic"].startswith("δ⁽¹⁾₂ = (w⁽²⁾₁₂·δ⁽²⁾₁)·σ'")
    shown = steps["d2_1"]["shown"]
    assert delta["substituted"].startswith(f"(0.32 × {_factor(shown)}) × ")


def test_chain_products_input_first_in_both_lines_as_the_course_writes_them():
    one = symann.load(EXAMPLES / "one-neuron.toml").forward()
    assert "z = x₁ · w₁ + b = (0.1 × 0.15) + 0.4 = 0.415" in one.to_text()
    assert r"z &= x_1 \cdot w_1 + b = (0.1 \times 0.15) + 0.4 = 0.415" in one.to_latex()
    two = symann.load(EXAMPLES / "two-neurons.toml").forward()
    assert r"z_1 &= x_1 \cdot w_1 + b_1 = (0.1 \cdot 0.15) + 0.4 = 0.415" \
        in two.to_latex(times="cdot")
    assert r"z_2 &= a_1 \cdot w_2 + b_2 = (0.6023 \cdot 0.35) + 0.5 \approx 0.7108" \
        in two.to_latex(times="cdot")
    steps = _json_steps(_backward(symann.load(EXAMPLES / "two-neurons.toml")))
    assert steps["z1_1"]["symbolic"] == "z₁ = x₁ · w₁ + b₁"
    assert steps["d1_1"]["symbolic"].startswith("δ₁ = (δ₂ · w₂)·σ'")
    assert steps["d1_1"]["substituted"].startswith(
        f"({_factor(steps['d2_1']['shown'])} × 0.35)")


@pytest.mark.parametrize("format", FORMATS)
def test_every_format_writes_the_layered_order(format):
    text = _backward().render(format, notation="layered", times="cdot")
    plain = re.sub(r"<[^>]+>|\\left|\\right|[{}\s()&]", "",
                   text.replace("&#xB7;", "·").replace(r"\cdot", "·"))
    assert "0.21·1.1" in plain, format
    assert "1.1·0.21" not in plain, format


def test_json_symbolic_follows_sigma_as_every_format():
    steps = _json_steps(_backward(), notation="layered", sum="sigma")
    assert steps["z1_2"]["symbolic"] == "z⁽¹⁾₂ = Σₖ₌₁³ w⁽¹⁾₂ₖ·xₖ + b⁽¹⁾₂"
    assert steps["z1_2"]["substituted"] == "(0.21 × 1.1) + (0.22 × 1.2) + (0.23 × 1.3) + 0.02"
    text = _backward().to_text(notation="layered", sum="sigma")
    assert "z⁽¹⁾₂ = Σₖ₌₁³ w⁽¹⁾₂ₖ·xₖ + b⁽¹⁾₂ = (0.21 × 1.1)" in text


def test_sigma_reaches_the_backward_sum_over_downstream_neurons():
    wide = symann.Network([
        symann.Dense([["0.11"], ["0.21"]], ["0.01", "0.02"], "sigmoid"),
        symann.Dense([["0.31", "0.32"], ["0.41", "0.42"], ["0.51", "0.52"]],
                     ["0.03", "0.04", "0.05"], "sigmoid")], inputs=["1.1"])
    derivation = wide.backward(targets=[1, 0, 1], loss="squared_error", learning_rate="0.5")
    steps = _json_steps(derivation, notation="layered", sum="sigma")
    assert steps["d1_2"]["symbolic"] == "δ⁽¹⁾₂ = (Σₖ₌₁³ w⁽²⁾ₖ₂·δ⁽²⁾ₖ)·σ'(z⁽¹⁾₂)"
    assert steps["d1_2"]["substituted"].startswith("((0.32 × ")
    latex = derivation.to_latex(notation="layered", sum="sigma")
    assert r"\delta^{(1)}_2 &= (\sum_{k=1}^{3} w^{(2)}_{k2} \delta^{(2)}_k) \sigma'" in latex
    plain = _json_steps(derivation, notation="layered")
    assert plain["d1_2"]["symbolic"].startswith("δ⁽¹⁾₂ = (w⁽²⁾₁₂·δ⁽²⁾₁ + ")


def test_text_brackets_a_fraction_that_is_a_factor():
    derivation = DISTINCT.backward(targets=[1], loss="squared_error", learning_rate="1/3")
    text = derivation.to_text(notation="matrix")
    assert "− (1 / 3)·" in text
    assert "− 1 / 3·" not in text
    layered = derivation.to_text(notation="layered")
    assert "− (1 / 3) × " in layered and "− 1 / 3 × " not in layered


@pytest.mark.parametrize("format", [f for f in FORMATS if f != "mathml"])   # a bare <math>
@pytest.mark.parametrize("show", ["symbolic", "symbolic,substituted"])
def test_no_carry_note_where_no_value_is_computed(format, show):
    derivation = DISTINCT.forward()
    shown = derivation.render(format, show=show)
    assert "marks a rounded value" not in shown
    assert "≈" not in shown and "approx" not in shown and "&#8776;" not in shown
    # the substituted lines show earlier values, rounded: the rounding is still said
    assert ("rounded half-up" in shown) == ("substituted" in show)
    assert "marks a rounded value" in derivation.render(format)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "symann", *args], capture_output=True,
                          text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})


@pytest.mark.parametrize("option, value, named", [
    ("--terms", "2", "--terms"), ("--width", "-1", "--width"),
    ("--show", "symbolic,symbolic", "--show"),
    ("--steps", "z1_1,z1_1", "--steps")])
def test_option_errors_name_the_option(option, value, named):
    done = _cli("solve", str(EXAMPLES / "two-neurons.toml"), option, value)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {named}: "), done.stderr
    assert "Traceback" not in done.stderr


def test_every_setting_of_solve_has_its_option():
    assert set(OPTIONS) == set(symann.RenderSettings.keys()) - {"indent"}


def test_show_refuses_a_member_twice():
    with pytest.raises(symann.InputError, match=r"symbolic.*twice"):
        symann.RenderSettings(show="symbolic,symbolic")


def test_cli_doc_synopsis_lists_every_solve_option():
    help_text = _cli("solve", "--help").stdout
    usage = help_text.split("\n\n", 1)[0]
    options = set(re.findall(r"(--[a-z-]+)", usage))
    doc = (ROOT / "docs" / "cli.md").read_text()
    synopsis = doc.split("symann solve", 1)[1].split("```", 1)[0]
    missing = sorted(o for o in options if o not in synopsis)
    assert not missing
    assert ".npz" in help_text


FRACTIONS = """
inputs = ["1/3", "-2/7", 0.5]
targets = [1, 0]
loss = "squared_error"
learning_rate = "1/2"
[[layers]]
weights = [["1/2", "-3/4", "5/6"], ["-1/9", "2/3", "7/11"]]
biases = ["1/5", "-1/8"]
activation = "relu"
[[layers]]
weights = [["3/7", "-1/2"], ["1/4", "2/5"]]
biases = ["1/10", "-1/3"]
activation = "sigmoid"
"""


def test_decimal_mode_writes_a_vector_with_a_fraction_wholly_in_fractions():
    network = symann.loads(FRACTIONS)
    text = network.backward().to_text(notation="matrix")
    assert "a⁽⁰⁾ = [1 / 3; -2 / 7; 1 / 2]" in text
    assert "[3 / 7, -1 / 2; 1 / 4, 2 / 5]·[0.9976; 0] + [1 / 10; -1 / 3]" in text
    assert "+ [0.2; -0.125]" in text            # every entry has a finite decimal
    assert "[1 / 3; -2 / 7; 0.5]" not in text and "-0.5; 0.25" not in text
    latex = network.backward().to_latex(notation="matrix")
    assert r"\begin{bmatrix} \frac{1}{3} \\[4pt] -\frac{2}{7} \\[4pt] \frac{1}{2} \end{bmatrix}" \
        in latex
