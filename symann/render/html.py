"""A self-contained HTML page: MathML (no scripts, no network), the parameters as tables.

Text is escaped, characters outside ASCII as character references (as in the MathML: a
page of a large network stays a one-byte-a-character string).
"""
from __future__ import annotations

from collections.abc import Mapping
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
main { container-type: inline-size; }
math, math * { overflow-wrap: normal; word-break: normal; white-space: nowrap;
               hyphens: manual; letter-spacing: normal; word-spacing: normal;
               text-transform: none; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 1.6rem; }
div.parameters { max-width: 100%; overflow-x: auto; }
table.parameters { border-collapse: collapse; margin: 0.5rem 0; }
table.parameters th, table.parameters td { border: 1px solid #bbb; padding: 0.2rem 0.5rem;
       text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal;
       white-space: nowrap; }
table.parameters th { background: #f2f2f2; white-space: normal; }
table.parameters td.weights { text-align: left; white-space: normal; }
table.parameters td.label { text-align: left; white-space: normal; overflow-wrap: anywhere; }
td.weights span { display: inline-block; max-width: 100%; }
table.parameters .long { white-space: normal; overflow-wrap: anywhere; }
math[display="block"] { margin: 0.8rem 0; padding: 0.3rem 0; font-size: 1.15em;
                        max-width: 100%; }
math mrow[style] { font-size: min(1em, calc((100cqi - var(--name) * 0.5em) * 2
                                            / var(--digits))); }
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


#: the characters a phone's row of a parameter table holds (400 px at 0.85 rem, each
#: column's padding a character): a layer whose columns would be wider lists each neuron's
#: weights in one cell that wraps between the weights
TABLE_CHARACTERS = 44


def _columns_fit(layer: LayerTable, weight: str) -> bool:
    """Whether a column for each weight fits a phone: every column as wide as its header
    or its widest value, and a character of padding."""
    heads = [len(f"{weight}j{k}") for k in range(1, layer.fan_in + 1)]
    widths = [max(head, *(len(weights[k]) for weights, _ in layer.rows))
              for k, head in enumerate(heads)]
    bias = max(2, *(len(bias) for _, bias in layer.rows))
    return len("neuron j") + sum(widths) + bias + len(widths) + 3 <= TABLE_CHARACTERS


#: a number of more characters than this may wrap inside its table cell (a phone's row holds
#: about 40); a shorter one is never broken
LONG_NUMBER = 20


def _number(tag: str, text: str) -> str:
    """A number in a table element ``tag``, whole unless it is too long for a phone's row."""
    kind = ' class="long"' if len(text) > LONG_NUMBER else ""
    return f"<{tag}{kind}>{escape(text)}</{tag}>"


def _layer_table(layer: LayerTable, symbols: Mapping[str, str]) -> str:
    weight, bias_name = escape(symbols.get("w", "w")), escape(symbols.get("b", "b"))
    if not _columns_fit(layer, symbols.get("w", "w")):
        head = (f"<th>{weight}<sub>j1</sub>, &#8230;, {weight}<sub>j{layer.fan_in}</sub>"
                "</th>")
        body = "".join(
            f'<tr><td>{j}</td><td class="weights">'
            + ", ".join(_number("span", w) for w in weights)
            + f"</td>{_number('td', bias)}</tr>"
            for j, (weights, bias) in enumerate(layer.rows, 1))
    else:
        head = "".join(f"<th>{weight}<sub>j{k}</sub></th>"
                       for k in range(1, layer.fan_in + 1))
        body = "".join(
            f"<tr><td>{j}</td>" + "".join(_number("td", w) for w in weights)
            + f"{_number('td', bias)}</tr>"
            for j, (weights, bias) in enumerate(layer.rows, 1))
    caption = f"Layer {layer.number}: {escape(layer.activation)}"
    return (f'<div class="parameters"><table class="parameters"><caption>{caption}</caption>'
            f"<tr><th>neuron j</th>{head}<th>{bias_name}<sub>j</sub></th></tr>{body}"
            "</table></div>")


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
        symbols = self.settings.symbols
        x = escape(symbols.get("x", "x"))
        rows = "".join(f'<tr><td>{x}<sub>{k}</sub></td><td class="label">{escape(label)}</td>'
                       f"{_number('td', value)}</tr>"
                       for k, (label, value) in enumerate(block.inputs, 1))
        tables = [(f'<div class="parameters"><table class="parameters"><caption>Inputs</caption>'
                   f"<tr><th>input</th><th>label</th><th>value</th></tr>{rows}</table></div>")]
        tables += [_layer_table(layer, symbols) for layer in block.layers]
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
