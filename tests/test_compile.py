"""The compiled NumPy forward pass: same maths as the derivation, stable, every path."""
from __future__ import annotations

import itertools
import os
import random
import warnings
from fractions import Fraction

import numpy as np
import pytest

import symann
import symann.compile
from symann.arrays import save_npz
from symann.cli import main
from symann.compile import ELEMENTWISE_BATCH, SMALL_LAYER, THREADED_BATCH

from conftest import EXAMPLES
from helpers import ALL, random_network


def close(got, want, rtol=1e-12):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert np.all(np.abs(got - want) <= rtol * np.maximum(1.0, np.abs(want))), (got, want)


def every_path(compiled, x):
    """The outputs for one input vector through the scalar, matrix and element-wise paths."""
    single = compiled(np.array(x))
    pair = compiled(np.array([x, x]))[1]
    wide = compiled(np.tile(x, (ELEMENTWISE_BATCH, 1)))[-1]
    return single, pair, wide


@pytest.mark.parametrize("activation", ALL)
def test_compiled_equals_the_exact_derivation(activation):
    rng = random.Random(f"compile-{activation}")
    for _ in range(6):
        stack = ["tanh", activation] if activation == "softmax" else [activation, activation]
        network = random_network(rng, stack)
        want = [s.value for s in network.forward(carry="exact").outputs]
        compiled = network.compile()
        assert compiled.small
        for got in every_path(compiled, [float(x) for x in network.inputs]):
            close(got, want)


def test_trace_gives_every_layers_z_and_a():
    network = symann.load(EXAMPLES / "relu-softmax.json")
    d = network.forward(carry="exact")
    trace = network.compile()([float(x) for x in network.inputs], trace=True)
    for l, layer in enumerate(network.layers, 1):
        close(trace.z[l - 1], [d[f"z{l}_{j}"].value for j in range(1, layer.size + 1)])
        close(trace.a[l - 1], [d[f"a{l}_{j}"].value for j in range(1, layer.size + 1)])
    close(trace.outputs, [s.value for s in d.outputs])


def torch_forward(torch, network, X):
    functions = {
        "identity": lambda z: z, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
        "relu": torch.relu, "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
        "step": lambda z: torch.heaviside(z, torch.tensor(1.0, dtype=torch.float64)),
        "softmax": lambda z: torch.softmax(z, dim=1),
        "silu": torch.nn.functional.silu, "softplus": torch.nn.functional.softplus}
    a = torch.from_numpy(X)
    for layer in network.layers:
        z = a @ torch.from_numpy(np.array(layer.matrix)).T \
            + torch.from_numpy(np.array(layer.vector))
        a = functions[layer.activation.name](z)
    return a.numpy()


@pytest.mark.parametrize("widths", [(3, 5, 2), (20, 64, 10), (50, 80, 80, 3)])
def test_random_networks_match_pytorch(widths):
    torch = pytest.importorskip("torch",
                                reason="PyTorch is not installed (pip install torch==2.13.0)")
    rng = np.random.default_rng(sum(widths))
    names = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "silu", "softplus"]
    layers = [symann.Dense(rng.standard_normal((o, i)), rng.standard_normal(o),
                           names[k % len(names)] if k < len(widths) - 2 else "softmax")
              for k, (i, o) in enumerate(itertools.pairwise(widths))]
    network = symann.Network(layers)
    compiled = network.compile()
    for batch in (1, 7, 1000, ELEMENTWISE_BATCH):
        X = rng.standard_normal((batch, widths[0]))
        close(compiled(X), torch_forward(torch, network, X))


def extreme_network(activation):
    return symann.Network([symann.Dense([[1.0], [-1.0]], [0.0, 0.0], activation)])


@pytest.mark.parametrize("activation", ALL)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_inputs_are_finite_without_warnings(activation, dtype):
    compiled = extreme_network(activation).compile(dtype)
    X = np.array([[-1000.0], [-50.0], [0.0], [50.0], [1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outputs = [compiled(X), compiled(X[2]), compiled(np.repeat(X, ELEMENTWISE_BATCH // 4, 0))]
        outputs.append(np.array([compiled(row) for row in X]))
    for out in outputs[:1] + outputs[3:]:
        assert np.all(np.isfinite(out)), (activation, out)
    first = outputs[0]
    if activation == "sigmoid":
        assert first[0, 0] == 0.0 and first[-1, 0] == 1.0 and first[-1, 1] == 0.0
        assert abs(first[1, 0] - 1.9287498479639178e-22) <= 1e-6 * 1.93e-22  # σ(-50), not 0
    if activation == "softmax":
        close(first[-1], [1.0, 0.0])
        close(first[0], [0.0, 1.0])
    if activation == "tanh":
        close(first[[0, -1], 0], [-1.0, 1.0])


def test_float32_follows_float64():
    network = symann.load(EXAMPLES / "relu-softmax.json")
    X = np.random.default_rng(3).standard_normal((100, 3))
    out32 = network.compile(np.float32)(X)
    assert out32.dtype == np.float32
    close(out32, network.compile()(X), rtol=1e-5)


def test_bad_inputs():
    compiled = symann.load(EXAMPLES / "relu-softmax.json").compile()
    with pytest.raises(symann.InputError, match=r"expected inputs of shape \(batch, 3\)"):
        compiled(np.zeros((2, 4)))
    with pytest.raises(symann.InputError, match="float64 or float32"):
        symann.load(EXAMPLES / "relu-softmax.json").compile(np.int32)


def test_dense_from_arrays_is_exact_lazily():
    layer = symann.Dense(np.array([[0.1, -2.5]]), np.array([0.4]), "relu")
    assert layer.weights == ((Fraction(1, 10), Fraction(-5, 2)),)
    assert layer == symann.Dense([[0.1, -2.5]], [0.4], "relu")
    with pytest.raises(symann.InputError, match=r"weights\[1\]\[2\]: expected a finite number"):
        symann.Dense(np.array([[0.1, np.inf]]), np.array([0.0]))


def test_realistic_networks_load_from_npz_and_compile(tmp_path):
    rng = np.random.default_rng(0)
    big = symann.Network([symann.Dense(rng.standard_normal((128, 784)), rng.standard_normal(128),
                                       "sigmoid"),
                          symann.Dense(rng.standard_normal((10, 128)), rng.standard_normal(10),
                                       {"name": "leaky_relu", "slope": 0.2})], title="mnist-ish")
    path = tmp_path / "net.npz"
    save_npz(big, path)
    loaded = symann.load(path)
    assert loaded.shape == (784, 128, 10) and loaded.title == "mnist-ish"
    assert loaded.layers[1].activation.setting("slope") == Fraction(1, 5)
    X = rng.standard_normal((5, 784))
    close(loaded.compile()(X), big.compile()(X))


def test_npz_errors(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, W1=np.zeros((2, 3)), activations=np.array(["relu"]))
    with pytest.raises(symann.InputError, match=r"bad\.npz: b1: missing"):
        symann.load(path)
    path.write_bytes(b"not a zip")
    with pytest.raises(symann.InputError, match=r"not a readable \.npz"):
        symann.load(path)


def test_cli_eval_csv_and_npy(tmp_path, capsys):
    X = np.random.default_rng(1).standard_normal((4, 3))
    csv_path, npy_path = tmp_path / "X.csv", tmp_path / "X.npy"
    np.savetxt(csv_path, X, delimiter=",", header="a,b,c", comments="")
    np.save(npy_path, X)
    network = symann.load(EXAMPLES / "relu-softmax.json")
    assert main(["eval", str(EXAMPLES / "relu-softmax.json"), "--inputs", str(csv_path)]) == 0
    printed = np.loadtxt(capsys.readouterr().out.splitlines(), delimiter=",")
    close(printed, network.compile()(X))
    out = tmp_path / "out.npy"
    assert main(["eval", str(EXAMPLES / "relu-softmax.json"), "--inputs", str(npy_path),
                 "-o", str(out)]) == 0
    close(np.load(out), network.compile()(X))
    assert main(["eval", str(EXAMPLES / "two-neurons.toml"), "--inputs", str(npy_path)]) == 2
    assert "expected 1 columns" in capsys.readouterr().err


class _CountingPool:
    """The compiler's thread pool, counting the row blocks handed to it."""

    def __init__(self, pool):
        self.pool, self.blocks = pool, 0

    def map(self, function, parts):
        parts = list(parts)
        self.blocks += len(parts)
        return self.pool.map(function, parts)


@pytest.fixture
def counted_pool(monkeypatch):
    """At least two workers, whatever the machine, and a count of the blocks run threaded."""
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    pool = _CountingPool(symann.compile._pool())
    monkeypatch.setattr(symann.compile, "_pool", lambda: pool)
    return pool


def _unthreaded(monkeypatch, compiled, X):
    with monkeypatch.context() as m:
        m.setattr(symann.compile, "THREADED_BATCH", X.shape[0] + 1)
        return compiled(X)


@pytest.mark.parametrize("activation", ALL)
def test_threaded_elementwise_path_equals_the_unthreaded_one(activation, counted_pool,
                                                            monkeypatch):
    """A small network on a batch of THREADED_BATCH rows runs element-wise on row blocks in
    threads: the same numbers as one block, and as the matrix path."""
    stack = ["tanh", activation] if activation == "softmax" else [activation, activation]
    network = random_network(random.Random(f"threads-{activation}"), stack, n_inputs=3)
    compiled = network.compile()
    assert compiled.small
    X = np.random.default_rng(5).uniform(-3, 3, (THREADED_BATCH, 3))
    threaded = compiled(X)
    assert counted_pool.blocks >= 2
    blocks = counted_pool.blocks
    assert np.array_equal(threaded, _unthreaded(monkeypatch, compiled, X))
    assert counted_pool.blocks == blocks   # the reference ran in one block
    close(threaded, np.concatenate([compiled(X[i:i + 1000]) for i in range(0, len(X), 1000)]))


@pytest.mark.parametrize("activation", ALL)
def test_threaded_activations_of_a_wide_network_equal_the_unthreaded_ones(
        activation, counted_pool, monkeypatch):
    """A wide network on a batch of THREADED_BATCH rows applies each activation to row blocks
    in threads (softmax stays a function of a whole row): the same numbers as unthreaded."""
    rng = np.random.default_rng(len(activation))
    network = symann.Network([
        symann.Dense(rng.standard_normal((16, 8)), rng.standard_normal(16), "tanh"),
        symann.Dense(rng.standard_normal((5, 16)), rng.standard_normal(5), activation)])
    compiled = network.compile()
    assert not compiled.small and network.layers[0].matrix.size > SMALL_LAYER
    X = rng.standard_normal((THREADED_BATCH, 8))
    threaded = compiled(X)
    assert counted_pool.blocks >= 2 * len(network.layers)
    assert np.array_equal(threaded, _unthreaded(monkeypatch, compiled, X))
    if activation == "softmax":
        close(threaded.sum(axis=1), np.ones(len(X)))


def test_the_threshold_decides_the_threading(counted_pool):
    """Below THREADED_BATCH rows nothing is threaded; from it, the rows are split into
    contiguous blocks covering every row once."""
    network = symann.load(EXAMPLES / "relu-softmax.json")
    compiled = network.compile()
    compiled(np.zeros((THREADED_BATCH - 1, 3)))
    assert counted_pool.blocks == 0
    for batch in (THREADED_BATCH, THREADED_BATCH + 3):
        chunks = symann.compile._chunks(batch)
        assert len(chunks) == 4 and chunks[0].start == 0 and chunks[-1].stop == batch
        assert all(a.stop == b.start for a, b in itertools.pairwise(chunks))
    assert symann.compile._chunks(THREADED_BATCH - 1) == [slice(0, THREADED_BATCH - 1)]


def test_a_wide_network_gives_one_row_as_a_batch_does():
    """One input vector through a wide network takes the row path (``x @ Wᵀ``, a view)."""
    rng = np.random.default_rng(11)
    network = symann.Network([symann.Dense(rng.standard_normal((20, 10)), rng.standard_normal(20),
                                           "relu"),
                              symann.Dense(rng.standard_normal((3, 20)), rng.standard_normal(3),
                                           "softmax")])
    compiled = network.compile()
    X = rng.standard_normal((4, 10))
    batch = compiled(X)
    for row, want in zip(X, batch):
        close(compiled(row), want)
        close(compiled(row[np.newaxis, :])[0], want)
