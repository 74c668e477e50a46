"""Checking speed: numeric answers per second, and the median formula-equivalence check.

    python benchmarks/bench_check.py

The class is the course's two-neuron network; each simulated student answers the four
steps, drawn from a mix of right answers, rounded ones, slips that earn follow-through,
common mistakes (which run the diagnoses) and expressions for the parser.
"""
from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import symann
from symann.grading.grade import Checker

ROOT = Path(__file__).resolve().parent.parent
STUDENTS = 5000
ROUNDS = 5
ANSWERS = {
    "z1_1": ["0.415", "0.415", "0.42", "0.015", 0.415],
    "a1_1": ["0.6023", "0.60229", "0.6035", "0.415", r"\frac{1}{1+e^{-0.415}}"],
    "z2_1": ["0.7108", "0.710805", "0.7112", "0.71", "0.6023*0.35+0.5"],
    "a2_1": ["0.6706", "0.67058", "0.6707", "0.3294", "sigma(0.7108)"],
}
FORMULAS = [("z1_1_formula", "x_1 w_1 + b_1"), ("z2_1_formula", "a_1 w_2 + b_2"),
            ("a1_1_formula", r"\frac{1}{1+e^{-z_1}}"), ("a2_1_formula", r"\frac{e^{z_2}}{1+e^{z_2}}"),
            ("a1_1_formula", "1/(1+e^{z_1})"), ("z1_1_formula", "w_1 + x_1 + b_1")]


def numeric_rate(checker: Checker, right_only: bool = False) -> tuple[float, dict[str, int]]:
    rng = random.Random(7)
    students = [{key: options[0] if right_only else rng.choice(options)
                 for key, options in ANSWERS.items()} for _ in range(STUDENTS)]
    rates = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for answers in students:
            checker.check(answers)
        rates.append(STUDENTS * len(ANSWERS) / (time.perf_counter() - started))
    tally: dict[str, int] = {}
    for answers in students:
        for status, n in checker.check(answers).counts().items():
            tally[status] = tally.get(status, 0) + n
    return statistics.median(rates), tally


def formula_times(checker: Checker) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        for key, formula in FORMULAS:
            started = time.perf_counter()
            checker.check({key: formula}, steps=[key])
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    checker = Checker(symann.load(ROOT / "examples" / "two-neurons.toml").forward())
    rate, tally = numeric_rate(checker)
    print(f"numeric answers checked: {rate:,.0f} per second (median of {ROUNDS} rounds of "
          f"{STUDENTS} students x {len(ANSWERS)} steps); statuses: {tally}")
    rate, _ = numeric_rate(checker, right_only=True)
    print(f"numeric answers checked, all right: {rate:,.0f} per second")
    times = formula_times(checker)
    print(f"formula equivalence check: median {statistics.median(times) * 1e3:.2f} ms, "
          f"max {max(times) * 1e3:.2f} ms over {len(times)} checks")


if __name__ == "__main__":
    main()
