"""Worked solutions in every format and notation: golden files, artefacts, options, escaping."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree

import pytest

import symann

from conftest import EXAMPLES
from helpers import ALL, random_network

CASES = [("one-neuron.toml", "auto"), ("two-neurons.toml", "auto"),
         ("two-neurons.toml", "layered"), ("two-neurons.toml", "matrix"),
         ("relu-softmax.json", "auto"), ("relu-softmax.json", "matrix")]
#: golden-file suffix -> format of symann.FORMATS
FORMATS = {"txt": "text", "tex": "latex", "mathml": "mathml", "md": "markdown", "html": "html"}


def render(derivation, suffix, notation="auto", **options):
    return derivation.render(FORMATS[suffix], notation=notation, **options)


@pytest.mark.parametrize("example, notation", CASES)
@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_golden(golden, example, notation, suffix):
    derivation = symann.load(EXAMPLES / example).forward()
    stem = example.split(".")[0]
    text = render(derivation, suffix, notation)
    golden(f"{stem}.{notation}.{suffix}", text)
    assert getattr(derivation, f"to_{FORMATS[suffix]}")(notation=notation) == text


def test_course_lines_as_the_course_writes_them():
    one = symann.load(EXAMPLES / "one-neuron.toml").forward().to_latex()
    assert r"z &= x_1 \cdot w_1 + b = (0.1 \times 0.15) + 0.4 = 0.415" in one
    assert r"a &= \sigma(z) = \frac{1}{1 + e^{-0.415}} \approx 0.6023" in one
    two = symann.load(EXAMPLES / "two-neurons.toml").forward().to_latex(times="cdot")
    assert r"z_2 &= a_1 \cdot w_2 + b_2 = (0.6023 \cdot 0.35) + 0.5 \approx 0.7108" in two
    assert r"a_2 &= \sigma(z_2) = \frac{1}{1 + e^{-0.7108}} \approx 0.6706" in two
    layered = symann.load(EXAMPLES / "two-neurons.toml").forward().to_latex(notation="layered")
    assert r"z^{(2)}_1 &= w^{(2)}_{11} a^{(1)}_1 + b^{(2)}_1" in layered
    matrix = symann.load(EXAMPLES / "relu-softmax.json").forward().to_latex(notation="matrix")
    assert r"a^{(1)} &= \max(0, W^{(1)} a^{(0)} + b^{(1)})" in matrix
    assert r"\begin{bmatrix} 0.2 & -0.5 & 0.1 \\ 0.4 & 0.3 & -0.2" in matrix


def test_negative_numbers_are_parenthesised():
    network = symann.Network([symann.Neuron([-0.5, 0.15], -0.1, "sigmoid")], inputs=[0.15, -0.5])
    latex = network.forward().to_latex()
    assert r"(0.15 \times (-0.5)) + ((-0.5) \times 0.15) + (-0.1)" in latex
    assert r"e^{-(-0.25)}" in latex
    assert "- -" not in latex and "+ -" not in latex


def test_options_digits_carry_numbers_times():
    d = symann.load(EXAMPLES / "two-neurons.toml").forward(digits=6, carry="exact")
    text = d.to_latex(numbers="fraction")
    assert r"\frac{83}{200}" in text                  # the exact z as a fraction
    assert r"\approx 0.602286" in text                # a rounded value stays a decimal
    assert r"\left(0.602286 \times \frac{7}{20}\right)" in text   # sized around a fraction
    assert "0.710800" in d.to_text()                  # z_2 from the exact a_1, 6 places


def test_chain_refused_for_a_wide_network():
    d = symann.load(EXAMPLES / "relu-softmax.json").forward()
    with pytest.raises(symann.InputError, match="chain notation needs one neuron per layer"):
        d.to_latex(notation="chain")


ARTEFACTS = re.compile(r"\d\.\d*0000000|\d{13,}|- -|e\^\{- -|\+ -\d|b(\^\{\(\d\)\})?_\{?\d+\}? \+ w")


@pytest.mark.parametrize("seed", range(12))
def test_no_artefacts_on_random_networks(seed):
    import random
    rng = random.Random(seed)
    network = random_network(rng, [rng.choice(ALL[:-1]), rng.choice(ALL)])
    derivation = network.forward()
    for suffix in FORMATS:
        out = render(derivation, suffix)
        assert not ARTEFACTS.search(out), (suffix, ARTEFACTS.search(out))
    for step in derivation:
        assert "e" not in step.shown.text.lower()


HOSTILE = r"</title><script>alert(1)</script> \input{/etc/passwd} $x$ & 100% a_b {c} ~^#"


def hostile_network():
    return symann.Network([symann.Neuron([0.15], 0.4)], inputs=[0.1], title=HOSTILE,
                          input_labels=["<b>bold</b> & \\textbf{x}"])


def test_titles_are_text_in_html():
    html = hostile_network().forward().to_html()
    assert "<script>" not in html and "&lt;/title&gt;&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; \\textbf{x}" in html


def test_titles_are_text_in_latex():
    latex = hostile_network().forward().to_latex()
    assert r"\textbackslash{}input\{/etc/passwd\} \$x\$ \& 100\% a\_b \{c\}" in latex
    assert r"\input{" not in latex


def test_titles_are_text_in_markdown():
    md = hostile_network().forward().to_markdown()
    first = md.splitlines()[0]
    assert first.startswith("# &lt;/title&gt;&lt;script&gt;")
    assert r"\\input" in first and r"\$x\$" in first and r"a\_b" in first
    assert "<script>" not in md


def test_title_is_raw_text_in_json_and_plain_text():
    d = hostile_network().forward()
    assert json.loads(d.to_json())["title"] == HOSTILE
    assert d.to_text().startswith(HOSTILE)


@pytest.mark.parametrize("example, notation", CASES)
def test_mathml_is_well_formed_math_only(example, notation):
    mathml = symann.load(EXAMPLES / example).forward().to_mathml(notation=notation)
    wrapper = ElementTree.fromstring(f"<root>{mathml}</root>")
    assert len(wrapper) >= 2
    for math in wrapper:
        assert math.tag == "{http://www.w3.org/1998/Math/MathML}math"
        assert math.get("display") == "block"
        for element in math.iter():
            assert not (element.text or "").startswith("\\"), element.text
    assert "&amp;" not in mathml and "\\" not in mathml
    cells = [e for e in wrapper.iter() if e.tag.endswith("mtd") and e.get("columnalign")]
    assert cells and all("text-align" in e.get("style", "") for e in cells)


def test_notebook_display():
    d = symann.load(EXAMPLES / "two-neurons.toml").forward()
    latex = d._repr_latex_()
    assert latex.startswith("$$\n\\begin{aligned}") and latex.endswith("\\end{aligned}\n$$")
    bundle = d._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/latex", "text/html"}
    assert bundle["text/html"].count("<math") == 3 and "<script" not in bundle["text/html"]


def test_cli_formats(tmp_path):
    from symann.cli import main
    out = tmp_path / "solution.tex"
    assert main(["solve", str(EXAMPLES / "two-neurons.toml"), "--format", "latex",
                 "--standalone", "-o", str(out)]) == 0
    assert out.read_text().startswith("\\documentclass")
    for fmt in ("mathml", "markdown", "html"):
        assert main(["solve", str(EXAMPLES / "relu-softmax.json"), "--format", fmt,
                     "--notation", "matrix", "-o", str(tmp_path / fmt)]) == 0
    assert (tmp_path / "html").read_text().startswith("<!DOCTYPE html>")
