"""The functions of a network: a registry, one entry each, the single source of what a
function is.

An entry gives the function's names (as text, LaTeX, a heading, and the names a student
may type), its definition as a formula (which the worked solution substitutes values into,
and from which :mod:`symann.evaluate` computes exact, precise and SymPy values), its
derivative as a formula, a numerically stable NumPy form, and, where the definition is not
the best way to compute it, its own form for a domain. Adding an activation is adding one
entry to :data:`REGISTRY`; nothing else changes.
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from .activation_forms import (
    max_real,
    monotone,
    real,
    sigmoid_np,
    sigmoid_scalar,
    silu_np,
    silu_scalar,
    softmax_enclose,
    softmax_np,
    softmax_precise,
    softmax_rational,
    softmax_sympy,
    softplus_np,
    softplus_scalar,
    step_forms,
    tanh_point,
)
from .errors import ActivationError
from .formula import Call, Constant, Exp, Log, Negate, Node, Power, Product, Quotient, Sum
from .numbers import exact, precise, show_exact
from .reals import Real

Settings = Mapping[str, Fraction]
Formula = Callable[[Node], Node]
ONE, ZERO = Constant(Fraction(1)), Constant(Fraction(0))


@dataclass(frozen=True)
class Names:
    """How a function is written: ``text`` (``σ``), ``latex`` (``\\sigma``), ``display``
    (a heading: ``ReLU``) and ``typed``, the names a student may type for it."""

    text: str
    latex: str
    display: str
    typed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Forms:
    """A function's own forms for the domains where its definition is not the way to
    compute it (``step`` has no formula; ``tanh`` is more accurate by ``expm1``). Each takes
    the settings and gives a function of the argument(s) in that domain."""

    real: Callable[[Settings], Callable[..., Real]] | None = None
    precise: Callable[[Settings], Callable[..., Any]] | None = None
    sympy: Callable[[Settings], Callable[..., Any]] | None = None


@dataclass(frozen=True)
class Entry:
    """A registry entry: everything about one function."""

    names: Names
    summary: str
    #: the formula that defines it, given the settings: applied to the argument's node
    definition: Callable[[Settings], Formula] | None
    #: d/dz as a formula (element-wise functions), given the settings
    derivative: Callable[[Settings], Formula] | None
    #: stable, in place on a float array (layerwise along the last axis)
    numpy: Callable[[Settings], Callable[[np.ndarray], np.ndarray]] | None
    forms: Forms = Forms()
    #: the value for one Python float, stable at extreme inputs (the compiled network's
    #: one-vector path); else the NumPy form on a one-element array, a few µs slower
    scalar: Callable[[Settings], Callable[[float], float]] | None = None
    defaults: Mapping[str, Fraction] = field(default_factory=dict)
    #: what the worked solution writes with values substituted, if not the definition
    substituted: Callable[[Settings], Formula] | None = None
    #: whether the symbolic line writes the definition (``max(0, z)``) rather than the
    #: function's name (``\sigma(z)``)
    written_out: bool = False
    layerwise: bool = False
    #: whether it is the identity, a = z, so that a layer of it is affine and layers of it
    #: multiply out into one (``symann collapse``)
    linear: bool = False
    #: the settings at which it computes ``a = z`` though it is not :attr:`linear` (leaky
    #: ReLU of slope 1): a collapse names it so
    identity_at: Callable[[Settings], bool] | None = None
    activation: bool = True
    arity: int = 1
    #: where the derivative is not defined at z = 0 (a kink or a jump): what the backward
    #: pass says on a step whose z is 0, given the settings
    kink: Callable[[Settings], str] | None = None


@dataclass(frozen=True)
class Activation:
    """A function of the registry with its settings (e.g. the slope of leaky ReLU).

    Element-wise functions map one value to one value; a ``layerwise`` one (softmax) maps
    the list of a layer's ``z`` values to the list of its ``a`` values.
    """

    name: str
    settings: tuple[tuple[str, Fraction], ...] = ()

    @property
    def entry(self) -> Entry:
        return REGISTRY[self.name]

    @property
    def names(self) -> Names:
        return self.entry.names

    @property
    def layerwise(self) -> bool:
        return self.entry.layerwise

    @property
    def linear(self) -> bool:
        """Whether ``a = z``: a layer of it is affine (:attr:`Entry.linear`)."""
        return self.entry.linear

    @property
    def computes_identity(self) -> bool:
        """Whether it computes ``a = z`` with its settings though it is not :attr:`linear`
        (leaky ReLU of slope 1)."""
        check = self.entry.identity_at
        return check is not None and check(dict(self.settings))

    def setting(self, name: str) -> Fraction:
        return dict(self.settings)[name]

    def call(self, *arguments: Node) -> Call:
        """The function applied to ``arguments``, as a formula node."""
        return Call(self.name, arguments, self.settings)

    def symbolic(self, z: Node) -> Node:
        """The right-hand side written in symbols: ``\\sigma(z)``, ``relu(z)`` is
        ``\\max(0, z)`` (the course writes ReLU by its definition)."""
        return self.definition(z) if self.entry.written_out else self.call(z)

    def definition(self, z: Node) -> Node:
        """The formula that defines the function (``1 / (1 + e^{-z})``); the function
        itself where it has none (``step(z)``)."""
        if self.entry.definition is None:
            return self.call(z)
        return self.entry.definition(dict(self.settings))(z)

    def substituted(self, z: Node) -> Node:
        """The formula the worked solution substitutes values into."""
        if self.entry.substituted is not None:
            return self.entry.substituted(dict(self.settings))(z)
        return self.definition(z)

    def derivative(self, z: Node) -> Node:
        """``d a / d z`` as a formula (element-wise functions)."""
        if self.entry.derivative is None:
            raise ActivationError(f"{self.name} has no element-wise derivative: its Jacobian "
                                  "is d a_j / d z_k = a_j (δ_jk - a_k)", field="activation")
        return self.entry.derivative(dict(self.settings))(z)

    def kink(self) -> str | None:
        """What the backward pass says where z = 0 and the function has a kink there
        (the derivative it takes, from the settings), or None."""
        return None if self.entry.kink is None else self.entry.kink(dict(self.settings))

    def form(self, domain: str) -> Callable[..., Any] | None:
        """The function's own form for ``domain`` (``real``, ``precise``, ``sympy``), or
        None where its definition is evaluated instead."""
        build = getattr(self.entry.forms, domain)
        return None if build is None else build(dict(self.settings))

    def numpy(self, z: np.ndarray) -> np.ndarray:
        """The value(s) in NumPy, stable at extreme inputs (layerwise along the last axis)."""
        z = np.asarray(z)
        return self.numpy_inplace(z.astype(float if z.dtype.kind in "biu" else z.dtype,
                                           copy=True))

    def numpy_inplace(self, z: np.ndarray) -> np.ndarray:
        """The same, overwriting the float array ``z`` (no allocation on the hot path)."""
        assert self.entry.numpy is not None
        return self.entry.numpy(dict(self.settings))(z)

    def scalar(self, z: float) -> float:
        """The value for one Python float (element-wise activations)."""
        if self.entry.scalar is not None:
            return self.entry.scalar(dict(self.settings))(z)
        return float(self.numpy_inplace(np.array([z], dtype=float))[0])

    def describe(self) -> str:
        """``sigmoid``, or ``leaky_relu(slope=0.1)`` with the settings that are not defaults:
        the name a network file uses."""
        changed = self._changed()
        if not changed:
            return self.name
        return f"{self.name}({', '.join(f'{key}={text}' for key, text in changed)})"

    def display(self) -> str:
        """For headings: ``ReLU``, ``leaky ReLU (slope 0.1)``."""
        changed = self._changed()
        inner = f" ({', '.join(f'{key} {text}' for key, text in changed)})" if changed else ""
        return self.names.display + inner

    def _changed(self) -> list[tuple[str, str]]:
        defaults = self.entry.defaults
        return [(key, show_exact(value).text) for key, value in self.settings
                if defaults[key] != value]


# --- the formulas ----------------------------------------------------------------------------

def _sigmoid(z: Node) -> Node:
    return Quotient(ONE, Sum((ONE, Exp(Negate(z)))))


def _sigmoid_call(z: Node) -> Node:
    return Call("sigmoid", (z,))


def _one_minus(node: Node) -> Node:
    return Sum((ONE, Negate(node)))


def _step_at(at_zero: Fraction) -> Formula:
    return lambda z: Call("step", (z,), (("at_zero", at_zero),))


def _const(value: Fraction) -> Node:
    return Constant(value)


def _step_domain(index: int) -> Callable[[Settings], Callable[..., Any]]:
    return lambda settings: step_forms(settings["at_zero"])[index]



#: every function symann knows, by name
REGISTRY: dict[str, Entry] = {
    "identity": Entry(
        Names("", "", "identity", ()), "a = z",
        definition=lambda s: lambda z: z,
        derivative=lambda s: lambda z: ONE,
        numpy=lambda s: lambda z: z,
        scalar=lambda s: lambda z: z,
        written_out=True, linear=True),
    "step": Entry(
        Names("step", r"\operatorname{step}", "step", ("step", "heaviside", "H")),
        "the perceptron's threshold: 1 for z > 0, 0 for z < 0, at_zero at 0",
        definition=None,
        derivative=lambda s: lambda z: ZERO,
        numpy=lambda s: lambda z: np.heaviside(z, float(s["at_zero"]), out=z),
        scalar=lambda s: lambda z: 1.0 if z > 0 else (float(s["at_zero"]) if z == 0 else 0.0),
        forms=Forms(_step_domain(0), _step_domain(1), _step_domain(2)),
        defaults={"at_zero": Fraction(1)},
        kink=lambda s: "step jumps at z = 0 and has no derivative there; the backward pass "
                       "takes 0, as everywhere else"),
    "sigmoid": Entry(
        Names("σ", r"\sigma", "sigmoid", ("sigma", "sigmoid", "logistic", "σ")),
        "1 / (1 + e^(-z))",
        definition=lambda s: _sigmoid,
        derivative=lambda s: lambda z: Product((_sigmoid_call(z), _one_minus(_sigmoid_call(z)))),
        numpy=lambda s: sigmoid_np,
        scalar=lambda s: sigmoid_scalar),
    "tanh": Entry(
        Names("tanh", r"\tanh", "tanh", ("tanh",)),
        "(e^z - e^(-z)) / (e^z + e^(-z))",
        definition=lambda s: lambda z: Quotient(Sum((Exp(z), Negate(Exp(Negate(z))))),
                                                Sum((Exp(z), Exp(Negate(z))))),
        derivative=lambda s: lambda z: _one_minus(Power(Call("tanh", (z,)),
                                                        Constant(Fraction(2)))),
        numpy=lambda s: lambda z: np.tanh(z, out=z),
        scalar=lambda s: math.tanh,
        forms=Forms(real=lambda s: real(lambda z: Fraction(0) if z == 0 else None,
                                         monotone(tanh_point)),
                    precise=lambda s: precise.tanh, sympy=lambda s: sympy.tanh),
        substituted=lambda s: lambda z: Call("tanh", (z,))),
    "relu": Entry(
        Names("relu", r"\operatorname{ReLU}", "ReLU", ("relu", "ReLU", "RELU", "Relu")),
        "max(0, z); kink is the derivative taken at z = 0",
        definition=lambda s: lambda z: Call("max", (ZERO, z)),
        derivative=lambda s: _step_at(s["kink"]),
        numpy=lambda s: lambda z: np.maximum(z, 0, out=z),
        scalar=lambda s: lambda z: max(z, 0.0),
        defaults={"kink": Fraction(0)}, written_out=True,
        kink=lambda s: f"ReLU has a kink at z = 0; its derivative there is taken as "
                       f"kink = {show_exact(s['kink']).text}"),
    "leaky_relu": Entry(
        Names("leaky", r"\operatorname{leaky}", "leaky ReLU", ("leaky_relu", "leakyrelu", "leaky")),
        "max(slope z, z)",
        definition=lambda s: lambda z: Call("max", (Product((_const(s["slope"]), z)), z)),
        derivative=lambda s: lambda z: Sum((_const(s["slope"]), Product(
            (_const(1 - s["slope"]), _step_at(Fraction(0))(z))))),
        numpy=lambda s: lambda z: np.multiply(z, float(s["slope"]), out=z, where=z < 0),
        scalar=lambda s: lambda z: z if z >= 0 else float(s["slope"]) * z,
        defaults={"slope": Fraction(1, 100)}, written_out=True,
        identity_at=lambda s: s["slope"] == 1,
        kink=lambda s: f"leaky ReLU has a kink at z = 0; its derivative there is taken as "
                       f"slope = {show_exact(s['slope']).text}"),
    "softmax": Entry(
        Names("softmax", r"\operatorname{softmax}", "softmax", ()),
        "e^(z_j) / sum_k e^(z_k), over the layer",
        definition=None,
        derivative=None,
        numpy=lambda s: softmax_np,
        forms=Forms(real=lambda s: lambda math_, zs: math_.apply_layer(
                        softmax_rational, softmax_enclose, zs),
                    precise=lambda s: softmax_precise, sympy=lambda s: softmax_sympy),
        layerwise=True),
    "silu": Entry(
        Names("SiLU", r"\operatorname{SiLU}", "SiLU", ("silu", "SiLU", "swish")),
        "z / (1 + e^(-z)), also called swish",
        definition=lambda s: lambda z: Quotient(z, Sum((ONE, Exp(Negate(z))))),
        derivative=lambda s: lambda z: Product((_sigmoid_call(z), Sum((ONE, Product(
            (z, _one_minus(_sigmoid_call(z)))))))),
        numpy=lambda s: silu_np,
        scalar=lambda s: silu_scalar),
    "softplus": Entry(
        Names("softplus", r"\operatorname{softplus}", "softplus", ("softplus",)),
        "log(1 + e^z)",
        definition=lambda s: lambda z: Log(Sum((ONE, Exp(z)))),
        derivative=lambda s: _sigmoid_call,
        numpy=lambda s: softplus_np,
        scalar=lambda s: softplus_scalar),
    "max": Entry(
        Names("max", r"\max", "max", ("max", "Max", "MAX")),
        "the larger of its arguments",
        definition=None,
        derivative=None,
        numpy=None,
        forms=Forms(real=lambda s: max_real, precise=lambda s: lambda *v: max(v),
                    sympy=lambda s: sympy.Max),
        activation=False, arity=2),
}
ALIASES = {"linear": "identity", "logistic": "sigmoid", "heaviside": "step",
           "leakyrelu": "leaky_relu", "swish": "silu"}
ACTIVATIONS = tuple(name for name, entry in REGISTRY.items() if entry.activation)


def function(name: str, settings: tuple[tuple[str, Fraction], ...] = ()) -> Activation:
    """The registry function ``name`` with ``settings`` (defaults filled in)."""
    entry = REGISTRY[name]
    chosen = {**entry.defaults, **dict(settings)}
    return Activation(name, tuple((key, chosen[key]) for key in entry.defaults))


def activation(spec: str | Activation | Mapping[str, Any], field: str = "activation",
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
    if name not in ACTIVATIONS:
        raise ActivationError(_unknown(spec), field=field)
    entry = REGISTRY[name]
    return Activation(name, tuple(_settings(name, entry, settings, field).items()))


def _unknown(name: str) -> str:
    known = sorted([*ACTIVATIONS, *ALIASES])
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown activation {name!r}{hint} (known: {', '.join(sorted(ACTIVATIONS))})"


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


__all__ = ["ACTIVATIONS", "ALIASES", "Activation", "Entry", "Forms", "Names", "REGISTRY",
           "activation", "function"]
