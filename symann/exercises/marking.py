"""Grading by seed: each student's checker is built on their own variant, regenerated from
the exercise's manifest and verified equal to the network file stored for it."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..grading.grade import Checker
from ..spec import load
from ..writing import dumps
from .manifest import read
from .roster import shown, student_id
from .variants import Variant, accepted, make_class, name

CheckerFor = Callable[[Variant], Checker]


class ClassCheckers:
    """The checkers of an exercise's class: :meth:`template` for the class CSV's header,
    the instance called with a row's student for that student's own checker."""

    def __init__(self, directory: Path, make: CheckerFor,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.directory = directory
        self.manifest = read(directory)
        self.make = make
        manifest = self.manifest
        students = list(manifest.students) if manifest.students is not None else None
        #: the row name of each variant -> (number, student)
        self.rows = {student_id(student) if student is not None else
                     name(number, manifest.count):
                     (number, student) for number, student in
                     enumerate(students or [None] * manifest.count, 1)}
        self.variants: dict[str, Variant] = {}
        if manifest.draws is None:   # a manifest without the draws: run the filter again
            for variant in make_class(manifest.options, manifest.count, students, progress):
                self.variants[variant.row] = variant

    def variant(self, row: str) -> Variant:
        """The variant of a row of the class CSV, drawn again from the seed."""
        if row not in self.variants:
            number, student = self.rows[row]
            assert self.manifest.draws is not None
            self.variants[row] = accepted(self.manifest.options, number, student,
                                          self.manifest.count, self.manifest.draws[number - 1])
        return self.variants[row]

    def template(self) -> Checker:
        """A checker of the class's first variant: every variant has the same steps."""
        return self.make(self.variant(next(iter(self.rows))))

    def row_of(self, student: str) -> str:
        """The row name of the variant a class CSV's cell names (``bob``; ``003`` for
        ``3`` or ``0003``): two cells with the same row name are the same student."""
        row = student_id(student)
        if row not in self.rows and self.manifest.students is None and row.isdecimal() \
                and len(row) <= 6:   # a spreadsheet dropped the zeros of 001
            row = name(int(row), self.manifest.count)
        return row

    def __call__(self, student: str) -> Checker:
        row = self.row_of(student)
        if row not in self.rows:
            raise InputError(self._unknown(row))
        variant = self.variant(row)
        path = self.directory / variant.name / "network.toml"
        if not path.exists():
            raise InputError(f"the variant of {shown(row)} does not exist: no {path}")
        stored = load(path)
        if dumps(stored) != dumps(variant.network):
            raise InputError(f"{path} is not the variant the exercise's seed makes for "
                             f"{shown(row)} (edited, or made by another symann version "
                             f"than {self.manifest.version}?); not graded")
        return self.make(variant)

    def _unknown(self, student: str) -> str:
        """Why a row's student has no variant (the roster is not listed: it may be long,
        and the verdicts go back to the class)."""
        count = self.manifest.count
        if self.manifest.students is not None:
            return (f"student {shown(student)} is not in the exercise's roster ({count} "
                    "students)")
        return (f"variant {shown(student)} is not in the exercise ({count} variants, "
                f"{name(1, count)} to {name(count, count)})")
