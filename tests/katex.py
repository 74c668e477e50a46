"""KaTeX in strict mode (tests/js, `npm ci --prefix tests/js`): which strings it refuses."""
from __future__ import annotations

import json
import shutil
import subprocess

from conftest import ROOT

NODE = shutil.which("node")
KATEX = ROOT / "tests" / "js" / "node_modules" / "katex"


def katex_errors(strings: list[str]) -> list[tuple[str, str]]:
    """Each string KaTeX cannot render (its first 200 characters) with KaTeX's error."""
    result = subprocess.run([NODE or "node", str(ROOT / "tests" / "js" / "render-katex.js")],
                            input=json.dumps(strings), capture_output=True, text=True,
                            timeout=120, cwd=ROOT / "tests" / "js")
    return [(s[:200], e) for s, e in zip(strings, json.loads(result.stdout)) if e]
