"""Formulas as the worked solution writes them: a small tree that keeps textbook term order.

The same tree is printed twice: in symbols (``w_1 x_1 + b``) and with the values
substituted (``(0.1 \\times 0.15) + 0.4``). Leaves name quantities by structured indices
(:class:`Ref`); how a name is written is the notation's business, never parsed from text.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, order=True)
class Ref:
    """A quantity of the network: ``kind`` is one of x, w, b, z, a, s (softmax sum), or W.

    ``layer`` and ``neuron`` count from 1 (neuron 0: the layer's whole vector, and ``W``
    its weight matrix, in the matrix form); ``source`` is the input index of a weight
    (``w^{(layer)}_{neuron, source}``) or of an input ``x_source``.
    """

    kind: str
    layer: int = 0
    neuron: int = 0
    source: int = 0

    @property
    def plain(self) -> str:
        """A plain identifier (``w2_1_3``, ``z1_2``, ``x1``, ``s2``) for code and answer files."""
        if self.kind == "x":
            return f"x{self.source}"
        if self.kind == "w":
            return f"w{self.layer}_{self.neuron}_{self.source}"
        if self.kind == "s":
            return f"s{self.layer}"
        return f"{self.kind}{self.layer}_{self.neuron}"


class Node:
    """A node of a formula."""


@dataclass(frozen=True)
class Symbol(Node):
    """A quantity, written by name or, once substituted, by its value."""

    ref: Ref


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
class Exp(Node):
    """``e`` to the power of ``exponent``."""

    exponent: Node


@dataclass(frozen=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True)
class Call(Node):
    """A named function: ``sigma``, ``max``, ``tanh``, ``step``."""

    function: str
    arguments: tuple[Node, ...]


def refs(node: Node) -> list[Ref]:
    """The quantities a formula uses, in the order they are written."""
    if isinstance(node, Symbol):
        return [node.ref]
    if isinstance(node, Weighted):
        return [node.weight, node.source]
    if isinstance(node, (Constant,)):
        return []
    found: list[Ref] = []
    for child in children(node):
        found.extend(refs(child))
    return found


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-formulas of ``node``."""
    if isinstance(node, Sum):
        return node.terms
    if isinstance(node, Product):
        return node.factors
    if isinstance(node, Quotient):
        return (node.numerator, node.denominator)
    if isinstance(node, Exp):
        return (node.exponent,)
    if isinstance(node, Negate):
        return (node.operand,)
    if isinstance(node, Call):
        return node.arguments
    return ()
