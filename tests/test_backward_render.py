"""The worked backpropagation in every format (issue 13): golden files of the 2-2-1
example, checked by the real tools (pdflatex with no overfull box, Chromium at 400 px with
no overflow, KaTeX), the names of each notation, JSON keys, kink notes.

The golden 2-2-1 solution (examples/backprop-2-2-1.toml, carry shown, 4 places) was
checked number by number by an independent computation (Python ``decimal`` at 30 digits,
carrying the shown values as the course does; the script is ``HAND_CHECK`` below and runs
as a test):

    a⁽¹⁾₁ = σ(0.3775) = 0.59327 → 0.5933;  a⁽¹⁾₂ = σ(0.3925) = 0.59689 → 0.5969
    z⁽²⁾₁ = 0.4·0.5933 + 0.45·0.5969 + 0.6 = 1.105925 → 1.1059;  a⁽²⁾₁ = 0.75136 → 0.7514
    L = (0.01 − 0.7514)²/2 = 0.27483 → 0.2748
    σ'(z⁽²⁾₁) = 0.7514·0.2486 = 0.18680 → 0.1868;  δ⁽²⁾₁ = 0.7414·0.1868 = 0.13849 → 0.1385
    ∂L/∂w⁽²⁾₁₁ = 0.1385·0.5933 = 0.08217 → 0.0822;  ∂L/∂w⁽²⁾₁₂ = 0.1385·0.5969 = 0.08267 → 0.0827
    σ'(z⁽¹⁾₁) = 0.5933·0.4067 = 0.24129 → 0.2413;  δ⁽¹⁾₁ = 0.1385·0.4·0.2413 = 0.013368 → 0.0134
    σ'(z⁽¹⁾₂) = 0.5969·0.4031 = 0.24061 → 0.2406;  δ⁽¹⁾₂ = 0.1385·0.45·0.2406 = 0.014995 → 0.0150
    ∂L/∂w⁽¹⁾₁₁ = 0.0134·0.05 = 0.00067 → 0.0007;  ∂L/∂w⁽¹⁾₁₂ = 0.00134 → 0.0013
    ∂L/∂w⁽¹⁾₂₁ = 0.0150·0.05 = 0.00075 → 0.0008 (a tie, half-up);  ∂L/∂w⁽¹⁾₂₂ = 0.0015
    w' = w − 0.5·∂L/∂w: 0.14965 → 0.1497 (tie), 0.19935 → 0.1994 (tie), 0.3433, 0.2496,
    0.29925 → 0.2993 (tie), 0.3425, 0.3589, 0.40865 → 0.4087 (tie), 0.53075 → 0.5308 (tie)
"""
from __future__ import annotations

import json
import random
import re
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal, getcontext
from fractions import Fraction

import pytest
from katex import katex_errors
from test_render_wide import markdown_blocks, page_view
from test_tools import CHROMIUM, KATEX, NODE, PDFLATEX, compile_latex

import symann
from symann.cli import main

from conftest import EXAMPLES, ROOT

EXAMPLE = EXAMPLES / "backprop-2-2-1.toml"
FORMATS = {"txt": "text", "tex": "latex", "md": "markdown", "html": "html",
           "mathml": "mathml"}


def derivation(**options) -> symann.Derivation:
    return symann.load(EXAMPLE).backward(**options)


def small_wide() -> symann.Derivation:
    """4-5-3, ReLU then softmax with cross-entropy (the review's case): the matrix form's
    ``(W⁽²⁾)ᵀ δ⁽²⁾`` is a 5×3 matrix beside a column, too wide for 400 px in one row."""
    layers = [symann.Dense([[0.25, -0.87, -0.97, 0.67], [-0.48, -0.53, 0.99, -0.06],
                            [0.67, -0.05, 0.28, -0.7], [0.27, 0.74, 0.05, 0.48],
                            [0.34, -0.87, 0.52, 0.18]], [-0.4, -0.94, 0.73, -0.05, 0.44], "relu"),
              symann.Dense([[0.76, 0.43, 0.84, -0.21, 0.6], [-0.11, 0.87, 0.76, -0.81, -0.73],
                            [-0.57, 0.93, -0.13, 0.25, -0.4]], [0.01, -0.23, -0.3], "softmax")]
    return symann.Network(layers, inputs=[-0.52, 0.09, -0.26, 0.21]).backward(
        targets=[0, 0, 1], loss="cross_entropy", learning_rate="0.25")


def wide() -> symann.Derivation:
    """10-20-10, sigmoid then softmax with cross-entropy, negative values, one step."""
    rng = random.Random(13)
    sizes = (10, 20, 10)
    layers = [symann.Dense([[f"{rng.uniform(-1, 1):.3f}" for _ in range(fan_in)]
                            for _ in range(size)],
                           [f"{rng.uniform(-1, 1):.2f}" for _ in range(size)], activation)
              for fan_in, size, activation in zip(sizes, sizes[1:], ("sigmoid", "softmax"))]
    network = symann.Network(layers, inputs=[f"{rng.uniform(-1, 1):.2f}" for _ in range(10)],
                             targets=[0, 0, 1] + [0] * 7, loss="cross_entropy",
                             learning_rate="0.1")
    return network.backward()


def test_hand_check_of_the_golden_numbers():
    """HAND_CHECK: the 2-2-1 solution recomputed with decimal, carrying shown values."""
    getcontext().prec = 30

    def r(v):
        return v.quantize(Decimal("0.0001"), ROUND_HALF_UP)

    def sigma(z):
        return 1 / (1 + (-z).exp())

    x1, x2, y, eta = Decimal("0.05"), Decimal("0.1"), Decimal("0.01"), Decimal("0.5")
    a11 = r(sigma(Decimal("0.3775")))
    a12 = r(sigma(Decimal("0.3925")))
    z21 = r(Decimal("0.4") * a11 + Decimal("0.45") * a12 + Decimal("0.6"))
    a21 = r(sigma(z21))
    loss = r((y - a21) ** 2 / 2)
    ds21 = r(a21 * (1 - a21))
    d21 = r((a21 - y) * ds21)
    ds11, ds12 = r(a11 * (1 - a11)), r(a12 * (1 - a12))
    d11, d12 = r(Decimal("0.4") * d21 * ds11), r(Decimal("0.45") * d21 * ds12)
    grads = {"gw2_1_1": r(d21 * a11), "gw2_1_2": r(d21 * a12), "gw1_1_1": r(d11 * x1),
             "gw1_1_2": r(d11 * x2), "gw1_2_1": r(d12 * x1), "gw1_2_2": r(d12 * x2)}
    want = {"a1_1": a11, "a1_2": a12, "z2_1": z21, "a2_1": a21, "L": loss, "ds2_1": ds21,
            "d2_1": d21, "ds1_1": ds11, "ds1_2": ds12, "d1_1": d11, "d1_2": d12, **grads,
            "gb2_1": d21, "gb1_1": d11, "gb1_2": d12}
    weights = {"1_1_1": "0.15", "1_1_2": "0.2", "1_2_1": "0.25", "1_2_2": "0.3",
               "2_1_1": "0.4", "2_1_2": "0.45"}
    for key, w in weights.items():
        want[f"uw{key}"] = r(Decimal(w) - eta * grads[f"gw{key}"])
    for key, b in {"1_1": "0.35", "1_2": "0.35", "2_1": "0.6"}.items():
        want[f"ub{key}"] = r(Decimal(b) - eta * want[f"gb{key}"])
    d = derivation()
    assert len(want) == 29
    for step_id, value in want.items():
        assert Decimal(d[step_id].shown.text) == value, (step_id, d[step_id].shown.text, value)
    assert [s.shown.text for s in d.backward_steps][:4] == ["0.2748", "0.1868", "0.1385", "0.0822"]


@pytest.mark.parametrize("suffix", list(FORMATS))
@pytest.mark.parametrize("notation", ["layered", "matrix"])
def test_golden(golden, notation, suffix):
    golden(f"backprop-2-2-1.{notation}.{suffix}",
           derivation().render(FORMATS[suffix], notation=notation))


def test_golden_json(golden):
    golden("backprop-2-2-1.json", derivation().to_json())


def test_json_keys_and_quantities():
    data = derivation().to_dict()
    steps = {s["id"]: s for s in data["steps"]}
    assert data["loss"] == "squared_error" and data["targets"] == [0.01]
    assert data["learning_rate"] == 0.5
    assert {s["quantity"] for s in data["steps"]} == {
        "z", "a", "loss", "activation_derivative", "delta", "grad_w", "grad_b", "update"}
    assert steps["gw2_1_2"]["layer"] == 2 and steps["gw2_1_2"]["neuron"] == 1
    assert steps["gw2_1_2"]["input"] == 2 and "input" not in steps["gb2_1"]
    assert steps["uw1_2_1"]["parameter"] == "w" and steps["ub1_2"]["parameter"] == "b"
    assert steps["L"]["symbolic"] == "L = (y₁ − a⁽²⁾₁)^2 / 2"
    assert steps["gw2_1_1"]["symbolic"] == "∂L/∂w⁽²⁾₁₁ = δ⁽²⁾₁·a⁽¹⁾₁"
    # today's keys, unchanged, on every step
    for step in data["steps"]:
        assert {"id", "quantity", "layer", "neuron", "value", "exact", "precise", "shown",
                "relation", "symbolic", "substituted"} <= set(step)


def test_the_backward_part_follows_the_outputs_in_every_format():
    d = derivation()
    for name in ("text", "latex", "markdown", "html"):
        out = d.render(name)
        assert out.index("Backward pass") > out.index("Output"), name
        assert out.index("Loss (squared error)") < out.index("Gradient-descent step"), name
    latex = d.to_latex()
    assert r"\frac{\partial L}{\partial w^{(2)}_{11}}" in latex and r"\delta^{(1)}_2" in latex
    assert r"{w'}^{(1)}_{11}" in latex and r"\sigma'(z^{(1)}_1)" in latex
    mathml = d.to_mathml()
    assert "<mo>&#x2202;</mo>" in mathml and "<mfrac>" in mathml
    assert d.to_text().count("\n  σ'(z") == 3   # once per neuron


def test_chain_notation_names():
    network = symann.load(EXAMPLES / "two-neurons.toml")
    text = network.backward(targets=[1], loss="squared_error").to_text()
    assert "δ₁ = (δ₂ · w₂)·σ'(z₁)" in text and "∂L/∂w₂ = δ₂·a₁" in text
    assert "L = (y − a₂)^2 / 2" in text


def test_matrix_lines():
    text = derivation().to_text(notation="matrix")
    assert "δ⁽¹⁾ = (W⁽²⁾)ᵀ·δ⁽²⁾ ⊙ σ'(z⁽¹⁾) = [0.4, 0.45]ᵀ·[0.1385] ⊙ [0.2413; 0.2406]" in text
    assert "∂L/∂W⁽¹⁾ = δ⁽¹⁾·(a⁽⁰⁾)ᵀ = [0.0134; 0.0150]·[0.05; 0.1]ᵀ" in text
    assert "δ⁽²⁾ = (a⁽²⁾ − y) ⊙ σ'(z⁽²⁾)" in text
    latex = derivation().to_latex(notation="matrix")
    assert r"^{\top}" in latex and r"\odot" in latex


def test_softmax_cross_entropy_is_a_minus_y_with_a_note():
    network = symann.load(EXAMPLES / "relu-softmax.json")
    d = network.backward(targets=[0, 1], loss="cross_entropy")
    assert "ds2_2" not in d.ids   # no σ' step: the loss and softmax cancel
    assert d["d2_1"].note.startswith("softmax with cross-entropy")
    assert d["d2_2"].note == ""   # said once for the layer
    assert "δ⁽²⁾₂ = a⁽²⁾₂ − y₂ = 0.3514 − 1" in d.to_text()


def test_a_kink_is_noted():
    network = symann.Network([symann.Dense([[1, -1]], [0], "relu"),
                              symann.Dense([[2]], [0.5], "leaky_relu")],
                             inputs=[0.3, 0.3], targets=[1], loss="squared_error")
    d = network.backward()
    assert d["z1_1"].rational == 0
    assert d["ds1_1"].note == ("z = 0: ReLU has a kink at z = 0; its derivative there is "
                               "taken as kink = 0")
    assert d["ds1_1"].rational == 0
    kinked = symann.Network([symann.Dense([[1, -1]], [0], {"name": "relu", "kink": 1})],
                            inputs=[0.3, 0.3], targets=[1], loss="squared_error").backward()
    assert kinked["ds1_1"].rational == 1 and "kink = 1" in kinked["ds1_1"].note
    assert "kink" not in d["ds2_1"].note
    assert "(z = 0: ReLU has a kink" in d.to_text()


@pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed")
@pytest.mark.parametrize("notation", ["layered", "matrix"])
def test_pdflatex_compiles_the_backward_pass_without_overfull_boxes(tmp_path, notation):
    network = symann.load(EXAMPLES / "relu-softmax.json")
    for d in (derivation(), network.backward(targets=[0, 1], loss="cross_entropy",
                                             learning_rate="0.1"), wide()):
        result = compile_latex(d.render("latex", standalone=True, notation=notation), tmp_path)
        log = (tmp_path / "doc.log").read_text(errors="replace")
        assert result.returncode == 0, log[-2000:]
        assert not re.search(r"^! ", log, re.M), log[-2000:]
        assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
@pytest.mark.parametrize("notation", ["layered", "matrix"])
@pytest.mark.parametrize("case", ["2-2-1", "4-5-3", "10-20-10"])
def test_chromium_shows_the_backward_pass_within_400_px(tmp_path, notation, case):
    made = {"2-2-1": derivation, "4-5-3": small_wide, "10-20-10": wide}[case]()
    html = made.render("html", notation=notation)
    view = page_view(tmp_path, html, 400)
    assert view["scroll"] <= 400, view
    assert view["values"] > 100 and view["outside"] == [], view


@pytest.mark.skipif(not (NODE and KATEX.exists()), reason="node or KaTeX is missing")
def test_katex_renders_every_backward_block():
    network = symann.load(EXAMPLES / "relu-softmax.json")
    strings = [block for d in (derivation(), network.backward(targets=[0, 1],
                                                               loss="cross_entropy"))
               for notation in ("layered", "matrix")
               for block in markdown_blocks(d.render("markdown", notation=notation))]
    # the notebook's display formula: the whole solution in one aligned block
    strings.append(derivation()._repr_latex_().strip().removeprefix("$$").removesuffix("$$"))
    assert r"&\text{Backward pass}" in strings[-1]
    errors = katex_errors(strings)
    assert len(strings) >= 16 and not errors, errors[:3]


def test_cli_backward_and_a_second_iteration(tmp_path, capsys):
    updated = tmp_path / "updated.toml"
    assert main(["solve", str(EXAMPLE), "--backward", "--write-updated", str(updated)]) == 0
    assert "Backward pass" in capsys.readouterr().out
    again = symann.load(updated)
    assert [str(w) for w in again.layers[1].weights[0]] == ["3589/10000", "4087/10000"]
    assert again.targets == symann.load(EXAMPLE).targets and again.loss.name == "squared_error"
    second = tmp_path / "second.json"
    assert main(["solve", str(updated), "--backward", "--learning-rate", "0.25",
                 "--write-updated", str(second), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["learning_rate"] == 0.25 and symann.load(second).layers[0].size == 2
    # the loss went down after one step
    assert out["steps"][6]["id"] == "L" and out["steps"][6]["value"] < 0.2748


def test_cli_refusals(tmp_path, capsys):
    assert main(["solve", str(EXAMPLE), "--backward", "--write-updated", str(EXAMPLE)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert main(["solve", str(EXAMPLE), "--learning-rate", "0.1"]) == 2
    assert "--learning-rate: needs --backward" in capsys.readouterr().err
    assert main(["solve", str(EXAMPLE), "--backward", "--learning-rate", "0"]) == 2
    assert "expected a positive number" in capsys.readouterr().err
    plain = EXAMPLES / "two-neurons.toml"
    assert main(["solve", str(plain), "--backward"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {plain}: loss: the network has no loss")
    for name in ("x.txt", "u.npz", "noext"):   # a network is written as TOML or JSON only
        assert main(["solve", str(EXAMPLE), "--backward", "--write-updated",
                     str(tmp_path / name)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {tmp_path / name}: --write-updated: expected a .toml or "
                              ".json file, got "), err
        assert ".npz file" not in err
        assert not (tmp_path / name).exists()
    same = tmp_path / "same.toml"
    assert main(["solve", str(EXAMPLE), "--backward", "-o", str(same), "--write-updated",
                 str(same)]) == 2
    assert "--write-updated: is also the --output file" in capsys.readouterr().err
    assert not same.exists()
    no_rate = tmp_path / "no-rate.toml"
    no_rate.write_text(EXAMPLE.read_text().replace("learning_rate = 0.5", ""))
    assert main(["solve", str(no_rate), "--backward", "--write-updated",
                 str(tmp_path / "u.toml")]) == 2
    assert "--write-updated: needs a learning rate" in capsys.readouterr().err


@pytest.mark.parametrize("notation", ["layered", "matrix"])
def test_mathml_of_the_backward_pass_is_well_formed(notation):
    for d in (derivation(), wide()):
        for width in (None, 0, 20):
            text = d.render("mathml", notation=notation, width=width)
            root = ET.fromstring(f"<root>{text}</root>")
            assert len(root) > 4 and all(child.tag.endswith("math") for child in root)


def test_api_refusals_name_the_field():
    softmax_hidden = symann.Network([symann.Dense([[1], [2]], [0, 0], "softmax"),
                                     symann.Dense([[1, 1]], [0], "sigmoid")],
                                    inputs=[1], targets=[1], loss="squared_error")
    with pytest.raises(symann.InputError) as caught:
        softmax_hidden.backward()
    assert caught.value.field == "layers[1].activation" and "Jacobian" in str(caught.value)
    sure = symann.Network([symann.Dense([[20]], [0], "sigmoid")], inputs=[1], targets=[1],
                          loss="binary_cross_entropy")
    # a = 0.99999… is shown as 1.00: ln(1 − 1.00) has no value, the loss takes the
    # unrounded a, and says so
    saturated = sure.backward(digits=2)
    assert saturated["L"].note == ("output 1 is 1.00 at 2 decimal places; the logarithm "
                                   "takes the unrounded value")   # not the id a1_1
    assert "output 1 is 1.00" in saturated.to_text(notation="chain")
    assert saturated["L"].shown.text == "0.00" and saturated["L"].value > 0
    assert saturated["d1_1"].shown.text == "0.00"   # δ = a − y from the shown a: 1.00 − 1
    no_rate = symann.load(EXAMPLE).backward(learning_rate=None)
    assert "uw1_1_1" in no_rate.ids   # the file's own learning rate
    plain = symann.Network(symann.load(EXAMPLE).layers, inputs=[0.05, 0.1], targets=[0.01],
                           loss="squared_error").backward()
    assert not any(i.startswith("u") for i in plain.ids)
    with pytest.raises(symann.InputError) as caught:
        symann.load(EXAMPLE).updated(plain)
    assert caught.value.field == "learning_rate"
    with pytest.raises(symann.InputError) as caught:
        symann.load(EXAMPLE).backward(targets=[1, 2])
    assert caught.value.field == "targets"
    with pytest.raises(symann.InputError) as caught:
        symann.load(EXAMPLE).backward(loss="hinge")
    assert caught.value.field == "loss"


def test_the_readme_excerpt_is_real_output(capsys):
    """Every line of the README's worked backpropagation is a line symann prints."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("## Backpropagation")[1].split("```\nBackward pass")[1]
    excerpt = "Backward pass" + excerpt.split("```")[0]
    assert main(["solve", str(EXAMPLE), "--backward"]) == 0
    printed = capsys.readouterr().out.splitlines()
    lines = [line for line in excerpt.splitlines() if line.strip() not in ("", "…")]
    assert len(lines) >= 10
    assert [line for line in lines if line not in printed] == []


@pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed")
@pytest.mark.parametrize("heading", ["subsection", "none"])
def test_pdflatex_compiles_every_heading_level(tmp_path, heading):
    source = derivation().render("latex", standalone=True, heading=heading)
    assert ("\\paragraph*{Backward pass}" if heading == "none"
            else "\\subsection*{Backward pass}") in source
    result = compile_latex(source, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0 and "Overfull \\hbox" not in log, log[-2000:]


def _networks_for_options():
    kink = symann.Network([symann.Dense([[1, -1], [0.5, 0.25]], [0, -0.2], "relu"),
                           symann.Dense([[2, 1], [-1, 1], [0.3, -0.3]], [0.5, -0.025, 0.1],
                                        {"name": "step", "at_zero": "1/2"})],
                          inputs=[0.3, 0.3], targets=[1, -1, "1/3"], loss="mse",
                          learning_rate="1/3")
    softmax = symann.load(EXAMPLES / "relu-softmax.json")
    softmax = symann.Network(softmax.layers, inputs=softmax.inputs, targets=["1/3", "2/3"],
                             loss="cross_entropy", learning_rate=2)
    return [symann.load(EXAMPLE), kink, softmax]


@pytest.mark.parametrize("options", [
    {"numbers": "fraction"}, {"times": "cdot", "terms": 4}, {"width": 20},
    {"notation": "matrix", "terms": 4, "width": 20}, {"notation": "matrix", "numbers": "fraction"},
    {"heading": "none"}])
def test_every_format_writes_every_option(options):
    for d in (n.backward() for n in _networks_for_options()):
        for name in ("text", "latex", "markdown", "html", "mathml", "json"):
            out = d.render(name, **options)
            assert "Backward pass" in out or name in ("mathml", "json"), name
        if options.get("notation") != "matrix":
            ET.fromstring(f"<root>{d.render('mathml', **options)}</root>")


def test_kinks_and_fractions_in_the_text():
    d = _networks_for_options()[1].backward()
    text = d.to_text()
    assert "(z = 0: ReLU has a kink at z = 0; its derivative there is taken as kink = 0)" in text
    assert d["z2_2"].rational == 0 and d["ds2_2"].rational == 0
    assert d["ds2_2"].note == ("z = 0: step jumps at z = 0 and has no derivative there; "
                               "the backward pass takes 0, as everywhere else")
    assert d["a2_2"].note.startswith("z = 0: step takes its value at 0")
    assert "L = (y₁ − a⁽²⁾₁)^2 / 3 + (y₂ − a⁽²⁾₂)^2 / 3 + (y₃ − a⁽²⁾₃)^2 / 3" in text


def test_a_constant_derivative_is_written_once():
    """The review: ``identity'(z) = 1 = 1``; a member equal to the one before it or to the
    value is left out."""
    network = symann.Network([symann.Dense([[0.5]], [0.1], "identity")], inputs=[1],
                             targets=[0], loss="squared_error")
    text = network.backward().to_text()
    assert "identity'(z) = 1\n" in text and "= 1 = 1" not in text


def test_the_updated_network_keeps_what_the_step_used(tmp_path, capsys):
    """The review: ``net.updated(d).backward()`` failed (targets, loss and rate given to
    ``backward()`` were dropped). They are kept; on the command line the rate written is
    the one used (``--learning-rate`` over the file's)."""
    network = symann.Network([symann.Dense([[0.5, -0.5]], [0.1], "sigmoid")], inputs=[1, 2])
    first = network.backward(targets=[1], loss="binary_cross_entropy", learning_rate="0.5")
    updated = network.updated(first)
    assert updated.targets == (1,) and updated.loss.name == "binary_cross_entropy"
    assert updated.learning_rate == Fraction(1, 2)
    second = updated.backward()
    assert second.learning_rate == Fraction(1, 2) and second.loss.name == "binary_cross_entropy"
    written = tmp_path / "step1.toml"
    assert main(["solve", str(EXAMPLE), "--backward", "--learning-rate", "0.25",
                 "--write-updated", str(written)]) == 0
    capsys.readouterr()
    assert symann.load(written).learning_rate == Fraction(1, 4)


@pytest.mark.parametrize(("output", "loss", "targets", "why"), [
    ("softmax", "cross_entropy", [0, 1], "as the targets sum to 1"),
    ("sigmoid", "binary_cross_entropy", [1, 0], "cancels the denominator")])
def test_the_matrix_form_says_why_delta_is_a_minus_y(output, loss, targets, why):
    """docs/backward.md promises the note in every notation; the matrix form had left it out."""
    network = symann.Network([symann.Dense([[0.5, -0.5], [0.25, 0.75]], [0.1, -0.2], output)],
                             inputs=[1, 2])
    d = network.backward(targets=targets, loss=loss)
    note = next(s.note for s in d.steps if s.id == "d1_1")
    assert why in note
    for fmt in ("text", "markdown", "latex", "html"):
        rendered = d.render(fmt, notation="matrix")
        assert why in rendered, fmt


def test_an_untitled_backward_page_is_titled_backpropagation():
    network = symann.Network([symann.Dense([[0.5]], [0.1], "sigmoid")], inputs=[1])
    page = network.backward(targets=[1], loss="squared_error").render("html")
    assert "<title>Worked backpropagation</title>" in page
    assert "<h1>Worked backpropagation</h1>" in page
    assert "<title>Worked forward pass</title>" in network.forward().render("html")


def test_refusals_of_targets_and_rates_say_what_was_given():
    """The review: ``targets = 0.3`` said "got Decimal"; ``learning_rate = "fast"`` gave
    ``-2`` as an example of what it expects (it must be positive)."""
    text = EXAMPLE.read_text()
    scalar = text.replace("targets = [0.01]", "targets = 0.01")
    assert scalar != text
    with pytest.raises(symann.InputError, match=r"targets: expected a list of numbers "
                                                r"\(one per output\), got a single number"):
        symann.loads(scalar)
    fast = text.replace("learning_rate = 0.5", 'learning_rate = "fast"')
    assert fast != text
    with pytest.raises(symann.InputError) as raised:
        symann.loads(fast)
    message = str(raised.value)
    assert "learning_rate: expected a positive number" in message and "-2" not in message
    assert "got 'fast'" in message
