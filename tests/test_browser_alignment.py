"""In a real headless Chromium, the ``=`` (or ``≈``) of every row of an aligned block of the
HTML output lines up: the glyphs' boxes (measured on the text, not on the ``<mo>``
element) have the same horizontal centre in every row of a block.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import symann

from conftest import EXAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,1600", "--virtual-time-budget=5000", "--dump-dom"]
#: how far apart (CSS pixels) two rows' relation signs may be and still line up
TOLERANCE = 0.5

#: for each block (a <math> whose top table has rows), the x centre of the glyph of the
#: first = or ≈ in each row's second cell (null: no relation in that row)
PROBE = """<script>
addEventListener("load", () => {
  const centre = (node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    return r.width > 0 ? r.left + r.width / 2 : null;
  };
  const blocks = [...document.querySelectorAll("math")].map((math) => {
    const table = math.querySelector("mtable");
    if (!table) return [];
    // a row that continues a sum (class "more") has no relation of its own
    return [...table.children].filter((row) => row.localName === "mtr"
                                      && !row.classList.contains("more")).map((row) => {
      const cell = row.children[1];
      if (!cell) return null;
      const sign = [...cell.querySelectorAll("mo")].find(
        (mo) => ["=", "\\u2248"].includes(mo.textContent.trim()));
      return sign ? centre(sign.firstChild) : null;
    });
  });
  const pre = document.createElement("pre");
  pre.id = "alignment";
  pre.textContent = JSON.stringify(blocks);
  document.body.appendChild(pre);
});
</script>"""


def relation_columns(html: str, tmp_path: Path) -> list[list[float | None]]:
    page = tmp_path / "page.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="symann-chromium-")
    try:
        dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", page.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    found = re.search(r'<pre id="alignment">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"'))


def misaligned(blocks: list[list[float | None]]) -> list[list[float]]:
    """The blocks whose relation signs do not share one x centre."""
    wrong = []
    for rows in blocks:
        xs = [x for x in rows if x is not None]
        if xs and max(xs) - min(xs) > TOLERANCE:
            wrong.append(xs)
    return wrong


pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")


@pytest.mark.parametrize("example, notation", [("two-neurons.toml", "auto"),
                                               ("two-neurons.toml", "layered"),
                                               ("relu-softmax.json", "auto"),
                                               ("relu-softmax.json", "matrix")])
def test_the_relation_signs_of_each_block_line_up(tmp_path, example, notation):
    html = symann.load(EXAMPLES / example).forward().to_html(notation=notation)
    blocks = relation_columns(html, tmp_path)
    multi = [rows for rows in blocks if sum(x is not None for x in rows) >= 2]
    assert multi, f"no block with two aligned rows: {blocks}"
    assert all(x is not None for rows in blocks for x in rows), blocks
    assert not misaligned(blocks), blocks


def test_the_check_sees_a_sign_out_of_line(tmp_path):
    """The control: pushing the first row's right-hand cell 12px right is caught."""
    html = symann.load(EXAMPLES / "two-neurons.toml").forward().to_html()
    shifted = html.replace("</style>", "mtr:first-child > mtd:nth-child(2) "
                                       "{ padding-left: 12px !important; }</style>")
    assert shifted != html
    wrong = misaligned(relation_columns(shifted, tmp_path))
    assert wrong and all(max(xs) - min(xs) > 10 for xs in wrong)
