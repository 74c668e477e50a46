"""What the checker grades, against the independent oracle (tests/oracle.py).

Issue 8: the checker accepted negated answers, rejected right negative ones, decided ties
by binary noise and gave follow-through only from rounded values. These properties run
over random networks (negatives, zeros, kinks, ties; both carries; digits 1..6) through
the public API only: ``symann.check`` and ``symann.Checker``.
"""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given, reject, strategies as st

import symann

import oracle
from conftest import EXAMPLES
from oracle import Net
from oracle_strategies import cases, fixed


def statuses(report) -> dict[str, str]:
    return {v.id: v.status for v in report.verdicts}


def solved(net: Net, digits: int, carry: str):
    try:
        expected = oracle.solve(net, digits, carry)
        refs = oracle.references(net, digits, carry)
    except oracle.Undecidable:
        reject()
    return net.symann().forward(digits=digits, carry=carry), expected, refs


def negations(text: str) -> list[str]:
    """The negation of a shown value, written three ways (``-0.6023``, ``-(0.6023)``,
    ``0 - 0.6023``; for a negative one ``0.8967``, ``-(-0.8967)``, ``0 - (-0.8967)``)."""
    if text.startswith("-"):
        return [text[1:], f"-({text})", f"0 - ({text})"]
    return [f"-{text}", f"-({text})", f"0 - {text}"]


# ------------------------------------------------------------------ self-consistency

@fixed("self", max_examples=50)
@given(cases())
def test_the_shown_solution_is_graded_correct(case):
    """Answering every step with exactly what `symann solve` shows is all correct."""
    net, digits, carry = case
    d = net.symann().forward(digits=digits, carry=carry)
    answers = {s.id: s.shown.text for s in d.steps}
    report = symann.check(d, answers, digits=digits)
    wrong = {k: v for k, v in statuses(report).items() if v != "correct"}
    assert not wrong and report.passed, (digits, carry, net.to_toml(),
                                         {k: (answers[k], v) for k, v in wrong.items()})


@fixed("self-oracle", max_examples=40)
@given(cases())
def test_the_oracles_solution_is_graded_correct(case):
    """Answering every step with what the oracle shows is all correct (so a wrong shown
    value cannot be hidden by a checker that agrees with it)."""
    net, digits, carry = case
    d, expected, _ = solved(net, digits, carry)
    answers = {sid: o.text for sid, o in expected.items()}
    report = symann.Checker(d).check(answers)
    wrong = {k: v for k, v in statuses(report).items() if v != "correct"}
    assert not wrong and report.passed, (digits, carry, net.to_toml(),
                                         {k: (answers[k], v) for k, v in wrong.items()})


# ------------------------------------------------------------ wrong answers are wrong

def assert_wrong_answers_rejected(net: Net, digits: int, carry: str) -> int:
    d, expected, refs = solved(net, digits, carry)
    checker = symann.Checker(d)
    right = {sid: o.text for sid, o in expected.items()}
    u = oracle.unit(digits)
    tried = 0
    failures = []
    for sid, o in expected.items():
        candidates = []
        if o.shown != 0:
            candidates += [(answer, -o.shown) for answer in negations(o.text)]
        candidates += [(oracle.decimal_text(o.shown + u, digits, pad=True), o.shown + u),
                       (oracle.decimal_text(o.shown - u, digits, pad=True), o.shown - u)]
        for answer, value in candidates:
            try:
                if oracle.accepted(value, refs[sid], digits):
                    continue
            except oracle.Undecidable:
                continue
            tried += 1
            report = checker.check({**right, sid: answer})
            status = statuses(report)[sid]
            if status != "incorrect" or report.passed:
                failures.append(f"{sid} = {answer!r} (shown {o.text}, exact "
                                f"{oracle.mp(o.exact)!s:.15}): {status}")
    assert not failures, f"digits={digits} carry={carry}\n{net.to_toml()}\n" + "\n".join(failures[:10])
    return tried


@fixed("wrong", max_examples=40)
@given(cases())
def test_negated_and_one_unit_off_answers_are_incorrect(case):
    """-v, -(v), 0 - v for a non-zero shown v, and v ± one unit of the last place, are
    incorrect unless the oracle says they are right (within half a unit of the exact value
    or of the course's value; at exactly half a unit only when rounded away from zero)."""
    net, digits, carry = case
    assert_wrong_answers_rejected(net, digits, carry)


@fixed("wrong-ties", max_examples=30)
@given(cases(flavour="tie"))
def test_a_tie_rounded_the_wrong_way_is_incorrect(case):
    """A layer-1 z of exactly k + 5·10^-(digits+1): the half-up rounding is correct, the
    other one (half a unit away too) is incorrect."""
    net, digits, carry = case
    d, expected, refs = solved(net, digits, carry)
    ties = [sid for sid, o in expected.items()
            if o.quantity == "z" and o.layer == 1 and oracle.is_tie(o.exact, digits)]
    assert ties
    checker = symann.Checker(d)
    for sid in ties:
        o = expected[sid]
        away = o.shown                                   # rounded away from zero
        toward = away - oracle.unit(digits) * (1 if away > 0 else -1)
        right_text = oracle.decimal_text(away, digits, pad=True)
        wrong_text = oracle.decimal_text(toward, digits, pad=True)
        assert statuses(checker.check({sid: right_text}))[sid] == "correct", (sid, right_text)
        assert statuses(checker.check({sid: wrong_text}))[sid] == "incorrect", (
            sid, f"exact {o.exact} = {float(o.exact)}", wrong_text, net.to_toml())
    assert_wrong_answers_rejected(net, digits, carry)


# -------------------------------------------------------------------- follow-through

def first_z_wrong(net: Net, digits: int, carry: str, rounded: bool):
    d, expected, refs = solved(net, digits, carry)
    wrong = {"z1_1": expected["z1_1"].exact + Fraction(1, 10)}
    try:
        student = oracle.student_chain(net, digits, wrong, rounded)
        answers = {sid: oracle.answer_text(v, digits, rounded) for sid, v in student.items()}
        right_z = oracle.accepted(oracle.frac(answers["z1_1"]), refs["z1_1"], digits)
        verdict_of = {sid: oracle.accepted(oracle.frac(answers[sid]), refs[sid], digits)
                      for sid in answers}
    except oracle.Undecidable:
        reject()
    assume(not right_z)
    report = symann.Checker(d).check(answers)
    got = statuses(report)
    problems = []
    assert got["z1_1"] == "incorrect", (answers["z1_1"], got["z1_1"])
    for sid, o in expected.items():
        if sid == "z1_1":
            continue
        if "z1_1" not in o.depends:
            want = {"correct"}
        elif verdict_of[sid]:
            want = {"correct", "follow_through"}          # the student's value is right anyway
        else:
            want = {"follow_through"}
        if got[sid] not in want:
            problems.append(f"{sid} = {answers[sid]} (right {o.text}): {got[sid]}, want {sorted(want)}")
    assert not problems, (f"digits={digits} carry={carry} rounded={rounded}\n{net.to_toml()}\n"
                          + "\n".join(problems[:10]))
    assert not report.passed


@fixed("ft-rounded", max_examples=35)
@given(cases(carry="shown"))
def test_follow_through_from_rounded_wrong_values(case):
    """z1_1 off by +0.1, every later step recomputed from the student's own values,
    rounded to `digits` at each step and carried: every dependent step is follow-through."""
    net, digits, carry = case
    first_z_wrong(net, digits, carry, rounded=True)


@fixed("ft-full", max_examples=35)
@given(cases())
def test_follow_through_from_full_precision_wrong_values(case):
    """The same, the student carrying full precision and writing 14 decimals."""
    net, digits, carry = case
    first_z_wrong(net, digits, carry, rounded=False)


# ------------------------------------------------------------- missing answers

@fixed("partial", max_examples=25)
@given(cases(), st.data())
def test_empty_or_partial_answers_do_not_pass(case, data):
    net, digits, carry = case
    d = net.symann().forward(digits=digits, carry=carry)
    checker = symann.Checker(d)
    report = checker.check({})
    assert not report.passed
    assert set(statuses(report).values()) == {"missing"}
    answers = {s.id: s.shown.text for s in d.steps}
    dropped = data.draw(st.sampled_from(sorted(answers)))
    del answers[dropped]
    report = checker.check(answers)
    assert not report.passed
    assert statuses(report)[dropped] == "missing"


# ------------------------------------------------------- known defects (issue 8)

TANH_SOFTMAX = Net.from_texts(
    ["-0.7", "1.3"],
    [([["-0.45", "0.8"], ["0.25", "-1.1"], ["-0.6", "-0.35"]], ["-0.2", "0.15", "0.05"], "tanh"),
     ([["0.3", "-0.2", "0.5"], ["-0.4", "0.1", "0.2"]], ["0.1", "-0.1"], "softmax")])


@pytest.mark.parametrize("carry", ["shown", "exact"])
def test_negative_tanh_is_graded_by_its_sign(carry):
    d = TANH_SOFTMAX.symann().forward(digits=4, carry=carry)
    status = lambda answer: statuses(symann.check(d, {"a1_2": answer}))["a1_2"]
    assert status("-0.8967") == "correct"                 # tanh(-1.455) ≈ -0.8967
    assert status("tanh(-1.455)") == "correct"
    for wrong in ("0.8967", "-(-0.8967)", "0 - (-0.8967)", "tanh(1.455)"):
        assert status(wrong) == "incorrect", wrong
    expected = oracle.solve(TANH_SOFTMAX, 4, carry)
    report = symann.check(d, {sid: o.text for sid, o in expected.items()})
    assert report.passed, statuses(report)


def test_course_network_with_a_tie_from_shown_values():
    # z2 = 0.6023 × 0.5 + 0.5 = 0.80115 exactly (carry shown): 0.8012 is right
    net = symann.Network([symann.Dense([["0.15"]], ["0.4"], "sigmoid"),
                          symann.Dense([["0.5"]], ["0.5"], "sigmoid")], inputs=["0.1"])
    report = symann.check(net, {"z1_1": "0.415", "a1_1": "0.6023", "z2_1": "0.8012"})
    assert statuses(report) == {"z1_1": "correct", "a1_1": "correct", "z2_1": "correct",
                                "a2_1": "missing"}


@pytest.mark.parametrize("x, b, right, wrong", [("0.6023", "0.5", "0.8012", "0.8011"),
                                                ("-0.6023", "-0.5", "-0.8012", "-0.8011")])
@pytest.mark.parametrize("carry", ["shown", "exact"])
def test_an_exact_tie_is_graded_half_up(x, b, right, wrong, carry):
    # z = x·0.5 + b = ±0.80115 exactly
    net = symann.Network([symann.Dense([["0.5"]], [b], "identity")], inputs=[x])
    d = net.forward(digits=4, carry=carry)
    assert statuses(symann.check(d, {"z1_1": right}))["z1_1"] == "correct"
    assert statuses(symann.check(d, {"z1_1": wrong}))["z1_1"] == "incorrect"


def test_relu_softmax_negative_z_is_correct():
    network = symann.load(EXAMPLES / "relu-softmax.json")
    report = symann.check(network, {"z1_2": "-0.66", "z1_3": "-0.06"})
    assert statuses(report)["z1_2"] == "correct" and statuses(report)["z1_3"] == "correct"
    report = symann.check(network, {"z1_2": "0.66", "z1_3": "0.06"})
    assert statuses(report)["z1_2"] == "incorrect" and statuses(report)["z1_3"] == "incorrect"


def test_negated_answers_to_the_course_example_are_incorrect():
    network = symann.load(EXAMPLES / "two-neurons.toml")
    report = symann.check(network, {"z1_1": "-(0.415)", "a1_1": "-sigma(0.415)",
                                    "z2_1": "0 - 0.7108", "a2_1": "-(0.6706)"})
    assert statuses(report) == {k: "incorrect" for k in ("z1_1", "a1_1", "z2_1", "a2_1")}
    assert not report.passed and report.score == 0


def test_no_answers_do_not_pass():
    network = symann.load(EXAMPLES / "two-neurons.toml")
    assert not symann.check(network, {}).passed
    assert not symann.check(network, {"z1_1": "0.415"}).passed
