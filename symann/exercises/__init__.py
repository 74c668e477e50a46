"""Exercises for a whole class: seeded variants, the filter, sheets, answer keys, LMS export
and grading by seed (``symann exercise``, ``symann check --exercise``).

>>> from symann.exercises import Options, generate
>>> exercise = generate(Options(seed=1, architecture=(2, 2, 1),
...                             activations=("sigmoid", "sigmoid")), count=3)
>>> [variant.name for variant in exercise.variants]
['001', '002', '003']
"""
from __future__ import annotations

from .generate import OUTPUTS, Exercise, files, generate, write
from .options import Options, Range, Rules
from .variants import Variant

__all__ = ["OUTPUTS", "Exercise", "Options", "Range", "Rules", "Variant", "files", "generate",
           "write"]
