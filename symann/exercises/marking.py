"""Grading by seed: each student's checker is built on their own variant, regenerated from
the exercise's manifest and verified equal to the network file stored for it."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..grading.grade import Checker
from ..model import Network
from ..spec import load
from ..writing import dumps
from .manifest import read
from .variants import Variant, make_class, name

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
        variants = make_class(manifest.options, manifest.count,
                              list(manifest.students) if manifest.students is not None
                              else None, progress)
        self.variants = {variant.row: variant for variant in variants}
        self.first = variants[0]
        self._stored: dict[str, Network] = {}

    def template(self) -> Checker:
        """A checker of the class's first variant: every variant has the same steps."""
        return self.make(self.first)

    def __call__(self, student: str) -> Checker:
        variant = self.variants.get(student)
        if variant is None and self.manifest.students is None and student.isdecimal() \
                and len(student) <= 6:   # a spreadsheet dropped the zeros of 001
            variant = self.variants.get(name(int(student), self.manifest.count))
        if variant is None:
            who = "student" if self.manifest.students is not None else "variant"
            raise InputError(f"{student!r} is not a {who} of the exercise in {self.directory} "
                             f"(its rows are {self._examples()})")
        path = self.directory / variant.name / "network.toml"
        if not path.exists():
            raise InputError(f"the variant of {student!r} does not exist: no {path}")
        stored = load(path)
        if dumps(stored) != dumps(variant.network):
            raise InputError(f"{path} is not the variant the exercise's seed makes for "
                             f"{student!r} (edited, or made by another symann version "
                             f"than {self.manifest.version}?); not graded")
        return self.make(variant)

    def _examples(self) -> str:
        names = list(self.variants)
        return ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
