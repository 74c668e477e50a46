"""A class roster: a CSV file with a ``student`` column, one student a row."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .. import limits
from ..errors import InputError
from ..files import read_text
from ..render.safe import visible
from .options import MAX_VARIANTS

STUDENT = "student"
#: the longest student id (it seeds the variant and names a row of the class CSV)
MAX_STUDENT = 200
#: what a spreadsheet runs as a formula (OWASP's list for CSV injection, as in the verdicts)
FORMULA_START = ("=", "+", "-", "@")


def read_roster(path: Path) -> list[str]:
    """The students of ``path``, in order: each id stripped, non-empty, unique."""
    source = str(path)
    text = read_text(path, limits.CLASS_FILE_BYTES)
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise InputError(f"not valid CSV at line {reader.line_num}: {error}",
                         source=source) from None
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if STUDENT not in header:
        raise InputError(f"expected a header row with a {STUDENT!r} column", source=source)
    column = header.index(STUDENT)
    students: list[str] = []
    first: dict[str, int] = {}
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        student = row[column].strip() if column < len(row) else ""
        field = f"line {number}"
        if not student:
            raise InputError("expected a student id, got an empty cell", source=source,
                             field=field)
        if len(student) > MAX_STUDENT or visible(student) != student:
            raise InputError(f"expected a student id of at most {MAX_STUDENT} printable "
                             f"characters, got {visible(student[:40])!r}", source=source,
                             field=field)
        if student.startswith(FORMULA_START):
            raise InputError(f"expected a student id that does not start with "
                             f"{' '.join(FORMULA_START)} (a spreadsheet runs it as a formula), "
                             f"got {student!r}", source=source, field=field)
        if student in first:
            raise InputError(f"student {student!r} appears twice (lines {first[student]} "
                             f"and {number})", source=source, field=field)
        first[student] = number
        students.append(student)
    if not 1 <= len(students) <= MAX_VARIANTS:
        raise InputError(f"expected 1 to {MAX_VARIANTS} students, got {len(students)}",
                         source=source)
    return students
