"""Formulas printed in symbols or with values, in a dialect (LaTeX, MathML or plain text).

The rules that decide quality live here once for every format: textbook term order,
each product in the same order in symbols and with values (the notation's: input first
in the course's chain, weight first as ``W a`` in the layered names), negative numbers
in parentheses (``0.15 \\times (-0.5)``, ``e^{-(-0.3)}``), no float noise (numbers are printed from
their exact decimal text).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from ..formats import RenderSettings
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
    Sum,
    Symbol,
    Weighted,
)
from ..notation import Name, Notation, renamed
from ..numbers import Shown, show_exact
from ..quantities import Quantity, Ref
from ..steps import Step
from .pieces import INDEX, Operands, terminates

#: contexts where a negative number is put in parentheses
_SIGNED = frozenset(("factor", "term", "negated"))


class Printer:
    """Prints formulas; a dialect subclass supplies the primitives.

    A printer caches what does not change while it prints one derivation: the written
    name of each quantity and the shown form of each given number.
    """

    #: between the terms of a sum
    plus = " + "
    #: before a term that is subtracted (a negated term of a sum, after the first)
    minus = " - "

    def __init__(self, notation: Notation, settings: RenderSettings | None = None,
                 weights_twice: bool = True) -> None:
        self.notation = notation
        #: without settings (the checker's feedback) every term is written
        self.settings = settings or RenderSettings(terms=0)
        #: whether a weight's name is written twice (given, then in its term) and worth
        #: keeping; if not, only the other names are kept (each input's, in every neuron)
        self.weights_twice = weights_twice
        self._names: dict[Ref, str] = {}
        self._given: dict[tuple[int, int], Shown] = {}
        #: how deep in exponents the printer is: a fraction there is written inline (3/2)
        self._exponent = 0

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
    def indexed(self, text: str, indices: tuple[int, ...]) -> str: raise NotImplementedError
    def partial(self, of: str, by: str) -> str:
        """``∂of/∂by`` (a written name of each)."""
        raise NotImplementedError

    def prime(self, function: str, arguments: list[str]) -> str:
        """The derivative of a registry function at its arguments: ``σ'(z)``."""
        raise NotImplementedError

    def slash(self, numerator: str, denominator: str) -> str:
        """A fraction written inline, ``3/2``, as in an exponent."""
        raise NotImplementedError

    def summation(self, upper: int, body: str) -> str:
        """``body`` summed over :data:`INDEX` from 1 to ``upper``: ``\\sum_{k=1}^{3} body``."""
        raise NotImplementedError

    def transpose(self, text: str) -> str: return f"{text}ᵀ"
    def hadamard(self) -> str: return " ⊙ "
    def ellipsis(self) -> str: return "⋯"
    def vertical_ellipsis(self) -> str: return "⋮"
    def diagonal_ellipsis(self) -> str: return "⋱"
    def paren(self, text: str) -> str: return f"({text})"
    def relation(self, relation: str) -> str: return relation
    def decimal(self, text: str) -> str: return text
    def negative(self, text: str) -> str: return f"-{text}"

    def number(self, shown: Shown, fraction: bool = False) -> str:
        """A number as written: its decimal text, or a fraction where exact and chosen
        (``fraction``, or ``--numbers fraction``) or where it has no finite decimal."""
        value = shown.value
        denominator = value.denominator
        if not shown.exact or denominator == 1 or (
                not fraction and self.settings.numbers != "fraction"
                and terminates(denominator)):
            return self.decimal(shown.text)
        written = self.slash if self._exponent else self.fraction
        text = written(self.decimal(str(abs(value.numerator))), self.decimal(str(denominator)))
        return self.negative(text) if value < 0 else text

    def numbers(self, shown: Sequence[Shown]) -> list[str]:
        """The entries of one vector or matrix, written alike where they can be: with
        ``--numbers fraction``, fractions only if every entry is exact, else every entry in
        decimals; in decimals (the default), an exact entry with no finite decimal
        (``1/3``) is a fraction, and then so is every exact entry (``[1/3; -2/7; 1/2]``,
        not ``[1/3; -2/7; 0.5]``). A rounded entry is always a decimal; an exact one that
        has no finite decimal always a fraction."""
        if self.settings.numbers == "fraction" and not all(s.exact for s in shown):
            return [self.decimal(s.text) if not s.exact or terminates(s.value.denominator)
                    else self.number(s) for s in shown]
        fractions = self.settings.numbers != "fraction" and any(
            s.exact and not terminates(s.value.denominator) for s in shown)
        return [self.number(s, fractions) for s in shown]

    def exponent(self, node: Node, values: Mapping[Ref, Shown] | None) -> str:
        """An exponent, its fractions written inline (``e^{-3/2}``, not a fraction in a
        superscript)."""
        self._exponent += 1
        try:
            return self._print(node, values, "exponent")
        finally:
            self._exponent -= 1

    def exact(self, value: Fraction) -> Shown:
        """A given number (an input, a weight) shown exactly; the same value is shown once."""
        key = (value.numerator, value.denominator)   # hashed faster than the Fraction
        shown = self._given.get(key)
        if shown is None:
            shown = self._given[key] = show_exact(value)
        return shown

    # --- formulas ----------------------------------------------------------------------
    def symbolic(self, node: Node) -> str:
        """``node`` written in symbols."""
        return self._print(node, None)

    def substituted(self, node: Node, values: Mapping[Ref, Shown]) -> str:
        """``node`` written with each quantity replaced by its shown value."""
        return self._print(node, values)

    def ref(self, ref: Ref) -> str:
        """The written name of a quantity (computed once per printer)."""
        text = self._names.get(ref)
        if text is None:
            name = renamed(self.notation.name(ref), self.settings.symbols)
            text = self.name(name) if name.of is None else self.partial(
                self.name(Name(name.of)), self.name(Name(name.base, name.layer, name.indices)))
            if self.weights_twice or ref.kind is not Quantity.WEIGHT:
                self._names[ref] = text
        return text

    def _print(self, node: Node, values: Mapping[Ref, Shown] | None, context: str = "top") -> str:
        if isinstance(node, Symbol):
            return self._leaf(node.ref, values, context)
        if isinstance(node, Constant):
            return self._number(self.exact(node.value), context)
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
            return self.exp(self.exponent(node.exponent, values))
        if isinstance(node, Negate):
            text = self.negative(self._print(node.operand, values, "negated"))
            return self.paren(text) if context in ("factor", "term") else text
        if isinstance(node, Call):
            return self.function(node.function, [self._print(a, values) for a in node.arguments])
        if isinstance(node, Derivative):
            return self.prime(node.function, [self._print(a, values) for a in node.arguments])
        if isinstance(node, Power):
            return self.power(self._print(node.base, values, "factor"),
                              self.exponent(node.exponent, values))
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
        negative = shown.value.numerator < 0   # shown.negative, without comparing Fractions
        return self.paren(text) if negative and context in _SIGNED else text

    def _weighted(self, node: Weighted, values: Mapping[Ref, Shown] | None, context: str) -> str:
        """A weight times its input, in the notation's order in both lines
        (:attr:`Notation.input_first`): ``x_1 \\cdot w_1 = (0.1 \\times 0.15)``, or
        ``w_{jk} x_k = (w \\times x)``."""
        first, second = (node.source, node.weight) if self.notation.input_first \
            else (node.weight, node.source)
        if values is not None:
            text = (self._number(values[first], "factor") + self.times(True)
                    + self._number(values[second], "factor"))
            return self.paren(text) if context in ("first", "term", "factor") else text
        if self.notation.input_first:
            return self.ref(first) + self.times(False) + self.ref(second)
        return self.implicit(self.ref(first), self.ref(second))

    def _sum(self, node: Sum, values: Mapping[Ref, Shown] | None, context: str) -> str:
        text = "".join(self._joined(node, values))
        return self.paren(text) if context in ("factor", "negated") else text

    def _joined(self, node: Sum, values: Mapping[Ref, Shown] | None) -> list[str]:
        """The printed terms of a sum, each after the first led by its operator: ``plus``,
        or ``minus`` before a negated term (``1 − a``, ``y₁ − a⁽²⁾₁``)."""
        terms = self._terms(node, values)
        if not any(isinstance(t, Negate) for t in node.terms[1:]):
            return [terms[0], *(self.plus + t for t in terms[1:])]
        joined = [terms[0]]
        for term, text in zip(self._shown_terms(node), terms[1:]):
            if isinstance(term, Negate):
                joined.append(self.minus + self._print(term.operand, values, "negated"))
            else:
                joined.append(self.plus + text)
        return joined

    def _shown_terms(self, node: Sum) -> list[Node | None]:
        """The nodes of :meth:`_terms` after the first (None for the ellipsis)."""
        terms = node.terms
        limit = self.settings.terms
        tail = 2 if type(terms[-1]) is not type(terms[0]) else 1
        if limit and len(terms) - tail + 1 > limit:
            return [terms[1], None, *terms[-tail:]]
        return list(terms[1:])

    def _terms(self, node: Sum, values: Mapping[Ref, Shown] | None) -> list[str]:
        """The printed terms of a sum; above :attr:`RenderSettings.terms` terms (the bias
        that ends a weighted sum not counted), the first two, an ellipsis and the last
        (with the bias)."""
        terms = node.terms
        limit = self.settings.terms
        tail = 2 if type(terms[-1]) is not type(terms[0]) else 1
        if limit and len(terms) - tail + 1 > limit:
            head = [self._print(term, values, "first" if i == 0 else "term")
                    for i, term in enumerate(terms[:2])]
            return [*head, self.ellipsis(),
                    *(self._print(term, values, "term") for term in terms[-tail:])]
        return [self._print(term, values, "first" if i == 0 and len(terms) > 1 else "term"
                            if i else "top")
                for i, term in enumerate(terms)]

    def members(self, node: Node,
                values: Mapping[Ref, Shown] | None) -> tuple[str, tuple[int, ...]]:
        """``node`` printed (in symbols, or with ``values``), and where its terms after the
        first begin: a member of a line that may break (:meth:`step_members`)."""
        return self._top(node, values)
    def open_bracket(self, inside: str) -> str:
        """The bracket that opens a sum a line may break inside (:meth:`_top`), around
        ``inside``."""
        return "("

    def close_bracket(self, inside: str) -> str:
        return ")"

    def _top(self, node: Node, values: Mapping[Ref, Shown] | None) -> tuple[str, tuple[int, ...]]:
        """``node`` printed, and where each of its terms after the first begins (at its
        ``plus``) if it is a sum, or a product led by a sum in brackets (the backward
        pass's ``(Σₘ w δ) σ'(z)``): the places a long line may break."""
        if isinstance(node, Product) and isinstance(node.factors[0], Sum) and \
                len(node.factors[0].terms) > 1:
            if values is None and self.settings.sum == "sigma":
                summed = self._summation(node.factors[0])
                if summed is not None:
                    return self._led_by(self.paren(summed), node), ()
            return self._bracketed(node, values)
        if not isinstance(node, Sum) or len(node.terms) < 2:
            return self._print(node, values), ()
        if values is None and self.settings.sum == "sigma":
            summed = self._summation(node)
            if summed is not None:
                return summed, ()
        joined = self._joined(node, values)
        breaks, at = [], 0
        for term in joined[:-1]:
            at += len(term)
            breaks.append(at)
        return "".join(joined), tuple(breaks)

    def _summation(self, node: Sum) -> str | None:
        """A weighted sum of several terms, and a bias if it ends with one, as
        ``\\sum_{k=1}^{n} w_{jk} x_k + b_j`` (or the backward pass's
        ``\\sum_{k=1}^{n} w_{kj} \\delta_k``): the index of the weight that runs over the
        terms becomes ``k``. None for any other sum (or a weight with no such index)."""
        weighted = [t for t in node.terms if isinstance(t, Weighted)]
        rest = node.terms[len(weighted):]
        if len(weighted) < 2 or weighted != list(node.terms[:len(weighted)]) or len(rest) > 1:
            return None
        first, second = weighted[0], weighted[1]
        rule = self.notation.scheme.rule(first.weight)
        runs = [f for f in rule.subscripts
                if getattr(first.weight, f) != getattr(second.weight, f)]
        if len(runs) != 1 or any(getattr(t.weight, runs[0]) != i
                                 for i, t in enumerate(weighted, 1)):
            return None
        weight = rule.name(first.weight)
        weight = Name(weight.base, weight.layer, tuple(
            INDEX if f == runs[0] else v for f, v in zip(rule.subscripts, weight.indices)),
            weight.of)
        source = self.notation.name(first.source)
        source = Name(source.base, source.layer, (INDEX,) * len(source.indices), source.of)
        chosen = self.settings.symbols
        weight_text = self.name(renamed(weight, chosen))
        source_text = self.name(renamed(source, chosen))
        body = source_text + self.times(False) + weight_text \
            if self.notation.input_first else self.implicit(weight_text, source_text)
        summed = self.summation(len(weighted), body)
        return summed + "".join(self.plus + self._print(b, None, "term") for b in rest)

    def _led_by(self, first: str, node: Product) -> str:
        """``node`` in symbols, its first factor written ``first``: ``(Σₖ w δ)·σ'(z)``."""
        text = first
        for factor in node.factors[1:]:
            text = self.implicit(text, self._print(factor, None, "factor"))
        return text

    def _bracketed(self, node: Product,
                   values: Mapping[Ref, Shown] | None) -> tuple[str, tuple[int, ...]]:
        """A product led by a sum: the sum in brackets that do not group it (so that the
        line may break between its terms, each row whole), then the other factors."""
        assert isinstance(node.factors[0], Sum)
        joined = self._joined(node.factors[0], values)
        inside = "".join(joined)
        opening = self.open_bracket(inside)
        first = opening + inside + self.close_bracket(inside)
        rest = [self._print(f, values, "factor") for f in node.factors[1:]]
        if values is not None:
            text = self.times(True).join([first, *rest])
        else:
            text = first
            for other in rest:
                text = self.implicit(text, other)
        breaks, at = [], len(opening)
        for term in joined[:-1]:
            at += len(term)
            breaks.append(at)
        return text, tuple(breaks)

    def grid(self, rows: list[list[str]]) -> str:
        """A matrix; above :attr:`RenderSettings.terms` rows or columns, the first two,
        an ellipsis (``⋯``, ``⋮``, ``⋱`` where both meet) and the last."""
        limit = self.settings.terms
        if limit and len(rows) > limit:
            rows = [*rows[:2], [self.vertical_ellipsis()] * len(rows[0]), rows[-1]]
        if limit and len(rows[0]) > limit:
            rows = [[*row[:2], self.ellipsis(), row[-1]] for row in rows]
            if len(rows) == 4 and rows[2][0] == self.vertical_ellipsis():
                rows[2][2] = self.diagonal_ellipsis()
        return self.matrix(rows)

    def _quotient(self, node: Quotient, values: Mapping[Ref, Shown] | None, context: str) -> str:
        return self.fraction(self._print(node.numerator, values),
                             self._print(node.denominator, values))

    # --- whole steps -------------------------------------------------------------------
    def step_parts(self, step: Step) -> list[str]:
        """The members of a step's line: name, symbolic, substituted (when it adds
        something), shown value; joined by ``=`` and, before the value, the step's relation."""
        return self.step_members(step)[0]

    def step_members(self, step: Step) -> tuple[list[str], tuple[tuple[int, ...], ...]]:
        """:meth:`step_parts`, and for each part where its terms begin after the first
        (the places it may break, :meth:`_top`)."""
        symbolic, symbolic_breaks = self._top(step.symbolic, None)
        lhs = self.ref(step.ref) if step.written is None else self.symbolic(step.written)
        parts: list[str] = [lhs]
        breaks: list[tuple[int, ...]] = [()]
        result = self.number(step.shown)
        if symbolic not in (lhs, result):     # not relu'(z) = relu'(z), identity'(z) = 1 = 1
            parts.append(symbolic)
            breaks.append(symbolic_breaks)
        substituted, substituted_breaks = self._top(step.expansion, Operands(step.operands))
        if substituted not in (symbolic, result):
            parts.append(substituted)
            breaks.append(substituted_breaks)
        parts.append(result)
        breaks.append(())
        return parts, tuple(breaks)
