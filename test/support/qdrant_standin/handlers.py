"""What each OpenAPI operation (by operationId) does. Anything not listed answers 501."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import point_ids
from .catalog import Catalog
from .errors import not_found, not_implemented


@dataclass
class Call:
    catalog: Catalog
    path_params: dict[str, str]
    query: dict[str, str]
    body: Any
    version: str

    @property
    def name(self) -> str:
        return self.path_params["collection_name"]

    @property
    def wait(self) -> bool:
        # Qdrant's default is wait=false; the JS client sends wait=true for most writes.
        return self.query.get("wait") == "true"


@dataclass
class Plain:
    """A reply outside the {"result", "status", "time"} envelope."""

    body: Any
    content_type: str = "application/json"


def _root(call: Call) -> Plain:
    return Plain({"title": "qdrant - vector search engine", "version": call.version, "commit": None})


def _text(message: str) -> Callable[[Call], Plain]:
    return lambda call: Plain(message, "text/plain")


def _get_point(call: Call) -> Any:
    found = call.catalog.get(call.name).retrieve([_path_point_id(call.path_params["id"])], True, True)
    if not found:
        raise not_found(f"No point with id {call.path_params['id']} found")
    return found[0]


def _path_point_id(raw: str) -> Any:
    return int(raw) if raw.isdigit() else raw


def _query_batch(call: Call) -> Any:
    collection = call.catalog.get(call.name)
    return [collection.query(search) for search in call.body["searches"]]


HANDLERS: dict[str, Callable[[Call], Any]] = {
    "root": _root,
    "healthz": _text("healthz check passed"),
    "livez": _text("healthz check passed"),
    "readyz": _text("all shards are ready"),
    "get_collections": lambda c: {"collections": [{"name": n} for n in c.catalog.names()]},
    "get_collection": lambda c: c.catalog.info(c.name),
    "create_collection": lambda c: c.catalog.create(c.name, c.body or {}),
    "update_collection": lambda c: c.catalog.update(c.name, c.body or {}),
    "delete_collection": lambda c: c.catalog.delete(c.name),
    "collection_exists": lambda c: {"exists": c.catalog.exists(c.name)},
    "update_aliases": lambda c: c.catalog.change_aliases(c.body["actions"]),
    "get_collections_aliases": lambda c: {"aliases": c.catalog.aliases()},
    "get_collection_aliases": lambda c: {"aliases": c.catalog.aliases(c.name)},
    "create_field_index": lambda c: c.catalog.get(c.name).create_index(c.body, c.wait),
    "delete_field_index": lambda c: c.catalog.get(c.name).delete_index(c.path_params["field_name"], c.wait),
    "upsert_points": lambda c: c.catalog.get(c.name).upsert(c.body, c.wait),
    "delete_points": lambda c: c.catalog.get(c.name).delete(c.body, c.wait),
    "set_payload": lambda c: c.catalog.get(c.name).set_payload(c.body, c.wait, overwrite=False),
    "overwrite_payload": lambda c: c.catalog.get(c.name).set_payload(c.body, c.wait, overwrite=True),
    "delete_payload": lambda c: c.catalog.get(c.name).delete_payload(c.body, c.wait),
    "clear_payload": lambda c: c.catalog.get(c.name).clear_payload(c.body, c.wait),
    "get_point": _get_point,
    "get_points": lambda c: c.catalog.get(c.name).retrieve(
        c.body["ids"], c.body.get("with_payload", True), c.body.get("with_vector", False)
    ),
    "scroll_points": lambda c: c.catalog.get(c.name).scroll(c.body or {}),
    "count_points": lambda c: c.catalog.get(c.name).count(c.body or {}),
    "query_points": lambda c: c.catalog.get(c.name).query(c.body or {}),
    "query_batch_points": _query_batch,
}


def dispatch(operation_id: str, call: Call) -> Any:
    handler = HANDLERS.get(operation_id)
    if handler is None:
        raise not_implemented(f"operation `{operation_id}` is valid Qdrant API but is not emulated")
    return handler(call)


def reject_bad_point_id(operation_id: str, body: Any) -> str | None:
    """Qdrant's own message for a non-UUID string id, if the body carries one."""
    bad = point_ids.first_invalid(body, operation_id)
    return point_ids.invalid_message(bad) if bad is not None else None
