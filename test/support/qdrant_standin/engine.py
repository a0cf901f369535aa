"""One collection = one qdrant-edge shard, driven with Qdrant's REST request shapes.

Bodies arrive already checked against the OpenAPI document; this module turns
them into edge calls and edge results back into Qdrant's response shapes.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import qdrant_edge as edge

from . import collection_config, point_ids
from .errors import (
    DroppedUpdate,
    QdrantError,
    QdrantError,
    bad_input,
    bad_request,
    collection_not_found,
    not_found,
    not_implemented,
    service_error,
)
from .filters import to_filter
from .strict_mode import check_filter

_SCHEMA_TYPES = {
    "keyword": (edge.PayloadSchemaType.Keyword, edge.KeywordIndexParams),
    "integer": (edge.PayloadSchemaType.Integer, edge.IntegerIndexParams),
    "float": (edge.PayloadSchemaType.Float, edge.FloatIndexParams),
    "geo": (edge.PayloadSchemaType.Geo, edge.GeoIndexParams),
    "text": (edge.PayloadSchemaType.Text, edge.TextIndexParams),
    "bool": (edge.PayloadSchemaType.Bool, edge.BoolIndexParams),
    "datetime": (edge.PayloadSchemaType.Datetime, edge.DatetimeIndexParams),
    "uuid": (edge.PayloadSchemaType.Uuid, edge.UuidIndexParams),
}

_SCHEMA_NAMES = {schema_type: name for name, (schema_type, _) in _SCHEMA_TYPES.items()}

_UPDATE_MODES = {
    "upsert": edge.UpdateMode.Upsert,
    "insert_only": edge.UpdateMode.InsertOnly,
    "update_only": edge.UpdateMode.UpdateOnly,
}


class Collection:
    def __init__(self, name: str, path: Path, config: dict[str, Any]):
        self.name = name
        self.path = path
        self.config = config
        self.lock = threading.RLock()  # one request at a time touches the shard
        self.closed = False
        self._operation_id = 0
        self._index_params: dict[str, Any] = {}  # field -> field_schema as the client sent it
        self._shard = edge.EdgeShard.create(str(path), collection_config.edge_config(config))

    # -- lifecycle -------------------------------------------------------

    def reconfigure(self, config: dict[str, Any], engine_changed: bool) -> None:
        """Apply a PATCH. Edge fixes its config at load, so reopen the shard with the new one,
        then optimise in place: Qdrant's PATCH also blocks until optimisation is done."""
        with self.lock:
            self._check_open()
            if engine_changed:
                self._shard.flush()
                self._shard.close()
                self._shard = edge.EdgeShard.load(str(self.path), collection_config.edge_config(config))
                self._shard.optimize()
            self.config = config

    def close(self, remove: bool = True) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            self._shard.close()
            if remove:
                shutil.rmtree(self.path, ignore_errors=True)

    # -- collection info -------------------------------------------------

    def info(self) -> dict[str, Any]:
        with self.lock:
            self._check_open()
            shard_info = self._shard.info()
            payload_schema = {}
            for field, index in shard_info.payload_schema.items():
                entry: dict[str, Any] = {"data_type": _SCHEMA_NAMES[index.data_type], "points": index.points}
                sent = self._index_params.get(field)
                if isinstance(sent, dict):
                    entry["params"] = sent
                payload_schema[field] = entry
            return {
                "status": "green",
                "optimizer_status": "ok",
                "indexed_vectors_count": shard_info.indexed_vectors_count,
                "points_count": shard_info.points_count,
                "segments_count": shard_info.segments_count,
                "config": self.config,
                "payload_schema": payload_schema,
            }

    # -- updates ---------------------------------------------------------

    def upsert(self, body: dict[str, Any], wait: bool) -> dict[str, Any]:
        if body.get("shard_key") is not None:
            raise not_implemented("shard keys")
        # A conditional upsert is edge's own: it updates an existing point only if the point matches
        # `update_filter` (others keep their state) and inserts new points regardless, as Qdrant does.
        condition = body.get("update_filter")
        self._check_strict(condition, "update")
        operation = edge.UpdateOperation.upsert_points(
            self._points_from(body), to_filter(condition), _UPDATE_MODES[body.get("update_mode") or "upsert"]
        )
        return self._update(operation, wait)

    def delete(self, body: dict[str, Any], wait: bool) -> dict[str, Any]:
        if "points" in body:
            operation = edge.UpdateOperation.delete_points([point_ids.parse(i) for i in body["points"]])
        else:
            self._check_strict(body["filter"], "update")
            operation = edge.UpdateOperation.delete_points_by_filter(to_filter(body["filter"]))
        return self._update(operation, wait)

    def set_payload(self, body: dict[str, Any], wait: bool, overwrite: bool) -> dict[str, Any]:
        by_ids, by_filter = (
            (edge.UpdateOperation.overwrite_payload, edge.UpdateOperation.overwrite_payload_by_filter)
            if overwrite
            else (edge.UpdateOperation.set_payload, edge.UpdateOperation.set_payload_by_filter)
        )
        key = body.get("key")
        if body.get("points") is not None:
            operation = by_ids([point_ids.parse(i) for i in body["points"]], body["payload"], key)
        elif body.get("filter") is not None:
            self._check_strict(body["filter"], "update")
            operation = by_filter(to_filter(body["filter"]), body["payload"], key)
        else:
            raise bad_request("Either list of point ids or filter must be provided")
        return self._update(operation, wait)

    def delete_payload(self, body: dict[str, Any], wait: bool) -> dict[str, Any]:
        if body.get("points") is not None:
            operation = edge.UpdateOperation.delete_payload([point_ids.parse(i) for i in body["points"]], body["keys"])
        elif body.get("filter") is not None:
            operation = edge.UpdateOperation.delete_payload_by_filter(to_filter(body["filter"]), body["keys"])
        else:
            raise bad_request("Either list of point ids or filter must be provided")
        return self._update(operation, wait)

    def clear_payload(self, body: dict[str, Any], wait: bool) -> dict[str, Any]:
        if "points" in body:
            operation = edge.UpdateOperation.clear_payload([point_ids.parse(i) for i in body["points"]])
        else:
            operation = edge.UpdateOperation.clear_payload_by_filter(to_filter(body["filter"]))
        return self._update(operation, wait)

    def create_index(self, body: dict[str, Any], wait: bool) -> dict[str, Any]:
        field_schema = body.get("field_schema")
        if field_schema is None:
            raise not_implemented("payload index without `field_schema` (Qdrant infers it from stored data)")
        result = self._update(
            edge.UpdateOperation.create_field_index(body["field_name"], _index_schema(field_schema)), wait
        )
        self._index_params[body["field_name"]] = field_schema
        return result

    def delete_index(self, field_name: str, wait: bool) -> dict[str, Any]:
        result = self._update(edge.UpdateOperation.delete_field_index(field_name), wait)
        self._index_params.pop(field_name, None)
        return result

    # -- reads -----------------------------------------------------------

    def retrieve(self, ids: list[Any], with_payload: Any, with_vector: Any) -> list[dict[str, Any]]:
        records = self._call(
            self._shard.retrieve,
            [point_ids.parse(i) for i in ids],
            _payload_selector(with_payload),
            with_vector,
        )
        return [_record(r, with_payload, with_vector) for r in records]

    def scroll(self, body: dict[str, Any]) -> dict[str, Any]:
        with_payload = body.get("with_payload", True)
        with_vector = body.get("with_vector", False)
        offset = body.get("offset")
        self._check_strict(body.get("filter"), "retrieve")
        request = edge.ScrollRequest(
            offset=point_ids.parse(offset) if offset is not None else None,
            limit=body.get("limit") or 10,
            filter=to_filter(body.get("filter")),
            with_payload=_payload_selector(with_payload),
            with_vector=with_vector,
            order_by=_order_by(body.get("order_by")),
        )
        records, next_offset = self._call(self._shard.scroll, request)
        return {
            "points": [_record(r, with_payload, with_vector) for r in records],
            "next_page_offset": point_ids.render(next_offset) if next_offset is not None else None,
        }

    def count(self, body: dict[str, Any]) -> dict[str, Any]:
        exact = body.get("exact")
        self._check_strict(body.get("filter"), "retrieve")
        request = edge.CountRequest(exact=True if exact is None else exact, filter=to_filter(body.get("filter")))
        return {"count": self._call(self._shard.count, request)}

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        for key, what in (("lookup_from", "lookup_from"), ("shard_key", "shard keys")):
            if body.get(key) is not None:
                raise not_implemented(f"query with `{what}`")
        with_payload = body.get("with_payload", False)
        with_vector = body.get("with_vector", False)
        using = body.get("using")
        self._check_strict(body.get("filter"), "retrieve")
        prefetches = self._prefetches(body.get("prefetch"))
        request = edge.QueryRequest(
            limit=body.get("limit") or 10,
            offset=body.get("offset"),
            query=self._query_vector(body.get("query"), using, has_prefetch=prefetches is not None),
            prefetches=prefetches,
            filter=to_filter(body.get("filter")),
            score_threshold=body.get("score_threshold"),
            params=_search_params(body.get("params")),
            with_payload=_payload_selector(with_payload),
            with_vector=with_vector,
        )
        points = self._call(self._shard.query, request)
        return {"points": [_scored_point(p, with_payload, with_vector) for p in points]}

    # -- helpers ---------------------------------------------------------

    def _check_strict(self, filter_: Any, kind: str) -> None:
        """Strict mode: a filter on a key without a fitting payload index is refused (400)."""
        if not (self.config.get("strict_mode_config") or {}).get("enabled") or not filter_:
            return
        indexed = {field: _SCHEMA_NAMES[index.data_type] for field, index in self._call(self._shard.info).payload_schema.items()}
        check_filter(self.config, indexed, filter_, kind)

    def _prefetches(self, prefetch: Any) -> list[edge.Prefetch] | None:
        """Prefetch stages (one object or a list), nested as Qdrant allows; edge runs and fuses them."""
        if prefetch is None:
            return None
        stages = prefetch if isinstance(prefetch, list) else [prefetch]
        out = []
        for stage in stages:
            for key, what in (("lookup_from", "lookup_from"),):
                if stage.get(key) is not None:
                    raise not_implemented(f"prefetch with `{what}`")
            self._check_strict(stage.get("filter"), "retrieve")
            nested = self._prefetches(stage.get("prefetch"))
            out.append(
                edge.Prefetch(
                    limit=stage.get("limit") or 10,
                    query=self._query_vector(stage.get("query"), stage.get("using"), has_prefetch=nested is not None),
                    prefetches=nested,
                    params=_search_params(stage.get("params")),
                    filter=to_filter(stage.get("filter")),
                    score_threshold=stage.get("score_threshold"),
                )
            )
        return out

    def _query_vector(self, query: Any, using: str | None, has_prefetch: bool = False) -> Any:
        if query is None:
            return None  # no query: points in id order (or the prefetches' results), as Qdrant does
        if isinstance(query, dict) and ("fusion" in query or "rrf" in query):
            if not has_prefetch:
                # Qdrant: fusion combines prefetches; without any it is refused as a bad request.
                raise bad_request("cannot perform fusion without prefetches")
            if query.get("fusion") == "dbsf":
                return edge.Fusion.Dbsf()
            rrf = query.get("rrf") or {}
            # Qdrant's default k (DEFAULT_RRF_K in segment/src/common/score_fusion.rs) is 2.
            return edge.Fusion.Rrf(k=rrf.get("k") or 2, weights=rrf.get("weights"))
        if isinstance(query, dict) and "nearest" in query:
            if query.get("mmr") is not None:
                raise not_implemented("MMR reranking")
            query = query["nearest"]
        if isinstance(query, list) and all(type(x) in (int, float) for x in query):
            self._check_dimension(using or "", len(query))
            return edge.Query.Nearest([float(x) for x in query], using=using)
        if isinstance(query, dict) and "indices" in query and "values" in query:
            if (using or "") not in collection_config.sparse_names(self.config):
                raise bad_input(f"Not existing vector name error: {using or ''}")
            return edge.Query.Nearest(_sparse(query, "query"), using=using)
        if isinstance(query, dict):
            kinds = sorted(query)
            raise not_implemented(f"query of kind {kinds} (only dense or sparse nearest and fusion queries are emulated)")
        raise not_implemented("query by point id or multi-vector (only dense and sparse vectors are emulated)")

    def _points_from(self, body: dict[str, Any]) -> list[edge.Point]:
        if "batch" in body:
            batch = body["batch"]
            ids, vectors, payloads = batch["ids"], batch["vectors"], batch.get("payloads")
            if isinstance(vectors, dict):  # named: {name: [v1, v2, ...]}
                rows = [{name: column[i] for name, column in vectors.items()} for i in range(len(ids))]
            else:
                rows = vectors
            if len(rows) != len(ids) or (payloads is not None and len(payloads) != len(ids)):
                raise bad_input("number of ids, vectors and payloads must be the same")
            return [
                edge.Point(point_ids.parse(i), self._vector(v, n), payloads[n] if payloads else None)
                for n, (i, v) in enumerate(zip(ids, rows))
            ]
        return [edge.Point(point_ids.parse(p["id"]), self._vector(p["vector"], n), p.get("payload")) for n, p in enumerate(body["points"])]

    def _vector(self, value: Any, n: int) -> Any:
        """A point's vectors: named sparse ones must be the collection's sparse vectors (Qdrant: 400)."""
        if isinstance(value, dict):
            sparse = collection_config.sparse_names(self.config)
            out: dict[str, Any] = {}
            for name, v in value.items():
                if isinstance(v, dict) and "indices" in v and "values" in v:
                    if name not in sparse:
                        raise bad_input(f"Not existing vector name error: {name}")
                    out[name] = _sparse(v, f"points[{n}].vector.{name}")
                else:
                    out[name] = _vector(v)
            return out
        return _vector(value)

    def _check_dimension(self, name: str, got: int) -> None:
        sizes = collection_config.vector_sizes(self.config)
        if name not in sizes:
            raise bad_input(f"Not existing vector name error: {name}")
        if got >= 0 and sizes[name] != got:
            raise bad_input(f"Vector dimension error: expected dim: {sizes[name]}, got {got}")

    def _update(self, operation: edge.UpdateOperation, wait: bool) -> dict[str, Any]:
        """Apply now (edge is synchronous); wait=false only changes what is reported.

        Like Qdrant's segment updater, edge applies a batch point by point, so a bad
        point fails the request after the points before it were stored. With
        wait=false Qdrant has already answered "acknowledged" and drops the failure
        silently (qdrant/qdrant#9039); the stand-in answers the same but says so in
        its request log.
        """
        with self.lock:
            self._operation_id += 1
            result = {"operation_id": self._operation_id, "status": "completed" if wait else "acknowledged"}
            try:
                self._call(self._shard.update, operation)
            except QdrantError as error:
                if wait or error.status >= 500:
                    raise
                raise DroppedUpdate(result, error.message) from error
            return result

    def _call(self, method: Any, *args: Any) -> Any:
        with self.lock:
            self._check_open()
            try:
                return method(*args)
            except QdrantError:
                raise
            except Exception as error:  # edge raises plain exceptions; map their text to Qdrant's codes
                raise _qdrant_error(error) from error

    def _check_open(self) -> None:
        if self.closed:
            raise collection_not_found(self.name)


def _vector(value: Any) -> Any:
    if isinstance(value, dict):
        if any(not isinstance(v, list) for v in value.values()):
            raise not_implemented("sparse or inference vectors")
        return {name: [float(x) for x in v] for name, v in value.items()}
    if isinstance(value, list) and all(type(x) in (int, float) for x in value):
        return [float(x) for x in value]
    raise not_implemented("multi-vectors or inference objects as point vectors")


def _sparse(value: dict[str, Any], where: str) -> edge.SparseVector:
    """Qdrant's own checks of a sparse vector (validate_sparse_vector_impl), a 422 as its validator answers."""
    indices, values = value["indices"], value["values"]
    if len(indices) != len(values):
        raise QdrantError(422, f"Validation error in JSON body: [{where}: must be the same length as indices]")
    if len(set(indices)) != len(indices):
        raise QdrantError(422, f"Validation error in JSON body: [{where}.indices: must be unique]")
    return edge.SparseVector(list(indices), [float(x) for x in values])


def _rendered_vector(vector: Any) -> Any:
    """Edge's vectors as Qdrant's JSON: a sparse vector as {indices, values}."""
    if isinstance(vector, dict):
        return {name: _rendered_vector(v) for name, v in vector.items()}
    if isinstance(vector, edge.SparseVector):
        return {"indices": list(vector.indices), "values": list(vector.values)}
    return vector


def _payload_selector(with_payload: Any) -> Any:
    if isinstance(with_payload, dict):
        if "include" in with_payload:
            return edge.PayloadSelector.Include(with_payload["include"])
        return edge.PayloadSelector.Exclude(with_payload["exclude"])
    return with_payload


def _search_params(params: dict[str, Any] | None) -> edge.SearchParams | None:
    if not params:
        return None
    return edge.SearchParams(
        hnsw_ef=params.get("hnsw_ef"),
        exact=bool(params.get("exact")),
        indexed_only=bool(params.get("indexed_only")),
    )


def _order_by(order_by: Any) -> edge.OrderBy | None:
    if order_by is None:
        return None
    if isinstance(order_by, str):
        return edge.OrderBy(order_by)
    direction = order_by.get("direction")
    return edge.OrderBy(
        order_by["key"],
        direction=edge.Direction.Desc if direction == "desc" else edge.Direction.Asc if direction else None,
        start_from=order_by.get("start_from"),
    )


def _index_schema(field_schema: Any) -> Any:
    if isinstance(field_schema, str):
        return _SCHEMA_TYPES[field_schema][0]
    params = dict(field_schema)
    _, params_class = _SCHEMA_TYPES[params.pop("type")]
    if "tokenizer" in params:
        params["tokenizer"] = getattr(edge.TokenizerType, params["tokenizer"].capitalize())
    unsupported = sorted(k for k, v in params.items() if v is not None and (isinstance(v, (dict, list)) or k == "memory"))
    if unsupported:
        raise not_implemented(f"payload index parameters {unsupported}")
    try:
        return params_class(**{k: v for k, v in params.items() if v is not None})
    except TypeError as error:
        raise not_implemented(f"payload index parameters: {error}") from None


def _record(record: Any, with_payload: Any, with_vector: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": point_ids.render(record.id)}
    if with_payload is not False:
        out["payload"] = record.payload
    if with_vector is not False and record.vector is not None:
        out["vector"] = _rendered_vector(record.vector)
    if record.order_value is not None:
        out["order_value"] = record.order_value
    return out


def _scored_point(point: Any, with_payload: Any, with_vector: Any) -> dict[str, Any]:
    out = {"id": point_ids.render(point.id), "version": point.version, "score": point.score}
    if with_payload is not False:
        out["payload"] = point.payload
    if with_vector is not False and point.vector is not None:
        out["vector"] = _rendered_vector(point.vector)
    if point.order_value is not None:
        out["order_value"] = point.order_value
    return out


def _qdrant_error(error: Exception) -> QdrantError:
    message = str(error)
    if message.startswith(("Vector dimension error", "Not existing vector name", "Wrong input")):
        return bad_input(message.removeprefix("Wrong input: "))
    if message.startswith(("Validation failed", "No range index", "Bad request", "Bad input")):
        return bad_request(message)
    if "not found" in message.lower() or "doesn't exist" in message:
        return not_found(message)
    if isinstance(error, (ValueError, TypeError)):
        return bad_request(message)
    return service_error(message)
