"""Shared fixtures: the seed reports, their gold analysis, and a runner for the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `corroborate` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "corroborate", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="session")
def seeds_expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "seeds_expected.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def seeds_json() -> dict[str, Any]:
    """`corroborate compare reports.jsonl --format json`, through the public CLI."""
    result = run_cli("compare", str(SEEDS / "reports.jsonl"), "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data
