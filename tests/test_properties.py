"""Property tests: exact values agree with float arithmetic; the loader fails only cleanly."""
from __future__ import annotations

import json
import math
import random

from hypothesis import HealthCheck, assume, given, settings, strategies as st

import symann

from helpers import ALL, random_network


def float_forward(network):
    """A plain float64 forward pass written from the textbook formulas."""
    a = [float(x) for x in network.inputs]
    for layer in network.layers:
        z = [math.fsum(float(w) * x for w, x in zip(row, a)) + float(b)
             for row, b in zip(layer.weights, layer.biases)]
        name = layer.activation.name
        # step jumps at 0: there float noise (±1e-17 for an exact 0) flips the answer,
        # so such draws say nothing about symann and are discarded
        assume(name != "step" or all(abs(v) > 1e-9 for v in z))
        if name == "softmax":
            top = max(z)
            e = [math.exp(v - top) for v in z]
            a = [v / sum(e) for v in e]
            continue
        a = [{"identity": v, "relu": max(0.0, v), "tanh": math.tanh(v),
              "sigmoid": 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)),
              "leaky_relu": v if v >= 0 else 0.01 * v,
              "step": 1.0 if v > 0 else (1.0 if v == 0 else 0.0),
              "silu": v / (1 + math.exp(-v)) if v >= 0 else v * math.exp(v) / (1 + math.exp(v)),
              "softplus": max(v, 0.0) + math.log1p(math.exp(-abs(v)))}[name] for v in z]
    return a


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**9), depth=st.integers(1, 3))
def test_exact_value_equals_float_evaluation(seed, depth):
    rng = random.Random(seed)
    network = random_network(rng, [rng.choice(ALL[:-1]) for _ in range(depth)]
                             + (["softmax"] if rng.random() < 0.3 else []))
    got = [s.value for s in network.forward().outputs]
    for g, w in zip(got, float_forward(network)):
        assert abs(g - w) <= 1e-12 * max(1.0, abs(w))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["title", "inputs", "layers", "weights", "biases",
                                       "activation", "name", "slope", "x"]), children, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=json_values)
def test_loader_raises_only_its_own_error_on_any_table(table):
    try:
        symann.load(table) if isinstance(table, dict) else symann.loads(json.dumps(table), "json")
    except symann.SymannError:
        pass


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200), format=st.sampled_from(["toml", "json"]))
def test_loader_raises_only_its_own_error_on_any_text(text, format):
    try:
        symann.loads(text, format)
    except symann.SymannError:
        pass


@settings(max_examples=100, deadline=None)
@given(layers=st.lists(st.fixed_dictionaries({
    "weights": st.lists(st.lists(st.one_of(st.floats(-10, 10), st.integers(-5, 5),
                                           st.sampled_from(["1/3", "0.1", "-2e-3"])),
                                 min_size=1, max_size=3), min_size=1, max_size=3),
    "biases": st.lists(st.floats(-10, 10), min_size=1, max_size=3),
    "activation": st.sampled_from(ALL + ["sigmod", "ReLU"])}), min_size=1, max_size=3),
    inputs=st.lists(st.floats(-10, 10), min_size=1, max_size=3))
def test_nearly_valid_networks_load_or_fail_cleanly(layers, inputs):
    try:
        network = symann.load({"inputs": inputs, "layers": layers})
    except symann.SymannError:
        return
    network.forward()
