"""The derivation as JSON: every step with its id, exact value and what is shown.

Data, not a layout: the JSON writer writes the steps directly, their lines in the text
dialect (``symbolic``, ``substituted``).
"""
from __future__ import annotations

import json
from typing import Any

from ..errors import InputError
from ..formats import RenderSettings, register
from ..notation import notation
from ..numbers import precise
from ..printers.text import TextPrinter
from ..quantities import Quantity
from ..steps import Derivation, Step
from .controls import chosen
from .safe import json_safe

_WEIGHTED = (Quantity.GRAD_WEIGHT, Quantity.UPDATE_WEIGHT)
_UPDATES = (Quantity.UPDATE_WEIGHT, Quantity.UPDATE_BIAS)


def step_dict(step: Step, printer: TextPrinter) -> dict[str, Any]:
    """One step as plain data; ``value`` and ``exact`` come from exact arithmetic throughout."""
    parts = printer.step_parts(step)
    # the symbolic line as every format writes it (``--sum sigma`` too)
    lhs, middle, symbolic = parts[0], parts[1:-1], printer.members(step.symbolic, None)[0]
    kind = step.ref.kind
    return {
        "id": step.id,
        "quantity": kind.word,
        "layer": step.layer,
        "neuron": step.neuron,
        **({"input": step.ref.source} if kind in _WEIGHTED else {}),
        **({"parameter": "w" if kind is Quantity.UPDATE_WEIGHT else "b"}
           if kind in _UPDATES else {}),
        "value": step.value,
        "exact": _closed_form(step),
        "precise": precise.nstr(step.approximation, 40),
        "shown": step.shown.text,
        "relation": step.relation,
        "symbolic": lhs if symbolic == lhs else f"{lhs} = {symbolic}",
        "substituted": middle[-1] if middle and middle[-1] != symbolic else parts[-1],
        **({"note": step.note} if step.note else {}),
    }


def _closed_form(step: Step) -> str | None:
    """The exact value as text (``83/200``, ``1/(exp(-83/200) + 1)``), or None where its
    closed form is too large to build (see ``symann.propagation.MAX_CLOSED_FORM``)."""
    try:
        return str(step.exact)
    except InputError:
        return None


class JsonWriter:
    """What ``symann solve --format json`` prints; :meth:`data` is the same as Python data."""

    def data(self, derivation: Derivation, settings: RenderSettings) -> dict[str, Any]:
        # data, not a layout: every term of every sum
        printer = TextPrinter(notation(derivation.network, settings.notation),
                              settings.replace(terms=0))
        steps = [step_dict(step, printer) for step in derivation.steps]
        by_id = {step["id"]: step for step in steps}
        found = {
            "title": derivation.title,
            "digits": derivation.digits,
            "carry": derivation.carry,
            "inputs": [float(x) for x in derivation.inputs],
            "steps": steps,
            "outputs": [{key: by_id[s.id][key]
                         for key in ("id", "value", "exact", "shown", "relation")}
                        for s in derivation.outputs],
        }
        network = derivation.network
        if network.input_labels:
            found["input_labels"] = list(network.input_labels)
        if network.output_labels:
            found["output_labels"] = list(network.output_labels)
        if derivation.loss is not None:
            found["loss"] = derivation.loss.name
            found["targets"] = [float(y) for y in derivation.targets or ()]
            if derivation.learning_rate is not None:
                found["learning_rate"] = float(derivation.learning_rate)
        return found

    def write(self, derivation: Derivation, settings: RenderSettings) -> str:
        chosen(derivation, settings)   # data has every step, but an unknown id is an error
        return json_safe(json.dumps(self.data(derivation, settings), indent=settings.indent,
                                    ensure_ascii=False))


register("json", JsonWriter())


def derivation_dict(derivation: Derivation) -> dict[str, Any]:
    """The derivation as plain data, in the default settings."""
    return JsonWriter().data(derivation, RenderSettings())
