"""What is asked of a variant, its answer key (a ``symann check`` answers file) and the
class's answer template (the ``symann check --batch`` CSV)."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..errors import InputError
from ..grading.places import DIGITS
from ..quantities import Quantity
from ..steps import Derivation, Step
from ..writing import text
from .variants import Variant


def asked(derivation: Derivation, ask: Sequence[str]) -> list[Step]:
    """The steps ``ask`` names: ``all`` (every step of the forward pass), ``outputs``,
    ``backward`` (every step, forward and backward), or quantities (``z``, ``a``, ``s``;
    ``L``, ``ds``, ``d``, ``gw``, ``gb``, ``uw``, ``ub`` of the backward pass)."""
    if tuple(ask) == ("backward",):
        return list(derivation)
    if tuple(ask) == ("all",):
        return list(derivation.forward_steps)
    if tuple(ask) == ("outputs",):
        return list(derivation.outputs)
    kinds = {Quantity(letter) for letter in ask}
    return [step for step in derivation if step.ref.kind in kinds]


#: why a quantity of ``--ask`` may name no step of a network
_NEEDS = {"s": "s needs a softmax layer"}


def check_asked(derivation: Derivation, ask: Sequence[str]) -> None:
    """Refuse an ``ask`` that names no step of ``derivation`` (every variant of a class
    has the same steps)."""
    if not asked(derivation, ask):
        why = "; ".join(_NEEDS[item] for item in ask if item in _NEEDS)
        raise InputError("no step of the network is asked" + (f" ({why})" if why else
                         f" ({','.join(ask)} names none of its steps)"), field="--ask")


def key_toml(variant: Variant, ask: Sequence[str]) -> str:
    """The answer key: its decimal places (``digits``), then every step's shown value (a
    text, read exactly), the asked ones named in a comment; ``symann check network.toml
    key.toml`` passes it at any places, as the key says them."""
    ids = [step.id for step in asked(variant.derivation, ask)]
    lines = [f"# answer key of {variant.network.title}"
             + (f" for {text(variant.student)}" if variant.student is not None else ""),
             f"# asked: {', '.join(ids)}",
             "# symann check network.toml key.toml",
             f"{DIGITS} = {variant.digits}"]
    lines += [f"{step.id} = {text(step.shown.text)}" for step in variant.derivation]
    return "\n".join(lines) + "\n"


def class_template(variants: Sequence[Variant], ask: Sequence[str]) -> str:
    """The class's answers CSV with empty cells: a row per student (or variant)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    ids = [step.id for step in asked(variants[0].derivation, ask)]
    writer.writerow(["student", *ids])
    for variant in variants:
        writer.writerow([variant.row, *([""] * len(ids))])
    return out.getvalue()
