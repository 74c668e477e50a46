"""Is a student's formula the step's formula? Decided by evaluating both at random points.

At each point the *free* quantities (inputs, weights, biases, and any quantity the step
does not come after) take random values, seeded from the step id, and every earlier
quantity the formulas use (``z``, ``a``, the softmax sum ``S``) is computed from its
definition, through the derivation's own steps. So ``σ(w_1 x_1 + b_1)`` and
``w_2 σ(z_1) + b_2`` are judged with ``z_1 = w_1 x_1 + b_1`` as it is, never drawn apart
from it. The step itself and later quantities are free, so writing ``z_1`` for ``z_1``
is not taken as its formula.

The work is bounded by counting, not by a clock or a signal, so the bound holds in any
thread and process: the parser's limits (length, parts, nesting), powers of formulas only
to whole exponents up to :data:`~symann.grading.parse.MAX_SYMBOLIC_POWER`, a budget of
operations per evaluation and :data:`PROBES` points. Nothing symbolic is expanded.
"""
from __future__ import annotations

import random
from typing import Mapping

from ..formula import Ref
from ..numbers import precise
from ..steps import Derivation, Step
from .evaluate import Budget, Number, to_mpf, value
from .parse import MAX_SYMBOLIC_POWER, AnswerError, Node
from .recompute import recompute

PROBES = 12
AGREEMENT = precise.mpf(10) ** -30   # relative; both sides are computed to 60 digits
SAME, DIFFERENT, UNDECIDED = "same", "different", "undecided"


def equivalent(derivation: Derivation, step: Step, tree: Node,
               keys: Mapping[str, Ref]) -> tuple[str, str]:
    """``(verdict, how)``: SAME, DIFFERENT or UNDECIDED, and a message saying why.
    Raises :class:`AnswerError` for a formula outside the language (a power that is not
    a whole number up to 12)."""
    check_powers(tree)
    order = {s.ref: i for i, s in enumerate(derivation.steps)}
    before = {s.ref: s for s in derivation.steps if order[s.ref] < order[step.ref]}
    used = {keys[key] for key in symbols(tree) if key in keys}
    needed: set[Ref] = set()
    pending = list(used) + [ref for ref, _ in step.operands]
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
    for _ in range(PROBES):
        values: dict[Ref, Number] = {ref: precise.mpf(rng.uniform(-2, 2)) for ref in free}
        try:
            for earlier in derived:
                values[earlier.ref] = to_mpf(recompute(earlier, values))
            want = to_mpf(recompute(step, values))
            if not precise.isfinite(want):
                continue
            got = to_mpf(value(tree, {key: values[ref] for key, ref in keys.items()
                                      if ref in values}, Budget()))
        except (AnswerError, KeyError, ZeroDivisionError, ValueError, OverflowError):
            continue
        if abs(want - got) > AGREEMENT * max(1, abs(want)):
            return DIFFERENT, "differs at a random point"
        agreed += 1
    if agreed >= PROBES // 2:
        return SAME, f"equal at {agreed} random points"
    return UNDECIDED, (f"could not be decided: the formula has a value at only {agreed} of "
                       f"{PROBES} random points")


def symbols(tree: Node) -> set[str]:
    """The symbol keys a parsed formula uses."""
    if tree[0] == "sym":
        return {tree[1]}
    found: set[str] = set()
    for child in _children(tree):
        found |= symbols(child)
    return found


def _children(tree: Node) -> tuple:
    if tree[0] in ("num", "sym", "e"):
        return ()
    if tree[0] == "call":
        return tuple(tree[2])
    return tuple(tree[1:])


def check_powers(tree: Node) -> None:
    """A power of a formula (a base with a name in it) must be a whole number up to
    :data:`MAX_SYMBOLIC_POWER` in size, written without names; ``e^{...}`` is free."""
    if tree[0] == "pow" and tree[1][0] != "e" and symbols(tree[1]):
        exponent = None
        if not symbols(tree[2]):
            try:
                exponent = value(tree[2])
            except AnswerError:
                pass
        if exponent is None or exponent != int(exponent) or \
                abs(int(exponent)) > MAX_SYMBOLIC_POWER:
            raise AnswerError(f"a formula may be raised only to a whole power up to "
                              f"{MAX_SYMBOLIC_POWER}")
    for child in _children(tree):
        check_powers(child)
