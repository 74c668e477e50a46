"""Run many ``symann`` command lines as separate processes, fast.

Started as ``python tests/forkrun.py`` with a JSON list of ``{"argv", "cwd"}`` on stdin,
it imports symann once, then forks one child per command line (a few at a time); each
child sets its memory and CPU limits, runs ``symann.cli.main(argv)`` in ``cwd`` with its
own standard output and error, and exits with its status. A child still running after
``WALL_SECONDS`` is killed. Prints a JSON list of ``{"status", "stdout", "stderr",
"seconds"}``: a fresh ``python -m symann`` per case would spend about a second each just
importing SymPy and NumPy.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from symann.cli import main  # noqa: E402 - after the path is set

MEMORY = 2 * 2**30
CPU_SECONDS = 30
WALL_SECONDS = 60
PARALLEL = 4


def _child(argv: list[str], cwd: str, out: int, err: int) -> None:
    """In the forked child: never returns."""
    status = 99
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
        os.chdir(cwd)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        try:
            status = main(argv)
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else 2
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - reported to the test through stderr
        traceback.print_exc()
    os._exit(status)


def _start(case: dict) -> dict:
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:
        _child(case["argv"], case["cwd"], out.fileno(), err.fileno())
    return {"pid": pid, "out": out, "err": err, "started": time.monotonic()}


def _finish(running: dict, status: int) -> dict:
    texts = []
    for handle in (running["out"], running["err"]):
        handle.seek(0)
        texts.append(handle.read().decode("utf-8", errors="backslashreplace"))
        handle.close()
    code = os.waitstatus_to_exitcode(status)
    return {"status": code, "stdout": texts[0], "stderr": texts[1],
            "seconds": time.monotonic() - running["started"]}


def run_all(cases: list[dict]) -> list[dict]:
    results: list[dict | None] = [None] * len(cases)
    waiting = list(enumerate(cases))
    running: dict[int, tuple[int, dict]] = {}
    while waiting or running:
        while waiting and len(running) < PARALLEL:
            index, case = waiting.pop(0)
            started = _start(case)
            running[started["pid"]] = (index, started)
        for pid, (index, started) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if not done and time.monotonic() - started["started"] > WALL_SECONDS:
                os.kill(pid, signal.SIGKILL)
                done, status = os.waitpid(pid, 0)
            if done:
                results[index] = _finish(started, status)
                del running[pid]
        time.sleep(0.005)
    return results  # type: ignore[return-value]


if __name__ == "__main__":
    json.dump(run_all(json.load(sys.stdin)), sys.stdout)
