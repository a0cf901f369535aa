"""Checking requests and responses against Qdrant's OpenAPI document (openapi-core)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import parse_qsl

from jsonschema.exceptions import ValidationError as SchemaError, relevance
from jsonschema.validators import extend
from openapi_core import Config, OpenAPI
from openapi_core.casting.schemas.exceptions import CastError
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.media_types.exceptions import MediaTypeDeserializeError
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.validation.request.exceptions import (
    MissingRequiredParameter,
    ParameterValidationError,
    RequestBodyValidationError,
)
from openapi_core.validation.request.validators import V30RequestValidator
from openapi_core.validation.response.validators import V30ResponseValidator
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from openapi_core.validation.schemas.factories import SchemaValidatorsFactory
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from werkzeug.datastructures import Headers, ImmutableMultiDict

# The servers entry is "{protocol}://{hostname}:{port}", so any local address matches.
HOST_URL = "http://localhost:6333"

_FLOAT_ITEMS = {"type": "number", "format": "float"}


def _with_fast_float_arrays(base: Any) -> Any:
    """Same verdicts as ``base``, but a vector of floats is checked in one pass.

    jsonschema descends into every element of an array; a 256-point upsert of
    384-d vectors is 100k descents (~0.5 s). For items that are exactly
    ``number/float``, "every element is an int or float, not a bool" is the
    whole rule, so check that directly and fall back to the library otherwise.
    """
    original = base.VALIDATORS["items"]

    def items(validator: Any, items_schema: Any, instance: Any, schema: Any) -> Any:
        if items_schema == _FLOAT_ITEMS and type(instance) is list:
            if all(type(x) is float or type(x) is int for x in instance):
                return
        yield from original(validator, items_schema, instance, schema)

    return extend(base, validators={"items": items})


class _RequestValidator(V30RequestValidator):
    schema_validators_factory = SchemaValidatorsFactory(_with_fast_float_arrays(OAS30WriteValidator))


class _ResponseValidator(V30ResponseValidator):
    schema_validators_factory = SchemaValidatorsFactory(_with_fast_float_arrays(OAS30ReadValidator))


@dataclass
class Route:
    operation_id: str
    template: str
    path_params: dict[str, str]


class UnknownPath(Exception):
    """No path of the document matches."""


class MethodNotAllowed(Exception):
    """The path exists but not with this method."""

    def __init__(self, allowed: list[str]):
        super().__init__(", ".join(allowed))
        self.allowed = allowed


@dataclass
class _Request:
    """The request shape openapi-core reads (its Request protocol)."""

    method: str
    path: str
    query: str
    body: bytes
    content_type: str
    host_url: str = HOST_URL
    parameters: RequestParameters = field(init=False)

    def __post_init__(self) -> None:
        self.method = self.method.lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(self.query, keep_blank_values=True)),
            header=Headers({"Content-Type": self.content_type} if self.content_type else {}),
        )

    @property
    def full_url_pattern(self) -> str:
        return self.host_url + self.path


@dataclass
class _Response:
    """The response shape openapi-core reads (its Response protocol)."""

    status_code: int
    data: bytes
    content_type: str
    headers: Headers = field(default_factory=Headers)


@dataclass
class Problem:
    """One reason a message does not match the document."""

    where: str  # "JSON body", "query parameters", "path parameters", "response"
    detail: str
    keyword: str | None = None  # the JSON Schema keyword that failed, e.g. "type", "minimum"

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}"


class OpenApiGate:
    """Routes by the document's paths and checks messages against its schemas."""

    def __init__(self, document: dict[str, Any]):
        self.document = document
        self._api = OpenAPI.from_dict(
            document,
            config=Config(
                request_validator_cls=_RequestValidator,
                response_validator_cls=_ResponseValidator,
            ),
        )
        self._finder = APICallPathFinder(self._api.spec)

    def route(self, method: str, path: str) -> Route:
        try:
            found = self._finder.find(method.lower(), HOST_URL + path)
        except PathNotFound:
            raise UnknownPath(path) from None
        except OperationNotFound:
            raise MethodNotAllowed(self._methods_for(path)) from None
        operation = found.operation
        return Route(
            operation_id=(operation / "operationId").read_str(),
            template=found.path.parts[-1],
            path_params=dict(found.path_result.variables),
        )

    def request_problems(self, method: str, path: str, query: str, body: bytes, content_type: str) -> list[Problem]:
        request = _Request(method, path, query, body, content_type)
        return list(_describe(self._api.iter_request_errors(request), "request"))

    def response_problems(
        self, method: str, path: str, query: str, status: int, body: bytes, content_type: str
    ) -> list[Problem]:
        request = _Request(method, path, query, b"", "")
        response = _Response(status, body, content_type)
        return list(_describe(self._api.iter_response_errors(request, response), "response"))

    def _methods_for(self, path: str) -> list[str]:
        methods: list[str] = []
        for verb in ("get", "put", "post", "patch", "delete"):
            try:
                self._finder.find(verb, HOST_URL + path)
            except (PathNotFound, OperationNotFound):
                continue
            methods.append(verb.upper())
        return methods


def _describe(errors: Iterable[Exception], side: str) -> Iterable[Problem]:
    for error in errors:
        if isinstance(error, ParameterValidationError):
            where = f"{error.location} parameters"
            if isinstance(error, MissingRequiredParameter):
                yield Problem(where, f"missing required parameter `{error.name}`")
            else:
                text, keyword = _cause_text(error.__cause__)
                yield Problem(where, f"`{error.name}`: {text}", keyword)
        elif isinstance(error, RequestBodyValidationError):
            yield Problem("JSON body", *(_cause_text(error.__cause__) if error.__cause__ else (str(error), None)))
        elif side == "response":
            yield Problem("response", *(_cause_text(error.__cause__) if error.__cause__ else (str(error), None)))
        else:
            yield Problem(side, str(error))


def _cause_text(cause: BaseException | None) -> tuple[str, str | None]:
    if isinstance(cause, InvalidSchemaValue):
        return _schema_errors_text(cause.schema_errors)
    if isinstance(cause, CastError):
        return f"{json.dumps(cause.value)} is not a valid {cause.type}", "type"
    if isinstance(cause, MediaTypeDeserializeError):
        return f"body is not valid JSON ({cause.__cause__ or cause})", None
    if isinstance(cause, MediaTypeNotFound):
        return f"content type `{cause.mimetype}` is not accepted; expected {', '.join(cause.availableMimetypes)}", None
    if cause is not None and getattr(cause, "schema_errors", None):
        return _schema_errors_text(cause.schema_errors)  # type: ignore[attr-defined]
    return str(cause), None


def _schema_errors_text(errors: Iterable[SchemaError]) -> tuple[str, str | None]:
    """The most relevant reason (jsonschema's ranking) with its JSON path, and its keyword."""
    errors = list(errors)
    if not errors:
        return "does not match the schema", None
    top = max(errors, key=relevance)
    return _error_text(top), _deepest(top).validator


def _deepest(error: SchemaError) -> SchemaError:
    branches = _branch_errors(error)
    return _deepest(branches[0]) if branches else error


def _error_text(error: SchemaError, depth: int = 0) -> str:
    """An anyOf failure lists why each form failed, as serde's "no variant matched" would."""
    branches = _branch_errors(error)
    if not branches or depth > 5:
        return f"at {error.json_path}: {_short(error.message)}"
    if len(branches) == 1:
        return _error_text(branches[0], depth + 1)
    reasons = "; ".join(f"({n}) {_error_text(b, depth + 1)}" for n, b in enumerate(branches[:4], 1))
    return f"at {error.json_path}: matches none of the allowed forms: {reasons}"


def _branch_errors(error: SchemaError) -> list[SchemaError]:
    """The anyOf/oneOf branches that got furthest into the instance, one error each."""
    by_branch: dict[Any, list[SchemaError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(sub)
    closest = [max(subs, key=_reach) for subs in by_branch.values()]
    closest = [sub for sub in closest if not (sub.validator == "enum" and sub.validator_value == [None])]
    if not closest:
        return []
    furthest = max(_reach(sub) for sub in closest)
    return [sub for sub in closest if _reach(sub) == furthest]


def _reach(error: SchemaError) -> int:
    """How deep into the instance this error (or any branch under it) got."""
    return max([len(error.path)] + [_reach(sub) for sub in error.context or ()])


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."
