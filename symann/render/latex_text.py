"""Text from a file (a title, a label, a note) and long numbers, as pdflatex sets them.

Every special character is printed literally, never interpreted. pdflatex (with
``inputenc``/``fontenc`` T1, as a standalone document loads them) has a glyph for Latin-1
and most of Latin Extended-A; Greek letters and common symbols are written as the commands
that print them (``Δ`` as ``$\\Delta$``, ``€`` as ``\\texteuro``); any other character is
shown as the placeholder ``[U+2713]`` (its code point), so that the document compiles and
nothing is silently dropped. Labels may break after ``_ / . -`` and inside a long word;
a long number may break after every :data:`DIGITS_PER_BREAK` digits, the line marked
``↩`` where it continues.
"""
from __future__ import annotations

import re

from ..notation import GREEK

_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
            "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
            "|": r"\textbar{}", '"': r"\textquotedbl{}",
            "`": r"\textasciigrave{}", "\n": " ", "\r": " ", "\t": " "}
#: Greek letters by the LaTeX command for each (capitals that look Latin as Latin)
_GREEK_COMMANDS = {**{letter: f"\\{name}" for name, letter in GREEK.items()},
                   "δ": r"\delta", "η": r"\eta", "σ": r"\sigma", "Δ": r"\Delta",
                   "Σ": r"\Sigma", "Υ": r"\Upsilon", "ς": r"\varsigma", "ϵ": r"\epsilon",
                   "ϑ": r"\vartheta", "ϕ": r"\phi", "ϱ": r"\varrho", "ϖ": r"\varpi",
                   "ο": "o", **{capital: rf"\mathrm{{{latin}}}" for capital, latin in
                                zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX")}}
#: symbols outside Latin-1, by a command base LaTeX (with amsmath) prints them with
_SYMBOLS = {"€": r"\texteuro{}", "™": r"\texttrademark{}", "•": r"\textbullet{}",
            "…": r"\textellipsis{}", "†": r"\textdagger{}", "‡": r"\textdaggerdbl{}",
            "‰": r"\textperthousand{}", "−": "$-$", "∂": r"$\partial$", "≈": r"$\approx$",
            "≤": r"$\leq$", "≥": r"$\geq$", "≠": r"$\neq$", "±": r"$\pm$", "→": r"$\rightarrow$",
            "←": r"$\leftarrow$", "↑": r"$\uparrow$", "↓": r"$\downarrow$",
            "↔": r"$\leftrightarrow$", "⇒": r"$\Rightarrow$", "∞": r"$\infty$",
            "√": r"$\surd$", "∑": r"$\sum$", "∏": r"$\prod$", "∫": r"$\int$",
            "∇": r"$\nabla$", "∈": r"$\in$", "⋅": r"$\cdot$", "∘": r"$\circ$",
            "′": r"$\prime$", "ℓ": r"$\ell$", "⊙": r"$\odot$", "⊤": r"$\top$",
            "⋯": r"$\cdots$", "×": r"$\times$", "÷": r"$\div$", "·": r"$\cdot$"}
_TABLE = {**_SPECIAL, **{letter: f"${command}$" for letter, command in _GREEK_COMMANDS.items()},
          **_SYMBOLS}
#: the characters after Latin-1 that T1-encoded fonts have (Latin Extended-A, most of it)
_T1_EXTENDED = frozenset(map(chr, range(0x100, 0x180))) - set("\u0126\u0127\u0138\u013f"
                                                              "\u0140\u0149\u0166\u0167\u017f")
#: the typographic characters T1 has (dashes, quotes, guillemets)
_T1_PUNCTUATION = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201c"
                            "\u201d\u201e\u2030\u2039\u203a")


def _character(char: str) -> str:
    """One character, printable by pdflatex: itself, a command, or its placeholder."""
    mapped = _TABLE.get(char)
    if mapped is not None:
        return mapped
    if char.isascii() or "\u00a0" <= char <= "\u00ff" or char in _T1_EXTENDED \
            or char in _T1_PUNCTUATION:
        return char
    return f"[U+{ord(char):04X}]"


#: pairs of characters T1 fonts join into one glyph (``--`` a dash, ``,,`` a low quote,
#: ``''`` a closing quote): the first is kept apart from the second by ``{}``
_LIGATURE_FIRST, _LIGATURE_SECOND = frozenset("-,!?'"), frozenset("-,'`")


def escape(text: str) -> str:
    """Text from a file, safe in LaTeX: every special character printed literally, a
    character pdflatex has no glyph for as a command or placeholder (module docstring),
    and ``--``, ``,,`` as typed, not a dash or a quote (``--terms``, ``''``)."""
    return "".join(_character(char) + ("{}" if char in _LIGATURE_FIRST
                                         and following in _LIGATURE_SECOND else "")
                   for char, following in zip(text, [*text[1:], ""]))


#: a word longer than this (in characters) may break every this many characters
WORD = 12
_BREAK_AFTER = frozenset("_/.-")
_BREAKABLE = re.compile(r"\S+")


def breakable(text: str) -> str:
    """:func:`escape`, the result allowed to break after ``_ / . -`` and every
    :data:`WORD` characters of a word (a label, an identifier or a URL)."""
    return _BREAKABLE.sub(lambda word: _break_word(word.group(0)), text)


def _break_word(word: str) -> str:
    if len(word) <= WORD:
        return escape(word)
    out, run = [], 0
    for char in word:
        out.append(escape(char))
        run += 1
        if char in _BREAK_AFTER or run >= WORD:
            out.append(r"\allowbreak{}")
            run = 0
    return "".join(out)


#: a number longer than this many digits may break, after every this many digits
DIGITS_PER_BREAK = 10
#: where a long number breaks, the line ends with ``↩`` (inside maths)
NUMBER_BREAK = r"\discretionary{\hbox{$\hookleftarrow$}}{}{}"
_LONG_RUN = re.compile(rf"\d{{{DIGITS_PER_BREAK + 1},}}")
_DIGIT_GROUP = re.compile(rf"\d{{1,{DIGITS_PER_BREAK}}}")


def breakable_number(maths: str) -> str:
    """Inline maths (``-3.14…``) with each run of more than :data:`DIGITS_PER_BREAK`
    digits allowed to break after every :data:`DIGITS_PER_BREAK` digits, the line marked
    ``↩`` where it continues."""
    return _LONG_RUN.sub(lambda run: NUMBER_BREAK.join(
        _DIGIT_GROUP.findall(run.group(0))), maths)
