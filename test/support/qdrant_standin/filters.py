"""Qdrant's JSON filter (already schema-checked) as qdrant-edge objects."""

from __future__ import annotations

from typing import Any

import qdrant_edge as edge

from . import point_ids
from .errors import not_implemented


def to_filter(data: dict[str, Any] | None) -> edge.Filter | None:
    if data is None:
        return None
    min_should = data.get("min_should")
    return edge.Filter(
        must=_conditions(data.get("must")),
        should=_conditions(data.get("should")),
        must_not=_conditions(data.get("must_not")),
        min_should=(
            edge.MinShould(
                conditions=[_condition(c) for c in min_should["conditions"]],
                min_count=min_should["min_count"],
            )
            if min_should
            else None
        ),
    )


def _conditions(value: Any) -> list[Any] | None:
    # The spec allows a single condition where a list is expected.
    if value is None:
        return None
    return [_condition(c) for c in (value if isinstance(value, list) else [value])]


def _condition(c: dict[str, Any]) -> Any:
    if "key" in c:
        return _field_condition(c)
    if "is_empty" in c:
        return edge.IsEmptyCondition(c["is_empty"]["key"])
    if "is_null" in c:
        return edge.IsNullCondition(c["is_null"]["key"])
    if "has_id" in c:
        return edge.HasIdCondition({point_ids.parse(i) for i in c["has_id"]})
    if "has_vector" in c:
        return edge.HasVectorCondition(c["has_vector"])
    if "nested" in c:
        return edge.NestedCondition(c["nested"]["key"], to_filter(c["nested"]["filter"]))
    if "slice" in c:
        raise not_implemented("the `slice` filter condition (qdrant-edge has no equivalent)")
    return to_filter(c)  # a nested Filter


def _field_condition(c: dict[str, Any]) -> edge.FieldCondition:
    return edge.FieldCondition(
        c["key"],
        match=_match(c.get("match")),
        range=_range(c.get("range")),
        geo_bounding_box=_bounding_box(c.get("geo_bounding_box")),
        geo_radius=_radius(c.get("geo_radius")),
        geo_polygon=_polygon(c.get("geo_polygon")),
        values_count=edge.ValuesCount(**c["values_count"]) if c.get("values_count") else None,
        is_empty=c.get("is_empty"),
        is_null=c.get("is_null"),
    )


def _match(m: dict[str, Any] | None) -> Any:
    if m is None:
        return None
    if "value" in m:
        return edge.MatchValue(_edge_value(m["value"]))
    if "any" in m:
        return edge.MatchAny(m["any"])
    if "except" in m:
        return edge.MatchExcept(m["except"])
    if "text" in m:
        return edge.MatchText(m["text"])
    if "text_any" in m:
        return edge.MatchTextAny(m["text_any"])
    if "phrase" in m:
        return edge.MatchPhrase(m["phrase"])
    if "prefix" in m:
        return edge.MatchPrefix(m["prefix"])
    raise not_implemented(f"match condition {sorted(m)}")


def _range(r: dict[str, Any] | None) -> Any:
    if r is None:
        return None
    bounds = {k: r.get(k) for k in ("gt", "gte", "lt", "lte")}
    # The spec's RangeInterface is numbers or RFC 3339 strings; strings mean datetimes.
    if any(isinstance(v, str) for v in bounds.values()):
        return edge.RangeDateTime(**bounds)
    return edge.RangeFloat(**{k: (float(v) if v is not None else None) for k, v in bounds.items()})


def _geo_point(p: dict[str, Any]) -> edge.GeoPoint:
    return edge.GeoPoint(lon=p["lon"], lat=p["lat"])


def _bounding_box(b: dict[str, Any] | None) -> Any:
    if b is None:
        return None
    return edge.GeoBoundingBox(_geo_point(b["top_left"]), _geo_point(b["bottom_right"]))


def _radius(r: dict[str, Any] | None) -> Any:
    if r is None:
        return None
    return edge.GeoRadius(_geo_point(r["center"]), float(r["radius"]))


def _polygon(p: dict[str, Any] | None) -> Any:
    if p is None:
        return None
    interiors = p.get("interiors")
    return edge.GeoPolygon(
        [_geo_point(q) for q in p["exterior"]["points"]],
        [[_geo_point(q) for q in ring["points"]] for ring in interiors] if interiors else None,
    )


class _NumpyStyleBool:
    """qdrant-edge-py's binding turns a Python bool into the integer 1/0 (bool is an int subclass),
    so match {value: true} would never match a stored boolean, unlike Qdrant. The binding does
    recognise numpy booleans (type numpy.bool_, read through __bool__); this poses as one."""

    __module__ = "numpy"  # noqa: the binding checks this name

    def __init__(self, value: bool) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return self.value


_NumpyStyleBool.__name__ = _NumpyStyleBool.__qualname__ = "bool_"


def _edge_value(value: Any) -> Any:
    return _NumpyStyleBool(value) if isinstance(value, bool) else value
