"""``symann exercise --out DIR --force`` loses nothing of the user's (issue 12 review): an
input inside DIR, a filled-in class CSV, verdicts or any file symann does not write make
``--force`` refuse before anything is written; DIR as the current directory (or a parent
of it), a link, a file or a mount point is a one-line error that leaves nothing behind."""
from __future__ import annotations

import errno
import importlib
import os
from pathlib import Path

import pytest

from symann.cli import main

directory_module = importlib.import_module("symann.exercises.directory")

SIGMOID = ["--architecture", "2-2-1", "--activation", "sigmoid"]


def tree(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file()}


def exercise(out: Path, *extra: str) -> list[str]:
    return ["exercise", "--seed", "3", *SIGMOID, *extra, "--out", str(out)]


def made(tmp_path: Path) -> Path:
    """A directory a previous run made (three variants)."""
    out = tmp_path / "week3"
    assert main(exercise(out, "--count", "3")) == 0
    return out


def refused(args: list[str], capsys) -> str:
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err


def test_force_refuses_a_roster_inside_dir_and_keeps_it(tmp_path, capsys):
    out = made(tmp_path)
    roster = out / "students.csv"
    roster.write_text("student\nann\nbob\n")
    before = tree(out)
    err = refused(exercise(out, "--roster", str(roster), "--force"), capsys)
    assert "--out" in err and str(roster) in err and "input" in err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week3"]


def test_a_roster_inside_a_new_or_empty_dir_is_refused_too(tmp_path, capsys):
    out = tmp_path / "week3"
    out.mkdir()
    roster = out / "students.csv"
    roster.write_text("student\nann\n")
    err = refused(exercise(out, "--roster", str(roster), "--force"), capsys)
    assert str(roster) in err
    assert roster.read_text() == "student\nann\n"


@pytest.mark.parametrize("name, text", [
    ("verdicts.csv", "student,score\nann,3\n"),
    ("week3.pdf", "%PDF-1.5"),
    ("notes.txt", "keep me"),
    ("001/answers.toml", "z1_1 = 0.1\n"),
])
def test_force_refuses_a_file_symann_does_not_write_naming_it(tmp_path, capsys, name, text):
    out = made(tmp_path)
    (out / name).write_text(text)
    before = tree(out)
    err = refused(exercise(out, "--count", "3", "--force"), capsys)
    assert str(out / name) in err and "--out" in err
    assert tree(out) == before


def test_force_refuses_a_class_csv_with_answers_filled_in(tmp_path, capsys):
    out = made(tmp_path)
    lines = (out / "class.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",", ",0.5", 1)
    (out / "class.csv").write_text("\n".join(lines) + "\n")
    before = tree(out)
    err = refused(exercise(out, "--count", "3", "--force"), capsys)
    assert "class.csv" in err and "differs" in err
    assert tree(out) == before


def test_force_refuses_a_directory_without_a_manifest(tmp_path, capsys):
    out = tmp_path / "photos"
    out.mkdir()
    (out / "cat.jpg").write_bytes(b"\xff\xd8")
    err = refused(exercise(out, "--count", "3", "--force"), capsys)
    assert "exercise.toml" in err
    assert tree(out) == {"cat.jpg": b"\xff\xd8"}


def test_force_replaces_an_untouched_previous_exercise(tmp_path, capsys):
    """... and what pdflatex made of its sheets in it (README: -output-directory week3)."""
    out = made(tmp_path)
    for name in ("exercise.log", "solution.aux", "exercise.out"):
        (out / name).write_text("This is pdfTeX")
    assert main(exercise(out, "--count", "2", "--seed", "4", "--force")) == 0
    assert "003/key.toml" not in tree(out) and "002/key.toml" in tree(out)
    assert "exercise.log" not in tree(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week3"]


@pytest.mark.parametrize("where", [".", "..", "/"])
def test_the_current_directory_or_a_parent_is_refused_leaving_nothing(
        tmp_path, capsys, monkeypatch, where):
    here = made(tmp_path)   # cwd is itself an exercise's directory: --force would take it
    inner = here / "001"
    monkeypatch.chdir(inner if where != "." else here)
    before = tree(tmp_path)
    err = refused(exercise(Path(where), "--count", "3", "--force"), capsys)
    assert "current directory" in err and "--out" in err
    assert tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week3"]


def test_a_link_or_a_file_as_dir_is_refused(tmp_path, capsys):
    target = made(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(target)
    before = tree(target)
    assert "got a link" in refused(exercise(link, "--count", "3", "--force"), capsys)
    assert tree(target) == before and link.is_symlink()
    plain = tmp_path / "file.txt"
    plain.write_text("text")
    assert "got a file" in refused(exercise(plain, "--count", "3", "--force"), capsys)
    assert plain.read_text() == "text"


@pytest.mark.parametrize("failing", [1, 2])
def test_a_rename_that_fails_leaves_dir_and_no_temporary(tmp_path, capsys, monkeypatch,
                                                          failing):
    """EBUSY (a mount point, the cwd of another process) on moving DIR aside (1) or the new
    one in (2): the old DIR stays, and no ``.old`` or temporary directory is left."""
    out = made(tmp_path)
    before = tree(out)
    real = os.replace
    calls = []

    def replace(source, target):
        calls.append(source)
        if len(calls) == failing:
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real(source, target)

    monkeypatch.setattr(directory_module.os, "replace", replace)
    err = refused(exercise(out, "--count", "3", "--seed", "9", "--force"), capsys)
    assert "Device or resource busy" in err and "nothing was changed" in err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week3"]


def test_an_unwritable_parent_is_a_clear_error(tmp_path, capsys, monkeypatch):
    """The parent refuses the staging directory (as a read-only directory does to anyone
    but root, who runs CI: the refusal is made by the operating system's own error)."""
    parent = tmp_path / "locked"
    parent.mkdir()

    def mkdtemp(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(parent))

    monkeypatch.setattr(directory_module.tempfile, "mkdtemp", mkdtemp)
    err = refused(exercise(parent / "week3", "--count", "3"), capsys)
    assert "cannot write" in err and "Permission denied" in err
    assert list(parent.iterdir()) == []
