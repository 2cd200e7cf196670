"""The JSON contract: its schema file is current, real output validates against it, and the
docs and views cover every value of every closed vocabulary."""

from __future__ import annotations

import importlib.util
import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from corroborate.model import (
    Category,
    EventType,
    FactStatus,
    Polarity,
    Reason,
    Scope,
    Slot,
    Stance,
)
from corroborate.render.card import SLOT_LABELS
from corroborate.render.terminal import STATUS_STYLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
VOCABULARIES: tuple[type[StrEnum], ...] = (
    Category,
    EventType,
    FactStatus,
    Polarity,
    Reason,
    Scope,
    Slot,
    Stance,
)


def _schema_script() -> Any:
    path = ROOT / "scripts" / "contract_schema.py"
    spec = importlib.util.spec_from_file_location("contract_schema", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_schema_file_is_generated_from_the_models() -> None:
    written = (DOCS / "contract.schema.json").read_text(encoding="utf-8")
    assert written == _schema_script().contract_schema(), (
        "docs/contract.schema.json is stale: run python scripts/contract_schema.py"
    )


def test_seed_comparison_validates_against_the_schema(seeds_json: dict[str, Any]) -> None:
    schema = json.loads((DOCS / "contract.schema.json").read_text(encoding="utf-8"))
    errors = [str(e) for e in jsonschema_rs.validator_for(schema).iter_errors(seeds_json)]
    assert errors == []


def test_schema_rejects_an_unknown_slot(seeds_json: dict[str, Any]) -> None:
    schema = json.loads((DOCS / "contract.schema.json").read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(seeds_json))
    broken["facts"][0]["slot"] = "casualties"
    assert not jsonschema_rs.validator_for(schema).is_valid(broken)


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_contract_doc_names_every_value(vocabulary: type[StrEnum]) -> None:
    doc = (DOCS / "contract.md").read_text(encoding="utf-8")
    missing = [v.value for v in vocabulary if f"`{v.value}`" not in doc]
    assert missing == []


def test_views_cover_every_slot_and_status() -> None:
    assert set(SLOT_LABELS) == set(Slot)
    assert set(STATUS_STYLES) == set(FactStatus)
