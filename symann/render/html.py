"""A self-contained HTML page: MathML (no scripts, no network), the parameters as tables.

Text is escaped, characters outside ASCII as character references (as in the MathML: a
page of a large network stays a one-byte-a-character string).
"""
from __future__ import annotations

from itertools import chain

from ..formats import RenderSettings, register
from ..steps import Derivation
from .blocks import (
    CarryNote,
    Inputs,
    Layer,
    LayerTable,
    Outputs,
    ParameterTables,
    Part,
    Title,
)
from .document import Pieces
from .mathml import MathmlDocumentWriter, math_block, math_pieces, text_node as escape

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1b1b1b; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 1.6rem; }
div.parameters { max-width: 100%; overflow-x: auto; }
table.parameters { border-collapse: collapse; margin: 0.5rem 0; }
table.parameters th, table.parameters td { border: 1px solid #bbb; padding: 0.2rem 0.5rem;
       text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal; }
table.parameters th { background: #f2f2f2; }
table.parameters td.weights { text-align: left; }
td.weights span { white-space: nowrap; }
math[display="block"] { margin: 0.8rem 0; padding: 0.3rem 0; font-size: 1.15em;
                        max-width: 100%; }
p.note { color: #555; font-size: 0.9rem; }
@media (max-width: 36rem) {
  body { margin: 1rem auto; padding: 0 0.5rem; }
  math[display="block"] { font-size: 1em; }
  table.parameters { font-size: 0.85rem; }
  table.parameters th, table.parameters td { padding: 0.1rem 0.25rem; }
}
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  math[display="block"] { font-size: 1em; break-inside: auto; }
  div.parameters { overflow: visible; }
  table.parameters { font-size: 0.8rem; }
  h2 { break-after: avoid; }
}
"""

UNTITLED = "Worked forward pass"
UNTITLED_BACKWARD = "Worked backpropagation"


#: a layer with more inputs than this lists each neuron's weights in one cell that wraps,
#: rather than a column each (a phone shows 6 columns)
TABLE_COLUMNS = 6


def _layer_table(layer: LayerTable) -> str:
    if layer.fan_in > TABLE_COLUMNS:
        head = f"<th>w<sub>j1</sub>, &#8230;, w<sub>j{layer.fan_in}</sub></th>"
        body = "".join(
            f'<tr><td>{j}</td><td class="weights">'
            + ", ".join(f"<span>{escape(w)}</span>" for w in weights)
            + f"</td><td>{escape(bias)}</td></tr>"
            for j, (weights, bias) in enumerate(layer.rows, 1))
    else:
        head = "".join(f"<th>w<sub>j{k}</sub></th>" for k in range(1, layer.fan_in + 1))
        body = "".join(
            f"<tr><td>{j}</td>" + "".join(f"<td>{escape(w)}</td>" for w in weights)
            + f"<td>{escape(bias)}</td></tr>"
            for j, (weights, bias) in enumerate(layer.rows, 1))
    caption = f"Layer {layer.number}: {escape(layer.activation)}"
    return (f'<div class="parameters"><table class="parameters"><caption>{caption}</caption>'
            f"<tr><th>neuron j</th>{head}<th>b<sub>j</sub></th></tr>{body}</table></div>")


class HtmlWriter(MathmlDocumentWriter):
    """A complete HTML page: the title, the parameters, then every step in MathML."""

    separator = "\n"
    writes_tables = True
    #: lines are broken to fit a phone (400 px, 1em maths): 34 digits and the name
    line_width = 34

    def write(self, derivation: Derivation, settings: RenderSettings) -> str:
        bound = self.bound(settings)
        untitled = UNTITLED_BACKWARD if derivation.backward else UNTITLED
        return bound.write_document(derivation.title or untitled,
                                    bound.blocks(derivation, settings))

    def title(self, block: Title) -> str:
        untitled = UNTITLED_BACKWARD if block.backward else UNTITLED
        return f"<h1>{escape(block.text or untitled)}</h1>"

    def inputs(self, block: Inputs) -> None:
        return None  # in the parameter tables

    def parameters(self, block: ParameterTables) -> str:
        rows = "".join(f"<tr><td>x<sub>{k}</sub></td><td>{escape(label)}</td>"
                       f"<td>{escape(value)}</td></tr>"
                       for k, (label, value) in enumerate(block.inputs, 1))
        tables = [(f'<div class="parameters"><table class="parameters"><caption>Inputs</caption>'
                   f"<tr><th>input</th><th>label</th><th>value</th></tr>{rows}</table></div>")]
        tables += [_layer_table(layer) for layer in block.layers]
        return "\n".join(["<h2>Network</h2>", *tables])

    def layer(self, block: Layer) -> Pieces:
        notes: list[str] = []   # filled as the lines are printed, written after them
        return Pieces(chain((f"<h2>{escape(block.heading)}</h2>\n",),
                            math_pieces(block.lines, block.alt, notes, self.width),
                            (f'\n<p class="note">{escape(note)}</p>' for note in notes)))

    def outputs(self, block: Outputs) -> str:
        return f"<h2>Output</h2>\n{math_block(block.lines, block.alt, self.width)}"

    def carry_note(self, block: CarryNote) -> str:
        return f'<p class="note">{escape(block.text)}</p>'

    def part(self, block: Part) -> str:
        return f'<h2 class="part">{escape(block.text)}</h2>'

    def frame(self, title: str, settings: RenderSettings) -> tuple[str, str]:
        title = escape(title or UNTITLED)
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
                "\n</main>\n</body>\n</html>\n")


register("html", HtmlWriter())
