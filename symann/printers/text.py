"""The plain-text dialect of the formula printer: Unicode names (``z⁽¹⁾₂``, ``σ``), for a
terminal, for the text and JSON outputs and for the checker's feedback."""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from ..activations import REGISTRY
from ..formula import Quotient
from ..notation import Name
from ..numbers import Shown
from ..quantities import Ref
from .base import Printer
from .pieces import INDEX, subscript

_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789,k=", "₀₁₂₃₄₅₆₇₈₉,ₖ₌")
_ATOM = re.compile(r"[\d.]+|[a-z]")
_COMPOUND = (" + ", " − ", " × ", " · ", " / ")



@lru_cache(maxsize=256)
def _superscript(layer: int, brackets: str = "round") -> str:
    """``⁽²⁾``, or ``^[2]`` in square brackets (which have no superscript form)."""
    return f"({layer})".translate(_SUPERSCRIPT) if brackets == "round" else f"^[{layer}]"


def _outside_brackets(text: str) -> str:
    """``text`` without what is inside its brackets (round, or a matrix's square ones)."""
    depth, kept = 0, []
    for char in text:
        depth += char in "(["
        if depth == 0:
            kept.append(char)
        depth -= char in ")]"
    return "".join(kept)


def function_text(function: str) -> str:
    """A registry function's name in text; its heading name where it has no symbol
    (``identity``)."""
    names = REGISTRY[function].names
    return names.text or names.display


class TextPrinter(Printer):
    """Plain-text dialect."""

    minus = " − "

    def name(self, name: Name) -> str:
        text = name.base
        if name.layer is not None:
            text += _superscript(name.layer, self.settings.layer_brackets)
        if name.indices:
            text += subscript(name.indices).translate(_SUBSCRIPT)
        return text

    def fraction(self, numerator: str, denominator: str) -> str:
        return f"{self._group(numerator)} / {self._group(denominator)}"

    def _quotient(self, node: Quotient, values: Mapping[Ref, Shown] | None,
                  context: str) -> str:
        """A quotient; in brackets where it is a factor (``(a − y) / n·x`` would read as
        a division by ``n·x``)."""
        text = super()._quotient(node, values, context)
        return self.paren(text) if context == "factor" else text

    def _number(self, shown: Shown, context: str) -> str:
        """A number; a fraction that is a factor in brackets, as a negative one is
        (``(3 / 2) × (1 / 2)``, not ``3 / 2 × 1 / 2``)."""
        text = super()._number(shown, context)
        if context == "factor" and " / " in text and not text.startswith("("):
            return self.paren(text)
        return text

    def partial(self, of: str, by: str) -> str:
        return f"∂{of}/∂{by}"

    def slash(self, numerator: str, denominator: str) -> str:
        return f"{numerator}/{denominator}"

    def summation(self, upper: int, body: str) -> str:
        return f"Σ{f'{INDEX}=1'.translate(_SUBSCRIPT)}{str(upper).translate(_SUPERSCRIPT)} {body}"

    def prime(self, function: str, arguments: list[str]) -> str:
        return f"{function_text(function)}'({', '.join(arguments)})"

    def _group(self, text: str) -> str:
        """An operand of ``/`` bracketed where an operator outside brackets (``−`` too)
        or a leading minus would bind it wrongly: ``(a − y) / 2``, not ``(y − a)^2``."""
        compound = text.startswith("-") or any(op in _outside_brackets(text) for op in _COMPOUND)
        return f"({text})" if compound else text

    def exp(self, exponent: str) -> str:
        return f"e^{exponent}" if _ATOM.fullmatch(exponent) else f"e^({exponent})"

    def function(self, function: str, arguments: list[str]) -> str:
        return f"{REGISTRY[function].names.text}({', '.join(arguments)})"

    def power(self, base: str, exponent: str) -> str:
        return f"{base}^{exponent}" if _ATOM.fullmatch(exponent) else f"{base}^({exponent})"

    def log(self, argument: str) -> str:
        return f"ln({argument})"

    def times(self, substituted: bool) -> str:
        return " × " if substituted and self.settings.times == "times" else " · "

    def implicit(self, left: str, right: str) -> str:
        """``left·right``; an operand that is a quotient in brackets: ``(1 / 3)·[…]``, not
        ``1 / 3·[…]``, which reads as 1/(3·[…])."""
        return f"{self._factor(left)}·{self._factor(right)}"

    def _factor(self, text: str) -> str:
        return f"({text})" if " / " in _outside_brackets(text) else text

    def matrix(self, rows: list[list[str]]) -> str:
        return "[" + "; ".join(", ".join(row) for row in rows) + "]"

    def indexed(self, text: str, indices: tuple[int, ...]) -> str:
        return text + subscript(indices).translate(_SUBSCRIPT)
