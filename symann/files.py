"""Reading inputs in bounded time and memory, and writing outputs atomically.

* Inputs are opened without blocking and checked before a byte is read: devices, FIFOs
  and directories are refused, and so is a file over the size limit; at most
  ``limit + 1`` bytes are ever read.
* Outputs go to a temporary file in the same directory (``.NAME.XXXX.symann-tmp``),
  are flushed to disk, then renamed over the target: the previous file stays intact
  until the new one is complete. A device or FIFO given as output (``/dev/null``,
  ``/dev/stdout``) is written directly, as there is nothing there to lose.
"""
from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import InputError

TEMP_SUFFIX = ".symann-tmp"
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def _mib(limit: int) -> str:
    return f"{limit / 2**20:g} MiB"


def _oserror(error: OSError, verb: str, source: str) -> InputError:
    reasons = {errno.ENOENT: "no such file", errno.EISDIR: "expected a file, got a directory",
               errno.ENOTDIR: "no such file (a parent is not a directory)"}
    message = reasons.get(error.errno or 0, f"cannot {verb}: {error.strerror or error}")
    return InputError(message, source=source)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input(path: str | Path, limit: int) -> int:
    """The size of the regular file ``path``; refuses anything else, or a file over
    ``limit`` bytes, without opening it."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise _oserror(error, "read", str(path)) from None
    _check_regular(info, path, limit)
    return info.st_size


def _check_regular(info: os.stat_result, path: str | Path, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"expected a regular file, got {_kind(info.st_mode)}", source=str(path))
    if info.st_size > limit:
        raise InputError(f"expected a file of at most {_mib(limit)} (the file size limit), "
                         f"got {info.st_size} bytes", source=str(path))


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them."""
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as error:
        raise _oserror(error, "read", str(path)) from None
    try:
        with os.fdopen(descriptor, "rb", closefd=True) as handle:
            _check_regular(os.fstat(handle.fileno()), path, limit)
            data = handle.read(limit + 1)
    except OSError as error:
        raise _oserror(error, "read", str(path)) from None
    if len(data) > limit:  # the file grew after it was checked
        raise InputError(f"expected a file of at most {_mib(limit)} (the file size limit)",
                         source=str(path))
    return data


def read_text(path: str | Path, limit: int) -> str:
    """The UTF-8 text of the regular file ``path`` (a byte-order mark is dropped)."""
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"expected UTF-8 text, got a byte {data[error.start]:#x} at offset "
                         f"{error.start}", source=str(path)) from None


def check_output(output: str | None, inputs: Sequence[str | Path | None]) -> None:
    """Refuse an output path that cannot be written, or that is one of ``inputs``, before
    any work is done (so nothing is lost and no time is wasted)."""
    if output is None:
        return
    if output == "":
        raise InputError("expected a file name", field="--output")
    if os.path.isdir(output):
        raise InputError("expected a file, got a directory", source=output)
    parent = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(parent):
        raise InputError(f"no such directory: {parent}", source=output)
    for source in inputs:
        if source is not None and _same(output, source):
            raise InputError(f"is also an input ({source}); refusing to overwrite it",
                             source=output)


def _same(output: str, source: str | Path) -> bool:
    try:
        return os.path.samefile(output, source)
    except OSError:
        return os.path.realpath(output) == os.path.realpath(source)


def write_output(path: str, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically."""
    with atomic_output(path, binary=isinstance(data, bytes)) as handle:
        handle.write(data)


@contextmanager
def atomic_output(path: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A handle whose contents replace ``path`` only when the block ends without error."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise _oserror(error, "write", path) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _direct(path, info, binary) as handle:
            yield handle
        return
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.",
                                                 suffix=TEMP_SUFFIX,
                                                 dir=os.path.dirname(os.path.abspath(path)))
    except OSError as error:
        raise _oserror(error, "write", path) from None
    handle = _handle(descriptor, binary)
    try:
        yield handle
        handle.flush()
        os.fsync(descriptor)
        handle.close()
        os.chmod(temporary, stat.S_IMODE(info.st_mode) if info else _default_mode())
        os.replace(temporary, path)
    except BaseException as error:
        _close_quietly(handle)
        _remove(temporary)
        if isinstance(error, OSError):
            raise _oserror(error, "write", path) from None
        raise


def _handle(descriptor: int, binary: bool) -> IO[Any]:
    raw = os.fdopen(descriptor, "wb")
    return raw if binary else io.TextIOWrapper(raw, encoding="utf-8", newline="")


def _close_quietly(handle: IO[Any]) -> None:
    """Close ``handle`` after a failure (the file is closed even when the flush fails)."""
    try:
        handle.close()
    except (OSError, ValueError):
        pass


def _default_mode() -> int:
    """The mode ``open(path, "w")`` would give: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def _direct(path: str, info: os.stat_result, binary: bool) -> Iterator[IO[Any]]:
    """Write straight into a device or FIFO; a FIFO without a reader is an error, not a hang."""
    if stat.S_ISDIR(info.st_mode):
        raise InputError("expected a file, got a directory", source=path)
    flags = os.O_WRONLY | (os.O_NONBLOCK if stat.S_ISFIFO(info.st_mode) else 0)
    try:
        descriptor = os.open(path, flags)
        os.set_blocking(descriptor, True)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise InputError("cannot write: a FIFO with no reader", source=path) from None
        raise _oserror(error, "write", path) from None
    handle = _handle(descriptor, binary)
    try:
        yield handle
        handle.close()
    except BaseException as error:
        _close_quietly(handle)
        if isinstance(error, OSError):
            raise _oserror(error, "write", path) from None
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
