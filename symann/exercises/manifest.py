"""The manifest, ``DIR/exercise.toml``: the seed and every option an exercise was made
with, the symann version, and the students, so that ``symann check --exercise DIR``
regenerates each student's variant; and, in its ``[files]`` table, the SHA-256 of every
other file ``symann exercise`` wrote in DIR, so that ``--force`` replaces DIR only when
nothing in it is the user's (the manifest itself is covered by having to read as a valid
manifest)."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from ..numbers import decimal_text, exact
from ..spec import parse, read_text
from ..writing import text
from .filters import RULES
from .options import DEFAULT_TARGETS, MAX_VARIANTS, Options, Range, Rules, check_ask

MANIFEST = "exercise.toml"
MAX_SEED = 2**63 - 1
#: the manifest's table of the files written: relative path -> SHA-256 (hex)
FILES = "files"
_FILE_NAME = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Manifest:
    """What a class was made from: the options, and the students (or only a count)."""

    options: Options
    count: int
    students: tuple[str, ...] | None = None
    #: each variant's accepted draw (1: the first), so that grading draws it again
    #: without running the filter
    draws: tuple[int, ...] | None = None
    version: str = __version__
    #: each file written but the manifest: relative path -> SHA-256 (None: a manifest
    #: written before symann recorded them)
    files: Mapping[str, str] | None = None


def fingerprint(data: str) -> str:
    """The SHA-256 (hex) of a file's text as the exercise writes it (UTF-8)."""
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def file_fingerprint(path: Path) -> str:
    """The SHA-256 (hex) of a file's bytes."""
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _texts(values: Sequence[str]) -> str:
    return "[" + ", ".join(text(value) for value in values) + "]"


def _decimal(value: Fraction) -> str:
    return text(decimal_text(value) or str(value))


def dumps(manifest: Manifest) -> str:
    """The manifest's TOML text."""
    options = manifest.options
    lines = [
        "# made by symann exercise; symann check --batch CLASS.csv --exercise DIR grades with it",
        f"symann = {text(manifest.version)}",
        *_option_lines(options),
        f"count = {manifest.count}",
    ]
    lines += _backward_lines(options)
    if manifest.draws is not None:
        lines.append("draws = [")
        lines += ["  " + ", ".join(str(d) for d in manifest.draws[start:start + 20]) + ","
                  for start in range(0, len(manifest.draws), 20)]
        lines.append("]")
    if manifest.students is not None:
        lines.append("students = [")
        lines += [f"  {text(student)}," for student in manifest.students]
        lines.append("]")
    if manifest.files is not None:
        lines += ["", f"[{FILES}]"]
        lines += [f"{text(name)} = {text(sha)}" for name, sha in manifest.files.items()]
    return "\n".join(lines) + "\n"


def _option_lines(options: Options) -> list[str]:
    """The manifest's lines of the options (the backward pass's apart)."""
    return [
        f"seed = {options.seed}",
        f"architecture = [{', '.join(str(width) for width in options.architecture)}]",
        f"activations = {_texts(options.activations)}",
        f"digits = {options.digits}",
        f"inputs = {text(str(options.inputs))}",
        f"weights = {text(str(options.weights))}",
        f"biases = {text(str(options.biases))}",
        f"ask = {_texts(options.ask)}",
        f"allow = {_texts(options.rules.off)}",
        f"sigmoid_bound = {_decimal(options.rules.sigmoid_bound)}",
        f"tanh_bound = {_decimal(options.rules.tanh_bound)}",
        f"attempts = {options.attempts}",
        f"title = {text(options.title)}",
    ]


def _backward_lines(options: Options) -> list[str]:
    """The backward pass's lines (none for a forward-only exercise)."""
    if options.loss is None:
        return []
    lines = [f"loss = {text(options.loss)}", f"targets = {text(str(options.targets))}"]
    if options.learning_rate is not None:
        lines.append(f"learning_rate = {_decimal(options.learning_rate)}")
    return lines


def digest(options: Options) -> str:
    """8 hex digits of SHA-256 of the options as the manifest writes them (any symann
    version): two classes differ in it when any option differs."""
    lines = _option_lines(options) + _backward_lines(options)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:8]


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], source: str) -> Any:
    if key not in table:
        raise InputError(f"expected a {key!r} entry (is this a symann exercise?)",
                         source=source, field=key)
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise InputError(f"expected {getattr(kind, '__name__', 'a value')}, got "
                         f"{type(value).__name__}", source=source, field=key)
    return value


def _strings(table: dict[str, Any], key: str, source: str) -> tuple[str, ...]:
    values = _get(table, key, list, source)
    if not all(isinstance(value, str) for value in values):
        raise InputError("expected a list of texts", source=source, field=key)
    return tuple(values)


def read(directory: Path) -> Manifest:
    """The manifest of the exercise in ``directory``."""
    path = directory / MANIFEST
    source = str(path)
    table = parse(read_text(path), "toml", source)
    if not isinstance(table, dict):
        raise InputError("expected a table", source=source)
    try:
        return _manifest(table, source)
    except InputError as error:
        raise error if error.source else error.from_source(source) from None


def _manifest(table: dict[str, Any], source: str) -> Manifest:
    seed = _get(table, "seed", int, source)
    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"expected a seed from 0 to {MAX_SEED}", source=source, field="seed")
    widths = _get(table, "architecture", list, source)
    if not all(isinstance(width, int) and not isinstance(width, bool) for width in widths):
        raise InputError("expected a list of widths", source=source, field="architecture")
    off = _strings(table, "allow", source)
    unknown = [rule for rule in off if rule not in RULES]
    if unknown:
        raise InputError(f"no rule {unknown[0]!r}; rules are {', '.join(RULES)}",
                         source=source, field="allow")
    ask = _strings(table, "ask", source)
    check_ask(ask)
    rules = Rules(off, Fraction(_get(table, "sigmoid_bound", str, source)),
                  Fraction(_get(table, "tanh_bound", str, source)))
    options = Options(
        seed=seed, architecture=tuple(widths),
        activations=_strings(table, "activations", source),
        digits=_get(table, "digits", int, source),
        inputs=Range.parse(_get(table, "inputs", str, source), "inputs"),
        weights=Range.parse(_get(table, "weights", str, source), "weights"),
        biases=Range.parse(_get(table, "biases", str, source), "biases"),
        ask=ask, rules=rules, title=_get(table, "title", str, source),
        attempts=_get(table, "attempts", int, source),
        loss=_get(table, "loss", str, source) if "loss" in table else None,
        targets=Range.parse(_get(table, "targets", str, source), "targets")
        if "targets" in table else DEFAULT_TARGETS,
        learning_rate=exact(_get(table, "learning_rate", str, source), "learning_rate")
        if "learning_rate" in table else None)
    count = _get(table, "count", int, source)
    students = _strings(table, "students", source) if "students" in table else None
    if not 1 <= count <= MAX_VARIANTS or (students is not None and len(students) != count):
        raise InputError(f"expected a count from 1 to {MAX_VARIANTS}, the number of students",
                         source=source, field="count")
    draws = None
    if "draws" in table:
        draws = tuple(_get(table, "draws", list, source))
        if len(draws) != count or not all(isinstance(d, int) and not isinstance(d, bool)
                                          and 1 <= d <= options.attempts for d in draws):
            raise InputError(f"expected {count} draws from 1 to {options.attempts}",
                             source=source, field="draws")
    return Manifest(options, count, students, draws, _get(table, "symann", str, source),
                    _files(table, source))


def _files(table: dict[str, Any], source: str) -> dict[str, str] | None:
    """The ``[files]`` table (None where the manifest has none)."""
    if FILES not in table:
        return None
    files = _get(table, FILES, dict, source)
    for name, sha in files.items():
        if not (_FILE_NAME.fullmatch(name) and name != MANIFEST and ".." not in name
                and isinstance(sha, str) and _SHA256.fullmatch(sha)):
            raise InputError(f"expected file = SHA-256 (64 hex digits), got {name!r}",
                             source=source, field=FILES)
    return dict(files)
