"""A self-contained HTML page: MathML (no scripts, no network), the parameters as tables."""
from __future__ import annotations

from html import escape
from typing import Any

from ..numbers import show_exact
from ..steps import Derivation
from .document import build
from .latex import printer_for
from .mathml import lines_mathml
from .safe import visible

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 1.6rem; }
table.parameters { border-collapse: collapse; margin: 0.5rem 0; }
table.parameters th, table.parameters td { border: 1px solid #bbb; padding: 0.2rem 0.6rem;
       text-align: right; font-variant-numeric: tabular-nums; }
table.parameters th { background: #f2f2f2; }
math[display="block"] { margin: 0.8rem 0; padding: 0.3rem 0; font-size: 1.15em;
                        overflow-x: auto; overflow-y: hidden; }
p.note { color: #555; font-size: 0.9rem; }
"""


def _parameters(derivation: Derivation) -> str:
    network = derivation.network
    labels = network.input_labels or ("",) * network.n_inputs
    rows = "".join(f"<tr><td>x<sub>{k}</sub></td><td>{escape(visible(label))}</td>"
                   f"<td>{escape(show_exact(x).text)}</td></tr>"
                   for k, (label, x) in enumerate(zip(labels, derivation.inputs), 1))
    html = [f'<table class="parameters"><caption>Inputs</caption><tr><th>input</th>'
            f"<th>label</th><th>value</th></tr>{rows}</table>"]
    for l, layer in enumerate(network.layers, 1):
        head = "".join(f"<th>w<sub>j{k}</sub></th>" for k in range(1, layer.fan_in + 1))
        body = "".join(
            f"<tr><td>{j}</td>" + "".join(f"<td>{escape(show_exact(w).text)}</td>" for w in row)
            + f"<td>{escape(show_exact(b).text)}</td></tr>"
            for j, (row, b) in enumerate(zip(layer.weights, layer.biases), 1))
        caption = f"Layer {l}: {escape(layer.activation.describe())}"
        html.append(f'<table class="parameters"><caption>{caption}</caption><tr><th>neuron j</th>'
                    f"{head}<th>b<sub>j</sub></th></tr>{body}</table>")
    return "\n".join(html)


def to_html(derivation: Derivation, notation: str = "auto", **style: Any) -> str:
    """A complete HTML page: the title, the parameters, then every step in MathML."""
    document = build(derivation, printer_for(derivation, notation, **style))
    title = escape(document.title or "Worked forward pass")
    parts = [f"<h1>{title}</h1>", "<h2>Network</h2>", _parameters(derivation)]
    for block in document.blocks:
        parts += [f"<h2>{escape(block.heading)}</h2>", lines_mathml(block.lines)]
        parts += [f'<p class="note">{escape(line.note)}</p>' for line in block.lines if line.note]
    parts += ["<h2>Output</h2>", lines_mathml(document.outputs),
              f'<p class="note">{escape(document.note)}</p>']
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n</main>\n</body>\n</html>\n")
