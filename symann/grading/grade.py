"""The checker: each answered step judged against the derivation, with follow-through.

Statuses: ``correct``; ``follow_through`` (wrong only because an earlier answer was wrong:
right when recomputed from the student's own earlier values); ``incorrect`` (with a
diagnosis when a common mistake explains it); ``missing``; ``unparseable``; ``undecided``
(a formula whose equivalence could not be decided: no credit, never called incorrect).

Every comparison is exact: an answer is a fraction wherever its arithmetic is rational,
and so is every reference value that is rational (every ``z`` computed from shown values).
"""
from __future__ import annotations

import functools
import math
import numbers
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import mpmath
import sympy

from ..errors import InputError
from ..formula import Ref
from ..notation import Name, notation as resolve, is_chain
from ..numbers import exact, precise
from ..steps import Derivation, Step, symbol
from ..render.text import TextPrinter
from .diagnose import Context, diagnose
from .equivalence import SAME, UNDECIDED, equivalent
from .evaluate import Number, approximate, to_mpf, value as evaluate_tree
from .parse import AnswerError, normalise_name, parse
from .recompute import given_values, recompute
from .tolerance import Tolerance

STATUSES = ("correct", "follow_through", "incorrect", "missing", "unparseable", "undecided")
FORMULA = "_formula"
_PLAIN = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?\s*")


@dataclass(frozen=True)
class Verdict:
    """The judgement of one step."""

    id: str
    status: str
    expected: str
    given: str
    message: str
    credit: float = 0.0
    diagnosis: str | None = None


@dataclass(frozen=True)
class Report:
    """Every checked step's verdict and the score (credit per step, follow-through counts)."""

    verdicts: tuple[Verdict, ...]
    score: float
    total: int
    tolerance: str = ""

    @property
    def passed(self) -> bool:
        """Every asked step answered and correct (what exit status 0 means): a missing
        step, or an empty submission, is not a pass."""
        return bool(self.verdicts) and all(v.status == "correct" for v in self.verdicts)

    def counts(self) -> dict[str, int]:
        return {status: sum(v.status == status for v in self.verdicts) for status in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        from .report import report_dict
        return report_dict(self)

    def to_json(self, indent: int | None = 2) -> str:
        from .report import report_json
        return report_json(self, indent)

    def to_text(self) -> str:
        from .report import report_text
        return report_text(self)


@dataclass
class _Answer:
    text: str
    value: Number | None = None
    tree: tuple | None = None
    error: str = ""


@dataclass
class _Chains:
    written: dict      # Ref -> the student's value (their answers, else recomputed)
    carried: dict      # Ref -> the student's unrounded value
    own_written: dict  # step id -> the step recomputed from the written chain
    own_carried: dict  # step id -> the step recomputed from the unrounded chain


def _same(a: Number, b: Number) -> bool:
    """Equal: exactly for fractions, else to 55 digits (60-digit values of one quantity)."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    a, b = to_mpf(a), to_mpf(b)
    return bool(abs(a - b) <= precise.mpf(10) ** -55 * max(1, abs(b)))


def _finite(x: Number) -> bool:
    return isinstance(x, Fraction) or bool(precise.isfinite(x))


def _credit(credit: Any) -> float:
    """The follow-through credit: a finite number from 0 to 1."""
    if isinstance(credit, bool) or not isinstance(credit, numbers.Real) or \
            not math.isfinite(credit) or not 0 <= credit <= 1:
        raise InputError(f"expected a number from 0 to 1, got {credit!r}",
                         field="follow_through_credit")
    return float(credit)


def step_rational(step: Step) -> Fraction | None:
    """The step's exact value when it is rational, else None."""
    if hasattr(type(step), "rational"):
        return step.rational
    return Fraction(int(step.exact.p), int(step.exact.q)) if step.exact.is_Rational else None


def references(step: Step, carry: str) -> tuple[Number, Number]:
    """The step's exact value and the value of its substituted line (from the values it
    shows), each a fraction when rational, else its value to at least 60 digits."""
    exact_value = step_rational(step)
    if exact_value is None:
        exact_value = _refined(lambda: step.exact, step.approximation)
    if hasattr(type(step), "computed_rational"):
        computed = step.computed_rational
        if computed is None:
            computed = step.computed
    elif carry == "exact":
        computed = exact_value
    else:
        computed = _computed(step)
    if not isinstance(computed, Fraction):
        computed = _refined(lambda: _computed_expression(step), computed)
    return exact_value, computed


def _computed(step: Step) -> Number:
    """The substituted line's value from the shown operands, exactly where rational."""
    try:
        mine = recompute(step, {ref: shown.value for ref, shown in step.operands})
    except (KeyError, TypeError, ZeroDivisionError):
        return step.computed
    if not _finite(mine) or abs(to_mpf(mine) - step.computed) > \
            precise.mpf(10) ** -40 * max(1, abs(step.computed)):
        return step.computed       # e.g. a softmax sum carried exactly: trust the step
    return mine


def _computed_expression(step: Step) -> Any:
    return step.expression.subs({symbol(ref): sympy.Rational(shown.value.numerator,
                                                                 shown.value.denominator)
                                     for ref, shown in step.operands})


def _refined(expression: Callable[[], Any], approximation: Any) -> Number:
    """An irrational value: its 60-digit approximation, or, within 10^-50 of a power of
    ten (where the magnitude of σ(200) = 1 - 10^-87 would be misjudged), 150 digits."""
    if isinstance(approximation, Fraction) or not precise.isfinite(approximation) \
            or approximation == 0:
        return approximation
    power = precise.mpf(10) ** precise.nint(precise.log10(abs(approximation)))
    if abs(abs(approximation) - power) > power * precise.mpf(10) ** -50:
        return approximation
    try:
        refined = sympy.N(expression(), 150)
        return _sympy_fraction(refined) if refined.is_Float else approximation
    except Exception:  # pragma: no cover - only a refinement
        return approximation


def _sympy_fraction(value: Any) -> Fraction:
    sign, man, exp, _ = value._mpf_
    man = -int(man) if sign else int(man)
    return Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)


class _AtWorkingPrecision(dict):
    """The student's values as mpfs, each converted when it is first read."""

    def __init__(self, values: Mapping) -> None:
        super().__init__()
        self.values = values

    def __missing__(self, ref):
        value = self[ref] = to_mpf(self.values[ref])
        return value

    def keys(self):
        return self.values.keys()

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


class _Lazy:
    """A value computed the first time it is needed (the student's chain of values)."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute = compute
        self._value: Any = None

    @property
    def value(self) -> Any:
        if self._value is None:
            self._value = self._compute()
        return self._value


def read_answer(raw: Any) -> _Answer:
    """An answer from a file or Python: a number, or a text for the safe parser."""
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if _PLAIN.fullmatch(text):
                return _Answer(text, exact(text))
            tree = parse(text)
            return _Answer(text, evaluate_tree(tree), tree)
        except AnswerError as error:
            return _Answer(text[:200], error=str(error))
        except InputError as error:
            return _Answer(text[:200], error=error.message)
    try:
        return _Answer(str(raw), exact(raw))
    except InputError as error:
        return _Answer(str(raw)[:40], error=error.message)


class Checker:
    """Checks answers against one derivation; build it once, check many students."""

    def __init__(self, derivation: Derivation, tolerance: Tolerance = Tolerance(), *,
                 step_tolerances: Mapping[str, Tolerance] | None = None, reveal: bool = True,
                 follow_through_credit: float = 1.0) -> None:
        self.derivation = derivation
        self.tolerance = tolerance
        self.step_tolerances = dict(step_tolerances or {})
        self.reveal = reveal
        self.follow_through_credit = _credit(follow_through_credit)
        self.steps = {step.id: step for step in derivation.steps}
        unknown = sorted(set(self.step_tolerances) - set(self.steps))
        if unknown:
            raise InputError(f"no step {unknown[0]!r}", field="step tolerance")
        self.given = given_values(derivation)
        self.given_exact = given_values(derivation, exact=True)
        self.true = dict(self.given)
        self.true.update({step.ref: step.approximation for step in derivation.steps})
        self.true_exact = dict(self.given_exact)
        self.references: dict[str, list[tuple[float, Number]]] = {}
        for step in derivation.steps:
            exact_value, computed = references(step, derivation.carry)
            self.true_exact[step.ref] = exact_value
            pair = [exact_value] if computed == exact_value else [exact_value, computed]
            self.references[step.id] = [(approximate(v), v) for v in pair]
        self.diagnoses: dict = {}   # candidates from the true values, per step
        self._chains: dict = {}     # the students' chains, by their readable answers
        self.printer = TextPrinter(resolve(derivation.network))
        self.names = functools.lru_cache(maxsize=None)(self.printer.ref)
        spellings = formula_names(derivation)
        self.spellings = {written: ref.plain for written, ref in spellings.items()}
        self.keys = {ref.plain: ref for ref in spellings.values()}

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id an answer may use: the steps, then their ``_formula`` forms."""
        return tuple(self.steps) + tuple(f"{i}{FORMULA}" for i in self.steps)

    def check(self, answers: Mapping[str, Any], steps: Sequence[str] | None = None) -> Report:
        """Judge ``answers`` (step id -> number or text). ``steps``: the ids asked (default:
        every step, and the formula ids that were answered)."""
        for key in answers:
            if key not in self.steps and not (key.endswith(FORMULA)
                                              and key[: -len(FORMULA)] in self.steps):
                raise InputError(f"no step {key!r}; steps are {', '.join(self.steps)} "
                                 f"(and each with {FORMULA})", field=str(key))
        asked = list(steps) if steps is not None else list(self.steps) + [
            key for key in answers if key.endswith(FORMULA)]
        read = {key: read_answer(value) for key, value in answers.items()
                if key in asked and not key.endswith(FORMULA) and value not in ("", None)}
        student = _Lazy(lambda: self._chains_of(read))
        verdicts = []
        for key in asked:
            if key.endswith(FORMULA):
                verdicts.append(self._formula(key, answers.get(key)))
            else:
                verdicts.append(self._numeric(self.steps[key], read.get(key), student, key))
        total = len(verdicts)
        score = math.fsum(v.credit for v in verdicts)
        return Report(tuple(verdicts), score, total,
                      self.tolerance.describe(self.derivation.digits))

    def _chains_of(self, read: Mapping[str, _Answer]) -> "_Chains":
        """The student's chains, shared by every student who gave the same values."""
        key = tuple(sorted((i, answer.text) for i, answer in read.items()
                           if answer.value is not None))
        chains = self._chains.get(key)
        if chains is None:
            if len(self._chains) >= 4096:
                self._chains.clear()
            chains = self._chains[key] = self._student_chains(read)
        return chains

    def _student_chains(self, read: Mapping[str, _Answer]) -> "_Chains":
        """The student's own values, two ways (follow-through is judged against both):

        * *written*: their answer where they gave a readable one, else what their earlier
          values give;
        * *carried*: each step recomputed from their earlier values without rounding, their
          answer taking over only where it departs from that (a slip): the chain of a
          student who carries more digits than they write.

        Values are fractions where rational, so a follow-through tie is decided exactly.
        """
        written, carried = dict(self.given_exact), dict(self.given_exact)
        own_written: dict[str, Number] = {}
        own_carried: dict[str, Number] = {}
        for step in self.derivation.steps:
            own_written[step.id] = first = recompute(step, written)
            own_carried[step.id] = second = recompute(step, carried)
            answer = read.get(step.id)
            given = answer.value if answer is not None else None
            written[step.ref] = given if given is not None else first
            tolerance = self.step_tolerances.get(step.id, self.tolerance)
            if given is not None and not (_finite(second) and tolerance.accepts(
                    given, second, self.derivation.digits)):
                carried[step.ref] = given
            else:
                carried[step.ref] = second
        return _Chains(written, carried, own_written, own_carried)

    def _numeric(self, step: Step, answer: _Answer | None, lazy: "_Lazy",
                 step_id: str = "") -> Verdict:
        step_id = step_id or step.id
        expected = step.shown.text
        shown = expected if self.reveal else ""
        if answer is None:
            return Verdict(step_id, "missing", shown, "", "no answer")
        if answer.value is None:
            return Verdict(step_id, "unparseable", shown, answer.text,
                           f"could not read the answer: {answer.error}")
        tolerance = self.step_tolerances.get(step_id, self.tolerance)
        digits = self.derivation.digits
        quick = approximate(answer.value)
        if any(tolerance.near(quick, approximate_value, digits) and
               tolerance.accepts(answer.value, reference, digits)
               for approximate_value, reference in self.references[step_id]):
            return Verdict(step_id, "correct", shown, answer.text, "correct", 1.0)
        chains: _Chains = lazy.value
        for values, own in ((chains.written, chains.own_written[step_id]),
                            (chains.carried, chains.own_carried[step_id])):
            if not self._departs(step, values):
                continue        # the student's own values are the true ones: no follow-through
            if _finite(own) and tolerance.near(quick, approximate(own), digits) and \
                    tolerance.accepts(answer.value, own, digits):
                return Verdict(step_id, "follow_through", shown, answer.text,
                               self._follow_message(step, chains.written),
                               self.follow_through_credit)
        student = _AtWorkingPrecision(chains.written)
        context = Context(self.derivation, self.true, student, self.names, self.diagnoses)
        found = diagnose(step, answer.value, context, tolerance)
        why = f"; {found.message}" if found else ""
        reveal = f" (expected {self.names(step.ref)} {step.relation} {expected})" if self.reveal else ""
        return Verdict(step_id, "incorrect", shown, answer.text, f"incorrect{why}{reveal}",
                       0.0, found.code if found else None)

    def _departs(self, step: Step, values: Mapping[Ref, Number]) -> bool:
        """Whether any earlier value the step uses differs from the true one in ``values``."""
        return any(not _same(values[ref], self.true_exact[ref])
                   for ref, _ in step.operands if ref.kind in "zas")

    def _follow_message(self, step: Step, student: Mapping) -> str:
        used = [ref for ref, _ in step.operands if ref.kind in "zas" and
                not _same(student[ref], self.true_exact[ref])]
        named = ", ".join(self.names(ref) for ref in used) or "earlier values"
        reveal = f"; the correct value is {step.shown.text}" if self.reveal else ""
        return f"follow-through: right for your own {named} (not the correct value){reveal}"

    def _formula(self, key: str, raw: Any) -> Verdict:
        step = self.steps[key[: -len(FORMULA)]]
        expected = self.printer.symbolic(step.symbolic) if self.reveal else ""
        if raw in (None, ""):
            return Verdict(key, "missing", expected, "", "no answer")
        if not isinstance(raw, str):
            return Verdict(key, "unparseable", expected, str(raw)[:40],
                           "could not read the answer: a formula is expected, not a number")
        try:
            tree = parse(raw, self.spellings)
        except AnswerError as error:
            return Verdict(key, "unparseable", expected, raw[:200],
                           f"could not read the answer: {error}")
        try:
            verdict, how = equivalent(self.derivation, step, tree, self.keys)
        except AnswerError as error:
            return Verdict(key, "unparseable", expected, raw[:200],
                           f"could not read the answer: {error}")
        if verdict == SAME:
            return Verdict(key, "correct", expected, raw, f"correct ({how})", 1.0)
        if verdict == UNDECIDED:
            return Verdict(key, "undecided", expected, raw, f"no credit: {how}")
        reveal = f" (expected {self.names(step.ref)} = {expected})" if self.reveal else ""
        return Verdict(key, "incorrect", expected, raw, f"incorrect: {how}{reveal}")


def formula_names(derivation: Derivation) -> dict[str, Ref]:
    """Every spelling a formula answer may use for a quantity (normalised), in the chain
    notation where it applies and in the layered one; ``a^{(0)}_k`` is ``x_k``."""
    network = derivation.network
    notations = [resolve(network, "layered")]
    if is_chain(network):
        notations.append(resolve(network, "chain"))
    refs = [ref for step in derivation.steps for ref, _ in step.operands] + \
        [step.ref for step in derivation.steps]
    names: dict[str, Ref] = {}
    for ref in refs:
        for notation in notations:
            for spelling in _spellings(notation.name(ref)):
                names.setdefault(spelling, ref)
        if ref.kind == "x":
            names.setdefault(normalise_name(f"a^(0)_{ref.source}"), ref)
    return names


def _spellings(name: Name) -> list[str]:
    layer = f"^({name.layer})" if name.layer is not None else ""
    if not name.indices:
        return [normalise_name(name.base + layer)]
    joined = "".join(str(i) for i in name.indices)
    commas = ",".join(str(i) for i in name.indices)
    return [normalise_name(f"{name.base}{layer}_{sub}") for sub in {joined, commas}]


def check(network_or_derivation: Any, answers: Mapping[str, Any], *,
          tolerance: Tolerance | str = Tolerance(), digits: int = 4,
          steps: Sequence[str] | None = None, **options: Any) -> Report:
    """Check ``answers`` (step id -> answer) for a network (or a derivation)."""
    derivation = network_or_derivation if isinstance(network_or_derivation, Derivation) \
        else network_or_derivation.forward(digits=digits)
    if isinstance(tolerance, str):
        tolerance = Tolerance.parse(tolerance)
    return Checker(derivation, tolerance, **options).check(answers, steps)


__all__ = ["Checker", "Report", "Verdict", "check", "read_answer", "STATUSES"]
