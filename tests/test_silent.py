"""Inputs that used to be taken silently wrong: CSV headers, float32 digits, NumPy
numbers, writable weights."""
from __future__ import annotations

import numpy as np
import pytest

import symann
from symann.arrays import read_batch
from symann.cli import main

from conftest import EXAMPLES


@pytest.mark.parametrize("text, rows", [
    ("x1,x2\n1,2\n3,4\n", [[1, 2], [3, 4]]),          # a header of names is skipped
    ("1,2\n3,4\n", [[1, 2], [3, 4]]),                 # numbers are never a header
    ("1e-3,-2E+1\n3,4\n", [[0.001, -20], [3, 4]]),
    ('"a","b"\n1,2\n', [[1, 2]]),
])
def test_csv_header_only_when_a_cell_is_not_a_number(tmp_path, text, rows):
    path = tmp_path / "X.csv"
    path.write_text(text)
    assert read_batch(path, 2).tolist() == rows


@pytest.mark.parametrize("first", ["nan,1", "1,inf", "Infinity,1", "-INF,2", "NaN,NaN"])
def test_a_non_finite_first_row_is_an_error_not_a_header(tmp_path, first):
    path = tmp_path / "X.csv"
    path.write_text(f"{first}\n1,2\n")
    with pytest.raises(symann.InputError, match="row 1, column"):
        read_batch(path, 2)


def test_float32_csv_has_float32_digits(tmp_path, capsys):
    network = tmp_path / "id.toml"
    network.write_text("[[layers]]\nweights = [[1]]\nbiases = [0]\nactivation = 'identity'\n")
    inputs = tmp_path / "X.csv"
    inputs.write_text("0.1\n0.2\n1e-10\n3.4028234e38\n")
    assert main(["eval", str(network), "--inputs", str(inputs), "--dtype", "float32"]) == 0
    assert capsys.readouterr().out == "0.1\n0.2\n1e-10\n3.4028235e+38\n"
    assert main(["eval", str(network), "--inputs", str(inputs)]) == 0
    assert capsys.readouterr().out == "0.1\n0.2\n1e-10\n3.4028234e+38\n"


def test_numpy_numbers_are_the_decimals_they_print_as():
    network = symann.load(EXAMPLES / "two-neurons.toml")
    for inputs in (np.array([0.1]), [np.float64(0.1)], [np.float32(0.1)],
                   np.array([0.1], dtype=np.float32)):
        assert network.forward(inputs)["z1_1"].shown.text == "0.415"
    layer = symann.Dense([[np.float32(0.15)]], [np.int64(0)])
    assert layer.weights == ((symann.Dense([["0.15"]], [0]).weights[0][0],),)
    with pytest.raises(symann.InputError, match="complex"):
        network.forward(np.array([1 + 2j]))
    with pytest.raises(symann.InputError, match="boolean"):
        network.forward(np.array([True]))


def test_weights_cannot_be_made_writable_or_deleted():
    for layer in (symann.Dense([[0.15]], [0.4]), symann.Dense(np.array([[0.15]]), np.array([0.4]))):
        for array in (layer.matrix, layer.vector):
            with pytest.raises(ValueError):
                array.setflags(write=True)
            with pytest.raises(ValueError):
                array[0] = 9
        for name in ("activation", "matrix", "_matrix"):
            with pytest.raises(AttributeError):
                delattr(layer, name)
        with pytest.raises(AttributeError):
            layer.activation = "relu"
    network = symann.Network([symann.Dense([[0.15]], [0.4])], inputs=[0.1])
    assert network.compile()([0.1])[0] == pytest.approx(network.forward()["a1_1"].value,
                                                         abs=1e-12)
