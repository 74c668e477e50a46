"""The backward pass against independent oracles (issue 13):

* PyTorch autograd in float64: the loss and every gradient, for random networks of every
  activation and every loss, negative values included, within 1e-10;
* one ``torch.optim.SGD`` step: the updated weights and biases;
* mpmath central differences at 80 digits of a forward pass written here (not symann's):
  the exact values of the gradients, to 1e-40;
* every shown value (carry shown and exact): recomputed here from the values shown
  before it with Fractions (the backward values of these networks are rational in the
  shown values) and rounded half-up, compared digit for digit.
"""
from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import mpmath
import pytest

import symann

from helpers import ELEMENTWISE, random_network

torch = pytest.importorskip("torch", reason="PyTorch is not installed")
F = torch.nn.functional
LOSSES = ["squared_error", "mse", "binary_cross_entropy", "cross_entropy"]


def _number(rng: random.Random, low: float = -2, high: float = 2) -> str:
    return f"{rng.uniform(low, high):.2f}"


def targets_for(rng: random.Random, loss: str, output: str, n: int) -> list[str]:
    if loss == "cross_entropy" and output == "softmax":
        hundredths = [rng.randint(0, 100) for _ in range(n)]
        total = sum(hundredths) or 1
        cut = [h * 100 // total for h in hundredths]
        cut[0] += 100 - sum(cut)
        return [str(Fraction(c, 100)) for c in cut]
    if loss in ("binary_cross_entropy", "cross_entropy"):
        return [_number(rng, 0, 1) for _ in range(n)]
    return [_number(rng) for _ in range(n)]


def outputs_for(loss: str) -> list[str]:
    return {"binary_cross_entropy": ["sigmoid"], "cross_entropy": ["softmax", "sigmoid"]}.get(
        loss, [a for a in ELEMENTWISE])


def torch_activation(name: str, act, z):
    if name == "step":   # no gradient anywhere (0 at z = 0 too, as symann's registry)
        return torch.heaviside(z.detach(), torch.tensor(float(act.setting("at_zero")),
                                                        dtype=torch.float64)) + 0 * z
    return {
        "identity": lambda z: z,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, float(act.setting("slope"))),
        "softmax": lambda z: torch.softmax(z, dim=0),
        "silu": F.silu,
        "softplus": F.softplus,
    }[name](z)


def torch_loss(name: str, output: str, y, a):
    if name == "squared_error":
        return 0.5 * ((y - a) ** 2).sum()
    if name == "mse":
        return ((y - a) ** 2).mean()
    if name == "binary_cross_entropy":
        return F.binary_cross_entropy(a, y)
    if output == "softmax":
        return -(y * torch.log(a)).sum()
    return -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum()


def torch_pass(network: symann.Network, targets, loss: str):
    """The loss and the parameters (with their gradients) in PyTorch float64."""
    params = []
    a = torch.tensor([float(x) for x in network.inputs], dtype=torch.float64)
    for layer in network.layers:
        w = torch.tensor([[float(v) for v in row] for row in layer.weights],
                         dtype=torch.float64, requires_grad=True)
        b = torch.tensor([float(v) for v in layer.biases], dtype=torch.float64,
                         requires_grad=True)
        params.append((w, b))
        a = torch_activation(layer.activation.name, layer.activation, w @ a + b)
    y = torch.tensor([float(Fraction(t)) for t in targets], dtype=torch.float64)
    value = torch_loss(loss, network.layers[-1].activation.name, y, a)
    value.backward()
    return value, params


def random_case(rng: random.Random, loss: str, hidden: str, output: str):
    network = random_network(rng, [hidden, output])
    targets = targets_for(rng, loss, output, network.n_outputs)
    return network, targets


def close(got: float, want: float, tolerance: float = 1e-10) -> bool:
    return abs(got - want) <= tolerance * max(1.0, abs(want))


CASES = [(loss, hidden, output) for loss in LOSSES for output in outputs_for(loss)
         for hidden in ELEMENTWISE]


@pytest.mark.parametrize(("loss", "hidden", "output"), CASES)
def test_loss_and_every_gradient_equal_torch_autograd(loss, hidden, output):
    rng = random.Random(f"backward-{loss}-{hidden}-{output}")
    negative = 0
    for _ in range(3):
        network, targets = random_case(rng, loss, hidden, output)
        derivation = network.backward(targets=targets, loss=loss, carry="exact")
        value, params = torch_pass(network, targets, loss)
        assert close(derivation["L"].value, value.item()), (derivation["L"].value, value.item())
        for l, (w, b) in enumerate(params, 1):
            for j in range(w.shape[0]):
                for k in range(w.shape[1]):
                    got = derivation[f"gw{l}_{j + 1}_{k + 1}"].value
                    assert close(got, w.grad[j, k].item()), (l, j, k, got, w.grad[j, k].item())
                    negative += got < 0
                got = derivation[f"gb{l}_{j + 1}"].value
                assert close(got, b.grad[j].item()), (l, j, got, b.grad[j].item())
    assert negative or "step" in (hidden, output), "no negative gradient tested"


@pytest.mark.parametrize("loss", LOSSES)
def test_the_update_equals_one_sgd_step(loss):
    rng = random.Random(f"sgd-{loss}")
    for _ in range(4):
        output = rng.choice(outputs_for(loss))
        network, targets = random_case(rng, loss, rng.choice(["sigmoid", "tanh", "relu"]),
                                       output)
        rate = rng.choice(["0.5", "0.1", "1/3"])
        derivation = network.backward(targets=targets, loss=loss, learning_rate=rate,
                                      carry="exact")
        _, params = torch_pass(network, targets, loss)
        optimiser = torch.optim.SGD([p for pair in params for p in pair], lr=float(Fraction(rate)))
        optimiser.step()
        for l, (w, b) in enumerate(params, 1):
            for j in range(w.shape[0]):
                for k in range(w.shape[1]):
                    assert close(derivation[f"uw{l}_{j + 1}_{k + 1}"].value, w[j, k].item())
                assert close(derivation[f"ub{l}_{j + 1}"].value, b[j].item())


# --- mpmath: central differences of an independent forward pass ----------------------------

MP = mpmath.MPContext()
MP.dps = 80
H = MP.mpf(10) ** -30


def mp_activation(name: str, z: list):
    if name == "softmax":
        top = max(z)
        e = [MP.exp(v - top) for v in z]
        return [v / MP.fsum(e) for v in e]
    f = {"identity": lambda v: v, "sigmoid": lambda v: 1 / (1 + MP.exp(-v)), "tanh": MP.tanh,
         "silu": lambda v: v / (1 + MP.exp(-v)), "softplus": lambda v: MP.log(1 + MP.exp(v))}
    return [f[name](v) for v in z]


def mp_loss(name: str, output: str, y: list, a: list):
    n = len(y)
    if name == "squared_error":
        return MP.fsum((t - v) ** 2 for t, v in zip(y, a)) / 2
    if name == "mse":
        return MP.fsum((t - v) ** 2 for t, v in zip(y, a)) / n
    binary = [t * MP.log(v) + (1 - t) * MP.log(1 - v) for t, v in zip(y, a)]
    if name == "binary_cross_entropy":
        return -MP.fsum(binary) / n
    if output == "softmax":
        return -MP.fsum(t * MP.log(v) for t, v in zip(y, a))
    return -MP.fsum(binary)


def mp_total(network, weights, biases, targets, loss):
    a = [MP.mpf(Fraction(x).numerator) / Fraction(x).denominator for x in network.inputs]
    for layer, w, b in zip(network.layers, weights, biases):
        z = [MP.fsum(wk * ak for wk, ak in zip(row, a)) + bj for row, bj in zip(w, b)]
        a = mp_activation(layer.activation.name, z)
    y = [MP.mpf(Fraction(t).numerator) / Fraction(t).denominator for t in targets]
    return mp_loss(loss, network.layers[-1].activation.name, y, a)


def mp_params(network):
    def mp(v):
        return MP.mpf(v.numerator) / v.denominator
    return ([[[mp(v) for v in row] for row in layer.weights] for layer in network.layers],
            [[mp(v) for v in layer.biases] for layer in network.layers])


SMOOTH = ["identity", "sigmoid", "tanh", "silu", "softplus"]


@pytest.mark.parametrize("loss", LOSSES)
def test_exact_gradients_equal_high_precision_central_differences(loss):
    rng = random.Random(f"fd-{loss}")
    for _ in range(3):
        output = rng.choice([o for o in outputs_for(loss) if o in SMOOTH + ["softmax"]])
        network, targets = random_case(rng, loss, rng.choice(SMOOTH), output)
        derivation = network.backward(targets=targets, loss=loss, carry="exact")
        weights, biases = mp_params(network)
        assert abs(derivation["L"].approximation - mp_total(network, weights, biases, targets,
                                                             loss)) < MP.mpf(10) ** -50
        for l, layer in enumerate(network.layers):
            for j in range(layer.size):
                for k in [*range(layer.fan_in), None]:
                    table = biases[l] if k is None else weights[l][j]
                    index = j if k is None else k
                    kept = table[index]
                    table[index] = kept + H
                    up = mp_total(network, weights, biases, targets, loss)
                    table[index] = kept - H
                    down = mp_total(network, weights, biases, targets, loss)
                    table[index] = kept
                    slope = (up - down) / (2 * H)
                    step_id = f"gb{l + 1}_{j + 1}" if k is None else f"gw{l + 1}_{j + 1}_{k + 1}"
                    got = derivation[step_id].approximation
                    assert abs(got - slope) < MP.mpf(10) ** -40, (step_id, got, slope)


# --- shown values: recomputed from the values shown before them --------------------------

def half_up(value: Fraction, digits: int) -> Fraction:
    scaled = value * 10 ** digits
    whole = int(abs(scaled) + Fraction(1, 2))
    return Fraction(whole if scaled >= 0 else -whole, 10 ** digits)


def shown(derivation, step_id) -> Fraction:
    return Fraction(Decimal(derivation[step_id].shown.text))


def slope_from_shown(name: str, act, z: Fraction, a: Fraction) -> Fraction:
    """The activation's derivative as the solution computes it: from the shown a where
    the registry writes it in a (σ, tanh), else at the shown z."""
    return {"sigmoid": lambda: a * (1 - a), "tanh": lambda: 1 - a * a,
            "identity": lambda: Fraction(1),
            "relu": lambda: Fraction(1) if z > 0 else (act.setting("kink") if z == 0 else 0),
            "leaky_relu": lambda: Fraction(1) if z > 0 else act.setting("slope"),
            "step": lambda: Fraction(0)}[name]()


def expected_backward(derivation, network, targets, loss, rate, digits):
    """Every backward value but the loss, from the shown values before it, exactly."""
    want: dict[str, Fraction] = {}
    layers = network.layers
    last = len(layers)
    y = [Fraction(t) for t in targets]
    n = len(y)
    for l in range(last, 0, -1):
        layer = layers[l - 1]
        act = layer.activation
        for j in range(1, layer.size + 1):
            a = shown(derivation, f"a{l}_{j}")
            z = shown(derivation, f"z{l}_{j}")
            if l == last and (loss in ("cross_entropy", "binary_cross_entropy")):
                value = (a - y[j - 1]) / (n if loss == "binary_cross_entropy" else 1)
            else:
                ds = half_up(slope_from_shown(act.name, act, z, a), digits)
                want[f"ds{l}_{j}"] = ds
                assert shown(derivation, f"ds{l}_{j}") == ds
                if l == last:
                    upstream = (a - y[j - 1]) * (Fraction(2, n) if loss == "mse" else 1)
                else:
                    upstream = sum(layers[l].weights[m - 1][j - 1] * shown(derivation, f"d{l + 1}_{m}")
                                   for m in range(1, layers[l].size + 1))
                value = upstream * ds
            want[f"d{l}_{j}"] = half_up(value, digits)
            delta = shown(derivation, f"d{l}_{j}")
            for k in range(1, layer.fan_in + 1):
                source = Fraction(network.inputs[k - 1]) if l == 1 else shown(derivation, f"a{l - 1}_{k}")
                want[f"gw{l}_{j}_{k}"] = half_up(delta * source, digits)
            want[f"gb{l}_{j}"] = delta
    if rate is not None:
        for l, layer in enumerate(layers, 1):
            for j in range(1, layer.size + 1):
                for k in range(1, layer.fan_in + 1):
                    want[f"uw{l}_{j}_{k}"] = half_up(layer.weights[j - 1][k - 1] - rate * shown(
                        derivation, f"gw{l}_{j}_{k}"), digits)
                want[f"ub{l}_{j}"] = half_up(layer.biases[j - 1] - rate * shown(
                    derivation, f"gb{l}_{j}"), digits)
    return want


RATIONAL = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "step"]


@pytest.mark.parametrize("digits", [1, 2, 4, 6])
@pytest.mark.parametrize("loss", LOSSES)
def test_every_shown_backward_value_is_right_under_carry_shown(loss, digits):
    rng = random.Random(f"shown-{loss}-{digits}")
    for _ in range(6):
        output = rng.choice(outputs_for(loss) if loss != "squared_error" and loss != "mse"
                            else RATIONAL)
        network, targets = random_case(rng, loss, rng.choice(RATIONAL), output)
        rate = Fraction(rng.choice([1, 5, 25]), 10)
        derivation = network.backward(targets=targets, loss=loss, learning_rate=rate,
                                      digits=digits)
        want = expected_backward(derivation, network, targets, loss, rate, digits)
        for step_id, value in want.items():
            assert shown(derivation, step_id) == value, (step_id, derivation[step_id].shown.text, value)
            step = derivation[step_id]
            assert (step.relation == "=") == (step.rational == value), step_id


@pytest.mark.parametrize("loss", LOSSES)
def test_every_shown_value_is_the_exact_one_rounded_under_carry_exact(loss):
    rng = random.Random(f"exact-{loss}")
    for _ in range(5):
        network, targets = random_case(rng, loss, rng.choice(ELEMENTWISE),
                                       rng.choice(outputs_for(loss)))
        derivation = network.backward(targets=targets, loss=loss, learning_rate="0.5",
                                      carry="exact", digits=3)
        for step in derivation.backward_steps:
            exact = step.approximation
            text = mpmath.nstr(exact, 40, strip_zeros=False)
            want = Decimal(text).quantize(Decimal("0.001"), ROUND_HALF_UP)
            assert Decimal(step.shown.text) == want, (step.id, step.shown.text, exact)


def test_deep_chains_and_wide_layers_equal_torch_autograd():
    rng = random.Random("deep-wide")
    for stack, width, n_inputs in ((["tanh", "sigmoid", "silu", "leaky_relu"] * 3 + ["sigmoid"],
                                    (1, 1), 1),
                                   (["relu", "tanh", "softmax"], (12, 20), 25)):
        network = random_network(rng, stack, n_inputs=n_inputs, width=width)
        loss = "cross_entropy" if stack[-1] == "softmax" else "squared_error"
        targets = targets_for(rng, loss, stack[-1], network.n_outputs)
        derivation = network.backward(targets=targets, loss=loss, carry="exact")
        value, params = torch_pass(network, targets, loss)
        assert close(derivation["L"].value, value.item())
        for l, (w, b) in enumerate(params, 1):
            for j in range(w.shape[0]):
                assert close(derivation[f"gb{l}_{j + 1}"].value, b.grad[j].item())
                for k in range(w.shape[1]):
                    assert close(derivation[f"gw{l}_{j + 1}_{k + 1}"].value, w.grad[j, k].item())
