"""The full worked solution against handcalcs on the same computation.

symann: forward() + to_latex() + to_mathml(), from a built Network (so exact arithmetic,
rounding, two printers and latex2mathml are all inside the timing). handcalcs: its
@handcalc decorator on the course's two-neuron computation, which produces LaTeX only.

    pip install handcalcs && python benchmarks/bench_render.py
"""
from __future__ import annotations

import statistics
import sys
import time
from math import exp
from pathlib import Path
from typing import Callable

import symann

ROOT = Path(__file__).resolve().parent.parent
REPEATS, ROUNDS = 20, 15


def handcalcs_two_neurons() -> Callable[[], object] | None:
    try:
        from handcalcs.decorator import handcalc
    except ImportError:
        return None

    @handcalc(jupyter_display=False)
    def two_neurons(x_1, w_1, b_1, w_2, b_2):
        z_1 = x_1 * w_1 + b_1
        a_1 = 1 / (1 + exp(-z_1))
        z_2 = a_1 * w_2 + b_2
        a_2 = 1 / (1 + exp(-z_2))
        return a_2

    return lambda: two_neurons(0.1, 0.15, 0.4, 0.35, 0.5)


def worked_solution(network: symann.Network) -> Callable[[], object]:
    def run() -> object:
        derivation = network.forward()
        return derivation.to_latex(), derivation.to_mathml()
    return run


def per_call(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(REPEATS):
        run()
    return (time.perf_counter() - start) / REPEATS


def measure(candidates: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds per call of each candidate, rounds interleaved."""
    for run in candidates.values():
        run()
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(ROUNDS):
        for name, run in candidates.items():
            samples[name].append(per_call(run))
    return {name: statistics.median(times) for name, times in samples.items()}


def main() -> int:
    reference = handcalcs_two_neurons()
    if reference is None:
        print("handcalcs is not installed: pip install handcalcs", file=sys.stderr)
        return 2
    candidates = {
        "handcalcs two-neuron (LaTeX)": reference,
        "symann two-neuron (derivation+LaTeX+MathML)":
            worked_solution(symann.load(ROOT / "examples" / "two-neurons.toml")),
        "symann 3-4-2 (derivation+LaTeX+MathML)":
            worked_solution(symann.load(ROOT / "examples" / "relu-softmax.json")),
    }
    medians = measure(candidates)
    base = medians["handcalcs two-neuron (LaTeX)"]
    print(f"{'case':48} {'median ms':>10} {'handcalcs / this':>17}")
    for name, seconds in medians.items():
        print(f"{name:48} {seconds * 1e3:10.2f} {base / seconds:16.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
