"""A whole exercise: the class's variants and every file of its directory.

``DIR/exercise.toml`` (the manifest), for each variant ``DIR/NNN/network.toml`` (a
``symann solve`` input) and ``DIR/NNN/key.toml`` (a ``symann check`` answers file),
``DIR/class.csv`` (the ``symann check --batch`` template), the sheets
(``exercise.tex``, ``solution.tex``, ``.md``, ``.html``) and ``DIR/quiz.xml`` (Moodle).
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..writing import dumps as network_text
from . import manifest as manifests
from .directory import atomic_directory, check_directory, write_file
from .keys import class_template, key_toml
from .manifest import Manifest
from .moodle import quiz
from .options import MAX_VARIANTS, Options
from .sheets import KINDS, SHEET_FORMATS, SUFFIXES, sheet
from .variants import Variant, make_class

#: what ``--formats`` takes: the sheets' formats and the LMS exports
OUTPUTS = (*SHEET_FORMATS, "moodle")
PROGRESS_EVERY = 0.5   # seconds between progress lines


@dataclass(frozen=True)
class Exercise:
    """A class's variants and what they were made from."""

    manifest: Manifest
    variants: tuple[Variant, ...]

    @property
    def options(self) -> Options:
        return self.manifest.options


def generate(options: Options, count: int | None = None, students: Sequence[str] | None = None,
             progress: Callable[[int, int], None] | None = None) -> Exercise:
    """The class: ``count`` variants, or one per student (seeded by the student's id)."""
    if (count is None) == (students is None):
        raise InputError("expected a count or a roster of students, not both",
                         field="exercise")
    total = len(students) if students is not None else count
    assert total is not None
    if not 1 <= total <= MAX_VARIANTS:
        raise InputError(f"expected 1 to {MAX_VARIANTS} variants, got {total}", field="count")
    variants = make_class(options, total, students, progress)
    return Exercise(Manifest(options, total, tuple(students) if students is not None else None),
                    tuple(variants))


def files(exercise: Exercise, outputs: Sequence[str] = OUTPUTS) -> dict[str, str]:
    """Every file of the exercise's directory: relative path -> text, in a fixed order."""
    options = exercise.options
    out = {manifests.MANIFEST: manifests.dumps(exercise.manifest),
           "class.csv": class_template(exercise.variants, options.ask)}
    for variant in exercise.variants:
        out[f"{variant.name}/network.toml"] = network_text(variant.network)
        out[f"{variant.name}/key.toml"] = key_toml(variant, options.ask)
    for format in SHEET_FORMATS:
        if format in outputs:
            for kind in KINDS:
                out[f"{kind}.{SUFFIXES[format]}"] = sheet(exercise.variants, options.ask,
                                                          format, kind)
    if "moodle" in outputs:
        out["quiz.xml"] = quiz(exercise.variants, options)
    return out


def write(exercise: Exercise, out: Path, force: bool = False,
          outputs: Sequence[str] = OUTPUTS) -> None:
    """Write the exercise's directory atomically (:mod:`.directory`)."""
    check_directory(out, force)
    contents = files(exercise, outputs)
    with atomic_directory(out, force) as temporary:
        for name, text in contents.items():
            write_file(temporary / name, text)


def progress_printer(what: str, stream: IO[str] = sys.stderr) -> Callable[[int, int], None]:
    """A progress callback that prints ``what done/total`` at most every half second."""
    started = last = time.monotonic()

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or (done == total and now - started >= PROGRESS_EVERY):
            print(f"{what} {done}/{total} ({done / max(now - started, 1e-9):.0f}/s)",
                  file=stream, flush=True)
            last = now
    return report
