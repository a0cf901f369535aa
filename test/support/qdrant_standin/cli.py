"""Command line: options, start-up, the ready line, and a clean stop."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from .catalog import Catalog
from .request_log import RequestLog
from .server import App, StandinHTTPServer
from .spec import load_spec, spec_path, spec_version
from .strict_mode import CLOUD_DEFAULT
from .validation import OpenApiGate

READY_PREFIX = "qdrant-standin listening on "


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="qdrant-standin",
        description="Qdrant REST stand-in: validates against Qdrant's OpenAPI document, stores in qdrant-edge.",
    )
    parser.add_argument("--port", type=int, default=6333, help="0 picks a free port (default 6333)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data-dir", help="parent folder for this run's temporary data (default: system temp)")
    parser.add_argument("--api-key", default=os.environ.get("QDRANT__SERVICE__API_KEY"),
                        help="require this key in the `api-key` header (default $QDRANT__SERVICE__API_KEY)")
    parser.add_argument("--openapi", help="OpenAPI document (default $QDRANT_OPENAPI, else ../shared/qdrant/openapi-1.19.json)")
    parser.add_argument("--strict", action="store_true", default=os.environ.get("QDRANT_STANDIN_STRICT") == "1",
                        help="also check every response against the document; a mismatch becomes a 500")
    parser.add_argument("--strict-mode", action="store_true", default=os.environ.get("QDRANT_STANDIN_STRICT_MODE") == "1",
                        help="create collections in strict mode, as Qdrant Cloud does: filters on unindexed payload keys "
                             "are refused (400)")
    parser.add_argument("--report-version", default=os.environ.get("QDRANT_STANDIN_VERSION"),
                        help="the version GET / reports (default: the OpenAPI document's), to test version checks")
    parser.add_argument("--collection-status", choices=["green", "yellow", "grey", "red"],
                        default=os.environ.get("QDRANT_STANDIN_COLLECTION_STATUS"),
                        help="the status every collection reports (default: green, as edge has no background "
                             "optimiser), to test a client's handling of background indexing")
    parser.add_argument("--request-log", help="append one JSON line per request to this file")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="stop when stdin closes (a launcher's pipe), so a crashed parent leaves no orphan")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        document_path = spec_path(args.openapi)
    except FileNotFoundError as error:
        print(f"qdrant-standin: {error}", file=sys.stderr)
        return 2
    document = load_spec(document_path)
    gate = OpenApiGate(document)

    parent = Path(args.data_dir) if args.data_dir else None
    if parent:
        parent.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="qdrant-standin-", dir=parent))
    catalog = Catalog(data_dir, CLOUD_DEFAULT if args.strict_mode else None, args.collection_status)
    log = RequestLog(Path(args.request_log) if args.request_log else None)
    app = App(gate, catalog, log, args.api_key, args.strict,
              spec_version(document, document_path), args.report_version)

    try:
        server = StandinHTTPServer((args.host, args.port), app)
    except OSError as error:
        print(f"qdrant-standin: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)
        return 1

    def stop(*_: object) -> None:
        # shutdown() waits for serve_forever to return, so it cannot run on the serving thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_on_stdin_eof:
        threading.Thread(target=lambda: (sys.stdin.read(), stop()), daemon=True).start()

    host, port = server.server_address[:2]
    print(f"{READY_PREFIX}http://{host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        catalog.close_all()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0
