"""The review's smaller points on ``symann exercise`` (issue 12): the kink rule judges the
shown z, the Moodle category tells classes of other options apart, the progress line is
the documented one, and an unknown student's row says so without listing the roster."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from symann.cli import main
from symann.exercises import Options, Rules, generate
from symann.exercises.filters import RULES

from conftest import ROOT

RELU = Options(11, (2, 3, 1), ("relu", "identity"), digits=1)


def shown_zero_zs(options: Options, count: int) -> int:
    """How many variants show a z of 0 (at their places) that is not exactly 0."""
    found = 0
    for variant in generate(options, count=count).variants:
        zs = [step for step in variant.derivation if step.id.startswith("z")]
        found += any(Fraction(step.shown.text) == 0 != step.computed_rational for step in zs)
    return found


def test_a_z_shown_as_0_is_a_kink_and_redrawn():
    """At 1 place, z = 0.03 is shown as 0.0: the student sees the kink of ReLU."""
    without = Options(RELU.seed, RELU.architecture, RELU.activations, digits=1,
                      rules=Rules(off=tuple(rule for rule in RULES if rule != "duplicate")))
    assert shown_zero_zs(without, 80) > 0   # the case arises without the rule
    assert shown_zero_zs(RELU, 80) == 0


def quiz_category(tmp_path: Path, name: str, *args: str) -> str:
    out = tmp_path / name
    assert main(["exercise", "--seed", "5", "--architecture", "2-2-1", "--count", "2",
                 "--formats", "moodle", *args, "--out", str(out)]) == 0
    root = ET.parse(out / "quiz.xml").getroot()
    return root.find("question/category/text").text


def test_the_moodle_category_differs_with_the_options(tmp_path, capsys):
    plain = quiz_category(tmp_path, "a")
    assert re.fullmatch(r"\$course\$/symann/Exercise seed 5 options [0-9a-f]{8}", plain)
    assert quiz_category(tmp_path, "b") == plain   # stable
    assert quiz_category(tmp_path, "c", "--digits", "3") != plain
    assert quiz_category(tmp_path, "d", "--activation", "tanh") != plain
    assert quiz_category(tmp_path, "e", "--weights=-2:2:0.5") != plain


def test_the_progress_lines_are_the_documented_ones(tmp_path, capsys):
    """docs/exercises.md quotes the progress line and the last line: the command prints
    exactly those (a class big enough to take over half a second)."""
    out = tmp_path / "class"
    assert main(["exercise", "--seed", "1", "--architecture", "3-4-3", "--activation",
                 "relu,softmax", "--count", "300", "--jobs", "1", "--formats", "markdown",
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    docs = (ROOT / "docs" / "exercises.md").read_text()
    progress = re.search(r"\(`(\w+) 420/1000 \(210/s\)`\)", docs)
    assert progress, "the progress line is quoted in the docs"
    assert all(re.fullmatch(rf"{progress[1]} \d+/300 \(\d+/s\)", line) for line in err[:-1])
    assert len(err) >= 2
    assert "`wrote K variants to DIR`" in docs and err[-1] == f"wrote 300 variants to {out}"


def test_an_unknown_student_s_row_says_so_without_the_roster(tmp_path, capsys):
    roster = tmp_path / "students.csv"
    roster.write_text("student\n" + "".join(f"s{i:02d}\n" for i in range(1, 13)))
    out = tmp_path / "class"
    assert main(["exercise", "--seed", "4", "--architecture", "2-2-1", "--roster",
                 str(roster), "--formats", "latex", "--out", str(out)]) == 0
    answers = tmp_path / "answers.csv"
    answers.write_text((out / "class.csv").read_text().replace("s03,", "zed,", 1))
    capsys.readouterr()
    assert main(["check", "--batch", str(answers), "--exercise", str(out)]) == 0
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    feedback = rows["zed"]["feedback"]
    assert "student 'zed' is not in the exercise's roster (12 students)" in feedback
    assert "s01" not in feedback and "s02" not in feedback
    assert rows["s01"]["feedback"] == "" or "error" not in rows["s01"]["feedback"]


def test_leaky_relu_s_slope_is_set_as_a_network_file_names_it(tmp_path, capsys):
    """``--activation 'leaky_relu(slope=0.1)'``: the network files say
    ``{ name = "leaky_relu", slope = 0.1 }``, the keys pass, grading by seed regenerates it."""
    out = tmp_path / "class"
    assert main(["exercise", "--seed", "3", "--architecture", "2-2-1", "--activation",
                 "leaky_relu(slope=0.1),identity", "--count", "4", "--formats", "markdown",
                 "--out", str(out)]) == 0
    network = (out / "001" / "network.toml").read_text()
    assert 'activation = { name = "leaky_relu", slope = 0.1 }' in network
    assert "leaky ReLU (slope 0.1)" in (out / "exercise.md").read_text()
    assert main(["check", str(out / "002" / "network.toml"), str(out / "002" / "key.toml")]) == 0
    answers = tmp_path / "answers.csv"
    answers.write_text((out / "class.csv").read_text())
    capsys.readouterr()
    assert main(["check", "--batch", str(answers), "--exercise", str(out)]) == 0
    assert "error" not in capsys.readouterr().out


@pytest.mark.parametrize("spec, message", [
    ("leaky_relu(slope=2)", "expected a number from 0 to 1"),
    ("leaky_relu(gain=0.1)", "has no setting 'gain' (it takes slope)"),
    ("leaky_relu(slope)", "expected SETTING=VALUE"),
    ("leaky_relu(", "expected NAME or NAME(SETTING=VALUE)"),
])
def test_a_bad_activation_setting_is_a_one_line_error(tmp_path, capsys, spec, message):
    assert main(["exercise", "--seed", "3", "--architecture", "2-2-1", "--activation", spec,
                 "--count", "2", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: activation") and message in err, err
    assert not (tmp_path / "x").exists()


def test_few_places_the_filter_s_error_says_what_to_draw_and_the_docs_examples_work(
        tmp_path, capsys):
    """At 1 place the default ranges make no class: the error suggests coarser numbers,
    and the commands of 'Few decimal places' in docs/exercises.md make one."""
    assert main(["exercise", "--seed", "1", "--architecture", "2-2-1", "--count", "5",
                 "--digits", "1", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "by 0.1: draw wider, coarser numbers" in err and err.count("\n") == 1
    docs = (ROOT / "docs" / "exercises.md").read_text()
    section = docs[docs.index("### Few decimal places"):]
    block = section[section.index("```sh") + 5:section.index("```", section.index("```sh") + 5)]
    for number, command in enumerate(block.replace("\\\n", " ").strip().splitlines()):
        words = command.split()[1:]
        words[words.index("--out") + 1] = str(tmp_path / f"class{number}")
        assert main([*words, "--formats", "latex"]) == 0, command
