"""Is a student's formula the step's formula? Exact simplification first, then randomised
numeric probing, always within a hard time limit."""
from __future__ import annotations

import random
import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import sympy

from ..formula import Ref
from ..numbers import precise
from ..steps import Step, symbol
from .evaluate import expression, number
from .parse import AnswerError, Node
from .recompute import recompute

PROBES = 12
TIME_LIMIT = 0.5


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError after ``seconds`` (main thread, Unix); elsewhere no limit, and the
    caller relies on the parser's size limits alone."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):  # pragma: no cover - timing dependent
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def equivalent(step: Step, tree: Node, keys: dict[str, Ref],
               seconds: float = TIME_LIMIT) -> tuple[bool, str]:
    """``(same, how)``: whether the formula ``tree`` equals the step's right-hand side."""
    started = time.perf_counter()
    symbols = {key: symbol(ref) for key, ref in keys.items()}
    try:
        with time_limit(seconds):
            difference = sympy.expand(step.expression - expression(tree, symbols))
            if difference == 0:
                return True, "equal by simplification"
    except TimeoutError:
        pass
    remaining = max(0.05, seconds - (time.perf_counter() - started))
    return _probe(step, tree, keys, started + remaining)


def _probe(step: Step, tree: Node, keys: dict[str, Ref], deadline: float) -> tuple[bool, str]:
    rng = random.Random(step.id)
    refs = set(keys.values()) | {ref for ref, _ in step.operands}
    refs |= {Ref("z", step.layer, ref.neuron) for ref in keys.values()
             if ref.kind == "z" and ref.layer == step.layer}
    agreed = 0
    for _ in range(PROBES):
        if time.perf_counter() > deadline:
            break
        values = {ref: precise.mpf(rng.uniform(-2, 2)) for ref in refs}
        for total in [ref for ref in refs if ref.kind == "s"]:   # S is the sum, not free
            values[total] = precise.fsum([precise.exp(values[ref]) for ref in keys.values()
                                          if ref.kind == "z" and ref.layer == total.layer])
        try:
            want = recompute(step, values)
            got = number(tree, {key: values[ref] for key, ref in keys.items()})
        except (AnswerError, ZeroDivisionError, KeyError):
            continue
        if abs(want - got) > 1e-9 * max(1, abs(want)):
            return False, "differs at a random point"
        agreed += 1
    if agreed >= PROBES // 2:
        return True, f"equal at {agreed} random points"
    return False, "could not be decided in time"
