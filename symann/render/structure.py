"""The parts every format shares: a derivation's steps grouped by layer, with headings."""
from __future__ import annotations

from dataclasses import dataclass

from ..steps import Derivation, Step


@dataclass(frozen=True)
class Section:
    """The steps of one layer (a neuron, in a chain of single neurons)."""

    layer: int
    heading: str
    steps: tuple[Step, ...]


def sections(derivation: Derivation) -> list[Section]:
    """One section per layer, in order."""
    network = derivation.network
    chain = all(layer.size == 1 for layer in network.layers)
    result = []
    for number, layer in enumerate(network.layers, 1):
        what = f"Neuron {number}" if chain and len(network.layers) > 1 else (
            "Neuron" if chain else f"Layer {number}")
        if len(network.layers) > 1 and number == len(network.layers):
            what += ", output"
        heading = f"{what} ({layer.activation.describe()})"
        steps = tuple(step for step in derivation.steps if step.layer == number)
        result.append(Section(number, heading, steps))
    return result
