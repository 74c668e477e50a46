"""A derivation's steps grouped by layer, with the headings every format shows."""
from __future__ import annotations

from dataclasses import dataclass

from ..notation import is_chain
from ..quantities import Quantity
from ..steps import Derivation, Step


@dataclass(frozen=True)
class Section:
    """The steps of one layer (a neuron, in a chain of single neurons)."""

    layer: int
    heading: str
    steps: tuple[Step, ...]


def heading(derivation: Derivation, number: int) -> str:
    """``Neuron 2, output (sigmoid)``, ``Layer 1 (ReLU)``: a chain (as the notation
    defines it, :func:`symann.notation.is_chain`) is headed by neurons."""
    layers = derivation.network.layers
    if not is_chain(derivation.network):
        what = f"Layer {number}"
    else:
        what = "Neuron" if len(layers) == 1 else f"Neuron {number}"
    if len(layers) > 1 and number == len(layers):
        what += ", output"
    return f"{what} ({layers[number - 1].activation.display()})"


def sections(derivation: Derivation) -> list[Section]:
    """One section per layer, in order."""
    by_layer: dict[int, list[Step]] = {}
    for step in derivation.steps:
        if not step.ref.kind.backward:
            by_layer.setdefault(step.layer, []).append(step)
    return [Section(number, heading(derivation, number), tuple(by_layer.get(number, ())))
            for number in range(1, len(derivation.network.layers) + 1)]


def backward_sections(derivation: Derivation) -> list[Section]:
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
        found.append(Section(number, heading(derivation, number), tuple(
            s for s in steps if s.layer == number and s.ref.kind not in updates)))
    update = tuple(s for s in steps if s.ref.kind in updates[:2])
    if update:
        found.append(Section(0, "Gradient-descent step", update))
    return found
