"""Large networks and batches as NumPy files.

A network ``.npz`` holds ``W1, b1, W2, b2, ...`` (``W`` one row per neuron), an array
``activations`` of names, and optionally ``inputs`` and ``title``. Activation settings
are written ``leaky_relu:slope=0.1``. Loading takes milliseconds for a 5x1024 network;
weights are read exactly (each float as the decimal it prints as) only if a derivation
needs them.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError
from .model import Dense, Network


def load_npz(path: Path) -> Network:
    """A network from an ``.npz`` file."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise InputError(f"not a readable .npz file: {error}", source=str(path)) from None
    try:
        return _network(arrays)
    except InputError as error:
        raise error.from_source(str(path)) from None


def _network(arrays: dict[str, np.ndarray]) -> Network:
    if "activations" not in arrays:
        raise InputError("missing; expected an array of activation names", field="activations")
    names = [str(name) for name in np.atleast_1d(arrays["activations"])]
    layers = []
    for number, name in enumerate(names, 1):
        for key in (f"W{number}", f"b{number}"):
            if key not in arrays:
                raise InputError(f"missing; expected the array {key}", field=key)
        try:
            layers.append(Dense(arrays[f"W{number}"], arrays[f"b{number}"], _activation(name)))
        except InputError as error:
            raise error.within(f"layers[{number}]") from None
    inputs = arrays.get("inputs")
    title = str(arrays["title"]) if "title" in arrays else ""
    return Network(layers, inputs=None if inputs is None else [float(x) for x in inputs],
                   title=title)


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


def save_npz(network: Network, path: "str | Path") -> None:
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


def _describe(activation: Any) -> str:
    if not activation.settings:
        return activation.name
    return activation.name + ":" + ",".join(f"{k}={float(v)!r}" for k, v in activation.settings)


def read_batch(path: Path, n_inputs: int) -> np.ndarray:
    """A batch of inputs from ``.npy`` or ``.csv`` (one row per example; a header row of
    names is skipped)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".npy":
            batch = np.load(path, allow_pickle=False)
        elif suffix == ".csv":
            batch = _read_csv(path)
        else:
            raise InputError(f"expected a .csv or .npy file, got {suffix or 'no suffix'!r}",
                             source=str(path))
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the inputs: {error}", source=str(path)) from None
    batch = np.atleast_2d(np.asarray(batch, dtype=float))
    if batch.ndim != 2 or batch.shape[1] != n_inputs:
        raise InputError(f"expected {n_inputs} columns (one per input), got shape "
                         f"{batch.shape}", source=str(path))
    return batch


def _read_csv(path: Path) -> np.ndarray:
    with open(path, encoding="utf-8-sig") as handle:
        first = handle.readline()
    header = any(c.isalpha() and c not in "eE" for c in first.replace("nan", "").replace("inf", ""))
    return np.loadtxt(path, delimiter=",", skiprows=1 if header else 0, ndmin=2)


def write_batch(outputs: np.ndarray, path: "str | Path | None", out: Any) -> None:
    """Outputs to ``.npy`` or ``.csv`` (or CSV on ``out`` when no path is given)."""
    if path is not None and str(path).lower().endswith(".npy"):
        np.save(path, outputs)
        return
    if path is None:
        np.savetxt(out, outputs, delimiter=",", fmt="%.17g")
        return
    np.savetxt(path, outputs, delimiter=",", fmt="%.17g")
