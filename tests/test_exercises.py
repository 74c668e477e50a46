"""symann exercise (issue 12): seeded variants, keys, the class CSV, grading by seed, the
filter and the atomic directory, through the command line as a teacher runs it."""
from __future__ import annotations

import csv
import hashlib
import importlib
import io
import math
import os
import random
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import symann
import symann.exercises
from symann.cli import main
from symann.exercises import Options, generate

from conftest import ROOT

#: the module (symann.exercises.generate is also the function)
generate_module = importlib.import_module("symann.exercises.generate")

SIGMOID = ["--architecture", "2-2-1", "--activation", "sigmoid"]
RELU_SOFTMAX = ["--architecture", "3-3-2", "--activation", "relu,softmax"]


def make(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    assert main(["exercise", "--seed", "12", *args, "--out", str(out)]) == 0
    return out


def tree(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file()}


def roster(tmp_path: Path, students: list[str]) -> Path:
    path = tmp_path / "students.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "student"])
        writer.writerows([[f"N{i}", s] for i, s in enumerate(students)])
    return path


STUDENTS = ["s001", "Zoë Müller", "o'brien, pat", "s004", "s005"]


def test_same_arguments_give_byte_identical_files_in_any_process(tmp_path):
    args = [*RELU_SOFTMAX, "--count", "4"]
    first, second = make(tmp_path, "a", *args), make(tmp_path, "b", *args)
    files = tree(first)
    assert files == tree(second)
    assert {"exercise.toml", "class.csv", "quiz.xml", "exercise.tex", "solution.tex",
            "exercise.md", "solution.md", "exercise.html", "solution.html",
            "001/network.toml", "004/key.toml"} <= set(files)
    # another process with another string hash seed (hash() and set order differ there)
    third = tmp_path / "c"
    subprocess.run([sys.executable, "-m", "symann", "exercise", "--seed", "12", *args,
                    "--out", str(third)], check=True, capture_output=True, timeout=120,
                   env={**os.environ, "PYTHONHASHSEED": "4242", "PYTHONPATH": str(ROOT)})
    assert tree(third) == files


def documented_draw(seed: int, label: str, attempt: int, widths, steps) -> list[Fraction]:
    """docs/exercises.md's recipe, written out again: SHA-256 seeds random.Random, and each
    number is step × randrange(ceil(low/step), floor(high/step) + 1), inputs first, then
    per layer the weights row by row and the biases."""
    digest = hashlib.sha256(f"symann-exercise/{seed}/{label}/{attempt}".encode()).digest()
    rng = random.Random(int.from_bytes(digest, "big"))
    numbers = []
    for count, (low, high, step) in zip(widths, steps):
        numbers += [step * rng.randrange(math.ceil(low / step), math.floor(high / step) + 1)
                    for _ in range(count)]
    return numbers


def test_the_variants_are_the_documented_draws_and_pinned():
    """Seed 12 itself: the accepted draw of each variant is the documented recipe's, and
    its numbers are pinned (a Python whose random differed, or a changed seeding, would
    break every class made before: it could no longer be regenerated and graded)."""
    exercise = generate(Options(12, (2, 2, 1), ("sigmoid", "sigmoid")), count=2)
    inputs, weights, biases = ((Fraction(-1), Fraction(1), Fraction(1, 10)),
                               (Fraction(-1), Fraction(1), Fraction(1, 20)),
                               (Fraction(-1, 2), Fraction(1, 2), Fraction(1, 10)))
    for variant in exercise.variants:
        network = variant.network
        drawn = documented_draw(12, str(variant.number), variant.attempts - 1, [2, 4, 2, 2, 1],
                                [inputs, weights, biases, weights, biases])
        made = [*network.inputs, *network.layers[0].weights[0], *network.layers[0].weights[1],
                *network.layers[0].biases, *network.layers[1].weights[0],
                *network.layers[1].biases]
        assert made == drawn
    pinned = [(v.network.inputs, v.network.layers[0].weights[0]) for v in exercise.variants]
    # read from the first run: x = (0.8, 0.1), w1 = (0.25, 0.75); x = (-1, 0.9),
    # w1 = (-0.35, 0.6): multiples of 0.1 and 0.05 in [-1, 1], as the ranges say
    assert pinned == [((Fraction(4, 5), Fraction(1, 10)), (Fraction(1, 4), Fraction(3, 4))),
                      ((Fraction(-1), Fraction(9, 10)), (Fraction(-7, 20), Fraction(3, 5)))]


def test_different_seeds_give_different_variants():
    options = [Options(seed, (2, 2, 1), ("sigmoid", "sigmoid")) for seed in (1, 2)]
    one, two = (generate(o, count=5) for o in options)
    assert [symann.dumps(v.network) for v in one.variants] != \
        [symann.dumps(v.network) for v in two.variants]
    assert all(symann.dumps(a.network) != symann.dumps(b.network)
               for a, b in zip(one.variants, two.variants))


def test_a_roster_gives_each_student_their_own_variant(tmp_path):
    out = make(tmp_path, "class", *SIGMOID, "--roster", str(roster(tmp_path, STUDENTS)))
    rows = list(csv.reader(io.StringIO((out / "class.csv").read_text(encoding="utf-8"))))
    assert [row[0] for row in rows] == ["student", *STUDENTS]
    assert rows[0][1:] == ["z1_1", "a1_1", "z1_2", "a1_2", "z2_1", "a2_1"]
    # the same student gets the same variant in a smaller class, in another place
    small = make(tmp_path, "small", *SIGMOID, "--roster",
                 str(roster(tmp_path, ["s005", "Zoë Müller"])))
    assert (small / "001/network.toml").read_text().split("\n", 1)[1] == \
        (out / "005/network.toml").read_text().split("\n", 1)[1]
    # the name breakable between its characters (a long one wraps), then read as written
    assert "Zoë Müller" in (out / "exercise.tex").read_text(encoding="utf-8").replace(
        "\\penalty5000{}", "")


@pytest.mark.parametrize("args", [SIGMOID, RELU_SOFTMAX,
                                  ["--architecture", "2-3-1", "--activation", "tanh,identity",
                                   "--digits", "2", "--ask", "outputs"],
                                  ["--architecture", "2-2-1", "--activation", "relu,identity",
                                   "--digits", "0", "--inputs=-3:3:1", "--weights=-2:2:1",
                                   "--biases=-2:2:1"],
                                  ["--architecture", "2-2-1", "--activation", "sigmoid",
                                   "--digits", "6"]])
def test_every_key_passes_symann_check(tmp_path, args, capsys):
    """As documented: ``symann check NNN/network.toml NNN/key.toml`` exits 0 at any
    --digits, with no option (the key says its places)."""
    digits = int(args[args.index("--digits") + 1]) if "--digits" in args else 4
    out = make(tmp_path, "class", *args, "--count", "6", "--formats", "latex")
    for number in range(1, 7):
        variant = out / f"{number:03d}"
        capsys.readouterr()
        assert main(["check", str(variant / "network.toml"), str(variant / "key.toml")]) == 0, \
            capsys.readouterr()
        key = tomllib.loads((variant / "key.toml").read_text())
        assert key.pop("digits") == digits
        derivation = symann.load(variant / "network.toml").forward(digits=digits)
        assert list(key) == list(derivation.ids)
        assert [step.shown.text for step in derivation] == list(key.values())
        asked = [s.id for s in derivation.outputs] if "outputs" in args else derivation.ids
        assert f"# asked: {', '.join(asked)}\n" in (variant / "key.toml").read_text()


def answers_from_keys(out: Path, rows: list[str]) -> list[list[str]]:
    header = next(csv.reader(io.StringIO((out / "class.csv").read_text(encoding="utf-8"))))
    table = [header]
    for name, directory in rows:
        key = tomllib.loads((out / directory / "key.toml").read_text())
        table.append([name, *(key[step] for step in header[1:])])
    return table


def grade(tmp_path: Path, out: Path, table: list[list[str]], capsys) -> list[dict[str, str]]:
    path = tmp_path / "answers.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    capsys.readouterr()
    assert main(["check", "--batch", str(path), "--exercise", str(out)]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_grading_by_seed_catches_a_wrong_answer_with_follow_through(tmp_path, capsys):
    out = make(tmp_path, "class", *SIGMOID, "--roster", str(roster(tmp_path, STUDENTS)))
    table = answers_from_keys(out, [(s, f"{i:03d}") for i, s in enumerate(STUDENTS, 1)])
    # student 2 adds wrongly in z1_1 and carries it on: a1_1 = σ(wrong z1_1)
    wrong = Fraction(table[2][1]) + Fraction(1, 10)
    table[2][1] = str(float(wrong))
    table[2][2] = mpmath.nstr(1 / (1 + mpmath.exp(-mpmath.mpf(str(float(wrong))))), 12)
    # student 3 hands in student 1's answers: their own variant differs
    table[3][1:] = table[1][1:]
    table.append(["stranger", *table[1][1:]])
    verdicts = {row["student"]: row for row in grade(tmp_path, out, table, capsys)}
    assert verdicts["s001"]["score"] == "6" and verdicts["s004"]["score"] == "6"
    assert verdicts["Zoë Müller"]["z1_1"] == "incorrect"
    assert verdicts["Zoë Müller"]["a1_1"] == "follow_through"
    assert float(verdicts["o'brien, pat"]["score"]) < 6
    assert verdicts["stranger"]["z1_1"] == "error"
    assert "student 'stranger' is not in the exercise's roster (5 students)" in \
        verdicts["stranger"]["feedback"]
    assert len(verdicts) == 6


def test_a_missing_or_edited_variant_is_an_error_for_its_row_only(tmp_path, capsys):
    out = make(tmp_path, "class", *SIGMOID, "--count", "3", "--formats", "latex")
    table = answers_from_keys(out, [("001", "001"), ("2", "002"), ("003", "003")])
    (out / "001" / "network.toml").unlink()
    edited = out / "003" / "network.toml"
    edited.write_text(re.sub(r"inputs = \[[^,]*", "inputs = [0.123", edited.read_text()))
    verdicts = {row["student"]: row for row in grade(tmp_path, out, table, capsys)}
    assert "does not exist" in verdicts["001"]["feedback"]
    assert verdicts["2"]["score"] == "6"           # a spreadsheet dropped the zeros of 002
    assert "is not the variant the exercise's seed makes" in verdicts["003"]["feedback"]
    broken = out / "002" / "network.toml"
    broken.write_text(broken.read_text().replace("biases = [", "biases = [1, ", 1))
    verdicts = {row["student"]: row for row in grade(tmp_path, out, table, capsys)}
    assert f"{broken}: layers[1].biases: expected 2 biases" in verdicts["2"]["feedback"]


def test_a_non_empty_directory_needs_force_and_a_failure_leaves_it_as_it_was(
        tmp_path, capsys, monkeypatch):
    out = tmp_path / "class"
    args = ["exercise", "--seed", "1", *SIGMOID, "--count", "3", "--out", str(out)]
    assert main([*args[:2], "2", *args[3:]]) == 0   # a previous exercise (seed 2)
    previous = tree(out)
    assert main(args) == 2
    assert "not empty; --force replaces" in capsys.readouterr().err
    assert tree(out) == previous
    written = []
    real = generate_module.write_file

    def failing(path: Path, data: str) -> None:
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(generate_module, "write_file", failing)
    assert main([*args, "--force"]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert tree(out) == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class"]   # no temporary left
    monkeypatch.setattr(generate_module, "write_file", real)
    assert main([*args, "--force"]) == 0
    assert tree(out) != previous and "001/key.toml" in tree(out)


@pytest.mark.parametrize("args, message", [
    (["--architecture", "2-x-1"], "expected widths joined by '-'"),
    (["--architecture", "2-2-1", "--activation", "relu,relu,relu"], "one per layer (2)"),
    (["--architecture", "2-2-1", "--weights=-1:1:0.001"], "at most 2 decimals"),
    (["--architecture", "2-2-1", "--ask", "z,q"], "expected all, outputs"),
    (["--architecture", "1-1", "--inputs", "0:0:0.1"], "the filter rejected all"),
])
def test_bad_options_are_one_line_errors(tmp_path, capsys, args, message):
    assert main(["exercise", "--seed", "1", "--count", "2", *args,
                 "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err, err
    assert not (tmp_path / "x").exists()


# --- the filter, checked by an independent implementation of the README's rules ---------

def _round(value: Fraction, digits: int) -> Fraction:
    scaled = abs(value) * 10**digits
    whole = int(scaled + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole, 10**digits)


def _activate(name: str, zs: list[Fraction]) -> list[mpmath.mpf]:
    z = [mpmath.mpf(v.numerator) / v.denominator for v in zs]
    if name == "sigmoid":
        return [1 / (1 + mpmath.exp(-v)) for v in z]
    if name == "tanh":
        return [mpmath.tanh(v) for v in z]
    if name == "relu":
        return [max(mpmath.mpf(0), v) for v in z]
    if name == "identity":
        return z
    total = mpmath.fsum(mpmath.exp(v) for v in z)
    return [mpmath.exp(v) / total for v in z]


def _exact(value: mpmath.mpf) -> Fraction:
    """An mpf (a binary fraction) as the exact fraction it is."""
    sign, mantissa, exponent, _ = mpmath.mpf(value)._mpf_   # man_exp drops the sign
    return (-1) ** sign * Fraction(int(mantissa)) * Fraction(2) ** int(exponent)


def degenerate(table: dict, digits: int) -> list[str]:
    """The README's rules, judged from the network file alone (mpmath, 50 digits)."""
    mpmath.mp.dps = 50
    found = []
    inputs = [Fraction(str(x)) for x in table["inputs"]]
    layers = [([[Fraction(str(w)) for w in row] for row in layer["weights"]],
               [Fraction(str(b)) for b in layer["biases"]], layer["activation"])
              for layer in table["layers"]]
    if 0 in inputs or any(0 in row or 0 in biases for rows, biases, _ in layers
                          for row in rows):
        found.append("zero")
    shown = inputs
    for rows, biases, name in layers:   # as the worked solution computes: shown carry
        zs = [sum((w * x for w, x in zip(row, shown)), Fraction(0)) + b
              for row, b in zip(rows, biases)]
        if 0 in zs or any(_round(z, digits) == 0 for z in zs):   # exactly or as shown
            found.append("kink")
        bound = {"sigmoid": Fraction(9, 2), "tanh": Fraction(5, 2)}.get(name)
        if bound is not None and any(abs(z) > bound for z in zs):
            found.append("saturated")
        values = _activate(name, [_round(z, digits) for z in zs])   # a from the shown z
        if all(v == 0 for v in values):
            found.append("dead")
        shown = [_round(_exact(v), digits) for v in values]

    def outputs(skip):   # exact carry, one bias left out
        a = [mpmath.mpf(x.numerator) / x.denominator for x in inputs]
        trace = []
        for number, (rows, biases, name) in enumerate(layers):
            zs = [mpmath.fsum(mpmath.mpf(w.numerator) / w.denominator * x
                              for w, x in zip(row, a))
                  + (0 if skip == (number, j) else mpmath.mpf(b.numerator) / b.denominator)
                  for j, (row, b) in enumerate(zip(rows, biases))]
            a = _activate(name, [_exact(z) for z in zs])
            trace.append(a)
        return trace

    full = outputs(None)
    unit = mpmath.mpf(10) ** -digits
    for number, (_, biases, _) in enumerate(layers):
        for j in range(len(biases)):
            if full[number][j] == 0:
                continue
            change = max(abs(p - q) for p, q in zip(outputs((number, j))[-1], full[-1]))
            if abs(change - unit) < 1e-9:
                pytest.skip("a change of one unit within float64 error: undecided")
            if change < unit:
                found.append("bias")
    return found


ARCHITECTURES = [((2, 2, 1), ("sigmoid", "sigmoid")), ((3, 3, 2), ("relu", "softmax")),
                 ((2, 3, 1), ("tanh", "identity")), ((1, 2, 2, 1), ("relu", "relu", "sigmoid"))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**63 - 1), shape=st.sampled_from(ARCHITECTURES),
       digits=st.sampled_from([2, 3, 4]))
def test_no_generated_variant_is_degenerate(seed, shape, digits):
    exercise = generate(Options(seed, shape[0], shape[1], digits=digits), count=4)
    seen = []
    for variant in exercise.variants:
        table = tomllib.loads(symann.dumps(variant.network))
        assert degenerate(table, digits) == [], symann.dumps(variant.network)
        parameters = (table["inputs"], [(t["weights"], t["biases"]) for t in table["layers"]])
        assert parameters not in seen
        seen.append(parameters)


def test_the_independent_rules_do_find_degenerate_draws_when_the_filter_is_off():
    """The property above can fail: without the filter, the rules find each kind."""
    from symann.exercises import Rules
    from symann.exercises.filters import RULES
    found: set[str] = set()
    for shape, digits in ((ARCHITECTURES[1], 4), (ARCHITECTURES[0], 2)):
        options = Options(3, shape[0], shape[1], digits=digits, rules=Rules(off=tuple(RULES)))
        for variant in generate(options, count=60).variants:
            found.update(degenerate(tomllib.loads(symann.dumps(variant.network)), digits))
    assert {"zero", "bias", "dead"} <= found, found
    wide = Options(3, (2, 1), ("sigmoid",), inputs=symann.exercises.Range.parse("-9:9:1", "x"),
                   weights=symann.exercises.Range.parse("-9:9:1", "w"),
                   rules=Rules(off=tuple(RULES)))
    assert any("saturated" in degenerate(tomllib.loads(symann.dumps(v.network)), 4)
               for v in generate(wide, count=20).variants)


@pytest.mark.parametrize("args", [
    [*RELU_SOFTMAX, "--count", "120"],
    # 5 × 5 × 5 = 125 networks for 100 variants: many duplicates are redrawn
    ["--architecture", "1-1", "--count", "100", "--inputs=0.1:0.5:0.1",
     "--weights=0.1:0.5:0.1", "--biases=0.1:0.5:0.1"],
])
def test_two_processes_make_the_same_files_as_one(tmp_path, args):
    one = make(tmp_path, "one", *args, "--jobs", "1")
    two = make(tmp_path, "two", *args, "--jobs", "2")
    files = tree(one)
    assert files == tree(two)
    networks = [text.split(b"\n", 1)[1] for name, text in files.items()
                if name.endswith("network.toml")]
    assert len(networks) == len(set(networks)) == int(args[args.index("--count") + 1])


def test_a_manifest_without_draws_is_graded_by_running_the_filter_again(tmp_path, capsys):
    out = make(tmp_path, "class", *SIGMOID, "--count", "4", "--formats", "latex")
    manifest = out / "exercise.toml"
    text = manifest.read_text()
    assert re.search(r"draws = \[\n  \d", text)
    manifest.write_text(re.sub(r"draws = \[\n[^\]]*\]\n", "", text))
    table = answers_from_keys(out, [(f"{n:03d}", f"{n:03d}") for n in range(1, 5)])
    verdicts = grade(tmp_path, out, table, capsys)
    assert [row["score"] for row in verdicts] == ["6"] * 4
    # a draws list of the wrong length is refused, naming the manifest
    manifest.write_text(text.replace("draws = [\n  ", "draws = [\n  7, ", 1))
    capsys.readouterr()
    assert main(["check", "--batch", str(tmp_path / "answers.csv"), "--exercise",
                 str(out)]) == 2
    assert "expected 4 draws" in capsys.readouterr().err
