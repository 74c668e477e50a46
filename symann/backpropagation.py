"""Backpropagation: the loss, then each error term and gradient from the output layer back,
then (with a learning rate) one gradient-descent step, each as a worked step.

The backward steps go through the very step machinery of the forward pass
(:class:`symann.propagation._Forward`: exact value, carried value by the carry policy,
shown value, more bits where a rounding is undecided, notes), on the same pass object, so
that the carry policy stays in one place: a δ computed in the backward pass uses the
values the forward pass carried. This module sits between the networks
(:mod:`symann.model`, whose ``Network.backward`` calls it) and the derivation
(:mod:`symann.propagation`), in its own layer: it needs the pass object of the one and
is needed by the other.

What a loss is comes from :mod:`symann.losses` (its definition, its derivative with
respect to an output, the activations with which ``δ`` simplifies); what an activation's
derivative is comes from its registry entry (:mod:`symann.activations`), shown once per
neuron as its own step (``σ'(z) = σ(z)(1 − σ(z)) = a(1 − a)``).
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .activations import Activation
from .errors import InputError
from .evaluate import DomainError
from .formula import Derivative, Negate, Node, Product, Sum, Symbol, Weighted, refs, replace
from .losses import Loss, check as check_loss, loss as named_loss
from .numbers import exact
from .propagation import _Forward, check_settings, with_precision
from .quantities import Quantity, Ref
from .reals import Arithmetic
from .steps import Derivation, Step

if TYPE_CHECKING:
    from .model import Network

Q = Quantity


def backward(network: Network, inputs: Sequence[Any] | None = None, *,
             targets: Sequence[Any] | None = None, loss: str | Loss | None = None,
             learning_rate: Any = None, digits: int = 4, carry: str = "shown") -> Derivation:
    """The forward pass of ``network`` on ``inputs``, then its backward pass for
    ``targets`` and ``loss`` (default: the network's own), and with a ``learning_rate``
    one gradient-descent step. An :class:`~symann.errors.InputError` names what is missing
    or does not fit (a loss on outputs it does not accept, a softmax hidden layer)."""
    check_settings(digits, carry)
    values = _inputs(network, inputs)
    chosen = _loss(network, loss)
    wanted = _targets(network, targets)
    output = network.layers[-1].activation
    check_loss(chosen, output.name, output.layerwise, wanted)
    rate = None
    if learning_rate is not None:
        rate = exact(learning_rate, "learning_rate")
        if rate <= 0:
            raise InputError(f"expected a positive number, got {float(rate):g}",
                             field="learning_rate")
    elif network.learning_rate is not None:
        rate = network.learning_rate
    for l, layer in enumerate(network.layers[:-1], 1):
        if layer.activation.layerwise:
            raise InputError(f"a hidden {layer.activation.name} layer needs its full Jacobian "
                             "in the backward pass, which symann does not derive",
                             field=f"layers[{l}].activation")

    def run(arithmetic: Arithmetic, ties: bool) -> tuple[Step, ...]:
        return _Backward(network, values, digits, carry, arithmetic, ties, wanted, chosen,
                         rate).run()

    steps = with_precision(run)
    return Derivation(network, values, steps, digits, carry, wanted, chosen, rate)


def _inputs(network: Network, inputs: Sequence[Any] | None) -> tuple[Fraction, ...]:
    if inputs is not None:
        return network.check_inputs(inputs)
    if network.inputs is None:
        raise InputError("the network has no inputs: give them (e.g. inputs = [0.1, 0.2])",
                         field="inputs")
    return network.inputs


def _loss(network: Network, loss: str | Loss | None) -> Loss:
    if loss is not None:
        return named_loss(loss)
    if network.loss is None:
        raise InputError('the network has no loss: give one (e.g. loss = "squared_error")',
                         field="loss")
    return network.loss


def _targets(network: Network, targets: Sequence[Any] | None) -> tuple[Fraction, ...]:
    if targets is not None:
        return network.check_targets(targets)
    if network.targets is None:
        raise InputError("the network has no targets: give them, one per output "
                         "(e.g. targets = [0.01])", field="targets")
    return network.targets


def _factors(node: Node) -> tuple[Node, ...]:
    return node.factors if isinstance(node, Product) else (node,)


class _Backward(_Forward):
    """One forward pass and its backward pass, at one working precision."""

    def __init__(self, network: Network, inputs: Sequence[Fraction], digits: int, carry: str,
                 arithmetic: Arithmetic, ties: bool, targets: Sequence[Fraction], loss: Loss,
                 rate: Fraction | None) -> None:
        super().__init__(network, inputs, digits, carry, arithmetic, ties)
        self.targets = targets
        self.loss = loss
        self.rate = rate

    def run(self) -> tuple[Step, ...]:
        layers = len(self.network.layers)
        for l in range(1, layers + 1):
            self.layer(l)
        for j, y in enumerate(self.targets, 1):
            self.given(Ref(Q.TARGET, neuron=j), y)
        if self.rate is not None:
            self.given(Ref(Q.LEARNING_RATE), self.rate)
        self.loss_step()
        for l in range(layers, 0, -1):
            for j in range(1, self.network.layers[l - 1].size + 1):
                self.delta(l, j)
                self.gradients(l, j)
        if self.rate is not None:
            for l in range(1, layers + 1):
                self.updates(l)
        return tuple(self.steps)

    def derived_step(self, ref: Ref, symbolic: Node, expansion: Node,
                     activation: Activation | None = None, written: Node | None = None) -> Step:
        """A step whose operands are the quantities its expansion uses."""
        operands = refs(expansion)
        return self.step(ref, symbolic, expansion, operands,
                         [r for r in operands if r.kind.derived], activation,
                         written=written)

    def loss_step(self) -> None:
        last = len(self.network.layers)
        ys = [Symbol(Ref(Q.TARGET, neuron=j)) for j in range(1, len(self.targets) + 1)]
        outs = [Symbol(Ref(Q.ACTIVATION, last, j)) for j in range(1, len(self.targets) + 1)]
        formula = self.loss.definition(ys, outs, self.network.layers[-1].activation.name)
        try:
            self.derived_step(Ref(Q.LOSS), formula, formula)
            return
        except DomainError:
            pass
        # an output shown as 0 or 1 under a logarithm: the loss takes its unrounded value
        # (as the steps after a softmax sum that rounds to 0 divide by the unrounded sum)
        saturated = [o.ref for o in outs if isinstance(o, Symbol)
                     and self.carried[o.ref].rational in (0, 1)]
        kept = {ref: self.carried[ref] for ref in saturated}
        self.carried.update({ref: self.exact[ref] for ref in saturated})
        try:
            step = self.derived_step(Ref(Q.LOSS), formula, formula)
        except DomainError:   # pragma: no cover - the exact outputs lie strictly in (0, 1)
            raise InputError(f"the {self.loss.display} has no value at these outputs",
                             field="loss") from None
        finally:
            self.carried.update(kept)
        # named by neuron, as every notation agrees (a note is written before the names)
        shown = ", ".join(f"output {ref.neuron} is {self.shown[ref].text}" for ref in saturated)
        self._note(step, f"{shown} at {self.digits} decimal places; the logarithm takes the "
                         "unrounded value")

    def delta(self, l: int, j: int) -> None:
        """``δ⁽ˡ⁾ⱼ = ∂L/∂z⁽ˡ⁾ⱼ``: at the output, the loss's derivative times σ' (or the
        simplified form where the loss and the activation cancel); below, the sum over the
        neurons of the layer above, times σ'."""
        act = self.network.layers[l - 1].activation
        ref = Ref(Q.DELTA, l, j)
        last = len(self.network.layers)
        if l == last:
            y, a = Symbol(Ref(Q.TARGET, neuron=j)), Symbol(Ref(Q.ACTIVATION, l, j))
            simplified = self.loss.simplifies.get(act.name)
            if simplified is not None:
                formula = simplified[0](y, a, len(self.targets))
                step = self.derived_step(ref, formula, formula, act)
                if j == 1:   # said once for the layer
                    self._note(step, simplified[1])
                return
            upstream = _factors(self.loss.gradient(y, a, len(self.targets), act.name))
        else:
            above = self.network.layers[l]
            upstream = (Sum(tuple(Weighted(Ref(Q.WEIGHT, l + 1, m, j), Ref(Q.DELTA, l + 1, m))
                                  for m in range(1, above.size + 1))),)
        slope, written = self.slope(act, l, j)
        self.derived_step(ref, Product((*upstream, written)), Product((*upstream, slope)), act)

    def slope(self, act: Activation, l: int, j: int) -> tuple[Symbol, Derivative]:
        """The activation's derivative at ``z⁽ˡ⁾ⱼ`` as its own step, from the registry:
        symbolic as the entry writes it, substituted in the computed ``a`` where the
        derivative is written in the function's value (``σ(z)(1 − σ(z)) = a(1 − a)``)."""
        z = Symbol(Ref(Q.PRE_ACTIVATION, l, j))
        ref = Ref(Q.SLOPE, l, j)
        written = Derivative(act.name, (z,), act.settings)
        kink = act.kink()
        at_kink = kink is not None and self.carried[z.ref].rational == 0
        if at_kink:
            # ``relu'(z) = relu'(0) = 0``: the formula (``step(z)``, whose own value at 0
            # is its default, 1) would not read as the derivative the setting takes there
            step = self.derived_step(ref, written, written, act, written)
            self._note(step, f"z = 0: {kink}")
            return Symbol(ref), written
        symbolic = act.derivative(z)
        expansion = replace(symbolic, act.call(z), Symbol(Ref(Q.ACTIVATION, l, j)))
        self.derived_step(ref, symbolic, expansion, act, written)
        return Symbol(ref), written

    def gradients(self, l: int, j: int) -> None:
        """``∂L/∂w⁽ˡ⁾ⱼₖ = δ⁽ˡ⁾ⱼ a⁽ˡ⁻¹⁾ₖ`` for each input k, and ``∂L/∂b⁽ˡ⁾ⱼ = δ⁽ˡ⁾ⱼ``."""
        delta = Symbol(Ref(Q.DELTA, l, j))
        for k in range(1, self.network.layers[l - 1].fan_in + 1):
            source = Ref(Q.INPUT, source=k) if l == 1 else Ref(Q.ACTIVATION, l - 1, k)
            formula = Product((delta, Symbol(source)))
            self.derived_step(Ref(Q.GRAD_WEIGHT, l, j, k), formula, formula)
        self.derived_step(Ref(Q.GRAD_BIAS, l, j), delta, delta)

    def updates(self, l: int) -> None:
        """``w' = w − η ∂L/∂w`` and ``b' = b − η ∂L/∂b`` for every parameter of layer l."""
        eta = Symbol(Ref(Q.LEARNING_RATE))
        layer = self.network.layers[l - 1]
        for j in range(1, layer.size + 1):
            for k in range(1, layer.fan_in + 1):
                formula = Sum((Symbol(Ref(Q.WEIGHT, l, j, k)), Negate(Product(
                    (eta, Symbol(Ref(Q.GRAD_WEIGHT, l, j, k)))))))
                self.derived_step(Ref(Q.UPDATE_WEIGHT, l, j, k), formula, formula)
            formula = Sum((Symbol(Ref(Q.BIAS, l, j)), Negate(Product(
                (eta, Symbol(Ref(Q.GRAD_BIAS, l, j)))))))
            self.derived_step(Ref(Q.UPDATE_BIAS, l, j), formula, formula)


__all__ = ["backward"]
