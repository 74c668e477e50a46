"""A class roster: a CSV file with a ``student`` column, one student a row.

A student id is compared in Unicode's composed form (NFC): ``zoë`` typed with a combining
diaeresis is the same student as with ``ë``, and each run of Unicode spaces inside it (a
no-break space U+00A0, an ideographic space, two spaces) is one ASCII space: ``Anna  Maria``
is ``Anna Maria``. An id holding an invisible format character
(a zero-width space, a byte-order mark, a direction mark: Unicode category Cf) or a control
character is refused: two ids that look the same must be the same."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
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


#: a run of Unicode spaces (categories Zs, Zl, Zp, as of Unicode 15; not the control
#: characters tab and newline, which are refused)
_SPACES = re.compile("[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
#: how an error message writes the commonest control characters
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _hidden(char: str) -> bool:
    """Whether a character does not show as itself: a control or format character."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs") or visible(char) != char


def shown(student: str) -> str:
    """A student id as an error message shows it: quoted, each control or format
    character written once as an escape (``\\n``, ``\\u200b``)."""
    cut = student[:40]
    return "'" + "".join(_ESCAPES.get(char, f"\\u{ord(char):04x}") if _hidden(char)
                         else char for char in cut) + ("…" if cut != student else "") + "'"


def student_id(text: str) -> str:
    """The id of a cell: in NFC, each run of Unicode spaces one ASCII space, stripped; an
    id with a control or format character is refused (:class:`InputError` without a
    source)."""
    student = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    hidden = next((char for char in student if _hidden(char)), None)
    if hidden is not None:
        name = unicodedata.name(hidden, "a control character")
        raise InputError(f"expected a student id without invisible characters, got "
                         f"{shown(student)} (U+{ord(hidden):04X} {name})")
    return student


def read_roster(path: Path) -> list[str]:
    """The students of ``path``, in order: each id stripped, in NFC, non-empty, unique."""
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
    if header.count(STUDENT) > 1:
        again = header.index(STUDENT, column + 1)
        raise InputError(f"the {STUDENT!r} column appears twice (columns {column + 1} and "
                         f"{again + 1}): expected one", source=source, field="header")
    students: list[str] = []
    first: dict[str, int] = {}
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        field = f"line {number}"
        try:
            student = student_id(row[column] if column < len(row) else "")
        except InputError as error:
            raise InputError(error.message, source=source, field=field) from None
        if not student:
            raise InputError("expected a student id, got an empty cell", source=source,
                             field=field)
        if len(student) > MAX_STUDENT:
            raise InputError(f"expected a student id of at most {MAX_STUDENT} characters, "
                             f"got {shown(student)}", source=source, field=field)
        if student.startswith(FORMULA_START):
            raise InputError(f"expected a student id that does not start with "
                             f"{' '.join(FORMULA_START)} (a spreadsheet runs it as a formula), "
                             f"got {shown(student)}", source=source, field=field)
        if student in first:
            raise InputError(f"student {shown(student)} appears twice (lines "
                             f"{first[student]} and {number})", source=source, field=field)
        first[student] = number
        students.append(student)
    if not 1 <= len(students) <= MAX_VARIANTS:
        raise InputError(f"expected 1 to {MAX_VARIANTS} students, got {len(students)}",
                         source=source)
    return students
