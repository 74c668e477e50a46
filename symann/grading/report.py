"""A check's report as JSON, and as text a student reads."""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Protocol

MARKS = {"correct": "✓", "follow_through": "✓", "incorrect": "✗", "missing": "·",
         "unparseable": "?", "undecided": "?"}


class Checked(Protocol):
    """What a report is made of (:class:`symann.grading.grade.Report`)."""

    @property
    def verdicts(self) -> Sequence[Any]: ...
    @property
    def score(self) -> float: ...
    @property
    def total(self) -> int: ...
    @property
    def tolerance(self) -> str: ...
    @property
    def passed(self) -> bool: ...
    def counts(self) -> dict[str, int]: ...


def report_dict(report: Checked) -> dict[str, Any]:
    """The report as plain data (the JSON report)."""
    return {"steps": [asdict(v) for v in report.verdicts], "score": report.score,
            "total": report.total, "counts": report.counts(), "passed": report.passed,
            "tolerance": report.tolerance}


def report_json(report: Checked, indent: int | None = 2) -> str:
    """The JSON report."""
    return json.dumps(report_dict(report), indent=indent, ensure_ascii=False)


def escape(text: str) -> str:
    """``text`` with every control or format character written as an escape (``\\n``,
    ``\\x1b``, ``\\u202e``), so a student's answer can never start a line, move the
    cursor, recolour the terminal or reorder what follows it."""
    return "".join(repr(c)[1:-1] if _unsafe(c) else c for c in text)


def _unsafe(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def report_text(report: Checked) -> str:
    """The text report a student reads (control characters escaped)."""
    lines = []
    for v in report.verdicts:
        given = f" {escape(v.given)}" if v.given else ""
        lines.append(f"{MARKS[v.status]} {escape(v.id)}:{given} — {escape(v.message)}")
    score = f"{report.score:g}/{report.total}"
    lines += ["", f"Score: {score} (tolerance: {report.tolerance})"]
    return "\n".join(lines) + "\n"
