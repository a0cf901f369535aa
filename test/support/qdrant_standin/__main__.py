"""Entry point: ``.venv/bin/python test/support/qdrant_standin [--port P] [--host H] ...``.

Prints one line, ``qdrant-standin listening on http://HOST:PORT``, once it
accepts connections; stops cleanly on SIGTERM/SIGINT and removes its data.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:
    # Run by path: make the package importable without the directory itself on
    # sys.path (its module names would shadow others, and `-m test...` would hit
    # the standard library's `test` package).
    package_dir = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != package_dir]
    sys.path.insert(0, str(package_dir.parent))
    from qdrant_standin.cli import main
else:
    from .cli import main

if __name__ == "__main__":
    sys.exit(main())
