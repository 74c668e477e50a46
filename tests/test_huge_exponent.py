"""A number whose exponent no Decimal holds (found by the loader fuzzing) is one InputError."""
from __future__ import annotations

import pytest

import symann

HUGE = "1e" + "9" * 40


@pytest.mark.parametrize("fmt, text", [("json", HUGE), ("json", f'{{"inputs": [-{HUGE}]}}'),
                                       ("toml", f"inputs = [{HUGE}]")])
def test_a_huge_exponent_is_an_input_error(fmt, text):
    with pytest.raises(symann.InputError, match="exponent is too large to read"):
        symann.loads(text, fmt)
