"""The filter: the rules that reject a dull or degenerate variant, each with its reason.

A variant is drawn again (:mod:`.variants`) while a rule rejects it. The rules, in the
order they are tried (cheapest first); ``--allow RULE`` switches one off:

* ``zero``: an input, a weight or a bias is exactly 0 (its term vanishes: nothing to
  compute).
* ``bias``: removing the bias of a neuron whose a is not 0 (setting the bias to 0) moves
  no output by a unit of the last shown place or more (a student who forgets that bias
  would still be right). A dead neuron (a = 0) is exempt: its bias shows in its z.
  Computed in float64 with exact carry (a rule about the size of an effect, not about a
  rounding).
* ``kink``: a z is 0, exactly or as shown (``0.00`` at 2 places: the student sees the
  kink of ReLU, leaky ReLU and step, where definitions disagree; and σ(0) = 0.5,
  tanh(0) = 0 leave nothing to compute).
* ``dead``: every neuron of a layer has a = 0 exactly (every ReLU of the layer dead: the
  layers after it see only zeros).
* ``saturated``: a sigmoid's z beyond ±4.5 or a tanh's beyond ±2.5 (:class:`.Rules`), the
  z computed as the worked solution computes it: the activation is flat there, so
  ``σ(z) ≈ 1`` hides a wrong z.
* ``vanishing`` (with a backward pass): every weight and bias gradient of a layer is
  shown as 0 at the given places (a vanishing gradient: the layer's backward steps are
  all 0, which says nothing about whether they were computed right).
* ``duplicate`` (:mod:`.variants`): the variant equals an earlier one of the class (same
  inputs, weights and biases).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..model import Network
from ..quantities import Quantity
from ..steps import Derivation, Step
from .options import Rules

#: every rule, in the order tried, with the reason a rejected variant is given
RULES = {
    "zero": "an input, a weight or a bias is 0",
    "bias": "removing a bias changes no output at the shown places",
    "kink": "a z is 0, exactly or as shown",
    "dead": "every neuron of a layer has a = 0",
    "saturated": "a sigmoid or tanh is saturated",
    "vanishing": "every gradient of a layer is shown as 0",
    "duplicate": "the variant equals an earlier one of the class",
}


def check_numbers(network: Network, rules: Rules, digits: int) -> str | None:
    """The first rule that rejects ``network`` before it is derived, or None."""
    if "zero" not in rules.off and _has_zero(network):
        return "zero"
    if "bias" not in rules.off and _bias_invisible(network, digits):
        return "bias"
    return None


def check_derivation(derivation: Derivation, rules: Rules) -> str | None:
    """The first rule that rejects the derived variant, or None."""
    steps = list(derivation)
    if "kink" not in rules.off and any(s.ref.kind is Quantity.PRE_ACTIVATION
                                       and (_value(s) == 0 or s.shown.value == 0)
                                       for s in steps):
        return "kink"
    if "dead" not in rules.off and _dead_layer(steps):
        return "dead"
    if "saturated" not in rules.off and _saturated(derivation, steps, rules):
        return "saturated"
    if "vanishing" not in rules.off and derivation.backward and _vanishing(steps):
        return "vanishing"
    return None


def _vanishing(steps: list[Step]) -> bool:
    """Whether every weight and bias gradient of some layer is shown as 0."""
    layers: dict[int, list[bool]] = {}
    for step in steps:
        if step.ref.kind in (Quantity.GRAD_WEIGHT, Quantity.GRAD_BIAS):
            layers.setdefault(step.layer, []).append(step.shown.value == 0)
    return any(all(zero) for zero in layers.values())


def _has_zero(network: Network) -> bool:
    inputs = network.inputs or ()
    return any(x == 0 for x in inputs) or any(
        w == 0 for layer in network.layers for row in layer.weights for w in row) or any(
        b == 0 for layer in network.layers for b in layer.biases)


def activations(network: Network, skip: tuple[int, int] | None = None) -> list[np.ndarray]:
    """Each layer's a in float64 with exact carry; ``skip``: (layer, neuron), both from 0,
    whose bias is left out."""
    a = np.array([float(x) for x in network.inputs or ()])
    layers = []
    for number, layer in enumerate(network.layers):
        biases = np.array(layer.vector)
        if skip is not None and skip[0] == number:
            biases[skip[1]] = 0.0
        a = layer.activation.numpy(layer.matrix @ a + biases)
        layers.append(a)
    return layers


def _bias_invisible(network: Network, digits: int) -> bool:
    unit = 10.0 ** -digits
    full = activations(network)
    for number, layer in enumerate(network.layers):
        for neuron in range(layer.size):
            if full[number][neuron] == 0:   # a dead neuron: its bias shows in its z
                continue
            changed = activations(network, (number, neuron))[-1]
            if np.max(np.abs(changed - full[-1])) < unit:
                return True
    return False


def _value(step: Step) -> Fraction:
    """A step's value as the worked solution computes it (exact where rational, else the
    float nearest its value)."""
    rational = step.computed_rational
    return rational if rational is not None else Fraction(float(step.computed))


def _dead_layer(steps: list[Step]) -> bool:
    layers: dict[int, list[bool]] = {}
    for step in steps:
        if step.ref.kind is Quantity.ACTIVATION:
            layers.setdefault(step.layer, []).append(_value(step) == 0)
    return any(all(dead) for dead in layers.values())


def _saturated(derivation: Derivation, steps: list[Step], rules: Rules) -> bool:
    bounds: dict[str, Fraction] = {"sigmoid": rules.sigmoid_bound, "tanh": rules.tanh_bound}
    layers = derivation.network.layers
    for step in steps:
        if step.ref.kind is not Quantity.PRE_ACTIVATION:
            continue
        bound = bounds.get(layers[step.layer - 1].activation.name)
        if bound is not None and abs(_value(step)) > bound:
            return True
    return False
