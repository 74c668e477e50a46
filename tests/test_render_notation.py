"""Notation controls and fractions (issue 11): ``--symbol``, ``--layer-brackets``,
``--sum sigma``, ``--activation-name`` in every format, and ``--numbers fraction`` typeset
as a textbook does (brackets sized around fractions, no fraction in an exponent, no vector
mixing fractions and decimals); checked by the real tools: pdflatex (no overfull box) and
KaTeX in strict mode."""
from __future__ import annotations

import json
import re

import pytest
from katex import katex_errors
from test_render_wide import markdown_blocks, wide
from test_tools import KATEX, NODE, PDFLATEX, compile_latex

import symann
from symann.cli import main
from symann.errors import InputError

from conftest import EXAMPLES

FORMATS = ("text", "latex", "markdown", "html", "mathml", "json")

#: negative inputs, weights and biases, exact fractions throughout the first layer
NEGATIVE = symann.Network([
    symann.Dense([["-0.25", "0.5", "0.75"], ["0.3", "-0.2", "0.1"]], ["-0.5", "0.25"], "sigmoid"),
    symann.Dense([["0.5", "-1.5"]], ["0.1"], "tanh")], inputs=["-0.5", "1.5", "-2"])
#: every activation whose heading the issue names, with a setting that is not the default
HEADED = symann.Network([
    symann.Dense([["0.5", "-0.25"], ["0.2", "0.4"]], ["0.1", "-0.3"],
                 {"name": "leaky_relu", "slope": "0.1"}),
    symann.Dense([["1", "-0.5"], ["0.25", "0.75"]], ["0", "0.1"], "relu"),
    symann.Dense([["0.3", "-0.6"], ["0.5", "0.2"]], ["0.05", "0"], "sigmoid"),
    symann.Dense([["1", "0.5"], ["-0.5", "2"]], ["0", "0"], "softmax")], inputs=["1", "-2"])
#: a neuron whose weights are 0 has an exact z beside the rounded ones of its layer
MIXED = symann.Network([
    symann.Dense([["0.5", "-0.25"], ["0.2", "0.4"]], ["0.1", "-0.3"], "sigmoid"),
    symann.Dense([["0", "0"], ["1", "0.5"], ["-0.5", "0.25"]], ["0.5", "0.1", "0"], "relu")],
    inputs=["1", "-2"])
FIVES = wide([5, 5, 5, 5, 5], seed=3)
INPUTS_12 = wide([12, 3, 2], seed=4)
RELU_SOFTMAX = symann.load(EXAMPLES / "relu-softmax.json")
NETWORKS = {"negative": NEGATIVE, "headed": HEADED, "mixed": MIXED, "5-5-5-5": FIVES, "12-inputs": INPUTS_12,
            "relu-softmax": RELU_SOFTMAX, "two-neurons": symann.load(EXAMPLES / "two-neurons.toml")}

#: how each format writes θ
THETA = {"text": "θ", "latex": r"\theta", "markdown": r"\theta", "html": "&#952;",
         "mathml": "&#952;", "json": "θ"}


def render(network: symann.Network, format: str, **settings) -> str:
    text = network.forward().render(format, **settings)
    return json.dumps(json.loads(text), ensure_ascii=False) if format == "json" else text


# --- --symbol -------------------------------------------------------------------------

@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("name", ["negative", "5-5-5-5", "relu-softmax"])
def test_a_symbol_renames_every_weight_and_nothing_else(format, name):
    """θ for w: written back as w, the solution is the default one, character for
    character (so every weight was renamed, and nothing else changed)."""
    network = NETWORKS[name]
    default = render(network, format)
    renamed = render(network, format, symbols={"w": "theta"})
    assert THETA[format] not in default
    assert renamed.count(THETA[format]) >= sum(layer.size * layer.fan_in
                                               for layer in network.layers)
    assert renamed.replace(THETA[format], "w") == default


@pytest.mark.parametrize("format", ["text", "latex", "mathml"])
def test_symbols_of_the_matrix_and_backward_pass(format):
    """W as Θ in matrix notation, L as J: the gradients ∂J/∂Θ and the updated Θ'."""
    network = symann.load(EXAMPLES / "backprop-2-2-1.toml")
    derivation = network.backward()
    default = derivation.render(format, notation="matrix")
    renamed = derivation.render(format, notation="matrix", symbols={"W": "Theta", "L": "J"})
    capital = {"text": "Θ", "latex": r"\Theta", "mathml": "&#920;"}[format]
    assert capital in renamed and "J" in renamed
    back = renamed.replace(capital, "W")
    back = re.sub(r"\bJ\b", "L", back) if format != "mathml" else back.replace(
        "<mi>J</mi>", "<mi>L</mi>").replace("J =", "L =").replace("∂J", "∂L").replace(
        "&#8706;J", "&#8706;L")
    assert back == default


@pytest.mark.parametrize("chosen, expected", [
    ({"w": "theta"}, {"w": "θ"}), ({"w": r"\theta"}, {"w": "θ"}), ({"w": "θ"}, {"w": "θ"}),
    ({"x": "u", "W": "Omega"}, {"x": "u", "W": "Ω"}), ({"w": "w"}, {})])
def test_symbols_are_read_as_letters(chosen, expected):
    assert symann.RenderSettings(symbols=chosen).symbols == expected


@pytest.mark.parametrize("chosen, says", [
    ({"w": r"\input{/etc/passwd}"}, "expected a letter or a Greek letter"),
    ({"w": "ww"}, "expected a letter"), ({"w": "$"}, "expected a letter"),
    ({"w": "sigma"}, "expected a letter"), ({"w": "σ"}, "expected a letter"),
    ({"w": "e"}, "ambiguous"), ({"z": "k"}, "ambiguous"), ({"b": "S"}, "ambiguous"),
    ({"w": "b"}, "w and b would both be written b"),
    ({"w": "theta", "b": r"\theta"}, "would both be written θ"),
    ({"q": "theta"}, "expected a quantity of x, z, a, w, b, W, y, L")])
def test_a_symbol_that_is_not_a_letter_or_is_ambiguous_is_refused(chosen, says):
    with pytest.raises(InputError, match="symbols") as caught:
        symann.RenderSettings(symbols=chosen)
    assert says in str(caught.value)


@pytest.mark.parametrize("argument", [r"w=\input{x}", "w=b", "w", "=theta"])
def test_cli_refuses_a_bad_symbol_in_one_line(capsys, argument):
    assert main(["solve", str(EXAMPLES / "two-neurons.toml"), "--format", "latex",
                 "--symbol", argument]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: --symbol: ") and err.count("\n") == 1


# --- --layer-brackets -----------------------------------------------------------------

#: a layer superscript in square brackets, and how the same one is written in round ones
SQUARE = {"text": (r"\^\[(\d+)\]", lambda m: m[1].translate(str.maketrans(
    "0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")).join("⁽⁾")),
    "latex": (r"\^\{\[(\d+)\]\}", r"^{(\1)}"), "markdown": (r"\^\{\[(\d+)\]\}", r"^{(\1)}"),
    "mathml": (r'stretchy="false">\[</mo><mn>(\d+)</mn><mo stretchy="false">\]',
               r'stretchy="false">(</mo><mn>\1</mn><mo stretchy="false">)'),
    "html": (r'stretchy="false">\[</mo><mn>(\d+)</mn><mo stretchy="false">\]',
             r'stretchy="false">(</mo><mn>\1</mn><mo stretchy="false">)')}


@pytest.mark.parametrize("format", list(SQUARE))
@pytest.mark.parametrize("name", ["negative", "5-5-5-5", "relu-softmax"])
def test_square_brackets_write_every_layer_and_only_that(format, name):
    network = NETWORKS[name]
    default = render(network, format, notation="layered")
    square = render(network, format, notation="layered", layer_brackets="square")
    pattern, back = SQUARE[format]
    found = len(re.findall(pattern, square))
    assert found >= sum(layer.size for layer in network.layers)
    restored = re.sub(pattern, back, square)
    if format in ("mathml", "html"):   # the alt text: plain text, as character references
        restored = re.sub(SQUARE["text"][0], lambda m: "".join(
            f"&#{ord(c)};" for c in SQUARE["text"][1](m)), restored)
    assert restored == default


def test_layer_brackets_are_round_or_square():
    with pytest.raises(InputError, match="layer_brackets: expected round or square"):
        symann.RenderSettings(layer_brackets="none")


# --- --sum sigma ----------------------------------------------------------------------

SIGMA = {"text": "Σₖ₌₁", "latex": r"\sum_{k=1}^{", "markdown": r"\sum_{k=1}^{",
         "mathml": "<munderover><mo>&#x2211;</mo>", "html": "<munderover><mo>&#x2211;</mo>"}


@pytest.mark.parametrize("format", list(SIGMA))
@pytest.mark.parametrize("name", ["negative", "12-inputs", "5-5-5-5"])
def test_sigma_writes_each_weighted_sum_and_keeps_the_substituted_line(format, name):
    network = NETWORKS[name]
    default = render(network, format, width=0)
    summed = render(network, format, width=0, sum="sigma")
    neurons = sum(layer.size for layer in network.layers)
    assert summed.count(SIGMA[format]) == neurons
    assert len(summed) < len(default)
    if format == "latex":   # the symbolic member alone changed: the rest of each line is kept
        for before, after in zip(default.splitlines(), summed.splitlines()):
            if before != after:
                assert re.sub(r"&= .*? = ", "", before, count=1) == \
                    re.sub(r"&= .*? = ", "", after, count=1)


def test_sigma_names_the_input_index_and_the_fan_in():
    latex = NEGATIVE.forward().render("latex", sum="sigma", width=0)
    assert r"z^{(1)}_1 &= \sum_{k=1}^{3} w^{(1)}_{1k} x_k + b^{(1)}_1 = " in latex
    assert r"z^{(2)}_1 &= \sum_{k=1}^{2} w^{(2)}_{1k} a^{(1)}_k + b^{(2)}_1 \approx" not in latex
    assert r"z^{(2)}_1 &= \sum_{k=1}^{2} w^{(2)}_{1k} a^{(1)}_k + b^{(2)}_1 = " in latex
    text = INPUTS_12.forward().render("text", sum="sigma", width=0)
    assert "z⁽¹⁾₁ = Σₖ₌₁¹² w⁽¹⁾₁ₖ·xₖ + b⁽¹⁾₁ = " in text
    assert "⋯" in text   # the substituted line is still elided (--terms 8)
    single = symann.Network([symann.Dense([["0.5", "-1"]], ["0.25"], "relu")], inputs=[1, 2])
    assert r"z &= \sum_{k=1}^{2} x_k \cdot w_k + b = " in single.forward().render("latex", sum="sigma")


def test_sigma_leaves_a_single_input_alone():
    two = symann.load(EXAMPLES / "two-neurons.toml").forward()
    assert two.render("latex", sum="sigma") == two.render("latex")


# --- --activation-name ----------------------------------------------------------------

def test_headings_name_each_activation_by_its_registry_entry():
    text = HEADED.forward().render("text")
    for heading in ("Layer 1 (leaky ReLU (slope 0.1))", "Layer 2 (ReLU)", "Layer 3 (sigmoid)",
                    "Layer 4, output (softmax)"):
        assert heading in text


HOSTILE = r"<b>&$\x_%{}^~#"


#: the formats with headings (MathML and JSON have none)
HEADED_FORMATS = ("text", "latex", "markdown", "html")


@pytest.mark.parametrize("format", HEADED_FORMATS)
def test_a_display_name_replaces_the_registry_name_in_headings(format):
    names = {"relu": "rectifier", "leaky_relu": "leaky rectifier", "sigmoid": "logistic"}
    text = render(HEADED, format, activation_names=names)
    assert "leaky rectifier (slope 0.1)" in text
    for shown in ("rectifier", "logistic"):
        assert shown in text
    assert "(ReLU)" not in text and "(sigmoid)" not in text
    assert "(softmax)" in text


@pytest.mark.parametrize("format", HEADED_FORMATS)
def test_a_hostile_display_name_is_escaped(format):
    text = render(HEADED, format, activation_names={"relu": HOSTILE})
    if format in ("html", "markdown"):
        assert "<b>" not in text and "&lt;b&gt;" in text
    if format == "latex":
        assert r"\textless{}b\textgreater{}\&\$\textbackslash{}x\_\%\{\}" in text
    if format == "text":
        assert f"Layer 2 ({HOSTILE})" in text


@pytest.mark.parametrize("names, says", [
    ({"relux": "x"}, "expected an activation's name"), ({"max": "x"}, "expected an activation"),
    ({"relu": ""}, "printable ASCII"), ({"relu": "a\nb"}, "printable ASCII"),
    ({"relu": "θ"}, "printable ASCII"), ({"relu": "x" * 41}, "1 to 40")])
def test_a_bad_display_name_is_refused(names, says):
    with pytest.raises(InputError, match="activation_names") as caught:
        symann.RenderSettings(activation_names=names)
    assert says in str(caught.value)


def test_cli_options_reach_every_setting(capsys):
    assert main(["solve", str(EXAMPLES / "relu-softmax.json"), "--format", "latex",
                 "--symbol", "w=theta", "--symbol", "x=u", "--layer-brackets", "square",
                 "--sum", "sigma", "--activation-name", "relu=rectifier"]) == 0
    out = capsys.readouterr().out
    assert r"z^{[1]}_1 &= \sum_{k=1}^{3} \theta^{[1]}_{1k} u_k + b^{[1]}_1 = " in out
    assert r"\subsection*{Layer 1 (rectifier)}" in out
    assert main(["solve", str(EXAMPLES / "relu-softmax.json"), "--activation-name",
                 "relu=a", "--activation-name", "relu=b"]) == 2
    assert "relu is given twice" in capsys.readouterr().err


# --- fractions ------------------------------------------------------------------------

def _groups(latex: str, opening: str) -> list[str]:
    """The contents of each ``opening{...}`` group (braces balanced)."""
    found = []
    for match in re.finditer(re.escape(opening) + r"\{", latex):
        depth, at = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(latex[at], 0)
            at += 1
        found.append(latex[match.end():at - 1])
    return found


def _plain_brackets(latex: str) -> list[str]:
    """The contents of each plain ``(...)`` (not ``\\left(``, ``\\Bigl(``)."""
    found, stack = [], []
    for at, char in enumerate(latex):
        if char == "(":
            plain = not re.search(r"\\(left|Bigl)$", latex[:at])
            stack.append((at, plain))
        elif char == ")" and stack:
            start, plain = stack.pop()
            if plain:
                found.append(latex[start + 1:at])
    return found


FRACTION_CASES = [(name, notation) for name in ("negative", "mixed", "headed", "5-5-5-5",
                                                 "relu-softmax")
                  for notation in ("layered", "matrix")]


def worked(name: str) -> symann.Derivation:
    """The forward pass, and for the small networks the backward pass and an update too."""
    network = NETWORKS[name]
    if name in ("negative", "mixed"):
        return network.backward(targets=["0.25"] * network.n_outputs, learning_rate="0.5",
                                loss="squared_error")
    return network.forward()


@pytest.mark.parametrize("name, notation", FRACTION_CASES)
def test_fractions_are_bracketed_by_sized_brackets_and_never_in_an_exponent(name, notation):
    latex = worked(name).render("latex", numbers="fraction", notation=notation, terms=0)
    assert r"\frac" in latex
    exponents = _groups(latex, "e^")
    assert exponents and not [e for e in exponents if r"\frac" in e]
    assert not [inside for inside in _plain_brackets(latex) if r"\frac" in inside]


@pytest.mark.parametrize("name, notation", FRACTION_CASES)
def test_the_text_and_mathml_exponents_write_fractions_inline(name, notation):
    derivation = worked(name)
    text = derivation.render("text", numbers="fraction", notation=notation, terms=0)
    assert not re.search(r"e\^\([^)]* / ", text)
    mathml = derivation.render("mathml", numbers="fraction", notation=notation, terms=0)
    exponents = re.findall(r"<msup><mi>e</mi><mrow>(.*?)</mrow></msup>", mathml)
    assert exponents and not [e for e in exponents if "<mfrac" in e]


def _cells(latex: str) -> list[list[str]]:
    """The cells of each ``bmatrix`` whose cells are plain numbers."""
    number = re.compile(r"-?(\d+(\.\d+)?|\\frac\{\d+\}\{\d+\})")
    found = []
    for body in re.findall(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", latex):
        cells = [c.strip() for row in re.split(r"\\\\(?:\[4pt\])?", body) for c in row.split("&")]
        if all(number.fullmatch(c) for c in cells):
            found.append(cells)
    return found


@pytest.mark.parametrize("name", ["mixed", "negative", "headed", "5-5-5-5", "relu-softmax"])
def test_no_vector_or_matrix_mixes_fractions_and_decimals(name):
    latex = worked(name).render("latex", numbers="fraction", notation="matrix", terms=0)
    matrices = _cells(latex)
    assert any(r"\frac" in c for m in matrices for c in m)
    mixed = [m for m in matrices if any(r"\frac" in c for c in m)
             and any("." in c for c in m)]
    assert not mixed


def test_rows_of_fractions_in_a_matrix_are_apart():
    latex = RELU_SOFTMAX.forward().render("latex", numbers="fraction", notation="matrix")
    assert r"\frac{1}{5} & -\frac{1}{2} & \frac{1}{10} \\[4pt] \frac{2}{5}" in latex
    assert r"\begin{bmatrix} 0.6486 \\ 0.3514 \end{bmatrix}" in latex


#: name -> (network, settings): every one must set with no overfull box and render in KaTeX
TYPESET = {
    "relu-softmax-matrix-fraction": (RELU_SOFTMAX, {"notation": "matrix", "numbers": "fraction"}),
    "negative-fraction-sigma-theta": (NEGATIVE, {"numbers": "fraction", "sum": "sigma",
                                                 "symbols": {"w": "theta", "x": "xi"}}),
    "negative-matrix-square": (NEGATIVE, {"notation": "matrix", "numbers": "fraction",
                                          "layer_brackets": "square", "symbols": {"W": "Theta"}}),
    "5-5-5-5-fraction": (FIVES, {"numbers": "fraction", "sum": "sigma",
                                 "layer_brackets": "square"}),
    "5-5-5-5-matrix-fraction": (FIVES, {"notation": "matrix", "numbers": "fraction"}),
    "12-inputs-fraction-sigma": (INPUTS_12, {"numbers": "fraction", "sum": "sigma",
                                             "symbols": {"w": "omega"}}),
    "12-inputs-matrix-fraction": (INPUTS_12, {"notation": "matrix", "numbers": "fraction"}),
    "mixed-matrix-fraction": (MIXED, {"notation": "matrix", "numbers": "fraction"}),
    "headed-names": (HEADED, {"numbers": "fraction", "activation_names": {"relu": HOSTILE}}),
}


@pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
@pytest.mark.parametrize("name", list(TYPESET))
def test_pdflatex_sets_the_notation_with_no_overfull_box(tmp_path, name):
    network, settings = TYPESET[name]
    source = network.forward().render("latex", standalone=True, **settings)
    result = compile_latex(source, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, log[-2000:]
    assert not re.search(r"^! ", log, re.M), log[-2000:]
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)


@pytest.mark.skipif(not (NODE and KATEX.exists()),
                    reason="node or KaTeX is missing (npm ci --prefix tests/js)")
def test_katex_renders_the_notation_strictly():
    strings = [block for network, settings in TYPESET.values()
               for block in markdown_blocks(network.forward().render("markdown", **settings))]
    errors = katex_errors(strings)
    assert len(strings) > 10 and not errors, errors[:3]
