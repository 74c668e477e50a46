"""An exercise's directory, written atomically: every file goes into a temporary sibling
directory, which is renamed to DIR only when all of it is written. A failed run leaves DIR
as it was.

What ``--force`` may replace (checked before any work, and again before the rename): only
a DIR that a previous ``symann exercise`` made and nobody has added to, so that nothing a
user has is lost: DIR holds ``exercise.toml``, and nothing but the files symann writes
(the manifest, ``class.csv`` with no answer filled in, the sheets and what pdflatex makes
of them, ``quiz.xml``, and the variants' directories ``001`` ... with their
``network.toml`` and ``key.toml``). A file of
the teacher's (a filled-in ``class.csv``, ``verdicts.csv``, the roster) is named in
the error, and DIR is left as it is. DIR is never the current directory or one holding
it, a mount point, a link or a file; and no input (the roster) may lie inside it.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .. import limits
from ..errors import InputError
from ..files import TEMP_SUFFIX, read_text
from .manifest import MANIFEST
from .sheets import KINDS, SUFFIXES

FIELD = "--out"
#: what pdflatex makes of a LaTeX sheet (``pdflatex -output-directory DIR``): remade from it
LATEX_PRODUCTS = ("pdf", "aux", "log", "out")
#: the files symann writes at the top of DIR (the class CSV is checked for answers apart),
#: and pdflatex's of its sheets
TOP_FILES = frozenset({MANIFEST, "class.csv", "quiz.xml",
                       *(f"{kind}.{suffix}" for kind in KINDS
                         for suffix in (*SUFFIXES.values(), *LATEX_PRODUCTS))})
#: the files of a variant's directory
VARIANT_FILES = frozenset({"network.toml", "key.toml"})
VARIANT_NAME = re.compile(r"[0-9]{3,5}")


def _refuse(out: Path, message: str) -> InputError:
    return InputError(message, source=str(out), field=FIELD)


def check_directory(out: Path, force: bool, inputs: Sequence[Path] = ()) -> None:
    """Refuse, before any work, a DIR that cannot be (re)placed without losing something:
    see the module's description."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise _refuse(out, "expected a directory (or a new name), got "
                      + ("a link" if out.is_symlink() else "a file"))
    here = Path(os.path.abspath(out))
    if not here.parent.is_dir():
        raise _refuse(out, f"no such directory: {here.parent}")
    real = here.resolve()
    current = Path.cwd().resolve()
    if real == current or real in current.parents:
        raise _refuse(out, "is the current directory or holds it, which cannot be replaced; "
                      "give a new directory's name (e.g. --out week3)")
    if out.is_dir() and os.path.ismount(out):
        raise _refuse(out, "is a mount point, which cannot be replaced; give a directory "
                      "inside it")
    for source in inputs:
        if _inside(Path(source).resolve(), real):
            raise _refuse(out, f"holds the input {source}, which --force would delete; "
                          "move it out of the directory, or give another --out")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise _refuse(out, "the directory is not empty; --force replaces a directory "
                          "that symann exercise made")
        _check_replaceable(out)


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def _check_replaceable(out: Path) -> None:
    """Refuse ``--force`` on a DIR that is not an untouched exercise's (module description)."""
    if not (out / MANIFEST).is_file():
        raise _refuse(out, f"--force replaces only a directory that symann exercise made "
                      f"(with its {MANIFEST}); this one has none: nothing was changed")
    for entry in _foreign(out):
        raise _refuse(out, f"--force would delete {entry}, which symann exercise does not "
                      "write: move it out of the directory (or give another --out); "
                      "nothing was changed")
    filled = _answered_line(out / "class.csv")
    if filled:
        raise _refuse(out, f"--force would delete {out / 'class.csv'}, which has answers "
                      f"filled in (line {filled}): move it out of the directory (or give "
                      "another --out); nothing was changed")


def _foreign(out: Path) -> Iterator[Path]:
    """The entries of ``out`` that symann exercise does not write, in name order."""
    for entry in sorted(out.iterdir()):
        if entry.is_symlink():
            yield entry
        elif entry.is_dir() and VARIANT_NAME.fullmatch(entry.name):
            yield from (inner for inner in sorted(entry.iterdir()) if inner.is_symlink()
                        or not inner.is_file() or inner.name not in VARIANT_FILES)
        elif not (entry.is_file() and entry.name in TOP_FILES):
            yield entry


def _answered_line(path: Path) -> int:
    """The first line of the class CSV with an answer filled in, or 0 (none, or no file)."""
    if not path.is_file():
        return 0
    try:
        rows = list(csv.reader(io.StringIO(read_text(path, limits.CLASS_FILE_BYTES))))
    except (InputError, csv.Error):
        return 1   # not the template symann wrote: keep it
    for number, row in enumerate(rows[1:], 2):
        if any(cell.strip() for cell in row[1:]):
            return number
    return 0


@contextmanager
def atomic_directory(out: Path, force: bool, inputs: Sequence[Path] = ()) -> Iterator[Path]:
    """A temporary directory whose contents become ``out`` when the block ends without
    error (the old ``out``, if any, is removed only then)."""
    check_directory(out, force, inputs)
    here = Path(os.path.abspath(out))
    parent = here.parent
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{here.name}.", suffix=TEMP_SUFFIX,
                                          dir=parent))
    except OSError as error:
        raise _cannot_write(out, error) from None
    try:
        yield temporary
        os.chmod(temporary, 0o777 & ~_umask())
        if here.exists():
            _replace(here, temporary)
        else:
            os.replace(temporary, here)
    except BaseException as error:
        shutil.rmtree(temporary, ignore_errors=True)
        if isinstance(error, OSError):
            raise _cannot_write(out, error) from None
        raise


def _replace(here: Path, temporary: Path) -> None:
    """Move the old ``here`` aside, ``temporary`` in its place, then remove the old one; on
    a failure the old one is put back and the aside directory removed."""
    old = Path(tempfile.mkdtemp(prefix=f".{here.name}.old.", suffix=TEMP_SUFFIX,
                                dir=here.parent))
    try:
        os.replace(here, old / here.name)
    except BaseException:
        old.rmdir()
        raise
    try:
        os.replace(temporary, here)
    except BaseException:
        os.replace(old / here.name, here)
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def _cannot_write(out: Path, error: OSError) -> InputError:
    return _refuse(out, f"cannot write: {error.strerror or error}; nothing was changed")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(path: Path, data: str) -> None:
    """One file of the directory being written (UTF-8, newlines as given)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(data)
