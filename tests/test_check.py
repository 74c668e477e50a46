"""The checker: statuses, answer forms, diagnoses, tolerances, follow-through, CLI, batch."""
from __future__ import annotations

import json
import math

import pytest

import symann
from symann.cli import main
from symann.grading.grade import Checker, check
from symann.grading.tolerance import Tolerance

from conftest import EXAMPLES

TWO = symann.load(EXAMPLES / "two-neurons.toml")
RIGHT = {"z1_1": "0.415", "a1_1": "0.6023", "z2_1": "0.7108", "a2_1": "0.6706"}


def statuses(report):
    return {v.id: v.status for v in report.verdicts}


def verdict(report, step_id):
    return next(v for v in report.verdicts if v.id == step_id)


def test_every_status():
    report = check(TWO, {"z1_1": 0.415, "a1_1": "0.6", "z2_1": "0.6*0.35+0.5",
                         "a2_1": "1/(1+"})
    assert statuses(report) == {"z1_1": "correct", "a1_1": "incorrect",
                                "z2_1": "follow_through", "a2_1": "unparseable"}
    assert statuses(check(TWO, {"z1_1": 0.415})) == {
        "z1_1": "correct", "a1_1": "missing", "z2_1": "missing", "a2_1": "missing"}
    assert check(TWO, RIGHT).passed and check(TWO, RIGHT).score == 4


@pytest.mark.parametrize("answer", [
    0.6023, "0.6023", "6.023e-1", "6023/10000", "1/(1+e^(-0.415))", "1/(1+e^-0.415)",
    "1/(1+exp(-0.415))", "(1+e**(-0.415))^(-1)", "sigma(0.415)", "σ(0.415)",
    r"\frac{1}{1+e^{-0.415}}", r"\sigma(0.415)", r"\dfrac{1}{1 + \exp(-0.415)}",
    r"\frac{1}{1+e^{-\left(0.1 \cdot 0.15 + 0.4\right)}}", r"\frac{1}{1+e^{-(0.1 \times 0.15 + 0.4)}}",
    "max(0.6023, 0.1)", r"\max(0, 0.6023)", "tanh(0.2)*0 + 0.6023", "0.5 + 0.5*tanh(0.2075)",
    "1 / (1 + 1/e^0.415)", "−0.6023 * −1",
])
def test_answer_forms(answer):
    assert verdict(check(TWO, {"a1_1": answer}), "a1_1").status == "correct", answer


def test_course_tolerance_examples():
    # exact a_1 = 0.6022862: 0.6023 and 0.60224 are within 0.00005, 0.6 and 0.602 are not
    report = lambda a: verdict(check(TWO, {"a1_1": a}), "a1_1").status
    assert report("0.6023") == report("0.60224") == "correct"
    assert report("0.6") == report("0.602") == "incorrect"


def test_rounded_intermediate_values_are_accepted():
    # z_2 from the shown a_1 = 0.6023 is 0.710805 (the course's way); exactly 0.71080016...
    d = TWO.forward()
    assert abs(d["z2_1"].computed - 0.710805) < 1e-15
    assert abs(d["z2_1"].value - 0.7108001619) < 1e-10
    status = lambda given: verdict(check(d, {"z2_1": given}), "z2_1").status
    assert status("0.710854") == "correct"      # 4.9e-5 from 0.710805 only
    assert status("0.710751") == "correct"      # 4.9e-5 from the exact value only
    assert status("0.710746") == "incorrect"    # 5.4e-5 from both


@pytest.mark.parametrize("tolerance, given, status", [
    ("absolute:0.001", "0.6030", "correct"), ("absolute:0.001", "0.6035", "incorrect"),
    ("relative:0.01", "0.607", "correct"), ("relative:0.01", "0.61", "incorrect"),
    ("decimals:2", "0.60", "correct"), ("decimals:2", "0.61", "incorrect"),
    ("decimals:2", "0.605", "correct"), ("sigfigs:2", "0.60", "correct"),
    ("sigfigs:2", "0.61", "incorrect"), ("sigfigs:3", "0.602", "correct"),
    ("sigfigs:3", "0.601", "incorrect"),
])
def test_tolerance_modes(tolerance, given, status):
    assert verdict(check(TWO, {"a1_1": given}, tolerance=tolerance), "a1_1").status == status


def test_per_step_tolerance():
    d = TWO.forward()
    checker = Checker(d, step_tolerances={"a2_1": Tolerance.parse("absolute:0.01")})
    report = checker.check({"a1_1": "0.61", "a2_1": "0.675"})
    assert verdict(report, "a1_1").status == "incorrect"
    assert verdict(report, "a2_1").status == "correct"


def test_tolerance_errors():
    for bad in ("absolute", "wide:3", "decimals:1.5", "absolute:-1"):
        with pytest.raises(symann.InputError):
            Tolerance.parse(bad)


def test_sigfigs_at_powers_of_ten():
    # PrairieLearn sigfig: 0.51 of a unit in the 2nd significant figure of 100 (open)
    assert Tolerance("sigfigs", 2).width(__import__("fractions").Fraction(100), 4) == __import__("fractions").Fraction(51, 10)


def chain3():
    return symann.Network([symann.Neuron([0.5], 0.1, "sigmoid"), symann.Neuron([1.5], -0.2, "tanh"),
                           symann.Neuron([2], 0.3, "relu")], inputs=[1.2])


def test_follow_through_over_a_three_layer_chain():
    d = chain3().forward()
    z1 = 1.2 * 0.5 + 0.1
    wrong_z1 = 0.8                                    # the student's slip
    a1 = 1 / (1 + math.exp(-wrong_z1))
    z2 = round(a1, 4) * 1.5 - 0.2
    a2 = math.tanh(round(z2, 4))
    z3 = round(a2, 4) * 2 + 0.3
    answers = {"z1_1": wrong_z1, "a1_1": f"{a1:.4f}", "z2_1": f"{z2:.4f}", "a2_1": f"{a2:.4f}",
               "z3_1": f"{z3:.4f}", "a3_1": f"{max(0, z3):.4f}"}
    report = check(d, answers)
    assert abs(d["z1_1"].value - z1) < 1e-15
    assert statuses(report) == {"z1_1": "incorrect", **{k: "follow_through" for k in list(answers)[1:]}}
    message = verdict(report, "z2_1").message
    assert message.startswith("follow-through") and "a₁" in message
    assert report.score == 5


def test_follow_through_needs_the_students_own_value():
    # a wrong z_1 and an a_1 that fits neither the true nor the student's z_1
    report = check(TWO, {"z1_1": "0.5", "a1_1": "0.7"})
    assert verdict(report, "a1_1").status == "incorrect"


def diagnosis(network, answers, step_id):
    return verdict(check(network, answers), step_id).diagnosis


def test_diagnosis_bias_forgotten():
    assert diagnosis(TWO, {"z1_1": "0.015"}, "z1_1") == "bias_forgotten"


def test_diagnosis_z_for_a():
    assert diagnosis(TWO, {"a1_1": "0.415"}, "a1_1") == "z_for_a"


def test_diagnosis_wrong_activation():
    relu = symann.Network([symann.Neuron([1], 0, "relu")], inputs=[0.5])
    assert diagnosis(relu, {"a1_1": "0.6225"}, "a1_1") == "wrong_activation"   # σ(0.5)
    sig = symann.Network([symann.Neuron([1], 0, "sigmoid")], inputs=[-0.3])
    report = check(sig, {"a1_1": "0"})                                          # ReLU(-0.3)
    assert verdict(report, "a1_1").diagnosis == "wrong_activation"
    assert "relu" in verdict(report, "a1_1").message


def test_diagnosis_exponent_sign():
    assert diagnosis(TWO, {"a1_1": "0.3977"}, "a1_1") == "exponent_sign"        # 1/(1+e^0.415)


def test_diagnosis_rounding_too_early():
    assert diagnosis(TWO, {"z2_1": "0.7100"}, "z2_1") == "rounded_too_early"    # a_1 as 0.6
    # 0.71 is also 0.7108 rounded to 2 places: the answer's own rounding is said first
    assert diagnosis(TWO, {"z2_1": "0.71"}, "z2_1") == "rounded_answer"
    assert diagnosis(TWO, {"a1_1": "0.60"}, "a1_1") == "rounded_answer"


def test_diagnosis_weights_swapped():
    net = symann.Network([symann.Neuron([0.2, 0.7], 0.1)], inputs=[1, 3])
    # correct z = 0.2 + 2.1 + 0.1 = 2.4; swapped: 0.7 + 0.6 + 0.1 = 1.4
    assert diagnosis(net, {"z1_1": "1.4"}, "z1_1") == "weights_swapped"


def test_diagnosis_transposed_matrix():
    net = symann.Network([symann.Dense([[0.1, 0.2], [0.3, 0.4]], [0, 0], "relu")], inputs=[1, 2])
    # row 1: 0.1 + 0.4 = 0.5; column 1 (transposed): 0.1 + 0.6 = 0.7
    assert diagnosis(net, {"z1_1": "0.7"}, "z1_1") == "weights_transposed"


def test_diagnosis_softmax_not_normalised():
    net = symann.Network([symann.Dense([[1], [2]], [0, 0], "softmax")], inputs=[0.5])
    assert diagnosis(net, {"a1_1": str(math.exp(0.5))[:8]}, "a1_1") == "softmax_not_normalised"


def test_no_reveal_hides_values():
    report = check(TWO, {"a1_1": "0.5"}, reveal=False)
    v = verdict(report, "a1_1")
    assert v.expected == "" and "0.6023" not in v.message


@pytest.mark.parametrize("formula", ["w_1 x_1 + b_1", "x_1 w_1 + b_1", "x_1*w_1+b_1",
                                     "b_1 + w_{1} x_{1}", r"w^{(1)}_{11} x_1 + b^{(1)}_1",
                                     r"w^{(1)}_{1,1} a^{(0)}_1 + b^{(1)}_1"])
def test_formula_answers_for_z(formula):
    assert verdict(check(TWO, {"z1_1_formula": formula}), "z1_1_formula").status == "correct"


@pytest.mark.parametrize("formula, status", [
    ("1/(1+e^{-z_1})", "correct"), (r"\sigma(z_1)", "correct"),
    (r"\frac{e^{z_1}}{1+e^{z_1}}", "correct"), ("1/(1+e^{z_1})", "incorrect"),
    ("z_1", "incorrect"), ("1/(1+e^{-q})", "unparseable"), ("max(0, z_1)", "incorrect"),
])
def test_formula_answers_for_a(formula, status):
    assert verdict(check(TWO, {"a1_1_formula": formula}), "a1_1_formula").status == status


def test_softmax_formula_with_the_sum_written_out():
    d = symann.load(EXAMPLES / "relu-softmax.json").forward()
    for formula in (r"\frac{e^{z^{(2)}_1}}{S^{(2)}}",
                    r"\frac{e^{z^{(2)}_1}}{e^{z^{(2)}_1} + e^{z^{(2)}_2}}"):
        assert verdict(check(d, {"a2_1_formula": formula}), "a2_1_formula").status == "correct"


def test_unknown_step_is_an_input_error():
    with pytest.raises(symann.InputError, match="no step 'z9_9'"):
        check(TWO, {"z9_9": 1})


def test_the_course_example_as_a_students_answers():
    course = {"z1_1": 0.415, "a1_1": 0.6023, "z2_1": 0.7158, "a2_1": 0.6717}
    report = check(TWO, course)
    assert statuses(report) == {"z1_1": "correct", "a1_1": "correct", "z2_1": "incorrect",
                                "a2_1": "follow_through"}
    assert report.score == 3


def test_cli_check_exit_codes_and_json(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text("\n".join(f'{k} = "{v}"' for k, v in RIGHT.items()))
    assert main(["check", str(EXAMPLES / "two-neurons.toml"), str(good)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"z1_1": 0.415, "a1_1": 0.6}))
    capsys.readouterr()
    assert main(["check", str(EXAMPLES / "two-neurons.toml"), str(bad), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [s["status"] for s in data["steps"]] == ["correct", "incorrect", "missing", "missing"]
    assert set(data["steps"][0]) >= {"id", "status", "expected", "given", "message"}
    assert data["score"] == 1
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("z7_1 = 1")
    assert main(["check", str(EXAMPLES / "two-neurons.toml"), str(unknown)]) == 2
    assert "no step 'z7_1'" in capsys.readouterr().err


def test_cli_batch(tmp_path, capsys):
    csv_in = tmp_path / "class.csv"
    csv_in.write_text("student,z1_1,a1_1,z2_1,a2_1\nann,0.415,0.6023,0.7108,0.6706\n"
                      'bob,0.42,0.6035,0.7112,0.6707\ncat,=1+1,,0.71,"1/(1+e^{-0.7108})"\n')
    out = tmp_path / "verdicts.csv"
    assert main(["check", str(EXAMPLES / "two-neurons.toml"), "--batch", str(csv_in),
                 "-o", str(out)]) == 0
    rows = [line.split(",")[:7] for line in out.read_text().splitlines()]
    assert rows[0] == ["student", "score", "total", "z1_1", "a1_1", "z2_1", "a2_1"]
    assert rows[1] == ["ann", "4", "4", "correct", "correct", "correct", "correct"]
    assert rows[2] == ["bob", "3", "4", "incorrect", "follow_through", "follow_through",
                       "follow_through"]
    assert rows[3][:7] == ["cat", "1", "4", "unparseable", "missing", "incorrect", "correct"]


def test_batch_progress_on_stderr(tmp_path, monkeypatch):
    from symann.grading import batch
    monkeypatch.setattr(batch, "PROGRESS_EVERY", 0.0)
    csv_in = tmp_path / "class.csv"
    csv_in.write_text("student,a1_1\n" + "".join(f"s{i},0.6023\n" for i in range(30)))
    import io
    out, progress = io.StringIO(), io.StringIO()
    batch.grade_class(Checker(TWO.forward()), csv_in, out, progress)
    assert "graded 30/30 students" in progress.getvalue()
    assert len(out.getvalue().splitlines()) == 31


def test_batch_unknown_column(tmp_path):
    csv_in = tmp_path / "class.csv"
    csv_in.write_text("student,z1_1,zz\nann,1,2\n")
    with pytest.raises(symann.InputError, match=r"class\.csv: column 3: no step 'zz'"):
        import io

        from symann.grading.batch import grade_class
        grade_class(Checker(TWO.forward()), csv_in, io.StringIO())
