"""A network compiled to fast batched NumPy, with a strategy per size.

* Wide layers: matrix form, ``z = a Wᵀ + b`` on BLAS with ``Wᵀ`` stored contiguous, one
  allocation per layer, bias and activation applied in place. (SymPy's lambdify of a
  MatrixSymbol product prints exactly ``A @ WT`` and cannot express the bias broadcast or
  in-place work, so this path is NumPy written out; no wide layer is ever expanded into
  scalar expressions.)
* Small networks (every layer at most ``SMALL_LAYER`` weights): SymPy's lambdify of each
  layer's scalar expressions with ``cse=True``, the layers called in turn (so a deep
  network costs linear time) — as pure ``math`` code for one input vector, and
  as element-wise NumPy for large batches, split across threads (NumPy's ufuncs release
  the GIL). Between the two, the matrix form has the least overhead.

Every activation comes from the registry's numerically stable NumPy and scalar versions,
so ``sigmoid(-1000)`` or ``softmax([1000, 0])`` give correct values with no warnings.
"""
from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy

from .errors import InputError

if TYPE_CHECKING:
    from .model import Dense, Network

SMALL_LAYER = 64           # weights per layer up to which scalar expressions pay off
ELEMENTWISE_BATCH = 20_000  # from this batch size, small networks run element-wise
THREADED_BATCH = 40_000    # from this batch size, element-wise work is split over threads
DTYPES = (np.float64, np.float32)
_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1))
    return _POOL


@dataclass(frozen=True)
class Trace:
    """Every layer's ``z`` and ``a`` for a batch, and the outputs (the last ``a``)."""

    z: tuple[np.ndarray, ...]
    a: tuple[np.ndarray, ...]

    @property
    def outputs(self) -> np.ndarray:
        return self.a[-1]


class CompiledNetwork:
    """``f(X)``: X of shape ``(batch, n_inputs)`` (or one vector) to ``(batch, n_outputs)``."""

    def __init__(self, network: Network, dtype: Any = np.float64) -> None:
        self.dtype = np.dtype(dtype)
        if self.dtype not in [np.dtype(d) for d in DTYPES]:
            raise InputError(f"expected float64 or float32, got {self.dtype}", field="dtype")
        self.network = network
        self.n_inputs, self.n_outputs = network.n_inputs, network.n_outputs
        with np.errstate(over="ignore"):  # a float32 overflow gives inf, found in the outputs
            matrices = [layer.matrix.astype(self.dtype) for layer in network.layers]
            biases = [layer.vector.astype(self.dtype) for layer in network.layers]
        activations = [layer.activation.numpy_inplace for layer in network.layers]
        # a single row multiplies fastest by W.T (a view); a batch by a contiguous copy of it
        self.row_layers = list(zip([m.T for m in matrices], biases, activations))
        self.batch_layers = list(zip([np.ascontiguousarray(m.T) for m in matrices], biases,
                                     activations))
        self.small = all(layer.matrix.size <= SMALL_LAYER for layer in network.layers)
        self._scalar: Callable[..., Any] | None = None
        self._elementwise: Callable[..., Any] | None = None

    @property
    def scalar(self) -> Callable[..., Any]:
        """The small network as ``math`` code (built by lambdify on first use)."""
        if self._scalar is None:
            self._scalar, self._elementwise = _lambdified(self.network)
        return self._scalar

    @property
    def elementwise(self) -> Callable[..., Any]:
        """The small network as element-wise NumPy code (built by lambdify on first use)."""
        if self._elementwise is None:
            self._scalar, self._elementwise = _lambdified(self.network)
        return self._elementwise

    def __call__(self, X: Any, *, trace: bool = False) -> np.ndarray | Trace:
        """The outputs for the inputs ``X``; ``trace=True`` gives every layer's z and a."""
        if type(X) is not np.ndarray or X.dtype != self.dtype:
            X = np.asarray(X, dtype=self.dtype)
        single = X.ndim == 1
        if single:
            X = X[np.newaxis, :]
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise InputError(f"expected inputs of shape (batch, {self.n_inputs}) or "
                             f"({self.n_inputs},), got {X.shape}", field="inputs")
        if trace:
            result = self._trace(X)
            return Trace(tuple(z[0] for z in result.z), tuple(a[0] for a in result.a)) \
                if single else result
        batch = X.shape[0]
        if self.small and batch == 1:
            out = np.array([self.scalar(*X[0].tolist())], dtype=self.dtype)
        elif self.small and batch >= ELEMENTWISE_BATCH:
            out = self._columns(X)
        else:
            out = self._matrix(X)
        return out[0] if single else out

    def _matrix(self, X: np.ndarray) -> np.ndarray:
        a = X
        if X.shape[0] == 1:
            for transposed, bias, activate in self.row_layers:
                a = a @ transposed
                a += bias
                activate(a)
            return a
        threaded = X.shape[0] >= THREADED_BATCH
        for transposed, bias, activate in self.batch_layers:
            a = a @ transposed
            a += bias
            _threaded(activate, a) if threaded else activate(a)
        return a

    def _trace(self, X: np.ndarray) -> Trace:
        zs, activations, a = [], [], X
        for transposed, bias, activate in self.batch_layers:
            z = a @ transposed
            z += bias
            a = activate(z.copy())
            zs.append(z)
            activations.append(a)
        return Trace(tuple(zs), tuple(activations))

    def _columns(self, X: np.ndarray) -> np.ndarray:
        out = np.empty((X.shape[0], self.n_outputs), dtype=self.dtype)
        chunks = _chunks(X.shape[0])

        def run(part: slice) -> None:
            columns = self.elementwise(*X[part].T)
            for j, column in enumerate(columns):
                out[part, j] = column

        list(_pool().map(run, chunks)) if len(chunks) > 1 else run(chunks[0])
        return out


def _chunks(batch: int) -> list[slice]:
    workers = min(4, os.cpu_count() or 1) if batch >= THREADED_BATCH else 1
    edges = np.linspace(0, batch, workers + 1).astype(int)
    return [slice(int(lo), int(hi)) for lo, hi in itertools.pairwise(edges)]


def _threaded(activate: Callable[[np.ndarray], np.ndarray], z: np.ndarray) -> None:
    """Apply an in-place activation to row blocks of ``z`` on several threads (each row is
    whole, so softmax over a row stays correct)."""
    list(_pool().map(lambda part: activate(z[part]), _chunks(z.shape[0])))


def _lambdified(network: Network) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The small network as scalar expressions, one layer at a time (so a deep network
    costs linear time), each layer lambdified with common subexpressions shared: once for
    ``math`` (one vector), once for NumPy (batches)."""
    scalar_layers, array_layers = [], []
    width = network.n_inputs
    for number, layer in enumerate(network.layers, 1):
        inputs = sympy.symbols(f"v1:{width + 1}", real=True)
        outputs, scalar_functions, array_functions = _layer_expressions(layer, number, inputs)
        scalar_layers.append(sympy.lambdify(inputs, outputs,
                                            modules=[scalar_functions, "math"], cse=True))
        array_layers.append(sympy.lambdify(inputs, outputs,
                                           modules=[array_functions, "numpy"], cse=True))
        width = layer.size
    return _chain(scalar_layers), _chain(array_layers)


def _chain(layers: list[Callable[..., Any]]) -> Callable[..., Any]:
    """The layer functions applied in turn: each takes the previous layer's values."""
    if len(layers) == 1:
        return layers[0]

    def run(*values: Any) -> Any:
        for layer in layers:
            values = layer(*values)
        return values
    return run


def _layer_expressions(layer: Dense, number: int, values: tuple[sympy.Symbol, ...]
                       ) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    """One layer's activations as expressions of its inputs ``values``, and the functions
    they call, for ``math`` and for NumPy."""
    zs = [sympy.Add(*[_float(w) * v for w, v in zip(row, values)], _float(b))
          for row, b in zip(layer.matrix, layer.vector)]
    act = layer.activation
    if act.layerwise:
        shift = sympy.Function("rowmax")(*zs)
        exps = [sympy.exp(z - shift) for z in zs]
        total = sympy.Add(*exps)
        return ([e / total for e in exps], {"rowmax": max},
                {"rowmax": lambda *z: np.maximum.reduce(z)})
    name = f"activation{number}"
    function = sympy.Function(name)
    return [function(z) for z in zs], {name: act.scalar}, {name: act.numpy}


def _float(value: float) -> sympy.Expr:
    """A double as SymPy prints it exactly: an Integer when whole (so ``1*x`` vanishes),
    else a Float with all 17 digits."""
    value = float(value)
    if value.is_integer() and abs(value) < 2**53:
        return sympy.Integer(int(value))
    return sympy.Float(value, 17)


__all__ = ["CompiledNetwork", "Trace"]
