"""Derivation time against network size and depth.

For chains of 5 to 100 sigmoid neurons and for networks 4-4-4-4-4-2, 3-4-2, 20-20-20-10
and 784-128-10, each case runs in a fresh Python process (so that its peak memory is its
own) and times: the derivation with `carry="shown"` (the course's way, the default) and with
`carry="exact"`, then writing the shown one as text and as HTML. Memory is the peak
resident set size of that process (`resource.getrusage(RUSAGE_SELF).ru_maxrss`: the
interpreter, NumPy and SymPy included, and the network itself), read after the text is
written and again after the HTML; `base` is the same after the imports and the network are
built, before any derivation. `µs/weight` is the derivation's CPU time (carry shown) over
the number of weights, `µs/neuron` the same over the number of neurons (each neuron adds a
z and an a step, whatever its fan-in): along the chains, µs/neuron is flat when the cost is
independent of depth.

Times are wall-clock: the median of runs repeated for about a second where a run takes
under 0.2 s, else one run. The targets are also given in CPU time of the process, which a
shared machine inflates less. Nothing is asserted. The figures measured before the
restructure (issue 10, on the old code) are printed beside the targets.

    python benchmarks/bench_derive.py [--quick]

--quick skips 784-128-10 (one to two minutes, most of it the HTML).
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Callable

import numpy as np

import symann

SEED = 2026
CHAINS = (5, 10, 20, 50, 100)
#: name -> layer sizes (inputs first) and the activations of the layers
NETWORKS = {
    "4-4-4-4-4-2": ((4, 4, 4, 4, 4, 2), ("sigmoid",) * 5),
    "3-4-2": ((3, 4, 2), ("relu", "softmax")),
    "20-20-20-10": ((20, 20, 20, 10), ("sigmoid", "sigmoid", "softmax")),
    "784-128-10": ((784, 128, 10), ("sigmoid", "softmax")),
}
#: measured on the code before the restructure (issue 10)
BEFORE = {
    "chain 10": "22 s",
    "4-4-4-4-4-2": "6.8 s",
    "20-20-20-10": "3.8 s",
    "784-128-10 text": "~10 s",
    "784-128-10 HTML": "50 s",
    "784-128-10 memory": "1 GB",
}
BEFORE_QUOTED = ("chain of 9 sigmoid neurons 3.6 s, 10 take 22 s; 4-4-4-4-4-2 6.8 s; "
                 "20-20-20-10 3.8 s; 784-128-10 around 10 s for text and 50 s and 1 GB for HTML")
SLOW = 0.2   # a stage slower than this (seconds) is timed once
REPEAT_FOR = 1.0   # seconds a faster stage is repeated for


def build(case: str) -> symann.Network:
    """The network of a case: a chain (inputs [0.1], weights [[0.35]], biases [0.5]) or
    random weights, biases and inputs with two decimals, seeded."""
    if case.startswith("chain "):
        n = int(case.split()[1])
        return symann.Network([symann.Dense([[0.35]], [0.5], "sigmoid") for _ in range(n)],
                              inputs=[0.1], title=case)
    sizes, activations = NETWORKS[case]
    rng = np.random.default_rng(SEED)

    def two_decimals(*shape: int) -> list:
        return np.round(rng.uniform(-1, 1, shape), 2).tolist()

    layers = [symann.Dense(two_decimals(n_out, n_in), two_decimals(n_out), activation)
              for n_in, n_out, activation in zip(sizes, sizes[1:], activations)]
    inputs = np.round(rng.uniform(0, 1, sizes[0]), 2).tolist()
    return symann.Network(layers, inputs=inputs, title=case)


def timed(run: Callable[[], object]) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result): one run if it is slow, else the medians of
    runs repeated for about a second (the machine may be shared: CPU time is what the
    process itself used)."""
    samples: list[tuple[float, float]] = []
    result = None
    while True:
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = run()
        samples.append((time.perf_counter() - wall, time.process_time() - cpu))
        result = outcome if result is None else result
        if samples[0][0] >= SLOW or sum(w for w, _ in samples) >= REPEAT_FOR \
                or len(samples) >= 200:
            break
    return (statistics.median(w for w, _ in samples),
            statistics.median(c for _, c in samples), result)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def run_case(case: str) -> dict:
    """One case, in this process: what the child prints as one JSON line."""
    network = build(case)
    weights = sum(layer.fan_in * layer.size for layer in network.layers)
    base = peak_mb()
    network.forward()   # warm-up: SymPy's and the registry's first-use caches
    shown, shown_cpu, derivation = timed(lambda: network.forward(carry="shown"))
    exact, _, _ = timed(lambda: network.forward(carry="exact"))
    text, text_cpu, _ = timed(derivation.to_text)
    after_text = peak_mb()
    html, html_cpu, _ = timed(derivation.to_html)
    return {"case": case, "layers": len(network.layers), "weights": weights,
            "neurons": sum(layer.size for layer in network.layers),
            "shown": shown, "exact": exact, "text": text, "html": html,
            "cpu": {"shown": shown_cpu, "text": text_cpu, "html": html_cpu},
            "base_mb": base, "text_mb": after_text, "html_mb": peak_mb()}


def in_subprocess(case: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--case", case], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def seconds(value: float) -> str:
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"


def main() -> int:
    if "--case" in sys.argv:
        print(json.dumps(run_case(sys.argv[sys.argv.index("--case") + 1])))
        return 0
    quick = "--quick" in sys.argv
    cases = [f"chain {n}" for n in CHAINS] + [n for n in NETWORKS
                                              if not (quick and n == "784-128-10")]
    load_before = os.getloadavg()
    print(f"symann {symann.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} "
          f"cores, load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    print(f"{'case':13} {'layers':>6} {'weights':>7} {'derive shown':>12} {'derive exact':>12} "
          f"{'to text':>10} {'to HTML':>10} {'base MB':>7} {'peak MB text':>12} "
          f"{'peak MB HTML':>12} {'µs/weight':>9} {'µs/neuron':>9}")
    results = {}
    for case in cases:
        r = results[case] = in_subprocess(case)
        print(f"{case:13} {r['layers']:6} {r['weights']:7} {seconds(r['shown']):>12} "
              f"{seconds(r['exact']):>12} {seconds(r['text']):>10} {seconds(r['html']):>10} "
              f"{r['base_mb']:7.0f} {r['text_mb']:12.0f} {r['html_mb']:12.0f} "
              f"{r['cpu']['shown'] / r['weights'] * 1e6:9.1f} "
              f"{r['cpu']['shown'] / r['neurons'] * 1e6:9.1f}",
              flush=True)
    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")

    print()
    print(f"{'target':42} {'before':>30} {'now (wall)':>11} {'now (CPU)':>10}  met")

    def target(what: str, before: str, now: tuple[float, float], limit: float | None,
               unit: str = "s") -> None:
        wall, cpu = (seconds(t) for t in now) if unit == "s" else (f"{now[0]:.0f} MB", "")
        if limit is None:
            met = "-"
        elif now[0] < limit:
            met = "yes"
        else:
            met = "NO" if unit != "s" or now[1] >= limit else "NO (CPU time: yes)"
        print(f"{what:42} {before:>30} {wall:>11} {cpu:>10}  {met}")

    def solve(case: str, output: str = "text") -> tuple[float, float]:
        r = results[case]
        return r["shown"] + r[output], r["cpu"]["shown"] + r["cpu"][output]

    target("chain of 10: derive + text < 0.1 s", BEFORE["chain 10"], solve("chain 10"), 0.1)
    target("4-4-4-4-4-2: derive + text < 0.1 s", BEFORE["4-4-4-4-4-2"],
           solve("4-4-4-4-4-2"), 0.1)
    target("20-20-20-10: derive + text (no target)", BEFORE["20-20-20-10"],
           solve("20-20-20-10"), None)
    if "784-128-10" in results:
        target("784-128-10: derive + text < 2 s", BEFORE["784-128-10 text"],
               solve("784-128-10"), 2)
        target("784-128-10: derive + HTML < 5 s", BEFORE["784-128-10 HTML"],
               solve("784-128-10", "html"), 5)
        target("784-128-10: peak memory (HTML) < 300 MB", BEFORE["784-128-10 memory"],
               (results["784-128-10"]["html_mb"], 0.0), 300, unit="MB")
    per_weight = {case: r["cpu"]["shown"] / r["weights"] * 1e6 for case, r in results.items()}
    chains = [per_weight[f"chain {n}"] for n in CHAINS]
    print(f"depth: µs (CPU) per neuron of a chain (one weight each), {CHAINS[0]} to {CHAINS[-1]} "
          f"neurons: {', '.join(f'{t:.0f}' for t in chains)}; chain of {CHAINS[-1]} over "
          f"chain of {CHAINS[1]}: {chains[-1] / chains[1]:.2f} (1.00: independent of depth)")
    print("size: µs (CPU) per weight, " + ", ".join(
        f"{case} {per_weight[case]:.1f}" for case in results if not case.startswith("chain")))
    print(f"before the restructure (issue 10, old code): {BEFORE_QUOTED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
