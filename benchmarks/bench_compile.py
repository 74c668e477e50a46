"""Compiled forward pass against hand-written NumPy and PyTorch CPU, same process.

For each network (2-3-1 sigmoid, 784-128-10 sigmoid/softmax, five hidden layers of 1024
ReLU) and batch (1, 1 000, 100 000): the three run interleaved, each timed as the median
of several runs; the table gives symann's time over the faster reference (<= 1.0 meets the
target) and the spread (min/max of symann's runs over the reference median).

    pip install torch==2.13.0 && python benchmarks/bench_compile.py [--quick]

--quick skips the 5x1024 network at batch 100 000 (about 10 s a run).
"""
from __future__ import annotations

import statistics
import sys
import time

import numpy as np

import symann

try:
    import torch
except ImportError:  # pragma: no cover
    torch = None


def networks(rng: np.random.Generator):
    def dense(n_in: int, n_out: int, activation: str) -> symann.Dense:
        return symann.Dense(rng.standard_normal((n_out, n_in)) / np.sqrt(n_in),
                            rng.standard_normal(n_out) * 0.1, activation)

    yield "2-3-1", symann.Network([dense(2, 3, "sigmoid"), dense(3, 1, "sigmoid")])
    yield "784-128-10", symann.Network([dense(784, 128, "sigmoid"), dense(128, 10, "softmax")])
    yield "5x1024", symann.Network([dense(1024, 1024, "relu") for _ in range(5)]
                                   + [dense(1024, 10, "identity")])


NUMPY_ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0),
    "identity": lambda z: z,
    "softmax": lambda z: (lambda e: e / e.sum(axis=1, keepdims=True))(
        np.exp(z - z.max(axis=1, keepdims=True))),
}


def hand_numpy(network: symann.Network):
    """The forward pass as a user writes it: X @ W.T + b, then the activation."""
    layers = [(layer.matrix, layer.vector, NUMPY_ACTIVATIONS[layer.activation.name])
              for layer in network.layers]

    def run(X: np.ndarray) -> np.ndarray:
        a = X
        for W, b, act in layers:
            a = act(a @ W.T + b)
        return a
    return run


def pytorch(network: symann.Network):
    torch.set_num_threads(2)
    acts = {"sigmoid": torch.sigmoid, "relu": torch.relu, "identity": lambda z: z,
            "softmax": lambda z: torch.softmax(z, dim=1)}
    layers = [(torch.from_numpy(np.array(layer.matrix)), torch.from_numpy(np.array(layer.vector)),
               acts[layer.activation.name]) for layer in network.layers]

    def run(X: np.ndarray):
        with torch.inference_mode():
            a = torch.from_numpy(X)
            for W, b, act in layers:
                a = act(torch.addmm(b, a, W.T))
            return a
    return run


def timed(run, X, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        run(X)
    return (time.perf_counter() - started) / repeat


def measure(runs: dict, X: np.ndarray, rounds: int, repeat: int) -> dict[str, list[float]]:
    for run in runs.values():
        run(X)
    samples: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for round_number in range(rounds):
        # rotate the order: PyTorch's OpenMP threads spin for a while after a call and
        # would otherwise always slow down whichever candidate runs next
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(timed(runs[name], X, repeat))
    return samples


def plan(name: str, batch: int) -> tuple[int, int]:
    """(rounds, calls per round) to keep each cell to a few seconds."""
    if batch == 1:
        return 15, 400
    if batch == 1000:
        return 9, 20 if name != "5x1024" else 2
    return (7, 10) if name == "2-3-1" else (5, 1)


def main() -> int:
    quick = "--quick" in sys.argv
    rng = np.random.default_rng(2026)
    print(f"{'network':12} {'batch':>7} {'compile ms':>10} {'symann ms':>10} {'numpy ms':>10} "
          f"{'torch ms':>10} {'ratio':>6}  spread")
    for name, network in networks(rng):
        started = time.perf_counter()
        compiled = network.compile()
        compile_ms = (time.perf_counter() - started) * 1e3
        for batch in (1, 1000, 100_000):
            if quick and name == "5x1024" and batch == 100_000:
                continue
            X = rng.standard_normal((batch, network.n_inputs))
            runs = {"symann": compiled, "numpy": hand_numpy(network)}
            if torch is not None:
                runs["torch"] = pytorch(network)
            rounds, repeat = plan(name, batch)
            samples = measure(runs, X, rounds, repeat)
            medians = {k: statistics.median(v) for k, v in samples.items()}
            best = min(v for k, v in medians.items() if k != "symann")
            spread = f"{min(samples['symann']) / best:.2f}-{max(samples['symann']) / best:.2f}"
            torch_ms = f"{medians['torch'] * 1e3:10.3f}" if "torch" in medians else f"{'-':>10}"
            print(f"{name:12} {batch:>7} {compile_ms:10.1f} {medians['symann'] * 1e3:10.3f} "
                  f"{medians['numpy'] * 1e3:10.3f} {torch_ms} "
                  f"{medians['symann'] / best:6.2f}  {spread}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
