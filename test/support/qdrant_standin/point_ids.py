"""Point ids: unsigned integers or UUIDs, as Qdrant accepts and prints them."""

from __future__ import annotations

import uuid
from typing import Any, Iterator

from .errors import QdrantError, format_error

PointId = int | str


def parse(value: Any) -> PointId:
    """A JSON point id as the engine takes it (UUIDs normalised to lowercase hyphenated form)."""
    if isinstance(value, bool):
        raise _invalid(value)
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise _invalid(value) from None
    raise _invalid(value)


def render(value: Any) -> PointId:
    """An engine id (int or uuid.UUID) as Qdrant writes it in JSON."""
    return value if isinstance(value, int) else str(value)


def first_invalid(body: Any, operation_id: str) -> Any | None:
    """The first string id that is not a UUID, where this operation carries point ids.

    Qdrant's serde error for such an id is the message users know; the schema
    check alone would only say "not a 'uuid'".
    """
    for candidate in _id_fields(body, operation_id):
        if isinstance(candidate, str):
            try:
                uuid.UUID(candidate)
            except ValueError:
                return candidate
    return None


def invalid_message(value: Any) -> str:
    return f"value {value} is not a valid point ID, valid values are either an unsigned integer or a UUID"


def _invalid(value: Any) -> QdrantError:
    return format_error("JSON body", invalid_message(value))


def _id_fields(body: Any, operation_id: str) -> Iterator[Any]:
    if not isinstance(body, dict):
        return
    if operation_id == "upsert_points":
        for point in body.get("points") or []:
            if isinstance(point, dict):
                yield point.get("id")
        batch = body.get("batch")
        if isinstance(batch, dict):
            yield from batch.get("ids") or []
    elif operation_id in ("delete_points", "set_payload", "overwrite_payload", "delete_payload", "clear_payload"):
        yield from body.get("points") or []
    elif operation_id == "get_points":
        yield from body.get("ids") or []
    elif operation_id == "scroll_points":
        yield body.get("offset")
