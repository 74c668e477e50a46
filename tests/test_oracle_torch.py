"""symann's exact forward pass against PyTorch CPU in float64 (an independent oracle)."""
from __future__ import annotations

import random

import pytest

from helpers import ALL, ELEMENTWISE, random_network

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch==2.13.0)")
F = torch.nn.functional


def torch_forward(network, inputs):
    a = torch.tensor([float(x) for x in inputs], dtype=torch.float64)
    for layer in network.layers:
        w = torch.tensor([[float(v) for v in row] for row in layer.weights], dtype=torch.float64)
        b = torch.tensor([float(v) for v in layer.biases], dtype=torch.float64)
        z = w @ a + b
        act = layer.activation
        a = {
            "identity": lambda z: z,
            "sigmoid": torch.sigmoid,
            "tanh": torch.tanh,
            "relu": torch.relu,
            "leaky_relu": lambda z, act=act: F.leaky_relu(z, float(act.setting("slope"))),
            "step": lambda z, act=act: torch.heaviside(z, torch.tensor(float(act.setting("at_zero")),
                                                              dtype=torch.float64)),
            "softmax": lambda z: torch.softmax(z, dim=0),
            "silu": F.silu,
            "softplus": F.softplus,
        }[act.name](z)
    return a.tolist()


def assert_close(got, want):
    for g, w in zip(got, want, strict=True):
        assert abs(g - w) <= 1e-12 * max(1.0, abs(w)), (got, want)


@pytest.mark.parametrize("activation", ALL)
def test_every_activation_matches_torch(activation):
    rng = random.Random(f"oracle-{activation}")
    for _ in range(15):
        stack = ["tanh", activation] if activation == "softmax" else [activation, activation]
        network = random_network(rng, stack)
        got = [s.value for s in network.forward().outputs]
        assert_close(got, torch_forward(network, network.inputs))


def test_mixed_networks_match_torch():
    rng = random.Random("oracle-mixed")
    for _ in range(30):
        depth = rng.randint(1, 4)
        stack = [rng.choice(ELEMENTWISE) for _ in range(depth)]
        if rng.random() < 0.5:
            stack.append("softmax")
        network = random_network(rng, stack)
        got = [s.value for s in network.forward(carry="exact").outputs]
        assert_close(got, torch_forward(network, network.inputs))


def test_every_step_value_matches_torch_intermediates():
    rng = random.Random("oracle-steps")
    network = random_network(rng, ["relu", "sigmoid", "softmax"], n_inputs=3, width=(3, 3))
    d = network.forward()
    a = torch.tensor([float(x) for x in network.inputs], dtype=torch.float64)
    for l, layer in enumerate(network.layers, 1):
        w = torch.tensor([[float(v) for v in r] for r in layer.weights], dtype=torch.float64)
        z = w @ a + torch.tensor([float(v) for v in layer.biases], dtype=torch.float64)
        assert_close([d[f"z{l}_{j}"].value for j in range(1, layer.size + 1)], z.tolist())
        a = torch.tensor(torch_forward(symann_layer(layer), a.tolist()), dtype=torch.float64)
        assert_close([d[f"a{l}_{j}"].value for j in range(1, layer.size + 1)], a.tolist())


def symann_layer(layer):
    import symann
    return symann.Network([layer])
