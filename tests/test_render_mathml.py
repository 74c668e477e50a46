"""The MathML dialect printer: MathML Core written from the formula tree, no LaTeX between."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import symann
from symann.formats import RenderSettings
from symann.notation import notation
from symann.render.mathml import ALT_WEIGHTS, MathmlPrinter, function_name

from conftest import EXAMPLES, ROOT

M = "{http://www.w3.org/1998/Math/MathML}"


def maths(markup: str) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(f"<root>{markup}</root>"))


def tokens(math: ElementTree.Element) -> list[str]:
    return [e.text or "" for e in math.iter() if e.tag in (f"{M}mi", f"{M}mn", f"{M}mo")]


def test_negative_numbers_are_one_mn_and_bracketed_where_the_text_brackets_them():
    network = symann.Network([symann.Neuron([-0.5, 0.15], -0.1, "sigmoid")], inputs=[0.15, -0.5])
    markup = network.forward().to_mathml()
    assert "<mn>&#x2212;0.5</mn>" in markup and "<mo>-</mo>" not in markup
    row = tokens(maths(markup)[0])
    assert row[row.index("×") + 1:row.index("×") + 4] == ["(", "\u22120.5", ")"]
    assert "\u2212(" in "".join(row)           # e^{-(-0.25)}: a sign before a bracket


def test_functions_apply_and_products_are_invisible_times():
    markup = symann.load(EXAMPLES / "relu-softmax.json").forward().to_mathml(notation="layered")
    assert "<mi>max</mi><mo>&#x2061;</mo>" in markup
    assert "</msubsup><mo>&#x2062;</mo><msub><mi>x</mi>" in markup    # w x
    assert "<msubsup><mi>w</mi><mn>11</mn><mrow>" in markup          # w^{(1)}_{11}
    assert function_name(r"\sigma") == "σ" and function_name(r"\operatorname{ReLU}") == "ReLU"
    assert function_name(r"\tanh") == "tanh" and function_name("") == ""


def test_indices_past_nine_are_separated():
    printer = MathmlPrinter(notation(symann.Network([symann.Dense([[0.1] * 12] * 2, [0, 0])],
                                                    inputs=[1] * 12), "layered"),
                            RenderSettings())
    ref = symann.quantities.Ref(symann.quantities.Quantity.WEIGHT, 1, 2, 12)
    assert printer.ref(ref) == ('<msubsup><mi>w</mi><mrow><mn>2</mn><mo>,</mo><mn>12</mn></mrow>'
                                '<mrow><mo stretchy="false">(</mo><mn>1</mn>'
                                '<mo stretchy="false">)</mo></mrow></msubsup>')


def test_brackets_stretch_only_around_fractions():
    d = symann.load(EXAMPLES / "two-neurons.toml").forward(carry="exact")
    assert '<mrow><mo stretchy="false">(</mo><mn>0.1</mn>' in d.to_mathml()
    fractions = d.to_mathml(numbers="fraction")
    assert "<mrow><mo>(</mo><mfrac><mrow><mn>1</mn></mrow><mrow><mn>10</mn>" in fractions
    assert '<mo stretchy="false">(</mo><mfrac>' not in fractions


def test_alttext_is_the_plain_text_of_the_lines():
    d = symann.load(EXAMPLES / "two-neurons.toml").forward()
    text_lines = [line.strip() for line in d.to_text().splitlines()
                  if line.startswith("  z") or line.startswith("  a")]
    alts = [m.get("alttext") for m in maths(d.to_mathml())]
    assert alts[0].split("\n") == text_lines[:2] and alts[1].split("\n") == text_lines[2:]
    assert alts[2] == "a₂ ≈ 0.6706"


def test_a_layer_of_many_weights_has_names_and_values_as_alttext():
    fan_in = ALT_WEIGHTS + 1
    network = symann.Network([symann.Neuron([0.01] * fan_in, 0.5)], inputs=[1] * fan_in)
    markup = network.forward().to_mathml()
    alt = maths(markup)[0].get("alttext")
    assert alt.split("\n") == ["z = 50.51", "a ≈ 1.0000"]


def test_markup_is_ascii_and_pages_escape_text():
    d = symann.load(EXAMPLES / "relu-softmax.json").forward()
    for markup in (d.to_mathml(), d.to_html(), d._repr_mimebundle_()["text/html"]):
        assert markup.isascii()
    network = symann.Network([symann.Neuron([0.15], 0.4)], inputs=[0.1], title="<b>σ</b> & ≈")
    html = network.forward().to_html()
    assert "<h1>&lt;b&gt;&#963;&lt;/b&gt; &amp; &#8776;</h1>" in html and "<b>" not in html


def test_no_latex_converter_is_imported():
    code = ("import sys, symann; d = symann.load(sys.argv[1]).forward(); d.to_html(); "
            "d.to_mathml(); d._repr_mimebundle_(); print('latex2mathml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "relu-softmax.json")],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "False"
