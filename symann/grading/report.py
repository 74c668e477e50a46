"""A check's report as JSON, and as text a student reads."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

MARKS = {"correct": "✓", "follow_through": "✓", "incorrect": "✗", "missing": "·",
         "unparseable": "?"}


def report_dict(report) -> dict[str, Any]:
    return {"steps": [asdict(v) for v in report.verdicts], "score": report.score,
            "total": report.total, "counts": report.counts(), "passed": report.passed,
            "tolerance": report.tolerance}


def report_json(report, indent: int | None = 2) -> str:
    return json.dumps(report_dict(report), indent=indent, ensure_ascii=False)


def report_text(report) -> str:
    lines = []
    for v in report.verdicts:
        given = f" {v.given}" if v.given else ""
        lines.append(f"{MARKS[v.status]} {v.id}:{given} — {v.message}")
    score = f"{report.score:g}/{report.total}"
    lines += ["", f"Score: {score} (tolerance: {report.tolerance})"]
    return "\n".join(lines) + "\n"
