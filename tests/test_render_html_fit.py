"""The HTML page fits a phone (400 px) and a desktop (1 200 px) in a real headless Chromium,
and every number it shows is drawn whole (review 11): no digit of a matrix entry dropped by
a line break inside an ``<mn>``, no page wider than the viewport (a matrix too wide is
drawn smaller, never clipped or scrolled), no table cell hidden in a scrolled box, the
tables named as the maths is, and a negative number of a matrix written as elsewhere."""
from __future__ import annotations

import re
import subprocess

import pytest
from test_render_wide import INPUTS_11, PDFTOTEXT, chromium, page_view, shown_values, wide
from test_tools import CHROMIUM

import symann

from conftest import EXAMPLES

#: posts, from inside the page: the document's scroll width; every number (``<mn>``, and a
#: table's number of at most 20 characters) not drawn whole (a character of no width, on another line than the first, or outside the
#: viewport); every table cell or label outside the viewport; every box that scrolls
PROBE = """<script>
addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const broken = [];
  const cells = "table.parameters td:not(.label):not(.weights):not(.long), "
                + "td.weights span:not(.long)";   // a table's numbers short enough to keep whole
  for (const mn of [...document.querySelectorAll("math mn"),
                    ...document.querySelectorAll(cells)]) {
    const text = mn.firstChild;
    if (!text || !text.length) continue;
    const boxes = [...Array(text.length).keys()].map((i) => {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      return range.getBoundingClientRect();
    });
    const top = boxes[0].top;
    if (boxes.some((b) => b.width <= 0 || Math.abs(b.top - top) > 1 || b.left < -0.5
                          || b.right > width + 0.5)) broken.push(mn.textContent);
  }
  const outside = [...document.querySelectorAll("td, th, mtext")].filter((node) => {
    const box = node.getBoundingClientRect();
    return box.width === 0 || box.left < -0.5 || box.right > width + 0.5;
  }).map((node) => node.textContent);
  const scrolled = [...document.querySelectorAll("body *")].filter((node) =>
    node.scrollWidth > node.clientWidth + 1
    && ["auto", "scroll", "hidden"].includes(getComputedStyle(node).overflowX)
  ).map((node) => node.textContent.slice(0, 60));
  parent.postMessage(JSON.stringify({ scroll: document.documentElement.scrollWidth, width,
                                      numbers: document.querySelectorAll("math mn").length,
                                      broken, outside, scrolled }), "*");
});
</script>"""


def view(tmp_path, html: str, width: int) -> dict:
    """What PROBE measures of ``html`` in an iframe ``width`` px wide."""
    return page_view(tmp_path, html, width, PROBE)


LABELS = symann.Network(
    [symann.Dense([["0.1", "-0.2", "0.3"]], ["0.05"], "sigmoid")],
    inputs=["0.5", "-1.25", "3"],
    input_labels=["monthly_income_in_thousands_of_dollars",
                  "number_of_previous_defaults_recorded",
                  "https://example.org/features/credit-score-normalised"],
    output_labels=["probability_of_default_within_twelve_months"])
#: a layer of six inputs whose weights have six significant digits
SIX = symann.Network([symann.Dense(
    [[f"{(-1) ** (j + k) * (5.81205 + j + k / 7):.5f}" for k in range(6)] for j in range(3)],
    ["-5.81205", "9.98257", "2.87654"], "tanh")], inputs=["1.5", "-2.25", "3.125", "-0.5",
                                                          "0.75", "-1.875"])
#: numbers of forty digits and more, given exactly (wider than a phone's table row)
LONG = symann.Network([symann.Dense(
    [["0.314159265358979323846264338327950288419716939937510",
      "-2.718281828459045235360287471352662497757247093699959"]],
    ["1.41421356237309504880168872420969807856967187537694"], "tanh")],
    inputs=["0.123456789012345678901234567890123456789", "-9876543210.98765432109876543210"])
#: name -> (network, backward, render settings)
PAGES = {
    "3-8-2-matrix": (wide([3, 8, 2], seed=3), False, {"notation": "matrix"}),
    "3-8-2-matrix-backward": (wide([3, 8, 2], seed=3), True, {"notation": "matrix"}),
    "3-8-2-matrix-backward-numbered": (wide([3, 8, 2], seed=3), True,
                                       {"notation": "matrix", "numbered": True}),
    "3-4-12-matrix-backward": (wide([3, 4, 12], seed=4), True, {"notation": "matrix"}),
    "11-input-matrix-every-column": (INPUTS_11, False, {"notation": "matrix", "terms": 0}),
    "11-input-matrix-every-column-backward": (INPUTS_11, True,
                                              {"notation": "matrix", "terms": 0}),
    "long-labels": (LABELS, False, {}),
    "six-inputs": (SIX, False, {}),
    "long-numbers": (LONG, False, {}),
    "backprop-2-2-1": (symann.load(EXAMPLES / "backprop-2-2-1.toml"), True, {}),
}


def page(name: str) -> tuple[symann.Derivation, str]:
    network, backward, settings = PAGES[name]
    if not backward:
        derivation = network.forward()
    elif network.loss is not None:
        derivation = network.backward()
    else:   # a wide network has a softmax output: cross-entropy, the first class the target
        size = len(network.layers[-1].biases)
        derivation = network.backward(targets=[1] + [0] * (size - 1), loss="cross_entropy",
                                      learning_rate="0.5")
    return derivation, derivation.render("html", **settings)


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
@pytest.mark.parametrize("width", [400, 1200])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_number_is_drawn_whole_within_the_viewport(tmp_path, name, width):
    view_ = view(tmp_path, page(name)[1], width)
    assert view_["width"] <= width and view_["numbers"] > 0
    assert view_["broken"] == [], view_
    assert view_["scroll"] <= view_["width"], view_
    assert view_["outside"] == [] and view_["scrolled"] == [], view_


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
def test_the_probe_sees_a_number_broken_by_the_page_style(tmp_path):
    """The control: a style that lets a number break anywhere (as ``body`` once did) and
    keeps the maths at full size is caught, at the width of a phone."""
    html = page("3-8-2-matrix")[1].replace(
        "</style>", "math, math * { overflow-wrap: anywhere !important; "
                    "white-space: normal !important; } "
                    'math[display="block"] { font-size: 1.15em !important; } '
                    "math mrow { font-size: 1em !important; }</style>")
    assert view(tmp_path, html, 400)["broken"]


@pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="chromium or pdftotext is missing")
@pytest.mark.parametrize("name", ["3-8-2-matrix-backward", "11-input-matrix-every-column",
                                  "six-inputs"])
def test_the_printed_page_shows_every_value(tmp_path, name):
    derivation, html = page(name)
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    chromium("--no-pdf-header-footer", f"--print-to-pdf={tmp_path / 'page.pdf'}", path.as_uri())
    text = subprocess.run([PDFTOTEXT, "-layout", str(tmp_path / "page.pdf"), "-"],
                          capture_output=True, text=True, timeout=60).stdout
    words = set(re.findall(r"\d+(?:\.\d+)?", text))
    assert not shown_values(derivation) - words


def test_the_parameter_tables_name_the_quantities_as_the_maths_does():
    html = symann.load(EXAMPLES / "two-neurons.toml").forward().render(
        "html", symbols={"x": "xi", "w": "theta", "b": "beta"})
    tables = html[html.index("<h2>Network"):html.index("</table>", html.rindex("<table"))]
    assert "&#958;<sub>1</sub>" in tables and "&#952;<sub>j1</sub>" in tables   # ξ₁, θ_j1
    assert "&#946;<sub>j</sub>" in tables   # β_j
    assert "x<sub>" not in tables and "w<sub>" not in tables and "b<sub>" not in tables


#: a lone number negated by a prefix operator: the minus sign opens a row or a cell and
#: the number closes it (``−1 × ln(a)`` negates a product, and ``a − 0.5`` subtracts)
PREFIX_MINUS = re.compile(r"(<mtd[^>]*>|<mrow>)<mo>&#x2212;</mo><mn>[^<]*</mn></(mrow|mtd)>")


@pytest.mark.parametrize("notation", ["matrix", "layered"])
def test_a_negative_number_is_one_mn_in_a_matrix_as_elsewhere(notation):
    """A negative number is one ``<mn>−0.2859</mn>`` (the sign part of the number), in
    the cells of a matrix as in a substituted line; a minus operator is subtraction."""
    network, _, _ = PAGES["3-8-2-matrix-backward"]
    derivation = network.backward(targets=[1, 0], loss="cross_entropy", learning_rate="0.5")
    mathml = derivation.render("mathml", notation=notation)
    assert "<mn>&#x2212;" in mathml and "<mo>&#x2212;</mo>" in mathml
    if notation == "matrix":
        assert "<mtd><mn>&#x2212;" in mathml
    assert not PREFIX_MINUS.search(mathml), PREFIX_MINUS.search(mathml)
