"""The HTTP front: api-key check, routing and validation by the OpenAPI document, Qdrant's envelopes.

Order follows Qdrant's actix stack: auth middleware, then routing, then body
deserialisation/validation, then the handler.
"""

from __future__ import annotations

import hmac
import json
import sys
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .catalog import Catalog
from .errors import DroppedUpdate, QdrantError
from .handlers import Call, Plain, dispatch, reject_bad_point_id
from .request_log import RequestLog
from .validation import MethodNotAllowed, OpenApiGate, Problem, UnknownPath

# Paths Qdrant serves without an api key (src/actix/mod.rs api_key_whitelist).
_OPEN_EXACT = ("/", "/healthz")
_OPEN_PREFIX = ("/readyz", "/livez")

# Keywords that Qdrant checks after deserialising (validator crate -> 422); the rest are serde errors (400).
_VALIDATION_KEYWORDS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
                        "minItems", "maxItems", "uniqueItems", "pattern"}


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"


class App:
    def __init__(self, gate: OpenApiGate, catalog: Catalog, log: RequestLog, api_key: str | None,
                 strict: bool, version: str, reported_version: str | None = None):
        self.gate = gate
        self.catalog = catalog
        self.log = log
        self.api_key = api_key or None
        self.strict = strict
        self.version = version  # of the OpenAPI document, for messages
        self.reported_version = reported_version or version  # what GET / claims

    def handle(self, method: str, target: str, headers: Any, body: bytes) -> Reply:
        started = time.perf_counter()
        url = urlsplit(target)
        path, query = url.path or "/", url.query

        if self.api_key and not _is_open(path):
            refusal = self._auth_refusal(headers)
            if refusal:
                self.log.record(method, path, query, 401, None, refusal)
                return Reply(401, refusal.encode(), "text/plain; charset=utf-8")

        try:
            route = self.gate.route(method, path)
        except UnknownPath:
            message = f"Not found: {method} {path} is not a path in the Qdrant {self.version} OpenAPI document"
            return self._error(404, message, started, method, path, query, None)
        except MethodNotAllowed as refused:
            message = (f"Method not allowed: {method} {path} is not an operation in the Qdrant {self.version} "
                       f"OpenAPI document (this path accepts {', '.join(refused.allowed) or 'nothing'})")
            return self._error(405, message, started, method, path, query, None)

        operation = route.operation_id
        problems = self.gate.request_problems(method, path, query, body, headers.get("Content-Type", ""))
        if problems:
            status, message = self._rejection(operation, problems, body)
            reply = self._error(status, message, started, method, path, query, operation, problems, timed=False)
            return self._checked(method, path, query, reply, operation)

        call = Call(
            catalog=self.catalog,
            path_params={k: unquote(v) for k, v in route.path_params.items()},
            query=dict(parse_qsl(query, keep_blank_values=True)),
            body=json.loads(body) if body.strip() else None,
            version=self.reported_version,
        )
        note = None
        try:
            result = dispatch(operation, call)
        except DroppedUpdate as dropped:
            result = dropped.result
            note = f"acknowledged (wait=false) but the update failed, as Qdrant would drop it: {dropped.reason}"
        except QdrantError as error:
            reply = self._error(error.status, error.message, started, method, path, query, operation)
            return self._checked(method, path, query, reply, operation)
        except Exception as error:  # a stand-in bug: answer like Qdrant's ServiceError, and say where
            traceback.print_exc(file=sys.stderr)
            message = f"Service internal error: qdrant-standin failed: {error!r}"
            return self._error(500, message, started, method, path, query, operation)

        if isinstance(result, Plain):
            data = result.body.encode() if isinstance(result.body, str) else _json(result.body)
            reply = Reply(200, data, result.content_type)
        else:
            reply = Reply(200, _json({"result": result, "status": "ok", "time": time.perf_counter() - started}))
        self.log.record(method, path, query, reply.status, operation, note)
        return self._checked(method, path, query, reply, operation)

    def _auth_refusal(self, headers: Any) -> str | None:
        key = headers.get("api-key")
        if key is None:
            authorization = headers.get("Authorization") or ""
            key = authorization[len("Bearer "):] if authorization.startswith("Bearer ") else None
        if key is None:
            return "Must provide an API key or an Authorization bearer token"
        if not hmac.compare_digest(key.encode(), self.api_key.encode()):
            return "Invalid API key or JWT"
        return None

    def _rejection(self, operation: str, problems: list[Problem], body: bytes) -> tuple[int, str]:
        """Status and text for a request the document rejects, in Qdrant's words where it has them."""
        first = problems[0]
        if first.where == "JSON body":
            try:
                bad_id = reject_bad_point_id(operation, json.loads(body))
            except ValueError:
                bad_id = None
            if bad_id:
                return 400, f"Format error in JSON body: {bad_id}"
        kind = "Validation error" if first.keyword in _VALIDATION_KEYWORDS else "Format error"
        status = 422 if kind == "Validation error" else 400
        details = "; ".join(p.detail for p in problems if p.where == first.where)
        if first.keyword is None:  # not a schema verdict: unparsable JSON, wrong content type
            return status, f"{kind} in {first.where}: {details}"
        return status, (f"{kind} in {first.where}: does not match the Qdrant {self.version} OpenAPI schema "
                        f"of `{operation}`: {details}")

    def _error(self, status: int, message: str, started: float, method: str, path: str, query: str,
               operation: str | None, problems: list[Problem] | None = None, timed: bool = True) -> Reply:
        # Qdrant reports time 0.0 for requests refused before reaching a handler.
        elapsed = time.perf_counter() - started if timed else 0.0
        self.log.record(method, path, query, status, operation, message, [str(p) for p in problems or []])
        return Reply(status, _json({"status": {"error": message}, "time": elapsed}))

    def _checked(self, method: str, path: str, query: str, reply: Reply, operation: str) -> Reply:
        """In strict mode, prove our own answer against the document before sending it."""
        if not self.strict:
            return reply
        problems = self.gate.response_problems(method, path, query, reply.status, reply.body, reply.content_type)
        if not problems:
            return reply
        message = ("Service internal error: qdrant-standin produced a response that does not match the "
                   f"OpenAPI document for `{operation}` (status {reply.status}): "
                   + "; ".join(p.detail for p in problems))
        self.log.record(method, path, query, 500, operation, message, [str(p) for p in problems])
        return Reply(500, _json({"status": {"error": message}, "time": 0.0}))


class StandinHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # open keep-alive connections must not hold up shutdown
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App):
        super().__init__(address, _Handler)
        self.app = app


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the JS client's undici pool expects
    server: StandinHTTPServer

    def do_GET(self) -> None:
        self._serve()

    do_PUT = do_POST = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        body = self._read_body()
        reply = self.server.app.handle(self.command, self.path, self.headers, body)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log records every request


def _is_open(path: str) -> bool:
    return path in _OPEN_EXACT or path.startswith(_OPEN_PREFIX)


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()
