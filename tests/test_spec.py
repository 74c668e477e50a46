"""Network files: TOML and JSON, exact numbers, and errors that name file and field."""
from __future__ import annotations

import json
from fractions import Fraction

import pytest

import symann

from conftest import EXAMPLES


def test_toml_and_json_give_the_same_network(tmp_path):
    toml_network = symann.load(EXAMPLES / "two-neurons.toml")
    data = {"title": "Two neurons in sequence", "inputs": [0.1],
            "layers": [{"weights": [[0.15]], "biases": [0.4], "activation": "sigmoid"},
                       {"weights": [[0.35]], "biases": [0.5], "activation": "sigmoid"}]}
    path = tmp_path / "n.json"
    path.write_text(json.dumps(data))
    assert symann.load(path) == toml_network == symann.load(data)


def test_numbers_may_be_strings_and_are_exact():
    network = symann.loads('inputs = ["1/3"]\n[[layers]]\nweights = [[0.1]]\nbiases = ["-2.5e-1"]\n')
    assert network.inputs == (Fraction(1, 3),)
    assert network.layers[0].weights == ((Fraction(1, 10),),)
    assert network.layers[0].biases == (Fraction(-1, 4),)


def test_activation_table_with_settings():
    network = symann.loads('[[layers]]\nweights = [[1]]\nbiases = [0]\n'
                           'activation = { name = "leaky_relu", slope = 0.2 }\n')
    assert network.layers[0].activation.setting("slope") == Fraction(1, 5)


_NET = "inputs=[1]\n"
_LAYER = "[[layers]]\nweights=[[1]]\nbiases=[0]\nactivation="
_LAYER_DEFAULT = _LAYER + "'sigmoid'"

BAD = {
    "malformed TOML": ("[[layers]\nweights = 1", "not valid TOML"),
    "no layers": ("inputs = [1]", "layers: expected at least one layer"),
    "empty layers": ("layers = []", "layers: expected at least one layer"),
    "unknown field": ("inputs = [1]\nlayer = 1\n[[layers]]\nweights=[[1]]\nbiases=[0]",
                      "layer: unknown field; did you mean 'layers'?"),
    "unknown layer field": ("[[layers]]\nweights=[[1]]\nbiases=[0]\nbias=[1]",
                            "layers[1].bias: unknown field; did you mean 'biases'?"),
    "missing biases": ("[[layers]]\nweights=[[1]]", "layers[1].biases: missing; expected biases"),
    "row length": ("inputs=[1,2]\n[[layers]]\nweights=[[1,2],[3]]\nbiases=[0,0]",
                   "layers[1].weights[2]: expected 2 weights"),
    "next layer width": ("inputs=[1]\n[[layers]]\nweights=[[1],[2]]\nbiases=[0,0]\n"
                         "[[layers]]\nweights=[[1,2,3]]\nbiases=[0]",
                         "layers[2].weights[1]: expected 2 weights (one per neuron of layer 1)"),
    "bias count": ("[[layers]]\nweights=[[1],[2]]\nbiases=[0]",
                   "layers[1].biases: expected 2 biases"),
    "unknown activation": ("[[layers]]\nweights=[[1]]\nbiases=[0]\nactivation='sigmod'",
                           "layers[1].activation: unknown activation 'sigmod'; did you mean "
                           "'sigmoid'?"),
    "non-numeric": ("[[layers]]\nweights=[['abc']]\nbiases=[0]",
                    "layers[1].weights[1][1]: expected a finite number"),
    "non-finite": ("[[layers]]\nweights=[[inf]]\nbiases=[0]",
                   "layers[1].weights[1][1]: expected a finite number"),
    "nan": ("[[layers]]\nweights=[[1]]\nbiases=[nan]", "layers[1].biases[1]: expected a finite"),
    "inputs count": ("inputs=[1,2]\n[[layers]]\nweights=[[1]]\nbiases=[0]",
                     "inputs: expected 1 inputs"),
    "weights not rows": ("[[layers]]\nweights=[1, 2]\nbiases=[0]",
                         "layers[1].weights: expected a list of rows"),
    "bad slope": ("[[layers]]\nweights=[[1]]\nbiases=[0]\n"
                  "activation={name='leaky_relu', slope=3}",
                  "layers[1].activation.slope: expected a number from 0 to 1"),
    "unknown setting": ("[[layers]]\nweights=[[1]]\nbiases=[0]\n"
                        "activation={name='relu', slope=3}",
                        "layers[1].activation: relu has no setting 'slope'"),
    # the backward pass's fields
    "unknown loss": (_NET + "loss='squared'\ntargets=[1]\n" + _LAYER_DEFAULT,
                     "loss: unknown loss 'squared'; did you mean 'squared_error'?"),
    "targets count": (_NET + "loss='mse'\ntargets=[1, 2]\n" + _LAYER_DEFAULT,
                      "targets: expected 1 targets (one per output neuron), got 2"),
    "target not a number": (_NET + "loss='mse'\ntargets=['x']\n" + _LAYER_DEFAULT,
                            "targets[1]: expected a finite number"),
    "cross-entropy on relu": (_NET + "loss='cross_entropy'\ntargets=[1]\n" + _LAYER + "'relu'",
                              "loss: cross_entropy needs softmax or sigmoid outputs, but the "
                              "output layer's activation is relu"),
    "bce on softmax": (_NET + "loss='binary_cross_entropy'\ntargets=[1]\n" + _LAYER
                       + "'softmax'", "loss: binary_cross_entropy needs sigmoid outputs"),
    "mse on softmax": (_NET + "loss='mse'\ntargets=[1]\n" + _LAYER + "'softmax'",
                       "loss: mse on softmax outputs needs the full softmax Jacobian"),
    "probability target": (_NET + "loss='binary_cross_entropy'\ntargets=[1.5]\n" + _LAYER
                           + "'sigmoid'", "targets[1]: expected a probability from 0 to 1 for "
                           "binary_cross_entropy, got 1.5"),
    "negative probability": (_NET + "loss='cross_entropy'\ntargets=[-0.1]\n" + _LAYER
                             + "'sigmoid'", "targets[1]: expected a probability from 0 to 1"),
    "distribution": (_NET + "loss='cross_entropy'\ntargets=[0.5, 0.4]\n"
                     "[[layers]]\nweights=[[1],[2]]\nbiases=[0,0]\nactivation='softmax'",
                     "targets: expected targets that sum to 1 (a distribution, e.g. one-hot) "
                     "for cross_entropy with softmax outputs, got a sum of 0.9"),
    "learning rate": (_NET + "learning_rate=-0.5\n" + _LAYER_DEFAULT,
                      "learning_rate: expected a positive number, got -0.5"),
    "learning rate text": (_NET + "learning_rate='fast'\n" + _LAYER_DEFAULT,
                           "learning_rate: expected a positive number"),
    "loss not a text": (_NET + "loss=1\n" + _LAYER_DEFAULT, "loss: expected a loss name, got int"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_say_file_field_and_expectation(tmp_path, case):
    text, expected = BAD[case]
    path = tmp_path / "net.toml"
    path.write_text(text)
    with pytest.raises(symann.InputError) as caught:
        symann.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_json_errors(tmp_path):
    path = tmp_path / "net.json"
    path.write_text('{"layers": [{"weights": [[NaN]], "biases": [0]}]}')
    with pytest.raises(symann.InputError, match=r"net\.json: not valid JSON"):
        symann.load(path)
    path.write_text('{"layers": [{"weights": [[1]], "biases": [0]}],}')
    with pytest.raises(symann.InputError, match="line 1"):
        symann.load(path)


def test_missing_file_and_wrong_suffix(tmp_path):
    with pytest.raises(symann.InputError, match=r"nope\.toml: no such file"):
        symann.load(tmp_path / "nope.toml")
    (tmp_path / "net.yaml").write_text("x")
    with pytest.raises(symann.InputError, match=r"expected a \.toml, \.json or \.npz file"):
        symann.load(tmp_path / "net.yaml")


def test_python_api_errors_name_the_field():
    with pytest.raises(symann.InputError, match="biases: expected 2 biases"):
        symann.Dense([[1], [2]], [0])
    with pytest.raises(symann.InputError, match="inputs: expected 1 inputs"):
        symann.Network([symann.Neuron([0.15], 0.4)]).forward([1, 2])
    with pytest.raises(symann.InputError, match="inputs: the network has no inputs"):
        symann.Network([symann.Neuron([0.15], 0.4)]).forward()
    with pytest.raises(symann.InputError, match="digits"):
        symann.Network([symann.Neuron([1])], inputs=[1]).forward(digits=-1)


def test_a_neuron_is_a_network_of_one_layer_of_one_neuron():
    neuron = symann.Neuron([0.15], 0.4, "sigmoid")
    network = symann.Network([neuron], inputs=[0.1])
    assert network.shape == (1, 1)
    assert network == symann.load(EXAMPLES / "one-neuron.toml").__class__(
        [symann.Dense([[0.15]], [0.4], "sigmoid")], inputs=[0.1])
