"""Strict mode's index rule, the part of Qdrant's strict mode the stand-in enforces.

With ``strict_mode_config.enabled`` and ``unindexed_filtering_retrieve: false`` (Qdrant
Cloud's default), a query, count or scroll whose filter names a payload key without an index
of a fitting type is refused with 400; ``unindexed_filtering_update: false`` does the same for
filtered updates (delete or set payload by filter). The text follows Qdrant's
(lib/collection/src/problems/unindexed_field.rs): ``Bad request: Index required but not found
for "<key>" of one of the following types: [<types>]. Help: Create an index for this key or use
a different filter.``

The other strict-mode limits (max limit, timeouts, batch sizes, ...) are not enforced: a
collection created with any of them set answers 501 (see collection_config.py).
"""

from __future__ import annotations

from typing import Any

from .errors import bad_request

# What the stand-in's --strict-mode gives every collection created without its own strict_mode_config.
CLOUD_DEFAULT = {"enabled": True, "unindexed_filtering_retrieve": False, "unindexed_filtering_update": False}

# The strict-mode settings that are enforced; any other one set means "not emulated".
ENFORCED = {"enabled", "unindexed_filtering_retrieve", "unindexed_filtering_update"}


def check_filter(config: dict[str, Any], indexed: dict[str, str], filter_: Any, kind: str) -> None:
    """Refuse `filter_` as Qdrant would. `indexed`: payload key -> index type; kind: retrieve|update."""
    strict = config.get("strict_mode_config") or {}
    if not strict.get("enabled") or strict.get(f"unindexed_filtering_{kind}") is not False or not filter_:
        return
    for key, types in _field_conditions(filter_):
        if indexed.get(key) not in types:
            raise bad_request(
                f'Index required but not found for "{key}" of one of the following types: [{", ".join(types)}]. '
                "Help: Create an index for this key or use a different filter."
            )


def _field_conditions(filter_: Any) -> list[tuple[str, list[str]]]:
    """(key, index types that serve it) for every field condition, nested filters included."""
    found: list[tuple[str, list[str]]] = []
    for clause in ("must", "should", "must_not"):
        conditions = filter_.get(clause)
        if conditions is None:
            continue
        for condition in conditions if isinstance(conditions, list) else [conditions]:
            if "key" in condition:
                types = _types_for(condition)
                if types:
                    found.append((condition["key"], types))
            elif "nested" in condition:
                found.extend(_field_conditions(condition["nested"]["filter"]))
            elif any(c in condition for c in ("must", "should", "must_not")):
                found.extend(_field_conditions(condition))
    min_should = filter_.get("min_should")
    if min_should:
        found.extend(_field_conditions({"should": min_should["conditions"]}))
    return found


def _types_for(condition: dict[str, Any]) -> list[str]:
    match = condition.get("match")
    if match is not None:
        if "value" in match:
            return _types_of_value(match["value"])
        for key in ("any", "except"):
            if key in match:
                values = match[key]
                return _types_of_value(values[0]) if values else []
        return ["text"]  # text, text_any, phrase, prefix
    if condition.get("range") is not None:
        return ["integer", "float"]
    return []  # is_empty, is_null, values_count, geo: not checked by the stand-in


def _types_of_value(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["bool"]
    if isinstance(value, int):
        return ["integer"]
    return ["keyword"]
