"""Output formats: the registry of writers and the settings they take.

This module sits below the derivation and imports no writer: each writer module of
:mod:`symann.render` registers itself here when imported (``symann`` imports them all),
and :meth:`symann.Derivation.render`, the command line and the tests look formats up in
:data:`FORMATS`.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .activations import REGISTRY
from .errors import InputError
from .notation import PRESETS, symbols

if TYPE_CHECKING:  # pragma: no cover
    from .collapse import Collapse
    from .steps import Derivation

#: the sign of a substituted product: ``×`` or ``·``
TIMES = ("times", "cdot")
#: how exact values are shown: decimals, or fractions where they are exact
NUMBER_STYLES = ("decimal", "fraction")
#: the level of a LaTeX or Markdown document's headings: the title a section and each
#: layer a subsection, one level lower, or no headings at all
HEADINGS = ("section", "subsection", "none")
#: the brackets of a layer's superscript: ``z^{(2)}``, or ``z^{[2]}`` as some courses write
LAYER_BRACKETS = ("round", "square")
#: how the symbolic line writes a weighted sum: term by term, or as ``\sum_{k=1}^{n}``
SUMS = ("terms", "sigma")
#: the longest display name of an activation (``RenderSettings.activation_names``)
DISPLAY_NAME_LENGTH = 40
#: the members of a step's line an author may show (:attr:`RenderSettings.show`)
SHOWN = ("symbolic", "substituted", "result")
_LABEL_PREFIX = re.compile(r"[A-Za-z0-9_:-]{1,64}")


@dataclass(frozen=True)
class RenderSettings:
    r"""What a reader may choose about a worked solution (the digits and the carry are the
    derivation's own: :meth:`symann.Network.forward`).

    ``notation``: a preset of :data:`symann.notation.PRESETS`; ``times``: ``times`` (×) or
    ``cdot`` (·) in substituted products; ``numbers``: ``decimal``, or ``fraction`` for
    the values that are exact; ``standalone``: LaTeX only, a whole document for pdflatex
    rather than a fragment; ``indent``: JSON only, the indentation (None: one line).

    ``terms``: a sum of more terms than this (a wide layer's weighted sum, its bias not
    counted; a softmax's denominator) is elided, ``w_1 x_1 + w_2 x_2 + ⋯ + w_n x_n + b``,
    and so are the rows and columns of a matrix; 0 writes everything (the result is always
    exact and whole; the JSON, data, always has every term).
    ``width``: the width a line may take before it is broken, in widths of a digit
    (``0.5em``): each member of the line on its own row, a long sum between its terms;
    None is the format's own (LaTeX 80 on an A4 page, Markdown 60, HTML 34 for a phone),
    0 never breaks. ``heading``: LaTeX and Markdown, the level of the title (``section``,
    ``subsection``; the layers one lower) or ``none``: no title and the layers' headings as
    run-in bold text, for a fragment inside the author's own sections.

    Notation (a display choice; the checker reads the standard names): ``symbols``, a
    letter for some quantities (``{"w": "theta"}``, :func:`symann.notation.symbols`);
    ``layer_brackets``: ``round`` (``z^{(2)}``) or ``square`` (``z^{[2]}``); ``sum``:
    ``terms``, or ``sigma`` for a weighted sum written ``\sum_{k=1}^{n} w_{jk} x_k + b_j`` in
    the symbolic line (the backward pass's ``(\sum_k w_{kj} \delta_k) \sigma'(z_j)`` too; JSON's
    symbolic texts as well); ``activation_names``: the name a heading gives an activation, by its
    registry name (``{"relu": "rectifier"}``; printable ASCII, escaped in each format).

    The author's controls (every format but JSON, which is data and always has every step
    and member): ``numbered``, each step's line numbered, in order through the document
    (LaTeX ``align`` with ``\\label{<label_prefix>:<step id>}``, Markdown ``\\tag``, HTML
    an ``id`` anchor, text ``(n)``); ``label_prefix``, letters, digits, ``-``, ``_``, ``:``;
    ``show``, the members of each line shown, some of :data:`SHOWN` (without ``result``
    a line ends ``= ?``: an exercise sheet); ``steps``, the ids of the steps shown (None:
    all; a layer with none of them is left out). ``show`` and ``steps`` may be given as a
    list or a comma-separated text.
    """

    notation: str = "auto"
    times: str = "times"
    numbers: str = "decimal"
    standalone: bool = False
    indent: int | None = 2
    terms: int = 8
    width: int | None = None
    heading: str = "section"
    symbols: Mapping[str, str] = field(default_factory=dict)
    layer_brackets: str = "round"
    sum: str = "terms"
    activation_names: Mapping[str, str] = field(default_factory=dict)
    numbered: bool = False
    label_prefix: str = "symann"
    show: tuple[str, ...] = SHOWN
    steps: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.notation not in PRESETS:
            raise InputError(f"expected one of {', '.join(PRESETS)}, got {self.notation!r}",
                             field="notation")
        if self.times not in TIMES:
            raise InputError(f"expected times or cdot, got {self.times!r}", field="times")
        if self.numbers not in NUMBER_STYLES:
            raise InputError(f"expected decimal or fraction, got {self.numbers!r}",
                             field="numbers")
        if not isinstance(self.standalone, bool):
            raise InputError(f"expected true or false, got {self.standalone!r}",
                             field="standalone")
        if self.indent is not None and (isinstance(self.indent, bool)
                                        or not isinstance(self.indent, int)
                                        or not 0 <= self.indent <= 16):
            raise InputError(f"expected a whole number from 0 to 16 or None, got "
                             f"{self.indent!r}", field="indent")

        for key in ("terms", "width"):
            value = getattr(self, key)
            if (value is not None or key == "terms") and (
                    isinstance(value, bool) or not isinstance(value, int)
                    or not 0 <= value <= 100_000):
                raise InputError(f"expected a whole number from 0 to 100000, got {value!r}",
                                 field=key)
        if self.terms in (1, 2, 3):
            raise InputError(f"expected 0 (every term) or at least 4 terms, got {self.terms}",
                             field="terms")
        if self.heading not in HEADINGS:
            raise InputError(f"expected one of {', '.join(HEADINGS)}, got {self.heading!r}",
                             field="heading")
        self._check_notation()
        self._check_controls()

    def _check_notation(self) -> None:
        """The notation settings checked; ``symbols`` kept as the letters they write."""
        object.__setattr__(self, "symbols", symbols(self.symbols))
        if self.layer_brackets not in LAYER_BRACKETS:
            raise InputError(f"expected round or square, got {self.layer_brackets!r}",
                             field="layer_brackets")
        if self.sum not in SUMS:
            raise InputError(f"expected terms or sigma, got {self.sum!r}", field="sum")
        names = self.activation_names
        if not isinstance(names, Mapping):
            raise InputError(f"expected NAME=TEXT pairs, got {names!r}",
                             field="activation_names")
        for name, text in names.items():
            entry = REGISTRY.get(name) if isinstance(name, str) else None
            if entry is None or not entry.activation:
                raise InputError(f"expected an activation's name "
                                 f"({', '.join(n for n, e in REGISTRY.items() if e.activation)})"
                                 f", got {name!r}", field="activation_names")
            if not (isinstance(text, str) and 0 < len(text) <= DISPLAY_NAME_LENGTH
                    and text.isascii() and text.isprintable() and text.strip()):
                raise InputError(f"expected 1 to {DISPLAY_NAME_LENGTH} printable ASCII "
                                 f"characters for {name}, got {text!r}",
                                 field="activation_names")

    def _check_controls(self) -> None:
        for key in ("show", "steps"):   # "symbolic,result" or a list, as a tuple
            value = getattr(self, key)
            if isinstance(value, str):
                value = tuple(part.strip() for part in value.split(","))
            if isinstance(value, (list, tuple)):
                object.__setattr__(self, key, tuple(value))
        if not isinstance(self.numbered, bool):
            raise InputError(f"expected true or false, got {self.numbered!r}", field="numbered")
        if not isinstance(self.label_prefix, str) or not _LABEL_PREFIX.fullmatch(
                self.label_prefix):
            raise InputError("expected 1 to 64 letters, digits, '-', '_' or ':', got "
                             f"{self.label_prefix!r}", field="label_prefix")
        if not isinstance(self.show, tuple) or not self.show:
            raise InputError(f"expected one or more of {', '.join(SHOWN)}, got {self.show!r}",
                             field="show")
        for member in self.show:
            if member not in SHOWN:
                raise InputError(f"expected one or more of {', '.join(SHOWN)}, got {member!r}",
                                 field="show")
        _once(self.show, "show")
        if self.steps is not None and (not isinstance(self.steps, tuple) or not self.steps
                                       or any(not isinstance(i, str) for i in self.steps)):
            raise InputError(f"expected step ids (z1_1, a2_1, ...), got {self.steps!r}",
                             field="steps")
        if self.steps is not None:
            _once(self.steps, "steps")

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> RenderSettings:
        """Settings from a mapping (``{"notation": "layered"}``); a key that is not a
        setting is an :class:`~symann.errors.InputError` that names it and lists the
        settings."""
        return cls().replace(**options)

    def replace(self, **options: Any) -> RenderSettings:
        """These settings with some changed; unknown keys are refused as in
        :meth:`from_mapping`."""
        unknown = [key for key in options if key not in self.keys()]
        if unknown:
            raise InputError(f"unknown render setting {unknown[0]!r}; the settings are "
                             f"{', '.join(self.keys())}", field=str(unknown[0]))
        return dataclasses.replace(self, **options) if options else self


def _once(items: tuple[str, ...], setting: str) -> None:
    """An :class:`~symann.errors.InputError` naming the first item given twice."""
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise InputError(f"{item} is given twice; give each once", field=setting)
        seen.add(item)


class Writer(Protocol):
    """Writes a derivation in one format."""

    def write(self, derivation: Derivation, settings: RenderSettings) -> str: ...


@runtime_checkable
class DataWriter(Protocol):
    """A writer whose output is also plain data (JSON: :meth:`symann.Derivation.to_dict`)."""

    def write(self, derivation: Derivation, settings: RenderSettings) -> str: ...

    def data(self, derivation: Derivation, settings: RenderSettings) -> dict[str, Any]: ...


#: every output format, by name (``symann solve --format``), filled by :mod:`symann.render`
FORMATS: dict[str, Writer] = {}
#: what a notebook displays, by MIME type (``Derivation._repr_mimebundle_``)
DISPLAYS: dict[str, Writer] = {}


def register(name: str, writer: Writer) -> Writer:
    """Make ``writer`` the format ``name``."""
    FORMATS[name] = writer
    return writer


def register_display(media_type: str, writer: Writer) -> Writer:
    """Make ``writer`` what a notebook shows for ``media_type`` (``text/html``)."""
    DISPLAYS[media_type] = writer
    return writer


def writer(name: str) -> Writer:
    """The writer of the format ``name``; an :class:`~symann.errors.InputError` listing
    the formats otherwise."""
    try:
        return FORMATS[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown format {name!r}; the formats are {', '.join(FORMATS)}",
                         field="format") from None


def data(derivation: Derivation, name: str = "json",
         settings: RenderSettings | None = None) -> dict[str, Any]:
    """The derivation as plain data, from a format that has a data form (JSON)."""
    found = writer(name)
    if not isinstance(found, DataWriter):
        raise InputError(f"the {name} format has no data form", field="format")
    return found.data(derivation, settings or RenderSettings())


class CollapseWriter(Protocol):
    """Writes a linear collapse (:class:`symann.collapse.Collapse`) in one format."""

    def write(self, collapse: Collapse, settings: RenderSettings) -> str: ...


#: every output format of ``symann collapse``, by name, filled by :mod:`symann.render`
COLLAPSE_FORMATS: dict[str, CollapseWriter] = {}


def register_collapse(name: str, writer: CollapseWriter) -> CollapseWriter:
    """Make ``writer`` the format ``name`` of a linear collapse."""
    COLLAPSE_FORMATS[name] = writer
    return writer


#: what a notebook displays of a linear collapse, by MIME type (``Collapse._repr_mimebundle_``)
COLLAPSE_DISPLAYS: dict[str, CollapseWriter] = {}


def register_collapse_display(media_type: str, writer: CollapseWriter) -> CollapseWriter:
    """Make ``writer`` what a notebook shows of a collapse for ``media_type``."""
    COLLAPSE_DISPLAYS[media_type] = writer
    return writer


def collapse_writer(name: str) -> CollapseWriter:
    """The writer of a collapse in the format ``name``; an
    :class:`~symann.errors.InputError` listing the formats otherwise."""
    try:
        return COLLAPSE_FORMATS[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown format {name!r}; the formats are "
                         f"{', '.join(COLLAPSE_FORMATS)}", field="format") from None
