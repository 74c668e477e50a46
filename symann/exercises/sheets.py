"""The class's exercise and solution sheets, one page per variant, in LaTeX, Markdown and
HTML.

An exercise page is the "given" part of the worked solution (the title, inputs and each
layer's parameters, or HTML's parameter tables), written by the format's own writer, then
(with a backward pass) the loss, the targets and the learning rate, then what to compute;
a solution page is the worked solution as ``symann solve`` writes it in
the course's notation. Pages are headed by the variant's title and, with a roster, the
student's name.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from ..formats import FORMATS, RenderSettings
from ..notation import notation
from ..quantities import Quantity, Ref
from ..render.blocks import Block, Inputs, Layer, ParameterTables, Part, Title
from ..render.document import DocumentWriter, blocks_of, carry_note
from ..render.html import STYLE
from ..render.latex import STANDALONE
from ..render.latex_text import escape as latex_escape
from ..render.markdown import escape as markdown_escape
from ..render.mathml import text_node as html_escape
from ..steps import Derivation, Step
from .keys import asked
from .variants import Variant

SHEET_FORMATS = ("latex", "markdown", "html")
SUFFIXES = {"latex": "tex", "markdown": "md", "html": "html"}
KINDS = ("exercise", "solution")

#: the title a section, the layers subsections: the page's heading is the section
_SETTINGS = RenderSettings(heading="subsection")
_HTML_PAGES = "\nsection.page { break-after: page; }\nsection.page + section.page " \
              "{ border-top: 1px solid #bbb; margin-top: 2rem; }\n"


def sheet(variants: Sequence[Variant], ask: Sequence[str], format: str, kind: str) -> str:
    """The exercise (``kind="exercise"``) or solution sheet of the class in ``format``."""
    title = variants[0].network.title.rsplit(" ", 1)[0]
    return document([page(variant, ask, format, kind) for variant in variants], format,
                    f"{title}: {kind} sheet")


def page(variant: Variant, ask: Sequence[str], format: str, kind: str) -> str:
    """One variant's page of a sheet."""
    writer = FORMATS[format]
    assert isinstance(writer, DocumentWriter)
    return _page(writer.bound(_SETTINGS), variant, ask, format, kind, _SETTINGS)


def _page(writer: DocumentWriter, variant: Variant, ask: Sequence[str], format: str,
          kind: str, settings: RenderSettings) -> str:
    derivation = variant.derivation
    if kind == "exercise":   # the layers' lines printed only if read: here never
        printer = writer.dialect(notation(derivation.network, settings.notation), settings,
                                 weights_twice=writer.writes_given)
        body = writer.body(_given(blocks_of(derivation, printer, writer.writes_given,
                                            writer.writes_tables, once=True), writer))
        task = _task(writer, derivation, asked(derivation, ask), format)
        backward = [_backward_given(writer, derivation, format)] if derivation.backward else []
        return "\n\n".join([_heading(variant, format, kind), body, *backward, task])
    body = writer.body(block for block in writer.blocks(derivation, settings)
                       if not isinstance(block, Title))
    return "\n\n".join([_heading(variant, format, kind), body])


def _given(blocks: Iterator[Block], writer: DocumentWriter) -> Iterator[Block]:
    """The blocks of the given part: inputs, parameters, each layer without its lines (up
    to the backward pass, whose givens :func:`_backward_given` writes)."""
    for block in blocks:
        if isinstance(block, Part):
            return
        if isinstance(block, (Inputs, ParameterTables)):
            yield block
        elif isinstance(block, Layer) and block.given and writer.writes_given:
            yield dataclasses.replace(block, lines=())


#: a break point LaTeX takes inside a word only where the line has no space to break at
_BREAK = r"\penalty5000{}"


def _breakable(text: str) -> str:
    """``text`` for LaTeX (each character escaped as titles are), breakable between any
    two characters: a long name or title without spaces wraps instead of running off the
    page."""
    return _BREAK.join(latex_escape(char) for char in text)


def _heading(variant: Variant, format: str, kind: str) -> str:
    title = variant.network.title + (": solution" if kind == "solution" else "")
    student = variant.student
    if format == "latex":
        name = "" if student is None else \
            rf"\par{{\raggedright\textbf{{Student:}} {_breakable(student)}\par}}\medskip"
        return rf"\section*{{{_breakable(title)}}}" + name
    if format == "markdown":
        name = "" if student is None else f"\n\n**Student:** {markdown_escape(student)}"
        return f"# {markdown_escape(title)}{name}"
    name = "" if student is None else \
        f'\n<p class="student"><strong>Student:</strong> {html_escape(student)}</p>'
    return f"<h1>{html_escape(title)}</h1>{name}"


def _backward_given(writer: DocumentWriter, derivation: Derivation, format: str) -> str:
    """The backward pass's givens: the loss by name and definition, the targets and the
    learning rate (in every format, HTML's parameter tables having none of them)."""
    printer = writer.dialect(notation(derivation.network, writer.settings.notation),
                             writer.settings)
    loss = derivation.loss
    assert loss is not None and derivation.targets is not None
    definition = next(step for step in derivation if step.ref.kind is Quantity.LOSS).symbolic
    equals = printer.relation("=")
    maths = [f"{printer.ref(Ref(Quantity.LOSS))} {equals} {printer.symbolic(definition)}"]
    maths += [f"{printer.ref(Ref(Quantity.TARGET, neuron=j))} {equals} "
              f"{printer.number(printer.exact(y))}" for j, y in enumerate(derivation.targets, 1)]
    if derivation.learning_rate is not None:
        maths.append(f"{printer.ref(Ref(Quantity.LEARNING_RATE))} {equals} "
                     f"{printer.number(printer.exact(derivation.learning_rate))}")
    words = ["Loss", "targets", "learning rate"]
    if format == "latex":
        parts = [rf"$\displaystyle {m}$" for m in maths]
        heading, say = r"\subsubsection*{Backward pass}", latex_escape
    elif format == "markdown":
        parts = [f"${m}$" for m in maths]
        heading, say = "### Backward pass", markdown_escape
    else:
        parts = [f"<math>{m}</math>" for m in maths]
        heading, say = "<h2>Backward pass</h2>", html_escape
    n = len(derivation.targets)
    text = (f"{say(words[0])} ({say(loss.display)}): {parts[0]}; {say(words[1])}: "
            f"{', '.join(parts[1:1 + n])}")
    if derivation.learning_rate is not None:
        text += f"; {say(words[2])}: {parts[-1]}"
    text += "."
    return f"{heading}\n\n{text}" if format != "html" else f"{heading}\n<p>{text}</p>"


def _task(writer: DocumentWriter, derivation: Derivation, steps: list[Step],
          format: str) -> str:
    """What to compute: the asked quantities, with the rounding rule."""
    printer = writer.dialect(notation(derivation.network, writer.settings.notation),
                             writer.settings)
    names = [printer.ref(step.ref) for step in steps]
    # a gradient's name is a fraction: written full size
    styles = [r"\displaystyle " if step.ref.kind.backward else "" for step in steps]
    rule = carry_note(derivation).replace("; ≈ marks a rounded value.", ".").replace(
        "Values are", "Give each value")
    if format == "latex":   # two answer lines a row, paragraphs: a long list breaks pages
        cells = [rf"\makebox[0.5\linewidth][l]{{\makebox[1.8cm][l]{{${tall}{name} =$}}"
                 rf"\rule{{4.5cm}}{{0.4pt}}}}" for name, tall in zip(names, styles)]
        rows = "\n".join(r"\noindent" + "".join(cells[start:start + 2]) + r"\par\bigskip"
                         for start in range(0, len(cells), 2))
        return (rf"\subsubsection*{{Compute}}{latex_escape(rule)}" "\n\n" r"\bigskip" "\n"
                f"{rows}")
    if format == "markdown":
        listed = ", ".join(f"${name}$" for name in names)
        return f"### Compute\n\n{listed}.\n\n{markdown_escape(rule)}"
    listed = ", ".join(f"<math>{name}</math>" for name in names)
    return f"<h2>Compute</h2>\n<p>{listed}.</p>\n<p class=\"note\">{html_escape(rule)}</p>"


def document(pages: Sequence[str], format: str, title: str) -> str:
    """The pages as one document of ``format``."""
    if format == "latex":
        head, tail = STANDALONE.split("%s")
        return head + "\n\\newpage\n".join(pages) + "\n" + tail
    if format == "markdown":
        return "\n\n---\n\n".join(pages) + "\n"
    sections = "\n".join(f'<section class="page">\n{page}\n</section>' for page in pages)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html_escape(title)}</title>\n<style>{STYLE}{_HTML_PAGES}</style>\n"
            f"</head>\n<body>\n<main>\n{sections}\n</main>\n</body>\n</html>\n")
