"""A collection's configuration: Qdrant's defaults, create/update semantics, and the edge shard config.

The stand-in keeps the configuration as Qdrant reports it (``CollectionConfig``
in the spec) and derives the qdrant-edge ``EdgeConfig`` from it, so what
``GET /collections/{name}`` shows is what the engine runs with.
"""

from __future__ import annotations

import copy
from typing import Any

import qdrant_edge as edge

from .errors import not_implemented
from .strict_mode import ENFORCED

# Qdrant's defaults for a collection created without overrides (config/config.yaml).
DEFAULT_HNSW = {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000, "max_indexing_threads": 0, "on_disk": False}
DEFAULT_OPTIMIZERS = {
    "deleted_threshold": 0.2,
    "vacuum_min_vector_number": 1000,
    "default_segment_number": 0,
    "max_segment_size": None,
    "memmap_threshold": None,
    "indexing_threshold": 10000,
    "flush_interval_sec": 5,
    "max_optimization_threads": None,
}
DEFAULT_WAL = {"wal_capacity_mb": 32, "wal_segments_ahead": 0, "wal_retain_closed": 1}

_DATATYPES = {"float32": "Float32", "float16": "Float16", "uint8": "Uint8"}


def from_create_request(body: dict[str, Any], strict_mode_default: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored config for ``PUT /collections/{name}`` (body already schema-checked).

    `strict_mode_default`: the strict mode of a collection created without one (Qdrant Cloud
    turns it on; self-hosted Qdrant leaves it off)."""
    _refuse_unsupported_create(body)
    vectors = body.get("vectors")
    if not vectors:
        raise not_implemented("collections without dense vectors (qdrant-standin stores dense vectors only)")
    for params in _vector_params(vectors).values():
        _refuse_unsupported_vector(params)
    config: dict[str, Any] = {
        "params": {
            "vectors": copy.deepcopy(vectors),
            "shard_number": body.get("shard_number") or 1,
            "replication_factor": body.get("replication_factor") or 1,
            "write_consistency_factor": body.get("write_consistency_factor") or 1,
            "on_disk_payload": True if body.get("on_disk_payload") is None else body["on_disk_payload"],
        },
        "hnsw_config": _merged(DEFAULT_HNSW, body.get("hnsw_config")),
        "optimizer_config": _merged_optimizers(DEFAULT_OPTIMIZERS, body.get("optimizers_config")),
        "wal_config": _merged(DEFAULT_WAL, body.get("wal_config")),
        "quantization_config": None,
        "strict_mode_config": copy.deepcopy(body.get("strict_mode_config") or strict_mode_default or {"enabled": False}),
    }
    if body.get("sparse_vectors"):
        for params in body["sparse_vectors"].values():
            _refuse_unsupported_sparse(params)
        config["params"]["sparse_vectors"] = copy.deepcopy(body["sparse_vectors"])
    if body.get("metadata") is not None:
        config["metadata"] = copy.deepcopy(body["metadata"])
    return config


def updated(config: dict[str, Any], body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The config after ``PATCH /collections/{name}``, and whether the engine must be reloaded."""
    for key in ("quantization_config", "sparse_vectors", "vectors"):
        if body.get(key) is not None:
            raise not_implemented(f"updating `{key}` of a collection")
    _refuse_strict_mode(body.get("strict_mode_config"))
    new = copy.deepcopy(config)
    engine_changed = False
    if body.get("optimizers_config") is not None:
        new["optimizer_config"] = _merged_optimizers(new["optimizer_config"], body["optimizers_config"])
        engine_changed = True
    if body.get("hnsw_config") is not None:
        new["hnsw_config"] = _merged(new["hnsw_config"], body["hnsw_config"])
        engine_changed = True
    if body.get("params") is not None:
        for key, value in body["params"].items():
            if key == "payload" and value is not None:
                raise not_implemented("updating `params.payload` storage settings")
            if value is not None:
                new["params"][key] = value
    if body.get("strict_mode_config") is not None:
        new["strict_mode_config"] = _merged(new.get("strict_mode_config") or {}, body["strict_mode_config"])
    if body.get("metadata") is not None:
        # Qdrant merges metadata; a key set to null is removed.
        merged = dict(new.get("metadata") or {})
        for key, value in body["metadata"].items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = copy.deepcopy(value)
        new["metadata"] = merged
    return new, engine_changed


def edge_config(config: dict[str, Any]) -> edge.EdgeConfig:
    vectors = config["params"]["vectors"]
    if _is_single(vectors):
        edge_vectors: Any = _edge_vector(vectors)
    else:
        edge_vectors = {name: _edge_vector(params) for name, params in vectors.items()}
    hnsw = config["hnsw_config"]
    optimizers = config["optimizer_config"]
    sparse = config["params"].get("sparse_vectors") or {}
    return edge.EdgeConfig(
        vectors=edge_vectors,
        sparse_vectors={name: _edge_sparse(params) for name, params in sparse.items()} or None,
        on_disk_payload=config["params"].get("on_disk_payload"),
        hnsw_config=edge.HnswIndexConfig(
            m=hnsw["m"],
            ef_construct=hnsw["ef_construct"],
            full_scan_threshold=hnsw["full_scan_threshold"],
            max_indexing_threads=hnsw.get("max_indexing_threads") or 0,
            on_disk=hnsw.get("on_disk"),
            payload_m=hnsw.get("payload_m"),
        ),
        optimizers=edge.EdgeOptimizersConfig(
            deleted_threshold=optimizers.get("deleted_threshold"),
            vacuum_min_vector_number=optimizers.get("vacuum_min_vector_number"),
            default_segment_number=optimizers.get("default_segment_number"),
            max_segment_size=optimizers.get("max_segment_size"),
            indexing_threshold=optimizers.get("indexing_threshold"),
            prevent_unoptimized=optimizers.get("prevent_unoptimized"),
        ),
    )


def sparse_names(config: dict[str, Any]) -> set[str]:
    """Names of the collection's sparse vectors."""
    return set(config["params"].get("sparse_vectors") or {})


def _edge_sparse(params: dict[str, Any]) -> edge.EdgeSparseVectorParams:
    # Qdrant's modifier "none" (the default) is edge's None: the enum has only Idf.
    return edge.EdgeSparseVectorParams(modifier=edge.Modifier.Idf if params.get("modifier") == "idf" else None)


def _refuse_unsupported_sparse(params: dict[str, Any]) -> None:
    index = {k: v for k, v in (params.get("index") or {}).items() if v is not None}
    if index:
        raise not_implemented(f"sparse vector index parameters {sorted(index)} (only `modifier` is emulated)")


def vector_sizes(config: dict[str, Any]) -> dict[str, int]:
    """Vector name ("" for the unnamed one) -> dimension."""
    return {name: params["size"] for name, params in _vector_params(config["params"]["vectors"]).items()}


def _vector_params(vectors: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"": vectors} if _is_single(vectors) else vectors


def _is_single(vectors: dict[str, Any]) -> bool:
    # VectorsConfig is either one VectorParams or a map of name -> VectorParams.
    return isinstance(vectors.get("size"), int) and isinstance(vectors.get("distance"), str)


def _edge_vector(params: dict[str, Any]) -> edge.EdgeVectorParams:
    datatype = params.get("datatype")
    return edge.EdgeVectorParams(
        size=params["size"],
        distance=getattr(edge.Distance, params["distance"]),
        on_disk=params.get("on_disk"),
        datatype=getattr(edge.VectorStorageDatatype, _DATATYPES[datatype]) if datatype else None,
    )


def _merged(base: dict[str, Any], diff: dict[str, Any] | None) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in (diff or {}).items():
        if value is not None:
            merged[key] = copy.deepcopy(value)
    return merged


def _merged_optimizers(base: dict[str, Any], diff: dict[str, Any] | None) -> dict[str, Any]:
    merged = _merged(base, diff)
    if merged.get("max_optimization_threads") == "auto":
        merged["max_optimization_threads"] = None  # Qdrant reports "auto" as null
    return merged


def _refuse_unsupported_create(body: dict[str, Any]) -> None:
    if body.get("quantization_config") is not None:
        raise not_implemented("quantization")
    if body.get("sharding_method") == "custom":
        raise not_implemented("custom sharding")
    if body.get("payload") is not None:
        raise not_implemented("`payload` storage settings")
    _refuse_strict_mode(body.get("strict_mode_config"))


def _refuse_strict_mode(strict_mode: dict[str, Any] | None) -> None:
    unenforced = sorted(k for k, v in (strict_mode or {}).items() if v is not None and k not in ENFORCED)
    if unenforced:
        raise not_implemented(f"strict mode limits {unenforced} (only the unindexed-filtering rule is enforced)")


def _refuse_unsupported_vector(params: dict[str, Any]) -> None:
    for key in ("multivector_config", "quantization_config", "hnsw_config"):
        if params.get(key) is not None:
            raise not_implemented(f"per-vector `{key}`")
    if params.get("datatype") and params["datatype"] not in _DATATYPES:
        raise not_implemented(f"vector datatype `{params['datatype']}`")
