"""Formulas: one small tree for derivations, function definitions and students' answers.

The tree keeps textbook term order, so that it can be printed in symbols
(``w_1 x_1 + b``) and, with values substituted, as the worked solution writes it
(``(0.1 \\times 0.15) + 0.4``). Leaves name quantities by structured indices (:class:`Ref`)
or, in the definition of a function, stand for its argument (:class:`Variable`). The one
evaluator of the tree is :mod:`symann.evaluate`; the printers are in :mod:`symann.render`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .quantities import Ref

Settings = tuple[tuple[str, Fraction], ...]


class Node:
    """A node of a formula."""


@dataclass(frozen=True)
class Symbol(Node):
    """A quantity, written by name or, once substituted, by its value."""

    ref: Ref


@dataclass(frozen=True)
class Variable(Node):
    """The argument of a function's definition (``z`` in ``1 / (1 + e^{-z})``)."""

    name: str


@dataclass(frozen=True)
class Constant(Node):
    """A number that is part of the formula itself (the 1 of ``1 / (1 + e^{-z})``)."""

    value: Fraction


@dataclass(frozen=True)
class Weighted(Node):
    """A weight times its input, the term of a weighted sum."""

    weight: Ref
    source: Ref


@dataclass(frozen=True)
class Sum(Node):
    terms: tuple[Node, ...]


@dataclass(frozen=True)
class Product(Node):
    factors: tuple[Node, ...]


@dataclass(frozen=True)
class Quotient(Node):
    numerator: Node
    denominator: Node


@dataclass(frozen=True)
class Power(Node):
    """``base`` to the power of ``exponent``."""

    base: Node
    exponent: Node


@dataclass(frozen=True)
class Exp(Node):
    """``e`` to the power of ``exponent``."""

    exponent: Node


@dataclass(frozen=True)
class Log(Node):
    """The natural logarithm."""

    argument: Node


@dataclass(frozen=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True)
class Call(Node):
    """A function of the registry (``sigmoid``, ``relu``, ``max``, ...) applied to its
    arguments, with the entry's settings (``slope`` of ``leaky_relu``): its names, its
    definition and its value in every domain are the registry entry's."""

    function: str
    arguments: tuple[Node, ...]
    settings: Settings = ()


@dataclass(frozen=True)
class Partial(Node):
    """``∂ of / ∂ by``: the partial derivative of one quantity with respect to another,
    a leaf whose value is looked up like a quantity's (for backpropagation)."""

    of: Ref
    by: Ref


@dataclass(frozen=True)
class Derivative(Node):
    """The derivative of a registry function at its argument (``σ'(z)``), with the entry's
    settings: its value is the entry's ``derivative`` formula evaluated there."""

    function: str
    arguments: tuple[Node, ...]
    settings: Settings = ()


def refs(node: Node) -> list[Ref]:
    """The quantities a formula uses, in the order it writes them, each once (the
    weight before the source of a weighted term)."""
    found: dict[Ref, None] = {}
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Symbol):
            found[item.ref] = None
        elif isinstance(item, Weighted):
            found[item.source] = None
            found[item.weight] = None
        else:
            stack.extend(reversed(_children(item)))
    return list(found)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (Sum,)):
        return node.terms
    if isinstance(node, Product):
        return node.factors
    if isinstance(node, Quotient):
        return (node.numerator, node.denominator)
    if isinstance(node, Power):
        return (node.base, node.exponent)
    if isinstance(node, Exp):
        return (node.exponent,)
    if isinstance(node, Log):
        return (node.argument,)
    if isinstance(node, Negate):
        return (node.operand,)
    if isinstance(node, (Call, Derivative)):
        return node.arguments
    return ()


def replace(node: Node, old: Node, new: Node) -> Node:
    """``node`` with every sub-formula equal to ``old`` replaced by ``new`` (``σ(z)`` by
    the computed ``a``, where a derivative is written in the function's own value)."""
    if node == old:
        return new
    if isinstance(node, Sum):
        return Sum(tuple(replace(t, old, new) for t in node.terms))
    if isinstance(node, Product):
        return Product(tuple(replace(f, old, new) for f in node.factors))
    if isinstance(node, Quotient):
        return Quotient(replace(node.numerator, old, new), replace(node.denominator, old, new))
    if isinstance(node, Power):
        return Power(replace(node.base, old, new), replace(node.exponent, old, new))
    if isinstance(node, Exp):
        return Exp(replace(node.exponent, old, new))
    if isinstance(node, Log):
        return Log(replace(node.argument, old, new))
    if isinstance(node, Negate):
        return Negate(replace(node.operand, old, new))
    if isinstance(node, Call):
        return Call(node.function, tuple(replace(a, old, new) for a in node.arguments),
                    node.settings)
    if isinstance(node, Derivative):
        return Derivative(node.function, tuple(replace(a, old, new) for a in node.arguments),
                          node.settings)
    return node
