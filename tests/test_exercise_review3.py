"""The third review of ``symann exercise`` and ``symann check``: an answer that is its own
value rounded to fewer places is said to be rounded, not "rounded too early"; ``--steps``
applies to a class; a class CSV saved with ``;`` or tabs, or with its student column
misplaced or doubled, is named as such; ids normalise any run of Unicode spaces; a long
``--title`` breaks in the sheets; "which differs" in the singular."""
from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import subprocess
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from test_exercise_safety import refused

from symann.cli import main
from symann.exercises.options import MAX_TITLE
from symann.exercises.roster import student_id

#: variant 003 of ``--seed 7 --architecture 2-2-1``, as the review had it
REVIEWED = """inputs = [-0.6, 0.2]
[[layers]]
weights = [[0.65, 0.45], [-0.5, -0.45]]
biases = [-0.4, 0.2]
activation = "sigmoid"
[[layers]]
weights = [[-0.55, 0.95]]
biases = [-0.4]
activation = "sigmoid"
"""
#: variant 001: z1_1 = 0.195, whose 0-place rounding makes a1_1 = σ(0) = 0.5 exactly
FIRST = """inputs = [-0.5, -0.8]
[[layers]]
weights = [[-0.75, 0.35], [-0.5, 0.15]]
biases = [0.1, 0.5]
activation = "sigmoid"
"""


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def half_up(value: float, places: int) -> str:
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def verdicts(tmp_path: Path, capsys, network: str, answers: str, *extra: str) -> dict:
    (tmp_path / "n.toml").write_text(network)
    (tmp_path / "a.toml").write_text(answers)
    capsys.readouterr()
    main(["check", str(tmp_path / "n.toml"), str(tmp_path / "a.toml"), "--format", "json",
          *extra])
    return {v["id"]: v for v in json.loads(capsys.readouterr().out)["steps"]}


def test_an_answer_rounded_to_fewer_places_is_rounded_whatever_the_earlier_steps(
        tmp_path, capsys):
    """The review's cases: every earlier step right at 4 places and a2_1 typed 0.50
    (0.4972 rounded to 2 places) is "rounded to 2", not "earlier values rounded to 1"."""
    a1 = (sigmoid(-0.6 * 0.65 + 0.2 * 0.45 - 0.4), sigmoid(0.6 * 0.5 - 0.2 * 0.45 + 0.2))
    a2 = sigmoid(-0.55 * a1[0] + 0.95 * a1[1] - 0.4)
    typed = half_up(a2, 2)
    answers = (f'z1_1="-0.7"\na1_1="{half_up(a1[0], 4)}"\nz1_2="0.41"\n'
               f'a1_2="{half_up(a1[1], 4)}"\nz2_1="-0.0114"\na2_1="{typed}"\n')
    found = verdicts(tmp_path, capsys, REVIEWED, answers)
    assert [v["status"] for v in found.values()].count("correct") == 5
    assert found["a2_1"]["diagnosis"] == "rounded_answer"
    assert "rounded to 2 decimal place(s); give 4" in found["a2_1"]["message"]


def test_a_one_place_answer_is_rounded_to_one_place_not_zero(tmp_path, capsys):
    a1 = sigmoid(0.5 * 0.75 - 0.8 * 0.35 + 0.1)
    found = verdicts(tmp_path, capsys, FIRST, f'a1_1 = "{half_up(a1, 1)}"\n',
                     "--steps", "a1_1")
    assert "rounded to 1 decimal place(s); give 4" in found["a1_1"]["message"]


def test_an_answer_at_all_places_from_early_rounding_is_still_rounded_too_early(
        tmp_path, capsys):
    """0.7100 typed at 4 places is z2_1 = 0.35·a + 0.5 with a = 0.6023 rounded to 0.6."""
    network = (Path(__file__).parent.parent / "examples" / "two-neurons.toml").read_text()
    found = verdicts(tmp_path, capsys, network, 'z2_1 = "0.7100"\n')
    assert found["z2_1"]["diagnosis"] == "rounded_too_early"


def test_follow_through_on_one_value_says_which_differs(tmp_path, capsys):
    """a1_1 from a wrong z1_1 of the student's: one value, "which differs"; z2_1 from
    a1_1 and a1_2, two values: "which differ"."""
    z = -0.6 * 0.65 + 0.2 * 0.45 - 0.4 + 0.1                 # z1_1 off by 0.1
    z2 = 0.6 * 0.5 - 0.2 * 0.45 + 0.2 + 0.1                  # z1_2 off by 0.1
    answers = (f'z1_1 = "{half_up(z, 4)}"\na1_1 = "{half_up(sigmoid(z), 4)}"\n'
               f'z1_2 = "{half_up(z2, 4)}"\na1_2 = "{half_up(sigmoid(z2), 4)}"\n')
    found = verdicts(tmp_path, capsys, REVIEWED, answers)
    assert found["a1_1"]["status"] == "follow_through"
    assert "your own value of z⁽¹⁾₁, which differs from the correct one" in \
        found["a1_1"]["message"]
    a = (half_up(sigmoid(z), 4), half_up(sigmoid(z2), 4))
    z3 = -0.55 * float(a[0]) + 0.95 * float(a[1]) - 0.4
    found = verdicts(tmp_path, capsys, REVIEWED, answers + f'z2_1 = "{half_up(z3, 4)}"\n')
    assert found["z2_1"]["status"] == "follow_through"
    assert "which differ from the correct ones" in found["z2_1"]["message"]


def exercised(tmp_path: Path) -> Path:
    out = tmp_path / "week3"
    assert main(["exercise", "--seed", "3", "--architecture", "2-2-1", "--activation",
                 "sigmoid", "--count", "2", "--out", str(out)]) == 0
    return out


def batch(tmp_path: Path, capsys, text: str, *extra: str) -> list[list[str]]:
    (tmp_path / "class.csv").write_text(text)
    capsys.readouterr()
    assert main(["check", "--batch", str(tmp_path / "class.csv"), *extra]) == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))


def test_steps_applies_to_a_class_with_an_exercise_or_a_network(tmp_path, capsys):
    out = exercised(tmp_path)
    network = str(out / "001" / "network.toml")
    text = "student,z1_1,a2_1\n001,0.1,0.5\n"
    for where in (["--exercise", str(out)], [network]):
        rows = batch(tmp_path, capsys, text, *where, "--steps", "a2_1")
        assert rows[0] == ["student", "score", "total", "a2_1", "feedback"]
        assert rows[1][2] == "1" and rows[1][3] == "incorrect" and "z1_1" not in rows[1][4]
        rows = batch(tmp_path, capsys, text, *where, "--steps", "a2_1,a1_1")
        assert rows[0][3:5] == ["a2_1", "a1_1"] and rows[1][2:5] == ["2", "incorrect",
                                                                   "missing"]
        err = refused(["check", "--batch", str(tmp_path / "class.csv"), *where,
                       "--steps", "a9_9"], capsys)
        assert "--steps" in err and "no step 'a9_9'" in err


@pytest.mark.parametrize(("text", "said"), [
    ("student;a2_1\r\nalice;0,4220\r\n", "separated by ';'"),
    ("student\ta2_1\nalice\t0.4\n", "separated by tabs"),
])
def test_a_class_csv_with_semicolons_or_tabs_is_named_so(tmp_path, capsys, text, said):
    out = exercised(tmp_path)
    (tmp_path / "class.csv").write_text(text)
    err = refused(["check", "--batch", str(tmp_path / "class.csv"), "--exercise", str(out)],
                  capsys)
    assert f"class.csv: line 1: the columns are {said} — save the CSV with commas (and " \
        "decimal points, not commas)" in err


@pytest.mark.parametrize(("header", "said"), [
    ("a2_1,student", "the student column must come first"),
    ("a2_1,a1_1", "the student column must come first"),
    ("student,student", "the 'student' column appears twice (columns 1 and 2)"),
    ("Student,a1_1,student", "the 'student' column appears twice (columns 1 and 3)"),
])
def test_a_misplaced_or_doubled_student_column_is_named(tmp_path, capsys, header, said):
    out = exercised(tmp_path)
    (tmp_path / "class.csv").write_text(header + "\n001,0.5\n")
    err = refused(["check", "--batch", str(tmp_path / "class.csv"), "--exercise", str(out)],
                  capsys)
    assert said in err and "line 1" in err


SPACES = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Zs", "Zl", "Zp")]


def test_every_unicode_space_run_in_an_id_is_one_ascii_space():
    for space in SPACES:
        assert student_id(f" Anna{space}{space} Maria{space}") == "Anna Maria", hex(ord(space))
    assert student_id("Anna\u00a0Maria") == student_id("Anna  Maria") == "Anna Maria"


def test_a_roster_and_a_class_csv_with_other_spaces_name_the_same_students(tmp_path, capsys):
    """A roster typed with a no-break space and two spaces; the class CSV with one ASCII
    space each: each row is graded as its student; two rows the same student after
    normalising are one student graded twice."""
    roster = tmp_path / "r.csv"
    roster.write_text("student\nAnna\u00a0Maria\nJean  Luc\n")
    out = tmp_path / "week3"
    assert main(["exercise", "--seed", "3", "--architecture", "2-2-1", "--activation",
                 "sigmoid", "--roster", str(roster), "--out", str(out)]) == 0
    assert [row[0] for row in csv.reader(io.StringIO((out / "class.csv").read_text()))] == \
        ["student", "Anna Maria", "Jean Luc"]
    rows = batch(tmp_path, capsys, "student,a2_1\nAnna Maria,0.5\nJean\u3000Luc,0.5\n"
                 "Anna  Maria,0.5\n", "--exercise", str(out))
    assert [row[3] for row in rows[1:]] == ["incorrect", "incorrect", "error"]
    assert "already graded on line 2" in rows[3][-1]


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
def test_a_long_title_wraps_in_the_latex_sheets(tmp_path):
    title = "W" * MAX_TITLE
    out = tmp_path / "w"
    assert main(["exercise", "--seed", "7", "--architecture", "2-2-1", "--count", "1",
                 "--formats", "latex", "--title", title, "--out", str(out)]) == 0
    for kind in ("exercise", "solution"):
        result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                                 "-output-directory", str(tmp_path), str(out / f"{kind}.tex")],
                                capture_output=True, text=True, timeout=120)
        log = (tmp_path / f"{kind}.log").read_text(errors="replace")
        assert result.returncode == 0, log[-2000:]
        assert "Overfull \\" not in log, re.findall(r"Overfull \\.*", log)


@pytest.mark.parametrize(("title", "said"), [
    ("W" * (MAX_TITLE + 1), f"at most {MAX_TITLE} characters, got {MAX_TITLE + 1}"),
    ("a\u200bb", "U+200B ZERO WIDTH SPACE"),
    ("a\tb", "U+0009"),
    ("a\u202eb", "U+202E RIGHT-TO-LEFT OVERRIDE"),
])
def test_a_title_too_long_or_with_a_hidden_character_is_refused(tmp_path, capsys, title,
                                                                said):
    out = tmp_path / "w"
    err = refused(["exercise", "--seed", "7", "--architecture", "2-1", "--count", "1",
                   "--title", title, "--out", str(out)], capsys)
    assert "--title" in err and said in err
    assert not out.exists()
