"""A derivation: the ordered steps of a worked solution, each with its exact value."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import mpmath
import sympy

from .activations import Activation
from .errors import InputError
from .evaluate import SympyDomain, evaluate
from .formats import DISPLAYS, RenderSettings, data, writer
from .formula import Node
from .numbers import Shown, precise
from .quantities import Ref
from .reals import Real

if TYPE_CHECKING:  # pragma: no cover
    from .losses import Loss
    from .model import Network

@dataclass(frozen=True)
class Step:
    """One line of the worked solution: ``ref = symbolic = substituted (= or ≈) shown``.

    ``exact_value`` is the true value, computed from the true values of the earlier
    steps: exact where rational, else a verified enclosure (:class:`~symann.reals.Real`);
    ``computed_value`` is the value of the substituted line, computed from the values the
    solution carries (the shown ones, ``carry="shown"``, or the exact ones); ``shown`` is
    that value rounded as the solution writes it.
    """

    ref: Ref
    symbolic: Node
    expansion: Node
    operands: tuple[tuple[Ref, Shown], ...]
    exact_value: Real = field(repr=False)
    shown: Shown
    computed_value: Real = field(repr=False)
    activation: Activation | None = None
    note: str = ""
    closed_form: Callable[[], sympy.Expr] | None = field(default=None, repr=False, compare=False)
    #: the left-hand side as a formula, where the quantity is written as one rather than
    #: by its name (the activation's derivative ``σ'(z⁽²⁾₁)``)
    written: Node | None = None

    @property
    def rational(self) -> Fraction | None:
        """The exact value when it is rational, else None."""
        return self.exact_value.rational

    @property
    def computed_rational(self) -> Fraction | None:
        """The substituted line's value when it is rational, else None."""
        return self.computed_value.rational

    @functools.cached_property
    def approximation(self) -> mpmath.mpf:
        """The exact value at symann's working precision (60 digits)."""
        return self.exact_value.approximate(precise)

    @functools.cached_property
    def computed(self) -> mpmath.mpf:
        """The substituted line's value at working precision, before it is rounded."""
        return self.computed_value.approximate(precise)

    @functools.cached_property
    def exact(self) -> sympy.Expr:
        """The exact value as a SymPy closed form, nested through every earlier layer,
        built on demand; an :class:`~symann.errors.InputError` where it would pass
        :data:`symann.propagation.MAX_CLOSED_FORM` operations (the closed form of a wide, deep
        network is
        exponentially large)."""
        if self.rational is not None:
            return sympy.Rational(self.rational.numerator, self.rational.denominator)
        if self.closed_form is None:
            raise InputError("this step was built without a closed form", field=self.id)
        return self.closed_form()

    @property
    def id(self) -> str:
        """The stable name of the step: ``z1_2`` (z of layer 1, neuron 2), ``a2_1``, ``s2``."""
        return self.ref.plain

    @property
    def quantity(self) -> str:
        """``"z"``, ``"a"`` or ``"s"`` (the sum of a softmax layer); in the backward pass
        ``"L"``, ``"d"`` (δ), ``"ds"`` (σ'), ``"gw"``, ``"gb"``, ``"uw"``, ``"ub"``."""
        return self.ref.kind

    @property
    def layer(self) -> int:
        return self.ref.layer

    @property
    def neuron(self) -> int | None:
        return self.ref.neuron or None

    @property
    def value(self) -> float:
        """The exact value as a float."""
        return float(self.approximation)

    @property
    def relation(self) -> str:
        """``"="`` when the shown value is exact, ``"≈"`` when it is rounded."""
        return self.shown.relation

    @property
    def expression(self) -> sympy.Expr:
        """The right-hand side as a SymPy expression in plain symbols (``w1_1_1*x1 + b1_1``,
        ``1/(1 + exp(-z1_1))``)."""
        return evaluate(self.symbolic, SympyDomain(), _Symbols())


class _Symbols(dict):  # type: ignore[type-arg]
    """Every quantity's plain SymPy symbol, made when first looked up."""

    def __missing__(self, ref: Ref) -> sympy.Symbol:
        return symbol(ref)


def symbol(ref: Ref) -> sympy.Symbol:
    """The plain SymPy symbol of a quantity (``w2_1_3``): display names live in notation."""
    return sympy.Symbol(ref.id, real=True)


@dataclass(frozen=True)
class Derivation:
    """The worked forward pass of a network: inputs, then its steps in order; after a
    backward pass (:meth:`symann.Network.backward`) also its targets, loss and learning
    rate, and the backward steps after the forward ones."""

    network: Network
    inputs: tuple[Fraction, ...]
    steps: tuple[Step, ...]
    digits: int
    carry: str
    targets: tuple[Fraction, ...] | None = None
    loss: Loss | None = None
    learning_rate: Fraction | None = None

    @property
    def backward(self) -> bool:
        """Whether the derivation has a backward pass."""
        return self.loss is not None

    @property
    def forward_steps(self) -> tuple[Step, ...]:
        """The steps of the forward pass."""
        return tuple(s for s in self.steps if not s.ref.kind.backward)

    @property
    def backward_steps(self) -> tuple[Step, ...]:
        """The steps of the backward pass (the loss, σ', δ, gradients, updates)."""
        return tuple(s for s in self.steps if s.ref.kind.backward)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, step_id: str) -> Step:
        return self.step(step_id)

    def step(self, step_id: str) -> Step:
        """The step named ``step_id`` (``"a2_1"``)."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise InputError(f"no step {step_id!r}; steps are {', '.join(self.ids)}", field="step")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.steps)

    @property
    def outputs(self) -> tuple[Step, ...]:
        """The ``a`` steps of the last layer, in neuron order."""
        last = len(self.network.layers)
        return tuple(s for s in self.steps if s.layer == last and s.quantity == "a")

    @property
    def title(self) -> str:
        return self.network.title

    def render(self, format: str = "text", settings: RenderSettings | None = None,
               **options: Any) -> str:
        """The worked solution in ``format`` (one of :data:`symann.FORMATS`: ``text``,
        ``json``, ``latex``, ``mathml``, ``markdown``, ``html``), with ``settings``
        (:class:`symann.RenderSettings`) and any of them changed by ``options``
        (``notation="layered"``); an unknown format or setting is an
        :class:`~symann.errors.InputError` that lists the known ones."""
        chosen = (settings or RenderSettings()).replace(**options)
        return writer(format).write(self, chosen)

    def to_dict(self, **options: Any) -> dict[str, Any]:
        """The derivation as plain data (what ``symann solve --format json`` prints)."""
        return data(self, "json", RenderSettings.from_mapping(options))

    def to_json(self, indent: int | None = 2, **options: Any) -> str:
        return self.render("json", indent=indent, **options)

    def to_text(self, notation: str = "auto", **options: Any) -> str:
        """The worked solution as plain text for a terminal."""
        return self.render("text", notation=notation, **options)

    def to_latex(self, notation: str = "auto", standalone: bool = False, **options: Any) -> str:
        """LaTeX: a fragment for ``\\input`` (needs amsmath), or a whole document."""
        return self.render("latex", notation=notation, standalone=standalone, **options)

    def to_mathml(self, notation: str = "auto", **options: Any) -> str:
        """``<math>`` elements, one per layer and one for the outputs."""
        return self.render("mathml", notation=notation, **options)

    def to_markdown(self, notation: str = "auto", **options: Any) -> str:
        """Markdown with ``$$`` blocks (Jupyter Book, MkDocs with arithmatex)."""
        return self.render("markdown", notation=notation, **options)

    def to_html(self, notation: str = "auto", **options: Any) -> str:
        """A self-contained HTML page with MathML."""
        return self.render("html", notation=notation, **options)

    def _repr_latex_(self) -> str:
        return DISPLAYS["text/latex"].write(self, RenderSettings())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        settings = RenderSettings()
        return {media: shown.write(self, settings) for media, shown in DISPLAYS.items()}

    def __str__(self) -> str:
        return self.to_text()
