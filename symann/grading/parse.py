"""A parser of students' answers, written for untrusted text: nothing in an answer runs.

It reads numbers (``0.6023``, ``6.023e-1``, ``3/5``), ``+ - * / ^ **``, parentheses,
``e``, ``e^x``, ``exp(x)``, ``sigma(x)``, ``max(a, b)``, ``tanh(x)``, ``relu(x)``, the LaTeX
a student types (``\\frac{1}{1+e^{-0.415}}``, ``\\cdot``, ``\\times``, ``\\sigma``, ``\\max``,
``\\left( \\right)``) and, in formulas, the names of the network's quantities. Limits on
length, nesting, size, number literals and exponents make a hostile answer an
:class:`AnswerError` in well under a millisecond, before anything is computed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

from ..errors import SymannError

MAX_LENGTH = 1000
MAX_DEPTH = 40
MAX_NODES = 400
MAX_LITERAL = 40
MAX_LITERAL_EXPONENT = 300
MAX_POWER_DIGITS = 1000   # a power may not exceed 10^1000 in size
MAX_SYMBOLIC_POWER = 12   # a formula raised to a power: a whole number up to this

FUNCTIONS = {"exp": 1, "sigma": 1, "max": 2, "tanh": 1, "relu": 1}
_ALIASES = {"σ": "sigma", "sigmoid": "sigma", "logistic": "sigma", "ReLU": "relu",
            "Relu": "relu", "RELU": "relu", "MAX": "max", "Max": "max", "Exp": "exp",
            "EXP": "exp", "Tanh": "tanh", "TANH": "tanh", "Sigma": "sigma"}
_COMMANDS = {"cdot": "*", "times": "*", "ast": "*", "div": "/", "sigma": "sigma", "max": "max",
             "exp": "exp", "tanh": "tanh", "approx": "=", "e": "e"}
_IGNORED = {"left", "right", ",", ";", "!", "quad", "qquad", " ", "displaystyle", "big", "Big",
            "bigl", "bigr", "Bigl", "Bigr"}
_FRACTIONS = {"frac", "dfrac", "tfrac"}
_UNICODE = {"−": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "σ": " σ "}
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+(?![\w.]))?)
  | (?P<command>\\(?:[A-Za-z]+|[,;! ]))
  | (?P<name>[A-Za-zσ]+)
  | (?P<op>\*\*|[-+*/^(){}\[\],_=])
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


# The tree: tuples, first item the kind
#   ("num", Fraction) ("sym", key) ("e",) ("neg", a) ("add"|"sub"|"mul"|"div"|"pow", a, b)
#   ("call", name, (args...))
Node = tuple


class Parser:
    """Recursive descent with depth and size limits. ``names`` maps a written name (as
    normalised by :func:`normalise_name`) to a symbol key; None reads numbers only."""

    def __init__(self, tokens: list[Token], names: Mapping[str, str] | None = None) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.nodes = 0
        self.names = names or {}

    # --- helpers -----------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token | None:
        i = self.index + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise AnswerError("the answer ends too early")
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise AnswerError(f"expected {text!r} at position {token.position + 1}, "
                              f"found {token.text!r}")

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token is not None and token.text in texts

    def node(self, *items) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise AnswerError(f"the answer is too complex (more than {MAX_NODES} parts)")
        return tuple(items)

    def nested(self, parse: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AnswerError(f"the answer is nested too deeply (more than {MAX_DEPTH} levels)")
        try:
            return parse()
        finally:
            self.depth -= 1

    # --- grammar -----------------------------------------------------------------------
    def parse(self) -> Node:
        self.skip_ignored()
        if self.peek() is None:
            raise AnswerError("the answer is empty")
        tree = self.sum()
        if self.peek() is not None:
            token = self.peek()
            raise AnswerError(f"unexpected {token.text!r} at position {token.position + 1}")
        return tree

    def sum(self) -> Node:
        left = self.product()
        while self.at("+", "-"):
            op = "add" if self.take().text == "+" else "sub"
            left = self.node(op, left, self.product())
        return left

    def product(self) -> Node:
        left = self.unary()
        while True:
            if self.at("*", "/") or self.command_is("*", "/"):
                token = self.take()
                op = "mul" if _COMMANDS.get(token.text[1:], token.text) == "*" else "div"
                left = self.node(op, left, self.unary())
            elif self.starts_atom():
                left = self.node("mul", left, self.power())   # implicit: 2x, w_1 x_1
            else:
                return left

    def unary(self) -> Node:
        if self.at("-"):
            self.take()
            return self.nested(lambda: self.node("neg", self.unary()))
        if self.at("+"):
            self.take()
            return self.nested(self.unary)
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.at("^", "**"):
            self.take()
            exponent = self.nested(self.exponent)
            return self.node("pow", base, exponent)
        return base

    def exponent(self) -> Node:
        if self.at("{"):
            return self.group("{", "}")
        if self.at("-"):
            self.take()
            return self.node("neg", self.nested(self.exponent))
        return self.power()   # right-associative: 2^3^2 is 2^(3^2)

    def starts_atom(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        if token.kind in ("number", "name"):
            return True
        if token.kind == "command":
            return token.text[1:] in _COMMANDS and _COMMANDS[token.text[1:]] not in "*/=" \
                or token.text[1:] in _FRACTIONS
        return token.text in ("(", "{", "[")

    def command_is(self, *ops: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "command" and \
            _COMMANDS.get(token.text[1:]) in ops

    def skip_ignored(self) -> None:
        while self.peek() is not None and self.peek().kind == "command" and \
                self.peek().text[1:] in _IGNORED:
            self.take()

    def atom(self) -> Node:
        self.skip_ignored()
        token = self.take()
        if token.kind == "number":
            return self.node("num", read_number(token.text))
        if token.text in ("(", "{", "["):
            closing = {"(": ")", "{": "}", "[": "]"}[token.text]
            self.index -= 1
            return self.group(token.text, closing)
        if token.kind == "command":
            return self.command(token)
        if token.kind == "name":
            return self.function_or_name(token)
        raise AnswerError(f"unexpected {token.text!r} at position {token.position + 1}")

    def group(self, opening: str, closing: str) -> Node:
        self.expect(opening)
        inner = self.nested(self.sum)
        self.skip_ignored()
        if closing == ")" and self.at("]"):   # \left( ... \right] is still a group
            closing = "]"
        self.expect(closing)
        return inner

    def command(self, token: Token) -> Node:
        name = token.text[1:]
        if name in _FRACTIONS:
            numerator = self.group("{", "}")
            return self.node("div", numerator, self.group("{", "}"))
        if name == "operatorname" or name == "mathrm":
            word = self.group_word()
            return self.function_or_name(Token("name", word, token.position))
        meaning = _COMMANDS.get(name)
        if meaning == "e":
            return self.node("e")
        if meaning in FUNCTIONS:
            return self.call(meaning, token)
        raise AnswerError(f"unknown command {token.text} at position {token.position + 1}")

    def group_word(self) -> str:
        self.expect("{")
        word = self.take()
        if word.kind != "name":
            raise AnswerError(f"expected a name at position {word.position + 1}")
        self.expect("}")
        return word.text

    def function_or_name(self, token: Token) -> Node:
        word = _ALIASES.get(token.text, token.text)
        if word in FUNCTIONS and self.at("(", "{", "\\left"):
            return self.call(word, token)
        return self.symbol(token)

    def call(self, function: str, token: Token) -> Node:
        self.skip_ignored()
        opening = "{" if self.at("{") else "("
        closing = "}" if opening == "{" else ")"
        self.expect(opening)
        arguments = [self.nested(self.sum)]
        while self.at(","):
            self.take()
            arguments.append(self.nested(self.sum))
        self.skip_ignored()
        self.expect(closing)
        if len(arguments) != FUNCTIONS[function]:
            raise AnswerError(f"{function} takes {FUNCTIONS[function]} argument(s), "
                              f"got {len(arguments)} (position {token.position + 1})")
        return self.node("call", function, tuple(arguments))

    def symbol(self, token: Token) -> Node:
        """A name, with its LaTeX sub- and superscripts: ``w^{(1)}_{12}``, ``x_1``, ``z``."""
        start = self.index
        written = token.text + self.scripts()
        key = self.names.get(normalise_name(written))
        if key is not None:
            return self.node("sym", key)
        self.index = start                 # not a known name: ^ is a power after all
        key = self.names.get(normalise_name(token.text + self.subscript_only()))
        if key is not None:
            return self.node("sym", key)
        self.index = start
        if token.text == "e":
            return self.node("e")
        raise AnswerError(f"unknown name {written!r} at position {token.position + 1}"
                          + ("" if self.names else "; a number is expected here"))

    def scripts(self) -> str:
        text = ""
        for _ in range(2):
            if self.at("_"):
                self.take()
                text += "_" + self.script_text()
            elif self.at("^") and self.layer_follows():
                self.take()
                text += "^" + self.script_text()
        return text

    def subscript_only(self) -> str:
        if self.at("_"):
            self.take()
            return "_" + self.script_text()
        return ""

    def layer_follows(self) -> bool:
        """``^(1)`` or ``^{(1)}`` after a name: a layer, not a power."""
        texts = [t.text if t else "" for t in (self.peek(1), self.peek(2), self.peek(3),
                                                self.peek(4))]
        return (texts[0] == "(" and texts[1].isdigit() and texts[2] == ")") or \
            (texts[0] == "{" and texts[1] == "(" and texts[2].isdigit() and texts[3] == ")")

    def script_text(self) -> str:
        token = self.take()
        if token.text not in ("{", "("):
            return token.text
        parts, depth = [token.text], 1
        while depth:
            token = self.take()
            depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(token.text, 0)
            parts.append(token.text)
            if len(parts) > 20:
                raise AnswerError("a subscript is too long")
        return "".join(parts)


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


def parse(text: str, names: Mapping[str, str] | None = None) -> Node:
    """The tree of an answer. ``names``: written name -> symbol key, for formulas."""
    if not isinstance(text, str):
        raise AnswerError(f"expected a text, got {type(text).__name__}")
    return Parser(tokenize(text), names).parse()
