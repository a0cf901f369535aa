"""A JSON-lines record of every request, for tests to read back, and rejections on stderr."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO


class RequestLog:
    def __init__(self, path: Path | None):
        self._lock = threading.Lock()
        self._file: TextIO | None = path.open("a", encoding="utf-8") if path else None

    def record(
        self,
        method: str,
        path: str,
        query: str,
        status: int,
        operation: str | None,
        error: str | None = None,
        problems: list[str] | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "at": round(time.time(), 3),
            "method": method,
            "path": path,
            "query": query,
            "operation": operation,
            "status": status,
        }
        if error is not None:
            entry["error"] = error
        if problems:
            entry["problems"] = problems
        line = json.dumps(entry)
        with self._lock:
            if self._file is not None:
                self._file.write(line + "\n")
                self._file.flush()  # readers poll the file while the server runs
            # Spec rejections, unroutable requests and server faults are worth seeing live.
            if problems or (operation is None and status >= 400) or status >= 500 or (status < 400 and error):
                print(f"qdrant-standin: {method} {path} -> {status}: {error}", file=sys.stderr, flush=True)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
