"""What an exercise is made from: the seed, the architecture, the value ranges, what is
asked, and the filter's rules. Everything here is written to the manifest and read back,
so that the same options regenerate the same class."""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction

from ..activations import ACTIVATIONS, Activation, activation as find_activation
from ..errors import InputError
from ..losses import check as check_loss, loss as find_loss
from ..model import check_learning_rate
from ..numbers import decimal_text, exact

#: the most variants a class may have, and the widest layer an exercise may ask for
MAX_VARIANTS = 10_000
MAX_WIDTH = 8
MAX_LAYERS = 6
#: the longest --title (it heads every page, and the Moodle category)
MAX_TITLE = 200
#: what ``--ask`` takes besides a list of quantities (``backward``: every step of the
#: forward and the backward pass)
ASK_WORDS = ("all", "outputs", "backward")
#: the quantities of the forward pass (``s``: a softmax layer's sum)
FORWARD_QUANTITIES = ("z", "a", "s")
#: the quantities of the backward pass, by their ids' letters (docs/backward.md): the
#: loss, the activation's derivative, δ, the gradients, the updated weights and biases
BACKWARD_QUANTITIES = ("L", "ds", "d", "gw", "gb", "uw", "ub")
#: the updates, asked only with a learning rate
UPDATES = ("uw", "ub")
QUANTITIES = FORWARD_QUANTITIES + BACKWARD_QUANTITIES
#: the loss of ``--ask backward`` when none is given
DEFAULT_LOSS = "squared_error"
#: the most values a range may offer, and the most places a step may have
MAX_RANGE_VALUES = 10_000
MAX_STEP_PLACES = 2


@dataclass(frozen=True)
class Range:
    """The numbers ``low, low + step, ..., high`` (exact decimals): ``-1:1:0.1``."""

    low: Fraction
    high: Fraction
    step: Fraction

    @classmethod
    def parse(cls, text: str, field: str) -> Range:
        parts = text.split(":")
        if len(parts) != 3:
            raise InputError(f"expected LOW:HIGH:STEP (e.g. -1:1:0.1), got {text!r}", field=field)
        low, high, step = (exact(part.strip(), field) for part in parts)
        return cls(low, high, step).checked(field)

    def checked(self, field: str) -> Range:
        if self.step <= 0 or (self.step * 10**MAX_STEP_PLACES).denominator != 1:
            raise InputError(f"expected a step above 0 with at most {MAX_STEP_PLACES} decimals "
                             f"(numbers for hand calculation), got {decimal_text(self.step)}",
                             field=field)
        if self.high < self.low:
            raise InputError(f"expected LOW <= HIGH, got {self}", field=field)
        if not 1 <= self.count <= MAX_RANGE_VALUES:
            raise InputError(f"expected from 1 to {MAX_RANGE_VALUES} values in the range, got "
                             f"{self.count} ({self})", field=field)
        return self

    @functools.cached_property
    def first(self) -> int:
        """The least whole multiple of ``step`` in the range."""
        return math.ceil(self.low / self.step)

    @functools.cached_property
    def last(self) -> int:
        return math.floor(self.high / self.step)

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @functools.cached_property
    def values(self) -> tuple[Fraction, ...]:
        """Every number of the range, in order: ``values[i]`` is ``step × (first + i)``."""
        return tuple(self.step * multiple for multiple in range(self.first, self.last + 1))

    def __str__(self) -> str:
        return ":".join(decimal_text(v) or str(v) for v in (self.low, self.high, self.step))


DEFAULT_INPUTS = Range(Fraction(-1), Fraction(1), Fraction(1, 10))
DEFAULT_WEIGHTS = Range(Fraction(-1), Fraction(1), Fraction(1, 20))
DEFAULT_BIASES = Range(Fraction(-1, 2), Fraction(1, 2), Fraction(1, 10))
#: the targets drawn for the backward pass (one-hot instead for softmax with
#: cross-entropy): probabilities with one or two decimals
DEFAULT_TARGETS = Range(Fraction(0), Fraction(1), Fraction(1, 20))


@dataclass(frozen=True)
class Rules:
    """The filter's rules (:mod:`.filters`): each can be switched off by name, and the
    bounds are the documented defaults."""

    #: the rules switched off (names of :data:`symann.exercises.filters.RULES`)
    off: tuple[str, ...] = ()
    #: a sigmoid's z is saturated beyond ±this (σ(4.5) ≈ 0.989), a tanh's beyond ±this
    #: (tanh(2.5) ≈ 0.987)
    sigmoid_bound: Fraction = Fraction(9, 2)
    tanh_bound: Fraction = Fraction(5, 2)


@dataclass(frozen=True)
class Options:
    """Everything an exercise is made from (the manifest records each field)."""

    seed: int
    architecture: tuple[int, ...]
    activations: tuple[str, ...]
    digits: int = 4
    inputs: Range = DEFAULT_INPUTS
    weights: Range = DEFAULT_WEIGHTS
    biases: Range = DEFAULT_BIASES
    ask: tuple[str, ...] = ("all",)
    rules: Rules = field(default_factory=Rules)
    title: str = "Exercise"
    #: the most draws a variant may take before the filter is said to reject everything
    attempts: int = 1000
    #: the backward pass: the loss (a name of :data:`symann.losses.LOSSES`; set to
    #: ``squared_error`` when a backward step is asked and no loss is given), the range
    #: the targets are drawn from (unused where they are one-hot: softmax with
    #: cross-entropy) and the learning rate of one gradient-descent step (or None)
    loss: str | None = None
    targets: Range = DEFAULT_TARGETS
    learning_rate: Fraction | None = None

    def __post_init__(self) -> None:
        check_architecture(self.architecture)
        if len(self.activations) != len(self.architecture) - 1:
            raise InputError(f"expected one activation per layer ({len(self.architecture) - 1}"
                             f"), got {len(self.activations)}", field="activation")
        for name in self.activations:
            if layer_activation(name).name not in ACTIVATIONS:
                raise InputError(f"{name!r} is not an activation", field="activation")
        object.__setattr__(self, "activations", tuple(layer_activation(name).describe()
                                                      for name in self.activations))
        for number, (name, size) in enumerate(zip(self.activations, self.architecture[1:]), 1):
            if size == 1 and layer_activation(name).layerwise:
                raise InputError(f"a {layer_activation(name).name} layer of one neuron (layer "
                                 f"{number}) always outputs 1: give it 2 neurons or more "
                                 "(e.g. 2-2-2)", field="--architecture")
        if not 0 <= self.digits <= 10:
            raise InputError(f"expected 0 to 10 decimal places, got {self.digits}",
                             field="digits")
        check_ask(self.ask)
        self._check_title()
        if self.loss is None and asks_backward(self.ask):
            object.__setattr__(self, "loss", DEFAULT_LOSS)
        if self.loss is not None:
            self._check_backward()

    def _check_title(self) -> None:
        """Refuse an empty title, one over :data:`MAX_TITLE` characters, or one with a
        control or format character (as a student id is refused)."""
        if not self.title.strip():
            raise InputError("expected a title (the variants are headed 'TITLE 001'), got "
                             f"{self.title!r}", field="--title")
        if len(self.title) > MAX_TITLE:
            raise InputError(f"expected a title of at most {MAX_TITLE} characters, got "
                             f"{len(self.title)}", field="--title")
        hidden = next((char for char in self.title
                       if unicodedata.category(char) in ("Cc", "Cf", "Cs")), None)
        if hidden is not None:
            raise InputError(f"expected a title without control or invisible characters, "
                             f"got U+{ord(hidden):04X} "
                             f"{unicodedata.name(hidden, 'a control character')}",
                             field="--title")

    @property
    def backward(self) -> bool:
        """Whether the variants have a backward pass (targets, a loss)."""
        return self.loss is not None

    @property
    def one_hot(self) -> bool:
        """Whether the targets are one-hot (drawn as the hot output's index): softmax
        outputs with cross-entropy, whose targets must sum to 1."""
        if self.loss is None:
            return False
        return layer_activation(self.activations[-1]).name in find_loss(
            self.loss, field="--loss").distribution

    def _check_backward(self) -> None:
        """The loss, the targets' range and the learning rate, through the losses
        registry: the combinations a network file refuses are refused here, before any
        variant is drawn."""
        if not asks_backward(self.ask):
            raise InputError("a loss, targets or a learning rate need a backward step asked: "
                             "--ask backward, or backward quantities (e.g. --ask L,d,gw,gb)",
                             field="--loss")
        chosen = find_loss(self.loss, field="--loss")
        object.__setattr__(self, "loss", chosen.name)
        output = layer_activation(self.activations[-1])
        size = self.architecture[-1]
        sample = ((Fraction(1),) + (Fraction(0),) * (size - 1)) if self.one_hot \
            else (self.targets.low,) * size
        if chosen.probabilities and not self.one_hot and \
                not 0 <= self.targets.low <= self.targets.high <= 1:
            raise InputError(f"expected targets from 0 to 1 for {chosen.name} (probabilities), "
                             f"got {self.targets}", field="--targets")
        try:
            check_loss(chosen, output.name, output.layerwise, sample)
        except InputError as error:
            raise InputError(error.message, field="--loss") from None
        for number, name in enumerate(self.activations[:-1], 1):
            if layer_activation(name).layerwise:
                raise InputError(f"a hidden {name} layer (layer {number}) needs its full "
                                 "Jacobian in the backward pass, which symann does not derive",
                                 field="--activation")
        if self.learning_rate is not None:
            object.__setattr__(self, "learning_rate",
                               check_learning_rate(self.learning_rate, "--learning-rate"))
        elif any(item in UPDATES for item in self.ask):
            raise InputError("the updated weights and biases (uw, ub) need --learning-rate",
                             field="--ask")


def asks_backward(ask: tuple[str, ...]) -> bool:
    """Whether ``ask`` names a step of the backward pass."""
    return ask == ("backward",) or any(item in BACKWARD_QUANTITIES for item in ask)


def check_architecture(widths: tuple[int, ...]) -> None:
    if not 2 <= len(widths) <= MAX_LAYERS + 1:
        raise InputError(f"expected the inputs and 1 to {MAX_LAYERS} layers, e.g. 2-2-1",
                         field="architecture")
    for width in widths:
        if not 1 <= width <= MAX_WIDTH:
            raise InputError(f"expected layers of 1 to {MAX_WIDTH} (numbers for hand "
                             f"calculation), got {width}", field="architecture")


def parse_architecture(text: str) -> tuple[int, ...]:
    """``2-2-1``: the inputs, then each layer's width."""
    parts = text.split("-")
    if not all(part.isascii() and part.isdecimal() and len(part) <= 3 for part in parts):
        raise InputError(f"expected widths joined by '-' (e.g. 2-2-1), got {text!r}",
                         field="architecture")
    widths = tuple(int(part) for part in parts)
    check_architecture(widths)
    return widths


#: ``leaky_relu(slope=0.1)``: a name, and the settings a network file's activation table
#: gives (``{ name = "leaky_relu", slope = 0.1 }``)
_SPEC = re.compile(r"\s*([A-Za-z_][A-Za-z_0-9]*)\s*(?:\((.*)\))?\s*")
#: the commas between the layers' activations (not those inside a spec's parentheses)
_BETWEEN = re.compile(r",(?![^()]*\))")


@functools.lru_cache(maxsize=64)
def layer_activation(spec: str) -> Activation:
    """A layer's activation from ``sigmoid`` or ``leaky_relu(slope=0.1)`` (as
    :meth:`Activation.describe` writes it; every setting in [0, 1])."""
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise InputError(f"expected NAME or NAME(SETTING=VALUE) (e.g. leaky_relu(slope=0.1)), "
                         f"got {spec!r}", field="activation")
    settings = {}
    for part in filter(str.strip, (match[2] or "").split(",")):
        key, equals, value = part.partition("=")
        if not equals or not key.strip():
            raise InputError(f"expected SETTING=VALUE in {spec!r} (e.g. slope=0.1), got "
                             f"{part.strip()!r}", field="activation")
        settings[key.strip()] = value.strip()
    return find_activation(match[1], field="activation", **settings)


def parse_activations(text: str, layers: int) -> tuple[str, ...]:
    """``sigmoid`` (every layer), ``relu,softmax`` (one per layer), with settings as
    ``leaky_relu(slope=0.1)``."""
    names = tuple(layer_activation(name.strip()).describe() for name in _BETWEEN.split(text))
    if len(names) == 1:
        return names * layers
    if len(names) != layers:
        raise InputError(f"expected one activation, or one per layer ({layers}), got "
                         f"{len(names)}", field="activation")
    return names


def parse_ask(text: str) -> tuple[str, ...]:
    ask = tuple(part.strip() for part in text.split(","))
    check_ask(ask)
    return ask


def check_ask(ask: tuple[str, ...]) -> None:
    if len(ask) == 1 and ask[0] in ASK_WORDS:
        return
    if not ask or any(item not in QUANTITIES for item in ask) or len(set(ask)) != len(ask):
        raise InputError(f"expected all, outputs, backward, or quantities from "
                         f"{', '.join(QUANTITIES)} joined by ',' (e.g. z,a or L,d,gw), got "
                         f"{','.join(ask)!r}", field="ask")
