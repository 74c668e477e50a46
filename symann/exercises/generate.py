"""A whole exercise: the class's variants and every file of its directory.

``DIR/exercise.toml`` (the manifest), for each variant ``DIR/NNN/network.toml`` (a
``symann solve`` input) and ``DIR/NNN/key.toml`` (a ``symann check`` answers file),
``DIR/class.csv`` (the ``symann check --batch`` template), the sheets
(``exercise.tex``, ``solution.tex``, ``.md``, ``.html``) and ``DIR/quiz.xml`` (Moodle).
"""
from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..grading.grade import worked
from ..writing import dumps as network_text
from . import manifest as manifests
from .directory import atomic_directory, write_file
from .keys import check_asked, class_template, key_toml
from .manifest import Manifest
from .moodle import question, quiz
from .options import MAX_VARIANTS, Options
from .sheets import KINDS, SHEET_FORMATS, SUFFIXES, document, page
from .variants import Variant, accepted, draw, make_class, make_variant, parameters

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
             progress: Callable[[int, int], None] | None = None,
             only_check: bool = False) -> Exercise:
    """The class: ``count`` variants, or one per student (seeded by the student's id)."""
    if (count is None) == (students is None):
        raise InputError("expected a count or a roster of students, not both",
                         field="exercise")
    total = len(students) if students is not None else count
    assert total is not None
    if not 1 <= total <= MAX_VARIANTS:
        raise InputError(f"expected 1 to {MAX_VARIANTS} variants, got {total}", field="count")
    check_asked(worked(draw(options, "1", 0), options.digits), options.ask)
    if only_check:   # the arguments checked, no variant made
        return Exercise(Manifest(options, total, tuple(students) if students is not None
                                 else None), ())
    variants = make_class(options, total, students, progress)
    return Exercise(Manifest(options, total, tuple(students) if students is not None else None,
                             tuple(variant.attempts for variant in variants)), tuple(variants))


#: what one variant gives each file of the class: its network and key, its row of the
#: class CSV, its page of each sheet, its question of the quiz
Pieces = dict[str, str]


def variant_pieces(variant: Variant, options: Options, outputs: Sequence[str]) -> Pieces:
    """Everything of the directory that one variant writes."""
    pieces = {f"{variant.name}/network.toml": network_text(variant.network),
              f"{variant.name}/key.toml": key_toml(variant, options.ask)}
    for format in SHEET_FORMATS:
        if format in outputs:
            for kind in KINDS:
                pieces[f"{kind}.{SUFFIXES[format]}"] = page(variant, options.ask, format, kind)
    if "moodle" in outputs:
        pieces["quiz.xml"] = question(variant, options)
    return pieces


#: variants a worker process makes and renders at a time
CHUNK = 50


def build(options: Options, count: int | None, students: Sequence[str] | None,
          outputs: Sequence[str] = OUTPUTS, workers: int = 1,
          progress: Callable[[int, int], None] | None = None
          ) -> tuple[Exercise, dict[str, str]]:
    """The exercise and its directory's files, the variants made and rendered by
    ``workers`` processes: the same files with any number of them (each variant's draws
    depend only on the seed and its label; duplicates are redrawn here, in order)."""
    if workers <= 1:
        exercise = generate(options, count, students, progress)
        return exercise, files(exercise, outputs)
    manifest = generate(options, count, students, only_check=True).manifest
    total = manifest.count
    who = [(number, students[number - 1] if students is not None else None)
           for number in range(1, total + 1)]
    chunks = [who[start:start + CHUNK] for start in range(0, total, CHUNK)]
    variants: list[Variant] = []
    rendered: list[list[Pieces]] = []
    seen: set[tuple[object, ...]] = set()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk, results in zip(chunks, pool.map(
                _make_and_render, [options] * len(chunks), [total] * len(chunks),
                [tuple(outputs)] * len(chunks), chunks)):
            rendered.append([])
            for (number, student), (attempts, error, pieces) in zip(chunk, results):
                if error:
                    raise InputError(error, field="exercise")
                variant = accepted(options, number, student, total, attempts)
                if "duplicate" not in options.rules.off and \
                        parameters(variant.network) in seen:
                    variant = make_variant(options, number, student, total, seen, attempts)
                    pieces = variant_pieces(variant, options, outputs)
                seen.add(parameters(variant.network))
                variants.append(variant)
                rendered[-1].append(pieces)
            if progress is not None:
                progress(len(variants), total)
    exercise = Exercise(dataclasses.replace(
        manifest, draws=tuple(variant.attempts for variant in variants)), tuple(variants))
    return exercise, _assemble(exercise, outputs, rendered)


def _make_and_render(options: Options, count: int, outputs: Sequence[str],
                     chunk: list[tuple[int, str | None]]) -> list[tuple[int, str, Pieces]]:
    """A worker's task: each variant of ``chunk`` made (duplicates aside) and rendered:
    its draws and pieces, or the filter's error."""
    out: list[tuple[int, str, Pieces]] = []
    for number, student in chunk:
        try:
            variant = make_variant(options, number, student, count)
        except InputError as error:
            out.append((0, error.message, {}))
            continue
        out.append((variant.attempts, "", variant_pieces(variant, options, outputs)))
    return out


def files(exercise: Exercise, outputs: Sequence[str] = OUTPUTS) -> dict[str, str]:
    """Every file of the exercise's directory: relative path -> text, in a fixed order."""
    return _assemble(exercise, outputs, [[variant_pieces(variant, exercise.options, outputs)
                                          for variant in exercise.variants]])


def _assemble(exercise: Exercise, outputs: Sequence[str],
              rendered: Iterable[list[Pieces]]) -> dict[str, str]:
    """The class's files from its variants' pieces (in the variants' order)."""
    options = exercise.options
    out = {"class.csv": class_template(exercise.variants, options.ask)}
    joined: dict[str, list[str]] = {}
    for chunk in rendered:
        for pieces in chunk:
            for key, text in pieces.items():
                if "/" in key:
                    out[key] = text
                else:
                    joined.setdefault(key, []).append(text)
    heading = options.title
    for format in SHEET_FORMATS:
        for kind in KINDS:
            key = f"{kind}.{SUFFIXES[format]}"
            if key in joined:
                out[key] = document(joined[key], format, f"{heading}: {kind} sheet")
    if "quiz.xml" in joined:
        out["quiz.xml"] = quiz(joined["quiz.xml"], options)
    recorded = dataclasses.replace(exercise.manifest, files={
        name: manifests.fingerprint(text) for name, text in out.items()})
    return {manifests.MANIFEST: manifests.dumps(recorded), **out}


def write(exercise: Exercise, out: Path, force: bool = False,
          outputs: Sequence[str] = OUTPUTS, inputs: Sequence[Path] = ()) -> None:
    """Write the exercise's directory atomically (:mod:`.directory`); ``force`` replaces
    a previous exercise's directory, never one holding ``inputs`` or a file of the user's."""
    write_files(files(exercise, outputs), out, force, inputs)


def write_files(contents: dict[str, str], out: Path, force: bool = False,
                inputs: Sequence[Path] = ()) -> None:
    """Write ``contents`` (relative path -> text) as the directory ``out``, atomically."""
    with atomic_directory(out, force, inputs) as temporary:
        for name, text in contents.items():
            write_file(temporary / name, text)


def progress_printer(what: str, stream: IO[str] | None = None) -> Callable[[int, int], None]:
    """A progress callback that prints ``what done/total`` at most every half second (on
    ``stream``, default the standard error of the moment)."""
    started = last = time.monotonic()

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or (done == total and now - started >= PROGRESS_EVERY):
            print(f"{what} {done}/{total} ({done / max(now - started, 1e-9):.0f}/s)",
                  file=stream or sys.stderr, flush=True)
            last = now
    return report
