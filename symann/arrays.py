"""Large networks and batches as NumPy files.

A network ``.npz`` holds ``W1, b1, W2, b2, ...`` (``W`` one row per neuron), an array
``activations`` of names, and optionally ``inputs`` and ``title``. Activation settings
are written ``leaky_relu:slope=0.1``. Loading takes milliseconds for a 5x1024 network;
weights are read exactly (each float as the decimal it prints as) only if a derivation
needs them.
"""
from __future__ import annotations

import math
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import numpy as np

from . import limits
from .activations import Activation
from .errors import InputError
from .files import atomic_output, check_input, read_text
from .model import Dense, Network

#: what can go wrong reading a foreign archive or array file; each is a clean InputError
_BROKEN = (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError,
           RuntimeError, KeyError, struct.error, SyntaxError, TypeError, OverflowError)
_NUMBERS = "fiu"
_KINDS = {"f": "floats", "i": "integers", "u": "integers", "U": "texts", "b": "booleans",
          "c": "complex numbers", "M": "datetimes", "m": "timedeltas", "O": "Python objects",
          "S": "bytes", "V": "raw records"}


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _header(handle: IO[bytes]) -> tuple[tuple[int, ...], np.dtype]:
    """The shape and dtype an ``.npy`` stream declares, read before any of its data."""
    version = np.lib.format.read_magic(handle)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) \
        else np.lib.format.read_array_header_2_0
    shape, _, dtype = read(handle)
    return tuple(int(n) for n in shape), np.dtype(dtype)


def _check_array(name: str, shape: tuple[int, ...], dtype: np.dtype, kinds: str,
                 what: str) -> int:
    """The bytes the array takes; refuses the wrong kind of values."""
    if dtype.kind not in kinds:
        got = _KINDS.get(dtype.kind, str(dtype))
        raise InputError(f"expected {what}, got {got} (dtype {dtype})", field=name)
    return math.prod(shape) * max(dtype.itemsize, 1)


def _expected(name: str) -> tuple[str, str]:
    """The dtype kinds an array of a network ``.npz`` may have, and how to say so."""
    if name in ("activations", "title"):
        return "U", "texts"
    return _NUMBERS, "real numbers (a float or integer dtype)"


def load_npz(path: Path) -> Network:
    """A network from an ``.npz`` file, its array headers checked against the limits
    before any array is decompressed; pickled objects are never loaded."""
    check_input(path, limits.ARRAY_BYTES)
    try:
        return _network(_read_npz(path))
    except InputError as error:
        raise error.from_source(str(path)) from None


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        return _read_archive(path)
    except _BROKEN as error:
        raise InputError(f"not a readable .npz file: {_one_line(error)}") from None


def _read_archive(path: Path) -> dict[str, np.ndarray]:
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > limits.NPZ_ARRAYS:
            raise InputError(f"expected at most {limits.NPZ_ARRAYS} arrays (the array limit), "
                             f"got {len(members)}")
        names = {}
        total = 0
        for member in members:
            name = member.filename.removesuffix(".npy")
            kinds, what = _expected(name)
            with archive.open(member) as handle:
                shape, dtype = _header(handle)
            total += _check_array(name, shape, dtype, kinds, what)
            if total > limits.ARRAY_BYTES:
                raise InputError(f"expected arrays of at most {limits.ARRAY_BYTES // limits.MiB}"
                                 f" MiB in all, decompressed (the array size limit)", field=name)
            names[name] = member
        arrays = {}
        for name, member in names.items():
            with archive.open(member) as handle:
                arrays[name] = np.lib.format.read_array(handle, allow_pickle=False)
        return arrays


def _network(arrays: dict[str, np.ndarray]) -> Network:
    if "activations" not in arrays:
        raise InputError("missing; expected an array of activation names", field="activations")
    names = [str(name) for name in np.atleast_1d(arrays["activations"]).ravel()]
    if len(names) > limits.LAYERS:
        raise InputError(f"expected at most {limits.LAYERS} layers (the layer limit), got "
                         f"{len(names)}", field="activations")
    layers = []
    for number, name in enumerate(names, 1):
        for key in (f"W{number}", f"b{number}"):
            if key not in arrays:
                raise InputError(f"missing; expected the array {key}", field=key)
        weights = arrays[f"W{number}"]
        if weights.ndim == 2 and max(weights.shape) > limits.WIDTH:
            raise InputError(f"expected at most {limits.WIDTH} neurons and inputs (the width "
                             f"limit), got shape {weights.shape}", field=f"W{number}")
        try:
            layers.append(Dense(weights, arrays[f"b{number}"], _activation(name)))
        except InputError as error:
            raise error.within(f"layers[{number}]") from None
    return Network(layers, inputs=_inputs(arrays.get("inputs")), title=_title(arrays))


def _inputs(array: np.ndarray | None) -> list[Any] | None:
    if array is None:
        return None
    if array.ndim != 1:
        raise InputError(f"expected a 1-D array (one per input), got shape {array.shape}",
                         field="inputs")
    return list(array)   # NumPy numbers: read as the decimals they print as (float32 0.1)


def _title(arrays: dict[str, np.ndarray]) -> str:
    if "title" not in arrays:
        return ""
    if arrays["title"].size != 1:
        raise InputError(f"expected one text, got shape {arrays['title'].shape}", field="title")
    return str(arrays["title"].reshape(()))


def _activation(text: str) -> Any:
    """``relu`` or ``leaky_relu:slope=0.1`` as an activation spec."""
    name, _, settings = text.partition(":")
    if not settings:
        return name
    spec: dict[str, Any] = {"name": name}
    for item in settings.split(","):
        key, _, value = item.partition("=")
        spec[key.strip()] = value.strip()
    return spec


def save_npz(network: Network, path: str | Path) -> None:
    """Write ``network`` as an ``.npz`` file that :func:`symann.load` reads back."""
    arrays: dict[str, Any] = {}
    for number, layer in enumerate(network.layers, 1):
        arrays[f"W{number}"] = np.array(layer.matrix)
        arrays[f"b{number}"] = np.array(layer.vector)
    arrays["activations"] = np.array([_describe(layer.activation) for layer in network.layers])
    if network.inputs is not None:
        arrays["inputs"] = np.array([float(x) for x in network.inputs])
    if network.title:
        arrays["title"] = np.array(network.title)
    np.savez(path, **arrays)


def _describe(activation: Activation) -> str:
    if not activation.settings:
        return activation.name
    return activation.name + ":" + ",".join(f"{k}={float(v)!r}" for k, v in activation.settings)


def read_batch(path: Path, n_inputs: int) -> np.ndarray:
    """A batch of finite inputs from ``.npy`` or ``.csv``: one row per example, one column
    per input (a first CSV row with a cell that is not a number is a header, skipped)."""
    suffix = path.suffix.lower()
    if suffix not in (".npy", ".csv"):
        raise InputError(f"expected a .csv or .npy file, got {suffix or 'no suffix'!r}",
                         source=str(path))
    try:
        batch = _read_npy(path) if suffix == ".npy" else _read_csv(path)
        return _checked(batch, n_inputs)
    except InputError as error:
        raise error.from_source(str(path)) from None


def _read_npy(path: Path) -> np.ndarray:
    check_input(path, limits.ARRAY_BYTES)
    try:
        with open(path, "rb") as handle:
            shape, dtype = _header(handle)
            _check_array("inputs", shape, dtype, _NUMBERS, "real numbers (a float or "
                         "integer dtype)")
            _check_values(math.prod(shape))
            handle.seek(0)
            return np.lib.format.read_array(handle, allow_pickle=False)
    except _BROKEN as error:
        raise InputError(f"not a readable .npy file: {_one_line(error)}") from None


def _read_csv(path: Path) -> np.ndarray:
    text = read_text(path, limits.CSV_FILE_BYTES)
    lines = text.splitlines()
    if lines and _is_header(lines[0]):
        lines = lines[1:]
    rows = [line for line in lines if line.strip()]
    if not rows:
        raise InputError("expected at least one row of inputs, got none")
    _check_values(len(rows) * (rows[0].count(",") + 1))
    try:
        return np.loadtxt(rows, delimiter=",", ndmin=2, dtype=float, comments=None)
    except ValueError as error:
        raise InputError(f"expected numbers separated by commas: {_one_line(error)}") from None


def _is_header(line: str) -> bool:
    """A row is a header when no cell is a number (``nan``, ``inf`` are numbers); a row
    with some cells numbers and some not is a mistake, never a header: it is an error
    (taken for a header, it would shift every output one row)."""
    cells = [cell.strip().strip('"') for cell in line.split(",")]
    numbers = [_is_number(cell) for cell in cells if cell]
    if numbers and all(numbers):
        return False
    if any(numbers):
        bad = next(k for k, cell in enumerate(cells, 1) if cell and not _is_number(cell))
        raise InputError(f"expected a number at row 1, column {bad}, got {cells[bad - 1]!r} "
                         "(a header row has no numbers)")
    return True


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _check_values(count: int) -> None:
    if count > limits.BATCH_VALUES:
        raise InputError(f"expected at most {limits.BATCH_VALUES} values (the batch limit), "
                         f"got {count}")


def _checked(batch: np.ndarray, n_inputs: int) -> np.ndarray:
    """The batch as 2-D float64, every value finite."""
    batch = np.asarray(batch, dtype=float)
    batch = batch.reshape(1, -1) if batch.ndim == 1 else batch
    if batch.ndim != 2 or batch.shape[1] != n_inputs:
        raise InputError(f"expected {n_inputs} columns (one per input), got shape "
                         f"{batch.shape}")
    if batch.shape[0] == 0:
        raise InputError("expected at least one row of inputs, got none")
    finite = np.isfinite(batch)
    if not finite.all():
        row, column = (int(i) + 1 for i in np.argwhere(~finite)[0])
        raise InputError(f"expected finite numbers, got {batch[row - 1, column - 1]} in row "
                         f"{row}, column {column} (of the inputs, header not counted)")
    return batch


def check_batch_size(rows: int, columns: int) -> None:
    """Refuse a batch whose outputs would exceed the batch limit."""
    _check_values(rows * columns)


def write_batch(outputs: np.ndarray, path: str | None, out: IO[str]) -> None:
    """Outputs to ``.npy`` or ``.csv`` (atomically), or CSV on ``out`` when no path is
    given. CSV numbers are the shortest that read back to the same float64 or float32."""
    if path is not None and path.lower().endswith(".npy"):
        with atomic_output(path, binary=True) as handle:
            np.lib.format.write_array(handle, outputs, allow_pickle=False)
        return
    if path is None:
        _write_csv(outputs, out)
        return
    with atomic_output(path) as handle:
        _write_csv(outputs, handle)


def _write_csv(outputs: np.ndarray, out: IO[str]) -> None:
    for row in _csv_rows(outputs):
        out.write(row)


def _csv_rows(outputs: np.ndarray) -> Iterable[str]:
    if outputs.dtype == np.float64:
        return (",".join(map(repr, row)) + "\n" for row in outputs.tolist())
    return (",".join(map(str, row)) + "\n" for row in outputs)
