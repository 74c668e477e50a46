"""An independent reference for symann's worked forward pass: what every step must show.

Written from the README only (never from symann/forward.py, numbers.py or grading/*):
values that are rational are kept as exact ``fractions.Fraction``s, every other value is an
mpmath number in a private context at 110 significant digits.

Definitions encoded here (README "Command line", "--format json" table, and
``symann solve examples/relu-softmax.json``):

* ``exact``: the step's true value, every earlier step carried exactly.
* ``computed``: the value the step's line computes from the values carried into it:
  the exact ones (``carry="exact"``) or the shown, rounded ones (``carry="shown"``, the
  course's way). Under carry shown every ``z`` is therefore a rational number.
  A softmax layer has a sum step ``s{l} = Σ_j e^{z_j}`` and ``a_j = e^{z_j} / s``, with
  ``s`` the shown sum under carry shown (unless that rounds to 0: then it is carried
  unrounded, README commit "A softmax sum that rounds to 0 is carried exactly").
* the shown number ``N`` is ``computed`` rounded half-up (ties away from zero, like
  ``decimal.ROUND_HALF_UP``) to ``digits`` places, decided exactly.
* ``relation`` is ``"="`` when the step's value is exactly ``N`` -- both its exact value
  and the value its line computes -- and ``"≈"`` otherwise ("≈ marks a rounded value").
* ``text``: ``N`` without padding when the relation is ``"="`` (``0.415``, ``-0.66``,
  ``1``, ``0``), else ``N`` with exactly ``digits`` decimals (``0.6023``, ``-0.8967``,
  ``0.5000``). A minus sign is printed for every negative ``N``; zero has no sign.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import mpmath

MP = mpmath.MPContext()
MP.dps = 110
# an mpmath value this close to a rounding boundary cannot be decided (it would take a
# proof that it is, or is not, exactly on it): callers reject such examples
EPS = MP.mpf(10) ** -90

Value = Fraction | Any  # Fraction or MP.mpf

ACTIVATIONS = ("identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax")


class Undecidable(Exception):
    """A value within 1e-90 of a rounding boundary: the example cannot be decided."""


# ---------------------------------------------------------------------------- numbers

def frac(text: Any) -> Fraction:
    """An exact number from a decimal or fraction text (``"-0.45"``, ``"1/3"``)."""
    if isinstance(text, Fraction):
        return text
    if isinstance(text, int):
        return Fraction(text)
    return Fraction(str(text))


def is_exact(x: Value) -> bool:
    return isinstance(x, Fraction)


def mp(x: Value):
    if isinstance(x, Fraction):
        return MP.mpf(x.numerator) / x.denominator
    return x


def mp_to_fraction(x) -> Fraction:
    negative, man, exp, _ = MP.mpf(x)._mpf_   # (sign, mantissa, exponent, bits)
    value = Fraction(int(man)) * (Fraction(2) ** int(exp))
    return -value if negative else value


def add(values: Sequence[Value]) -> Value:
    if all(is_exact(v) for v in values):
        return sum(values, Fraction(0))
    return MP.fsum([mp(v) for v in values])


def mul(a: Value, b: Value) -> Value:
    if (is_exact(a) and a == 0) or (is_exact(b) and b == 0):
        return Fraction(0)
    if is_exact(a) and is_exact(b):
        return a * b
    return mp(a) * mp(b)


def div(a: Value, b: Value) -> Value:
    if is_exact(a) and is_exact(b):
        return a / b
    if is_exact(a) and a == 0:
        return Fraction(0)
    return mp(a) / mp(b)


def exp(z: Value) -> Value:
    if is_exact(z) and z == 0:
        return Fraction(1)
    return MP.exp(mp(z))


def sign(z: Value) -> int:
    if is_exact(z):
        return (z > 0) - (z < 0)
    if abs(z) < EPS:
        raise Undecidable(f"sign of {z}")
    return 1 if z > 0 else -1


def activate(name: str, settings: dict, z: Value) -> Value:
    if name == "identity":
        return z
    if name == "relu":
        return z if sign(z) > 0 else Fraction(0)
    if name == "leaky_relu":
        slope = frac(settings.get("slope", "0.01"))
        return z if sign(z) >= 0 else mul(slope, z)
    if name == "step":
        s = sign(z)
        return Fraction(1) if s > 0 else Fraction(0) if s < 0 else frac(settings.get("at_zero", 1))
    if name == "sigmoid":
        if is_exact(z) and z == 0:
            return Fraction(1, 2)
        return 1 / (1 + MP.exp(-mp(z)))
    if name == "tanh":
        if is_exact(z) and z == 0:
            return Fraction(0)
        return MP.tanh(mp(z))
    raise ValueError(name)


# --------------------------------------------------------------------------- rounding

def unit(digits: int) -> Fraction:
    return Fraction(1, 10 ** digits)


def round_half_up(x: Value, digits: int) -> Fraction:
    """``x`` rounded to ``digits`` places, ties away from zero; exact for Fractions."""
    scale = 10 ** digits
    if not is_exact(x):
        q = mp(x) * scale
        # decide only what is decidable: not within EPS of a tie or of a representable value
        fl = MP.floor(abs(q))
        dist = abs(q) - fl
        if abs(dist - MP.mpf(0.5)) < EPS * scale or dist < EPS * scale or 1 - dist < EPS * scale:
            raise Undecidable(f"{x} at {digits} places")
        x = mp_to_fraction(x)
    q = abs(x) * scale
    n = (q.numerator * 2 + q.denominator) // (2 * q.denominator)  # floor(q + 1/2)
    return Fraction(n if x >= 0 else -n, scale)


def is_tie(x: Value, digits: int) -> bool:
    """Is ``x`` exactly half a unit of the last place from two roundings?"""
    if not is_exact(x):
        return False
    q = x * 10 ** digits
    return (q - Fraction(q.numerator // q.denominator)) == Fraction(1, 2)


def decimal_text(n: Fraction, digits: int, pad: bool) -> str:
    """``n`` (a multiple of 10^-digits) as text: padded to ``digits`` places or minimal."""
    scale = 10 ** digits
    assert (n * scale).denominator == 1, n
    d = Decimal(int(n * scale)).scaleb(-digits)
    if n == 0:
        return "0." + "0" * digits if pad and digits else "0"
    return f"{d:.{digits}f}" if pad else format(d.normalize(), "f")


def shown_text(computed: Value, exact: Value, digits: int) -> tuple[Fraction, str, str]:
    """(N, text, relation) of a step whose line computes ``computed`` and whose true value
    is ``exact``."""
    n = round_half_up(computed, digits)
    if not is_exact(exact):
        round_half_up(exact, digits)  # raises Undecidable where exact might equal N
    equal = is_exact(computed) and computed == n and is_exact(exact) and exact == n
    return n, decimal_text(n, digits, pad=not equal), ("=" if equal else "≈")


def accepts(answer: Fraction, reference: Value, digits: int) -> bool:
    """Is ``answer`` right for ``reference`` at ``digits`` places (README: within half a
    unit of the last place; at exactly half a unit only when the answer is the reference
    rounded half-up, i.e. away from zero)?"""
    half = unit(digits) / 2
    if is_exact(reference):
        d = abs(answer - reference)
        if d < half:
            return True
        return d == half and abs(answer) > abs(reference)
    d = abs(mp(answer) - mp(reference))
    if abs(d - mp(half)) < EPS:
        raise Undecidable("answer at half a unit of an irrational value")
    return d < mp(half)


# ---------------------------------------------------------------------------- network

@dataclass
class Layer:
    weights: list[list[Fraction]]
    biases: list[Fraction]
    activation: str
    settings: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.biases)


@dataclass
class Net:
    inputs: list[Fraction]
    layers: list[Layer]
    # the texts the network was written with (to build symann networks from exact strings)
    input_texts: list[str] = field(default_factory=list)
    weight_texts: list[list[list[str]]] = field(default_factory=list)
    bias_texts: list[list[str]] = field(default_factory=list)

    @classmethod
    def from_texts(cls, inputs: list[str], layers: list[tuple[list[list[str]], list[str], Any]]):
        built = []
        for weights, biases, act in layers:
            if isinstance(act, dict):
                settings = {k: v for k, v in act.items() if k != "name"}
                name = act["name"]
            else:
                name, settings = act, {}
            built.append(Layer([[frac(w) for w in row] for row in weights],
                               [frac(b) for b in biases], name, settings))
        return cls([frac(x) for x in inputs], built, list(inputs),
                   [[list(r) for r in w] for w, _, _ in layers], [list(b) for _, b, _ in layers])

    def symann(self):
        import symann
        layers = []
        for layer, w, b in zip(self.layers, self.weight_texts, self.bias_texts):
            act: Any = layer.activation
            if layer.settings:
                act = {"name": layer.activation, **{k: str(v) for k, v in layer.settings.items()}}
            layers.append(symann.Dense(w, b, act))
        return symann.Network(layers, inputs=list(self.input_texts))

    def to_toml(self) -> str:
        def arr(xs):
            return "[" + ", ".join(f'"{x}"' for x in xs) + "]"
        lines = [f"inputs = {arr(self.input_texts)}"]
        for layer, w, b in zip(self.layers, self.weight_texts, self.bias_texts):
            lines.append("\n[[layers]]")
            lines.append("weights = [" + ", ".join(arr(r) for r in w) + "]")
            lines.append(f"biases = {arr(b)}")
            if layer.settings:
                inner = ", ".join(f'{k} = "{v}"' for k, v in layer.settings.items())
                lines.append(f'activation = {{ name = "{layer.activation}", {inner} }}')
            else:
                lines.append(f'activation = "{layer.activation}"')
        return "\n".join(lines) + "\n"


@dataclass
class OStep:
    id: str
    quantity: str
    layer: int
    neuron: int | None
    exact: Value          # true value (exact carry all the way)
    computed: Value       # what the line computes from the carried values
    from_shown: Value     # what the line computes from the *shown* values before it
    shown: Fraction       # N
    text: str
    relation: str
    depends: frozenset    # ids of all earlier steps this one depends on (transitively)


def _run(net: Net, digits: int, carry: str):
    """One pass. Returns {id: (computed, shown N, from_shown, depends)} in step order."""
    out: dict[str, tuple] = {}
    prev_carried: list[Value] = list(net.inputs)
    prev_shown: list[Value] = list(net.inputs)
    prev_ids: list[str | None] = [None] * len(net.inputs)

    def carry_value(v: Value, n: Fraction) -> Value:
        return v if carry == "exact" else n

    def deps_of(ids) -> frozenset:
        s: set = set()
        for i in ids:
            if i is not None:
                s.add(i)
                s |= out[i][3]
        return frozenset(s)

    for l, layer in enumerate(net.layers, start=1):
        zc, zs, zids = [], [], []
        for j in range(layer.size):
            row = layer.weights[j]
            terms = [mul(x, w) for x, w in zip(prev_carried, row)]
            computed = add(terms + [layer.biases[j]])
            from_shown = add([mul(x, w) for x, w in zip(prev_shown, row)] + [layer.biases[j]])
            zid = f"z{l}_{j + 1}"
            n = round_half_up(computed, digits)
            dep_ids = [i for i, w in zip(prev_ids, row) if w != 0]
            out[zid] = (computed, n, from_shown, deps_of(dep_ids))
            zc.append(carry_value(computed, n))
            zs.append(n)
            zids.append(zid)
            if layer.activation != "softmax":
                a = activate(layer.activation, layer.settings, carry_value(computed, n))
                a_fs = activate(layer.activation, layer.settings, n)
                aid = f"a{l}_{j + 1}"
                an = round_half_up(a, digits)
                out[aid] = (a, an, a_fs, deps_of([zid]))
        if layer.activation == "softmax":
            sid = f"s{l}"
            s = add([exp(z) for z in zc])
            s_fs = add([exp(z) for z in zs])
            sn = round_half_up(s, digits)
            out[sid] = (s, sn, s_fs, deps_of(zids))
            s_carried = s if (carry == "exact" or sn == 0) else sn
            s_shown_carried = s_fs if sn == 0 else sn
            for j in range(layer.size):
                if s_carried is s and all(_same(z, zc[0]) for z in zc):
                    a = Fraction(1, layer.size)  # e^z / (n e^z), exactly
                else:
                    a = div(exp(zc[j]), s_carried)
                a_fs = div(exp(zs[j]), s_shown_carried)
                aid = f"a{l}_{j + 1}"
                out[aid] = (a, round_half_up(a, digits), a_fs, deps_of(zids + [sid]))
        prev_carried, prev_shown, prev_ids = [], [], []
        for j in range(layer.size):
            aid = f"a{l}_{j + 1}"
            v, n = out[aid][0], out[aid][1]
            prev_carried.append(carry_value(v, n))
            prev_shown.append(n)
            prev_ids.append(aid)
    return out


def _same(a: Value, b: Value) -> bool:
    if is_exact(a) != is_exact(b):
        return False
    return a == b


def solve(net: Net, digits: int = 4, carry: str = "shown") -> dict[str, OStep]:
    """The oracle's derivation: step id -> OStep, in symann's step order."""
    assert carry in ("shown", "exact")
    exact_run = _run(net, digits, "exact")
    run = exact_run if carry == "exact" else _run(net, digits, carry)
    steps: dict[str, OStep] = {}
    for sid, (computed, n, from_shown, deps) in run.items():
        exact = exact_run[sid][0]
        n2, text, relation = shown_text(computed, exact, digits)
        assert n2 == n
        quantity = sid[0]
        layer = int(sid[1:].split("_")[0])
        neuron = int(sid.split("_")[1]) if "_" in sid else None
        steps[sid] = OStep(sid, quantity, layer, neuron, exact, computed, from_shown, n, text,
                           relation, deps)
    return steps


def references(net: Net, digits: int, carry: str) -> dict[str, list[Value]]:
    """Every value an answer to a step may be right for, per the README's tolerance: the
    exact value, the course's value (computed from the shown values) under either carry,
    and the value computed from this derivation's shown values before the step."""
    mine = solve(net, digits, carry)
    other = solve(net, digits, "exact" if carry == "shown" else "shown")
    return {sid: [s.exact, s.computed, s.from_shown, other[sid].computed, other[sid].from_shown]
            for sid, s in mine.items()}


def accepted(answer: Fraction, refs: list[Value], digits: int) -> bool:
    return any(accepts(answer, r, digits) for r in refs)


# ---------------------------------------------------------------------- student chains

def student_chain(net: Net, digits: int, wrong: dict[str, Fraction], rounded: bool
                  ) -> dict[str, Value]:
    """The values a student writes who gets the steps in ``wrong`` wrong (writing those
    values) and computes every other step correctly from their *own* earlier values:
    rounded to ``digits`` at each step and carried (``rounded=True``), or carried at full
    precision (``rounded=False``)."""
    written: dict[str, Value] = {}

    def put(sid: str, v: Value) -> Value:
        if sid in wrong:
            v = wrong[sid]
        if rounded:
            v = round_half_up(v, digits)
        written[sid] = v
        return v

    prev: list[Value] = list(net.inputs)
    for l, layer in enumerate(net.layers, start=1):
        zs = []
        for j in range(layer.size):
            z = add([mul(x, w) for x, w in zip(prev, layer.weights[j])] + [layer.biases[j]])
            z = put(f"z{l}_{j + 1}", z)
            zs.append(z)
            if layer.activation != "softmax":
                put(f"a{l}_{j + 1}", activate(layer.activation, layer.settings, z))
        if layer.activation == "softmax":
            s = put(f"s{l}", add([exp(z) for z in zs]))
            if s == 0:
                raise Undecidable("the student's softmax sum rounds to 0")
            for j in range(layer.size):
                put(f"a{l}_{j + 1}", div(exp(zs[j]), s))
        prev = [written[f"a{l}_{j + 1}"] for j in range(layer.size)]
    return written


def answer_text(v: Value, digits: int, rounded: bool) -> str:
    """How the student writes ``v``: ``digits`` places, or 14 places (full precision)."""
    if rounded:
        return decimal_text(round_half_up(v, digits), digits, pad=True)
    if is_exact(v) and (v * 10 ** 14).denominator == 1:
        return decimal_text(v, 14, pad=False)
    return decimal_text(round_half_up(v, 14), 14, pad=True)
