import warnings
from fractions import Fraction

import numpy as np
import pytest
import sympy

import symann
from symann.activations import ACTIVATIONS, REGISTRY, activation
from symann.evaluate import ARGUMENT, PreciseDomain, RealDomain, SympyDomain, apply, evaluate
from symann.numbers import precise
from symann.reals import Arithmetic, Real


def test_aliases_and_suggestions():
    assert activation("linear").name == "identity"
    assert activation("ReLU").name == "relu"
    with pytest.raises(symann.ActivationError, match="did you mean 'tanh'"):
        activation("tahn")


POINTS = ["-3", "-0.7", "0", "0.3", "2.5"]
ELEMENTWISE = [name for name in ACTIVATIONS if not REGISTRY[name].layerwise]


def _values(act, z):
    """The value at z in every domain: exact-or-enclosed, precise, SymPy, NumPy."""
    real = apply(act, [Real(Fraction(z))], RealDomain(Arithmetic(256)))
    mid = real.approximate(precise)
    mp = apply(act, [PreciseDomain().number(Fraction(z))], PreciseDomain())
    sym = apply(act, [sympy.Rational(z)], SympyDomain())
    num = act.numpy(np.array([float(z)]))[0]
    return real, mid, mp, sym, num


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("z", POINTS)
def test_every_domain_gives_the_same_value(name, z):
    act = activation(name)
    real, mid, mp, sym, num = _values(act, z)
    assert abs(mid - mp) < 1e-50 * max(1, abs(mp))
    assert abs(sympy.N(sym, 60) - sympy.Float(str(mp), 60)) < sympy.Float("1e-50")
    assert abs(num - float(mp)) <= 1e-15 * max(1.0, abs(float(mp)))
    if real.rational is not None:   # claimed exact: it must be the value itself
        assert abs(precise.mpf(real.rational.numerator) / real.rational.denominator - mp) < 1e-55


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("z", [p for p in POINTS if p != "0"])
def test_every_derivative_formula_is_the_derivative(name, z):
    """Against a high-precision central difference of the function itself (a wrong sigmoid
    derivative, such as sigma(1 - sigma) written sigma(1 + sigma), fails here)."""
    act = activation(name)
    at, h = PreciseDomain().number(Fraction(z)), precise.mpf(10) ** -20

    def f(t):
        return apply(act, [t], PreciseDomain())

    numeric = (f(at + h) - f(at - h)) / (2 * h)   # error about h^2 + 1e-60 / h = 1e-40
    formula = evaluate(act.derivative(ARGUMENT), PreciseDomain(), {}, {ARGUMENT.name: at})
    assert abs(numeric - formula) < precise.mpf(10) ** -30


def test_derivatives_at_the_kinks_are_settings():
    at, exactly = {ARGUMENT.name: Real(Fraction(0))}, RealDomain(Arithmetic(64))
    relu = activation({"name": "relu", "kink": "0.5"})
    assert evaluate(relu.derivative(ARGUMENT), exactly, {}, at).rational == Fraction(1, 2)
    leaky = activation({"name": "leaky_relu", "slope": "0.1"})
    assert evaluate(leaky.derivative(ARGUMENT), exactly, {}, at).rational == Fraction(1, 10)
    with pytest.raises(symann.ActivationError, match="Jacobian"):
        activation("softmax").derivative(ARGUMENT)


def test_every_activation_has_its_names_and_numpy_form():
    for name in ACTIVATIONS:
        act = activation(name)
        z = np.array([-3.0, 0.0, 2.0])
        assert act.numpy(z).shape == z.shape
        assert act.names.display and act.describe() == name


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
    math = RealDomain(Arithmetic(256))
    for name, z, value in [("sigmoid", 0, Fraction(1, 2)), ("relu", Fraction(-3, 10), 0),
                           ("identity", Fraction(83, 200), Fraction(83, 200)),
                           ("tanh", 0, 0), ("silu", 0, 0), ("softplus", 0, None)]:
        assert apply(activation(name), [Real(Fraction(z))], math).rational == value


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_the_scalar_form_is_the_numpy_form(name):
    """The compiled network's one-vector path uses ``scalar``: stable at the extremes too."""
    act = activation(name)
    points = [-1000.0, -50.0, -3.0, -0.7, 0.0, 0.3, 2.5, 50.0, 1000.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        array = act.numpy(np.array(points))
        for z, want in zip(points, array):
            got = act.scalar(z)
            assert abs(got - want) <= 1e-15 * max(1.0, abs(want)), (name, z, got, want)
