"""Wide networks laid out to fit (issue 11): sums elided above ``terms``, long lines broken
to a width, matrices of any width; checked by the real tools: pdflatex (no overfull box),
headless Chromium at 400 and 1 200 px (no horizontal overflow, every value in view, every
value printed) and KaTeX (one aligned block per layer)."""
from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import tempfile
from itertools import pairwise

import pytest
from katex import katex_errors
from test_tools import CHROMIUM, CHROMIUM_FLAGS, KATEX, NODE, PDFLATEX, PDFTOTEXT, compile_latex

import symann
from symann.cli import main

from conftest import EXAMPLES


def wide(sizes: list[int], seed: int = 1) -> symann.Network:
    """A network of the given layer sizes, inputs first: ReLU, sigmoid, tanh hidden
    layers, a softmax output (sigmoid for one output), three-place weights."""
    rng = random.Random(seed)
    hidden = ("relu", "sigmoid", "tanh")
    layers = []
    for i, (fan_in, size) in enumerate(pairwise(sizes)):
        last = i == len(sizes) - 2
        activation = ("softmax" if size > 1 else "sigmoid") if last else hidden[i % 3]
        layers.append(symann.Dense(
            [[str(rng.randint(-999, 999) / 1000) for _ in range(fan_in)] for _ in range(size)],
            [str(rng.randint(-99, 99) / 100) for _ in range(size)], activation))
    return symann.Network(layers, inputs=[str(rng.randint(-99, 99) / 100)
                                          for _ in range(sizes[0])])


FIVES = wide([5, 5, 5, 5, 5])
NEURON_128 = wide([128, 1])
INPUTS_11 = wide([11, 3, 2])
#: name -> (network, render settings): every one must fit the page and the screen
WIDE = {
    "5-5-5-5": (FIVES, {}),
    "5-5-5-5-matrix": (FIVES, {"notation": "matrix"}),
    "128-input-neuron": (NEURON_128, {}),
    "128-input-neuron-every-term": (NEURON_128, {"terms": 0}),
    "11-input-matrix": (INPUTS_11, {"notation": "matrix"}),
    "11-input-matrix-every-column": (INPUTS_11, {"notation": "matrix", "terms": 0}),
    "relu-softmax": (symann.load(EXAMPLES / "relu-softmax.json"), {}),
}


def test_a_wide_sum_is_elided_in_every_format_and_the_result_is_whole():
    d = NEURON_128.forward()
    z = d.steps[0]
    text = d.to_text()
    assert "z = x₁ · w₁ + x₂ · w₂ + ⋯ + x₁₂₈ · w₁₂₈ + b = (0.13 × (-0.724)) + (0.7 × 0.166) + ⋯" in text
    assert f"≈ {z.shown.text}" in text
    latex = d.to_latex()
    assert r"z &= x_1 \cdot w_1 + x_2 \cdot w_2 + \cdots + x_{128} \cdot w_{128} + b \\" in latex
    assert latex.count(r"\cdots") == 2 and f"&\\approx {z.shown.text}" in latex
    assert d.to_mathml().count("<mo>&#x22EF;</mo>") == 2
    assert d.to_markdown().count(r"\cdots") == 2
    full = d.render("latex", terms=0)
    assert r"\cdots" not in full and r"x_{64} \cdot w_{64}" in full
    assert "⋯" not in d.to_json()                    # data: every term


def test_a_sum_of_at_most_terms_is_written_whole():
    d = wide([8, 1]).forward()                        # 8 weighted terms and the bias
    assert r"\cdots" not in d.to_latex() and r"\cdots" in d.render("latex", terms=7)
    assert r"\cdots" in wide([9, 1]).forward().to_latex()


def test_a_wide_matrix_is_elided_or_counts_its_columns():
    d = INPUTS_11.forward()
    elided = d.to_latex(notation="matrix")
    assert r"\cdots" in elided and r"\vdots" in elided and "MaxMatrixCols" not in elided
    full = d.render("latex", notation="matrix", terms=0)       # too wide: column blocks
    assert "columns 1--" in full and r"\cdots" not in full and "MaxMatrixCols" not in full
    unbroken = d.render("latex", notation="matrix", terms=0, width=0)
    assert r"\setcounter{MaxMatrixCols}{11}" in unbroken and "columns 1--" not in unbroken


def test_a_long_line_breaks_into_aligned_rows():
    latex = symann.load(EXAMPLES / "relu-softmax.json").forward().to_latex()
    assert ("z^{(1)}_1 &= w^{(1)}_{11} x_1 + w^{(1)}_{12} x_2 + w^{(1)}_{13} x_3 + b^{(1)}_1 \\\\\n"
            "&= (0.2 \\times 0.5) + ((-0.5) \\times (-1.2)) + (0.1 \\times 2) + 0.1 \\\\\n"
            "&= 1 \\\\\n") in latex
    full = FIVES.forward().render("latex", width=40)
    assert "\n&\\quad + " in full                     # a sum broken between its terms
    assert "&\\quad" not in FIVES.forward().render("latex", width=0)


def test_headings_for_a_fragment():
    d = symann.load(EXAMPLES / "two-neurons.toml").forward()
    sub = d.render("latex", heading="subsection")
    assert r"\subsection*{Two neurons in sequence}" in sub
    assert r"\subsubsection*{Neuron 1 (sigmoid)}" in sub
    none = d.render("latex", heading="none")
    assert r"\section" not in none and r"\textbf{Neuron 1 (sigmoid).} Given:" in none
    markdown = d.render("markdown", heading="subsection")
    assert "## Two neurons" in markdown and "### Neuron 1" in markdown
    with pytest.raises(symann.InputError, match="heading"):
        d.render("latex", heading="chapter")


def test_cli_options(tmp_path, capsys):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({"inputs": [0.5] * 12, "layers": [
        {"weights": [[0.1] * 12], "biases": [0.2]}]}))
    assert main(["solve", str(path), "--format", "latex", "--terms", "0", "--width", "0",
                 "--heading", "none"]) == 0
    out = capsys.readouterr().out
    assert r"\cdots" not in out and "&\\quad" not in out and r"\section" not in out
    assert main(["solve", str(path)]) == 0
    assert "⋯" in capsys.readouterr().out
    assert main(["solve", str(path), "--terms", "2"]) == 2


@pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
@pytest.mark.parametrize("name", list(WIDE))
def test_pdflatex_sets_a_wide_network_with_no_overfull_box(tmp_path, name):
    network, settings = WIDE[name]
    result = compile_latex(network.forward().render("latex", standalone=True, **settings),
                           tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, log[-2000:]
    assert not re.search(r"^! ", log, re.M), log[-2000:]
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)


#: posts, from inside the page, the document's width and every value (a number of the
#: maths or a cell of a table) that is not laid out inside the viewport
VIEW_PROBE = """<script>
addEventListener("load", () => {
  const width = innerWidth;
  const outside = [...document.querySelectorAll("math mn, td")].filter((node) => {
    const box = node.getBoundingClientRect();
    return box.width === 0 || box.left < -0.5 || box.right > width + 0.5;
  }).map((node) => node.textContent);
  parent.postMessage(JSON.stringify({ scroll: document.documentElement.scrollWidth, width,
                                      values: document.querySelectorAll("math mn").length,
                                      outside }), "*");
});
</script>"""
#: the page in a frame of the given width (a headless window is at least 500 px wide)
FRAME = """<!DOCTYPE html><html><body style="margin: 0">
<iframe src="{src}" style="width: {width}px; height: 900px; border: 0"></iframe>
<script>addEventListener("message", (event) => {{
  const pre = document.createElement("pre"); pre.id = "view"; pre.textContent = event.data;
  document.body.appendChild(pre); }});</script></body></html>"""


def chromium(*args: str) -> str:
    profile = tempfile.mkdtemp(prefix="symann-chromium-")
    try:
        return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)

def page_view(tmp_path, html: str, width: int, probe: str = VIEW_PROBE) -> dict:
    """What VIEW_PROBE measures of ``html`` shown in an iframe ``width`` px wide (headless
    Chromium's window is never narrower than 500 px): its width, scroll width, the values
    drawn and those outside the viewport."""
    (tmp_path / "page.html").write_text(html.replace("</body>", probe + "</body>"),
                                        encoding="utf-8")
    frame = tmp_path / "frame.html"
    frame.write_text(FRAME.format(src="page.html", width=width), encoding="utf-8")
    dom = chromium("--window-size=1300,1000", "--virtual-time-budget=5000", "--dump-dom",
                   frame.as_uri())
    found = re.search(r'<pre id="view">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


HTML_CASES = ["5-5-5-5", "5-5-5-5-matrix", "128-input-neuron", "11-input-matrix",
              "relu-softmax"]


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
@pytest.mark.parametrize("width", [400, 1200])
@pytest.mark.parametrize("name", HTML_CASES + ["two-neurons"])
def test_chromium_shows_every_value_within_the_viewport(tmp_path, name, width):
    if name == "two-neurons":
        html = symann.load(EXAMPLES / "two-neurons.toml").forward().to_html()
    else:
        network, settings = WIDE[name]
        html = network.forward().render("html", **settings)
    view = page_view(tmp_path, html, width)
    assert view["width"] == width
    assert view["scroll"] <= width, view
    assert view["values"] > 0 and view["outside"] == [], view


def shown_values(derivation: symann.Derivation) -> set[str]:
    """Every step's shown value, its sign dropped (the page writes a minus sign)."""
    return {step.shown.text.lstrip("-") for step in derivation.steps}


@pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="chromium or pdftotext is missing")
@pytest.mark.parametrize("name", HTML_CASES)
def test_the_printed_page_shows_every_value(tmp_path, name):
    network, settings = WIDE[name]
    derivation = network.forward()
    page = tmp_path / "page.html"
    page.write_text(derivation.render("html", **settings), encoding="utf-8")
    chromium("--no-pdf-header-footer", f"--print-to-pdf={tmp_path / 'page.pdf'}", page.as_uri())
    text = subprocess.run([PDFTOTEXT, "-layout", str(tmp_path / "page.pdf"), "-"],
                          capture_output=True, text=True, timeout=60).stdout
    words = set(re.findall(r"\d+(?:\.\d+)?", text))
    missing = shown_values(derivation) - words
    assert not missing, missing


def markdown_blocks(markdown: str) -> list[str]:
    return re.findall(r"\$\$\n(.*?)\n\$\$", markdown, re.S)


def test_markdown_has_one_aligned_block_per_layer():
    for network in (FIVES, NEURON_128, symann.load(EXAMPLES / "two-neurons.toml")):
        blocks = markdown_blocks(network.forward().to_markdown())
        assert len(blocks) == len(network.layers)
        assert all(b.startswith("\\begin{aligned}\n") and b.endswith("\n\\end{aligned}")
                   and "&=" in b for b in blocks)


@pytest.mark.skipif(not (NODE and KATEX.exists()),
                    reason="node or KaTeX is missing (npm ci --prefix tests/js)")
def test_katex_renders_the_aligned_blocks_of_wide_networks():
    strings = [block for network, settings in WIDE.values()
               for block in markdown_blocks(network.forward().render("markdown", **settings))]
    errors = katex_errors(strings)
    assert len(strings) > 10 and not errors, errors[:3]

