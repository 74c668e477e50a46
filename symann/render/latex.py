"""The worked solution in LaTeX: ``align*`` blocks, a fragment or a standalone document.

The maths uses only amsmath; text from a file (the title) is escaped, never interpreted.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..activations import REGISTRY
from ..formats import RenderSettings, register
from ..notation import GREEK, Name
from ..printers.base import Printer
from ..printers.pieces import INDEX, subscript
from .blocks import (
    CarryNote,
    Inputs,
    Layer,
    Line,
    Outputs,
    ParameterTables,
    Part,
    Title,
)
from .breaking import COLUMN, latex_width, layout, split_products
from .document import NUMBER_WIDTH, DocumentWriter
from .latex_text import breakable, breakable_number, escape
from .matrix import column_blocks

#: letters of names written as LaTeX commands (δ, η, σ and the Greek a reader may choose)
_GREEK = {"δ": r"\delta", "η": r"\eta", "σ": r"\sigma",
          **{letter: f"\\{name}" for name, letter in GREEK.items()}}
#: between the rows of a matrix of fractions
MATRIX_ROW = r" \\[4pt] "
#: a layer's superscript, by ``RenderSettings.layer_brackets``
_LAYER = {"round": "^{{({})}}", "square": "^{{[{}]}}"}


class LatexPrinter(Printer):
    """LaTeX dialect (also the input of the MathML, KaTeX and MathJax outputs)."""

    def name(self, name: Name) -> str:
        text = _GREEK.get(name.base[0], name.base[0]) + name.base[1:]
        if "'" in text and (name.layer is not None or name.indices):
            text = f"{{{text}}}"   # w'^{(2)} would be a double superscript
        if name.layer is not None:
            text += _LAYER[self.settings.layer_brackets].format(name.layer)
        if name.indices:
            sub = subscript(name.indices)
            text += f"_{sub}" if len(sub) == 1 else f"_{{{sub}}}"
        return text

    def fraction(self, numerator: str, denominator: str) -> str:
        return rf"\frac{{{numerator}}}{{{denominator}}}"

    def exp(self, exponent: str) -> str:
        return f"e^{{{exponent}}}"

    def partial(self, of: str, by: str) -> str:
        return rf"\frac{{\partial {of}}}{{\partial {by}}}"

    def prime(self, function: str, arguments: list[str]) -> str:
        names = REGISTRY[function].names
        name = names.latex or rf"\operatorname{{{names.display}}}"
        return f"{name}'{self.paren(', '.join(arguments))}"

    def function(self, function: str, arguments: list[str]) -> str:
        return REGISTRY[function].names.latex + self.paren(", ".join(arguments))

    def slash(self, numerator: str, denominator: str) -> str:
        return f"{numerator}/{denominator}"

    def summation(self, upper: int, body: str) -> str:
        return rf"\sum_{{{INDEX}=1}}^{{{upper}}} {body}"

    def open_bracket(self, inside: str) -> str:
        r"""A bracket sized to a fraction inside, that a broken line may split (unlike
        ``\left``)."""
        return r"\Bigl(" if r"\frac" in inside else "("

    def close_bracket(self, inside: str) -> str:
        return r"\Bigr)" if r"\frac" in inside else ")"

    def power(self, base: str, exponent: str) -> str:
        return f"{base}^{{{exponent}}}"

    def log(self, argument: str) -> str:
        return rf"\ln{self.paren(argument)}"

    def times(self, substituted: bool) -> str:
        return rf" \{self.settings.times} " if substituted else r" \cdot "

    def implicit(self, left: str, right: str) -> str:
        return f"{left} {right}"

    def relation(self, relation: str) -> str:
        return "=" if relation == "=" else r"\approx"

    def ellipsis(self) -> str:
        return r"\cdots"

    def transpose(self, text: str) -> str:
        return f"{text}^{{\\top}}"

    def hadamard(self) -> str:
        return r" \odot "

    def vertical_ellipsis(self) -> str:
        return r"\vdots"

    def diagonal_ellipsis(self) -> str:
        return r"\ddots"

    def paren(self, text: str) -> str:
        """Brackets sized to a fraction or a matrix inside them, else plain."""
        if r"\frac" in text or r"\begin" in text:
            return rf"\left({text}\right)"
        return f"({text})"

    def matrix(self, rows: list[list[str]]) -> str:
        """A ``bmatrix``; rows of fractions a little apart, so that they do not touch."""
        cells = [" & ".join(row) for row in rows]
        body = (MATRIX_ROW if any(r"\frac" in cell for cell in cells) else r" \\ ").join(cells)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"

    def indexed(self, text: str, indices: tuple[int, ...]) -> str:
        return f"{text}_{{{subscript(indices)}}}"


#: an A4 page with 2 cm margins at 11 pt is 88 digits wide; lines are broken to 80
PAGE_WIDTH = 80
#: what a row of an aligned line may hold beside a matrix: its name, the relation, the
#: indent of a continued row, an operator and a factor (``\\quad - \\eta``), in digits
MATRIX_MARGIN = 16
#: the brackets of a matrix
BRACKETS = 1.6


class PageLatexPrinter(LatexPrinter):
    """The LaTeX of a page (pdflatex): a matrix too wide for the page written in column
    blocks, one under the other in the same brackets, each headed by its columns
    (``columns 1--6``), as MATLAB and NumPy print a wide matrix."""

    def matrix(self, rows: list[list[str]]) -> str:
        rows = [[stacked(cell) for cell in row] for row in rows]
        whole = super().matrix(rows)
        width = PAGE_WIDTH if self.settings.width is None else self.settings.width
        if self.settings.numbered and width:
            width = max(width - NUMBER_WIDTH, 1)
        room = width - MATRIX_MARGIN - BRACKETS
        if not width or latex_width(whole) <= room + BRACKETS:
            return whole
        widths = [max(latex_width(row[k]) for row in rows) for k in range(len(rows[0]))]
        blocks = column_blocks(widths, room, COLUMN)
        return whole if len(blocks) == 1 else blocked_matrix(rows, blocks)


#: a matrix cell of a number of more digits than this is written in lines of this many
CELL_DIGITS = 40
_CELL_NUMBER = re.compile(r"-?\d*\.?\d+")


def stacked(cell: str) -> str:
    """A matrix cell that is a number of more than :data:`CELL_DIGITS` digits (a weight
    given to 100 digits) as lines of :data:`CELL_DIGITS` digits, one under another, each
    but the last ending ``↩``; any other cell as it is."""
    if not _CELL_NUMBER.fullmatch(cell) or sum(map(str.isdigit, cell)) <= CELL_DIGITS:
        return cell
    lines, line, digits = [], "", 0
    for char in cell:
        line += char
        digits += char.isdigit()
        if digits == CELL_DIGITS:
            lines.append(line)
            line, digits = "", 0
    lines.append(line)
    if not lines[-1]:
        lines.pop()
    boxes = [rf"\hbox{{\strut${text}\hookleftarrow$}}" for text in lines[:-1]]
    return rf"\vcenter{{{''.join(boxes)}\hbox{{\strut${lines[-1]}$}}}}"


def blocked_matrix(rows: list[list[str]], blocks: list[range]) -> str:
    """A matrix in column blocks, one under another, ruled apart, each headed by its
    columns (``columns 7--11``) in small text."""
    apart = MATRIX_ROW if any(r"\frac" in cell for row in rows for cell in row) else r" \\ "
    parts = []
    for block in blocks:
        label = (rf"\multicolumn{{{len(block)}}}{{l}}{{\text{{\footnotesize columns "
                 rf"{block.start + 1}--{block.stop}}}}}")
        body = apart.join(" & ".join(row[k] for k in block) for row in rows)
        parts.append(f"{label} \\\\ {body}")
    spec = "c" * max(len(block) for block in blocks)
    return (rf"\left[\begin{{array}}{{{spec}}} " + r" \\[2pt] \hline ".join(parts)
            + r" \end{array}\right]")


def line_latex(line: Line, align: bool = True) -> str:
    """One line: ``lhs &= symbolic = substituted \\approx value`` (``&`` only when aligned)."""
    lhs, *middle, value = line.parts
    relations = ["=" for _ in middle] + [line.relation]
    if align:
        relations[0] = "&" + relations[0]
    members = [lhs] + [f"{rel} {part}" for rel, part in zip(relations, [*middle, value])]
    return " ".join(members)


#: between the rows of ``align*`` and ``aligned``
ROW = " \\\\\n"


#: the marks of a numbered line's first row and of the rows that continue it
Tags = tuple[str, str]


def label_tags(line: Line) -> Tags:
    """In ``align``: a numbered line's label on its first row, no number on the rest."""
    return (rf" \label{{{line.label}}}", r" \notag") if line.number else ("", "")


def number_tags(line: Line) -> Tags:
    """In ``align*`` (KaTeX, MathJax): a numbered line's number on its first row."""
    return (rf" \tag{{{line.number}}}", "") if line.number else ("", "")


def line_rows(line: Line, width: float = 0, tags: Tags = ("", "")) -> list[str]:
    """A line as aligned rows: one, or (longer than ``width``) each member on its own row
    and a long sum broken between its terms (:mod:`~.breaking`); ``tags`` end its first
    row and each further row."""
    broken = layout(line, width, latex_width, "=")
    if broken is None:
        return [line_latex(line) + tags[0]]
    broken = split_products(broken, width, latex_width(line.parts[0]))
    return [((f"{row.lhs} " if row.lhs else "") + f"&{row.relation} {row.text}" if row.relation
             else rf"&\quad{row.text}") + tags[min(k, 1)] for k, row in enumerate(broken)]


def rows(lines: Sequence[Line], width: float = 0,
         tags: Callable[[Line], Tags] | None = None) -> str:
    """The lines as aligned rows, broken to ``width`` (0: never), each numbered line
    marked by ``tags``."""
    return ROW.join(row for line in lines
                    for row in line_rows(line, width, tags(line) if tags else ("", "")))


def align(lines: Sequence[Line], width: float = 0, numbered: bool = False) -> str:
    """An ``align*`` environment, one row per line (or more, broken to ``width``); with
    ``numbered``, ``align``, each line labelled (:func:`label_tags`)."""
    name = "align" if numbered else "align*"
    body = rows(lines, width, label_tags if numbered else None)
    return f"\\begin{{{name}}}\n{body}\n\\end{{{name}}}"


def aligned(body: str) -> str:
    """Rows in ``aligned``, for ``$$ ... $$`` in notebooks, KaTeX and MathJax."""
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"


STANDALONE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{amsmath}
\usepackage[a4paper,margin=2cm]{geometry}
\setlength{\parindent}{0pt}
\raggedright
\allowdisplaybreaks
\begin{document}
%s\end{document}
"""


def math(pairs: tuple[tuple[str, str], ...], labels: Sequence[str] = (),
         annotate: Callable[[str], str] | None = None) -> str:
    """``$w_1 = 0.15$, $b = 0.4$``; each pair's label, if any, after it in brackets
    (``$x_1 = 1.5$ (hours)``) by ``annotate`` (LaTeX's :func:`annotated` if not given)."""
    annotate = annotate or annotated
    return ", ".join(f"${name} = {value}$" + annotate(label)
                     for (name, value), label in zip(pairs, [*labels, *[""] * len(pairs)]))


def long_numbers(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Given values whose long numbers may break across lines (:func:`breakable_number`)."""
    return tuple((name, breakable_number(value)) for name, value in pairs)


def annotated(label: str) -> str:
    """`` (hours)`` after a value: a label from a file, escaped; empty if none."""
    return f" ({breakable(label)})" if label else ""


#: the columns amsmath's matrices take unless told (``MaxMatrixCols``)
MATRIX_COLUMNS = 10
_MATRIX_ROW = re.compile(r"\\begin\{bmatrix\}(.*?)(?:\\\\|\\end\{bmatrix\})")


def columns(text: str) -> int:
    """The most columns of a ``bmatrix`` in ``text`` (0: none)."""
    return max((row.count("&") + 1 for row in _MATRIX_ROW.findall(text)), default=0)


#: the sectioning commands of the title and of the layers, by :attr:`RenderSettings.heading`
SECTIONS = {"section": ("section", "subsection"), "subsection": ("subsection", "subsubsection")}


class LatexWriter(DocumentWriter):
    """The worked solution as LaTeX: a fragment for ``\\input`` (needs amsmath), or with
    ``standalone`` a document pdflatex compiles."""

    dialect = PageLatexPrinter
    writes_tables = False
    line_width = PAGE_WIDTH

    def title(self, block: Title) -> str | None:
        level = SECTIONS.get(self.settings.heading)
        return rf"\{level[0]}*{{{escape(block.text)}}}" if block.text and level else None

    def inputs(self, block: Inputs) -> str:
        return f"Inputs: {math(long_numbers(block.given), block.labels)}."

    def parameters(self, block: ParameterTables) -> None:
        return None

    def layer(self, block: Layer) -> str:
        """The heading, the given parameters (a line per neuron) and, in the same
        paragraph (no gap), the aligned lines; then the notes."""
        level = SECTIONS.get(self.settings.heading)
        heading = escape(block.heading)
        intro = [rf"\{level[1]}*{{{heading}}}"] if level else []
        given = ";\\\\\n".join(math(long_numbers(neuron)) for neuron in block.given)
        lead = "" if level else rf"\textbf{{{heading}.}}"
        if given:
            lead = f"{lead} Given: {given}." if lead else f"Given: {given}."
        if not block.lines:   # the given part alone (an exercise sheet)
            return "\n\n".join(intro + ([lead] if lead else []))
        maths = align(block.lines, self.width, self.settings.numbered)
        matrix = columns(maths)
        if matrix > MATRIX_COLUMNS:
            maths = f"\\setcounter{{MaxMatrixCols}}{{{matrix}}}%\n{maths}"
        intro.append(f"{lead}\n{maths}" if lead else maths)
        notes = [f"${line.parts[0]}$: {escape(line.note)}." for line in block.lines if line.note]
        return "\n\n".join(intro + notes)

    def outputs(self, block: Outputs) -> str:
        outputs = ", ".join(f"${line.parts[0]} {line.relation} {line.parts[-1]}$"
                            + annotated(line.annotation) for line in block.lines)
        return f"Output: {outputs}."

    def carry_note(self, block: CarryNote) -> str:
        return escape(block.text)

    def part(self, block: Part) -> str:
        level = SECTIONS.get(self.settings.heading)
        return rf"\{level[0]}*{{{escape(block.text)}}}" if level else \
            rf"\paragraph*{{{escape(block.text)}}}"

    def frame(self, title: str, settings: RenderSettings) -> tuple[str, str]:
        if not settings.standalone:
            return "", "\n"
        head, tail = STANDALONE.split("%s")
        return head, "\n" + tail


register("latex", LatexWriter())
