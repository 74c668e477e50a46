"""How quantities are named: the course's presets, from structured indices.

* ``chain``: one neuron per layer, as the course's examples write it: ``z = w_1 x_1 + b``
  for a single neuron, ``z_2 = a_1 \\cdot w_2 + b_2`` for neurons in sequence.
* ``layered``: ``z^{(l)}_j``, ``a^{(l)}_j``, ``w^{(l)}_{jk}``, ``b^{(l)}_j``, inputs ``x_k``.
* ``matrix``: layered names, with each layer also written as
  ``a^{(l)} = \\sigma(W^{(l)} a^{(l-1)} + b^{(l)})`` (see :mod:`symann.render.matrix`).
* ``auto``: ``chain`` where the network is a chain of single neurons, else ``layered``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .formula import Ref
from .model import Network

PRESETS = ("auto", "chain", "layered", "matrix")


@dataclass(frozen=True)
class Name:
    """A written name: ``base``, an optional layer superscript and subscript indices."""

    base: str
    layer: int | None = None
    indices: tuple[int, ...] = ()


@dataclass(frozen=True)
class Notation:
    """A notation preset resolved for one network."""

    preset: str
    single: bool = False

    def name(self, ref: Ref) -> Name:
        """The written name of a quantity."""
        if self.preset == "chain":
            return self._chain(ref)
        return self._layered(ref)

    def _chain(self, ref: Ref) -> Name:
        if ref.kind == "x":
            return Name("x", indices=(ref.source,))
        if self.single:
            if ref.kind == "w":
                return Name("w", indices=(ref.source,))
            return Name(ref.kind)
        return Name(ref.kind, indices=(ref.layer,))

    def _layered(self, ref: Ref) -> Name:
        if ref.kind == "W" or (ref.kind in "zab" and not ref.neuron):  # a whole layer
            return Name(ref.kind, ref.layer)
        if ref.kind == "x":
            return Name("x", indices=(ref.source,))
        if ref.kind == "w":
            return Name("w", ref.layer, (ref.neuron, ref.source))
        if ref.kind == "s":
            return Name("S", ref.layer)
        return Name(ref.kind, ref.layer, (ref.neuron,))

    def source_first(self, weight: Ref) -> bool:
        """Whether a weighted term is written input first (the course's ``a_1 \\cdot w_2``)."""
        return self.preset == "chain" and weight.layer > 1


def indices(values: tuple[int, ...]) -> str:
    """Indices as written in a subscript: ``12`` for (1, 2), ``1,12`` once one passes 9."""
    separator = "," if any(v > 9 for v in values) else ""
    return separator.join(str(v) for v in values)


def is_chain(network: Network) -> bool:
    """A chain of single neurons, each after the first fed by one value."""
    if len(network.layers) == 1:
        return network.layers[0].size == 1
    return all(layer.size == 1 for layer in network.layers) and network.n_inputs == 1


def notation(network: Network, preset: str = "auto") -> Notation:
    """The preset ``preset`` for ``network``; ``chain`` only where the network is a chain."""
    if preset not in PRESETS:
        raise InputError(f"expected one of {', '.join(PRESETS)}, got {preset!r}", field="notation")
    chain = is_chain(network)
    if preset == "auto":
        preset = "chain" if chain else "layered"
    if preset == "chain" and not chain:
        raise InputError("the chain notation needs one neuron per layer (and one input when "
                         "there are several layers); use layered or matrix", field="notation")
    return Notation(preset, single=chain and len(network.layers) == 1)
