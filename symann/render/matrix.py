"""The matrix form of each layer, matrices and vectors written out:
``a^{(l)} = \\sigma(W^{(l)} a^{(l-1)} + b^{(l)})``, then ``z^{(l)}`` and ``a^{(l)}``."""
from __future__ import annotations

from collections.abc import Sequence

from ..formula import Derivative, Node, Product, Sum, Symbol, Weighted, refs, replace
from ..model import Dense
from ..numbers import APPROX, EQUALS, Shown
from ..printers.base import Printer
from ..quantities import Quantity, Ref
from ..steps import Derivation, Step
from .blocks import Line, MatrixLayer
from .structure import sections

Q = Quantity


def matrix_blocks(derivation: Derivation, printer: Printer) -> tuple[MatrixLayer, ...]:
    """One block per layer, in matrix form."""
    blocks = []
    previous = printer.numbers([printer.exact(x) for x in derivation.inputs])
    for section in sections(derivation, printer.settings.activation_names):
        l = section.layer
        layer = derivation.network.layers[l - 1]
        steps = {step.ref: step for step in section.steps}
        zs = [steps[Ref(Q.PRE_ACTIVATION, l, j)] for j in range(1, layer.size + 1)]
        activations = [steps[Ref(Q.ACTIVATION, l, j)] for j in range(1, layer.size + 1)]
        affine = Sum((Weighted(Ref(Q.WEIGHT_MATRIX, l), Ref(Q.ACTIVATION, l - 1)),
                      Symbol(Ref(Q.BIAS, l))))
        lines = [Line((printer.ref(Ref(Q.ACTIVATION, l)),
                       printer.symbolic(layer.activation.symbolic(affine))),
                      printer.relation(EQUALS))]
        if l == 1:
            lines.append(Line((printer.ref(Ref(Q.ACTIVATION, 0)), _column(printer, previous)),
                              printer.relation(EQUALS)))
        lines.append(_pre_activation(printer, l, layer, affine, previous, zs))
        total = steps.get(Ref(Q.SOFTMAX_SUM, l))
        if total is not None:
            parts, breaks = printer.step_members(total)
            lines.append(Line(tuple(parts), printer.relation(total.relation), "", breaks))
        lines.append(_activation(printer, l, layer, activations))
        blocks.append(MatrixLayer(section.heading, tuple(lines)))
        previous = printer.numbers([a.shown for a in activations])
    return tuple(blocks)


def column_blocks(widths: Sequence[float], room: float, gap: float) -> list[range]:
    """The columns of a matrix too wide for ``room`` as consecutive blocks that each fit,
    as MATLAB and NumPy print a wide matrix ("columns 1 to 6", "columns 7 to 11"): each
    block as many columns as fit (at least one), ``gap`` between two columns of a block.
    Format-neutral: ``widths`` are the columns' widths in the caller's unit."""
    blocks: list[range] = []
    start, used = 0, 0.0
    for k, width in enumerate(widths):
        if k > start and used + gap + width > room:
            blocks.append(range(start, k))
            start, used = k, width
        else:
            used += (gap if k > start else 0.0) + width
    blocks.append(range(start, len(widths)))
    return blocks


def _column(printer: Printer, cells: list[str]) -> str:
    return printer.grid([[cell] for cell in cells])


def _grid(printer: Printer, rows: list[list[Shown]]) -> str:
    """A matrix of values, all fractions or all decimals (:meth:`Printer.numbers`)."""
    cells = iter(printer.numbers([shown for row in rows for shown in row]))
    return printer.grid([[next(cells) for _ in row] for row in rows])


def _relation(printer: Printer, steps: list[Step]) -> str:
    return printer.relation(EQUALS if all(s.relation == EQUALS for s in steps) else APPROX)


def _pre_activation(printer: Printer, l: int, layer: Dense, affine: Sum, previous: list[str],
                    zs: list[Step]) -> Line:
    """``z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)} = [W] [a] + [b] = [z]``; a long line may
    break after ``[W]`` and before ``+ [b]``."""
    weights = _grid(printer, [[printer.exact(w) for w in row] for row in layer.weights])
    biases = _column(printer, printer.numbers([printer.exact(b) for b in layer.biases]))
    product = printer.implicit(weights, _column(printer, previous))
    result = _column(printer, printer.numbers([z.shown for z in zs]))
    return Line((printer.ref(Ref(Q.PRE_ACTIVATION, l)), printer.symbolic(affine),
                 product + printer.plus + biases, result), _relation(printer, zs), "",
                ((), (), (len(weights), len(product)), ()))


def _activation(printer: Printer, l: int, layer: Dense, activations: list[Step]) -> Line:
    """``a^{(l)} = \\sigma(z^{(l)}) = [each neuron substituted] \\approx [a]``."""
    symbolic = printer.symbolic(layer.activation.symbolic(Symbol(Ref(Q.PRE_ACTIVATION, l))))
    cells = [printer.substituted(a.expansion, dict(a.operands)) for a in activations]
    values = printer.numbers([a.shown for a in activations])
    parts = [printer.ref(Ref(Q.ACTIVATION, l)), symbolic]
    if cells != values:
        parts.append(_column(printer, cells))
    return Line((*parts, _column(printer, values)), _relation(printer, activations))


def backward_matrix_layer(derivation: Derivation, printer: Printer, l: int,
                          heading: str) -> MatrixLayer:
    """One layer of the backward pass in matrix form: ``σ'(z⁽ˡ⁾)``, then
    ``δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ σ'(z⁽ˡ⁾)`` (at the output, the loss's derivative), then
    ``∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ`` and ``∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾``, matrices written out."""
    layer = derivation.network.layers[l - 1]
    steps = {step.ref: step for step in derivation.backward_steps if step.layer == l}
    forward = {step.ref: step for step in derivation.forward_steps if step.layer in (l, l - 1)}
    rows = range(1, layer.size + 1)
    lines = []
    slopes = [steps[r] for r in (Ref(Q.SLOPE, l, j) for j in rows) if r in steps]
    deltas = [steps[Ref(Q.DELTA, l, j)] for j in rows]
    z = Symbol(Ref(Q.PRE_ACTIVATION, l))
    slope_name = printer.symbolic(Derivative(layer.activation.name, (z,),
                                             layer.activation.settings))
    if slopes:   # a kink's note says which neuron's z is 0
        kinks = "; ".join(f"neuron {s.ref.neuron}, {s.note}" for s in slopes if s.note)
        lines.append(_vector_line(printer, slope_name,
                                  printer.symbolic(layer.activation.derivative(z)), slopes,
                                  kinks))
    delta_name = printer.ref(Ref(Q.DELTA, l))
    if l < len(derivation.network.layers):
        above = derivation.network.layers[l]
        weights = _grid(printer, [[printer.exact(w) for w in row] for row in above.weights])
        later = [steps_above.shown for steps_above in (
            _step(derivation, Ref(Q.DELTA, l + 1, m)) for m in range(1, above.size + 1))]
        symbolic = (printer.implicit(printer.transpose(printer.paren(printer.ref(
            Ref(Q.WEIGHT_MATRIX, l + 1)))), printer.ref(Ref(Q.DELTA, l + 1)))
            + printer.hadamard() + slope_name)
        transposed = printer.transpose(weights)
        product = printer.implicit(transposed, _column(
            printer, printer.numbers(later)))
        substituted = product + printer.hadamard() + _column(
            printer, printer.numbers([s.shown for s in slopes]))
        # a narrow page breaks between the matrix and its column, and before the ⊙
        lines.append(Line((delta_name, symbolic, substituted,
                           _column(printer, printer.numbers([d.shown for d in deltas]))),
                          _relation(printer, deltas), "",
                          ((), (), (len(transposed), len(product)), ())))
    elif not slopes:   # the loss and the activation cancel: δ = a − y (the note says why)
        lines.append(_vector_line(printer, delta_name, printer.symbolic(
            _vectorised(deltas[0].symbolic)), deltas, deltas[0].note))
    else:   # (the loss's derivative) ⊙ σ'(z)
        upstream = _upstream(deltas[0].symbolic)
        cells = [printer.substituted(_upstream(d.expansion), dict(d.operands)) for d in deltas]
        written = printer.symbolic(_vectorised(upstream))
        column = _column(printer, cells)
        lines.append(Line((
            delta_name, (printer.paren(written) if isinstance(upstream, Sum) else written)
            + printer.hadamard() + slope_name,
            column + printer.hadamard() + _column(printer, printer.numbers(
                [s.shown for s in slopes])),
            _column(printer, printer.numbers([d.shown for d in deltas]))),
            _relation(printer, deltas), "", ((), (), (len(column),), ())))
    previous = printer.numbers([printer.exact(x) for x in derivation.inputs]) if l == 1 else \
        printer.numbers([forward[Ref(Q.ACTIVATION, l - 1, k)].shown
                         for k in range(1, layer.fan_in + 1)])
    source = Ref(Q.ACTIVATION, l - 1)
    gradients = [[steps[Ref(Q.GRAD_WEIGHT, l, j, k)] for k in range(1, layer.fan_in + 1)]
                 for j in rows]
    flat = [s for row in gradients for s in row]
    column = _column(printer, printer.numbers([d.shown for d in deltas]))
    lines.append(Line((
        printer.ref(Ref(Q.GRAD_WEIGHT, l)),
        printer.implicit(delta_name, printer.transpose(printer.paren(printer.ref(source)))),
        printer.implicit(column, printer.transpose(_column(printer, previous))),
        _grid(printer, [[s.shown for s in row] for row in gradients])),
        _relation(printer, flat), "", ((), (), (len(column),), ())))
    biases = [steps[Ref(Q.GRAD_BIAS, l, j)] for j in rows]
    lines.append(Line((printer.ref(Ref(Q.GRAD_BIAS, l)), delta_name,
                       _column(printer, printer.numbers([s.shown for s in biases]))),
                      _relation(printer, biases)))
    return MatrixLayer(heading, tuple(lines))


def update_matrix_layer(derivation: Derivation, printer: Printer, heading: str) -> MatrixLayer:
    """The gradient-descent step in matrix form: ``W'⁽ˡ⁾ = W⁽ˡ⁾ − η ∂L/∂W⁽ˡ⁾`` and
    ``b'⁽ˡ⁾ = b⁽ˡ⁾ − η ∂L/∂b⁽ˡ⁾`` for each layer."""
    steps = {step.ref: step for step in derivation.backward_steps}
    assert derivation.learning_rate is not None
    eta = printer.number(printer.exact(derivation.learning_rate))
    lines = []
    for l, layer in enumerate(derivation.network.layers, 1):
        rows = range(1, layer.size + 1)
        columns = range(1, layer.fan_in + 1)
        weights = [[(w, Ref(Q.GRAD_WEIGHT, l, j, k), Ref(Q.UPDATE_WEIGHT, l, j, k))
                    for k, w in zip(columns, row)] for j, row in zip(rows, layer.weights)]
        biases = [[(b, Ref(Q.GRAD_BIAS, l, j), Ref(Q.UPDATE_BIAS, l, j))]
                  for j, b in zip(rows, layer.biases)]
        for given, grad, new, cells in (
                (Q.WEIGHT_MATRIX, Q.GRAD_WEIGHT, Q.UPDATE_WEIGHT, weights),
                (Q.BIAS, Q.GRAD_BIAS, Q.UPDATE_BIAS, biases)):
            symbolic = (printer.ref(Ref(given, l)) + printer.minus + printer.implicit(
                printer.ref(Ref(Q.LEARNING_RATE)), printer.ref(Ref(grad, l))))
            before = _grid(printer, [[printer.exact(v) for v, _, _ in row] for row in cells])
            substituted = before + printer.minus + printer.implicit(
                eta, _grid(printer, [[steps[g].shown for _, g, _ in row] for row in cells]))
            updated = [[steps[u] for _, _, u in row] for row in cells]
            lines.append(Line((printer.ref(Ref(new, l)), symbolic, substituted, _grid(
                printer, [[s.shown for s in row] for row in updated])),
                _relation(printer, [s for row in updated for s in row]), "",
                ((), (), (len(before),), ())))
    return MatrixLayer(heading, tuple(lines))


def _step(derivation: Derivation, ref: Ref) -> Step:
    return next(s for s in derivation.steps if s.ref == ref)


def _vector_line(printer: Printer, name: str, symbolic: str, steps: list[Step],
                 note: str = "") -> Line:
    """``name = symbolic = [each neuron substituted] ≈ [values]``, with ``note``."""
    cells = [printer.substituted(s.expansion, dict(s.operands)) for s in steps]
    values = printer.numbers([s.shown for s in steps])
    parts = [name, symbolic]
    if cells != values:
        parts.append(_column(printer, cells))
    return Line((*parts, _column(printer, values)), _relation(printer, steps), note)


def _upstream(delta: Node) -> Node:
    """The factors of an output δ's formula before σ' (the loss's derivative)."""
    assert isinstance(delta, Product)
    factors = delta.factors[:-1]
    return factors[0] if len(factors) == 1 else Product(factors)


def _vectorised(node: Node) -> Node:
    """A neuron's formula with each quantity of the neuron written as its layer's vector
    (``a⁽²⁾₁ − y₁`` as ``a⁽²⁾ − y``)."""
    for ref in refs(node):
        if ref.kind in (Q.ACTIVATION, Q.PRE_ACTIVATION, Q.TARGET, Q.SLOPE, Q.DELTA):
            node = replace(node, Symbol(ref), Symbol(Ref(ref.kind, ref.layer)))
    return node
