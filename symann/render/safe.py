"""Text from a file made safe to show: control characters become visible escapes.

A title or label may hold terminal escape sequences (``ESC[8m`` hides what follows), a
newline that forges a line, or bidirectional overrides that reorder what is shown. Every
such character is shown as its Python escape (``\\x1b``, ``\\n``, ``\\u202e``) instead.
"""
from __future__ import annotations

import re

#: DEL, C1 controls, bidirectional marks/embeddings/overrides/isolates, lone surrogates
_RAW_IN_JSON = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
#: ... and the C0 controls (JSON escapes those itself)
_UNSAFE = re.compile(f"[\x00-\x1f{_RAW_IN_JSON}]")
_UNSAFE_IN_JSON = re.compile(f"[{_RAW_IN_JSON}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control or direction-changing character written as an escape."""
    return _UNSAFE.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with the characters JSON leaves raw (DEL, C1, direction marks) escaped as
    ``\\uXXXX``: the same data, safe to print on a terminal."""
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
