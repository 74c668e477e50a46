"""A whole class at once: one CSV row per student, verdicts written back as CSV.

Input: a header row (the first column names the students, the others are step ids,
``_formula`` ids allowed), then one row per student; an empty cell is no answer.
Output: student, score, total, one status column per step id, then the feedback.
"""
from __future__ import annotations

import csv
import io
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import InputError
from .grade import FORMULA, Checker, Report
from .report import escape

#: the student column's usual name (any first column names the students)
STUDENT = "student"
#: how a message names a separator other than the comma
_SEPARATORS = {";": "';'", "\t": "tabs"}
PROGRESS_EVERY = 0.5   # seconds between progress lines on stderr
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")   # OWASP's list for CSV injection


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header (step ids) and the rows of a class's answers."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error}", source=str(path)) from None
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise InputError(f"not valid CSV at line {reader.line_num}: {error} (a quote opened "
                         "and not closed?)", source=str(path)) from None
    separator = next((sep for sep in (";", "\t") if rows and sep in "".join(rows[0])), None)
    if separator is not None and len(rows[0]) < 2:
        raise InputError(f"the columns are separated by {_SEPARATORS[separator]} — save the "
                         "CSV with commas (and decimal points, not commas)", source=str(path),
                         field="line 1")
    if not rows or len(rows[0]) < 2:
        raise InputError("expected a header row: a student column, then step ids "
                         "(e.g. student,z1_1,a1_1)", source=str(path))
    width = len(rows[0])
    for number, row in enumerate(rows[1:], 2):
        if len(row) > width:
            raise InputError(f"expected at most {width} cells (as in the header), got "
                             f"{len(row)}: a comma in a name needs quotes", source=str(path),
                             field=f"row {number}")
    return [cell.strip() for cell in rows[0]], rows[1:]


def grade_class(checker: Checker, path: Path, out: IO[str], progress: IO[str] = sys.stderr,
                checker_for: Callable[[str], Checker] | None = None,
                student_key: Callable[[str], str] | None = None,
                steps: list[str] | None = None) -> int:
    """Grade every row of ``path`` into ``out``; returns how many students were graded.

    ``steps``: the step ids graded (``--steps``), in that order, each from its column (no
    column: no answer); the other columns are not graded. Default: every column.

    ``checker_for``: each student's own checker (an exercise's variants; ``checker`` then
    checks the header only); where it raises an :class:`InputError` the row gets that
    error, status ``error`` for every step, and the other rows are graded.
    ``student_key``: what names the same student in two rows (default: the cell stripped,
    in NFC); a student's second row is such an error row, never graded twice."""
    header, rows = read_rows(path)
    _check_header(checker, header, path)
    columns = {key: i for i, key in enumerate(header) if i}
    ids = header[1:] if steps is None else steps
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[0] or "student", "score", "total", *ids, "feedback"])
    graded: dict[str, int] = {}
    grader = _Grader(checker, ids, checker_for, student_key or _same_student, graded)
    started = last = time.monotonic()
    for number, row in enumerate(rows, 1):
        if not any(cell.strip() for cell in row):
            continue
        answers = {key: _cell(row, columns.get(key)) for key in ids}
        writer.writerow(grader.row(row[0], answers, number + 1))
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY:
            print(f"graded {number}/{len(rows)} students ({number / (now - started):.0f}/s)",
                  file=progress, flush=True)
            last = now
    if time.monotonic() - started >= PROGRESS_EVERY:
        print(f"graded {len(rows)}/{len(rows)} students", file=progress, flush=True)
    return len(rows)


def asked_steps(text: str | None, checker: Checker) -> list[str] | None:
    """The step ids ``--steps`` asks for, each one checked (None: not given)."""
    if text is None:
        return None
    ids = [key.strip() for key in text.split(",")]
    for key in ids:
        if key.removesuffix(FORMULA) not in checker.steps:
            raise InputError(f"no step {key!r}; steps are {', '.join(checker.steps)} (and "
                             f"each with {FORMULA})", field="--steps")
    return ids


def _cell(row: list[str], column: int | None) -> str:
    """A row's cell in ``column`` (None: no such column), empty where the row is short."""
    return row[column] if column is not None and column < len(row) else ""


def _check_header(checker: Checker, header: list[str], path: Path) -> None:
    """Refuse a student column that is not first or comes twice, and a step id that the
    checker does not know, or that has two columns."""
    named = [column for column, key in enumerate(header, 1) if key.lower() == STUDENT]
    if len(named) > 1:
        raise InputError(f"the {STUDENT!r} column appears twice (columns {named[0]} and "
                         f"{named[1]}): expected one", source=str(path), field="line 1")
    if (named and named[0] != 1) or header[0] in checker.ids:
        raise InputError(f"the {STUDENT} column must come first, then the step ids (e.g. "
                         f"{STUDENT},{header[0]},…); column 1 is "
                         f"{header[0]!r}", source=str(path), field="line 1")
    first: dict[str, int] = {}
    for column, key in enumerate(header[1:], 2):
        if key in first:
            raise InputError(f"step {key!r} appears twice (columns {first[key]} and {column}); "
                             "each step may have one column", source=str(path),
                             field=f"column {column}")
        first[key] = column
        try:
            checker.check({key: ""}, steps=[key])
        except InputError as error:
            raise InputError(error.message, source=str(path), field=f"column {column}") from None


def _same_student(cell: str) -> str:
    """A student's cell as compared with the others': in NFC, each run of Unicode spaces
    one space, stripped (``Anna\u00a0Maria`` is ``Anna  Maria`` is ``Anna Maria``)."""
    return " ".join(unicodedata.normalize("NFC", cell).split())


@dataclass
class _Grader:
    """The rows' verdicts, each student's by their own checker (``checker_for``) or the
    class's, and the line each student was graded on (``graded``)."""

    checker: Checker
    ids: list[str]
    checker_for: Callable[[str], Checker] | None
    student_key: Callable[[str], str]
    graded: dict[str, int]

    def row(self, student: str, answers: dict[str, str], line: int) -> list[str]:
        """A student's verdicts, or a row that says why there are none."""
        try:
            key = self.student_key(student)
            if key and key in self.graded:
                raise InputError(f"student {student.strip()!r} already graded on line "
                                 f"{self.graded[key]}")
            checker = self.checker if self.checker_for is None \
                else self.checker_for(student.strip())
            report = checker.check(answers, steps=self.ids)
        except InputError as error:
            cells = [escape(student), "", str(len(self.ids)), *(["error"] * len(self.ids)),
                     escape(f"error: line {line}: {error}")]
            return [_safe(cell) for cell in cells]
        if key:
            self.graded[key] = line
        return _verdict_row(student, report)


def _verdict_row(student: str, report: Report) -> list[str]:
    feedback = "; ".join(f"{v.id}: {v.message}" for v in report.verdicts
                         if v.status not in ("correct", "missing"))
    cells = [escape(student), f"{report.score:g}", str(report.total),
             *(v.status for v in report.verdicts), feedback]
    return [_safe(cell) for cell in cells]


def _safe(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP: a cell
    starting with ``= + - @``, tab or carriage return gets a leading ``'``)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


