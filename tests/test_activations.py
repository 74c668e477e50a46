from fractions import Fraction
import warnings

import numpy as np
import pytest
import sympy

import symann
from symann.activations import REGISTRY, activation


def test_aliases_and_suggestions():
    assert activation("linear").name == "identity"
    assert activation("ReLU").name == "relu"
    with pytest.raises(symann.ActivationError, match="did you mean 'tanh'"):
        activation("tahn")


def test_every_activation_has_every_part():
    for name in REGISTRY:
        act = activation(name)
        z = np.array([-3.0, 0.0, 2.0])
        assert act.numpy(z).shape == z.shape
        if not act.layerwise:
            value = act.exact(sympy.Rational(1, 2))
            assert value.is_number
            d = act.derivative(sympy.Symbol("z"))
            assert d is not None


@pytest.mark.parametrize("at_zero, expected", [(1, "1"), (0, "0"), (Fraction(1, 2), "0.5")])
def test_step_value_at_zero_is_a_setting(at_zero, expected):
    network = symann.Network([symann.Neuron([1], 0, {"name": "step", "at_zero": at_zero})],
                             inputs=[0])
    a = network.forward()["a1_1"]
    assert a.shown.text == expected and a.relation == "="
    assert "value at 0" in a.note


def test_leaky_relu_slope():
    network = symann.Network([symann.Neuron([1], 0, {"name": "leaky_relu", "slope": 0.1})],
                             inputs=[-2])
    assert network.forward()["a1_1"].exact == sympy.Rational(-1, 5)


def test_numpy_versions_are_stable_at_extremes():
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = activation("sigmoid").numpy(z)
        assert np.all(np.isfinite(s)) and s[0] == 0.0 and s[-1] == 1.0
        assert np.allclose(activation("tanh").numpy(z)[[0, -1]], [-1, 1])
        p = activation("softmax").numpy(np.array([[1000.0, 0.0]]))
        assert np.allclose(p, [[1.0, 0.0]])


def test_exact_values_at_special_points():
    assert activation("sigmoid").exact(sympy.Integer(0)) == sympy.Rational(1, 2)
    assert activation("relu").exact(sympy.Rational(-3, 10)) == 0
    assert activation("identity").exact(sympy.Rational(83, 200)) == sympy.Rational(83, 200)
