"""The options of a worked solution on the command line (``solve``; the layout also
``collapse``): layout, the author's controls and notation, and the
:class:`~symann.formats.RenderSettings` they make."""
from __future__ import annotations

import argparse
from typing import Any

from .errors import InputError
from .formats import LAYER_BRACKETS, NUMBER_STYLES, SHOWN, SUMS, RenderSettings
from .steps import Derivation


def add_layout(command: argparse.ArgumentParser) -> None:
    """The options of how a worked solution is laid out, as ``solve`` and ``collapse``
    take them."""
    command.add_argument("--numbers", choices=NUMBER_STYLES, default="decimal",
                         help="show exact values as decimals (default) or fractions")
    command.add_argument("--standalone", action="store_true",
                         help="latex: a whole document that pdflatex compiles")
    command.add_argument("--terms", type=int, default=8, metavar="N",
                         help="elide a sum of more than N terms (and a matrix of more than N "
                              "rows or columns) with ⋯; at least 4, or 0 to write everything "
                              "(default 8)")
    command.add_argument("--width", type=int, default=None, metavar="W",
                         help="latex, markdown, html, mathml: break lines wider than W digits "
                              "(default: the format's own; 0 never breaks; text is never "
                              "broken)")


def add_controls(command: argparse.ArgumentParser) -> None:
    """The author's controls of a worked solution (``solve``): numbered lines, the members
    of each line shown and the steps shown."""
    command.add_argument("--numbered", action="store_true",
                         help="number each step's line (latex: align with \\label{PREFIX:ID}; "
                              "markdown: \\tag; html: an id anchor; text: (n))")
    command.add_argument("--label-prefix", default="symann", metavar="PREFIX",
                         help="with --numbered: the labels' prefix (letters, digits, -, _, :; "
                              "default symann)")
    command.add_argument("--show", default=",".join(SHOWN), metavar="MEMBERS",
                         help="the members of each line shown, comma-separated: symbolic, "
                              "substituted, result (default all; without result a line ends "
                              "'= ?'); json always has all")
    command.add_argument("--steps", default=None, metavar="ID,...",
                         help="only these steps (the ids check --steps takes: z1_1, a2_1, "
                              "...); layers with none are left out; json always has all")


#: the option of each :class:`~symann.formats.RenderSettings` field ``solve`` sets (all but
#: ``indent``, JSON's indentation in Python), so that an error names the option
OPTIONS = {"notation": "--notation", "times": "--times", "numbers": "--numbers",
           "standalone": "--standalone", "terms": "--terms", "width": "--width",
           "heading": "--heading", "numbered": "--numbered", "label_prefix": "--label-prefix",
           "show": "--show", "steps": "--steps", "symbols": "--symbol",
           "layer_brackets": "--layer-brackets", "sum": "--sum",
           "activation_names": "--activation-name"}


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings of :func:`add_controls`' and :func:`add_notation_options`' options."""
    return {"numbered": args.numbered, "label_prefix": args.label_prefix, "show": args.show,
            "steps": args.steps, "symbols": _pairs(args.symbol, "--symbol"),
            "layer_brackets": args.layer_brackets, "sum": args.sum,
            "activation_names": _pairs(args.activation_name, "--activation-name")}


def add_notation_options(command: argparse.ArgumentParser) -> None:
    """The options of how the worked solution names and writes things (display choices:
    the checker reads the standard names)."""
    command.add_argument("--symbol", action="append", default=[], metavar="Q=SYMBOL",
                         help="write quantity Q (x, z, a, w, b, W, y, L) as SYMBOL: a letter "
                              "or a Greek letter's name (w=theta); repeatable")
    command.add_argument("--layer-brackets", choices=LAYER_BRACKETS, default="round",
                         help="the layer's superscript: round z^(2) (default) or square z^[2]")
    command.add_argument("--sum", choices=SUMS, default="terms",
                         help="write a weighted sum term by term (default) or as sigma: "
                              "Σ_{k=1}^{n} w_jk x_k + b_j in the symbolic line (and the "
                              "backward pass's (Σ_k w_kj δ_k)·σ'(z_j))")
    command.add_argument("--activation-name", action="append", default=[],
                         metavar="NAME=TEXT", help="the name headings give an activation "
                         "(relu=rectifier); repeatable")


def _pairs(values: list[str], option: str) -> dict[str, str]:
    """``KEY=VALUE`` options as a mapping; a malformed or repeated key is an error."""
    found: dict[str, str] = {}
    for value in values:
        key, sign, text = value.partition("=")
        if not sign or not key.strip():
            raise InputError(f"expected KEY=VALUE, got {value!r}", field=option)
        if key.strip() in found:
            raise InputError(f"{key.strip()} is given twice", field=option)
        found[key.strip()] = text.strip()
    return found


def render_solution(derivation: Derivation, args: argparse.Namespace) -> str:
    """The worked solution in ``args.format`` with the settings the options give; a
    setting's mistake (a step not in the derivation) is an error naming its option."""
    try:
        settings = RenderSettings(notation=args.notation, times=args.times,
                                  numbers=args.numbers, standalone=args.standalone,
                                  terms=args.terms, width=args.width, heading=args.heading,
                                  **_settings(args))
        return derivation.render(args.format, settings)
    except InputError as error:
        if error.field not in OPTIONS or error.source:
            raise
        raise InputError(error.message, field=OPTIONS[error.field]) from None
