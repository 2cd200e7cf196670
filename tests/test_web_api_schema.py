"""Schemathesis against the API's OpenAPI document: generated requests to every operation
must never meet a server error, and responses must match the document."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from corroborate.web import create_app

# The seed store is made once per session; the schema is read from an app over a scratch store
# at import time, and each case runs against the app over the seed store.
_SCHEMA_APP = create_app(":memory:")
schema = schemathesis.openapi.from_asgi("/openapi.json", _SCHEMA_APP)


@pytest.fixture(scope="module")
def seeded_app(seeds_store: Path) -> object:
    return create_app(seeds_store)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure can be replayed
    suppress_health_check=list(HealthCheck),
)
def test_api_has_no_server_errors(case: schemathesis.Case, seeded_app: object) -> None:
    # Starlette's 405 responses carry an Allow header the document cannot describe.
    case.call_and_validate(
        app=seeded_app, excluded_checks=[schemathesis.checks.allow_header_conformance]
    )
