"""Formulas printed in symbols or with values, in a dialect (LaTeX or plain text).

The rules that decide quality live here once for every format: textbook term order,
products input-then-weight once substituted, negative numbers in parentheses
(``0.15 \\times (-0.5)``, ``e^{-(-0.3)}``), no float noise (numbers are printed from
their exact decimal text).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..errors import InputError
from ..formula import (Call, Constant, Exp, Log, Negate, Node, Power, Product, Quotient, Ref,
                       Sum, Symbol, Weighted)
from ..notation import Name, Notation
from ..numbers import Shown, decimal_text, show_exact
from ..steps import Derivation, Step

NUMBER_STYLES = ("decimal", "fraction")


@dataclass(frozen=True)
class Style:
    """What a reader may choose: the sign in substituted products, and number display
    (``decimal``, or ``fraction`` for the values that are exact)."""

    times: str = "times"
    numbers: str = "decimal"

    def __post_init__(self) -> None:
        if self.times not in ("times", "cdot"):
            raise InputError(f"expected times or cdot, got {self.times!r}", field="times")
        if self.numbers not in NUMBER_STYLES:
            raise InputError(f"expected decimal or fraction, got {self.numbers!r}",
                             field="numbers")


class Printer:
    """Prints formulas; a dialect subclass supplies the primitives."""

    def __init__(self, notation: Notation, style: Style = Style()) -> None:
        self.notation = notation
        self.style = style

    # --- primitives a dialect supplies -------------------------------------------------
    def name(self, name: Name) -> str: raise NotImplementedError
    def fraction(self, numerator: str, denominator: str) -> str: raise NotImplementedError
    def exp(self, exponent: str) -> str: raise NotImplementedError
    def function(self, function: str, arguments: list[str]) -> str: raise NotImplementedError
    def power(self, base: str, exponent: str) -> str: raise NotImplementedError
    def log(self, argument: str) -> str: raise NotImplementedError
    def times(self, substituted: bool) -> str: raise NotImplementedError
    def implicit(self, left: str, right: str) -> str: raise NotImplementedError
    def matrix(self, rows: list[list[str]]) -> str: raise NotImplementedError
    def paren(self, text: str) -> str: return f"({text})"
    def relation(self, relation: str) -> str: return relation

    def number(self, shown: Shown) -> str:
        """A number as written: its decimal text, or a fraction where exact and chosen."""
        value = shown.value
        as_fraction = shown.exact and value.denominator != 1 and (
            self.style.numbers == "fraction" or decimal_text(value) is None)
        if not as_fraction:
            return shown.text
        sign = "-" if value < 0 else ""
        return sign + self.fraction(str(abs(value.numerator)), str(value.denominator))

    # --- formulas ----------------------------------------------------------------------
    def symbolic(self, node: Node) -> str:
        """``node`` written in symbols."""
        return self._print(node, None)

    def substituted(self, node: Node, values: Mapping[Ref, Shown]) -> str:
        """``node`` written with each quantity replaced by its shown value."""
        return self._print(node, values)

    def ref(self, ref: Ref) -> str:
        return self.name(self.notation.name(ref))

    def _print(self, node: Node, values: Mapping[Ref, Shown] | None, context: str = "top") -> str:
        if isinstance(node, Symbol):
            return self._leaf(node.ref, values, context)
        if isinstance(node, Constant):
            return self._number(show_exact(node.value), context)
        if isinstance(node, Weighted):
            return self._weighted(node, values, context)
        if isinstance(node, Sum):
            return self._sum(node, values, context)
        if isinstance(node, Product):
            sign = self.times(values is not None)
            text = sign.join(self._print(f, values, "factor") for f in node.factors) \
                if values is not None else self._implicit_product(node, values)
            return self.paren(text) if context == "factor" else text
        if isinstance(node, Quotient):
            return self._quotient(node, values, context)
        if isinstance(node, Exp):
            return self.exp(self._print(node.exponent, values, "exponent"))
        if isinstance(node, Negate):
            inner = self._print(node.operand, values, "negated")
            text = f"-{inner}"
            return self.paren(text) if context in ("factor", "term") else text
        if isinstance(node, Call):
            return self.function(node.function, [self._print(a, values) for a in node.arguments])
        if isinstance(node, Power):
            return self.power(self._print(node.base, values, "factor"),
                              self._print(node.exponent, values, "exponent"))
        if isinstance(node, Log):
            return self.log(self._print(node.argument, values))
        raise TypeError(f"cannot print {type(node).__name__}")  # pragma: no cover

    def _implicit_product(self, node: Product, values: Mapping[Ref, Shown] | None) -> str:
        texts = [self._print(f, values, "factor") for f in node.factors]
        result = texts[0]
        for text in texts[1:]:
            result = self.implicit(result, text)
        return result

    def _leaf(self, ref: Ref, values: Mapping[Ref, Shown] | None, context: str) -> str:
        if values is None:
            return self.ref(ref)
        return self._number(values[ref], context)

    def _number(self, shown: Shown, context: str) -> str:
        text = self.number(shown)
        needs = shown.negative and context in ("factor", "term", "negated")
        return self.paren(text) if needs else text

    def _weighted(self, node: Weighted, values: Mapping[Ref, Shown] | None, context: str) -> str:
        if values is not None:
            text = (self._print(Symbol(node.source), values, "factor") + self.times(True)
                    + self._print(Symbol(node.weight), values, "factor"))
            return self.paren(text) if context in ("first", "term", "factor") else text
        if self.notation.source_first(node.weight):
            return self.ref(node.source) + self.times(False) + self.ref(node.weight)
        return self.implicit(self.ref(node.weight), self.ref(node.source))

    def _sum(self, node: Sum, values: Mapping[Ref, Shown] | None, context: str) -> str:
        parts = [self._print(term, values, "first" if i == 0 and len(node.terms) > 1 else "term"
                             if i else "top")
                 for i, term in enumerate(node.terms)]
        text = " + ".join(parts)
        return self.paren(text) if context in ("factor", "negated") else text

    def _quotient(self, node: Quotient, values: Mapping[Ref, Shown] | None, context: str) -> str:
        return self.fraction(self._print(node.numerator, values),
                             self._print(node.denominator, values))

    # --- whole steps -------------------------------------------------------------------
    def step_parts(self, step: Step) -> list[str]:
        """The members of a step's line: name, symbolic, substituted (when it adds
        something), shown value; joined by ``=`` and, before the value, the step's relation."""
        values = dict(step.operands)
        parts = [self.ref(step.ref), self.symbolic(step.symbolic)]
        substituted = self.substituted(step.expansion, values)
        result = self.number(step.shown)
        if substituted not in (parts[-1], result):
            parts.append(substituted)
        parts.append(result)
        return parts

    def given(self, derivation: Derivation) -> list[tuple[str, str]]:
        """``(name, value)`` of every input."""
        return [(self.ref(Ref("x", source=k)), self.number(show_exact(x)))
                for k, x in enumerate(derivation.inputs, 1)]

    def parameters(self, derivation: Derivation, layer: int) -> list[list[tuple[str, str]]]:
        """``(name, value)`` of the weights and bias of each neuron of a layer (1-based)."""
        dense = derivation.network.layers[layer - 1]
        neurons = []
        for j, (row, bias) in enumerate(zip(dense.weights, dense.biases), 1):
            pairs = [(self.ref(Ref("w", layer, j, k)), self.number(show_exact(w)))
                     for k, w in enumerate(row, 1)]
            pairs.append((self.ref(Ref("b", layer, j)), self.number(show_exact(bias))))
            neurons.append(pairs)
        return neurons

