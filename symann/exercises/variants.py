"""Seeded variants: each a network with inputs, made from the seed and the student (or the
variant's number) alone.

A draw is seeded by SHA-256 of ``symann-exercise/{seed}/{label}/{attempt}`` (never
``hash()``, set order or a float's repr), and every number is a whole multiple of its
range's step drawn with :meth:`random.Random.randrange` (the same on every platform and
Python version), so the same options give the same class anywhere. A variant that the
filter rejects is drawn again with the next attempt. With a backward pass, the targets are
drawn last, from the same generator (:func:`draw_targets`), so the numbers drawn before
them follow the same recipe with and without one.
"""
from __future__ import annotations

import functools
import hashlib
import random
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from ..errors import InputError
from ..grading.grade import worked
from ..model import Dense, Network
from ..numbers import decimal_text
from ..steps import Derivation
from .filters import RULES, check_derivation, check_numbers
from .options import Options, Range, layer_activation

Progress = Callable[[int, int], None]
#: from how few decimal places the filter's error suggests coarser numbers
FEW_PLACES = 1


@dataclass(frozen=True)
class Variant:
    """One variant of the class: its number (from 1) and name (``001``: its directory),
    the student it is for (or None), its network, the draws it took and the places its
    worked solution shows (:attr:`derivation`, made when first asked for)."""

    number: int
    name: str
    student: str | None
    network: Network
    attempts: int
    digits: int

    @functools.cached_property
    def derivation(self) -> Derivation:
        """The worked solution (as ``symann solve --digits`` makes it; with ``--backward``
        where the network has targets and a loss)."""
        return worked(self.network, self.digits)

    @property
    def label(self) -> str:
        """What seeds it: the student, else its number."""
        return self.student if self.student is not None else str(self.number)

    @property
    def row(self) -> str:
        """Its row's name in the class CSV: the student, else its name."""
        return self.student if self.student is not None else self.name


def rng(seed: int, label: str, attempt: int) -> random.Random:
    """The generator of one draw."""
    digest = hashlib.sha256(f"symann-exercise/{seed}/{label}/{attempt}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _draw(generator: random.Random, values: Range, count: int) -> list[Fraction]:
    """``count`` numbers ``STEP × randrange(first, last + 1)``: ``randrange(a, b)`` is
    ``a + randrange(b - a)`` (one draw below the width), so they are indexed in the range's
    precomputed values."""
    numbers = values.values
    return [numbers[generator.randrange(len(numbers))] for _ in range(count)]


#: the inputs, per layer (weights, biases), and the targets (None: no backward pass)
Numbers = tuple[list[Fraction], list[tuple[list[list[Fraction]], list[Fraction]]],
                list[Fraction] | None]


def draw_numbers(options: Options, label: str, attempt: int) -> Numbers:
    """The numbers of one draw: the inputs, then per layer the weights (row by row) and
    the biases, then (with a backward pass) the targets."""
    generator = rng(options.seed, label, attempt)
    widths = options.architecture
    inputs = _draw(generator, options.inputs, widths[0])
    layers = []
    for fan_in, size in pairwise(widths):
        weights = [_draw(generator, options.weights, fan_in) for _ in range(size)]
        layers.append((weights, _draw(generator, options.biases, size)))
    targets = draw_targets(generator, options) if options.backward else None
    return inputs, layers, targets


def draw_targets(generator: random.Random, options: Options) -> list[Fraction]:
    """The targets: one-hot (the hot output ``randrange(n)``) for softmax with
    cross-entropy, else one number per output from the targets' range."""
    size = options.architecture[-1]
    if options.one_hot:
        hot = generator.randrange(size)
        return [Fraction(int(j == hot)) for j in range(size)]
    return _draw(generator, options.targets, size)


def accepted(options: Options, number: int, student: str | None, count: int,
             draws: int) -> Variant:
    """The variant whose accepted draw was its ``draws``-th (as the manifest records it),
    drawn again from the seed without the filter."""
    label = student if student is not None else str(number)
    network = draw(options, label, draws - 1, title(options, number, count))
    return Variant(number, name(number, count), student, network, draws, options.digits)


def has_zero(numbers: Numbers) -> bool:
    """Whether an input, a weight or a bias of the draw is 0 (the filter's ``zero`` rule;
    a target of 0 is a usual target, not a vanishing term)."""
    inputs, layers, _ = numbers
    return 0 in inputs or any(0 in biases or any(0 in row for row in weights)
                              for weights, biases in layers)


def network_of(options: Options, numbers: Numbers, title: str = "") -> Network:
    inputs, layers, targets = numbers
    return Network([Dense(weights, biases, layer_activation(name))
                    for (weights, biases), name in zip(layers, options.activations)],
                   inputs, title=title, targets=targets,
                   loss=options.loss if targets is not None else None,
                   learning_rate=options.learning_rate if targets is not None else None)


def draw(options: Options, label: str, attempt: int, title: str = "") -> Network:
    """The network of one draw (not yet filtered)."""
    return network_of(options, draw_numbers(options, label, attempt), title)


def parameters(network: Network) -> tuple[object, ...]:
    """What makes two variants the same: the inputs, weights and biases (and targets)."""
    return (network.inputs, tuple((layer.weights, layer.biases) for layer in network.layers),
            network.targets)


def title(options: Options, number: int, count: int) -> str:
    return f"{options.title} {name(number, count)}"


def name(number: int, count: int) -> str:
    """A variant's name and directory: ``001``."""
    return f"{number:0{width(count)}d}"


def width(count: int) -> int:
    """The digits of a variant's number in names (``001``)."""
    return max(3, len(str(count)))


def make_class(options: Options, count: int, students: Sequence[str] | None = None,
               progress: Progress | None = None) -> list[Variant]:
    """The class: ``count`` variants, or one per student of ``students`` (in order)."""
    if students is not None:
        count = len(students)
    seen: set[tuple[object, ...]] = set()
    variants = []
    for number in range(1, count + 1):
        student = students[number - 1] if students is not None else None
        variant = make_variant(options, number, student, count, seen)
        seen.add(parameters(variant.network))
        variants.append(variant)
        if progress is not None:
            progress(number, count)
    return variants


def make_variant(options: Options, number: int, student: str | None, count: int,
                 seen: Container[tuple[object, ...]] = (), start: int = 0) -> Variant:
    """The first draw (from attempt ``start``) for this student (or number) that no rule
    rejects."""
    label = student if student is not None else str(number)
    rejected: dict[str, int] = {}
    heading = title(options, number, count)
    for attempt in range(start, options.attempts):
        numbers = draw_numbers(options, label, attempt)
        if "zero" not in options.rules.off and has_zero(numbers):   # before the network
            rejected["zero"] = rejected.get("zero", 0) + 1
            continue
        network = network_of(options, numbers, heading)
        rule = check_numbers(network, options.rules, options.digits)
        if rule is None:
            derivation = worked(network, options.digits)
            rule = check_derivation(derivation, options.rules)
        if rule is None and "duplicate" not in options.rules.off \
                and parameters(network) in seen:
            rule = "duplicate"
        if rule is None:
            variant = Variant(number, name(number, count), student, network, attempt + 1,
                              options.digits)
            variant.__dict__["derivation"] = derivation   # made by the filter already
            return variant
        rejected[rule] = rejected.get(rule, 0) + 1
    reasons = ", ".join(f"{rule} ({RULES[rule]}) {times}×" for rule, times in
                        sorted(rejected.items(), key=lambda item: -item[1]))
    hint = "" if options.digits > FEW_PLACES else (
        f" (at {options.digits} decimal place(s) a term must move an output by "
        f"{decimal_text(Fraction(1, 10**options.digits))}: draw wider, coarser numbers, e.g. "
        "--weights=-3:3:0.5 --biases=-2:2:0.5, or see 'Few decimal places' in "
        "docs/exercises.md)")
    raise InputError(f"the filter rejected all {options.attempts} draws of variant {number} "
                     f"({label}): {reasons}; widen the value ranges or --allow a rule{hint}",
                     field="exercise")
