"""The matrix form of each layer, matrices and vectors written out:
``a^{(l)} = \\sigma(W^{(l)} a^{(l-1)} + b^{(l)})``, then ``z^{(l)}`` and ``a^{(l)}``."""
from __future__ import annotations

from ..formula import Sum, Symbol, Weighted
from ..model import Dense
from ..numbers import APPROX, EQUALS
from ..printers.base import Printer
from ..quantities import Quantity, Ref
from ..steps import Derivation, Step
from .blocks import Line, MatrixLayer
from .structure import sections

Q = Quantity


def matrix_blocks(derivation: Derivation, printer: Printer) -> tuple[MatrixLayer, ...]:
    """One block per layer, in matrix form."""
    blocks = []
    previous = [printer.number(printer.exact(x)) for x in derivation.inputs]
    for section in sections(derivation):
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
        previous = [printer.number(a.shown) for a in activations]
    return tuple(blocks)


def _column(printer: Printer, cells: list[str]) -> str:
    return printer.grid([[cell] for cell in cells])


def _relation(printer: Printer, steps: list[Step]) -> str:
    return printer.relation(EQUALS if all(s.relation == EQUALS for s in steps) else APPROX)


def _pre_activation(printer: Printer, l: int, layer: Dense, affine: Sum, previous: list[str],
                    zs: list[Step]) -> Line:
    """``z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)} = [W] [a] + [b] = [z]``; a long line may
    break after ``[W]`` and before ``+ [b]``."""
    weights = printer.grid([[printer.number(printer.exact(w)) for w in row]
                              for row in layer.weights])
    biases = _column(printer, [printer.number(printer.exact(b)) for b in layer.biases])
    product = printer.implicit(weights, _column(printer, previous))
    result = _column(printer, [printer.number(z.shown) for z in zs])
    return Line((printer.ref(Ref(Q.PRE_ACTIVATION, l)), printer.symbolic(affine),
                 product + printer.plus + biases, result), _relation(printer, zs), "",
                ((), (), (len(weights), len(product)), ()))


def _activation(printer: Printer, l: int, layer: Dense, activations: list[Step]) -> Line:
    """``a^{(l)} = \\sigma(z^{(l)}) = [each neuron substituted] \\approx [a]``."""
    symbolic = printer.symbolic(layer.activation.symbolic(Symbol(Ref(Q.PRE_ACTIVATION, l))))
    cells = [printer.substituted(a.expansion, dict(a.operands)) for a in activations]
    values = [printer.number(a.shown) for a in activations]
    parts = [printer.ref(Ref(Q.ACTIVATION, l)), symbolic]
    if cells != values:
        parts.append(_column(printer, cells))
    return Line((*parts, _column(printer, values)), _relation(printer, activations))
