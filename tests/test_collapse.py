"""The linear collapse (issue 13): identity layers multiplied out into one affine map
``a = W x + b``, exactly, with the worked matrix products in every format.

Oracles: a hand loop over Fractions written here, the network's own exact forward pass
(``W``'s column k is ``f(e_k) − f(0)`` and ``b = f(0)``: no matrix product at all), and
NumPy and PyTorch float64 matrix products. The LaTeX is compiled by pdflatex, the HTML
drawn by headless Chromium at 400 px.
"""
from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from xml.etree import ElementTree

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from katex import katex_errors
from test_render_wide import (
    CHROMIUM,
    PDFLATEX,
    markdown_blocks,
    page_view,
)
from test_tools import KATEX, NODE, compile_latex

import symann
from symann import limits
from symann.cli import main

from conftest import EXAMPLES

LINEAR = EXAMPLES / "linear.toml"


def identity_network(sizes: list[int], seed: int = 1, digits: int = 2,
                     fractions: bool = False) -> symann.Network:
    """Identity layers of the given sizes (inputs first), weights in [-2, 2], negatives
    included; with ``fractions`` some weights are thirds and sevenths."""
    rng = random.Random(seed)

    def number() -> str:
        if fractions and rng.random() < 0.3:
            return f"{rng.randint(-9, 9)}/{rng.choice((3, 7))}"
        return f"{rng.uniform(-2, 2):.{digits}f}"

    layers = [symann.Dense([[number() for _ in range(fan_in)] for _ in range(size)],
                           [number() for _ in range(size)], "identity")
              for fan_in, size in pairwise(sizes)]
    return symann.Network(layers, inputs=[number() for _ in range(sizes[0])])


# --- the oracles ---------------------------------------------------------------------------

def hand_collapse(network: symann.Network) -> tuple[list[list[Fraction]], list[Fraction]]:
    """W and b by plain loops: W ← W⁽ˡ⁾ W, b ← W⁽ˡ⁾ b + b⁽ˡ⁾."""
    W = [list(row) for row in network.layers[0].weights]
    b = list(network.layers[0].biases)
    for layer in network.layers[1:]:
        V, c = layer.weights, layer.biases
        W = [[sum((V[j][i] * W[i][k] for i in range(len(W))), Fraction(0))
              for k in range(len(W[0]))] for j in range(len(V))]
        b = [sum((V[j][i] * b[i] for i in range(len(b))), Fraction(0)) + c[j]
             for j in range(len(V))]
    return W, b


def outputs(network: symann.Network, x: list[Fraction]) -> list[Fraction]:
    """The exact outputs of the forward pass (exact carry) at ``x``."""
    derivation = network.forward(x, carry="exact")
    values = [step.rational for step in derivation.outputs]
    assert all(v is not None for v in values)
    return values   # type: ignore[return-value]


def forward_collapse(network: symann.Network) -> tuple[list[list[Fraction]], list[Fraction]]:
    """W and b from the forward pass alone: b = f(0), column k of W = f(e_k) − f(0)."""
    n = network.n_inputs
    b = outputs(network, [Fraction(0)] * n)
    columns = [[v - c for v, c in zip(outputs(network, [Fraction(int(i == k)) for i in range(n)]),
                                      b)] for k in range(n)]
    return [list(row) for row in zip(*columns)], b


@pytest.mark.parametrize("sizes, seed", [([2, 2, 1], 1), ([2, 3, 2], 2), ([3, 4, 2], 3),
                                         ([1, 1, 1, 1], 4), ([4, 3, 5, 2, 3], 5), ([5, 1], 6),
                                         ([2, 6, 6, 6, 6, 2], 7)])
def test_the_collapse_equals_a_hand_loop_and_the_forward_pass(sizes, seed):
    network = identity_network(sizes, seed, fractions=seed % 2 == 0)
    collapsed = symann.collapse(network)
    W, b = hand_collapse(network)
    assert [list(row) for row in collapsed.weights] == W
    assert list(collapsed.biases) == b
    assert forward_collapse(network) == (W, b)
    assert all(isinstance(v, Fraction) for row in collapsed.weights for v in row)
    assert len(collapsed.stages) == len(network.layers)


def test_numpy_and_torch_float64_agree_on_random_networks():
    torch = pytest.importorskip("torch")
    rng = random.Random(13)
    for trial in range(20):
        sizes = [rng.randint(1, 7) for _ in range(rng.randint(2, 6))]
        network = identity_network(sizes, seed=trial, digits=3)
        collapsed = symann.collapse(network)
        W = np.array([[float(v) for v in row] for row in collapsed.weights])
        b = np.array([float(v) for v in collapsed.biases])
        mats = [np.array(layer.matrix) for layer in network.layers]
        vecs = [np.array(layer.vector) for layer in network.layers]
        product, bias = mats[0], vecs[0]
        for M, c in zip(mats[1:], vecs[1:]):
            product, bias = M @ product, M @ bias + c
        assert np.allclose(W, product, rtol=1e-12, atol=1e-12)
        assert np.allclose(b, bias, rtol=1e-12, atol=1e-12)
        t_product = torch.eye(sizes[0], dtype=torch.float64)
        t_bias = torch.zeros(sizes[0], dtype=torch.float64)
        for M, c in zip(mats, vecs):
            linear = torch.nn.Linear(M.shape[1], M.shape[0], dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(M))
                linear.bias.copy_(torch.from_numpy(c))
                t_bias = linear(t_bias)                       # W b + c
                t_product = linear.weight @ t_product
        assert np.allclose(W, t_product.numpy(), rtol=1e-12, atol=1e-12)
        assert np.allclose(b, t_bias.numpy(), rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_the_map_applied_to_any_input_is_the_forward_pass_exactly(data):
    sizes = data.draw(st.lists(st.integers(1, 4), min_size=2, max_size=5))
    network = identity_network(sizes, seed=data.draw(st.integers(0, 10**6)),
                               fractions=data.draw(st.booleans()))
    collapsed = symann.collapse(network)
    x = data.draw(st.lists(st.fractions(min_value=-10, max_value=10, max_denominator=1000),
                           min_size=sizes[0], max_size=sizes[0]))
    assert list(collapsed.apply(x)) == outputs(network, x)
    assert outputs(collapsed.as_network(), x) == outputs(network, x)


def test_compiled_evaluation_agrees_with_the_collapsed_map():
    network = identity_network([4, 6, 5, 3], seed=8, digits=3)
    collapsed = symann.collapse(network)
    X = np.random.default_rng(0).uniform(-3, 3, (50, 4))
    W = np.array([[float(v) for v in row] for row in collapsed.weights])
    b = np.array([float(v) for v in collapsed.biases])
    assert np.allclose(network.compile()(X), X @ W.T + b, rtol=1e-12, atol=1e-12)


# --- the golden 2-2-1 ---------------------------------------------------------------------

SMALL = symann.Network([symann.Dense([[0.5, -1], [2, 0.25]], [0.1, -0.2], "identity"),
                        symann.Dense([[1, -0.5]], [0.3], "identity")],
                       inputs=[1, 2], title="Two identity layers")


def test_a_2_2_1_network_checked_by_hand(golden):
    collapsed = symann.collapse(SMALL)
    # W = W⁽²⁾W⁽¹⁾ = [1·0.5 + (−0.5)·2, 1·(−1) + (−0.5)·0.25] = [0.5 − 1, −1 − 0.125]
    #   = [−0.5, −1.125]
    assert collapsed.weights == ((Fraction(-1, 2), Fraction(-9, 8)),)
    # b = W⁽²⁾b⁽¹⁾ + b⁽²⁾ = 1·0.1 + (−0.5)·(−0.2) + 0.3 = 0.1 + 0.1 + 0.3 = 0.5
    assert collapsed.biases == (Fraction(1, 2),)
    # at x = (1, 2): −0.5 − 2.25 + 0.5 = −2.25; the network: a⁽¹⁾ = (0.5 − 2 + 0.1,
    # 2 + 0.5 − 0.2) = (−1.4, 2.3), a⁽²⁾ = −1.4 − 1.15 + 0.3 = −2.25
    assert collapsed.apply([1, 2]) == (Fraction(-9, 4),)
    text = collapsed.to_text()
    # collapse-2-2-1.txt was read line by line: every product and sum above appears in it
    # with these values, (1 × 0.5) + ((-0.5) × 2) = -0.5, (1 × (-1)) + ((-0.5) × 0.25) =
    # -1.125, (1 × 0.1) + ((-0.5) × (-0.2)) + 0.3 = 0.5, negatives in brackets.
    golden("collapse-2-2-1.txt", text)
    assert "(W⁽²⁾·W⁽¹⁾)₁₁ = (1 × 0.5) + ((-0.5) × 2) = -0.5" in text
    assert "(W⁽²⁾·W⁽¹⁾)₁₂ = (1 × (-1)) + ((-0.5) × 0.25) = -1.125" in text
    assert "(W⁽²⁾·b⁽¹⁾ + b⁽²⁾)₁ = (1 × 0.1) + ((-0.5) × (-0.2)) + 0.3 = 0.5" in text
    assert "a⁽²⁾ = W·x + b = [-0.5, -1.125]·x + [0.5]" in text
    golden("collapse-2-2-1.tex", collapsed.to_latex())
    assert json.loads(collapsed.to_json()) == {"weights": [[-0.5, -1.125]], "biases": [0.5]}


# --- every format -------------------------------------------------------------------------

def test_every_format_writes_every_value():
    collapsed = symann.collapse(symann.load(LINEAR))
    # examples/linear.toml by hand: W⁽²⁾W⁽¹⁾ row 1 = (0.5 − 4 − 0.25, −1 − 0.5 + 0.75)
    # = (−3.75, −0.75); row 2 = (−0.5 + 1 − 1, 1 + 0.125 + 3) = (−0.5, 4.125);
    # b = (0.1 + 0.4 + 0.15 + 0.4, −0.1 − 0.1 + 0.6 − 0.1) = (1.05, 0.3)
    assert collapsed.weights == ((Fraction("-3.75"), Fraction("-0.75")),
                                 (Fraction("-0.5"), Fraction("4.125")))
    assert collapsed.biases == (Fraction("1.05"), Fraction("0.3"))
    assert list(symann.formats.COLLAPSE_FORMATS) == list(symann.FORMATS)
    for name in symann.FORMATS:
        out = collapsed.render(name)
        for value in ("3.75", "0.75", "4.125", "1.05", "0.3"):
            assert value in out, (name, value)
    latex = collapsed.to_latex()
    assert r"W^{(2)} W^{(1)} &= \begin{bmatrix}" in latex
    assert r"(W^{(2)} W^{(1)})_{11} &= (1 \times 0.5) + ((-2) \times 2)" in latex
    mathml = collapsed.render("mathml")
    assert mathml.count("<math ") == 4 and "&#x2212;3.75" in mathml and 'alttext="a' in mathml
    markdown = collapsed.render("markdown")
    assert markdown.count("$$\n\\begin{aligned}") == 4
    html = collapsed.render("html")
    assert html.startswith("<!DOCTYPE html>") and "<h2>The weights W</h2>" in html
    assert "<title>A network without activation functions: the linear collapse</title>" in html


def test_fractions_where_the_decimal_does_not_terminate():
    network = symann.Network([symann.Dense([["1/3", 1]], [0], "identity"),
                              symann.Dense([[3], [1]], ["1/7", 0], "linear")])
    collapsed = symann.collapse(network)
    assert collapsed.weights == ((Fraction(1), Fraction(3)), (Fraction(1, 3), Fraction(1)))
    assert collapsed.biases == (Fraction(1, 7), Fraction(0))
    assert json.loads(collapsed.to_json()) == {"weights": [[1, 3], ["1/3", 1]],
                                               "biases": ["1/7", 0]}
    assert "(W⁽²⁾·W⁽¹⁾)₂₁ = 1 × (1 / 3) = 1 / 3" in collapsed.to_text()   # the factor bracketed
    assert r"\frac{1}{3}" in collapsed.to_latex()
    assert r"\frac{1}{2}" in symann.collapse(SMALL).render("latex", numbers="fraction")


def test_json_is_exact_and_reads_back_as_a_network_file(tmp_path):
    network = identity_network([3, 4, 2], seed=9, digits=6, fractions=True)
    text = symann.collapse(network).to_json()
    data = json.loads(text, parse_float=Decimal)
    exact = symann.collapse(network)
    assert [[Fraction(v) for v in row] for row in data["weights"]] == \
        [list(row) for row in exact.weights]
    path = tmp_path / "one-layer.json"
    path.write_text(json.dumps({"inputs": [0, 0, 0], "layers": [
        {"weights": data["weights"], "biases": data["biases"], "activation": "identity"}]},
        default=str))
    assert symann.load(path).layers[0].weights == exact.weights   # "1/3" strings, as spec reads
    one_line = exact.render("json", indent=None)
    assert "\n" not in one_line and json.loads(one_line) == json.loads(text)


def test_one_identity_layer_is_its_own_map():
    layer = symann.Network([symann.Dense([[1, -2]], [0.5], "identity")])
    collapsed = symann.collapse(layer)
    assert collapsed.weights == ((1, -2),) and collapsed.biases == (Fraction(1, 2),)
    text = collapsed.to_text()
    assert "The weights W" not in text and "W = W⁽¹⁾ = [1, -2]" in text


def test_deep_networks_name_the_product_with_an_ellipsis():
    text = symann.collapse(identity_network([2, 2, 2, 2, 2, 2], seed=3)).to_text()
    assert "W = W⁽⁵⁾·⋯·W⁽¹⁾" in text
    assert "W⁽³⁾·W⁽²⁾·W⁽¹⁾ = W⁽³⁾·(W⁽²⁾·W⁽¹⁾) = " in text


# --- wide: elided and broken --------------------------------------------------------------

WIDE = identity_network([16, 16, 16], seed=11, digits=3)
#: one-place weights: the exact values of a product stay short enough for a phone
PHONE = identity_network([16, 16, 16], seed=11, digits=1)
DEEP = identity_network([3, 4, 4, 4, 4, 2], seed=12, digits=1)
CASES = {"linear": (symann.load(LINEAR), {}), "2-2-1": (SMALL, {}),
         "16-16-16": (WIDE, {}), "16-16-16-phone": (PHONE, {}),
         "6-8-6-every-term": (identity_network([6, 8, 6], seed=2, digits=3), {"terms": 0}),
         "deep": (DEEP, {}), "fractions": (identity_network([3, 3, 2], 4, fractions=True),
                                           {"numbers": "fraction"})}


def test_wide_products_are_elided_with_a_note():
    collapsed = symann.collapse(WIDE)
    text = collapsed.to_text()
    assert "⋯" in text and "rows 3 to 15 and columns 3 to 15" in text
    assert text.count("(W⁽²⁾·W⁽¹⁾)₁₆,₁₆ = ") == 1 and "(W⁽²⁾·W⁽¹⁾)₃₃ = " not in text
    full = collapsed.render("text", terms=0)
    assert "⋯" not in full and "(W⁽²⁾·W⁽¹⁾)₃₃ = " in full
    assert full.count("(W⁽²⁾·W⁽¹⁾)") == 16 * 16


@pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
@pytest.mark.parametrize("name", list(CASES))
def test_pdflatex_sets_the_collapse_with_no_overfull_box(tmp_path, name):
    network, options = CASES[name]
    result = compile_latex(symann.collapse(network).render("latex", standalone=True, **options),
                           tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, log[-2000:]
    assert not re.search(r"^! ", log, re.M), log[-2000:]
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)


#: the values of the networks of fractions an outside reviewer found overflowing: a line of
#: ``\\left(\\frac{1}{3} \\times \\frac{153}{56}\\right)`` terms was estimated to fit and did not
FRACTION_POOL = ("2", "0.25", "-1", "-2/3", "5/7", "-1.5", "1/3", "0")
REVIEWED = [[["2", "0.25", "-1", "0.25"], ["0.25", "-2/3", "5/7", "-1"]],
            [["5/7", "0"], ["0", "-1.5"]],
            [["2", "1/3"], ["-1", "-2/3"], ["-1", "0.25"], ["5/7", "0"]],
            [["-1", "2", "2", "0.25"], ["-2/3", "0", "5/7", "-1"], ["1/3", "-1.5", "-1.5", "1/3"],
             ["0.25", "-1", "5/7", "0"]]]
REVIEWED_BIASES = [["0.25", "5/7"], ["0.25", "2"], ["5/7", "2", "-2/3", "5/7"],
                   ["0.25", "1/3", "-2/3", "-2/3"]]


def fraction_network(seed: int) -> symann.Network:
    """3 to 5 identity layers of 1 to 4 neurons, every value from :data:`FRACTION_POOL`."""
    rng = random.Random(seed)
    sizes = [rng.randint(1, 4) for _ in range(rng.randint(4, 6))]
    return symann.Network([symann.Dense(
        [[rng.choice(FRACTION_POOL) for _ in range(fan_in)] for _ in range(size)],
        [rng.choice(FRACTION_POOL) for _ in range(size)], "identity")
        for fan_in, size in pairwise(sizes)], inputs=["0"] * sizes[0])


@pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
@pytest.mark.parametrize("numbers", ["decimal", "fraction"])
def test_small_networks_of_fractions_fit_the_page(tmp_path, numbers):
    """The reviewer's network and 24 seeded random ones (before the width estimate counted
    fractions' spacing and the larger parentheses of ``\\left(``, several of them overflowed
    by 1 to 13 pt), in one document at the default width: no Overfull \\hbox."""
    reviewed = symann.Network([symann.Dense(w, b, "identity")
                               for w, b in zip(REVIEWED, REVIEWED_BIASES)])
    networks = [reviewed] + [fraction_network(seed) for seed in range(24)]
    first, *rest = (symann.collapse(n).render("latex", standalone=not k, numbers=numbers)
                    for k, n in enumerate(networks))
    document = first.replace(r"\end{document}", "\n".join(rest) + "\n\\end{document}")
    result = compile_latex(document, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, log[-2000:]
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    assert document.count(r"\section*") == len(networks)


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
@pytest.mark.parametrize("name, width", [("linear", 400), ("2-2-1", 400), ("16-16-16-phone", 400),
                                         ("deep", 400), ("fractions", 400), ("16-16-16", 1200)])
def test_chromium_shows_the_collapse_within_the_viewport(tmp_path, name, width):
    network, options = CASES[name]
    html = symann.collapse(network).render("html", **options)
    view = page_view(tmp_path, html, width)
    assert view["width"] == width
    assert view["scroll"] <= width, view
    assert view["values"] > 0 and view["outside"] == [], view


# --- errors -------------------------------------------------------------------------------

def test_only_identity_is_linear_in_the_registry():
    assert [name for name in symann.ACTIVATIONS if symann.REGISTRY[name].linear] == ["identity"]
    assert symann.activation("linear").linear


NOT_LINEAR = "is not linear: only identity layers collapse into one affine map"


@pytest.mark.parametrize("activation, shown", [
    ("sigmoid", "sigmoid, the default when activation is omitted) " + NOT_LINEAR),
    (None, "sigmoid, the default when activation is omitted) " + NOT_LINEAR),
    ("softmax", "softmax) " + NOT_LINEAR), ("relu", "relu) " + NOT_LINEAR),
    ({"name": "leaky_relu", "slope": "0.5"}, "leaky_relu(slope=0.5)) " + NOT_LINEAR),
    ({"name": "leaky_relu", "slope": 1}, "leaky_relu(slope=1)) computes z but is written as "
     "leaky ReLU (slope 1): write identity to collapse it")])
def test_a_non_linear_layer_is_named(tmp_path, capsys, activation, shown):
    path = tmp_path / "net.json"
    second = {"weights": [[1, 2], [3, 4]], "biases": [0, 0]}
    if activation is not None:
        second["activation"] = activation
    path.write_text(json.dumps({"inputs": [1, 2], "layers": [
        {"weights": [[1, 2], [3, 4]], "biases": [0, 0], "activation": "identity"}, second]}))
    assert main(["collapse", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {path}: layers[2].activation: layer 2 ({shown}\n"
    with pytest.raises(symann.InputError) as raised:
        symann.collapse(symann.load(path))
    assert raised.value.field == "layers[2].activation"


def test_cli_errors_are_one_line(tmp_path, capsys, monkeypatch):
    assert main(["collapse", str(LINEAR), "--terms", "2"]) == 2
    assert main(["collapse", str(tmp_path / "missing.toml")]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["collapse", str(LINEAR), "--format", "pdf"])
    assert usage.value.code == 2
    assert main(["collapse", str(LINEAR), "-o", str(LINEAR)]) == 2
    monkeypatch.setattr(limits, "COLLAPSE_PRODUCTS", 10)
    assert main(["collapse", str(LINEAR)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 5 and all(line.startswith("error: ") for line in lines)
    assert "18 multiplications; the limit is 10" in lines[-1]


def test_cli_writes_every_option(tmp_path, capsys):
    out = tmp_path / "collapse.tex"
    assert main(["collapse", str(LINEAR), "--format", "latex", "--standalone",
                 "--numbers", "fraction", "--width", "0", "-o", str(out)]) == 0
    tex = out.read_text()
    assert tex.startswith(r"\documentclass") and r"\frac{33}{8}" in tex and r"&\quad" not in tex
    assert main(["collapse", str(LINEAR), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"weights": [[-3.75, -0.75], [-0.5, 4.125]],
                                                   "biases": [1.05, 0.3]}


def test_a_deep_network_whose_values_grow_past_the_limit_is_refused(tmp_path, capsys):
    # 123456789^k has 98 digits at k = 12 and 106 at k = 13, past the 100 a network file
    # holds as a decimal (its fraction over 10^104 is longer than 200 characters too)
    assert len(str(123456789**12)) == 98 and len(str(123456789**13)) == 106
    layers = [{"weights": [[1.23456789]], "biases": [0], "activation": "identity"}] * 60
    path = tmp_path / "deep.json"
    path.write_text(json.dumps({"inputs": [1], "layers": layers}))
    assert main(["collapse", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: {path}: layers[13]: multiplied out through layer 13, the "
                   "collapse's weights[1][1] is 15.477282270…, a decimal of 106 significant "
                   "digits: more than a network file holds (a decimal of at most 100 digits "
                   "or a fraction of at most 200 characters), so it is not collapsed\n")
    assert str(Decimal(123456789**13).scaleb(-104)).startswith("15.477282270")
    layers = layers[:12]                              # 98 digits: within the limit
    path.write_text(json.dumps({"inputs": [1], "layers": layers}))
    assert main(["collapse", str(path), "--format", "json"]) == 0
    weight = json.loads(capsys.readouterr().out, parse_float=Decimal)["weights"][0][0]
    assert Fraction(weight) == Fraction("1.23456789") ** 12   # exact: 96 decimals


@pytest.mark.parametrize("weight, bias, depth", [
    ("1.23456789", "0", 12), ("3/7", "1/3", 117), ("0.5", "0.5", 328), ("7", "-1", 118),
    ("2", "0", 332), ("1/3", "2/3", 207)])
def test_every_collapse_loads_back_as_a_network_file(tmp_path, weight, bias, depth):
    """As deep as the limit allows (``depth``, found by bisection; e.g. 7^118 has 100
    digits, 2^332 too, (2^328 - 1)/2^328 is a fraction of 199 characters), and one layer
    deeper: what collapses is written by
    --format json and by dumps(as_network()) as a file that load reads back equal; one
    layer more is refused by collapse() itself, never by the reader afterwards."""
    def chain(n: int) -> symann.Network:
        return symann.Network([symann.Dense([[weight]], [bias], "identity")] * n, inputs=[1])

    deepest = None
    for n in range(depth - 2, depth + 3):
        try:
            collapsed = symann.collapse(chain(n))
        except symann.InputError as error:
            assert "more than a network file holds" in str(error)
            break
        deepest = collapsed
    assert deepest is not None and len(deepest.network.layers) == depth
    for format in ("toml", "json"):
        path = tmp_path / f"net.{format}"
        path.write_text(symann.dumps(deepest.as_network(), format))
        back = symann.load(path)
        assert back.layers[0].weights == deepest.weights
        assert back.layers[0].biases == deepest.biases
    path = tmp_path / "map.json"
    layer = deepest.to_json().rstrip().removesuffix("}") + ', "activation": "identity"}'
    path.write_text(f'{{"inputs": [1], "layers": [{layer}]}}')   # the JSON as it stands
    assert symann.load(path).layers[0].weights == deepest.weights


def test_the_refused_value_is_named_weight_or_bias():
    # weights 0 stay 0; the bias 1 grows by 1.23456789 a layer, past 100 digits at layer 14
    layers = [symann.Dense([["0", "0"], ["0", "1"]], ["1", "0"], "identity")]
    layers += [symann.Dense([["1.23456789", "0"], ["0", "1"]], ["0", "0"], "identity")] * 20
    with pytest.raises(symann.InputError, match=r"layer 14, the collapse's biases\[1\] is "
                       r"15\.477282270…, a decimal of 106 significant digits") as raised:
        symann.collapse(symann.Network(layers))
    assert raised.value.field == "layers[14]"
    layers[0] = symann.Dense([["0", "0"], ["0", "1"]], ["0", "0"], "identity")
    layers[1] = symann.Dense([["1.23456789", "0"], ["0", "1"]], ["0", "1"], "identity")
    # layers 3.. multiply by 1/7: 7^234 has 198 digits ("1/7^234" is 200 characters, at
    # layer 236), 7^235 (3963139900…) has 199, past the limit at layer 237
    layers[2:] = [symann.Dense([["1", "0"], ["0", "1/7"]], ["0", "0"], "identity")] * 240
    with pytest.raises(symann.InputError, match=r"layer 237, the collapse's weights\[2\]\[2\] "
                       r"is 1/3963139900…, a fraction of 201 characters"):
        symann.collapse(symann.Network(layers))


def test_a_value_whose_decimal_is_too_long_is_written_as_its_fraction():
    # 2^-150 terminates, but in 105 significant digits: its fraction is readable
    collapsed = symann.collapse(symann.Network(
        [symann.Dense([["0.5"]], ["0"], "identity")] * 150, inputs=[1]))
    assert collapsed.weights[0][0] == Fraction(1, 2**150)
    assert json.loads(collapsed.to_json())["weights"] == [[f"1/{2**150}"]]


@pytest.mark.parametrize("value", ["file.toml", None, 3])
def test_collapse_of_something_that_is_not_a_network_is_refused(value):
    with pytest.raises(symann.InputError, match=r"expected a Network \(symann.load\(\.\.\.\) "
                       r"reads a file\), got " + type(value).__name__):
        symann.collapse(value)


def test_an_unknown_option_points_to_the_commands_own_help(capsys):
    for command in ("collapse", "solve", "check"):
        with pytest.raises(SystemExit) as usage:
            main([command, str(LINEAR), "--bogus"])
        assert usage.value.code == 2
        assert capsys.readouterr().err == (f"error: unrecognized arguments: --bogus (see "
                                           f"'symann {command} --help')\n")


def test_the_help_and_the_elision_note_name_the_terms_option(capsys):
    with pytest.raises(SystemExit):
        main(["collapse", "--help"])
    assert "at least 4, or 0 to write everything" in " ".join(capsys.readouterr().out.split())
    wide = symann.collapse(identity_network([10, 10, 10]))
    note = "are computed in the same way; --terms 0 writes them all"
    assert note + ")" in wide.to_text()
    assert r"same way; -{}-terms 0 writes them all." in wide.to_latex()


def test_mathml_and_html_are_well_formed_and_a_hostile_title_is_text():
    network = symann.Network(symann.load(LINEAR).layers,
                             title=r"<script>alert(1)</script> \input{x} & $y$ _ ~")
    collapsed = symann.collapse(network)
    for element in re.findall(r"<math .*?</math>", collapsed.render("mathml"), re.S):
        ElementTree.fromstring(element)
    html = collapsed.render("html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    latex = collapsed.render("latex")
    assert r"\textbackslash{}input\{x\} \& \$y\$ \_ \textasciitilde{}" in latex
    text = collapsed.to_text()
    assert text.startswith(r"<script>alert(1)</script> \input{x} & $y$ _ ~: the linear collapse")


def test_width_and_terms_reach_every_document_format():
    collapsed = symann.collapse(WIDE)
    for name in ("latex", "markdown"):
        assert r"\cdots" in collapsed.render(name) and r"\cdots" not in collapsed.render(
            name, terms=0)
        assert r"&\quad" in collapsed.render(name) and r"&\quad" not in collapsed.render(
            name, width=0)
    assert 'class="more"' in collapsed.render("html")
    assert 'class="more"' not in collapsed.render("html", width=0)


@pytest.mark.skipif(not (NODE and KATEX.exists()),
                    reason="node or KaTeX is missing (npm ci --prefix tests/js)")
def test_katex_renders_every_block_of_the_markdown():
    strings = [block for network, options in CASES.values()
               for block in markdown_blocks(symann.collapse(network).render("markdown",
                                                                              **options))]
    notebook = symann.collapse(DEEP)._repr_mimebundle_()["text/latex"]   # one aligned block
    strings.append(notebook.removeprefix("$$\n").removesuffix("\n$$"))
    errors = katex_errors(strings)
    assert len(strings) == 4 * len(CASES) + 1 and not errors, errors[:3]


def test_npz_and_a_file_without_inputs(tmp_path, capsys):
    from_toml = symann.load(LINEAR)
    symann.arrays.save_npz(symann.Network(from_toml.layers), tmp_path / "net.npz")
    assert main(["collapse", str(tmp_path / "net.npz"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"weights": [[-3.75, -0.75], [-0.5, 4.125]],
                                                   "biases": [1.05, 0.3]}
    with pytest.raises(symann.InputError, match="unknown format 'pdf'; the formats are text"):
        symann.collapse(from_toml).render("pdf")


def test_a_notebook_shows_the_collapse_as_maths():
    bundle = symann.collapse(SMALL)._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/latex", "text/html"}
    assert bundle["text/plain"] == symann.collapse(SMALL).to_text()
    assert bundle["text/latex"].startswith("$$\n\\begin{aligned}") and "-1.125" in bundle["text/latex"]
    assert bundle["text/html"].count("<math ") == 4
