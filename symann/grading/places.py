"""The decimal places an answers file states: an answer key made at 2 places says
``digits = 2``, so that ``symann check network.toml key.toml`` checks it at 2 places
without ``--digits``. An explicit ``--digits`` that differs is a conflict, not a choice:
answers written at one number of places are wrong at another."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from ..propagation import MAX_DIGITS

#: the answers file's entry (no step has this id)
DIGITS = "digits"
#: the places checked when neither the file nor ``--digits`` says
DEFAULT_DIGITS = 4


def stated_places(answers: Mapping[str, Any], given: int | None,
                  source: str) -> tuple[int, dict[str, Any]]:
    """The places to check at (the file's ``digits``, else ``given``, else 4) and the
    answers without the ``digits`` entry; a ``digits`` that is not 0 to 50, or that
    differs from ``given``, is refused."""
    rest = {key: value for key, value in answers.items() if key != DIGITS}
    if DIGITS not in answers:
        return (DEFAULT_DIGITS if given is None else given), rest
    stated = answers[DIGITS]
    if isinstance(stated, bool) or not isinstance(stated, int) or not 0 <= stated <= MAX_DIGITS:
        raise InputError(f"expected the answers' decimal places, a whole number from 0 to "
                         f"{MAX_DIGITS}, got {stated!r}", source=source, field=DIGITS)
    if given is not None and given != stated:
        raise InputError(f"the answers are at {stated} decimal places (digits = {stated}) but "
                         f"--digits is {given}: give the same or no --digits", source=source,
                         field=DIGITS)
    return stated, rest
