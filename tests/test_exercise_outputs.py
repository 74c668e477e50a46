"""The files of ``symann exercise`` in the real tools (issue 12): both LaTeX sheets compile
with pdflatex (no error, no overfull box), the HTML sheet opens in headless Chromium with
every formula drawn, quiz.xml is well-formed Moodle XML whose answers are the keys and
tolerances the checker's, and its LaTeX (and the Markdown sheets') renders in KaTeX strict."""
from __future__ import annotations

import csv
import html
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest
from katex import katex_errors
from test_render_wide import chromium
from test_tools import CHROMIUM, KATEX, NODE, PDFLATEX, PDFTOTEXT

import symann
from symann.cli import main
from symann.grading.grade import worked
from symann.grading.tolerance import Tolerance

#: names with every character LaTeX, Markdown, HTML and XML treat specially
STUDENTS = ["Zoë & {Müller}_#%$~^\\", "<b>O'Brien</b> \"Pat\"", "s3"]
CLASSES = {
    "sigmoid": ["--architecture", "2-2-1", "--activation", "sigmoid"],
    "relu-softmax": ["--architecture", "3-4-3", "--activation", "relu,softmax"],
    "deep-tanh": ["--architecture", "2-3-3-1", "--activation", "tanh,relu,sigmoid",
                  "--digits", "3"],
    # the widest layers allowed: 33 steps to fill in, more than a page holds
    "wide": ["--architecture", "8-8-8", "--activation", "tanh,softmax"],
    # the backward pass asked: gradients (fractions) and updates to fill in, one-hot targets
    "backward": ["--architecture", "3-3-3", "--activation", "sigmoid,softmax", "--ask",
                 "backward", "--loss", "cross_entropy", "--learning-rate", "0.1"],
    "backward-squared": ["--architecture", "2-2-2", "--activation", "tanh,sigmoid",
                         "--ask", "backward", "--digits", "3"],
}


def solution(exercise: Path, number: int) -> symann.Derivation:
    """The worked solution of a variant, from its network file: with the backward pass
    where the file gives targets and a loss (as symann check derives it)."""
    digits = int(re.search(r"digits = (\d+)", (exercise / "exercise.toml").read_text())[1])
    return worked(symann.load(exercise / f"{number:03d}" / "network.toml"), digits)


@pytest.fixture(scope="module", params=list(CLASSES))
def exercise(request, tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp(request.param)
    roster = directory / "roster.csv"
    with open(roster, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["student"], *([s] for s in STUDENTS)])
    out = directory / "class"
    assert main(["exercise", "--seed", "5", *CLASSES[request.param], "--roster", str(roster),
                 "--out", str(out)]) == 0
    return out


@pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
@pytest.mark.parametrize("kind", ["exercise", "solution"])
def test_pdflatex_compiles_each_sheet_a_page_per_student(exercise, kind):
    result = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error",
                             f"{kind}.tex"], cwd=exercise, capture_output=True, text=True,
                            timeout=120)
    log = (exercise / f"{kind}.log").read_text(errors="replace")
    assert result.returncode == 0, log[-2000:]
    assert not re.search(r"^! ", log, re.M), log[-2000:]
    assert "Overfull \\" not in log, re.findall(r"Overfull \\.*", log)
    if not PDFTOTEXT:
        return
    pages = subprocess.run([PDFTOTEXT, "-layout", str(exercise / f"{kind}.pdf"), "-"],
                           capture_output=True, text=True, timeout=60).stdout.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= len(STUDENTS)
    for number, student in enumerate(STUDENTS, 1):
        found = [page for page in pages if f"Exercise {number:03d}" in page]
        assert found and all("Student:" in page for page in found[:1]), number
        printed = re.search(r"Student: (.*)", found[0])[1].replace("\u2019", "'").strip()
        assert printed == student, (printed, student)
    if kind == "solution":   # every shown value of every variant is printed
        text = "\n".join(pages)
        for number in range(1, len(STUDENTS) + 1):
            for step in solution(exercise, number):
                assert step.shown.text.lstrip("-") in text, (number, step.id)


#: posts every <math>'s size: drawn means a box of some width and height
DRAWN_PROBE = """<script>
addEventListener("load", () => {
  const maths = [...document.querySelectorAll("math")];
  const sizes = maths.map((m) => { const b = m.getBoundingClientRect();
                                   return [b.width, b.height]; });
  const pre = document.createElement("pre"); pre.id = "drawn";
  pre.textContent = JSON.stringify({ sizes, sections: document.querySelectorAll(
    "section.page").length, text: document.body.innerText });
  document.body.appendChild(pre);
});
</script>"""


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
@pytest.mark.parametrize("kind", ["exercise", "solution"])
def test_chromium_draws_every_formula_of_the_html_sheets(exercise, kind, tmp_path):
    page = tmp_path / "page.html"
    page.write_text((exercise / f"{kind}.html").read_text(encoding="utf-8")
                    .replace("</body>", DRAWN_PROBE + "</body>"), encoding="utf-8")
    dom = chromium("--window-size=1000,1000", "--virtual-time-budget=5000", "--dump-dom",
                   page.as_uri())
    found = re.search(r'<pre id="drawn">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    view = json.loads(html.unescape(found.group(1)))
    assert view["sections"] == len(STUDENTS)
    assert len(view["sizes"]) >= 3 * len(STUDENTS)
    assert all(width > 5 and height > 5 for width, height in view["sizes"]), view["sizes"]
    for student in STUDENTS:
        assert student in view["text"]


def test_quiz_xml_has_the_documented_structure_and_the_keys(exercise):
    root = ET.parse(exercise / "quiz.xml").getroot()
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    assert re.fullmatch(r"\$course\$/symann/Exercise seed 5 options [0-9a-f]{8}",
                        questions[0].findtext("category/text"))
    cloze = questions[1:]
    assert [q.get("type") for q in cloze] == ["cloze"] * len(STUDENTS)
    digits = int(re.search(r"digits = (\d+)", (exercise / "exercise.toml").read_text())[1])
    width = Tolerance().width(Fraction(0), digits)   # the checker's own default tolerance
    for number, (question, student) in enumerate(zip(cloze, STUDENTS), 1):
        assert question.findtext("name/text") == f"Exercise {number:03d} ({student})"
        text = question.findtext("questiontext/text")
        assert question.find("questiontext").get("format") == "html"
        parts = re.findall(r"\{1:NUMERICAL:=([^:}]+):([^}]+)\}", text)
        key = solution(exercise, number)
        assert [value for value, _ in parts] == [step.shown.text for step in key]
        if key.backward:   # each backward part named as the sheets write it
            labels = re.findall(r"<p>\\\((.*?)\\\) = \{1:NUMERICAL", text)
            assert len(labels) == len(parts)
            assert "L" in labels and any(label.startswith(r"\frac{\partial L}{\partial w")
                                         for label in labels), labels
        assert {Fraction(tolerance) for _, tolerance in parts} == {width}
        # nothing outside the parts reads as a Cloze part, and no part has text in it
        outside = re.sub(r"\{1:NUMERICAL:=[-0-9.]+:[0-9.]+\}", "", text)
        assert not re.search(r"\{\d*:[A-Z_]+:", outside)
        assert "<table" in text and "\\(" in text
        feedback = question.findtext("generalfeedback/text")
        assert all(step.shown.text in feedback for step in key)


def latex_of_quiz(exercise: Path) -> list[str]:
    root = ET.parse(exercise / "quiz.xml").getroot()
    texts = [node.text or "" for node in root.iter("text")]
    maths = [m for text in texts for m in re.findall(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", text, re.S)]
    return [html.unescape(inline or display) for inline, display in maths]


@pytest.mark.skipif(not (NODE and KATEX.exists()),
                    reason="node or KaTeX is missing (npm ci --prefix tests/js)")
def test_katex_renders_the_quiz_and_the_markdown_sheets_strictly(exercise):
    strings = latex_of_quiz(exercise)
    for kind in ("exercise", "solution"):
        markdown = (exercise / f"{kind}.md").read_text(encoding="utf-8")
        strings += re.findall(r"\$\$\n(.*?)\n\$\$", markdown, re.S)
        strings += re.findall(r"(?<![$\\])\$([^$\n]+)\$", markdown)
    errors = katex_errors(strings)
    assert len(strings) > 20 and not errors, errors[:3]
    assert any("aligned" in s for s in strings)
