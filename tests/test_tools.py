"""Outputs opened by the real tools: pdflatex, headless Chromium, KaTeX.

Each test skips with a reason where its tool is missing; .ci/run installs them all.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from katex import katex_errors
from test_render import CASES, hostile_network

import symann

from conftest import EXAMPLES, ROOT

PDFLATEX = shutil.which("pdflatex")
PDFTOTEXT = shutil.which("pdftotext")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NODE = shutil.which("node")
KATEX = ROOT / "tests" / "js" / "node_modules" / "katex"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def derivations():
    for example, notation in CASES:
        yield f"{example}-{notation}", symann.load(EXAMPLES / example).forward(), notation
    yield "hostile-title", hostile_network().forward(), "auto"


def compile_latex(source: str, directory: Path) -> subprocess.CompletedProcess:
    (directory / "doc.tex").write_text(source, encoding="utf-8")
    return subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                          cwd=directory, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
@pytest.mark.parametrize("name, derivation, notation", list(derivations()),
                         ids=[n for n, _, _ in derivations()])
def test_pdflatex_compiles_every_standalone_document(tmp_path, name, derivation, notation):
    result = compile_latex(derivation.to_latex(notation=notation, standalone=True), tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, log[-2000:]
    assert not re.search(r"^! ", log, re.M), log[-2000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 1000


@pytest.mark.skipif(not (PDFLATEX and PDFTOTEXT), reason="pdflatex or pdftotext is missing")
def test_pdf_shows_a_hostile_title_literally(tmp_path):
    compile_latex(hostile_network().forward().to_latex(standalone=True), tmp_path)
    text = subprocess.run([PDFTOTEXT, "doc.pdf", "-"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60).stdout
    text = " ".join(text.split())  # the title wraps across lines in the PDF
    assert r"\input{/etc/passwd} $x$ & 100% a_b {c} ~^#" in text
    assert "</title><script>alert(1)</script>" in text


LAYOUT_PROBE = """<script>
addEventListener("load", () => {
  const maths = [...document.querySelectorAll("math")];
  const box = (e) => e.getBoundingClientRect();
  const fractions = [...document.querySelectorAll("mfrac")].map((f) =>
    box(f.children[0]).bottom <= box(f.children[1]).top + 1);
  const columns = [...document.querySelectorAll("mtr")].map((row) =>
    row.children.length > 1 ? Math.round(box(row.children[1]).left) : null);
  const report = { maths: maths.map((m) => [box(m).width, box(m).height]),
                   fractions, columns, text: document.body.innerText.length };
  const pre = document.createElement("pre");
  pre.id = "layout";
  pre.textContent = JSON.stringify(report);
  document.body.appendChild(pre);
});
</script>"""


def chromium(*args: str) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="symann-chromium-")
    try:
        return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
@pytest.mark.parametrize("example, notation", [("two-neurons.toml", "auto"),
                                               ("relu-softmax.json", "auto"),
                                               ("relu-softmax.json", "matrix")])
def test_chromium_lays_out_the_mathml(tmp_path, example, notation):
    html = symann.load(EXAMPLES / example).forward().to_html(notation=notation)
    page = tmp_path / "page.html"
    page.write_text(html.replace("</body>", LAYOUT_PROBE + "</body>"), encoding="utf-8")
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", page.as_uri()).stdout
    assert "<math" in dom
    report = json.loads(re.search(r'<pre id="layout">(.*?)</pre>', dom, re.S).group(1)
                        .replace("&quot;", '"'))
    assert report["maths"] and all(w > 20 and h > 10 for w, h in report["maths"])
    assert report["fractions"] and all(report["fractions"]), "numerators must sit above"
    lefts = [c for c in report["columns"] if c is not None]
    assert lefts, "aligned rows expected"


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
def test_chromium_screenshot_draws_the_formulas(tmp_path):
    html = symann.load(EXAMPLES / "two-neurons.toml").forward().to_html()
    shown, hidden = tmp_path / "shown.html", tmp_path / "hidden.html"
    shown.write_text(html, encoding="utf-8")
    hidden.write_text(html.replace("</style>", "math { visibility: hidden; }</style>"),
                      encoding="utf-8")
    shots = []
    for page in (shown, hidden):
        png = tmp_path / f"{page.stem}.png"
        chromium("--window-size=900,1000", f"--screenshot={png}", page.as_uri())
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        shots.append(png.read_bytes())
    assert shots[0] != shots[1], "hiding the formulas must change the picture"
    assert len(shots[0]) > len(shots[1]), "the page with formulas carries more ink"


def web_latex(derivation, notation):
    """Every LaTeX string a web page would hand to KaTeX or MathJax."""
    markdown = derivation.to_markdown(notation=notation)
    blocks = re.findall(r"\$\$\n(.*?)\n\$\$", markdown, re.S)
    inline = re.findall(r"(?<![$\\])\$([^$\n]+)\$", markdown)
    display = derivation._repr_latex_()[2:-2]
    return blocks + inline + [display]


@pytest.mark.skipif(not (NODE and KATEX.exists()),
                    reason="node or KaTeX is missing (npm ci --prefix tests/js)")
def test_web_latex_renders_in_katex():
    strings = [s for _, d, notation in derivations() for s in web_latex(d, notation)]
    assert len(strings) > 50
    errors = katex_errors(strings)
    assert not errors, errors[:3]


TERMS_PROBE = """<script>
addEventListener("load", () => {
  const numbers = [...document.querySelectorAll("math mn")];
  const shown = (text) => numbers.filter((n) => n.textContent === text)
    .map((n) => n.getBoundingClientRect().width > 0);
  const report = { maths: document.querySelectorAll("math").length, numbers: numbers.length,
                   first: shown("0.001"), last: shown("0.784") };
  const pre = document.createElement("pre");
  pre.id = "terms";
  pre.textContent = JSON.stringify(report);
  document.body.appendChild(pre);
});
</script>"""


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
def test_chromium_opens_the_page_of_a_784_input_neuron(tmp_path):
    weights = [k / 1000 for k in range(1, 785)]      # 0.001 ... 0.784, each once
    network = symann.Network([symann.Neuron(weights, 0.5)], inputs=[0.5] * 784)
    html = network.forward().to_html(terms=0)          # every term, on request
    page = tmp_path / "page.html"
    page.write_text(html.replace("</body>", TERMS_PROBE + "</body>"), encoding="utf-8")
    dom = chromium("--virtual-time-budget=10000", "--dump-dom", page.as_uri()).stdout
    report = json.loads(re.search(r'<pre id="terms">(.*?)</pre>', dom, re.S).group(1)
                        .replace("&quot;", '"'))
    assert report["maths"] == 2
    assert report["numbers"] >= 2 * 784               # every input and every weight
    # the first and the last weight: in the substituted line, laid out
    assert report["first"] and all(report["first"])
    assert report["last"] and all(report["last"])
