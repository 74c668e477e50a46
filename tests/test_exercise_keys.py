"""An answer key says its decimal places (issue 12 review): ``symann check NNN/network.toml
NNN/key.toml`` exits 0 at any ``--digits`` of the exercise, with no option; an answers
file's ``digits`` entry is validated, and an explicit ``--digits`` that differs is refused."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from symann.cli import main


@pytest.fixture(scope="module")
def variant(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("digits") / "class"
    assert main(["exercise", "--seed", "8", "--architecture", "2-2-1", "--activation",
                 "sigmoid", "--digits", "2", "--count", "1", "--formats", "latex",
                 "--out", str(out)]) == 0
    return out / "001"


def check(variant: Path, answers: Path, *options: str) -> int:
    return main(["check", str(variant / "network.toml"), str(answers), *options])


def test_a_key_at_2_places_passes_with_or_without_the_same_digits(variant, capsys):
    key = variant / "key.toml"
    assert "\ndigits = 2\n" in key.read_text()
    assert check(variant, key) == 0
    assert check(variant, key, "--digits", "2") == 0


def test_a_different_explicit_digits_is_a_conflict_naming_both(variant, capsys):
    capsys.readouterr()
    assert check(variant, variant / "key.toml", "--digits", "4") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {variant / 'key.toml'}: digits: ") and "--digits is 4" in err
    assert "at 2 decimal places" in err


def test_without_the_entry_the_key_is_checked_at_4_places_and_fails(variant, tmp_path, capsys):
    """The entry is what makes the key pass: the same values at the default 4 places are
    rounded answers."""
    bare = tmp_path / "bare.toml"
    bare.write_text("".join(line + "\n" for line in (variant / "key.toml").read_text()
                            .splitlines() if not line.startswith("digits")))
    assert check(variant, bare) == 1
    assert check(variant, bare, "--digits", "2") == 0


@pytest.mark.parametrize("value", ['"2"', "-1", "51", "true", "2.0"])
def test_a_bad_digits_entry_is_a_one_line_error(variant, tmp_path, capsys, value):
    answers = tmp_path / "answers.toml"
    answers.write_text(f"digits = {value}\nz1_1 = 0.5\n")
    capsys.readouterr()
    assert check(variant, answers) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {answers}: digits: expected the answers' decimal places")


def test_a_json_answers_file_may_say_its_digits(variant, tmp_path, capsys):
    key = tomllib.loads((variant / "key.toml").read_text())
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(key))
    assert check(variant, answers) == 0


def test_grading_by_seed_refuses_digits_other_than_the_exercise_s(variant, tmp_path, capsys):
    answers = tmp_path / "class.csv"
    answers.write_text((variant.parent / "class.csv").read_text())
    capsys.readouterr()
    assert main(["check", "--batch", str(answers), "--exercise", str(variant.parent),
                 "--digits", "3"]) == 2
    err = capsys.readouterr().err
    assert "--digits" in err and "2" in err
    assert main(["check", "--batch", str(answers), "--exercise", str(variant.parent),
                 "--digits", "2"]) == 0
