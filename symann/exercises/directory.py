"""An exercise's directory, written atomically: every file goes into a temporary sibling
directory, which is renamed to DIR only when all of it is written. A failed run leaves DIR
as it was.

What ``--force`` may replace (checked before any work, and again before the rename): only
a DIR that a previous ``symann exercise`` made and nobody has changed or added to, so that
nothing a user has is lost. Its ``exercise.toml`` must read as a valid manifest with the
SHA-256 of every file written (:mod:`.manifest`), every file in DIR must be one of those,
byte for byte, apart from what pdflatex writes next to a sheet it compiles (``.aux``,
``.log``, ``.out``: remade by compiling again). Anything else (a ``class.csv`` with answers
in any separator, a key or sheet edited, a PDF, which may be the user's, a link, an empty
directory) is named in the error, and DIR is left as it is. A manifest without the hashes
(from an earlier symann) is refused too: DIR is then removed by hand. DIR is never the
current directory or one holding it, a mount point, a link or a file; and no input (the
roster) may lie inside it.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from ..files import TEMP_SUFFIX
from .manifest import MANIFEST, file_fingerprint, read

FIELD = "--out"
#: what pdflatex writes next to a LaTeX sheet it compiles, remade by compiling again (not
#: the PDF: a PDF of the user's by that name cannot be told from it)
LATEX_PRODUCTS = ("aux", "log", "out")


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
    try:
        files = read(out).files
    except InputError as error:
        raise _refuse(out, f"--force replaces only a directory that symann exercise made; "
                      f"its {MANIFEST} is not a valid symann manifest ({error}): nothing "
                      "was changed") from None
    if files is None:
        raise _refuse(out, f"{out / MANIFEST} was written by an earlier symann, without the "
                      "SHA-256 of its files, so --force cannot tell whether you changed or "
                      "added any: move out what you keep and delete the directory by hand; "
                      "nothing was changed")
    for entry, why in _not_written(out, out, files, _directories(files)):
        raise _refuse(out, f"--force would delete {entry}, {why}: move it out of the "
                      "directory (or give another --out); nothing was changed")


def _directories(files: Mapping[str, str]) -> frozenset[str]:
    """The directories holding the recorded files (the variants')."""
    return frozenset(name.rpartition("/")[0] for name in files if "/" in name)


def _not_written(top: Path, directory: Path, files: Mapping[str, str],
                 directories: frozenset[str]) -> Iterator[tuple[Path, str]]:
    """Each entry under ``directory`` that is not as symann exercise wrote it, with why,
    in name order."""
    for entry in sorted(directory.iterdir()):
        name = entry.relative_to(top).as_posix()
        if entry.is_symlink():
            yield entry, "a link, which symann exercise does not make"
        elif entry.is_dir():
            if name in directories:
                yield from _not_written(top, entry, files, directories)
            else:
                yield entry, "a directory symann exercise did not make"
        elif not entry.is_file():
            yield entry, "which is not a regular file"
        elif name in files:
            if file_fingerprint(entry) != files[name]:
                yield entry, ("which differs from the file symann exercise wrote (answers "
                              "filled in, or edited)")
        elif name != MANIFEST and not _latex_product(name, files):
            yield entry, ("which symann exercise did not write (a PDF may be yours: delete "
                          "it yourself if pdflatex made it)" if name.endswith(".pdf")
                          else "which symann exercise did not write")


def _latex_product(name: str, files: Mapping[str, str]) -> bool:
    """Whether ``name`` is what pdflatex writes next to a sheet symann wrote."""
    stem, _, suffix = name.rpartition(".")
    return suffix in LATEX_PRODUCTS and f"{stem}.tex" in files


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
