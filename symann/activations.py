"""The activation functions: a registry, one entry each.

An entry gives the SymPy definition (exact values), a high-precision mpmath version, a
numerically stable NumPy version, the derivative, and the formulas a worked solution
writes. Adding an activation is adding one entry to :data:`REGISTRY`.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy

from .errors import ActivationError
from .formula import Call, Constant, Exp, Negate, Node, Product, Quotient, Sum
from .numbers import exact, precise, show_exact, to_sympy


@dataclass(frozen=True)
class Activation:
    """An activation function with its settings (e.g. the slope of leaky ReLU).

    Element-wise functions map one value to one value; a ``layerwise`` one (softmax)
    maps the list of a layer's ``z`` values to the list of its ``a`` values.
    """

    name: str
    settings: tuple[tuple[str, Fraction], ...] = ()
    layerwise: bool = False
    sympy_fn: Callable[..., Any] = field(default=None, repr=False, compare=False)
    precise_fn: Callable[..., Any] = field(default=None, repr=False, compare=False)
    numpy_fn: Callable[..., Any] = field(default=None, repr=False, compare=False)
    scalar_fn: Callable[[float], float] = field(default=None, repr=False, compare=False)
    derivative_fn: Callable[..., Any] = field(default=None, repr=False, compare=False)
    symbolic_fn: Callable[[Node], Node] = field(default=None, repr=False, compare=False)
    definition_fn: Callable[[Node], Node] = field(default=None, repr=False, compare=False)
    rational_fn: Callable[[Any], Any] = field(default=None, repr=False, compare=False)
    enclose_fn: Callable[[Any, Any], Any] = field(default=None, repr=False, compare=False)

    def exact(self, z: Any) -> Any:
        """The exact value(s) as SymPy: ``z`` is a SymPy expression (a list if layerwise)."""
        return self.sympy_fn(z)

    def rational(self, z: Any) -> Any:
        """The exact value where it is rational (``sigma(0) = 1/2``, ``relu(-0.3) = 0``),
        else None: ``z`` a Fraction (a list of them, and a list back, if layerwise)."""
        return self.rational_fn(z)

    def enclose(self, z: Any, ctx: Any) -> Any:
        """An interval that contains the value(s) for every ``z`` in the interval(s) ``z``,
        in the mpmath interval context ``ctx`` (outward rounding: a verified enclosure)."""
        return self.enclose_fn(z, ctx)

    def precise(self, z: Any) -> Any:
        """The value(s) at symann's working precision (mpmath)."""
        return self.precise_fn(z)

    def numpy(self, z: np.ndarray) -> np.ndarray:
        """The value(s) in NumPy, stable at extreme inputs (layerwise along the last axis)."""
        z = np.asarray(z)
        return self.numpy_fn(z.astype(float if z.dtype.kind in "biu" else z.dtype, copy=True))

    def numpy_inplace(self, z: np.ndarray) -> np.ndarray:
        """The same, overwriting the float array ``z`` (no allocation on the hot path)."""
        return self.numpy_fn(z)

    def scalar(self, z: float) -> float:
        """The value for one Python float (element-wise activations)."""
        return self.scalar_fn(z)

    def derivative(self, z: sympy.Expr) -> sympy.Expr:
        """d a / d z as a SymPy expression (element-wise activations)."""
        return self.derivative_fn(z)

    def symbolic(self, z: Node) -> Node:
        """The right-hand side written in symbols: ``\\sigma(z)``, ``\\max(0, z)``."""
        return self.symbolic_fn(z)

    def definition(self, z: Node) -> Node:
        """The formula the values are substituted into: ``1 / (1 + e^{-z})``."""
        return self.definition_fn(z)

    def setting(self, name: str) -> Fraction:
        return dict(self.settings)[name]

    def describe(self) -> str:
        """``sigmoid``, or ``leaky_relu(slope=0.1)`` with the settings that are not defaults."""
        defaults = REGISTRY[self.name].defaults
        changed = [(key, value) for key, value in self.settings if defaults[key] != value]
        if not changed:
            return self.name
        inner = ", ".join(f"{key}={show_exact(value).text}" for key, value in changed)
        return f"{self.name}({inner})"


# --- the functions, each in exact, precise and NumPy form --------------------------------

def _monotone(point: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """The enclosure of a non-decreasing function from its value at the two ends of an
    interval (``point`` gets an exact end, as a one-point interval)."""
    def enclose(z: Any, ctx: Any) -> Any:
        low, high = point(z.a, ctx), point(z.b, ctx)
        return ctx.mpf([low.a, high.b])
    return enclose


def _at_zero(value: Fraction) -> Callable[[Fraction], Fraction | None]:
    """A function rational only at 0, where it is ``value`` (sigmoid, tanh)."""
    return lambda z: value if z == 0 else None


def _sigmoid_enclose(z: Any, ctx: Any) -> Any:
    return 1 / (1 + ctx.exp(-z))


def _tanh_point(end: Any, ctx: Any) -> Any:
    """tanh at one point as m / (m + 2), m = e^{2z} - 1: accurate near 0 and at both
    extremes."""
    m = ctx.expm1(2 * end)
    return m / (m + 2)


def _softmax_rational(zs: Sequence[Fraction]) -> list[Fraction | None]:
    """Exactly 1/n where every z is the same (e^z is irrational at every other rational)."""
    if all(z == zs[0] for z in zs):
        return [Fraction(1, len(zs))] * len(zs)
    return [None] * len(zs)


def _softmax_enclose(zs: Sequence[Any], ctx: Any) -> list[Any]:
    """a_j = 1 / sum_k e^{z_k - z_j}: no overflow, whatever the size of the z."""
    enclosures = []
    for j, z in enumerate(zs):
        total = ctx.one
        for k, other in enumerate(zs):
            if k != j:
                total = total + ctx.exp(other - z)
        enclosures.append(1 / total)
    return enclosures


def _sigmoid_np(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-z) in place: e^-z overflows to inf only where the result is 0 anyway,
    and that overflow is expected, so it warns nothing; accurate to the last bits
    everywhere (unlike 0.5 + 0.5 tanh(z / 2), which loses digits for negative z)."""
    with np.errstate(over="ignore"):
        np.negative(z, out=z)
        np.exp(z, out=z)
        np.add(z, 1.0, out=z)
        np.divide(1.0, z, out=z)   # twice as fast as np.reciprocal here
    return z


def _sigmoid_scalar(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def _softmax_np(z: np.ndarray) -> np.ndarray:
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def _softmax_exact(zs: Sequence[sympy.Expr]) -> list[sympy.Expr]:
    total = sympy.Add(*[sympy.exp(z) for z in zs])
    return [sympy.exp(z) / total for z in zs]


def _softmax_precise(zs: Sequence[Any]) -> list[Any]:
    top = max(zs)
    shifted = [precise.exp(z - top) for z in zs]
    total = precise.fsum(shifted)
    return [value / total for value in shifted]


def _step_exact(at_zero: Fraction) -> Callable[[sympy.Expr], sympy.Expr]:
    return lambda z: sympy.Piecewise((1, z > 0), (to_sympy(at_zero), sympy.Eq(z, 0)), (0, True))


def _sigmoid_definition(z: Node) -> Node:
    return Quotient(Constant(Fraction(1)), Sum((Constant(Fraction(1)), Exp(Negate(z)))))


def _sigmoid(settings: Mapping[str, Fraction]) -> Activation:
    return Activation(
        "sigmoid",
        sympy_fn=lambda z: 1 / (1 + sympy.exp(-z)),
        precise_fn=lambda z: 1 / (1 + precise.exp(-z)),
        numpy_fn=_sigmoid_np,
        scalar_fn=_sigmoid_scalar,
        derivative_fn=lambda z: sympy.exp(-z) / (1 + sympy.exp(-z)) ** 2,
        symbolic_fn=lambda z: Call("sigma", (z,)),
        definition_fn=_sigmoid_definition,
        rational_fn=_at_zero(Fraction(1, 2)),
        enclose_fn=_sigmoid_enclose,
    )


def _tanh(settings: Mapping[str, Fraction]) -> Activation:
    return Activation(
        "tanh",
        sympy_fn=sympy.tanh,
        precise_fn=precise.tanh,
        numpy_fn=lambda z: np.tanh(z, out=z),
        scalar_fn=math.tanh,
        derivative_fn=lambda z: 1 - sympy.tanh(z) ** 2,
        symbolic_fn=lambda z: Call("tanh", (z,)),
        definition_fn=lambda z: Call("tanh", (z,)),
        rational_fn=_at_zero(Fraction(0)),
        enclose_fn=_monotone(_tanh_point),
    )


def _relu_formula(z: Node) -> Node:
    return Call("max", (Constant(Fraction(0)), z))


def _relu(settings: Mapping[str, Fraction]) -> Activation:
    kink = settings["kink"]
    return Activation(
        "relu",
        settings=(("kink", kink),),
        sympy_fn=lambda z: sympy.Max(0, z),
        precise_fn=lambda z: max(precise.zero, z),
        numpy_fn=lambda z: np.maximum(z, 0, out=z),
        scalar_fn=lambda z: max(z, 0.0),
        derivative_fn=lambda z: sympy.Piecewise((1, z > 0), (to_sympy(kink), sympy.Eq(z, 0)),
                                                (0, True)),
        symbolic_fn=_relu_formula,
        definition_fn=_relu_formula,
        rational_fn=lambda z: max(Fraction(0), z),
        enclose_fn=_monotone(lambda end, ctx: ctx.zero if end.b < 0 else end),
    )


def _leaky_relu(settings: Mapping[str, Fraction]) -> Activation:
    slope = settings["slope"]
    s = to_sympy(slope)

    def formula(z: Node) -> Node:
        return Call("max", (Product((Constant(slope), z)), z))

    return Activation(
        "leaky_relu",
        settings=(("slope", slope),),
        sympy_fn=lambda z: sympy.Piecewise((z, z >= 0), (s * z, True)),
        precise_fn=lambda z: z if z >= 0 else precise.mpf(slope.numerator) / slope.denominator * z,
        numpy_fn=lambda z: np.multiply(z, float(slope), out=z, where=z < 0),
        scalar_fn=lambda z: z if z >= 0 else float(slope) * z,
        derivative_fn=lambda z: sympy.Piecewise((1, z > 0), (s, True)),
        symbolic_fn=formula,
        definition_fn=formula,
        rational_fn=lambda z: z if z >= 0 else slope * z,
        enclose_fn=_monotone(lambda end, ctx: end if end.a >= 0
                             else ctx.mpf(slope.numerator) / slope.denominator * end),
    )


def _identity(settings: Mapping[str, Fraction]) -> Activation:
    return Activation(
        "identity",
        sympy_fn=lambda z: z,
        precise_fn=lambda z: z,
        numpy_fn=lambda z: z,
        scalar_fn=lambda z: z,
        derivative_fn=lambda z: sympy.Integer(1),
        symbolic_fn=lambda z: z,
        definition_fn=lambda z: z,
        rational_fn=lambda z: z,
        enclose_fn=lambda z, ctx: z,
    )


def _step(settings: Mapping[str, Fraction]) -> Activation:
    at_zero = settings["at_zero"]
    zero_value = precise.mpf(at_zero.numerator) / at_zero.denominator
    return Activation(
        "step",
        settings=(("at_zero", at_zero),),
        sympy_fn=_step_exact(at_zero),
        precise_fn=lambda z: precise.one if z > 0 else (zero_value if z == 0 else precise.zero),
        numpy_fn=lambda z: np.heaviside(z, float(at_zero), out=z),
        scalar_fn=lambda z: 1.0 if z > 0 else (float(at_zero) if z == 0 else 0.0),
        derivative_fn=lambda z: sympy.Integer(0),
        symbolic_fn=lambda z: Call("step", (z,)),
        definition_fn=lambda z: Call("step", (z,)),
        rational_fn=lambda z: Fraction(1) if z > 0 else (at_zero if z == 0 else Fraction(0)),
        enclose_fn=_monotone(lambda end, ctx: ctx.one if end.a > 0 else (
            ctx.zero if end.b < 0 else ctx.mpf(at_zero.numerator) / at_zero.denominator)),
    )


def _softmax(settings: Mapping[str, Fraction]) -> Activation:
    return Activation(
        "softmax",
        layerwise=True,
        sympy_fn=_softmax_exact,
        precise_fn=_softmax_precise,
        numpy_fn=_softmax_np,
        derivative_fn=None,
        symbolic_fn=lambda z: Call("softmax", (z,)),
        definition_fn=lambda z: Exp(z),
        rational_fn=_softmax_rational,
        enclose_fn=_softmax_enclose,
    )


@dataclass(frozen=True)
class Entry:
    """A registry entry: how to build the activation and the settings it accepts."""

    build: Callable[[Mapping[str, Fraction]], Activation]
    defaults: Mapping[str, Fraction] = field(default_factory=dict)
    summary: str = ""
    #: every setting lies in the closed interval [0, 1]


#: every activation symann knows, by name
REGISTRY: dict[str, Entry] = {
    "identity": Entry(_identity, summary="a = z"),
    "step": Entry(_step, {"at_zero": Fraction(1)},
                  "the perceptron's threshold: 1 for z > 0, 0 for z < 0, at_zero at 0"),
    "sigmoid": Entry(_sigmoid, summary="1 / (1 + e^(-z))"),
    "tanh": Entry(_tanh, summary="(e^z - e^(-z)) / (e^z + e^(-z))"),
    "relu": Entry(_relu, {"kink": Fraction(0)},
                  "max(0, z); kink is the derivative taken at z = 0"),
    "leaky_relu": Entry(_leaky_relu, {"slope": Fraction(1, 100)}, "max(slope z, z)"),
    "softmax": Entry(_softmax, summary="e^(z_j) / sum_k e^(z_k), over the layer"),
}
ALIASES = {"linear": "identity", "logistic": "sigmoid", "heaviside": "step",
           "leakyrelu": "leaky_relu"}


def activation(spec: "str | Activation | Mapping[str, Any]", field: str = "activation",
               **settings: Any) -> Activation:
    """The activation named by ``spec``: a name (``"sigmoid"``), an :class:`Activation`, or a
    table ``{"name": "leaky_relu", "slope": 0.1}``. Unknown names suggest the closest one."""
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, Mapping):
        settings = {**{k: v for k, v in spec.items() if k != "name"}, **settings}
        if "name" not in spec:
            raise ActivationError('expected a table with a "name" (e.g. name = "leaky_relu")',
                                  field=field)
        spec = spec["name"]
    if not isinstance(spec, str):
        raise ActivationError(f"expected an activation name, got {type(spec).__name__}",
                              field=field)
    name = ALIASES.get(spec.strip().lower(), spec.strip().lower())
    entry = REGISTRY.get(name)
    if entry is None:
        raise ActivationError(_unknown(spec), field=field)
    return entry.build(_settings(name, entry, settings, field))


def _unknown(name: str) -> str:
    known = sorted([*REGISTRY, *ALIASES])
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown activation {name!r}{hint} (known: {', '.join(sorted(REGISTRY))})"


def _settings(name: str, entry: Entry, given: Mapping[str, Any], field: str) -> dict[str, Fraction]:
    unknown = sorted(set(given) - set(entry.defaults))
    if unknown:
        accepted = ", ".join(entry.defaults) or "no settings"
        raise ActivationError(f"{name} has no setting {unknown[0]!r} (it takes {accepted})",
                              field=field)
    chosen = {key: exact(given.get(key, default), f"{field}.{key}")
              for key, default in entry.defaults.items()}
    for key, value in chosen.items():
        if not 0 <= value <= 1:
            raise ActivationError(f"expected a number from 0 to 1, got {float(value):g}",
                                  field=f"{field}.{key}")
    return chosen
