"""Hypothesis strategies for random networks (exact decimal texts), and shared settings."""
from __future__ import annotations

import random
import signal
from contextlib import contextmanager
from fractions import Fraction

from hypothesis import HealthCheck, settings, strategies as st

import oracle
from oracle import Net

ELEMENTWISE = ["identity", "step", "sigmoid", "tanh", "relu", "leaky_relu"]

SPECIAL = ["0", "0.5", "-0.5", "1", "-1", "0.25", "-0.25", "0.125", "-0.125", "1.5", "-2", "2"]
HALVES = ["0.5", "-0.5", "1.5", "-1.5", "0.25", "-0.25", "0.75"]


def fixed(name: str, **overrides) -> settings:
    """Deterministic settings (derandomized, no deadline) for the oracle properties."""
    return settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large],
                    **overrides)


def text_of(x: Fraction) -> str:
    """A terminating decimal as its shortest exact text (``-0.45``, ``2``, ``0.80115``)."""
    k = 0
    while (x * 10 ** k).denominator != 1:
        k += 1
        assert k < 40, x
    return oracle.decimal_text(x, k, pad=False)


@st.composite
def decimals(draw, special: list[str] = SPECIAL) -> str:
    """A number in [-2, 2] with 1-3 decimals (negatives and exact zeros included)."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(special))
    k = draw(st.integers(1, 3))
    n = draw(st.integers(-2 * 10 ** k, 2 * 10 ** k))
    return text_of(Fraction(n, 10 ** k))


@st.composite
def activations(draw, last: bool):
    if last and draw(st.integers(0, 3)) == 0:
        return "softmax"
    name = draw(st.sampled_from(["tanh", "sigmoid", "leaky_relu", "relu", "step", "identity"]
                                + (["softmax"] if last else [])))
    if name == "leaky_relu":
        slope = draw(st.sampled_from([None, "0.1", "0.2", "0.5"]))
        return name if slope is None else {"name": name, "slope": slope}
    if name == "step":
        at_zero = draw(st.sampled_from([None, "0", "0.5", "1"]))
        return name if at_zero is None else {"name": name, "at_zero": at_zero}
    return name


@st.composite
def networks(draw, digits: int, flavour: str | None = None, max_layers: int = 4,
             n_inputs: int | None = None) -> Net:
    """A random network; ``flavour`` targets the hard cases:

    ``tie``: a layer-1 z is exactly k + 5·10^-(digits+1) (a rounding tie at ``digits``);
    ``kink``: a layer-1 z is exactly 0 (relu / step / leaky_relu kinks);
    ``halves``: later weights are halves and quarters, so that under carry shown the
    z's computed from shown values end in a 5 (ties decided by the rounding rule).
    """
    flavour = flavour or draw(st.sampled_from(["plain", "plain", "tie", "kink", "halves"]))
    n_in = n_inputs or draw(st.integers(1, 4))
    n_layers = draw(st.integers(1, max_layers))
    inputs = [draw(decimals()) for _ in range(n_in)]
    layers = []
    fan_in = n_in
    for l in range(n_layers):
        last = l == n_layers - 1
        act = draw(activations(last))
        if flavour == "kink" and l == 0 and not isinstance(act, dict) and act == "softmax":
            act = "relu"
        width = draw(st.integers(1, 4))
        special = HALVES if (flavour == "halves" and l > 0) else SPECIAL
        weights = [[draw(decimals(special)) if (flavour != "halves" or l == 0)
                    else draw(st.sampled_from(special)) for _ in range(fan_in)]
                   for _ in range(width)]
        biases = [draw(decimals()) for _ in range(width)]
        layers.append((weights, biases, act))
        fan_in = width
    if flavour in ("tie", "kink"):
        weights, biases, act = layers[0]
        j = draw(st.integers(0, len(biases) - 1))
        dot = sum((Fraction(x) * Fraction(w) for x, w in zip(inputs, weights[j])), Fraction(0))
        if flavour == "tie":
            m = draw(st.integers(0, 2 * 10 ** digits))
            target = Fraction(10 * m + 5, 10 ** (digits + 1)) * draw(st.sampled_from([1, -1]))
        else:
            target = Fraction(0)
        biases[j] = text_of(target - dot)
    return Net.from_texts(inputs, layers)


@st.composite
def cases(draw, flavour: str | None = None, carry: str | None = None, max_layers: int = 4,
          n_inputs: int | None = None):
    digits = draw(st.integers(1, 6))
    carry = carry or draw(st.sampled_from(["shown", "exact"]))
    net = draw(networks(digits, flavour, max_layers=max_layers, n_inputs=n_inputs))
    return net, digits, carry


def chain(seed: int, depth: int) -> Net:
    """A deep chain of single sigmoid / tanh neurons."""
    rng = random.Random(seed)

    def num() -> str:
        return text_of(Fraction(rng.randint(-200, 200), 100))

    layers = [([[num()]], [num()], rng.choice(["sigmoid", "tanh"])) for _ in range(depth)]
    return Net.from_texts([num()], layers)


@contextmanager
def time_limit(seconds: float, what: str):
    """Fail (rather than hang the suite) when ``what`` takes longer than ``seconds``."""
    def handler(signum, frame):
        raise TimeoutError(f"{what} took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
