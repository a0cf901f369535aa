"""Errors as Qdrant reports them: an HTTP status plus the text of its StorageError.

Status codes and prefixes follow Qdrant's ``StorageError`` and its actix
mapping (src/actix/helpers.rs): BadInput -> 400 "Wrong input: ...",
NotFound -> 404 "Not found: ...", AlreadyExists -> 409 "Wrong input: ...",
body that does not deserialize -> 400 "Format error in JSON body: ...".
"""

from __future__ import annotations


class QdrantError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def bad_input(description: str) -> QdrantError:
    return QdrantError(400, f"Wrong input: {description}")


def bad_request(description: str) -> QdrantError:
    return QdrantError(400, f"Bad request: {description}")


def not_found(description: str) -> QdrantError:
    return QdrantError(404, f"Not found: {description}")


def already_exists(description: str) -> QdrantError:
    return QdrantError(409, f"Wrong input: {description}")


def format_error(where: str, detail: str) -> QdrantError:
    return QdrantError(400, f"Format error in {where}: {detail}")


def collection_not_found(name: str) -> QdrantError:
    return not_found(f"Collection `{name}` doesn't exist!")


def service_error(description: str) -> QdrantError:
    return QdrantError(500, f"Service internal error: {description}")


def not_implemented(what: str) -> QdrantError:
    """A spec-valid request the stand-in does not emulate: say so rather than fake success."""
    return QdrantError(501, f"Not implemented in qdrant-standin: {what}")


class DroppedUpdate(Exception):
    """An update sent with wait=false that failed: Qdrant still answers "acknowledged"."""

    def __init__(self, result: dict, reason: str):
        super().__init__(reason)
        self.result = result
        self.reason = reason
