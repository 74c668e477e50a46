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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..formula import Settings
from ..model import Network
from ..notation import notation as resolve, notations, spellings
from ..numbers import exact
from ..printers.text import TextPrinter
from ..quantities import Quantity, Ref
from ..reals import Real
from ..steps import Derivation, Step
from .answers import value as answer_value
from .diagnose import Candidate, Context, diagnose
from .equivalence import SAME, UNDECIDED, equivalent
from .parse import parse
from .recompute import given_values, recompute
from .references import references
from .report import report_dict, report_json, report_text
from .tokens import AnswerError, normalise_name
from .tolerance import Tolerance
from .values import Number, approximate, finite, number

STATUSES = ("correct", "follow_through", "incorrect", "missing", "unparseable", "undecided")
FORMULA = "_formula"
MAX_REMEMBERED = 4096   # distinct answers (and students' chains) a checker keeps
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
        return report_dict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return report_json(self, indent)

    def to_text(self) -> str:
        return report_text(self)


@dataclass(frozen=True)
class Answer:
    """A numeric answer as read: its value (exact where rational) and, for the tolerance,
    that value as a number; or why it could not be read."""

    text: str
    real: Real | None = None
    value: Number | None = None
    error: str = ""


def _read(text: str, real: Real) -> Answer:
    return Answer(text, real, number(real))


@dataclass
class _Chains:
    """A student's own values (see :meth:`Checker._student_chains`), and the diagnoses
    computed from them."""

    written: dict[Ref, Real]      # their answers, else recomputed
    carried: dict[Ref, Real]      # their unrounded values
    own_written: dict[str, Number | None]   # each step recomputed from the written chain
    own_carried: dict[str, Number | None]   # each step recomputed from the unrounded chain
    slipped: set[Ref]             # wrong answers, and what is computed from them unanswered
    diagnoses: dict[Ref, list[Candidate]] = field(default_factory=dict)


def _credit(credit: Any) -> float:
    """The follow-through credit: a finite number from 0 to 1."""
    if isinstance(credit, bool) or not isinstance(credit, numbers.Real) or \
            not math.isfinite(credit) or not 0 <= float(credit) <= 1:
        raise InputError(f"expected a number from 0 to 1, got {credit!r}",
                         field="follow_through_credit")
    return float(credit)


def read_answer(raw: Any, settings: Mapping[str, Settings] | None = None) -> Answer:
    """An answer from a file or Python: a number, or a text for the safe parser
    (``settings``: the registry functions' settings where the network configures them)."""
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if _PLAIN.fullmatch(text):
                return _read(text, Real(exact(text)))
            return _read(text, answer_value(parse(text, settings=settings)))
        except AnswerError as error:
            return Answer(text[:200], error=str(error))
        except InputError as error:
            return Answer(text[:200], error=error.message)
    try:
        return _read(str(raw), Real(exact(raw)))
    except InputError as error:
        return Answer(str(raw)[:40], error=error.message)


def layer_settings(network: Network) -> list[dict[str, Settings]]:
    """For each layer, the settings of each registry function the network configures: the
    layer's own activation's, else the first layer's that uses the function."""
    everywhere: dict[str, Settings] = {}
    for layer in network.layers:
        everywhere.setdefault(layer.activation.name, layer.activation.settings)
    return [{**everywhere, layer.activation.name: layer.activation.settings}
            for layer in network.layers]


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
        self.true: dict[Ref, Real] = dict(self.given)
        self.true.update({step.ref: step.exact_value for step in derivation.steps})
        self.references: dict[str, list[tuple[float, Number]]] = {}
        for step in derivation.steps:
            exact_value, computed = references(derivation, step)
            pair = [exact_value] if computed == exact_value else [exact_value, computed]
            self.references[step.id] = [(approximate(v), v) for v in pair]
        self.settings = layer_settings(derivation.network)
        #: the mistakes' values from the true values, per step
        self.diagnoses: dict[Ref, tuple[list[Candidate], list[Candidate]]] = {}
        self._answers: dict[tuple[Any, ...], Answer] = {}   # as read, by text and layer
        self._chains: dict[tuple[Any, ...], _Chains] = {}   # by the readable answers
        self.printer = TextPrinter(resolve(derivation.network))
        written = {step.ref: self.printer.symbolic(step.written) for step in derivation.steps
                   if step.ref.kind is Quantity.SLOPE and step.written is not None}
        #: a quantity's written name; an activation's derivative as the solution writes it
        #: (``relu'(z⁽¹⁾₁)``), not the generic ``σ'⁽¹⁾₁``
        self.names = functools.lru_cache(maxsize=None)(
            lambda ref: written.get(ref) or self.printer.ref(ref))
        self.spellings = formula_names(derivation)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id an answer may use: the steps, then their ``_formula`` forms."""
        return tuple(self.steps) + tuple(f"{i}{FORMULA}" for i in self.steps)

    def check(self, answers: Mapping[str, Any], steps: Sequence[str] | None = None) -> Report:
        """Judge ``answers`` (step id -> number or text). ``steps``: the ids asked (default:
        every step, and the formula ids that were answered)."""
        if not isinstance(answers, Mapping):
            raise InputError(f"expected a table from step ids to answers, got "
                             f"{type(answers).__name__}", field="answers")
        for key in answers:
            if not isinstance(key, str):
                raise InputError(f"expected a step id, got {key!r}", field="answers")
            if key not in self.steps and not (key.endswith(FORMULA)
                                              and key[: -len(FORMULA)] in self.steps):
                raise InputError(f"no step {key!r}; steps are {', '.join(self.steps)} "
                                 f"(and each with {FORMULA})", field=str(key))
        asked = list(steps) if steps is not None else list(self.steps) + [
            key for key in answers if key.endswith(FORMULA)]
        repeated = sorted({key for key in asked if asked.count(key) > 1})
        if repeated:
            raise InputError(f"step {repeated[0]!r} is asked twice; each step counts once",
                             field="steps")
        read = {key: self._read(value, self.steps[key]) for key, value in answers.items()
                if key in asked and not key.endswith(FORMULA) and value not in ("", None)}
        chains: list[_Chains] = []
        verdicts = []
        for key in asked:
            if key.endswith(FORMULA):
                verdicts.append(self._formula(key, answers.get(key)))
            else:
                verdicts.append(self._numeric(key, read.get(key), read, chains))
        total = len(verdicts)
        score = math.fsum(v.credit for v in verdicts)
        return Report(tuple(verdicts), score, total,
                      self.tolerance.describe(self.derivation.digits))

    def _read(self, raw: Any, step: Step) -> Answer:
        """``raw`` as read for ``step`` (remembered: a class repeats the same answers)."""
        key = (type(raw), raw, step.layer)
        try:
            answer = self._answers.get(key)
        except TypeError:             # a value that is not hashable: read it every time
            return read_answer(raw, self.settings[step.layer - 1])
        if answer is None:
            if len(self._answers) >= MAX_REMEMBERED:
                self._answers.clear()
            answer = self._answers[key] = read_answer(raw, self.settings[step.layer - 1])
        return answer

    def _chains_of(self, read: Mapping[str, Answer]) -> _Chains:
        """The student's chains, shared by every student who gave the same values."""
        key = tuple(sorted((i, answer.text) for i, answer in read.items()
                           if answer.real is not None))
        chains = self._chains.get(key)
        if chains is None:
            if len(self._chains) >= MAX_REMEMBERED:
                self._chains.clear()
            chains = self._chains[key] = self._student_chains(read)
        return chains

    def _student_chains(self, read: Mapping[str, Answer]) -> _Chains:
        """The student's own values, two ways (follow-through is judged against both):

        * *written*: their answer where they gave a readable one, else what their earlier
          values give;
        * *carried*: each step recomputed from their earlier values without rounding, their
          answer taking over only where it departs from that (a slip): the chain of a
          student who carries more digits than they write.

        Values are exact where rational, so a follow-through tie is decided exactly.
        """
        written, carried = dict(self.given), dict(self.given)
        own_written: dict[str, Number | None] = {}
        own_carried: dict[str, Number | None] = {}
        slipped: set[Ref] = set()
        for step in self.derivation.steps:
            first, second = recompute(step, written), recompute(step, carried)
            own_written[step.id] = None if first is None else number(first)
            own_carried[step.id] = unrounded = None if second is None else number(second)
            answer = read.get(step.id)
            given = answer.real if answer is not None else None
            if given is not None:
                written[step.ref] = given
            elif first is not None:
                written[step.ref] = first
            tolerance = self.step_tolerances.get(step.id, self.tolerance)
            if given is not None and answer is not None and answer.value is not None and not (
                    unrounded is not None and finite(unrounded) and
                    tolerance.accepts(answer.value, unrounded, self.derivation.digits)):
                carried[step.ref] = given
            elif second is not None:
                carried[step.ref] = second
            if answer is not None and answer.value is not None:
                if not self._right(step.id, answer):
                    slipped.add(step.ref)
            elif any(ref in slipped for ref, _ in step.operands):
                slipped.add(step.ref)
        return _Chains(written, carried, own_written, own_carried, slipped)

    def _right(self, step_id: str, answer: Answer) -> bool:
        """Whether a readable answer is right for the step (either reference)."""
        tolerance = self.step_tolerances.get(step_id, self.tolerance)
        digits = self.derivation.digits
        quick = approximate(answer.value)
        return any(tolerance.near(quick, approximate_value, digits) and
                   tolerance.accepts(answer.value, reference, digits)
                   for approximate_value, reference in self.references[step_id])

    def _numeric(self, step_id: str, answer: Answer | None, read: Mapping[str, Answer],
                 chains: list[_Chains]) -> Verdict:
        step = self.steps[step_id]
        expected = step.shown.text
        shown = expected if self.reveal else ""
        if answer is None:
            return Verdict(step_id, "missing", shown, "", "no answer")
        if answer.value is None:
            return Verdict(step_id, "unparseable", shown, answer.text,
                           f"could not read the answer: {answer.error}")
        if self._right(step_id, answer):
            return Verdict(step_id, "correct", shown, answer.text, "correct", 1.0)
        tolerance = self.step_tolerances.get(step_id, self.tolerance)
        digits = self.derivation.digits
        quick = approximate(answer.value)
        if not chains:
            chains.append(self._chains_of(read))
        student = chains[0]
        if any(ref in student.slipped for ref, _ in step.operands):   # else no follow-through
            for own in (student.own_written[step_id], student.own_carried[step_id]):
                if own is not None and finite(own) and \
                        tolerance.near(quick, approximate(own), digits) and \
                        tolerance.accepts(answer.value, own, digits):
                    return Verdict(step_id, "follow_through", shown, answer.text,
                                   self._follow_message(step, student.slipped),
                                   self.follow_through_credit)
        context = Context(self.derivation, self.true, student.written, self.names,
                          self.diagnoses, student.diagnoses)
        found = diagnose(step, answer.value, context, tolerance, answer.text)
        why = f"; {found.message}" if found else ""
        reveal = f" (expected {self.names(step.ref)} {step.relation} {expected})" \
            if self.reveal else ""
        return Verdict(step_id, "incorrect", shown, answer.text, f"incorrect{why}{reveal}",
                       0.0, found.code if found else None)

    def _follow_message(self, step: Step, departed: set[Ref]) -> str:
        used = [ref for ref, _ in step.operands if ref in departed]
        names = [self.names(ref) for ref in used]
        named = (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else
                 names[0]) if names else "earlier values"
        values, differ = (("value", "differs from the correct one") if len(names) == 1
                          else ("values", "differ from the correct ones"))
        reveal = f"; the correct value is {step.shown.text}" if self.reveal else ""
        return (f"follow-through: right when computed from your own {values} of {named}, "
                f"which {differ}{reveal}")

    def _formula(self, key: str, raw: Any) -> Verdict:
        step = self.steps[key[: -len(FORMULA)]]
        expected = self.printer.symbolic(step.symbolic) if self.reveal else ""
        if raw in (None, ""):
            return Verdict(key, "missing", expected, "", "no answer")
        if not isinstance(raw, str):
            return Verdict(key, "unparseable", expected, str(raw)[:40],
                           "could not read the answer: a formula is expected, not a number")
        try:
            formula = parse(raw, self.spellings, self.settings[step.layer - 1])
            verdict, how = equivalent(self.derivation, step, formula)
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
    """Every spelling a formula answer may use for a quantity (normalised): each name
    that a notation applying to the network writes for it, and its aliases (``a^{(0)}_k``
    is ``x_k``), as :func:`symann.notation.spellings` lists them."""
    refs = [ref for step in derivation.steps for ref, _ in step.operands] + \
        [step.ref for step in derivation.steps]
    names: dict[str, Ref] = {}
    for notation in notations(derivation.network):
        for ref in refs:
            for spelling in spellings(notation, ref):
                names.setdefault(normalise_name(spelling), ref)
    return names


def worked(network: Network, digits: int = 4) -> Derivation:
    """The derivation answers are checked against: the forward pass, and the backward
    pass where the network gives targets and a loss (with its learning rate's step)."""
    if network.loss is not None and network.targets is not None:
        return network.backward(digits=digits)
    return network.forward(digits=digits)


def check(network_or_derivation: Any, answers: Mapping[str, Any], *,
          tolerance: Tolerance | str = Tolerance(), digits: int = 4,
          steps: Sequence[str] | None = None, **options: Any) -> Report:
    """Check ``answers`` (step id -> answer) for a network (or a derivation)."""
    derivation = network_or_derivation if isinstance(network_or_derivation, Derivation) \
        else worked(network_or_derivation, digits)
    if isinstance(tolerance, str):
        tolerance = Tolerance.parse(tolerance)
    return Checker(derivation, tolerance, **options).check(answers, steps)


__all__ = ["Checker", "Report", "Verdict", "check", "read_answer", "STATUSES"]
