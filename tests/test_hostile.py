"""Hostile and broken inputs, each run as its own process under a time and memory limit:
exit status 2, exactly one ``error:`` line, no traceback, no "internal error", done in
seconds, and every file that was there before is left byte for byte as it was.

The cases run in one fixture, a few at a time, each in a process forked from one that
has imported symann (``tests/forkrun.py``); each test then asserts on its own case. The
escape-sequence tests run the real ``python -m symann``.
"""
from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from symann import limits

from conftest import EXAMPLES

MEMORY = 2 * 2**30      # bytes of address space each process may use
CPU_SECONDS = 30
WALL_SECONDS = 60       # the hard stop; a case must finish far sooner (SECONDS)
SECONDS = 10            # generous for a loaded 2-core machine; most take milliseconds
FORKRUN = Path(__file__).resolve().parent / "forkrun.py"
NET = (EXAMPLES / "two-neurons.toml").read_text()
PREVIOUS = "previous verdicts, must survive\n"


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def _npy_header(descr: str, shape: tuple[int, ...]) -> bytes:
    """An ``.npy`` header claiming any shape, with no data after it."""
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header


def _npz(path: Path, members: dict[str, bytes], compress: bool = True) -> None:
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name + ".npy", data)


def _good_arrays() -> dict[str, bytes]:
    return {"W1": _npy(np.array([[0.15]])), "b1": _npy(np.array([0.4])),
            "activations": _npy(np.array(["sigmoid"]))}


def _zip_bomb(path: Path) -> None:
    """A small file whose member decompresses to 16 GiB of zeros (its header says so)."""
    header = _npy_header("<f8", (2**31,))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("W1.npy", "w", force_zip64=True) as member:
            member.write(header)
            chunk = bytes(2**20)
            for _ in range(64):   # 64 MiB written, ~64 KiB stored: enough to be a bomb
                member.write(chunk)
        archive.writestr("b1.npy", _npy(np.array([0.4])))
        archive.writestr("activations.npy", _npy(np.array(["sigmoid"])))


def _lying_bomb(path: Path) -> None:
    """A member whose header claims a small array but whose data goes on for 64 MiB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("W1.npy", "w", force_zip64=True) as member:
            member.write(_npy_header("<f8", (1, 1)))
            for _ in range(64):
                member.write(bytes(2**20))
        archive.writestr("b1.npy", _npy(np.array([0.4])))
        archive.writestr("activations.npy", _npy(np.array(["sigmoid"])))


def _write(name: str, data: str | bytes) -> Callable[[Path], None]:
    def make(directory: Path) -> None:
        path = directory / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return make


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def make(directory: Path) -> None:
        with open(directory / name, "wb") as handle:
            handle.truncate(size)
    return make


def _fifo(name: str) -> Callable[[Path], None]:
    return lambda directory: os.mkfifo(directory / name)


def _dir(name: str) -> Callable[[Path], None]:
    return lambda directory: (directory / name).mkdir()


def _call(function: Callable[[Path], None], name: str) -> Callable[[Path], None]:
    return lambda directory: function(directory / name)


def _class_csv(header: str) -> Callable[[Path], None]:
    return _write("class.csv", f"{header}\nann,0.415,0.6023,0.7108,0.6706\n")


@dataclass
class Case:
    """``argv`` run in a fresh directory holding ``net.toml``, ``out.txt`` (an earlier
    output), ``X.csv`` (two good inputs) and whatever ``make`` adds; ``expect`` must be in
    the error line."""

    argv: tuple[str, ...]
    expect: str
    make: tuple[Callable[[Path], None], ...] = ()


def _case(argv: str, expect: str, *make: Callable[[Path], None]) -> Case:
    return Case(tuple(argv.split()), expect, make)


TOML_NUMBERS = limits.TEXT_NUMBERS + 1
CASES: dict[str, Case] = {
    # devices, FIFOs, directories, sizes
    "network /dev/zero": _case("solve /dev/zero", "expected a regular file, got a device"),
    "network /dev/urandom": _case("solve /dev/urandom", "got a device"),
    "network FIFO": _case("solve fifo.toml", "got a FIFO", _fifo("fifo.toml")),
    "network directory": _case("solve dir.toml", "directory", _dir("dir.toml")),
    "network over the size limit": _case("solve big.toml", "the file size limit",
                                         _sparse("big.toml", limits.TEXT_FILE_BYTES + 1)),
    "answers /dev/zero": _case("check net.toml /dev/zero", "got a device"),
    "answers FIFO": _case("check net.toml fifo.toml", "got a FIFO", _fifo("fifo.toml")),
    "class CSV /dev/urandom": _case("check net.toml --batch /dev/urandom -o out.txt",
                                    "got a device"),
    "class CSV FIFO": _case("check net.toml --batch fifo.csv -o out.txt", "got a FIFO",
                            _fifo("fifo.csv")),
    "eval inputs /dev/zero": _case("eval net.toml --inputs /dev/zero", "expected a .csv"),
    "eval inputs FIFO csv": _case("eval net.toml --inputs fifo.csv", "got a FIFO",
                                  _fifo("fifo.csv")),
    "eval inputs FIFO npy": _case("eval net.toml --inputs fifo.npy", "got a FIFO",
                                  _fifo("fifo.npy")),
    "eval inputs over the size limit": _case("eval net.toml --inputs big.csv",
                                             "the file size limit",
                                             _sparse("big.csv", limits.CSV_FILE_BYTES + 1)),
    "npz network FIFO": _case("solve fifo.npz", "got a FIFO", _fifo("fifo.npz")),
    # TOML and JSON
    "huge dotted key": _case("solve key.toml", "the key-part limit",
                             _write("key.toml", "a" + ".a" * 100_000 + " = 1\n")),
    "huge dotted table header": _case("solve key.toml", "the key-part limit",
                                      _write("key.toml", "[" + ".".join(["b"] * 50_000) + "]\n")),
    "deep JSON nesting": _case("solve deep.json", "the nesting limit",
                               _write("deep.json", "[" * 100_000 + "]" * 100_000)),
    "deep TOML nesting": _case("solve deep.toml", "the nesting limit",
                               _write("deep.toml", "a = " + "[" * 100_000 + "]" * 100_000)),
    "duplicate JSON key": _case("solve dup.json", "duplicate key 'inputs'", _write(
        "dup.json", '{"inputs": [0.1], "inputs": [0.2], "layers": [{"weights": [[1]], '
        '"biases": [0]}]}')),
    "lone surrogate title": _case("solve s.json", "lone surrogate", _write(
        "s.json", '{"title": "\\ud800", "layers": [{"weights": [[1]], "biases": [0]}]}')),
    "lone surrogate answer": _case("check net.toml s.json", "lone surrogate",
                                   _write("s.json", '{"z1_1": "\\udfff"}')),
    "5000-digit decimal": _case("solve d.json", "the digit limit", _write(
        "d.json", '{"layers": [{"weights": [[0.' + "1" * 5000 + ']], "biases": [0]}]}')),
    "400-digit integer": _case("solve d.toml", "the digit limit", _write(
        "d.toml", "[[layers]]\nweights = [[" + "7" * 400 + "]]\nbiases = [0]\n")),
    "5000-digit integer": _case("solve d.toml", "the digit limit", _write(
        "d.toml", "[[layers]]\nweights = [[" + "7" * 5000 + "]]\nbiases = [0]\n")),
    "too many neurons": _case("solve wide.toml", "the width limit", _write(
        "wide.toml",
        "[[layers]]\nweights = [" + "[1]," * (limits.WIDTH + 1) + "]\nbiases = [0]\n")),
    "too many exact numbers": _case("solve many.toml", "the limit on exact numbers", _write(
        "many.toml", "[[layers]]\nweights = [[" + "1," * TOML_NUMBERS + "]]\nbiases = [0]\n")),
    "too many list items": _case("solve rows.toml", "the item limit", _write(
        "rows.toml", "[[layers]]\nweights = [" + "[0.35]," * 1_000_000 + "]\nbiases = [0]\n")),
    "too many layers": _case("solve deep.toml", "the layer limit", _write(
        "deep.toml", "[[layers]]\nweights = [[1]]\nbiases = [0]\n" * (limits.LAYERS + 1))),
    "not UTF-8": _case("solve bad.toml", "expected UTF-8", _write("bad.toml", b"a = '\xff'\n")),
    "answers not a table": _case("check net.toml a.json", "expected a table",
                                 _write("a.json", "[1, 2]")),
    # .npz and .npy
    "npz zip bomb": _case("solve bomb.npz", "the array size limit", _call(_zip_bomb, "bomb.npz")),
    "npz zip bomb, eval": _case("eval bomb.npz --inputs X.csv", "the array size limit",
                                _call(_zip_bomb, "bomb.npz")),
    "npz not a zip": _case("solve bad.npz", "not a readable .npz", _write("bad.npz", b"PK\x03")),
    "npz garbage member": _case("solve bad.npz", "not a readable .npz", lambda d: _npz(
        d / "bad.npz", {**_good_arrays(), "W1": b"\x93NUMPY garbage"})),
    "npz huge header": _case("solve bad.npz", "not a readable .npz", lambda d: _npz(
        d / "bad.npz", {**_good_arrays(), "W1": b"\x93NUMPY\x01\x00\xff\xff" + b" " * 65535})),
    "npz truncated data": _case("solve bad.npz", "not a readable .npz", lambda d: _npz(
        d / "bad.npz", {**_good_arrays(), "W1": _npy(np.ones((4, 4)))[:-20]})),
    "npz complex weights": _case("solve c.npz", "W1: expected real numbers", lambda d: _npz(
        d / "c.npz", {**_good_arrays(), "W1": _npy(np.array([[1 + 2j]]))})),
    "npz datetime weights": _case("solve t.npz", "got datetimes", lambda d: _npz(
        d / "t.npz", {**_good_arrays(), "W1": _npy(np.array([["2024-01-01"]],
                                                             dtype="datetime64[D]"))})),
    "npz pickled objects": _case("solve o.npz", "got Python objects", lambda d: _npz(
        d / "o.npz", {**_good_arrays(), "W1": _npy(np.array([[0.1]], dtype=object))})),
    "npz boolean biases": _case("solve b.npz", "got booleans", lambda d: _npz(
        d / "b.npz", {**_good_arrays(), "b1": _npy(np.array([True]))})),
    "npz numeric activations": _case("solve a.npz", "activations: expected texts", lambda d: _npz(
        d / "a.npz", {**_good_arrays(), "activations": _npy(np.ones(1))})),
    "npy complex inputs": _case("eval net.toml --inputs c.npy", "got complex numbers",
                                _write("c.npy", _npy(np.array([[1j]])))),
    "npy datetime inputs": _case("eval net.toml --inputs t.npy", "got datetimes",
                                 _write("t.npy", _npy(np.array(["2024-01-01"],
                                                               dtype="datetime64[D]")))),
    "npy header claims a huge batch": _case("eval net.toml --inputs h.npy", "the batch limit",
                                            _write("h.npy", _npy_header("<f8", (10**12, 1)))),
    "npy truncated": _case("eval net.toml --inputs t.npy", "not a readable .npy",
                           _write("t.npy", _npy(np.ones((100, 1)))[:-8])),
    # eval CSV
    "CSV NaN first row": _case("eval net.toml --inputs n.csv", "row 1, column 1",
                               _write("n.csv", "nan\n0.5\n")),
    "CSV infinity first row": _case("eval net.toml --inputs n.csv", "expected finite numbers",
                                    _write("n.csv", "infinity\n0.5\n")),
    "CSV Inf later row": _case("eval net.toml --inputs n.csv", "row 2, column 1",
                               _write("n.csv", "x\n0.5\n-Inf\n")),
    "CSV empty": _case("eval net.toml --inputs e.csv", "at least one row", _write("e.csv", "")),
    "CSV header only": _case("eval net.toml --inputs e.csv", "at least one row",
                             _write("e.csv", "x1\n")),
    "CSV ragged": _case("eval net.toml --inputs r.csv", "expected", _write("r.csv", "1\n2,3\n")),
    "CSV text cell": _case("eval net.toml --inputs r.csv", "expected numbers",
                           _write("r.csv", "x\n1\nabc\n")),
    "CSV beyond float32": _case("eval net.toml --inputs b.csv --dtype float32", "float32",
                                _write("b.csv", "1e39\n")),
    "eval overflow": _case("eval big.toml --inputs b.csv", "overflows", _write(
        "big.toml", "[[layers]]\nweights=[[1e300]]\nbiases=[0]\nactivation='identity'\n"),
        _write("b.csv", "1e300\n")),
    # options
    "--steps nope": _case("check net.toml a.toml --steps nope", "--steps: no step 'nope'",
                          _write("a.toml", "z1_1 = 0.415\n")),
    "--digits superscript": _case("solve net.toml --digits ²", "argument --digits"),
    "--follow-through-credit nan": _case("check net.toml a.toml --follow-through-credit nan",
                                         "expected a number from 0 to 1",
                                         _write("a.toml", "z1_1 = 0.415\n")),
    "unknown field with escapes": _case("solve esc.toml", "\\x1b[8m: unknown field",
                                        _write("esc.toml", '"\\u001b[8m" = 1\n')),
    # outputs
    "-o a directory": _case("solve net.toml -o outdir", "directory", _dir("outdir")),
    "-o /dev/full": _case("solve net.toml -o /dev/full", "No space left on device"),
    "-o FIFO without reader": _case("solve net.toml -o fifo", "a FIFO with no reader",
                                    _fifo("fifo")),
    "-o in a missing directory": _case("solve net.toml -o nowhere/out.txt", "no such directory"),
    "-o the network": _case("solve net.toml -o net.toml", "is also an input"),
    "-o the network, other spelling": _case("solve net.toml -o ./sub/../net.toml",
                                            "is also an input", _dir("sub")),
    "-o the answers": _case("check net.toml a.toml -o a.toml", "is also an input",
                            _write("a.toml", "z1_1 = 0.415\n")),
    "-o the class CSV": _case("check net.toml --batch class.csv -o class.csv",
                              "is also an input", _class_csv("student,z1_1,a1_1,z2_1,a2_1")),
    "-o the eval inputs": _case("eval net.toml --inputs X.csv -o X.csv", "is also an input"),
    "class CSV header typo keeps old verdicts": _case(
        "check net.toml --batch class.csv -o out.txt", "no step 'z1_l'",
        _class_csv("student,z1_l,a1_1,z2_1,a2_1")),
    "missing class CSV keeps old verdicts": _case("check net.toml --batch gone.csv -o out.txt",
                                                  "no such file"),
    "bad answers keep old report": _case("check net.toml a.toml -o out.txt", "not valid TOML",
                                         _write("a.toml", "z1_1 = = 1\n")),
    "bad network keeps old solution": _case("solve bad.toml -o out.txt", "expected 2 weights",
                                            _write("bad.toml", "[[layers]]\nweights=[[1,2],[3]]"
                                                   "\nbiases=[0,0]\n")),
    "bad eval inputs keep old outputs": _case("eval net.toml --inputs X.npy -o out.txt",
                                              "no such file"),
}


#: hostile inputs that are fine to accept, as long as time and memory stay bounded
BOUNDED: dict[str, Case] = {
    "npz member longer than its header says": _case("eval lie.npz --inputs X.csv", "",
                                                    _call(_lying_bomb, "lie.npz")),
    "-o /dev/null": _case("solve net.toml -o /dev/null", ""),
}


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in directory.iterdir() if path.is_file()}


def _prepare(case: Case, directory: Path) -> dict[str, bytes]:
    directory.mkdir()
    (directory / "net.toml").write_text(NET)
    (directory / "out.txt").write_text(PREVIOUS)
    (directory / "X.csv").write_text("x1\n0.1\n0.2\n")
    for make in case.make:
        make(directory)
    return _snapshot(directory)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    cases = {**CASES, **BOUNDED}
    directories = {name: base / f"case{number}" for number, name in enumerate(cases)}
    before = {name: _prepare(cases[name], directories[name]) for name in cases}
    request = [{"argv": list(cases[name].argv), "cwd": str(directories[name])} for name in cases]
    ran = subprocess.run([sys.executable, str(FORKRUN)], input=json.dumps(request),
                         capture_output=True, text=True, timeout=20 * WALL_SECONDS)
    assert ran.returncode == 0, ran.stderr
    outcomes = dict(zip(cases, json.loads(ran.stdout)))
    yield {name: (outcomes[name], before[name], _snapshot(directories[name]))
           for name in cases}
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("name", list(CASES))
def test_refused_cleanly_and_nothing_lost(results, name):
    result, before, after = results[name]
    assert result["status"] == 2, (result["stdout"][-500:], result["stderr"][-2000:])
    lines = result["stderr"].splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result["stderr"][-2000:]
    assert "Traceback" not in result["stderr"] and "internal error" not in result["stderr"]
    assert "\x1b" not in result["stderr"]
    assert CASES[name].expect in lines[0], lines[0]
    assert result["seconds"] < SECONDS
    assert after == before, "a file was changed, removed or added"


@pytest.mark.parametrize("name", list(BOUNDED))
def test_accepted_in_bounded_time_and_memory(results, name):
    result, before, after = results[name]
    assert result["status"] == 0, result["stderr"][-2000:]
    assert result["stderr"] == "" and result["seconds"] < SECONDS
    assert after == before


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def test_escape_sequences_in_a_title_are_shown_not_run(tmp_path):
    network = tmp_path / "net.json"
    network.write_text('{"title": "\\u001b[8mhidden\\u001b]0;pwned\\u0007\\u009b31m\\u202e", '
                       '"inputs": [0.1], "layers": [{"weights": [[0.15]], "biases": [0.4]}]}')
    for format in ("text", "markdown", "latex", "html", "json", "mathml"):
        result = subprocess.run([sys.executable, "-m", "symann", "solve", str(network),
                                 "--format", format], capture_output=True, text=True,
                                timeout=WALL_SECONDS, preexec_fn=_limits)
        assert result.returncode == 0, result.stderr
        for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert raw not in result.stdout, (format, raw)
        if format in ("text", "html"):
            assert "\\x1b[8mhidden" in result.stdout, format


def test_a_newline_in_a_title_cannot_forge_a_line(tmp_path):
    network = tmp_path / "net.json"
    network.write_text('{"title": "T\\n  z = 1 ✓ correct", "inputs": [0.1], '
                       '"layers": [{"weights": [[0.15]], "biases": [0.4]}]}')
    result = subprocess.run([sys.executable, "-m", "symann", "solve", str(network)],
                            capture_output=True, text=True, timeout=WALL_SECONDS)
    assert result.stdout.splitlines()[0] == "T\\x0a  z = 1 ✓ correct"
