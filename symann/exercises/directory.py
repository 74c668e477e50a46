"""An exercise's directory, written atomically: every file goes into a temporary sibling
directory, which is renamed to DIR only when all of it is written. A failed run leaves DIR
as it was; a non-empty DIR is replaced only with ``--force``."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from ..files import TEMP_SUFFIX


def check_directory(out: Path, force: bool) -> None:
    """Refuse, before any work, a DIR that cannot be (re)placed."""
    source = str(out)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError("expected a directory (or a new name), got a file or a link",
                         source=source)
    if not out.parent.resolve().is_dir():
        raise InputError(f"no such directory: {out.parent}", source=source)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError("the directory is not empty; --force replaces it", source=source)


@contextmanager
def atomic_directory(out: Path, force: bool) -> Iterator[Path]:
    """A temporary directory whose contents become ``out`` when the block ends without
    error (the old ``out``, if any, is removed only then)."""
    check_directory(out, force)
    parent = out.parent.resolve()
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=TEMP_SUFFIX,
                                          dir=parent))
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", source=str(out)) from None
    try:
        yield temporary
        os.chmod(temporary, 0o777 & ~_umask())
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", suffix=TEMP_SUFFIX,
                                        dir=parent))
            os.replace(out, old / out.name)
            try:
                os.replace(temporary, out)
            except OSError:
                os.replace(old / out.name, out)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, out)
    except BaseException as error:
        shutil.rmtree(temporary, ignore_errors=True)
        if isinstance(error, OSError):
            raise InputError(f"cannot write: {error.strerror or error}",
                             source=str(out)) from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(path: Path, data: str) -> None:
    """One file of the directory being written (UTF-8, newlines as given)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(data)
