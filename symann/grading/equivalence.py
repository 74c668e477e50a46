"""Is a student's formula the step's formula? Decided by evaluating both at random points.

At each point the *free* quantities (inputs, weights, biases, and any quantity the step
does not come after) take random values, seeded from the step id, and every earlier
quantity the formulas use (``z``, ``a``, the softmax sum ``S``) is computed from its
definition, through the derivation's own steps. So ``σ(w_1 x_1 + b_1)`` and
``w_2 σ(z_1) + b_2`` are judged with ``z_1 = w_1 x_1 + b_1`` as it is, never drawn apart
from it. The step itself and later quantities are free, so writing ``z_1`` for ``z_1``
is not taken as its formula. Both sides are evaluated by the one evaluator
(:mod:`symann.evaluate`) at 60 digits, with an answer's bounds on exponentials and powers
(:class:`~symann.grading.answers.ProbeDomain`).

The work is bounded by counting, not by a clock or a signal, so the bound holds in any
thread and process: the parser's limits (length, parts, nesting), powers of formulas only
to whole exponents up to :data:`~symann.grading.parse.MAX_SYMBOLIC_POWER`, a budget of
operations per evaluation (:class:`~symann.evaluate.Budget`) and :data:`POINTS` points.
Nothing symbolic is expanded.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from ..evaluate import Budget, BudgetExhausted, DomainError, evaluate
from ..formula import Node, Power, Symbol
from ..numbers import precise
from ..quantities import Ref
from ..steps import Derivation, Step
from .answers import MAX_OPERATIONS, PROBES, value
from .parse import MAX_SYMBOLIC_POWER
from .tokens import AnswerError

POINTS = 12
AGREEMENT = precise.mpf(10) ** -30   # relative; both sides are known to 60 digits or more
SAME, DIFFERENT, UNDECIDED = "same", "different", "undecided"


#: the points are drawn from (-s, s) for each s in turn: small values as in a course, and
#: larger ones, so that a formula that differs only beyond +-2 (``+ max(0, w - 2)``) is found
SCALES = (2, 8, 30)


def equivalent(derivation: Derivation, step: Step, formula: Node) -> tuple[str, str]:
    """``(verdict, how)``: SAME, DIFFERENT or UNDECIDED, and a message saying why.
    Raises :class:`AnswerError` for a formula outside the language (a power that is not
    a whole number up to 12)."""
    check_powers(formula)
    order = {s.ref: i for i, s in enumerate(derivation.steps)}
    before = {s.ref: s for s in derivation.steps if order[s.ref] < order[step.ref]}
    needed: set[Ref] = set()
    pending = list(refs(formula)) + [ref for ref, _ in step.operands]
    while pending:
        ref = pending.pop()
        if ref not in needed:
            needed.add(ref)
            if ref in before:
                pending.extend(operand for operand, _ in before[ref].operands)
    derived = [s for s in derivation.steps if s.ref in needed and s.ref in before]
    free = sorted(needed - {s.ref for s in derived})
    rng = random.Random(step.id)
    agreed = 0
    for point in range(POINTS):
        scale = SCALES[point % len(SCALES)]
        values = {ref: precise.mpf(rng.uniform(-scale, scale)) for ref in free}
        want = _probe(derived, step, values)
        if want is None:
            continue
        try:
            got = evaluate(formula, PROBES, values, budget=Budget(MAX_OPERATIONS))
        except (DomainError, BudgetExhausted):
            continue
        if abs(want - got) > AGREEMENT * max(1, abs(want)):
            return DIFFERENT, "differs at a random point"
        agreed += 1
    if agreed >= POINTS // 2:
        return SAME, f"equal at {agreed} random points"
    return UNDECIDED, (f"could not be decided: the formula has a value at only {agreed} of "
                       f"{POINTS} random points")


def _probe(derived: list[Step], step: Step, values: dict[Ref, Any]) -> Any:
    """The step's value at a point (filling in the earlier quantities), or None."""
    try:
        for earlier in derived:
            values[earlier.ref] = evaluate(earlier.expansion, PROBES, values)
        return evaluate(step.expansion, PROBES, values)
    except DomainError:
        return None


def refs(formula: Node) -> set[Ref]:
    """The quantities a formula uses."""
    if isinstance(formula, Symbol):
        return {formula.ref}
    found: set[Ref] = set()
    for child in children(formula):
        found |= refs(child)
    return found


def children(formula: Node) -> Iterator[Node]:
    """The nodes directly below ``formula`` (arguments, terms, operands)."""
    for item in vars(formula).values():
        if isinstance(item, Node):
            yield item
        elif isinstance(item, tuple):
            yield from (part for part in item if isinstance(part, Node))


def check_powers(formula: Node) -> None:
    """A power of a formula (a base with a name in it) must be a whole number up to
    :data:`MAX_SYMBOLIC_POWER` in size, written without names; ``e^{...}`` is free."""
    if isinstance(formula, Power) and refs(formula.base):
        exponent = None
        if not refs(formula.exponent):
            try:
                exponent = value(formula.exponent).rational
            except AnswerError:
                pass
        if exponent is None or exponent.denominator != 1 or \
                abs(exponent) > MAX_SYMBOLIC_POWER:
            raise AnswerError(f"a formula may be raised only to a whole power up to "
                              f"{MAX_SYMBOLIC_POWER}")
    for child in children(formula):
        check_powers(child)


__all__ = ["AGREEMENT", "DIFFERENT", "POINTS", "SAME", "UNDECIDED", "check_powers",
           "children", "equivalent", "refs"]
