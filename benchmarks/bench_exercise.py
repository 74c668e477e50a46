"""Exercise speed: a class of 1 000 variants made and written with keys, sheets (LaTeX,
Markdown, HTML) and the Moodle quiz, then graded by seed; pdflatex not included.

    python benchmarks/bench_exercise.py [--count 1000] [--jobs 2]

Target (issue 12): the class made in under 10 s on two cores. The figures are wall-clock
seconds of the command line's own path (``symann exercise``, ``symann check --batch
--exercise``) in this process, the median of three runs, with the machine's load printed:
on a shared machine the load says how much of two cores there was, and the CPU seconds
(this process and its worker processes) are the work done, whatever the load.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from symann.cli import main

ROUNDS = 3
ARCHITECTURES = {"2-2-1 sigmoid": ["--architecture", "2-2-1", "--activation", "sigmoid"],
                 "3-4-3 relu,softmax": ["--architecture", "3-4-3", "--activation",
                                        "relu,softmax"]}


def cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one command."""
    started, used = time.perf_counter(), cpu()
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    assert status == 0, argv
    return time.perf_counter() - started, cpu() - used


def answers(directory: Path, path: Path) -> None:
    """Every student's key as their answers, a wrong first step for every third."""
    rows = list(csv.reader((directory / "class.csv").open(encoding="utf-8")))
    header = rows[0]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, row in enumerate(rows[1:], 1):
            key = {}
            for line in (directory / row[0] / "key.toml").read_text().splitlines():
                if " = " in line and not line.startswith("#"):
                    step, value = line.split(" = ")
                    key[step] = value.strip('"')
            cells = [key[step] for step in header[1:]]
            if number % 3 == 0:
                cells[0] = "0.1234"
            writer.writerow([row[0], *cells])


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}, cores: {os.cpu_count()}")
    print("| class | jobs | make + write: wall (s) | CPU (s) | grade: wall (s) | CPU (s) |")
    print("|---|---|---|---|---|---|")
    for label, architecture in ARCHITECTURES.items():
        for jobs in sorted({1, args.jobs}):
            made, graded = [], []
            for _ in range(ROUNDS):
                work = Path(tempfile.mkdtemp(prefix="symann-bench-"))
                try:
                    out = work / "class"
                    made.append(timed(["exercise", "--seed", "1", *architecture, "--count",
                                       str(args.count), "--jobs", str(jobs),
                                       "--out", str(out)]))
                    answers(out, work / "answers.csv")
                    graded.append(timed(["check", "--batch", str(work / "answers.csv"),
                                         "--exercise", str(out), "-o",
                                         str(work / "verdicts.csv")]))
                finally:
                    shutil.rmtree(work, ignore_errors=True)
            make = [statistics.median(run[i] for run in made) for i in (0, 1)]
            grade = [statistics.median(run[i] for run in graded) for i in (0, 1)]
            print(f"| {label} | {jobs} | {make[0]:.2f} | {make[1]:.2f} | {grade[0]:.2f} | "
                  f"{grade[1]:.2f} |", flush=True)
    print(f"load average after: {os.getloadavg()}", file=sys.stdout)


if __name__ == "__main__":
    main_bench()
