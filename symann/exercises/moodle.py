"""The class as a Moodle XML quiz file (``quiz.xml``, Moodle's "Moodle XML format"
importer).

Structure: one ``category`` question (``$course$/symann/<title> seed <seed> options
<digest>``), so the class lands in one category of the question bank and a quiz can draw
one question at random per student; then per variant one Embedded answers (``cloze``) question:

* ``name``: the variant's title (``Exercise 001``, with the student in a roster);
* ``questiontext`` (HTML): the network as HTML tables (the parameter tables of
  ``symann solve --format html``), then a paragraph per asked step
  ``\\(z^{(1)}_{1}\\) = {1:NUMERICAL:=0.36:0.00005}``: the key's value, and as tolerance
  the checker's default (``shown``: half a unit of the last shown place); formulas are
  ``\\( \\)`` LaTeX for Moodle's MathJax filter;
* ``generalfeedback`` (HTML): the worked solution, each layer's lines in ``\\[ \\]``.

The text outside the answer parts never contains a Cloze part (``{N:TYPE:``), and the
parts themselves are numbers only, so none of Cloze's special characters (``} # ~ / " \\``)
needs escaping in them. Moodle centres the tolerance on the key's value; symann's checker
centres it on the exact value and on the value computed from the shown ones, and gives
follow-through, which Moodle cannot.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..formats import FORMATS, RenderSettings
from ..notation import notation
from ..numbers import decimal_text
from ..printers.base import Printer
from ..render.blocks import CarryNote, Layer, Outputs, ParameterTables, Part
from ..render.document import DocumentWriter, MathsOnly
from ..render.latex import LatexPrinter, aligned, line_latex, rows
from ..render.mathml import text_node as html_escape
from .keys import asked
from .manifest import digest
from .options import Options
from .variants import Variant


def tolerance(digits: int) -> str:
    """The checker's default tolerance at ``digits`` places: half a unit of the last."""
    text = decimal_text(Fraction(1, 2 * 10**digits))
    assert text is not None
    return text


def _maths(latex: str) -> str:
    """LaTeX inside HTML text: ``&``, ``<`` and ``>`` as entities."""
    return latex.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class FeedbackWriter(MathsOnly, DocumentWriter):
    """The worked solution as Moodle feedback: HTML headings and ``\\[ \\]`` LaTeX."""

    dialect = LatexPrinter
    writes_given = False
    writes_tables = False
    separator = "\n"

    def layer(self, block: Layer) -> str:
        maths = _maths(aligned(rows(block.lines)))
        notes = "".join(f"<p>\\({_maths(line.parts[0])}\\): {html_escape(line.note)}.</p>"
                        for line in block.lines if line.note)
        return f"<h4>{html_escape(block.heading)}</h4>\n<p>\\[{maths}\\]</p>{notes}"

    def outputs(self, block: Outputs) -> str:
        shown = ", ".join(f"\\({_maths(line_latex(line, align=False))}\\)"
                          for line in block.lines)
        return f"<p>Output: {shown}</p>"

    def carry_note(self, block: CarryNote) -> str:
        return f"<p>{html_escape(block.text)}</p>"

    def part(self, block: Part) -> str:
        """The heading of the backward pass."""
        return f"<h3>{html_escape(block.text)}</h3>"


_FEEDBACK = FeedbackWriter()
_SETTINGS = RenderSettings()


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def category(options: Options) -> str:
    """The question bank category of the class: its title, seed and options' digest (two
    classes of the same seed with other options land in two categories)."""
    return (f"$course$/symann/{options.title.replace('/', '-')} seed {options.seed} "
            f"options {digest(options)}")


def question_text(variant: Variant, options: Options) -> str:
    """The Cloze question's HTML: the network, then one NUMERICAL part per asked step."""
    derivation = variant.derivation
    html = FORMATS["html"]
    assert isinstance(html, DocumentWriter)
    tables = next(block for block in html.blocks(derivation, _SETTINGS)
                  if isinstance(block, ParameterTables))
    printer: Printer = LatexPrinter(notation(derivation.network, "auto"), _SETTINGS)
    width = tolerance(options.digits)
    parts = [f"<p>\\({_maths(printer.ref(step.ref))}\\) = "
             f"{{1:NUMERICAL:={step.shown.text}:{width}}}</p>"
             for step in asked(derivation, options.ask)]
    rule = (f"Give each value rounded half-up to {options.digits} decimal places; each step "
            "uses the rounded values of the steps before it.")
    text = html.bound(_SETTINGS).block(tables)
    assert isinstance(text, str)
    return "\n".join([text, f"<p>{html_escape(rule)}</p>", *parts])


def feedback(variant: Variant) -> str:
    return _FEEDBACK.bound(_SETTINGS).body(_FEEDBACK.blocks(variant.derivation, _SETTINGS))


def question(variant: Variant, options: Options) -> str:
    """One variant's Cloze question."""
    name = variant.network.title + ("" if variant.student is None
                                    else f" ({variant.student})")
    return "\n".join([
        '  <question type="cloze">',
        f"    <name><text>{_xml_text(name)}</text></name>",
        f'    <questiontext format="html"><text>{_cdata(question_text(variant, options))}'
        "</text></questiontext>",
        f'    <generalfeedback format="html"><text>{_cdata(feedback(variant))}'
        "</text></generalfeedback>",
        "    <penalty>0.3333333</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{_xml_text(variant.name)}</idnumber>",
        "  </question>"])


def quiz(questions: Sequence[str], options: Options) -> str:
    """The whole ``quiz.xml``: the category, then the questions."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>",
           '  <question type="category">',
           f"    <category><text>{_xml_text(category(options))}</text></category>",
           "  </question>", *questions, "</quiz>"]
    return "\n".join(out) + "\n"
