"""What makes ``symann exercise`` faster changes no output (issue 12, speed): widths are
measured once per shape (every digit a 0) and a range's numbers are indexed instead of
multiplied, and both give exactly what the direct computation gives."""
from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings, strategies as st

from symann.exercises import Options
from symann.exercises.options import Range
from symann.exercises.variants import draw_numbers, rng
from symann.render import breaking

#: LaTeX of the printers' kinds: scripts, fractions, commands, fences, matrices, digits
PIECES = ["0.4152", "-1.25", r"\frac{3}{7}", "w^{(2)}_{13}", r"\sigma\left(", r"\right)",
          r"\cdot", " + ", r"\approx", "z_{1}", r"\operatorname{ReLU}", "e^{-0.5}",
          r"\begin{bmatrix}1 & 22 \\ 333 & 4\end{bmatrix}", "{", "}", r"\quad", "9", "&#8722;"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_the_latex_width_by_shape_is_the_direct_width(parts):
    text = "".join(parts)
    direct, _ = breaking._latex_group(text, 0, False)
    assert breaking.latex_width(text) == direct


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["<mn>", "</mn>", "<mi>", "</mi>", "<msub>", "</msub>",
                                 "12", "0.375", "x", "&#x2212;", "&#8722;", "7"]),
                max_size=12))
def test_the_mathml_width_keeps_character_references(parts):
    text = "".join(parts)
    shape = breaking._DIGIT.sub(breaking._zero, text)
    assert breaking.mathml_width(text) == breaking._shape_width.__wrapped__(shape)


@settings(max_examples=100, deadline=None)
@given(low=st.integers(-300, 300), span=st.integers(0, 300), step=st.sampled_from(
    [Fraction(1, 100), Fraction(1, 20), Fraction(1, 10), Fraction(1, 4), Fraction(1),
     Fraction(3, 2)]), seed=st.integers(0, 2**63 - 1))
def test_a_range_s_draw_is_step_times_randrange_as_documented(low, span, step, seed):
    values = Range(Fraction(low, 100), Fraction(low + span, 100), step)
    if values.count < 1:
        return
    options = Options(seed, (2, 1), ("identity",), inputs=values.checked("x"))
    inputs, _, _ = draw_numbers(options, "s1", 0)
    generator = rng(seed, "s1", 0)
    first = -(-values.low // step)   # ceil(LOW/STEP), floor(HIGH/STEP): the docs' recipe
    last = values.high // step
    assert inputs == [step * generator.randrange(first, last + 1) for _ in range(2)]
    assert random.Random(0).randrange(5, 9) == 5 + random.Random(0).randrange(4)
