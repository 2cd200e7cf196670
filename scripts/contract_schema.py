"""Write the JSON Schema of the `compare --format json` contract, generated from the models
the JSON API serves it with (`corroborate.web.schemas.ComparisonOut`), to
docs/contract.schema.json. tests/test_contract.py checks the file is current and that real
output validates against it.

    python scripts/contract_schema.py
"""

from __future__ import annotations

import json
from pathlib import Path

from corroborate.web.schemas import ComparisonOut

TARGET = Path(__file__).resolve().parent.parent / "docs" / "contract.schema.json"


def contract_schema() -> str:
    """The schema as the file holds it."""
    schema = ComparisonOut.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Corroborate comparison (contract version 1)"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(contract_schema(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
