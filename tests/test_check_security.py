"""Hostile answers: each refused quickly as unparseable, with nothing in it executed."""
from __future__ import annotations

import os
import time

import pytest
from hypothesis import given, settings, strategies as st

import symann
from symann.grading.answers import value
from symann.grading.grade import check, read_answer
from symann.grading.parse import parse
from symann.grading.tokens import AnswerError

from conftest import EXAMPLES

TWO = symann.load(EXAMPLES / "two-neurons.toml")
SENTINEL = "/tmp/symann-pwned"

HOSTILE = [
    f"__import__('os').system('touch {SENTINEL}')",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: 1)()",
    "9**9**9**9",
    "9**9**9",
    "1e999999",
    "(((9**64)**64)**64)**64",
    "factorial(10**6)",
    "(" * 10_000 + "1" + ")" * 10_000,
    "(" * 300 + "1" + ")" * 300,
    "+".join(["1"] * 50_000),
    r"\frac{1}{1+e^{-0.415}",
    r"\frac{1}",
    r"\input{/etc/passwd}",
    "e^(e^(e^(e^10)))",
    "exp(exp(exp(100)))",
    "1" * 5000,
    "2^-9999999",
    "0^-1",
    "x.y",
    "[1,2]",
    "",
    "e^2300 - e^2300",
    "step(e - e)",
    "(1+10^-300*e)^(10^300)",
    "cube(0.5)",
    "softmax(0.5)",
    "leaky_relu(1, 2)",
    "__import__(1)",
]


@pytest.mark.parametrize("answer", HOSTILE, ids=[h[:30] for h in HOSTILE])
def test_hostile_answers_are_unparseable_quickly(answer):
    started = time.perf_counter()
    report = check(TWO, {"a1_1": answer})
    elapsed = time.perf_counter() - started
    v = next(v for v in report.verdicts if v.id == "a1_1")
    assert v.status in ("unparseable", "missing"), (answer[:40], v)
    assert elapsed < 0.5, f"{elapsed:.3f} s for {answer[:40]!r}"
    assert not os.path.exists(SENTINEL)
    assert v.message


def test_formula_answers_are_as_guarded():
    for answer in ("__import__('os')", "z_1^9999", "(z_1+1)^(z_1)", "(" * 300 + "z_1" + ")" * 300):
        report = check(TWO, {"a1_1_formula": answer})
        assert report.verdicts[-1].status == "unparseable", answer


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=120))
def test_parser_raises_only_its_own_error(text):
    try:
        value(parse(text))
    except AnswerError:
        pass


ALPHABET = st.sampled_from(list("0123456789.+-*/^(){}e ,") + ["**", r"\frac", r"\cdot",
                           "exp", "sigma", "max", "tanh", r"\left(", r"\right)", "e^", "9"])


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(ALPHABET, max_size=40))
def test_parser_on_near_miss_expressions(parts):
    started = time.perf_counter()
    answer = read_answer("".join(parts))
    assert answer.value is not None or answer.error
    assert time.perf_counter() - started < 0.5
