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


def test_outside_trial_findings_are_clean_errors(tmp_path):
    """Found by an outside trial (issue 9's standard): each is one clear SymannError."""
    for text in (None, b"inputs = [1]", 5):
        with pytest.raises(symann.InputError, match="expected the text"):
            symann.loads(text)   # type: ignore[arg-type]
    network = symann.load("examples/two-neurons.toml")
    for answers in (None, [1, 2], {1: "0.415"}):
        with pytest.raises(symann.InputError, match="answers"):
            symann.check(network, answers)   # type: ignore[arg-type]
    with pytest.raises(symann.InputError, match="asked twice"):
        symann.check(network, {"z1_1": "0.415"}, steps=["z1_1", "z1_1"])
    net = tmp_path / "id2.toml"
    net.write_text('inputs=[0.1,0.2]\n[[layers]]\nweights=[[1,1]]\nbiases=[0]\n'
                   'activation="identity"\n')
    typo = tmp_path / "x.csv"
    typo.write_text("0.1,O.2\n0.3,0.4\n")    # a typo, not a header: never skipped
    assert main(["eval", str(net), "--inputs", str(typo)]) == 2
    header = tmp_path / "h.csv"
    header.write_text("a,b\n0.3,0.4\n")
    assert main(["eval", str(net), "--inputs", str(header)]) == 0
    names = tmp_path / "c.csv"
    names.write_text("student,z1_1,a1_1\nSmith, John,0.415,0.6023\n")
    assert main(["check", "examples/two-neurons.toml", "--batch", str(names)]) == 2
    quote = tmp_path / "q.csv"
    quote.write_text('student,z1_1\n"unterminated,0.415\nb,1\n')
    assert main(["check", "examples/two-neurons.toml", "--batch", str(quote)]) == 2


def test_a_student_name_is_escaped_in_the_verdicts(tmp_path, capsys):
    names = tmp_path / "e.csv"
    names.write_text('student,z1_1\n"mal\x1b[31m\nlory",0.415\n')
    assert main(["check", "examples/two-neurons.toml", "--batch", str(names)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "mal\\x1b[31m\\nlory" in out


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_narrow_floats_in_an_npz_are_the_decimals_they_print_as(tmp_path, dtype):
    """Found by an outside trial: float32 0.15 was shown as 0.15000000596046448."""
    path = tmp_path / "n.npz"
    np.savez(path, W1=np.array([[0.15]], dtype=dtype), b1=np.array([0.4], dtype=dtype),
             inputs=np.array([0.1], dtype=dtype), activations=np.array(["sigmoid"]))
    network = symann.load(path)
    assert network.inputs == (symann.numbers.exact("0.1"),)
    assert network.layers[0].weights == ((symann.numbers.exact("0.15"),),)
    assert network.forward()["z1_1"].shown.text == "0.415"


@pytest.mark.parametrize("text, message", [
    ("x = " + "[" * 3000 + "]" * 3000, "nesting limit"),
    ("inputs = [" + "1" * 5000 + "]", "digit limit"),
])
def test_deep_nesting_and_huge_integers_name_their_limit(text, message):
    with pytest.raises(symann.InputError, match=message):
        symann.loads(text)
