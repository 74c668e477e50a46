"""The command line: output, exit status, and one-line errors without tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from symann.cli import main

from conftest import EXAMPLES


def run(*args):
    return subprocess.run([sys.executable, "-m", "symann", *args], capture_output=True,
                          text=True, timeout=120)


def test_solve_text(capsys):
    assert main(["solve", str(EXAMPLES / "two-neurons.toml")]) == 0
    out = capsys.readouterr().out
    assert "z₂ = a₁ · w₂ + b₂ = (0.6023 × 0.35) + 0.5 ≈ 0.7108" in out
    assert "a₂ = σ(z₂) = 1 / (1 + e^(-0.7108)) ≈ 0.6706" in out


def test_solve_json(capsys):
    assert main(["solve", str(EXAMPLES / "one-neuron.toml"), "--format", "json",
                 "--digits", "6"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["shown"] for s in data["steps"]] == ["0.415", "0.602286"]


def test_version_and_help():
    assert run("--version").stdout.startswith("symann 0.1.0")
    help_text = run("solve", "--help").stdout
    assert "--digits" in help_text and "--carry" in help_text


@pytest.mark.parametrize("args, message", [
    (["solve", "missing.toml"], "error: missing.toml: no such file"),
    (["solve", str(EXAMPLES / "two-neurons.toml"), "--digits", "x"], "error: argument --digits"),
    (["solve", str(EXAMPLES / "two-neurons.toml"), "--notation", "chain", "--digits", "99"],
     "error: digits: expected a whole number of decimal places from 0 to 50"),
    (["frobnicate"], "error: argument COMMAND"),
])
def test_errors_are_one_line_and_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_bad_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[layers]]\nweights=[[1,2],[3]]\nbiases=[0,0]\n")
    result = run("solve", str(bad))
    assert result.returncode == 2
    assert result.stderr == f"error: {bad}: layers[1].weights[2]: expected 2 weights (as in " \
                            "weights[1]), got 1\n"
