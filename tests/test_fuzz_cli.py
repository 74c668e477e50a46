"""Hypothesis fuzzing of the loaders and the command line: whatever comes in, the only
failures are symann's own errors, and the CLI's are one ``error:`` line with exit 2."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import symann
from symann.arrays import load_npz, read_batch, save_npz
from symann.cli import main
from symann.errors import SymannError

from conftest import EXAMPLES

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

_TOML_BITS = st.sampled_from([
    "[[layers]]\n", "weights = [[0.15]]\n", "biases = [0.4]\n", "inputs = [0.1]\n",
    'activation = "relu"\n', "a.b.c = 1\n", "title = '\x1b[8m'\n", "weights = [[1, 2], [3]]\n",
    "biases = [nan]\n", "inputs = [1e999]\n", "= 1\n", "[a]\n", "[[layers]]\nweights=[[", "\n",
    '"\\u0000" = 1\n', "inputs = [" + "9" * 120 + "]\n", "biases = ['1/0']\n"])
_JSON_BITS = st.sampled_from([
    "{", "}", "[", "]", ",", ":", '"layers"', '"weights"', '"biases"', '"inputs"', '"title"',
    "[[0.15]]", "[0.4]", "0.1", '"\\ud800"', '"\\u001b[8m"', "NaN", "1e999", "true", "null",
    "1" * 120])


@FAST
@given(st.lists(_TOML_BITS, max_size=12).map("".join))
def test_toml_loader_raises_only_symann_errors(text):
    try:
        symann.loads(text, "toml")
    except SymannError:
        pass


@FAST
@given(st.lists(_JSON_BITS, max_size=20).map("".join))
def test_json_loader_raises_only_symann_errors(text):
    try:
        symann.loads(text, "json")
    except SymannError:
        pass


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
    | st.sampled_from(["0.1", "1/3", "relu", "\ud800", "\x1b"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["weights", "biases", "activation", "name", "slope",
                                      "layers", "inputs", "title"]), children, max_size=3),
    max_leaves=12)


@FAST
@given(st.dictionaries(st.sampled_from(["layers", "inputs", "title", "input_labels",
                                        "output_labels", "extra"]), _VALUES, max_size=4))
def test_tables_raise_only_symann_errors(table):
    try:
        symann.load(table)
    except SymannError:
        pass


@FAST
@given(st.binary(max_size=200) | st.text(st.sampled_from("0123456789.,-+eE\n naif\"x"),
                                         max_size=60).map(str.encode))
def test_csv_batch_reader_raises_only_symann_errors(tmp_path, data):
    path = tmp_path / "X.csv"
    path.write_bytes(data)
    try:
        batch = read_batch(path, 2)
    except SymannError:
        return
    assert batch.shape[1] == 2 and np.isfinite(batch).all()


def _npz_bytes() -> bytes:
    buffer = io.BytesIO()
    save_npz(symann.load(EXAMPLES / "relu-softmax.json"), buffer)
    return buffer.getvalue()


NPZ = _npz_bytes()


@FAST
@given(st.lists(st.tuples(st.integers(0, len(NPZ) - 1), st.integers(0, 255)), min_size=1,
                max_size=8))
def test_npz_loader_raises_only_symann_errors(tmp_path, flips):
    data = bytearray(NPZ)
    for position, value in flips:
        data[position] = value
    path = tmp_path / "net.npz"
    path.write_bytes(bytes(data))
    try:
        load_npz(path)
    except SymannError:
        pass


@FAST
@given(st.binary(max_size=300))
def test_npy_batch_reader_raises_only_symann_errors(tmp_path, tail):
    path = tmp_path / "X.npy"
    path.write_bytes(b"\x93NUMPY\x01\x00" + tail)
    try:
        read_batch(path, 3)
    except SymannError:
        pass


_ARGUMENTS = st.sampled_from([
    "solve", "check", "eval", "NET", "BAD", "ANSWERS", "CLASS", "X.csv", "missing.toml",
    "--format", "text", "json", "latex", "html", "markdown", "mathml", "nope", "--digits",
    "2", "-1", "99", "x", "--carry", "exact", "--notation", "matrix", "chain", "--numbers",
    "fraction", "--times", "cdot", "--standalone", "-o", "OUT", "NET", ".", "--inputs",
    "--dtype", "float32", "--batch", "--steps", "z1_1", "z1_1,a9_9", "--tolerance",
    "absolute:0.1", "sigfigs:x", "--step-tolerance", "z1_1=absolute:0.01", "=", "--no-reveal",
    "--follow-through-credit", "0.5", "inf", "", "\x1b[8m", "\ud800"])


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("NET").write_text((EXAMPLES / "two-neurons.toml").read_text())
    Path("BAD").write_text("[[layers]]\nweights = 1\n")
    Path("ANSWERS").write_text("z1_1 = 0.415\na1_1 = 0.6023\n")
    Path("CLASS").write_text("student,z1_1,a1_1\nann,0.415,0.6023\n")
    Path("X.csv").write_text("0.1\n0.2\n")
    return tmp_path


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ARGUMENTS, min_size=1, max_size=7))
def test_cli_arguments_give_a_result_or_one_clean_error(workspace, capsys, argv):
    inputs = {name: Path(name).read_bytes() for name in ("NET", "BAD", "ANSWERS", "CLASS",
                                                         "X.csv")}
    try:
        status = main(argv)
    except SystemExit as exit:   # --help, --version and usage errors from argparse
        status = exit.code
    err = capsys.readouterr().err
    assert status in (0, 1, 2)
    assert "Traceback" not in err and "internal error" not in err and "\x1b" not in err
    if status == 2:   # refused: one line, and no file touched
        lines = [line for line in err.splitlines() if not line.startswith(("evaluated",
                                                                           "graded"))]
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert all(Path(name).read_bytes() == data for name, data in inputs.items())
    assert not list(workspace.glob(".*.symann-tmp"))
