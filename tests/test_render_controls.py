"""The author's controls of ``symann solve``: numbered lines and their labels, the members
of each line shown, the steps shown, and the labels of inputs and outputs; in every
format, forward and backward, checked by the real tools (pdflatex resolves a ``\\ref``,
KaTeX renders each ``\\tag``, Chromium finds each anchor)."""
from __future__ import annotations

import json
import random
import re
import subprocess
from functools import cache
from itertools import pairwise

import pytest
from katex import katex_errors
from test_browser_alignment import misaligned, relation_columns
from test_render_wide import chromium, page_view
from test_tools import CHROMIUM, KATEX, NODE, PDFLATEX, PDFTOTEXT, compile_latex

import symann
from symann.cli import main
from symann.errors import InputError
from symann.render.breaking import latex_width
from symann.render.document import NUMBER_WIDTH
from symann.render.latex import STANDALONE, LatexWriter
from symann.writing import dumps

from conftest import EXAMPLES
from helpers import random_network

#: the maths formats: every format but JSON, which is data
LAID_OUT = ("text", "latex", "markdown", "html", "mathml")
#: labels a file may hold: LaTeX, Markdown and HTML specials
INPUT_LABELS = ["hours", "sleep_{deficit} & 50%", "\\textbf{x}", "~^#$", "<b>bold</b>"]
OUTPUT_LABELS = ["pass", "fail", "<i>maybe</i>", "$\\alpha$", "#5 & 10%"]


def wide_network(sizes: tuple[int, ...] = (5, 5, 5, 5)) -> symann.Network:
    """A network of ``sizes`` (inputs first), weights of both signs, negative inputs, the
    labels above, targets and a learning rate: every step of a backward pass."""
    inputs = [f"{(-1) ** k * (0.5 + 0.25 * k)}" for k in range(sizes[0])]
    layers = []
    for l, (fan_in, size) in enumerate(pairwise(sizes), 1):
        weights = [[f"{(-1) ** (j + k + l) * (0.05 * ((j * 3 + k * 7 + l) % 9) + 0.05):.2f}"
                    for k in range(fan_in)] for j in range(size)]
        biases = [f"{(-1) ** j * 0.1 * l:.2f}" for j in range(size)]
        activation = ("tanh", "relu", "sigmoid")[(l - 1) % 3] if l < len(sizes) - 1 \
            else "sigmoid"
        layers.append(symann.Dense(weights, biases, activation))
    return symann.Network(layers, inputs=inputs, title="Wide & <negative>",
                          input_labels=INPUT_LABELS[:sizes[0]],
                          output_labels=OUTPUT_LABELS[:sizes[-1]],
                          targets=[1 if j % 2 else 0 for j in range(sizes[-1])],
                          loss="squared_error", learning_rate="0.5")


@cache
def forward() -> symann.Derivation:
    return wide_network().forward()


@cache
def backward() -> symann.Derivation:
    return wide_network().backward()


_DATA: dict[int, tuple[symann.Derivation, dict]] = {}


def data_of(derivation: symann.Derivation) -> dict:
    """``derivation.to_dict()``, made once (the exact closed forms take seconds)."""
    if id(derivation) not in _DATA:
        _DATA[id(derivation)] = (derivation, derivation.to_dict())
    return _DATA[id(derivation)][1]


def every_step(derivation: symann.Derivation) -> list[str]:
    """The ids of the steps, in the order a solution shows them (forward, then backward
    as its sections go: the loss, each layer from the output back, the update)."""
    return [step["id"] for step in data_of(derivation)["steps"]]


def shown_order(derivation: symann.Derivation) -> list[str]:
    """The step ids in the order of the text output (its lines start with the step's
    name, in the order of the document): read from the JSON, matched by name."""
    data = data_of(derivation)
    names = {step["symbolic"].split(" = ")[0]: step["id"] for step in data["steps"]}
    found = []
    for line in derivation.to_text().splitlines():
        name = line.strip().split(" = ")[0].split(" ≈ ")[0]
        if line.startswith("  ") and name in names:
            found.append(names[name])
    return found


# --- numbered lines -----------------------------------------------------------------------
@pytest.mark.parametrize("make", [forward, backward], ids=["forward", "backward"])
def test_text_numbers_every_step_in_order(make):
    derivation = make()
    text = derivation.render("text", numbered=True)
    numbers = [int(n) for n in re.findall(r"   \((\d+)\)$", text, re.M)]
    assert numbers == list(range(1, len(derivation.steps) + 1))
    assert len(numbers) == len(every_step(derivation))
    assert "(1)" not in derivation.render("text")


@pytest.mark.parametrize("make", [forward, backward], ids=["forward", "backward"])
def test_latex_labels_each_step_once_and_numbers_no_continuation_row(make):
    derivation = make()
    latex = derivation.render("latex", numbered=True, label_prefix="ex-3:nn")
    assert "align*" not in latex
    labels = re.findall(r"\\label\{ex-3:nn:([^}]*)\}", latex)
    assert labels == shown_order(derivation)
    assert sorted(labels) == sorted(every_step(derivation))
    broken = 0
    for body in re.findall(r"\\begin\{align\}\n(.*?)\n\\end\{align\}", latex, re.S):
        for row in body.split(" \\\\\n"):
            # each row is either a line's first row (its label) or a continuation (\notag)
            assert (row.count(r"\label") + row.count(r"\notag")) == 1, row
            broken += row.endswith(r"\notag")
    assert broken > 10   # the wide sums do break, and their rows carry no number


def test_numbers_leave_room_on_the_line():
    """A numbered line is broken to the width less the number's room: no row is wider."""
    def widths(latex: str) -> list[float]:
        rows = re.findall(r"^(.*?)(?: \\label\{[^}]*\}| \\notag)?(?: \\\\)?$", latex, re.M)
        return [latex_width(row) for row in rows if "&" in row and "$" not in row]

    derivation = forward()
    assert max(widths(derivation.render("latex"))) > LatexWriter.line_width - NUMBER_WIDTH
    assert max(widths(derivation.render("latex", numbered=True))) <= \
        LatexWriter.line_width - NUMBER_WIDTH


@pytest.mark.parametrize("make", [forward, backward], ids=["forward", "backward"])
def test_markdown_tags_each_step_in_order(make):
    derivation = make()
    markdown = derivation.render("markdown", numbered=True)
    tags = [int(n) for n in re.findall(r"\\tag\{(\d+)\}", markdown)]
    assert tags == list(range(1, len(derivation.steps) + 1))
    assert markdown.count(r"\begin{align*}") == markdown.count("$$") // 2


@pytest.mark.parametrize("name", ["html", "mathml"])
@pytest.mark.parametrize("make", [forward, backward], ids=["forward", "backward"])
def test_html_and_mathml_anchor_and_number_each_step(make, name):
    derivation = make()
    markup = derivation.render(name, numbered=True)
    anchors = re.findall(r'<mtr id="symann:([^"]*)"', markup)
    assert anchors == shown_order(derivation)
    numbers = [int(n) for n in re.findall(r"<mtext>\((\d+)\)</mtext>", markup)]
    assert numbers == list(range(1, len(anchors) + 1))
    assert 'id="' not in derivation.render(name)


def test_matrix_lines_are_numbered_and_labelled_by_layer():
    latex = backward().render("latex", notation="matrix", numbered=True)
    labels = re.findall(r"\\label\{symann:([^}]*)\}", latex)
    assert labels[:4] == ["m1_1", "m1_2", "m1_3", "m1_4"]
    assert "mb3_1" in labels and "mu_1" in labels and "L" in labels
    assert len(labels) == len(set(labels))


def test_json_is_data_whatever_the_controls():
    derivation = wide_network((3, 4, 2)).backward()
    plain = derivation.render("json")
    for options in ({"numbered": True}, {"show": "result"}, {"steps": "z1_1"}):
        assert derivation.render("json", **options) == plain


@pytest.mark.parametrize("prefix", ["", "a b", "x}y", "sec\\ref", "é", "x" * 65])
def test_a_label_prefix_that_is_not_a_label_is_refused(prefix):
    with pytest.raises(InputError) as raised:
        symann.RenderSettings(label_prefix=prefix)
    assert raised.value.field == "label_prefix" and "letters, digits" in str(raised.value)


def test_cli_names_the_option_of_a_bad_control(tmp_path, capsys):
    path = tmp_path / "net.json"
    path.write_text(dumps(wide_network(), "json"), encoding="utf-8")
    for options, option in ((["--label-prefix", "a}b"], "--label-prefix"),
                            (["--show", "symbolic,values"], "--show"),
                            (["--steps", "z1_1,z9_9"], "--steps")):
        assert main(["solve", str(path), "--numbered", *options]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {option}: ") and err.count("\n") == 1, err


# --- the members shown ----------------------------------------------------------------------
def step_lines(text: str) -> list[str]:
    """The lines of steps of a text solution (indented, not a given or a note)."""
    return [line.strip() for line in text.splitlines()
            if line.startswith("  ") and not line.startswith(("  given:", "    ("))]


@pytest.mark.parametrize("make", [forward, backward], ids=["forward", "backward"])
def test_text_shows_the_chosen_members_of_each_line(make):
    """The oracle is the JSON: each step's ``symbolic`` (``name = formula``) and ``shown``."""
    derivation = make()
    steps = {step["id"]: step for step in data_of(derivation)["steps"]}
    order = shown_order(derivation)
    symbolic = step_lines(derivation.render("text", show="symbolic"))
    assert symbolic == [f"{steps[i]['symbolic']} = ?" for i in order]
    result = step_lines(derivation.render("text", show=["result"]))
    assert result == [f"{steps[i]['symbolic'].split(' = ')[0]} {steps[i]['relation']} "
                      f"{steps[i]['shown']}" for i in order]
    substituted = step_lines(derivation.render("text", show="substituted,result"))
    full = step_lines(derivation.render("text"))
    for line, whole, i in zip(substituted, full, order):
        formula = steps[i]["symbolic"].partition(" = ")[2]
        assert line == whole.replace(f" = {formula} ", " ", 1) if formula else line == whole
        assert line.endswith(f"{steps[i]['relation']} {steps[i]['shown']}")


@pytest.mark.parametrize("activations", [["identity", "step", "softmax"],
                                         ["relu", "leaky_relu", "softmax"],
                                         ["silu", "sigmoid"], ["tanh", "softplus", "relu"]])
def test_every_activation_shows_its_symbolic_form_alone(activations):
    """Random networks of every activation (and a backward pass of each): the line of each
    step with ``show=symbolic`` is the JSON's symbolic form, then ``= ?``."""
    network = random_network(random.Random(len(activations)), activations, n_inputs=2,
                             width=(2, 3))
    for derivation in (network.forward(), network.backward(
            targets=[1] + [0] * (network.n_outputs - 1),
            loss="cross_entropy" if activations[-1] == "softmax" else "squared_error",
            learning_rate="0.1")):
        steps = {step["id"]: step for step in data_of(derivation)["steps"]}
        lines = step_lines(derivation.render("text", show="symbolic"))
        assert lines == [f"{asked(steps[i])} = ?" for i in shown_order(derivation)]


def asked(step: dict) -> str:
    """What a step's line asks with its result hidden: its symbolic form, or its name alone
    where the symbolic form is the result itself (``identity'(z) = 1``)."""
    name, _, formula = step["symbolic"].partition(" = ")
    return name if formula == step["shown"] else step["symbolic"]


@pytest.mark.parametrize("name", LAID_OUT)
@pytest.mark.parametrize("make", [forward, backward], ids=["forward", "backward"])
def test_an_exercise_sheet_shows_no_result_in_any_format(make, name):
    """Without the result every step's line and every output ends ``= ?``, and no value of
    a step is written (only the given numbers are)."""
    derivation = make()
    sheet = derivation.render(name, show="symbolic", notation="layered")
    asked = len(derivation.steps) + len(derivation.outputs)
    marks = {"text": "= ?", "latex": "= ?", "markdown": "= ?",
             "html": "<mo>=</mo><mrow><mn>?</mn>", "mathml": "<mo>=</mo><mrow><mn>?</mn>"}
    assert sheet.count(marks[name]) == asked
    given = {str(abs(x)) for x in derivation.network.inputs} | {
        f"{abs(float(w)):g}" for layer in derivation.network.layers for row in layer.weights
        for w in row} | {f"{abs(float(b)):g}" for layer in derivation.network.layers
                         for b in layer.biases}
    rounded = {step.shown.text.lstrip("-") for step in derivation.steps
               if step.relation == "≈"} - given
    assert rounded and not [value for value in rounded if value in sheet]
    assert "≈" not in sheet.replace("≈ marks a rounded value", "")


@pytest.mark.parametrize("name", LAID_OUT)
def test_hiding_the_symbolic_form_keeps_the_substituted_in_every_format(name):
    derivation = forward()
    full = derivation.render(name, terms=0, width=0)
    worked = derivation.render(name, show="substituted,result", terms=0, width=0)
    symbol = {"text": "w⁽¹⁾₁₁·x₁", "latex": "w^{(1)}_{11} x_1", "markdown": "w^{(1)}_{11} x_1",
              "html": "<mi>x</mi><mn>1</mn></msub><mo>+</mo>",
              "mathml": "<mi>x</mi><mn>1</mn></msub><mo>+</mo>"}[name]
    assert symbol in full and symbol not in worked
    value = derivation.steps[0].shown.text
    assert value in worked


def test_matrix_form_shows_the_chosen_members():
    derivation = backward()
    text = derivation.render("text", notation="matrix", show="result")
    assert "W⁽²⁾·a⁽¹⁾ + b⁽²⁾ ≈" not in text and "z⁽²⁾ ≈ [" in text
    assert "a⁽²⁾ = max(0, W⁽²⁾·a⁽¹⁾ + b⁽²⁾)" in text   # a definition is kept whole
    sheet = derivation.render("text", notation="matrix", show="symbolic")
    assert "z⁽²⁾ = W⁽²⁾·a⁽¹⁾ + b⁽²⁾ = ?" in sheet and "≈ [" not in sheet


# --- the steps shown ---------------------------------------------------------------------
@pytest.mark.parametrize("name", LAID_OUT)
def test_only_the_chosen_steps_and_their_layers_are_shown(name):
    derivation = backward()
    chosen = ["z1_2", "a3_4", "d2_1", "gw1_5_3"]
    solution = derivation.render(name, steps=chosen, numbered=True, notation="layered")
    text = derivation.render("text", steps=chosen, numbered=True, notation="layered")
    assert [line.split(" = ")[0] for line in step_lines(text)] == \
        ["z⁽¹⁾₂", "a⁽³⁾₄", "δ⁽²⁾₁", "∂L/∂w⁽¹⁾₅₃"]
    headings = {"text": "{}", "latex": r"\subsection*{{{}}}", "markdown": "## {}",
                "html": "<h2>{}</h2>", "mathml": "{}"}[name]
    if name != "mathml":   # maths only: no headings
        assert solution.count(headings.format("Layer 1 (tanh)")) == 2   # forward, backward
        assert headings.format("Layer 2 (relu)") not in solution.replace("ReLU", "relu") \
            .replace(headings.format("Layer 2 (relu)"), "", 1)
        assert "Loss" not in solution and "Gradient-descent" not in solution
        assert solution.count("Output") == 1   # a3_4, the one output chosen
        assert "alpha" in solution and "maybe" not in solution
    count = {"text": r"   \(\d+\)$", "latex": r"\\label\{", "markdown": r"\\tag\{",
             "html": r'<mtr id="', "mathml": r'<mtr id="'}[name]
    assert len(re.findall(count, solution, re.M)) == len(chosen)


def test_given_parameters_stay_for_the_layers_shown():
    derivation = forward()
    latex = derivation.render("latex", steps="a2_1")
    assert latex.count("Given:") == 1 and "w^{(2)}_{11} = " in latex
    assert "w^{(1)}_{11} = " not in latex
    html = derivation.render("html", steps="a2_1")
    assert "<caption>Layer 2: relu</caption>" in html.replace("ReLU", "relu")
    assert "<caption>Layer 1" not in html and "<caption>Inputs</caption>" in html
    assert "hours" in html   # the inputs and their labels stay


def test_choosing_an_output_shows_it_with_its_label():
    text = forward().render("text", steps="a3_2,a3_5")
    assert re.search(r"^Output: a⁽³⁾₂ ≈ \S+ \(fail\), a⁽³⁾₅ ≈ \S+ \(#5 & 10%\)$", text, re.M)


def test_a_step_of_a_matrix_layer_shows_the_layer():
    derivation = backward()
    text = derivation.render("text", notation="matrix", steps="z2_3,gb3_1", numbered=True)
    assert "Layer 2 (ReLU)" in text and "Layer 1 (tanh)" not in text
    assert "∂L/∂b⁽³⁾ = δ⁽³⁾" in text and "Loss" not in text
    assert "z⁽²⁾ = W⁽²⁾·a⁽¹⁾ + b⁽²⁾" in text


def test_an_unknown_step_is_refused_with_a_short_summary():
    derivation = backward()
    with pytest.raises(InputError) as raised:
        derivation.render("latex", steps="z1_1,z7_1")
    message = str(raised.value)
    assert raised.value.field == "steps" and "'z7_1'" in message
    assert "z1_1 … z3_5 (15)" in message and "gw3_1_1 … gw1_5_5 (75)" in message
    assert len(message) < 400   # 255 steps, summarised
    with pytest.raises(InputError, match="need a backward derivation"):
        forward().render("text", steps="d3_1")


def test_check_and_solve_take_the_same_ids(tmp_path, capsys):
    path = tmp_path / "net.toml"
    path.write_text(dumps(wide_network()), encoding="utf-8")
    assert main(["solve", str(path), "--backward", "--steps", "L,gw2_3_4,ub1_2"]) == 0
    out = capsys.readouterr().out
    assert [line.split(" = ")[0] for line in step_lines(out)] == ["L", "∂L/∂w⁽²⁾₃₄", "b'⁽¹⁾₂"]


# --- the labels of inputs and outputs ---------------------------------------------------------
def test_labels_follow_their_values_in_every_format():
    derivation = forward()
    outputs = derivation.outputs
    text = derivation.render("text")
    assert "x₁ = 0.5 (hours), x₂ = -0.75 (sleep_{deficit} & 50%)" in text
    assert f"a⁽³⁾₁ ≈ {outputs[0].shown.text} (pass)" in text
    latex = derivation.render("latex")
    assert r"$x_2 = -0.75$ (sleep\_\allowbreak{}\{deficit\} \& 50\%)" in latex
    assert r"(\textbackslash{}textbf\{x\})" in latex and r"(\$\textbackslash{}alpha\$)" in latex
    markdown = derivation.render("markdown")
    assert r"$x_5 = 1.5$ (&lt;b&gt;bold&lt;/b&gt;)" in markdown
    assert r"(\#5 &amp; 10%)" in markdown or r"(#5 &amp; 10%)" in markdown
    for name in ("html", "mathml"):
        markup = derivation.render(name)
        assert "<mtext>(&lt;i&gt;maybe&lt;/i&gt;)</mtext>" in markup and "<i>" not in markup
    data = derivation.to_dict()
    assert data["input_labels"] == INPUT_LABELS and data["output_labels"] == OUTPUT_LABELS
    assert "input_labels" not in symann.load(EXAMPLES / "two-neurons.toml").forward().to_dict()


@pytest.mark.skipif(not (PDFLATEX and PDFTOTEXT), reason="pdflatex or pdftotext is missing")
def test_pdf_shows_the_labels_literally(tmp_path):
    result = compile_latex(forward().render("latex", standalone=True), tmp_path)
    assert result.returncode == 0, (tmp_path / "doc.log").read_text(errors="replace")[-2000:]
    text = subprocess.run([PDFTOTEXT, "doc.pdf", "-"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60).stdout
    text = " ".join(text.split())
    for label in ["(sleep_{deficit} & 50%)", "(\\textbf{x})", "(~^#$)", "(<b>bold</b>)",
                  "($\\alpha$)", "(#5 & 10%)"]:
        assert label in text, label


# --- the real tools ---------------------------------------------------------------------------
WRAPPER = r"""%s
\section{Solution}
\input{solution}
\section{Discussion}
The output is \eqref{ex:a3_2}; its error term is (\ref{ex:d3_2}).
\end{document}
"""


@pytest.mark.skipif(not (PDFLATEX and PDFTOTEXT), reason="pdflatex or pdftotext is missing")
@pytest.mark.parametrize("notation", ["layered", "matrix"])
def test_pdflatex_sets_numbered_lines_and_resolves_a_reference(tmp_path, notation):
    derivation = backward()
    standalone = derivation.render("latex", standalone=True, numbered=True, notation=notation)
    result = compile_latex(standalone, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0 and "Overfull \\hbox" not in log, log[-3000:]
    # a fragment \input into the author's document, whose text \ref's two of its lines
    fragment = derivation.render("latex", numbered=True, label_prefix="ex", notation=notation,
                                 heading="subsection")
    (tmp_path / "solution.tex").write_text(fragment, encoding="utf-8")
    head = STANDALONE.split("%s")[0]
    source = WRAPPER % head.rstrip()
    if notation == "matrix":
        source = source.replace("ex:a3_2", "ex:m3_3").replace("ex:d3_2", "ex:mb3_2")
    for _ in range(2):   # the second run reads the labels the first wrote
        result = compile_latex(source, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, log[-3000:]
    assert "undefined" not in log and "Overfull \\hbox" not in log, log[-3000:]
    text = subprocess.run([PDFTOTEXT, "doc.pdf", "-"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60).stdout
    found = re.search(r"The output is \((\d+)\); its error term is \((\d+)\)", " ".join(
        text.split()))
    assert found, text[-500:]
    lines = re.findall(r"\\label\{ex:([^}]*)\}", fragment)
    wanted = ("m3_3", "mb3_2") if notation == "matrix" else ("a3_2", "d3_2")
    assert [int(n) for n in found.groups()] == [lines.index(w) + 1 for w in wanted]


@pytest.mark.skipif(not (NODE and KATEX.exists()), reason="node or KaTeX is missing")
def test_katex_renders_each_numbered_block_strictly():
    strings = []
    for derivation in (forward(), backward()):
        for notation in ("layered", "matrix"):
            markdown = derivation.render("markdown", numbered=True, notation=notation)
            strings += re.findall(r"\$\$\n(.*?)\n\$\$", markdown, re.S)
    strings += re.findall(r"\$\$\n(.*?)\n\$\$", backward().render(
        "markdown", numbered=True, show="symbolic", steps="z1_1,L,gw1_1_1"), re.S)
    assert sum(s.count(r"\tag{") for s in strings) > 300
    errors = katex_errors(strings)
    assert not errors, errors[:3]


ANCHORS = """<script>
addEventListener("load", () => {
  const rows = [...document.querySelectorAll("mtr[id]")].map((row) => {
    const cells = row.children;
    const number = cells[2] ? cells[2].getBoundingClientRect() : null;
    const value = cells[1].getBoundingClientRect();
    return {id: row.id, found: document.getElementById(row.id) === row,
            number: cells[2] ? cells[2].textContent.trim() : "",
            width: number ? number.width : 0,
            after: number ? number.left - value.right : -1};
  });
  const pre = document.createElement("pre");
  pre.id = "anchors";
  pre.textContent = JSON.stringify(rows);
  document.body.appendChild(pre);
});
</script>"""


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
def test_chromium_finds_each_anchor_and_shows_its_number(tmp_path):
    derivation = backward()
    html = derivation.render("html", numbered=True)
    page = tmp_path / "page.html"
    page.write_text(html.replace("</body>", ANCHORS + "</body>"), encoding="utf-8")
    dom = chromium("--window-size=1200,1600", "--virtual-time-budget=5000", "--dump-dom",
                   page.as_uri())
    found = re.search(r'<pre id="anchors">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    rows = json.loads(found.group(1).replace("&quot;", '"'))
    assert [row["id"] for row in rows] == [f"symann:{i}" for i in shown_order(derivation)]
    assert all(row["found"] for row in rows)
    assert [row["number"] for row in rows] == [f"({n})" for n in range(1, len(rows) + 1)]
    assert all(row["width"] > 10 and row["after"] >= 0 for row in rows), rows[:3]
    # the numbers' column does not disturb the alignment of the relation signs
    assert not misaligned(relation_columns(html, tmp_path))


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
@pytest.mark.parametrize("width", [400, 1200])
def test_a_numbered_page_fits_a_phone(tmp_path, width):
    """The numbers take room: the lines break narrower, and every value stays in view."""
    view = page_view(tmp_path, backward().render("html", numbered=True), width)
    assert view["width"] == width and view["scroll"] <= width, view
    assert view["values"] > 1000 and view["outside"] == [], view


def test_json_has_every_step_but_refuses_an_unknown_one():
    """JSON is data: --steps leaves it whole, but an id it has no step of is an error."""
    derivation = symann.load(EXAMPLES / "two-neurons.toml").forward()
    whole = json.loads(derivation.render("json"))
    assert json.loads(derivation.render("json", steps="z1_1")) == whole
    with pytest.raises(InputError, match="no step 'q9'"):
        derivation.render("json", steps="q9")
