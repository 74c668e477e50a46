"""Network files written by symann.writing read back to the same network, exactly."""
from __future__ import annotations

import itertools
import json
import sys
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from symann import Network
from symann.errors import InputError
from symann.model import Dense
from symann.spec import load, loads
from symann.writing import dumps, number

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLES = ["examples/one-neuron.toml", "examples/two-neurons.toml",
            "examples/relu-softmax.json", "examples/backprop-2-2-1.toml"]

fractions = st.one_of(
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False).map(Fraction),
    st.fractions(min_value=-50, max_value=50, max_denominator=97))
labels = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
activations = st.one_of(
    st.sampled_from(["sigmoid", "tanh", "relu", "identity", "softmax", "silu", "softplus"]),
    st.builds(lambda s: {"name": "leaky_relu", "slope": s},
              st.fractions(min_value=0, max_value=1, max_denominator=40)),
    st.builds(lambda z: {"name": "step", "at_zero": z}, st.sampled_from(["0", "1", "1/2"])))


@st.composite
def networks(draw: st.DrawFn) -> Network:
    widths = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    layers = [Dense([[draw(fractions) for _ in range(fan_in)] for _ in range(size)],
                    [draw(fractions) for _ in range(size)], draw(activations))
              for fan_in, size in itertools.pairwise(widths)]
    inputs = draw(st.none() | st.lists(fractions, min_size=widths[0], max_size=widths[0]))
    with_labels = draw(st.booleans())
    learning = {}
    if layers[-1].activation.name != "softmax" and draw(st.booleans()):
        # the backward pass's fields: squared errors take any targets, negative ones too
        learning = {"targets": draw(st.lists(fractions, min_size=widths[-1],
                                             max_size=widths[-1])),
                    "loss": draw(st.sampled_from(["squared_error", "mse"])),
                    "learning_rate": draw(st.none() | st.fractions(
                        min_value=Fraction(1, 30), max_value=10, max_denominator=30))}
    return Network(layers, inputs=inputs, title=draw(labels),
                   input_labels=[draw(labels) for _ in range(widths[0])] if with_labels
                   else None,
                   output_labels=[draw(labels) for _ in range(widths[-1])] if with_labels
                   else None, **learning)


def same(a: Network, b: Network) -> bool:
    return (a.layers == b.layers and a.inputs == b.inputs and a.title == b.title
            and a.input_labels == b.input_labels and a.output_labels == b.output_labels
            and a.targets == b.targets and a.loss == b.loss
            and a.learning_rate == b.learning_rate)


@pytest.mark.parametrize("path", EXAMPLES)
@pytest.mark.parametrize("format", ["toml", "json"])
def test_the_examples_read_back_equal(path: str, format: str) -> None:
    network = load(path)
    assert same(loads(dumps(network, format), format), network)


@settings(max_examples=150, deadline=None)
@given(networks(), st.sampled_from(["toml", "json"]))
def test_any_network_reads_back_equal(network: Network, format: str) -> None:
    text = dumps(network, format)
    assert same(loads(text, format), network)


def test_numbers_are_exact_decimals_or_text_fractions() -> None:
    assert number(Fraction(3, 20)) == "0.15"
    assert number(Fraction(-2)) == "-2"
    assert number(Fraction(1, 3)) == '"1/3"'
    assert number(Fraction(-7, 30)) == '"-7/30"'


def test_the_text_is_plain_toml_and_json() -> None:
    network = Network([Dense([[Fraction(1, 3), Fraction(-1, 8)]], [Fraction(1, 10)],
                             {"name": "leaky_relu", "slope": "0.2"})],
                      inputs=[1, -2], title='He said "x\x7f"\n', input_labels=["é", "😀"],
                      output_labels=["out"])
    toml = tomllib.loads(dumps(network, "toml"))
    data = json.loads(dumps(network, "json"))
    for table in (toml, data):
        assert table["title"] == 'He said "x\x7f"\n'
        assert table["input_labels"] == ["é", "😀"]
        assert table["layers"][0]["weights"][0][0] == "1/3"
        assert str(table["layers"][0]["weights"][0][1]) == "-0.125"
        assert table["layers"][0]["activation"]["name"] == "leaky_relu"
        assert str(table["layers"][0]["activation"]["slope"]) == "0.2"


def test_default_settings_are_not_written() -> None:
    text = dumps(load("examples/relu-softmax.json"))
    assert 'activation = "relu"' in text and "kink" not in text


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(InputError, match="expected one of toml, json"):
        dumps(load(EXAMPLES[0]), "yaml")


def test_the_backward_fields_are_written() -> None:
    network = load("examples/backprop-2-2-1.toml")
    text = dumps(network, "toml")
    assert 'targets = [0.01]\nloss = "squared_error"\nlearning_rate = 0.5\n' in text
    data = json.loads(dumps(network, "json"))
    assert data["targets"] == [0.01] and data["loss"] == "squared_error"
    assert data["learning_rate"] == 0.5
    thirds = Network([Dense([[1]], [0], "softmax")], targets=[1], loss="cross_entropy",
                     learning_rate=Fraction(1, 3))
    assert 'learning_rate = "1/3"' in dumps(thirds)
    assert same(loads(dumps(thirds)), thirds)
