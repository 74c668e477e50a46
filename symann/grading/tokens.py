"""The words of a student's answer: tokens (numbers, names, LaTeX commands, operators),
number literals read exactly and written names normalised, from untrusted text with limits
on length and literal size, so that a hostile answer is an :class:`AnswerError` before
anything is parsed."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import SymannError

MAX_LENGTH = 1000
MAX_LITERAL = 40
MAX_LITERAL_EXPONENT = 300

_UNICODE = {"−": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "σ": " σ ", "′": "'"}
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+(?![\w.]))?)
  | (?P<command>\\(?:[A-Za-z]+|[,;! ]))
  | (?P<name>[A-Za-zσ]+)
  | (?P<op>\*\*|[-+*/^(){}\[\],_='])
""", re.VERBOSE)


class AnswerError(SymannError):
    """An answer that cannot be read; its message says why, for the student."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    """The tokens of an answer; anything unexpected is an :class:`AnswerError`."""
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"the answer is {len(text)} characters long; at most {MAX_LENGTH} "
                          "are read")
    for old, new in _UNICODE.items():
        text = text.replace(old, new)
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise AnswerError(f"unexpected {text[position]!r} at position {position + 1}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), position))
        position = match.end()
    _dangling_exponents(tokens)
    return tokens


def _dangling_exponents(tokens: list[Token]) -> None:
    """``0.415e`` or ``2e-`` is a number whose exponent is missing, never ``0.415·e``:
    ``e`` written against a number is read as a product only as ``2e^{x}``."""
    for number, letter, after in zip(tokens, tokens[1:], tokens[2:] + [None]):
        if number.kind == "number" and letter.kind == "name" and letter.text in ("e", "E") \
                and letter.position == number.position + len(number.text) \
                and not (after is not None and after.text in ("^", "**")):
            raise AnswerError(f"{number.text}{letter.text} at position {number.position + 1} "
                              f"has no exponent: write e.g. {number.text}e-3, or "
                              f"{number.text}*e for a product with e")


def normalise_name(written: str) -> str:
    """One spelling per name: braces and spaces dropped, the layer first (``w^(1)_12``)."""
    text = written.replace("{", "").replace("}", "").replace(" ", "")
    layer = re.search(r"\^\((\d+)\)", text)
    text = re.sub(r"\^\(\d+\)", "", text)
    base, _, sub = text.partition("_")
    if layer:
        base += f"^({layer.group(1)})"
    return f"{base}_{sub}" if sub else base


def read_number(text: str) -> Fraction:
    """A number literal, exactly; too long or too large a literal is refused."""
    if len(text) > MAX_LITERAL:
        raise AnswerError(f"the number {text[:12]}... is longer than {MAX_LITERAL} characters")
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_LITERAL_EXPONENT:
        raise AnswerError(f"the number {text} is out of range (exponents up to "
                          f"±{MAX_LITERAL_EXPONENT})")
    value = Fraction(mantissa) if mantissa not in ("", ".") else None
    if value is None:
        raise AnswerError(f"{text!r} is not a number")
    return value * Fraction(10) ** int(exponent or 0)
