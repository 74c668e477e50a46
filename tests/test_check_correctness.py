"""Issue 8, the checker's side: signs, exact ties, answers beyond float range, what a
pass is, follow-through from a student's unrounded chain, the follow-through credit, a
class CSV's columns and cells, ``0.415e``, and a report that cannot be forged."""
from __future__ import annotations

import csv
import io
import json
import math
from decimal import Decimal
from fractions import Fraction as F

import pytest
from hypothesis import given, settings, strategies as st

import symann
from symann.cli import main
from symann.grading.batch import _safe, grade_class
from symann.grading.grade import Checker, check, read_answer
from symann.grading.report import escape

from conftest import EXAMPLES

TWO = symann.load(EXAMPLES / "two-neurons.toml")
RELU_SOFTMAX = symann.load(EXAMPLES / "relu-softmax.json")
#: the course's network with w2 = 0.5: z2 = 0.6023 * 0.5 + 0.5 = 0.80115 exactly, shown 0.8012
HALF = symann.Network([symann.Neuron([0.15], 0.4, "sigmoid"), symann.Neuron([0.5], 0.5, "sigmoid")],
                      inputs=[0.1])


def status(report, step_id):
    return next(v.status for v in report.verdicts if v.id == step_id)


def verdict(report, step_id):
    return next(v for v in report.verdicts if v.id == step_id)


# --- 1. signs ----------------------------------------------------------------------------

def test_a_right_negative_value_is_correct():
    d = RELU_SOFTMAX.forward()
    assert d["z1_2"].shown.text == "-0.66"
    for answer in ("-0.66", -0.66, "-(0.66)", "0 - 0.66", "−0.66", "-66/100", "-6.6e-1"):
        assert status(check(d, {"z1_2": answer}), "z1_2") == "correct", answer
    assert status(check(d, {"z1_2": "0.66"}), "z1_2") == "incorrect"
    assert status(check(d, {"z1_3": "-0.06"}), "z1_3") == "correct"
    assert status(check(d, {"z1_3": "0.06"}), "z1_3") == "incorrect"


def test_negated_answers_are_incorrect(tmp_path, capsys):
    negated = {"z1_1": "-(0.415)", "a1_1": "-sigma(0.415)", "z2_1": "0 - 0.7108",
               "a2_1": "-(0.6706)"}
    report = check(TWO, negated)
    assert [v.status for v in report.verdicts] == ["incorrect"] * 4
    assert report.score == 0 and not report.passed
    answers = tmp_path / "negated.toml"
    answers.write_text("\n".join(f'{k} = "{v}"' for k, v in negated.items()))
    assert main(["check", str(EXAMPLES / "two-neurons.toml"), str(answers)]) == 1
    capsys.readouterr()


def test_negative_values_at_a_tie():
    # z = -0.80115 exactly, shown -0.8012: -0.8012 and -0.8011 are both half a unit away,
    # and only the half-up rounding (away from zero) is right
    net = symann.Network([symann.Neuron([-0.5], 0, "identity")], inputs=[F("1.6023")])
    d2 = net.forward()
    assert d2["z1_1"].rational == F("-0.80115")
    for answer, expected in (("-0.8012", "correct"), ("-0.8011", "incorrect"),
                             ("-0.80125", "incorrect"), ("0.8012", "incorrect")):
        assert status(check(d2, {"z1_1": answer}), "z1_1") == expected, answer


@st.composite
def networks(draw):
    weight = st.integers(-200, 200).map(lambda n: F(n, 100))
    act = st.sampled_from(["sigmoid", "tanh", "relu", "identity", "leaky_relu"])
    w1 = [[draw(weight) for _ in range(2)] for _ in range(2)]
    w2 = [[draw(weight) for _ in range(2)]]
    return symann.Network([symann.Dense(w1, [draw(weight), draw(weight)], draw(act)),
                           symann.Dense(w2, [draw(weight)], draw(act))],
                          inputs=[draw(weight), draw(weight)])


@settings(max_examples=40, deadline=None)
@given(network=networks())
def test_the_negation_of_a_non_zero_value_is_never_accepted(network):
    d = network.forward()
    checker = Checker(d)
    for step in d.steps:
        if abs(step.shown.value) < F(1, 10**4):   # within the tolerance of its own negation
            continue
        for answer in (f"-({step.shown.text})", str(-step.shown.value)):
            report = checker.check({step.id: answer}, steps=[step.id])
            assert report.verdicts[0].status == "incorrect", (step.id, answer)
        assert checker.check({step.id: step.shown.text}, steps=[step.id]).verdicts[0].status \
            == "correct"


# --- 2. exact ties -----------------------------------------------------------------------

def test_a_tie_is_decided_on_the_exact_value():
    d = HALF.forward()
    assert d["z2_1"].shown.text == "0.8012"
    assert abs(d["z2_1"].computed - F("0.80115")) < 1e-40
    assert status(check(d, {"z2_1": "0.8012"}), "z2_1") == "correct"
    assert status(check(d, {"z2_1": "0.80120"}), "z2_1") == "correct"   # the boundary itself
    assert status(check(d, {"z2_1": "0.8011"}), "z2_1") == "correct"    # as close as 0.8012
    assert status(check(d, {"z2_1": "0.80121"}), "z2_1") == "incorrect"
    assert status(check(d, {"z2_1": "0.8012000000000000001"}), "z2_1") == "incorrect"
    assert status(check(d, {"z2_1": "0.6023*0.5 + 0.5"}), "z2_1") == "correct"


def test_a_tie_in_the_students_own_chain():
    # z1 slips to 0.4: a1 = sigma(0.4) = 0.59868766 written 0.5987, so the student's z2 is
    # 0.5987 * 0.5 + 0.5 = 0.79935 exactly: 0.7994 (and 0.7993) are right for it
    d = HALF.forward()
    for z2 in ("0.7994", "0.7993"):
        report = check(d, {"z1_1": "0.4", "a1_1": "0.5987", "z2_1": z2})
        assert [v.status for v in report.verdicts[:3]] == ["incorrect", "follow_through",
                                                           "follow_through"], z2
    report = check(d, {"z1_1": "0.4", "a1_1": "0.5987", "z2_1": "0.79941"})
    assert status(report, "z2_1") == "incorrect"


# --- 3. answers beyond float range -------------------------------------------------------

@pytest.mark.parametrize("answer", ["10^400", "-10^400", "e^2300", "-e^2300", "1" * 400,
                                    10**400, "10^1000", "e^-2300", "1e-300", F(10**400),
                                    Decimal("1e400"), 1e308, "10^400 * 10^400 * 10^200",
                                    "*".join(["10^1000"] * 100)])
def test_answers_beyond_float_range_are_graded(answer):
    report = check(TWO, {"z1_1": answer, "a1_1": answer, "z2_1": "0.7108"})
    for v in report.verdicts[:2]:
        assert v.status in ("incorrect", "unparseable") and v.message
    json.loads(report.to_json())
    assert report.to_text()


def test_a_huge_slip_still_gives_follow_through():
    report = check(TWO, {"z1_1": "10^400", "a1_1": "1", "z2_1": "0.85"})
    assert [v.status for v in report.verdicts[:3]] == ["incorrect", "follow_through",
                                                       "follow_through"]


def test_one_huge_answer_does_not_stop_a_class(tmp_path):
    csv_in = tmp_path / "class.csv"
    csv_in.write_text("student,z1_1,a1_1\nann,10^400,e^2300\nbob,0.415,0.6023\n"
                      f"cat,{'9' * 400},1e999\n")
    out = io.StringIO()
    grade_class(Checker(TWO.forward()), csv_in, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert [r[:5] for r in rows[1:]] == [
        ["ann", "0", "2", "incorrect", "incorrect"], ["bob", "2", "2", "correct", "correct"],
        ["cat", "0", "2", "unparseable", "unparseable"]]


# --- 6. a missing step is not a pass -----------------------------------------------------

def test_empty_and_partial_submissions_do_not_pass(tmp_path, capsys):
    assert not check(TWO, {}).passed
    assert not check(TWO, {"z1_1": "0.415"}).passed
    assert not check(TWO, {}, steps=[]).passed
    assert check(TWO, {"z1_1": "0.415"}, steps=["z1_1"]).passed
    right = {"z1_1": "0.415", "a1_1": "0.6023", "z2_1": "0.7108", "a2_1": "0.6706"}
    assert check(TWO, right).passed
    assert not check(TWO, {**right, "a2_1": "0.6705"}, tolerance="absolute:0").passed
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert main(["check", str(EXAMPLES / "two-neurons.toml"), str(empty)]) == 1
    capsys.readouterr()
    assert main(["check", str(EXAMPLES / "two-neurons.toml"), str(empty), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] is False and data["score"] == 0 and data["total"] == 4
    assert data["counts"]["missing"] == 4


def test_follow_through_is_not_a_pass():
    report = check(TWO, {"z1_1": 0.415, "a1_1": 0.6023, "z2_1": 0.7158, "a2_1": 0.6717})
    assert not report.passed


# --- 7. follow-through from the student's unrounded chain ----------------------------------

def chain():
    # a large second weight makes a1's fifth digit matter for z2
    return symann.Network([symann.Neuron([0.5], 0.1, "sigmoid"), symann.Neuron([15], -10, "tanh"),
                           symann.Neuron([2], 0.3, "relu")], inputs=[1.2])


def sigma(x):
    return 1 / (1 + math.exp(-x))


def test_follow_through_for_a_student_who_rounds_each_step():
    slip = 0.8                        # the true z1 is 0.7
    a1 = round(sigma(slip), 4)
    z2 = round(a1 * 15 - 10, 4)
    a2 = round(math.tanh(z2), 4)
    z3 = round(a2 * 2 + 0.3, 4)
    answers = {"z1_1": slip, "a1_1": a1, "z2_1": z2, "a2_1": a2, "z3_1": z3, "a3_1": max(0, z3)}
    report = check(chain(), answers)
    assert [v.status for v in report.verdicts] == ["incorrect"] + ["follow_through"] * 5


def test_follow_through_for_a_student_who_carries_more_digits():
    slip = 0.8
    a1 = sigma(slip)                  # carried in full, written to 4 places
    z2 = a1 * 15 - 10
    a2 = math.tanh(z2)
    z3 = a2 * 2 + 0.3
    assert abs(round(a1, 4) * 15 - 10 - z2) > 1e-4     # the written a1 would not give z2
    answers = {"z1_1": slip, "a1_1": f"{a1:.4f}", "z2_1": f"{z2:.4f}", "a2_1": f"{a2:.4f}",
               "z3_1": f"{z3:.4f}", "a3_1": f"{max(0, z3):.4f}"}
    report = check(chain(), answers)
    assert [v.status for v in report.verdicts] == ["incorrect"] + ["follow_through"] * 5
    assert report.score == 5
    # and with ten or more digits written
    long = {k: (f"{v:.12f}" if isinstance(v, float) else v) for k, v in
            {"z1_1": "0.8", "a1_1": a1, "z2_1": z2, "a2_1": a2, "z3_1": z3, "a3_1": max(0, z3)}.items()}
    report = check(chain(), long)
    assert [v.status for v in report.verdicts] == ["incorrect"] + ["follow_through"] * 5


def test_a_student_without_a_slip_who_carries_digits_is_correct():
    d = chain().forward()
    answers = {step.id: f"{step.value:.10f}" for step in d.steps}
    assert all(v.status == "correct" for v in check(d, answers).verdicts)


def test_follow_through_needs_an_earlier_slip_to_explain_it():
    report = check(chain(), {"z1_1": "0.8", "a1_1": "0.5"})
    assert status(report, "a1_1") == "incorrect"


# --- 9. the follow-through credit, class CSVs, 0.415e --------------------------------------

@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -5, 1.5, -0.001, True, "0.5", None])
def test_follow_through_credit_is_validated(bad):
    with pytest.raises(symann.InputError) as error:
        Checker(TWO.forward(), follow_through_credit=bad)
    assert error.value.field == "follow_through_credit"


@pytest.mark.parametrize("credit", [0, 0.5, 1, F(1, 4)])
def test_follow_through_credit_counts(credit):
    report = check(TWO, {"z1_1": 0.415, "a1_1": 0.6023, "z2_1": 0.7158, "a2_1": 0.6717},
                   follow_through_credit=credit)
    assert report.score == 2 + float(credit)
    assert math.isfinite(json.loads(report.to_json())["score"])


def test_cli_rejects_a_bad_follow_through_credit(tmp_path, capsys):
    answers = tmp_path / "a.toml"
    answers.write_text('z1_1 = "0.415"')
    for bad in ("nan", "inf", "-5", "2"):
        try:
            code = main(["check", str(EXAMPLES / "two-neurons.toml"), str(answers),
                         "--follow-through-credit", bad])
        except SystemExit as exit:       # argparse's own check
            code = exit.code
        assert code == 2
        assert "follow" in capsys.readouterr().err


def test_duplicate_columns_are_an_error(tmp_path):
    csv_in = tmp_path / "class.csv"
    csv_in.write_text("student,z1_1,a1_1,z1_1\nann,0.415,0.6023,0.415\n")
    with pytest.raises(symann.InputError, match=r"class.csv: column 4: step 'z1_1' appears "
                                                r"twice \(columns 2 and 4\)"):
        grade_class(Checker(TWO.forward()), csv_in, io.StringIO())


@pytest.mark.parametrize("answer", ["0.415e", "0.415E", "2e-", "4.15e+", "1e5x", "0.6023e "])
def test_a_number_with_a_dangling_exponent_is_unparseable(answer):
    read = read_answer(answer)
    assert read.value is None and "has no exponent" in read.error
    assert status(check(TWO, {"z1_1": answer}), "z1_1") == "unparseable"


@pytest.mark.parametrize("answer, value", [("2e^0", F(2)), ("2 e^0", F(2)), ("4.15e-1", F("0.415")),
                                           ("1E2", F(100)), ("2*e^0", F(2))])
def test_e_after_a_number_still_works_where_meant(answer, value):
    assert read_answer(answer).value == value


def test_sigfigs_just_below_a_power_of_ten():
    sigma40 = symann.Network([symann.Neuron([1], 0, "sigmoid")], inputs=[40])
    for answer, expected in (("0.95", "incorrect"), ("1.0", "correct"), ("0.995", "correct"),
                             ("1", "correct"), ("0.994", "incorrect")):
        assert status(check(sigma40, {"a1_1": answer}, tolerance="sigfigs:2"), "a1_1") == \
            expected, answer
    sigma200 = symann.Network([symann.Neuron([1], 0, "sigmoid")], inputs=[200])  # 1 - 1e-87
    assert status(check(sigma200, {"a1_1": "0.95"}, tolerance="sigfigs:2"), "a1_1") == "incorrect"
    assert status(check(sigma200, {"a1_1": "1"}, tolerance="sigfigs:2"), "a1_1") == "correct"


def test_dead_relu_under_relative_and_sigfigs():
    d = RELU_SOFTMAX.forward()
    assert d["a1_2"].shown.value == 0
    assert status(check(d, {"a1_2": "0"}, tolerance="relative:0.01"), "a1_2") == "correct"
    assert status(check(d, {"a1_2": "0.000000001"}, tolerance="relative:0.01"), "a1_2") == "correct"
    assert status(check(d, {"a1_2": "0.001"}, tolerance="relative:0.01"), "a1_2") == "incorrect"
    assert status(check(d, {"a1_2": "0.04"}, tolerance="sigfigs:2"), "a1_2") == "correct"
    assert status(check(d, {"a1_2": "0.06"}, tolerance="sigfigs:2"), "a1_2") == "incorrect"


def test_relu_of_a_negative_number_in_an_answer():
    d = RELU_SOFTMAX.forward()
    assert status(check(d, {"a1_2": "relu(-0.66)"}), "a1_2") == "correct"
    assert status(check(d, {"a1_2": r"\max(0, -0.66)"}), "a1_2") == "correct"
    assert status(check(d, {"a1_2": "-0.66"}), "a1_2") == "incorrect"
    assert status(check(d, {"a1_4": "relu(0.13)"}), "a1_4") == "correct"
    assert status(check(d, {"a1_4": "relu(-0.13)"}), "a1_4") == "incorrect"


# --- 9 (issue 9): output safety ----------------------------------------------------------

def test_the_text_report_escapes_control_characters():
    forged = "0.5\n✓ a2_1: 0.6706 — correct\x1b[2K\r"
    report = check(TWO, {"a1_1": forged, "z1_1": "0.415\u202e"})
    text = report.to_text()
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    assert len(text.splitlines()) == len(report.verdicts) + 2
    assert not any(line.startswith("✓ a2_1") for line in text.splitlines())
    assert "\\n✓ a2_1" in text and "\\x1b[2K" in text
    assert verdict(report, "a1_1").given.startswith("0.5\n")    # the JSON keeps the answer
    assert "\\n" in report.to_json()


def test_escape():
    assert escape("0.6023") == "0.6023" and escape("σ(0.415) × 2") == "σ(0.415) × 2"
    assert escape("a\nb\tc\x00\x7f\u2028\u200b") == "a\\nb\\tc\\x00\\x7f\\u2028\\u200b"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "-Bob", "+Ann"])
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(cell):
    assert _safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["ann", "0.5", "1", "correct", "", " =x", "'=x"])
def test_other_csv_cells_are_kept(cell):
    assert _safe(cell) == cell


def test_batch_quotes_student_names(tmp_path):
    csv_in = tmp_path / "class.csv"
    csv_in.write_text("student,z1_1\n-Bob,0.415\n+Ann,-0.415\n=cmd,0.415\n")
    out = io.StringIO()
    grade_class(Checker(TWO.forward()), csv_in, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert [r[0] for r in rows[1:]] == ["'-Bob", "'+Ann", "'=cmd"]
    assert rows[2][3] == "incorrect"
