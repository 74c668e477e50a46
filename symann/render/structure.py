"""A derivation's steps grouped by layer, with the headings every format shows."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..activations import Activation
from ..notation import is_chain
from ..quantities import Quantity
from ..steps import Derivation, Step


@dataclass(frozen=True)
class Section:
    """The steps of one layer (a neuron, in a chain of single neurons)."""

    layer: int
    heading: str
    steps: tuple[Step, ...]


def activation_name(activation: Activation, names: Mapping[str, str]) -> str:
    """How a heading names an activation: its registry entry's display name (``ReLU``,
    ``leaky ReLU (slope 0.1)``), or the reader's (``RenderSettings.activation_names``)
    in its place, the settings still said."""
    shown = activation.display()
    chosen = names.get(activation.name)
    return shown if chosen is None else chosen + shown[len(activation.names.display):]


def heading(derivation: Derivation, number: int, names: Mapping[str, str]) -> str:
    """``Neuron 2, output (sigmoid)``, ``Layer 1 (ReLU)``: a chain (as the notation
    defines it, :func:`symann.notation.is_chain`) is headed by neurons."""
    layers = derivation.network.layers
    if not is_chain(derivation.network):
        what = f"Layer {number}"
    else:
        what = "Neuron" if len(layers) == 1 else f"Neuron {number}"
    if len(layers) > 1 and number == len(layers):
        what += ", output"
    return f"{what} ({activation_name(layers[number - 1].activation, names)})"


def sections(derivation: Derivation, names: Mapping[str, str]) -> list[Section]:
    """One section per layer, in order; ``names``: the reader's names of activations."""
    by_layer: dict[int, list[Step]] = {}
    for step in derivation.steps:
        if not step.ref.kind.backward:
            by_layer.setdefault(step.layer, []).append(step)
    return [Section(number, heading(derivation, number, names),
                    tuple(by_layer.get(number, ())))
            for number in range(1, len(derivation.network.layers) + 1)]


def backward_sections(derivation: Derivation, names: Mapping[str, str]) -> list[Section]:
    """The backward pass: the loss (layer 0), each layer from the output back, and the
    gradient-descent step (layer 0) where there is one."""
    steps = derivation.backward_steps
    if not steps:
        return []
    assert derivation.loss is not None
    found = [Section(0, f"Loss ({derivation.loss.display})",
                     tuple(s for s in steps if s.ref.kind is Quantity.LOSS))]
    updates = (Quantity.UPDATE_WEIGHT, Quantity.UPDATE_BIAS, Quantity.LOSS)
    for number in range(len(derivation.network.layers), 0, -1):
        found.append(Section(number, heading(derivation, number, names), tuple(
            s for s in steps if s.layer == number and s.ref.kind not in updates)))
    update = tuple(s for s in steps if s.ref.kind in updates[:2])
    if update:
        found.append(Section(0, "Gradient-descent step", update))
    return found
