"""The backward pass's cost against the forward pass of the same network.

For 3-4-2 (ReLU, softmax with cross-entropy), 3-4-2 (sigmoid, sigmoid with squared
error) and 10-20-10 (sigmoid, softmax with cross-entropy), with a learning rate (every
update step too), times in the same process, interleaved: ``network.forward()`` and
``network.backward()`` (which includes the forward pass), median of runs repeated for
about a second each, carry shown (the default) and carry exact. The ratio
``backward / forward`` is the figure: the backward pass has about three times the steps
of the forward pass (σ', δ, a gradient per weight and bias, an update per weight and
bias), so a ratio of a few is the target. Nothing is asserted.

    python benchmarks/bench_backward.py
"""
from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable

import symann

SEED = 2026
#: name -> (layer sizes, inputs first; activations; loss)
NETWORKS = {
    "3-4-2 relu/softmax, cross-entropy": ((3, 4, 2), ("relu", "softmax"), "cross_entropy"),
    "3-4-2 sigmoid, squared error": ((3, 4, 2), ("sigmoid", "sigmoid"), "squared_error"),
    "10-20-10 sigmoid/softmax, cross-entropy": ((10, 20, 10), ("sigmoid", "softmax"),
                                                "cross_entropy"),
}
REPEAT_FOR = 1.0


def network(sizes: tuple[int, ...], activations: tuple[str, ...], loss: str) -> symann.Network:
    rng = random.Random(SEED)
    layers = [symann.Dense([[f"{rng.uniform(-1, 1):.2f}" for _ in range(fan_in)]
                            for _ in range(size)],
                           [f"{rng.uniform(-1, 1):.2f}" for _ in range(size)], activation)
              for fan_in, size, activation in zip(sizes, sizes[1:], activations)]
    targets = [0] * sizes[-1]
    targets[0] = 1
    return symann.Network(layers, inputs=[f"{rng.uniform(-1, 1):.2f}" for _ in range(sizes[0])],
                          targets=targets, loss=loss, learning_rate="0.5")


def median_time(run: Callable[[], object], other: Callable[[], object]) -> tuple[float, float]:
    """The medians of ``run`` and ``other``, interleaved for about REPEAT_FOR seconds each."""
    first: list[float] = []
    second: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < 2 * REPEAT_FOR or len(first) < 3:
        for times, function in ((first, run), (second, other)):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    return statistics.median(first), statistics.median(second)


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    print(f"{'network':42} {'carry':6} {'steps f/b':>10} {'forward':>10} {'backward':>10} "
          f"{'ratio':>6}")
    for name, (sizes, activations, loss) in NETWORKS.items():
        net = network(sizes, activations, loss)
        for carry in ("shown", "exact"):
            forward, backward = median_time(lambda: net.forward(carry=carry),
                                            lambda: net.backward(carry=carry))
            steps = f"{len(net.forward())}/{len(net.backward())}"
            print(f"{name:42} {carry:6} {steps:>10} {forward * 1e3:8.2f}ms "
                  f"{backward * 1e3:8.2f}ms {backward / forward:6.2f}")


if __name__ == "__main__":
    main()
