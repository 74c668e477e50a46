"""The second review of ``symann exercise`` (issue 12): ``--force`` replaces DIR only when
every file in it is byte for byte one its manifest records (answers in any separator,
added rows, edited sheets or keys, a stranger's ``exercise.toml`` are refused, nothing
changed); verdicts are never written into DIR; an ``--ask`` that asks nothing, a
one-neuron softmax layer, invisible characters in ids are refused up front; a student is
graded once; the rounding diagnosis counts the places typed."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import tomllib
from test_exercise_safety import exercise, refused, tree

from symann.cli import main
from symann.exercises import Options, generate
from symann.exercises.manifest import MANIFEST


def made(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "week3"
    assert main(exercise(out, *(extra or ("--count", "3")))) == 0
    return out


def answered(out: Path, separator: str) -> None:
    """class.csv with every row's answers typed, in a spreadsheet's ``separator``."""
    rows = list(csv.reader(io.StringIO((out / "class.csv").read_text())))
    lines = [separator.join(rows[0])] + [separator.join([row[0]] + ["0.5"] * (len(row) - 1))
                                         for row in rows[1:]]
    (out / "class.csv").write_text("\n".join(lines) + "\n")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("change", [
    pytest.param(lambda out: answered(out, ";"), id="answers-semicolon"),
    pytest.param(lambda out: answered(out, "\t"), id="answers-tab"),
    pytest.param(lambda out: (out / "class.csv").write_text(
        (out / "class.csv").read_text() + "carol,,,,,,\n"), id="row-added"),
    pytest.param(lambda out: edit(out / "exercise.tex", r"\section*", r"\subsection*"),
                 id="sheet-edited"),
    pytest.param(lambda out: edit(out / "002" / "key.toml", "digits = 4", "digits = 4\n# x"),
                 id="key-edited"),
    pytest.param(lambda out: (out / "exercise.pdf").write_bytes(b"%PDF-1.5 mine"),
                 id="a-pdf"),
    pytest.param(lambda out: (out / "004").mkdir(), id="an-empty-directory"),
])
def test_force_refuses_any_change_naming_it_and_changes_nothing(tmp_path, capsys, change):
    out = made(tmp_path)
    change(out)
    before = tree(out)
    err = refused(exercise(out, "--count", "2", "--force"), capsys)
    assert "--force would delete" in err and "nothing was changed" in err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week3"]


def test_force_names_the_first_changed_file(tmp_path, capsys):
    out = made(tmp_path)
    answered(out, ";")
    err = refused(exercise(out, "--count", "3", "--force"), capsys)
    assert f"delete {out / 'class.csv'}, which differs" in err


def test_force_refuses_an_unrelated_directory_with_an_exercise_toml(tmp_path, capsys):
    out = tmp_path / "project"
    out.mkdir()
    (out / MANIFEST).write_text('[package]\nname = "mine"\n')
    (out / "class.csv").write_text("student\n")
    before = tree(out)
    err = refused(exercise(out, "--count", "2", "--force"), capsys)
    assert "not a valid symann manifest" in err
    assert tree(out) == before


def test_force_refuses_a_manifest_without_hashes_and_says_to_delete_by_hand(tmp_path, capsys):
    out = made(tmp_path)
    text = (out / MANIFEST).read_text()
    (out / MANIFEST).write_text(text[:text.index("[files]")])
    before = tree(out)
    err = refused(exercise(out, "--count", "2", "--force"), capsys)
    assert "earlier symann" in err and "by hand" in err
    assert tree(out) == before


def test_force_refuses_a_hash_edited_in_the_manifest(tmp_path, capsys):
    """Editing a file and its hash in the manifest is deliberate; a broken hash is not a
    valid manifest."""
    out = made(tmp_path)
    edit(out / MANIFEST, '"class.csv" = "', '"class.csv" = "x')
    err = refused(exercise(out, "--count", "2", "--force"), capsys)
    assert "not a valid symann manifest" in err


def test_the_manifest_records_every_file_written_but_itself(tmp_path):
    out = made(tmp_path)
    recorded = tomllib.loads((out / MANIFEST).read_text())["files"]
    written = tree(out)
    del written[MANIFEST]
    assert recorded == {name: hashlib.sha256(data).hexdigest()
                        for name, data in written.items()}


def test_force_replaces_an_untouched_exercise_with_pdflatex_by_products(tmp_path, capsys):
    out = made(tmp_path)
    (out / "exercise.log").write_text("This is pdfTeX")
    (out / "solution.aux").write_text("\\relax")
    assert main(exercise(out, "--count", "2", "--force")) == 0
    assert "003/key.toml" not in tree(out) and "solution.aux" not in tree(out)
    assert main(exercise(out, "--count", "4", "--force")) == 0   # its own manifest too


@pytest.mark.parametrize("inside", ["exercise.toml", "002/key.toml", "verdicts.csv"])
def test_check_refuses_verdicts_written_inside_the_exercise(tmp_path, capsys, inside):
    out = made(tmp_path)
    before = tree(out)
    err = refused(["check", "--batch", str(out / "class.csv"), "--exercise", str(out),
                   "-o", str(out / inside)], capsys)
    assert "inside the exercise's directory" in err
    assert tree(out) == before


def test_an_ask_that_asks_no_step_is_refused(tmp_path, capsys):
    err = refused(exercise(tmp_path / "w", "--count", "2", "--ask", "s"), capsys)
    assert err == "error: --ask: no step of the network is asked (s needs a softmax layer)\n"
    assert not (tmp_path / "w").exists()
    assert main(["exercise", "--seed", "3", "--architecture", "2-2-2", "--activation",
                 "relu,softmax", "--ask", "s", "--count", "2",
                 "--out", str(tmp_path / "s")]) == 0


def test_a_one_neuron_softmax_layer_is_refused_at_once(tmp_path, capsys):
    err = refused(["exercise", "--seed", "3", "--architecture", "2-2-1", "--activation",
                   "relu,softmax", "--count", "2", "--out", str(tmp_path / "w")], capsys)
    assert "--architecture" in err and "always outputs 1" in err and "filter" not in err


def roster(tmp_path: Path, *students: str, header: str = "student") -> Path:
    path = tmp_path / "students.csv"
    path.write_text(header + "\n" + "".join(f"{s}\n" for s in students), encoding="utf-8")
    return path


NFC = "zo\u00eb"
NFD = unicodedata.normalize("NFD", NFC)


def test_nfd_and_nfc_ids_are_the_same_student(tmp_path, capsys):
    err = refused(exercise(tmp_path / "w", "--roster", str(roster(tmp_path, NFD, NFC))),
                  capsys)
    assert "appears twice (lines 2 and 3)" in err


def test_an_nfd_answer_row_is_graded_against_the_nfc_roster(tmp_path, capsys):
    out = made(tmp_path, "--roster", str(roster(tmp_path, NFC, "bob")))
    answers = tmp_path / "answers.csv"
    text = (out / "class.csv").read_text().replace(NFC, NFD)
    answers.write_text(text)
    capsys.readouterr()
    assert main(["check", "--batch", str(answers), "--exercise", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[-1] for row in rows[1:]] == ["", ""]   # graded, no error


@pytest.mark.parametrize("student, shown, code", [
    ("a\u200bb", "'a\\u200bb'", "U+200B"),
    ("\ufeffx", "'\\ufeffx'", "U+FEFF"),
    ('"a\nb"', "'a\\nb'", "U+000A"),
])
def test_an_id_with_an_invisible_character_is_refused_readably(tmp_path, capsys, student,
                                                               shown, code):
    err = refused(exercise(tmp_path / "w", "--roster", str(roster(tmp_path, student))),
                  capsys)
    assert shown in err and code in err and "invisible" in err


def test_a_roster_with_two_student_columns_is_refused(tmp_path, capsys):
    err = refused(exercise(tmp_path / "w", "--roster",
                           str(roster(tmp_path, "a,b", header="student,Student"))), capsys)
    assert "'student' column appears twice (columns 1 and 2)" in err


def graded(tmp_path: Path, capsys, out: Path, rows: list[str]) -> list[list[str]]:
    header = (out / "class.csv").read_text().splitlines()[0]
    answers = tmp_path / "answers.csv"
    answers.write_text("\n".join([header, *rows]) + "\n")
    capsys.readouterr()
    assert main(["check", "--batch", str(answers), "--exercise", str(out)]) == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]


def test_a_student_twice_is_an_error_on_the_second_row(tmp_path, capsys):
    out = made(tmp_path, "--roster", str(roster(tmp_path, "ann", "bob")))
    rows = graded(tmp_path, capsys, out, ["bob,1", "ann,", " bob ,2"])
    assert [row[0] for row in rows] == ["bob", "ann", " bob "]
    assert rows[0][1] == rows[1][1] == "0" and rows[2][1] == ""
    assert rows[2][-1] == "error: line 4: student 'bob' already graded on line 2"


def test_two_spellings_of_one_variant_are_one_student(tmp_path, capsys):
    out = made(tmp_path)
    rows = graded(tmp_path, capsys, out, ["003,1", "0003,1", "2,1", "002,1"])
    assert [row[-1] for row in rows][1::2] == [
        "error: line 3: student '0003' already graded on line 2",
        "error: line 5: student '002' already graded on line 4"]
    assert [row[1] for row in rows] == ["0", "", "0", ""]


def test_plain_batch_grades_a_student_once_too(tmp_path, capsys):
    out = made(tmp_path)
    answers = tmp_path / "answers.csv"
    answers.write_text("student,z1_1\nbob,1\nbob,2\n")
    capsys.readouterr()
    assert main(["check", "--batch", str(answers), str(out / "001" / "network.toml")]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert rows[1][-1] == "error: line 3: student 'bob' already graded on line 2"


def half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_the_rounding_diagnosis_counts_the_places_typed(tmp_path, capsys):
    """For each activation of a class, each shorter correct rounding (an independent
    Decimal oracle) is diagnosed as rounded to exactly its places."""
    options = Options(3, (2, 2, 1), ("sigmoid", "sigmoid"))
    out = made(tmp_path)
    variant = generate(options, count=3).variants[0]
    steps = [step for step in variant.derivation if step.id.startswith("a")]
    header = (out / "class.csv").read_text().splitlines()[0].split(",")
    seen = 0
    for step in steps:
        exact = Decimal(str(step.approximation))
        for places in range(1, 4):
            typed = half_up(exact, places)
            text = format(typed.normalize(), "f")   # 0.440 typed as 0.44: 2 places
            rows = graded(tmp_path, capsys, out, [
                "001," + ",".join(text if h == step.id else "" for h in header[1:])])
            feedback = rows[0][-1]
            if typed == half_up(exact, 4):
                continue   # 0.5000 typed as 0.5: right
            seen += 1
            typed_places = len(text.partition(".")[2])
            assert f"rounded to {typed_places} decimal place(s); give 4" in feedback, (
                text, feedback)
    assert seen >= 4


def test_a_rounding_ending_in_zero_counts_the_places_typed_and_a_cut_is_named(tmp_path,
                                                                              capsys):
    """The review's cases, exactly: z = 0.44029 (key 0.4403) typed 0.44 is rounded to 2
    places (it said 3); z = 0.6615031 typed 0.661 is cut off (its 3-place rounding is
    0.662), not "incorrect" without a word."""
    network = tmp_path / "n.toml"
    network.write_text("inputs = [1]\n[[layers]]\nweights = [[0.44029], [0.6615031]]\n"
                       "biases = [0, 0]\nactivation = \"identity\"\n")
    answers = tmp_path / "a.toml"
    answers.write_text('z1_1 = "0.44"\nz1_2 = "0.661"\n')
    capsys.readouterr()
    main(["check", str(network), str(answers), "--format", "json"])
    verdicts = {v["id"]: v for v in json.loads(capsys.readouterr().out)["steps"]}
    assert "rounded to 2 decimal place(s); give 4" in verdicts["z1_1"]["message"]
    assert verdicts["z1_2"]["diagnosis"] == "cut_off_answer"
    assert "cut off at 3 decimal place(s)" in verdicts["z1_2"]["message"]


def test_an_empty_title_is_refused(tmp_path, capsys):
    for title in ("", "  "):
        err = refused(exercise(tmp_path / "w", "--count", "2", "--title", title), capsys)
        assert "--title" in err and "expected a title" in err
    assert not (tmp_path / "w").exists()


def test_one_variant_is_said_in_the_singular(tmp_path, capsys):
    capsys.readouterr()
    assert main(exercise(tmp_path / "w", "--count", "1")) == 0
    assert capsys.readouterr().err == f"wrote 1 variant to {tmp_path / 'w'}\n"


def test_the_cancelling_note_is_said_once_per_layer(tmp_path, capsys):
    """Softmax with cross-entropy: one note for the output layer, in words and the
    sheets' symbols, not ``z_j``/``Σ_k`` pseudo-maths repeated per neuron."""
    out = tmp_path / "w"
    assert main(["exercise", "--seed", "1", "--architecture", "2-2-3", "--activation",
                 "relu,softmax", "--ask", "backward", "--loss", "cross_entropy",
                 "--count", "1", "--out", str(out)]) == 0
    for sheet in ("solution.tex", "solution.md", "solution.html"):
        text = (out / sheet).read_text()
        assert text.count("as the targets sum to 1") == 1, sheet
        assert "z_j" not in text and "z\\_j" not in text and "[j = k]" not in text, sheet


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
def test_a_long_student_name_wraps_in_the_latex_sheets(tmp_path, capsys):
    long = ["x" * 200, "Maximilian-Alexander_von_und_zu_Hohenzollern-Sigmaringen-Brandenburg-"
            "Ansbach-Bayreuth-Kulmbach"]
    out = made(tmp_path, "--roster", str(roster(tmp_path, *long)), "--formats", "latex")
    for kind in ("exercise", "solution"):
        result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                                 "-output-directory", str(tmp_path), str(out / f"{kind}.tex")],
                                capture_output=True, text=True, timeout=120)
        log = (tmp_path / f"{kind}.log").read_text(errors="replace")
        assert result.returncode == 0, log[-2000:]
        assert "Overfull \\" not in log, re.findall(r"Overfull \\.*", log)
        if shutil.which("pdftotext"):
            shown = subprocess.run(["pdftotext", str(tmp_path / f"{kind}.pdf"), "-"],
                                   capture_output=True, text=True, timeout=60).stdout
            assert "".join(shown.split()).count("x" * 200) == 1


def test_an_answer_row_with_an_invisible_character_is_an_error_row(tmp_path, capsys):
    out = made(tmp_path, "--roster", str(roster(tmp_path, "ab", "cd")))
    rows = graded(tmp_path, capsys, out, ["a\u200bb,1", "\ufeffcd,1", "ab,1"])
    assert rows[0][-1] == ("error: line 2: expected a student id without invisible "
                           "characters, got 'a\\u200bb' (U+200B ZERO WIDTH SPACE)")
    assert "'\\ufeffcd' (U+FEFF" in rows[1][-1]
    assert rows[2][1] == "0"   # the real ab is graded


def test_plain_batch_counts_spaced_ids_as_one_student(tmp_path, capsys):
    """A no-break space or two spaces make the same id as one space, as in a roster."""
    out = made(tmp_path)
    answers = tmp_path / "answers.csv"
    answers.write_text("student,z1_1\nAnna Maria,1\nAnna\u00a0Maria,2\nAnna  Maria,3\n",
                       encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--batch", str(answers), str(out / "001" / "network.toml")]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert [row[-1] for row in rows[1:]] == [
        "error: line 3: student 'Anna\\xa0Maria' already graded on line 2",
        "error: line 4: student 'Anna  Maria' already graded on line 2"]

