"""Network files: TOML and JSON with one schema, read exactly, with clear errors.

```toml
title = "Two neurons in sequence"
inputs = [0.1]
[[layers]]
weights = [[0.15]]      # one row per neuron, one column per input of the layer
biases = [0.4]
activation = "sigmoid"  # or { name = "leaky_relu", slope = 0.1 }
```
For the backward pass (``symann solve --backward``), a file may add ``targets = [0.01]``
(one per output), ``loss = "squared_error"`` (or ``mse``, ``binary_cross_entropy``,
``cross_entropy``) and ``learning_rate = 0.5``.
Numbers may be strings for exact values (``"1/3"``). Floats are read as the decimal
written in the file (``0.1`` is exactly 1/10). Field paths in errors count from 1.
"""
from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import limits
from .arrays import load_npz
from .errors import InputError
from .files import read_text as _read_bounded
from .model import DEFAULT_ACTIVATION, Dense, Network

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NETWORK_FIELDS = ("title", "inputs", "layers", "input_labels", "output_labels", "targets",
                  "loss", "learning_rate")
LAYER_FIELDS = ("weights", "biases", "activation")
REQUIRED_LAYER_FIELDS = ("weights", "biases")
_SEGMENT = re.compile(r"""[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'""")
#: a run of up to KEY_PARTS + 1 dot-separated words, each found once (linear time): a
#: TOML dotted key, or a number, or words inside a text
_DOTTED = re.compile(rf"(?:{_SEGMENT.pattern})"
                     rf"(?:[ \t]*\.[ \t]*(?:{_SEGMENT.pattern})){{0,{limits.KEY_PARTS}}}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load(source: str | Path | Mapping[str, Any]) -> Network:
    """A network from a ``.toml``, ``.json`` or ``.npz`` file, or from a parsed table."""
    if isinstance(source, Mapping):
        return from_table(source, "network")
    if not isinstance(source, (str, Path)):
        raise InputError(f"expected a file path or a table, got {type(source).__name__}")
    path = Path(source)
    if path.suffix.lower() == ".npz":
        return load_npz(path)
    return loads(read_text(path), format_of(path), name=str(path))


def loads(text: str, format: str = "toml", name: str = "<text>") -> Network:
    """A network from the text of a TOML or JSON file; ``name`` is used in errors."""
    if not isinstance(text, str):
        raise InputError(f"expected the text of a TOML or JSON file, got "
                         f"{type(text).__name__}", source=name)
    return from_table(parse(text, format, name), name)


def parse(text: str, format: str, name: str) -> Any:
    """The parsed file, numbers as exact :class:`~decimal.Decimal` (no float rounding),
    checked against the limits on numbers, nesting and texts."""
    _refuse_many_items(text, name)
    if format == "toml":
        _refuse_long_keys(text, name)
    try:
        if format == "toml":
            table = tomllib.loads(text, parse_float=_decimal)
        elif format == "json":
            table = json.loads(text, parse_float=_decimal, parse_constant=_no_constant,
                               object_pairs_hook=_unique_keys)
        else:
            raise InputError(f"expected the format toml or json, got {format!r}", source=name)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", source=name) from None
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg} at line {error.lineno}, column "
                         f"{error.colno}", source=name) from None
    except RecursionError:
        raise InputError(f"expected lists and tables nested at most {limits.NESTING} levels "
                         "deep (the nesting limit), got far deeper", source=name) from None
    except ValueError as error:
        if "int_max_str_digits" in str(error) or "Exceeds the limit" in str(error):
            raise InputError(f"expected numbers of at most {limits.NUMBER_DIGITS} digits (the "
                             "digit limit), got an integer of thousands", source=name) from None
        raise InputError(f"not valid {format.upper()}: {error}", source=name) from None
    except InputError as error:
        raise error.from_source(name) from None
    _check_values(table, name)
    return table


def _decimal(text: str) -> Decimal:
    """A number of the file, exactly; one whose exponent is beyond any Decimal (``1e999…9``,
    far past the limits) is refused rather than raising ``decimal.InvalidOperation``."""
    try:
        return Decimal(text)
    except ArithmeticError:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise InputError(f"expected a number, got {shown}, whose exponent is too large to "
                         "read") from None


def _refuse_many_items(text: str, name: str) -> None:
    """Refuse a file of more list items than any network within the limits has, before the
    parser spends seconds per million of them."""
    commas = text.count(",")
    if commas > limits.TEXT_ITEMS:
        raise InputError(f"expected at most {limits.TEXT_ITEMS} commas (the item limit: "
                         f"{limits.TEXT_NUMBERS} numbers in all), got {commas}", source=name)


def _refuse_long_keys(text: str, name: str) -> None:
    """Refuse a dotted key of more than KEY_PARTS parts before tomllib spends quadratic time
    on it (a text holding as many dot-separated words is refused too)."""
    for match in _DOTTED.finditer(text):
        run = match.group()
        if run.count(".") >= limits.KEY_PARTS and len(_SEGMENT.findall(run)) > limits.KEY_PARTS:
            line = text.count("\n", 0, match.start()) + 1
            raise InputError(f"expected a dotted key of at most {limits.KEY_PARTS} parts (the "
                             f"key-part limit), got one at line {line}", source=name)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            raise InputError(f"duplicate key {key!r}: each key may appear once")
        table[key] = value
    return table


def _no_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not a finite number")


def _check_values(table: Any, name: str) -> None:
    """Refuse numbers of too many digits, lone surrogates in texts, and deep nesting."""
    for field, value, depth in _walk(table):
        if depth > limits.NESTING:
            raise InputError(f"expected at most {limits.NESTING} levels of nested lists and "
                             "tables (the nesting limit)", field=field, source=name)
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) \
                and _digits(value) > limits.NUMBER_DIGITS:
            raise InputError(f"expected a number of at most {limits.NUMBER_DIGITS} digits "
                             "(the digit limit)", field=field, source=name)
        if isinstance(value, str):
            _check_text(value, field, name)
        elif isinstance(value, dict):
            for key in value:
                _check_text(key, field, name)


def _check_text(text: str, field: str, name: str) -> None:
    match = _SURROGATE.search(text)
    if match:
        raise InputError(f"expected Unicode text, got a lone surrogate "
                         f"\\u{ord(match[0]):04x}", field=field, source=name)


def _digits(value: int | Decimal) -> int:
    if isinstance(value, int):
        return len(str(abs(value))) if value.bit_length() < 4 * limits.NUMBER_DIGITS \
            else limits.NUMBER_DIGITS + 1
    return len(value.as_tuple().digits) if value.is_finite() else 0


def _walk(value: Any) -> Iterator[tuple[str, Any, int]]:
    """Every value of a parsed file with its field path (``layers[1].weights[2]``) and depth."""
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack:
        field, item, depth = stack.pop()
        yield field, item, depth
        if isinstance(item, dict):
            for key, child in item.items():
                stack.append((f"{field}.{key}" if field else str(key), child, depth + 1))
        elif isinstance(item, list):
            stack.extend((f"{field}[{i}]", child, depth + 1) for i, child in enumerate(item, 1))


def read_text(path: Path) -> str:
    """The text of a TOML or JSON file, within the file size limit."""
    return _read_bounded(path, limits.TEXT_FILE_BYTES)


def format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("toml", "json"):
        raise InputError(f"expected a .toml, .json or .npz file, got "
                         f"{path.suffix or 'no suffix'!r}", source=str(path))
    return suffix


def from_table(table: Any, name: str) -> Network:
    """A network from a parsed table, every error naming ``name`` and the field."""
    try:
        return _network(table)
    except InputError as error:
        raise error.from_source(name) from None


def _network(table: Any) -> Network:
    if not isinstance(table, Mapping):
        raise InputError(f"expected a table at the top, got {_kind(table)}")
    _refuse_unknown(table, NETWORK_FIELDS, "")
    if "layers" not in table:
        raise InputError('expected at least one layer ("[[layers]]" in TOML)', field="layers")
    layers = table["layers"]
    if not isinstance(layers, list):
        raise InputError(f"expected a list of layer tables, got {_kind(layers)}", field="layers")
    _check_size(layers)
    built = [_layer(layer, l) for l, layer in enumerate(layers, 1)]
    title = table.get("title", "")
    if not isinstance(title, str):
        raise InputError(f"expected a text, got {_kind(title)}", field="title")
    return Network(built, inputs=table.get("inputs"), title=title,
                   input_labels=table.get("input_labels"),
                   output_labels=table.get("output_labels"), targets=table.get("targets"),
                   loss=table.get("loss"), learning_rate=table.get("learning_rate"))


def _check_size(layers: list[Any]) -> None:
    """Refuse a network over the limits before reading any number of it."""
    if len(layers) > limits.LAYERS:
        raise InputError(f"expected at most {limits.LAYERS} layers (the layer limit), got "
                         f"{len(layers)}", field="layers")
    total = 0
    for number, layer in enumerate(layers, 1):
        if not isinstance(layer, Mapping):
            continue
        weights, biases = layer.get("weights"), layer.get("biases")
        for name, items in (("weights", weights), ("biases", biases)):
            if isinstance(items, list) and len(items) > limits.WIDTH:
                raise InputError(f"expected at most {limits.WIDTH} neurons (the width limit), "
                                 f"got {len(items)}", field=f"layers[{number}].{name}")
        rows = weights if isinstance(weights, list) else []
        total += sum(len(row) for row in rows if isinstance(row, list))
        total += len(biases) if isinstance(biases, list) else 0
        if total > limits.TEXT_NUMBERS:
            raise InputError(f"expected at most {limits.TEXT_NUMBERS} weights and biases in a "
                             "TOML or JSON network (the limit on exact numbers; use .npz for "
                             "larger networks)", field=f"layers[{number}]")


def _layer(table: Any, number: int) -> Dense:
    field = f"layers[{number}]"
    if not isinstance(table, Mapping):
        raise InputError(f"expected a table with weights and biases, got {_kind(table)}",
                         field=field)
    _refuse_unknown(table, LAYER_FIELDS, field)
    for required in REQUIRED_LAYER_FIELDS:
        if required not in table:
            raise InputError(f"missing; expected {required}", field=f"{field}.{required}")
    weights = table["weights"]
    if not isinstance(weights, list) or not all(isinstance(row, list) for row in weights):
        raise InputError("expected a list of rows of numbers (one row per neuron), "
                         f"got {_kind(weights)}", field=f"{field}.weights")
    try:
        return Dense(weights, table["biases"], table.get("activation", DEFAULT_ACTIVATION))
    except InputError as error:
        raise error.within(field) from None


def _refuse_unknown(table: Mapping[str, Any], known: tuple[str, ...], field: str) -> None:
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            where = f"{field}.{key}" if field else str(key)
            raise InputError(f"unknown field{hint} (expected {', '.join(known)})", field=where)


def _kind(value: Any) -> str:
    return {dict: "a table", list: "a list", str: "a text", bool: "a boolean",
            int: "a number", Decimal: "a number", float: "a number"}.get(type(value),
                                                                        type(value).__name__)
