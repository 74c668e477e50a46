"""Shared test helpers: golden files, example paths."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden():
    """Compare text with a golden file; ``SYMANN_REGEN=1`` rewrites it (then read it!)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("SYMANN_REGEN"):
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"golden file {path} missing: run with SYMANN_REGEN=1 and read it"
        assert text == path.read_text(encoding="utf-8")

    return check
