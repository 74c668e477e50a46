"""How quantities are named: the course's presets, as tables of data.

* ``chain``: one neuron per layer, as the course's examples write it, input first:
  ``z = x_1 \\cdot w_1 + b = (0.1 \\times 0.15) + 0.4`` for a single neuron,
  ``z_2 = a_1 \\cdot w_2 + b_2`` for neurons in sequence.
* ``layered``: ``z^{(l)}_j``, ``a^{(l)}_j``, ``w^{(l)}_{jk}``, ``b^{(l)}_j``, inputs ``x_k``.
* ``matrix``: layered names, with each layer also written as
  ``a^{(l)} = \\sigma(W^{(l)} a^{(l-1)} + b^{(l)})`` (the ``matrix`` layout of
  :mod:`symann.render.document`).
* ``auto``: ``chain`` where the network is a chain of single neurons, else ``layered``.

A :class:`Scheme` says, for each :class:`~symann.quantities.Quantity`, which letter names
it, whether the layer is a superscript and which indices are subscripts; a :class:`Preset`
chooses a scheme and a layout. The printers write a :class:`Name` in their dialect, and
:func:`spellings` lists how a student may type the same name, so the answer parser accepts
exactly the names the worked solution writes.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import InputError
from .quantities import Quantity, Ref

if TYPE_CHECKING:  # pragma: no cover
    from .model import Network

Q = Quantity


@dataclass(frozen=True)
class Name:
    """A written name: ``base``, an optional layer superscript and subscript indices."""

    base: str
    layer: int | None = None
    indices: tuple[int | str, ...] = ()
    #: a derivative of this quantity: the base of the numerator (``L`` in ``∂L/∂w``)
    of: str | None = None


@dataclass(frozen=True)
class Rule:
    """How one kind of quantity is named: its letter, its superscript (``"layer"``: the
    layer, as in ``z^{(2)}``; a number: that layer, as in ``a^{(0)}``; None: none), and
    which of the :class:`Ref`'s fields (``layer``, ``neuron``, ``source``) are its
    subscripts."""

    base: str
    superscript: str | int | None = None
    subscripts: tuple[str, ...] = ()
    #: the name is a derivative of this quantity with respect to the one named
    of: str | None = None

    def name(self, ref: Ref) -> Name:
        layer = ref.layer if self.superscript == "layer" else self.superscript
        assert layer is None or isinstance(layer, int)
        return Name(self.base, layer, tuple(getattr(ref, f) for f in self.subscripts), self.of)


@dataclass(frozen=True)
class Scheme:
    """The names of a notation: one :class:`Rule` per quantity, ``vectors`` for a whole
    layer (a :class:`Ref` with neuron 0: ``z^{(l)}``, ``W^{(l)}``), and ``aliases``:
    other names a student may type for the same quantity (``a^{(0)}_k`` for ``x_k``)."""

    rules: Mapping[Quantity, Rule]
    vectors: Mapping[Quantity, Rule] = field(default_factory=dict)
    aliases: Mapping[Quantity, tuple[Rule, ...]] = field(default_factory=dict)

    def rule(self, ref: Ref) -> Rule:
        if not ref.neuron and ref.kind in self.vectors:
            return self.vectors[ref.kind]
        return self.rules[ref.kind]


_INPUT = Rule("x", subscripts=("source",))


def _backward(layered: bool, single: bool = False) -> dict[Quantity, Rule]:
    """The names of the backward pass: ``y_j``, ``L``, ``η``, ``δ⁽ˡ⁾ⱼ``, ``∂L/∂w⁽ˡ⁾ⱼₖ``,
    ``∂L/∂b⁽ˡ⁾ⱼ``, the updated ``w'⁽ˡ⁾ⱼₖ``, ``b'⁽ˡ⁾ⱼ`` (the activation's derivative is
    written as a formula, ``σ'(z)``, by the step), named as the scheme names the
    forward quantities."""
    if layered:
        neuron: tuple[str, ...] = ("neuron",)
        weight: tuple[str, ...] = ("neuron", "source")
        layer: str | None = "layer"
        target = Rule("y", subscripts=("neuron",))
    else:
        neuron = () if single else ("layer",)
        weight = ("source",) if single else ("layer",)
        layer = None
        target = Rule("y")
    return {Q.TARGET: target, Q.LOSS: Rule("L"), Q.LEARNING_RATE: Rule("η"),
            Q.DELTA: Rule("δ", layer, neuron), Q.SLOPE: Rule("σ'", layer, neuron),
            Q.GRAD_WEIGHT: Rule("w", layer, weight, of="L"),
            Q.GRAD_BIAS: Rule("b", layer, neuron, of="L"),
            Q.UPDATE_WEIGHT: Rule("w'", layer, weight), Q.UPDATE_BIAS: Rule("b'", layer, neuron)}


#: the names of each scheme, quantity by quantity
SCHEMES: dict[str, Scheme] = {
    "layered": Scheme(
        rules={Q.INPUT: _INPUT,
               Q.WEIGHT: Rule("w", "layer", ("neuron", "source")),
               Q.BIAS: Rule("b", "layer", ("neuron",)),
               Q.PRE_ACTIVATION: Rule("z", "layer", ("neuron",)),
               Q.ACTIVATION: Rule("a", "layer", ("neuron",)),
               Q.SOFTMAX_SUM: Rule("S", "layer"),
               Q.WEIGHT_MATRIX: Rule("W", "layer"), **_backward(True)},
        vectors={Q.BIAS: Rule("b", "layer"), Q.PRE_ACTIVATION: Rule("z", "layer"),
                 Q.ACTIVATION: Rule("a", "layer"), Q.DELTA: Rule("δ", "layer"),
                 Q.GRAD_WEIGHT: Rule("W", "layer", of="L"),
                 Q.GRAD_BIAS: Rule("b", "layer", of="L"),
                 Q.UPDATE_WEIGHT: Rule("W'", "layer"), Q.UPDATE_BIAS: Rule("b'", "layer"),
                 Q.TARGET: Rule("y")},
        aliases={Q.INPUT: (Rule("a", 0, ("source",)),),
                 Q.DELTA: (Rule("delta", "layer", ("neuron",)),),
                 Q.LEARNING_RATE: (Rule("eta"),)}),
    # neurons in sequence: the layer is the subscript (``z_2 = a_1 \cdot w_2 + b_2``)
    "chain": Scheme(
        rules={Q.INPUT: _INPUT,
               **{kind: Rule(kind.value, subscripts=("layer",))
                  for kind in (Q.WEIGHT, Q.BIAS, Q.PRE_ACTIVATION, Q.ACTIVATION,
                               Q.SOFTMAX_SUM, Q.WEIGHT_MATRIX)}, **_backward(False)},
        aliases={Q.DELTA: (Rule("delta", subscripts=("layer",)),),
                 Q.LEARNING_RATE: (Rule("eta"),)}),
    # one neuron: ``z = x_1 \cdot w_1 + b``
    "single": Scheme(
        rules={Q.INPUT: _INPUT,
               Q.WEIGHT: Rule("w", subscripts=("source",)),
               **{kind: Rule(kind.value)
                  for kind in (Q.BIAS, Q.PRE_ACTIVATION, Q.ACTIVATION, Q.SOFTMAX_SUM,
                               Q.WEIGHT_MATRIX)}, **_backward(False, single=True)},
        aliases={Q.DELTA: (Rule("delta"),), Q.LEARNING_RATE: (Rule("eta"),)}),
}


@dataclass(frozen=True)
class Preset:
    """A notation a reader may choose (``--notation``)."""

    summary: str
    #: the naming scheme, or None for ``auto`` (chosen by the network)
    scheme: str | None
    #: ``steps`` (every neuron's lines) or ``matrix`` (whole layers as matrices)
    layout: str = "steps"
    #: the network must be a chain of single neurons (:func:`is_chain`)
    needs_chain: bool = False
    #: weighted terms are written input first (``x_1 \cdot w_1``, ``a_1 \cdot w_2``), in
    #: symbols and with values; else weight first (``w_{jk} x_k``, as ``W a``)
    input_first: bool = False


#: every preset, by the name the command line and ``RenderSettings.notation`` use
PRESETS: dict[str, Preset] = {
    "auto": Preset("chain for a chain of single neurons, else layered", None),
    "chain": Preset("neurons in sequence: z_2 = a_1 · w_2 + b_2", "chain", needs_chain=True,
                    input_first=True),
    "layered": Preset("layer superscripts: z⁽²⁾₁ = w⁽²⁾₁₁ a⁽¹⁾₁ + b⁽²⁾₁", "layered"),
    "matrix": Preset("whole layers: a⁽ˡ⁾ = σ(W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾)", "layered", layout="matrix"),
}


@dataclass(frozen=True)
class Notation:
    """A notation preset resolved for one network: ``preset`` is ``chain``, ``layered``
    or ``matrix`` (never ``auto``), ``scheme`` the names it writes."""

    preset: str
    scheme: Scheme

    @property
    def layout(self) -> str:
        return PRESETS[self.preset].layout

    def name(self, ref: Ref) -> Name:
        """The written name of a quantity."""
        return self.scheme.rule(ref).name(ref)

    @property
    def input_first(self) -> bool:
        """Whether a weighted term is written input first, in symbols and with values alike
        (the course's ``x_1 \\cdot w_1``, ``a_1 \\cdot w_2``, ``(0.1 \\times 0.15)``), or
        weight first as a textbook's ``W a`` (``w_{jk} x_k``, ``(w \\times x)``)."""
        return PRESETS[self.preset].input_first


#: the Greek letters a quantity may be named by (``--symbol w=theta``), by their names;
#: the capitals are the ones that differ from a Latin capital
GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "epsilon": "ε", "zeta": "ζ", "theta": "θ",
         "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
         "pi": "π", "rho": "ρ", "tau": "τ", "upsilon": "υ", "phi": "φ", "chi": "χ",
         "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
         "Pi": "Π", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω"}
#: the quantities whose letter a reader may change, by their default letter
RENAMEABLE = ("x", "z", "a", "w", "b", "W", "y", "L")
#: letters the worked solution writes for something else: Euler's e, the index of a
#: summation, the softmax sum (σ, δ and η are not in :data:`GREEK`)
RESERVED = frozenset(("e", "k", "S"))


def symbol(text: str) -> str:
    """A symbol a reader chose, as a name's base: a Latin letter, or a Greek letter of
    :data:`GREEK` by its name (``theta``, ``\\theta``) or itself (``θ``); an
    :class:`~symann.errors.InputError` otherwise."""
    name = text[1:] if text.startswith("\\") else text
    if name in GREEK:
        return GREEK[name]
    if name in GREEK.values() or (len(name) == 1 and name.isascii() and name.isalpha()):
        return name
    raise InputError(f"expected a letter or a Greek letter's name (theta, \\theta or θ; "
                     f"{', '.join(GREEK)}), got {text!r}", field="symbols")


def symbols(chosen: Mapping[str, str]) -> dict[str, str]:
    """The symbols a reader chose (``{"w": "theta"}``), checked: each key a quantity of
    :data:`RENAMEABLE`, each symbol a :func:`symbol`, no two quantities written alike and
    none written as a letter reserved for something else (:data:`RESERVED`)."""
    if not isinstance(chosen, Mapping):
        raise InputError(f"expected QUANTITY=SYMBOL pairs, got {chosen!r}", field="symbols")
    found: dict[str, str] = {}
    for quantity, text in chosen.items():
        if quantity not in RENAMEABLE:
            raise InputError(f"expected a quantity of {', '.join(RENAMEABLE)} before '=', got "
                             f"{quantity!r}", field="symbols")
        if not isinstance(text, str):
            raise InputError(f"expected a symbol for {quantity}, got {text!r}", field="symbols")
        found[quantity] = symbol(text)
    written = {q: found.get(q, q) for q in RENAMEABLE}
    for quantity, letter in found.items():
        if letter in RESERVED:
            raise InputError(f"{quantity}={chosen[quantity]} is ambiguous: the worked solution "
                             f"writes {letter} for something else", field="symbols")
        same = [q for q, other in written.items() if other == letter and q != quantity]
        if same:
            raise InputError(f"{quantity}={chosen[quantity]} is ambiguous: {quantity} and "
                             f"{same[0]} would both be written {letter}", field="symbols")
    return {q: s for q, s in found.items() if s != q}


def renamed(name: Name, chosen: Mapping[str, str]) -> Name:
    """``name`` with its letters (its base and the quantity it is a derivative of) as the
    reader chose (:func:`symbols`): ``w'`` is ``θ'`` where w is θ."""
    base, of = name.base, name.of
    new = chosen.get(base.rstrip("'"))
    if new is not None:
        base = new + base[len(base.rstrip("'")):]
    if of is not None:
        of = chosen.get(of, of)
    return Name(base, name.layer, name.indices, of) if (base, of) != (name.base, name.of) \
        else name


def indices(values: tuple[int, ...]) -> str:
    """Indices as written in a subscript: ``12`` for (1, 2), ``1,12`` once one passes 9."""
    separator = "," if any(v > 9 for v in values) else ""
    return separator.join(str(v) for v in values)


def is_chain(network: Network) -> bool:
    """A chain of single neurons, each after the first fed by one value: the one
    definition of a chain, for the names and for the headings (``Neuron 2``)."""
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
    if PRESETS[preset].needs_chain and not chain:
        raise InputError("the chain notation needs one neuron per layer (and one input when "
                         "there are several layers); use layered or matrix", field="notation")
    scheme = PRESETS[preset].scheme
    assert scheme is not None
    if scheme == "chain" and len(network.layers) == 1:
        scheme = "single"
    return Notation(preset, SCHEMES[scheme])


def notations(network: Network) -> tuple[Notation, ...]:
    """Every notation that applies to ``network`` with its own names: ``layered``, and
    ``chain`` where the network is a chain (``matrix`` writes the layered names)."""
    found = [notation(network, name) for name, preset in PRESETS.items()
             if preset.scheme is not None and preset.layout == "steps"
             and (is_chain(network) or not preset.needs_chain)]
    return tuple(found)


def spellings(notation: Notation, ref: Ref) -> tuple[str, ...]:
    """Every way to type the name ``notation`` writes for ``ref`` (and its aliases) in
    plain text: the layer as ``^(2)``, several indices joined (``w^(2)_12``) or with commas
    (``w^(2)_1,2``): ``z^(2)_1``, ``w^(2)_12``, ``w^(2)_1,2``, ``a_1``, ``b``, ``a^(0)_1``.
    The answer parser derives the names it accepts from these."""
    rules = (notation.scheme.rule(ref), *notation.scheme.aliases.get(ref.kind, ()))
    found: list[str] = []
    for rule in rules:
        name = rule.name(ref)
        head = (f"d{name.of}/d" if name.of else "") + name.base \
            + (f"^({name.layer})" if name.layer is not None else "")
        if not name.indices:
            options = [head]
        else:
            joined = "".join(str(i) for i in name.indices)
            commas = ",".join(str(i) for i in name.indices)
            options = [f"{head}_{joined}", f"{head}_{commas}"]
        for option in options:
            if option not in found:
                found.append(option)
    return tuple(found)
