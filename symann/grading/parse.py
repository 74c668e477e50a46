"""A parser of students' answers, written for untrusted text: nothing in an answer runs.

It reads numbers (``0.6023``, ``6.023e-1``, ``3/5``), ``+ - * / ^ **``, parentheses,
``e``, ``e^x``, ``exp(x)``, ``ln(x)``, every function of the registry by the names a student
may type (:attr:`symann.activations.Names.typed`: ``sigma(x)``, ``max(a, b)``, ``tanh(x)``,
``relu(x)``, ``softplus(x)``, ...), the LaTeX a student types (``\\frac{1}{1+e^{-0.415}}``,
``\\cdot``, ``\\times``, ``\\sigma``, ``\\max``, ``\\operatorname{ReLU}``, ``\\left( \\right)``)
and, in formulas, the names of the network's quantities. The result is a formula of
:mod:`symann.formula`, the tree every other part of symann evaluates and prints. Limits on
length, nesting, size, number literals and exponents make a hostile answer an
:class:`AnswerError` in well under a millisecond, before anything is computed.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from ..activations import REGISTRY, function
from ..formula import (
    Call,
    Constant,
    Derivative,
    Exp,
    Log,
    Negate,
    Node,
    Power,
    Product,
    Quotient,
    Settings,
    Sum,
    Symbol,
)
from ..quantities import Ref
from .tokens import AnswerError, Token, normalise_name, read_number, tokenize

MAX_DEPTH = 40
MAX_NODES = 400
MAX_POWER_DIGITS = 1000   # a power may not exceed 10^1000 in size
MAX_SYMBOLIC_POWER = 12   # a formula raised to a power: a whole number up to this

#: e, the base of the natural logarithm
E = Exp(Constant(Fraction(1)))
#: the functions of the formula tree itself (not of the registry), by the names typed for them
_BUILT_IN: dict[str, Callable[[Node], Node]] = {"exp": Exp, "ln": Log, "log": Log}
_COMMANDS = {"cdot": "*", "times": "*", "ast": "*", "div": "/", "approx": "=", "e": "e"}
_IGNORED = {"left", "right", ",", ";", "!", "quad", "qquad", " ", "displaystyle", "big", "Big",
            "bigl", "bigr", "Bigl", "Bigr"}
_FRACTIONS = {"frac", "dfrac", "tfrac"}

def registry_function(word: str) -> str | None:
    """The element-wise registry function a student's ``word`` names (one of its
    :attr:`~symann.activations.Names.typed` names, in any case), or None."""
    folded = word.lower()
    for name, entry in REGISTRY.items():
        if not entry.layerwise and any(typed.lower() == folded for typed in entry.names.typed):
            return name
    return None


def _latex_function(command: str) -> str | None:
    """The element-wise registry function whose LaTeX is ``\\command`` (``\\sigma``)."""
    for name, entry in REGISTRY.items():
        if not entry.layerwise and entry.names.latex == "\\" + command:
            return name
    return None


class Parser:
    """Recursive descent with depth and size limits. ``names`` maps a written name (as
    normalised by :func:`normalise_name`) to the quantity it names; None reads numbers only.
    ``settings`` gives a registry function's settings where the network configures it
    (the slope of its leaky ReLU); any other function takes its defaults."""

    def __init__(self, tokens: list[Token], names: Mapping[str, Ref] | None = None,
                 settings: Mapping[str, Settings] | None = None) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.nodes = 0
        self.names = names or {}
        self.settings = settings or {}

    # --- helpers -----------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token | None:
        i = self.index + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def text_at(self, offset: int = 0) -> str:
        token = self.peek(offset)
        return "" if token is None else token.text

    def kind_at(self, offset: int = 0) -> str:
        token = self.peek(offset)
        return "" if token is None else token.kind

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

    def node(self, node: Node) -> Node:
        """``node``, counted against :data:`MAX_NODES`."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise AnswerError(f"the answer is too complex (more than {MAX_NODES} parts)")
        return node

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
        token = self.peek()
        if token is not None:
            raise AnswerError(f"unexpected {token.text!r} at position {token.position + 1}")
        return tree

    def sum(self) -> Node:
        """Terms in order, ``a - b`` as ``a + (-b)``."""
        terms = [self.product()]
        while self.at("+", "-"):
            plus = self.take().text == "+"
            term = self.product()
            terms.append(self.node(term if plus else Negate(term)))
        return terms[0] if len(terms) == 1 else Sum(tuple(terms))

    def product(self) -> Node:
        """Factors in order; a quotient takes the product before it as its numerator."""
        factors = [self.unary()]
        while True:
            if self.at("*", "/") or self.command_is("*", "/"):
                token = self.take()
                if _COMMANDS.get(token.text[1:], token.text) == "*":
                    factors.append(self.node(self.unary()))
                else:
                    factors = [self.node(Quotient(_product(factors), self.unary()))]
            elif self.starts_atom():
                factors.append(self.node(self.power()))   # implicit: 2x, w_1 x_1
            else:
                return _product(factors)

    def unary(self) -> Node:
        if self.at("-"):
            self.take()
            return self.nested(lambda: self.node(Negate(self.unary())))
        if self.at("+"):
            self.take()
            return self.nested(self.unary)
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.at("^", "**"):
            self.take()
            exponent = self.nested(self.exponent)
            return self.node(Exp(exponent) if base == E else Power(base, exponent))
        return base

    def exponent(self) -> Node:
        if self.at("{"):
            return self.group("{", "}")
        if self.at("-"):
            self.take()
            return self.node(Negate(self.nested(self.exponent)))
        return self.power()   # right-associative: 2^3^2 is 2^(3^2)

    def starts_atom(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        if token.kind in ("number", "name"):
            return True
        if token.kind == "command":
            name = token.text[1:]
            return (name in _COMMANDS and _COMMANDS[name] not in "*/=") or name in _FRACTIONS \
                or name in ("operatorname", "mathrm") or _function_command(name)
        return token.text in ("(", "{", "[")

    def command_is(self, *ops: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "command" and \
            _COMMANDS.get(token.text[1:]) in ops

    def skip_ignored(self) -> None:
        while self.kind_at() == "command" and self.text_at()[1:] in _IGNORED:
            self.take()

    def atom(self) -> Node:
        self.skip_ignored()
        token = self.take()
        if token.kind == "number":
            return self.node(Constant(read_number(token.text)))
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
            return self.node(Quotient(numerator, self.group("{", "}")))
        if name == "operatorname" or name == "mathrm":
            word = self.group_word()
            return self.function_or_name(Token("name", word, token.position))
        if _COMMANDS.get(name) == "e":
            return self.node(E)
        if name in _BUILT_IN:
            return self.built_in(name, token)
        function_name = _latex_function(name)
        if function_name is not None:
            return self.call(function_name, token)
        raise AnswerError(f"unknown command {token.text} at position {token.position + 1}")

    def group_word(self) -> str:
        self.expect("{")
        word = self.take()
        if word.kind != "name":
            raise AnswerError(f"expected a name at position {word.position + 1}")
        text = word.text
        while self.at("_") and self.kind_at(1) == "name":
            self.take()
            text += "_" + self.take().text                  # \operatorname{leaky_relu}
        self.expect("}")
        return text

    def function_or_name(self, token: Token) -> Node:
        word, length = self.joined_word(token)
        if self.opens_call(length):
            if word.lower() in _BUILT_IN:
                self.index += length
                return self.built_in(word.lower(), token)
            name = registry_function(word)
            if name is not None:
                self.index += length
                return self.call(name, token)
        if self.text_at(length) == "'" and self.opens_call(length + 1):
            name = registry_function(word)
            if name is not None and REGISTRY[name].derivative is not None:
                self.index += length + 1                   # relu'(0): the derivative
                return self.call(name, token, derivative=True)
        return self.symbol(token)

    def joined_word(self, token: Token) -> tuple[str, int]:
        """``leaky_relu`` written as the name ``leaky``, ``_`` and ``relu``: the whole word
        and how many more tokens it takes, when a function of that name follows."""
        offset, word = 0, token.text
        while self.text_at(offset) == "_" and self.kind_at(offset + 1) == "name":
            joined = f"{word}_{self.text_at(offset + 1)}"
            if registry_function(joined) is None:
                break
            word, offset = joined, offset + 2
        return word, offset

    def opens_call(self, offset: int) -> bool:
        return self.text_at(offset) in ("(", "{", "\\left")

    def built_in(self, name: str, token: Token) -> Node:
        (argument,) = self.arguments(token, name, 1)
        return self.node(_BUILT_IN[name](argument))

    def call(self, name: str, token: Token, derivative: bool = False) -> Node:
        """A registry function (or, ``relu'(z)``, its derivative) applied to its arguments,
        with the network's settings for it."""
        arguments = self.arguments(token, name, REGISTRY[name].arity)
        settings = self.settings.get(name)
        if settings is None:
            settings = function(name).settings
        if derivative:
            return self.node(Derivative(name, arguments, settings))
        return self.node(Call(name, arguments, settings))

    def arguments(self, token: Token, name: str, arity: int) -> tuple[Node, ...]:
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
        if len(arguments) != arity:
            raise AnswerError(f"{name} takes {arity} argument(s), "
                              f"got {len(arguments)} (position {token.position + 1})")
        return tuple(arguments)

    def symbol(self, token: Token) -> Node:
        """A name, with its LaTeX sub- and superscripts: ``w^{(1)}_{12}``, ``x_1``, ``z``."""
        start = self.index
        written = token.text + self.scripts()
        ref = self.names.get(normalise_name(written))
        if ref is not None:
            return self.node(Symbol(ref))
        self.index = start                 # not a known name: ^ is a power after all
        ref = self.names.get(normalise_name(token.text + self.subscript_only()))
        if ref is not None:
            return self.node(Symbol(ref))
        self.index = start
        if token.text == "e":
            return self.node(E)
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
        texts = [self.text_at(offset) for offset in range(1, 5)]
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


def _product(factors: list[Node]) -> Node:
    return factors[0] if len(factors) == 1 else Product(tuple(factors))


def _function_command(name: str) -> bool:
    return name in _BUILT_IN or _latex_function(name) is not None


def parse(text: str, names: Mapping[str, Ref] | None = None,
          settings: Mapping[str, Settings] | None = None) -> Node:
    """The formula of an answer. ``names``: written name -> quantity, for formulas;
    ``settings``: a registry function's settings where the network configures it."""
    if not isinstance(text, str):
        raise AnswerError(f"expected a text, got {type(text).__name__}")
    return Parser(tokenize(text), names, settings).parse()
