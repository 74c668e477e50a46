"""Random networks for oracle and property tests."""
from __future__ import annotations

import random

import symann

ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "step", "silu", "softplus"]
ALL = ELEMENTWISE + ["softmax"]


def random_network(rng: random.Random, activations: list[str], n_inputs: int | None = None,
                   width: tuple[int, int] = (1, 4)) -> symann.Network:
    """A network with random 2-decimal weights, one layer per activation name."""
    def number() -> str:
        return f"{rng.uniform(-2, 2):.2f}"

    fan_in = n_inputs or rng.randint(1, 4)
    inputs = [number() for _ in range(fan_in)]
    layers = []
    for name in activations:
        size = rng.randint(*width) if name != "softmax" else rng.randint(2, 4)
        layers.append(symann.Dense([[number() for _ in range(fan_in)] for _ in range(size)],
                                   [number() for _ in range(size)], name))
        fan_in = size
    return symann.Network(layers, inputs=inputs)
