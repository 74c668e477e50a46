"""Network files: TOML and JSON with one schema, read exactly, with clear errors.

```toml
title = "Two neurons in sequence"
inputs = [0.1]
[[layers]]
weights = [[0.15]]      # one row per neuron, one column per input of the layer
biases = [0.4]
activation = "sigmoid"  # or { name = "leaky_relu", slope = 0.1 }
```
Numbers may be strings for exact values (``"1/3"``). Floats are read as the decimal
written in the file (``0.1`` is exactly 1/10). Field paths in errors count from 1.
"""
from __future__ import annotations

import difflib
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError
from .model import Dense, Network

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NETWORK_FIELDS = ("title", "inputs", "layers", "input_labels", "output_labels")
LAYER_FIELDS = ("weights", "biases", "activation")
REQUIRED_LAYER_FIELDS = ("weights", "biases")
MAX_FILE_BYTES = 50 * 1024 * 1024


def load(source: "str | Path | Mapping[str, Any]") -> Network:
    """A network from a ``.toml``, ``.json`` or ``.npz`` file, or from a parsed table."""
    if isinstance(source, Mapping):
        return from_table(source, "network")
    if not isinstance(source, (str, Path)):
        raise InputError(f"expected a file path or a table, got {type(source).__name__}")
    path = Path(source)
    if path.suffix.lower() == ".npz":
        from .arrays import load_npz
        return load_npz(path)
    return loads(read_text(path), format_of(path), name=str(path))


def loads(text: str, format: str = "toml", name: str = "<text>") -> Network:
    """A network from the text of a TOML or JSON file; ``name`` is used in errors."""
    return from_table(parse(text, format, name), name)


def parse(text: str, format: str, name: str) -> Any:
    """The parsed file, numbers as exact :class:`~decimal.Decimal` (no float rounding)."""
    try:
        if format == "toml":
            return tomllib.loads(text, parse_float=Decimal)
        if format == "json":
            return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", source=name) from None
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg} at line {error.lineno}, column "
                         f"{error.colno}", source=name) from None
    except (ValueError, RecursionError) as error:
        raise InputError(f"not valid {format.upper()}: {error}", source=name) from None
    raise InputError(f"expected the format toml or json, got {format!r}", source=name)


def _no_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not a finite number")


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"expected a network file under {MAX_FILE_BYTES // 2**20} MiB, "
                             f"got {size} bytes", source=str(path))
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("expected a file, got a directory", source=str(path)) from None
    except UnicodeDecodeError as error:
        raise InputError(f"expected UTF-8 text, got a byte {error.object[error.start]:#x} at "
                         f"offset {error.start}", source=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", source=str(path)) from None


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
    built = [_layer(layer, l) for l, layer in enumerate(layers, 1)]
    title = table.get("title", "")
    if not isinstance(title, str):
        raise InputError(f"expected a text, got {_kind(title)}", field="title")
    return Network(built, inputs=table.get("inputs"), title=title,
                   input_labels=table.get("input_labels"),
                   output_labels=table.get("output_labels"))


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
        return Dense(weights, table["biases"], table.get("activation", "sigmoid"))
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
