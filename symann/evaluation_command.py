"""``symann eval``: a network evaluated on a batch of inputs by the compiled NumPy forward
pass, in chunks of bounded memory, with progress on stderr; a value outside the dtype's
range, or an output that overflows it, is an error and nothing is written."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from .arrays import check_batch_size, read_batch, write_batch
from .errors import InputError
from .files import check_output
from .spec import load


def add_eval(commands: Any) -> None:
    """The ``eval`` command's parser (``commands``: the CLI's subparsers)."""
    evaluate = commands.add_parser(
        "eval", help="evaluate a network on a batch of inputs, fast (compiled NumPy)",
        description="Evaluate a network file (.toml, .json or .npz) on every row of a batch "
        "of inputs (.csv or .npy) with the compiled NumPy forward pass.")
    evaluate.add_argument("file", help="the network file")
    evaluate.add_argument("--inputs", required=True, metavar="X.csv|X.npy",
                          help="one row per example, one column per input")
    evaluate.add_argument("-o", "--output", metavar="OUT.csv|OUT.npy",
                          help="where the outputs go (default: CSV on standard output)")
    evaluate.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    evaluate.set_defaults(run=_eval)


EVAL_CHUNK_VALUES = 2**22


def _eval(args: argparse.Namespace) -> int:
    check_output(args.output, [args.file, args.inputs])
    network = load(args.file)
    batch = read_batch(Path(args.inputs), network.n_inputs)
    check_batch_size(batch.shape[0], network.n_outputs)
    dtype = np.dtype(args.dtype)
    _check_range(batch, dtype, args.inputs)
    compiled = network.compile(dtype=dtype)
    outputs = np.empty((batch.shape[0], network.n_outputs), dtype=compiled.dtype)
    chunk = max(1, EVAL_CHUNK_VALUES // max(network.shape))
    started = last = time.monotonic()
    with np.errstate(all="ignore"):
        for start in range(0, batch.shape[0], chunk):
            stop = min(start + chunk, batch.shape[0])
            outputs[start:stop] = compiled(batch[start:stop])
            now = time.monotonic()
            if now - last >= 0.5 and stop < batch.shape[0]:
                print(f"evaluated {stop}/{batch.shape[0]} rows ({stop / (now - started):,.0f}/s)",
                      file=sys.stderr, flush=True)
                last = now
    _check_finite(outputs, args.dtype)
    write_batch(outputs, args.output, sys.stdout)
    return 0


def _check_range(batch: np.ndarray, dtype: np.dtype, source: str) -> None:
    largest = np.finfo(dtype).max
    outside = np.abs(batch) > largest
    if outside.any():
        row, column = (int(i) + 1 for i in np.argwhere(outside)[0])
        raise InputError(f"expected numbers within ±{largest:.4g} for --dtype {dtype}, got "
                         f"{batch[row - 1, column - 1]!r} in row {row}, column {column}",
                         source=source)


def _check_finite(outputs: np.ndarray, dtype: str) -> None:
    finite = np.isfinite(outputs)
    if not finite.all():
        row, column = (int(i) + 1 for i in np.argwhere(~finite)[0])
        raise InputError(f"output {column} of input row {row} is {outputs[row - 1, column - 1]}"
                         f" (the computation overflows {dtype}); nothing written",
                         field="outputs")
