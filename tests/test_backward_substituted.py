"""What a reader computes from each printed line is the step's value (review of issue 13).

For every forward and backward step of random networks (every activation, every loss,
negatives, zeros at kinks), the text ``substituted`` member -- the one JSON and the text
output print -- is read by an independent translation to Python with the standard
precedence (``×``/``·`` → ``*``, ``−`` → ``-``, ``^`` → ``**``, ``e`` Euler's number,
``σ``, ``ln``, ``step`` ... the textbook functions written here, not symann's registry)
and evaluated with mpmath at 50 digits. It must equal the step's computed value before
rounding (what the step computed from the values it shows). A fraction printed without
brackets round its numerator (``0.6013 − 1 / 2``) fails this.
"""
from __future__ import annotations

import json
import random
import re

import mpmath
import pytest
from test_backward_oracle import LOSSES, outputs_for, targets_for

import symann

from helpers import ELEMENTWISE, random_network

mpmath.mp.dps = 50


def _step(at_zero):
    return lambda z: mpmath.mpf(1) if z > 0 else (mpmath.mpf(0) if z < 0 else at_zero)


def _setting(network: symann.Network, name: str, setting: str):
    values = {mpmath.mpf(str(layer.activation.setting(setting)))
              for layer in network.layers if layer.activation.name == name}
    return values.pop() if len(values) == 1 else None


def functions(network: symann.Network) -> dict:
    """The textbook functions a line may call, by the name it is written with."""
    at_zero = {mpmath.mpf(str(layer.activation.setting("at_zero")))
               for layer in network.layers if layer.activation.name == "step"}
    assert len(at_zero) <= 1   # one step setting per network (random_network: the default)
    return {
        "sigma": lambda z: 1 / (1 + mpmath.exp(-z)),
        "tanh": mpmath.tanh,
        "relu": lambda z: max(z, mpmath.mpf(0)),
        "step": _step(at_zero.pop() if at_zero else mpmath.mpf(1)),
        "ln": mpmath.log,
        # a derivative written at its kink (relu'(0)): the setting the network gives it
        "drelu": _step(_setting(network, "relu", "kink")),
        "dleaky": lambda z: 1 if z > 0 else _setting(network, "leaky_relu", "slope"),
        "e": mpmath.e,
        "mpf": mpmath.mpf,
    }


_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)")


def python_of(text: str) -> str:
    """The line as Python: each number an exact mpf, the operators Python's."""
    text = (text.replace("×", "*").replace("·", "*").replace("−", "-").replace("^", "**")
            .replace("σ(", "sigma(").replace("relu'(", "drelu(").replace("leaky'(", "dleaky("))
    return _NUMBER.sub(r"mpf('\1')", text)


def value_read(text: str, network: symann.Network):
    # symann's own printed line (never a student's answer), numbers made mpf, no builtins
    return eval(python_of(text), {"__builtins__": {}, "max": max}, functions(network))


def lines(derivation) -> list[tuple[str, str, object]]:
    data = derivation.to_json(indent=None)
    steps = {s.id: s for s in derivation.steps}
    return [(d["id"], d["substituted"], steps[d["id"]]) for d in json.loads(data)["steps"]]


def check(derivation, network) -> list[str]:
    problems = []
    for step_id, text, step in lines(derivation):
        read = value_read(text, network)
        want = step.computed
        if abs(read - want) > mpmath.mpf(10) ** -30 * max(1, abs(want)):
            problems.append(f"{step_id}: {text!r} reads {mpmath.nstr(read, 12)}, "
                            f"the step computed {mpmath.nstr(want, 12)}")
    return problems


HIDDEN = [a for a in ELEMENTWISE if a not in ("silu", "softplus")]
CASES = [(loss, output) for loss in LOSSES for output in outputs_for(loss) if output in
         HIDDEN + ["softmax"]]


@pytest.mark.parametrize(("loss", "output"), CASES)
def test_every_substituted_line_reads_as_its_value(loss, output):
    rng = random.Random(f"substituted {loss} {output}")
    for _ in range(3):
        hidden = rng.choice(HIDDEN)
        network = random_network(rng, [hidden, output])
        targets = targets_for(rng, loss, output, network.n_outputs)
        derivation = network.backward(targets=targets, loss=loss, learning_rate="0.5")
        problems = check(derivation, network)
        assert not problems, f"{hidden}/{output}/{loss}\n" + "\n".join(problems[:8])


def test_the_reviewers_binary_cross_entropy_line():
    network = symann.Network([symann.Dense([[0.3, -0.6], [-0.8, 0.4]], [-0.1, 0.25], "sigmoid")],
                             inputs=[0.5, -0.5])
    derivation = network.backward(targets=[1, 0], loss="binary_cross_entropy")
    assert not check(derivation, network)
    text = derivation.render("text")
    assert "δ⁽¹⁾₁ = (a⁽¹⁾₁ − y₁) / 2" in text, text


@pytest.mark.parametrize("activation", ["relu", {"name": "relu", "kink": 1}, "leaky_relu",
                                        {"name": "leaky_relu", "slope": 0.2}])
def test_a_derivative_at_its_kink_reads_as_its_value(activation):
    """z⁽¹⁾₁ = 0.4·(-0.5) + 0.2·1 + 0 = 0: the line ``relu'(0) = 0`` (once ``step(0) = 0``,
    which reads as 1)."""
    network = symann.Network(
        [symann.Dense([[0.4, 0.2], [-0.6, -0.3]], [0, 0.2], activation),
         symann.Dense([[0.5, -0.7], [-0.25, 0.8]], [0.1, -0.05], "tanh")], inputs=[-0.5, 1])
    derivation = network.backward(targets=[0.3, -0.2], loss="squared_error")
    assert next(s for s in derivation.steps if s.id == "ds1_1").note.startswith("z = 0")
    assert not check(derivation, network)
