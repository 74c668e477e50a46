"""LaTeX that fits the page whatever a file holds (review 11): matrices too wide for the
page in column blocks, long labels and long numbers broken across lines, characters beyond
Latin-1 that pdflatex can print. Checked by the real pdflatex: no error, no overfull box,
and (pdftotext) every value and label shown as typed."""
from __future__ import annotations

import json
import random
import re
import subprocess
from itertools import pairwise

import pytest
from test_tools import PDFLATEX, PDFTOTEXT, compile_latex

import symann
from symann.render.breaking import latex_width
from symann.render.latex import CELL_DIGITS, PageLatexPrinter, blocked_matrix, stacked
from symann.render.latex_text import breakable, escape
from symann.render.matrix import column_blocks

needs_pdflatex = pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed")
needs_pdftotext = pytest.mark.skipif(not (PDFLATEX and PDFTOTEXT),
                                     reason="pdflatex or pdftotext is missing")


def eleven(seed: int = 11) -> dict:
    """The reviewer's shape: 11 inputs, 3 tanh neurons, 2 sigmoid outputs, MSE, η = 1/3."""
    rng = random.Random(seed)

    def value() -> float:
        return rng.randint(-999, 999) / 1000
    return {"title": "Eleven", "inputs": [value() for _ in range(11)],
            "layers": [{"weights": [[value() for _ in range(11)] for _ in range(3)],
                        "biases": [value() for _ in range(3)], "activation": "tanh"},
                       {"weights": [[value() for _ in range(3)] for _ in range(2)],
                        "biases": [0.1, -0.2], "activation": "sigmoid"}],
            "targets": [0.2, 0.9], "loss": "mse", "learning_rate": "1/3"}


LONG_LABELS = ["monthly_income_in_thousands_of_dollars", "number_of_previous_defaults_recorded",
               "https://example.org/features/credit-score-normalised"]
ODD_LABELS = ["{braces}~^\\backslash{and}more~^\\than~one{line}~^\\in~a~single{word}" * 2,
              '"quote" and "more"',
              "a--b,,c"]
PI = "0.31415926535897932384626433832795028841971693993751"
E = "-2.718281828459045235360287471352662497757247093699959"
ROOT2 = "1.41421356237309504880168872420969807856967187537694"
#: a number of the most digits a file may give (docs/limits.md)
HUNDRED = "0." + "1234567890" * 9 + "123456789"


def network(case: str) -> symann.Network:
    if case == "long-labels":
        return symann.Network([symann.Dense([[0.1, -0.2, 0.3]], [0.05])], inputs=[0.5, -1.25, 3],
                              title="Feature labels", input_labels=LONG_LABELS,
                              output_labels=["probability_of_default_within_twelve_months"])
    if case == "odd-labels":
        return symann.Network([symann.Dense([[0.1, -0.2, 0.3]], [0.05])], inputs=[1, 2, 3],
                              input_labels=ODD_LABELS)
    if case == "unicode":
        return symann.Network([symann.Dense([[1, 2]], [0])], inputs=[1, 2],
                              title="Δ Preise — Größe ✓ ≤ 5 € Łódź",
                              input_labels=["Δ price (€)", "✓ ok → αβγ Ω"],
                              output_labels=["Σ ± ∞"])
    if case == "long-numbers":
        return symann.Network([symann.Dense([[PI, E]], [ROOT2], "tanh")],
                              inputs=["0.123456789012345678901234567890123456789",
                                      "-9876543210.98765432109876543210"])
    if case == "hundred-digits":
        return symann.Network([symann.Dense([[HUNDRED, 0.25]], ["-" + HUNDRED])],
                              inputs=[0.5, HUNDRED])
    raise AssertionError(case)


def eleven_derivation(tmp_path) -> symann.Derivation:
    path = tmp_path / "eleven.json"
    path.write_text(json.dumps(eleven()), encoding="utf-8")
    return symann.load(path).backward()


#: name -> how to make the document
CASES = {
    "eleven-matrix-every-column": lambda tmp: eleven_derivation(tmp).render(
        "latex", standalone=True, notation="matrix", terms=0),
    "eleven-matrix-every-column-fractions": lambda tmp: eleven_derivation(tmp).render(
        "latex", standalone=True, notation="matrix", terms=0, numbers="fraction"),
    "eleven-matrix-every-column-numbered": lambda tmp: eleven_derivation(tmp).render(
        "latex", standalone=True, notation="matrix", terms=0, numbered=True),
    "long-labels": lambda tmp: network("long-labels").forward().render(
        "latex", standalone=True),
    "long-labels-matrix": lambda tmp: network("long-labels").forward().render(
        "latex", standalone=True, notation="matrix"),
    "odd-labels": lambda tmp: network("odd-labels").forward().render("latex", standalone=True),
    "unicode": lambda tmp: network("unicode").forward().render("latex", standalone=True),
    "long-numbers": lambda tmp: network("long-numbers").forward().render(
        "latex", standalone=True),
    "hundred-digits": lambda tmp: network("hundred-digits").forward().render(
        "latex", standalone=True),
    "hundred-digits-matrix": lambda tmp: network("hundred-digits").forward().render(
        "latex", standalone=True, notation="matrix"),
}


def compiled(tmp_path, source: str) -> str:
    """The log of pdflatex run on ``source``, asserted free of errors and overfull boxes."""
    result = compile_latex(source, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, log[-2000:]
    assert not re.search(r"^! ", log, re.M), log[-2000:]
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    return log


def pdf_text(tmp_path) -> str:
    return subprocess.run([PDFTOTEXT, "doc.pdf", "-"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60).stdout


@needs_pdflatex
@pytest.mark.parametrize("case", list(CASES))
def test_pdflatex_sets_it_with_no_error_and_no_overfull_box(tmp_path, case):
    compiled(tmp_path, CASES[case](tmp_path))


def test_a_matrix_too_wide_for_the_page_is_written_in_column_blocks(tmp_path):
    derivation = eleven_derivation(tmp_path)
    latex = derivation.render("latex", notation="matrix", terms=0)
    assert "columns 1--" in latex and r"\setcounter{MaxMatrixCols}" not in latex
    weights = eleven()["layers"][0]["weights"]
    blocks = [(int(a), int(b)) for a, b in re.findall(r"columns (\d+)--(\d+)", latex)]
    # the blocks of W(1) (the first matrix in blocks) cover its 11 columns once, in order
    spans = blocks[:next(k for k, (a, _) in enumerate(blocks[1:], 1) if a == 1)]
    assert spans[0][0] == 1 and spans[-1][1] == 11
    assert all(b + 1 == c for (_, b), (c, _) in pairwise(spans))
    # each row of a block holds the row's weights of those columns, in order
    block = latex[latex.index("columns 1--"):]
    row = block[block.index("\\\\") + 2:].split("\\\\")[0]
    assert [float(cell) for cell in row.split("&")] == weights[0][:spans[0][1]]


def test_column_blocks_fill_each_block_and_keep_order():
    assert column_blocks([10, 10, 10, 10], 32, 2) == [range(0, 2), range(2, 4)]
    assert column_blocks([10, 10, 10], 34, 2) == [range(0, 3)]
    assert column_blocks([40, 5], 30, 2) == [range(0, 1), range(1, 2)]   # one is too wide
    assert column_blocks([], 10, 2) == [range(0, 0)]


@needs_pdflatex
def test_width_estimates_lean_wide_but_close_to_pdflatex(tmp_path):
    """Calibration: the estimate of a plain and a blocked matrix, of a fraction and of
    sums, against the width pdflatex gives each box (a digit is 5.5 pt at 11 pt)."""
    rng = random.Random(3)
    rows = [[str(rng.randint(-999, 999) / 1000) for _ in range(11)] for _ in range(3)]
    printer = PageLatexPrinter(symann.notation.notation(network("long-labels"), "auto"),
                               symann.RenderSettings())
    samples = [printer.matrix([row[:5] for row in rows]), printer.matrix(rows),
               blocked_matrix(rows, [range(0, 6), range(6, 11)]),
               printer.matrix([[HUNDRED, "0.25"], ["-0.5", "1"]]),
               r"\frac{\partial L}{\partial W^{(1)}} = \frac{1}{3} + 0.125 \times (-0.25)",
               r"w^{(1)}_{11} x_1 + w^{(1)}_{12} x_2 + \cdots + b^{(1)}_1"]
    body = "\n".join(rf"\setbox0\hbox{{$\displaystyle {s}$}}\typeout{{WIDTH=\the\wd0}}"
                     for s in samples)
    source = ("\\documentclass[11pt]{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}"
              "\\usepackage{amsmath}\\begin{document}\n" + body + "\n\\end{document}\n")
    log = compiled(tmp_path, source)
    real = [float(w) / 5.5 for w in re.findall(r"WIDTH=([\d.]+)pt", log)]
    assert len(real) == len(samples)
    for sample, width in zip(samples, real):
        assert width <= latex_width(sample) <= 1.25 * width + 1, (sample[:60], width)


def test_labels_break_after_separators_and_in_long_words():
    assert breakable("monthly_income") == r"monthly\_\allowbreak{}income"
    url = breakable("https://example.org/a")
    assert url.count(r"\allowbreak{}") >= 3 and url.replace(r"\allowbreak{}", "") \
        == escape("https://example.org/a")
    word = breakable("x" * 30)
    assert word == r"\allowbreak{}".join(["x" * 12, "x" * 12, "x" * 6])
    assert breakable("short_one") == r"short\_one"          # a short word is left whole


def test_characters_beyond_latin_1_are_commands_or_a_placeholder():
    assert escape("Δ price (€)") == r"$\Delta$ price (\texteuro{})"
    assert escape("αΩ ≤ ∞") == r"$\alpha$$\Omega$ $\leq$ $\infty$"
    assert escape("Größe Łódź – “x”") == "Größe Łódź – “x”"        # T1 has these
    assert escape("✓ 漢") == "[U+2713] [U+6F22]"
    assert escape('"q" --a') == r"\textquotedbl{}q\textquotedbl{} -{}-a"


@needs_pdftotext
def test_the_pdf_shows_labels_and_titles_as_typed(tmp_path):
    compiled(tmp_path, CASES["odd-labels"](tmp_path))
    text = pdf_text(tmp_path).replace("\n", "")
    for label in ODD_LABELS:
        assert label in text, (label, text[:800])


@needs_pdftotext
def test_the_pdf_shows_greek_euro_and_a_placeholder(tmp_path):
    compiled(tmp_path, CASES["unicode"](tmp_path))
    text = " ".join(pdf_text(tmp_path).split())
    assert "price (€)" in text and "Größe" in text and "Łódź" in text
    assert "[U+2713] ok" in text and "Preise — Größe [U+2713]" in text
    assert "∆" in text or "Δ" in text


@needs_pdftotext
@pytest.mark.parametrize("case, numbers", [
    ("long-numbers", (PI, E.lstrip("-"), ROOT2, "0.123456789012345678901234567890123456789")),
    ("hundred-digits", (HUNDRED,)), ("hundred-digits-matrix", (HUNDRED,))])
def test_the_pdf_shows_every_digit_of_a_long_number(tmp_path, case, numbers):
    compiled(tmp_path, CASES[case](tmp_path))
    text = re.sub(r"\s|←", "", pdf_text(tmp_path))   # ↩ is a ← and a hook
    for number in numbers:
        assert number in text, number


def test_an_equation_row_breaks_a_long_number_and_marks_where_it_continues():
    latex = network("hundred-digits").forward().to_latex()
    rows = latex.split("\\\\\n")
    broken = [row for row in rows if row.endswith(r"\hookleftarrow ")
              or row.endswith(r"\hookleftarrow")]
    assert broken and all(rows[rows.index(row) + 1].startswith(r"&\quad") for row in broken)


def test_a_matrix_cell_of_a_long_number_is_stacked_in_lines():
    cell = stacked("-" + HUNDRED)
    lines = re.findall(r"\\hbox\{\\strut\$([^$]*)\$\}", cell)
    assert cell.startswith(r"\vcenter{") and len(lines) == 3
    assert "".join(lines).replace(r"\hookleftarrow", "") == "-" + HUNDRED
    assert all(sum(map(str.isdigit, line)) <= CELL_DIGITS for line in lines)
    assert [line.endswith(r"\hookleftarrow") for line in lines] == [True, True, False]
    assert stacked("0.25") == "0.25" and stacked(r"\frac{1}{3}") == r"\frac{1}{3}"
    assert latex_width(cell) < latex_width("-" + HUNDRED) / 2
