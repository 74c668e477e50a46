"""The derivation as JSON: every step with its id, exact value and what is shown."""
from __future__ import annotations

import json
from typing import Any

from ..errors import InputError
from ..notation import notation as resolve
from ..numbers import precise
from ..steps import Derivation, Step
from .safe import json_safe
from .text import TextPrinter


def step_dict(step: Step, printer: TextPrinter) -> dict[str, Any]:
    """One step as plain data; ``value`` and ``exact`` come from exact arithmetic throughout."""
    parts = printer.step_parts(step)
    return {
        "id": step.id,
        "quantity": step.quantity,
        "layer": step.layer,
        "neuron": step.neuron,
        "value": step.value,
        "exact": _closed_form(step),
        "precise": precise.nstr(step.approximation, 40),
        "shown": step.shown.text,
        "relation": step.relation,
        "symbolic": f"{parts[0]} = {parts[1]}",
        "substituted": parts[2] if len(parts) > 3 else parts[-1],
        **({"note": step.note} if step.note else {}),
    }


def _closed_form(step: Step) -> str | None:
    """The exact value as text (``83/200``, ``1/(exp(-83/200) + 1)``), or None where its
    closed form is too large to build (see ``symann.forward.MAX_CLOSED_FORM``)."""
    try:
        return str(step.exact)
    except InputError:
        return None


def derivation_dict(derivation: Derivation) -> dict[str, Any]:
    """What ``symann solve --format json`` prints."""
    printer = TextPrinter(resolve(derivation.network))
    steps = [step_dict(step, printer) for step in derivation.steps]
    by_id = {step["id"]: step for step in steps}
    return {
        "title": derivation.title,
        "digits": derivation.digits,
        "carry": derivation.carry,
        "inputs": [float(x) for x in derivation.inputs],
        "steps": steps,
        "outputs": [{key: by_id[s.id][key] for key in ("id", "value", "exact", "shown", "relation")}
                    for s in derivation.outputs],
    }


def to_json(derivation: Derivation, indent: int | None = 2) -> str:
    return json_safe(json.dumps(derivation_dict(derivation), indent=indent, ensure_ascii=False))
