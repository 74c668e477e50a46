"""Network files written: a :class:`~symann.model.Network` as the TOML or JSON text that
:func:`symann.spec.loads` reads back to an equal network.

Numbers are exact: a number whose decimal terminates is written as that decimal (``0.15``,
read back exactly, as every number of a network file is), any other as a text fraction
(``"1/3"``). Texts are escaped so that titles and labels of any Unicode survive.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from fractions import Fraction

from .activations import Activation
from .errors import InputError
from .model import Dense, Network
from .numbers import decimal_text, file_text, fraction_text

WRITTEN_FORMATS = ("toml", "json")


def dumps(network: Network, format: str = "toml") -> str:
    """The text of a network file for ``network`` in ``format`` (``toml`` or ``json``)."""
    if format not in WRITTEN_FORMATS:
        raise InputError(f"expected one of {', '.join(WRITTEN_FORMATS)}, got {format!r}",
                         field="format")
    return _toml(network) if format == "toml" else _json(network)


def number(value: Fraction) -> str:
    """A number as a network file writes it: ``0.15``, ``-2``, or ``"1/3"``
    (:func:`~symann.numbers.file_text`; a value that no text within the limits holds is
    written all the same, and the file refuses it when read)."""
    written = file_text(value) or decimal_text(value) or fraction_text(value)
    return written if "/" not in written else text(written)


def text(value: str) -> str:
    """A quoted text, valid in TOML and JSON alike (DEL escaped, which TOML forbids raw)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _numbers(values: Iterable[Fraction]) -> str:
    return "[" + ", ".join(number(v) for v in values) + "]"


def _texts(values: Iterable[str]) -> str:
    return "[" + ", ".join(text(v) for v in values) + "]"


def _activation(activation: Activation, separator: str) -> str:
    """The activation's name, or a table with the settings that are not its defaults."""
    defaults = activation.entry.defaults
    changed = [(key, value) for key, value in activation.settings if defaults[key] != value]
    if not changed:
        return text(activation.name)
    pairs = [f"{text('name') if separator == ':' else 'name'}{separator} "
             f"{text(activation.name)}"]
    for key, value in changed:
        pairs.append(f"{text(key) if separator == ':' else key}{separator} {number(value)}")
    return "{ " + ", ".join(pairs) + " }"


def _header(network: Network) -> list[tuple[str, str]]:
    fields = []
    if network.title:
        fields.append(("title", text(network.title)))
    if network.inputs is not None:
        fields.append(("inputs", _numbers(network.inputs)))
    if network.input_labels:
        fields.append(("input_labels", _texts(network.input_labels)))
    if network.output_labels:
        fields.append(("output_labels", _texts(network.output_labels)))
    if network.targets is not None:
        fields.append(("targets", _numbers(network.targets)))
    if network.loss is not None:
        fields.append(("loss", text(network.loss.name)))
    if network.learning_rate is not None:
        fields.append(("learning_rate", number(network.learning_rate)))
    return fields


def _rows(layer: Dense) -> list[str]:
    return [_numbers(row) for row in layer.weights]


def _toml(network: Network) -> str:
    lines = [f"{key} = {value}" for key, value in _header(network)]
    for layer in network.layers:
        lines += ["", "[[layers]]"]
        rows = _rows(layer)
        if len(rows) == 1:
            lines.append(f"weights = [{rows[0]}]")
        else:
            lines += ["weights = [", *(f"  {row}," for row in rows), "]"]
        lines.append(f"biases = {_numbers(layer.biases)}")
        lines.append(f"activation = {_activation(layer.activation, ' =')}")
    return "\n".join(lines).lstrip("\n") + "\n"


def _json(network: Network) -> str:
    fields = [f"  {text(key)}: {value}" for key, value in _header(network)]
    layers = []
    for layer in network.layers:
        rows = ",\n".join(f"        {row}" for row in _rows(layer))
        layers.append("    {\n"
                      f"      \"weights\": [\n{rows}\n      ],\n"
                      f"      \"biases\": {_numbers(layer.biases)},\n"
                      f"      \"activation\": {_activation(layer.activation, ':')}\n"
                      "    }")
    fields.append("  \"layers\": [\n" + ",\n".join(layers) + "\n  ]")
    return "{\n" + ",\n".join(fields) + "\n}\n"
