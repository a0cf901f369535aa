"""Locating and loading Qdrant's OpenAPI document."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

# test/support/qdrant_standin/spec.py -> project root is three levels up.
PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SPEC = PROJECT_ROOT.parent / "shared" / "qdrant" / "openapi-1.19.json"
SPEC_ENV = "QDRANT_OPENAPI"


def spec_path(explicit: str | None = None) -> Path:
    """The document to validate against: flag, then $QDRANT_OPENAPI, then ../shared."""
    chosen = explicit or os.environ.get(SPEC_ENV) or str(DEFAULT_SPEC)
    path = Path(chosen)
    if not path.is_file():
        raise FileNotFoundError(
            f"Qdrant OpenAPI document not found at {path} "
            f"(set {SPEC_ENV} or pass --openapi to point at openapi-1.19.json)"
        )
    return path


def load_spec(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return _null_only(document)


def spec_version(document: dict[str, Any], path: Path) -> str:
    """The Qdrant version the stand-in claims, taken from the file name (openapi-1.19.json)."""
    stem = path.stem.removeprefix("openapi-")
    if stem and stem[0].isdigit():
        return stem if stem.count(".") >= 2 else f"{stem}.0"
    return str(document.get("info", {}).get("version", "0.0.0"))


def _null_only(node: Any) -> Any:
    """Read Qdrant's bare ``{"nullable": true}`` as "null only".

    Qdrant's generator (schemars) writes ``Option<T>`` as
    ``anyOf: [T, {"nullable": true}]``. Under OpenAPI 3.0 a schema with no
    ``type`` accepts any value, so taken literally every optional field would
    accept garbage (``"filter": "x"`` would pass). Qdrant means "T or null", so
    the bare branch becomes ``{"enum": [null]}``.
    """
    if isinstance(node, dict):
        if node.get("nullable") is True and set(node) == {"nullable"}:
            return {"enum": [None]}
        return {key: _null_only(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_null_only(item) for item in node]
    return node
