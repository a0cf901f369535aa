"""The set of collections and aliases, and name resolution (alias first, as Qdrant's TOC does)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from . import collection_config
from .aliases import AliasTable
from .engine import Collection
from .errors import QdrantError, already_exists, bad_input, collection_not_found

# Qdrant's collection name rule (lib/storage validate_collection_name).
_FORBIDDEN_NAME_CHARS = set('<>:"/\\|?*\0\u001f')


class Catalog:
    def __init__(self, data_dir: Path, strict_mode_default: dict[str, Any] | None = None,
                 reported_status: str | None = None):
        self.data_dir = data_dir
        self.strict_mode_default = strict_mode_default
        # Edge has no background optimiser, so a collection is always green; a test of a client's
        # "still indexing" handling can make every collection report this status instead.
        self.reported_status = reported_status
        self.lock = threading.RLock()  # guards the two maps; alias switches happen under it
        self._collections: dict[str, Collection] = {}
        self._aliases = AliasTable()
        self._next_dir = 0

    def get(self, name: str) -> Collection:
        """A collection by name or alias; 404 in Qdrant's words if neither exists."""
        with self.lock:
            real = self._aliases.resolve(name) or name
            collection = self._collections.get(real)
            if collection is None:
                raise collection_not_found(name)
            return collection

    def info(self, name: str) -> dict[str, Any]:
        info = self.get(name).info()
        if self.reported_status:
            info["status"] = self.reported_status
        return info

    def exists(self, name: str) -> bool:
        try:
            self.get(name)
        except QdrantError:
            return False
        return True

    def names(self) -> list[str]:
        with self.lock:
            return sorted(self._collections)

    def create(self, name: str, body: dict[str, Any]) -> bool:
        _check_name(name)
        config = collection_config.from_create_request(body, self.strict_mode_default)
        with self.lock:
            if name in self._collections:
                raise already_exists(f"Collection `{name}` already exists!")
            if self._aliases.exists(name):
                raise bad_input(f"Can't create collection with name {name}. Alias with the same name already exists")
            self._next_dir += 1
            path = self.data_dir / f"collection-{self._next_dir}"
            self._collections[name] = Collection(name, path, config)
        return True

    def update(self, name: str, body: dict[str, Any]) -> bool:
        collection = self.get(name)
        config, engine_changed = collection_config.updated(collection.config, body)
        collection.reconfigure(config, engine_changed)
        return True

    def delete(self, name: str) -> bool:
        """Qdrant deletes by real name only (an alias is not followed) and answers false if absent."""
        with self.lock:
            collection = self._collections.pop(name, None)
            if collection is None:
                return False
            self._aliases.drop_collection(name)
        collection.close()
        return True

    def change_aliases(self, actions: list[dict[str, Any]]) -> bool:
        with self.lock:
            self._aliases.apply(actions, lambda n: n in self._collections)
        return True

    def aliases(self, collection_name: str | None = None) -> list[dict[str, str]]:
        with self.lock:
            if collection_name is not None:
                collection_name = self.get(collection_name).name
            return self._aliases.listing(collection_name)

    def close_all(self) -> None:
        with self.lock:
            collections = list(self._collections.values())
            self._collections.clear()
        for collection in collections:
            collection.close(remove=False)


def _check_name(name: str) -> None:
    if not 1 <= len(name) <= 255 or _FORBIDDEN_NAME_CHARS & set(name):
        raise QdrantError(
            422, f"Validation error in path parameters: [name: collection name `{name}` is not allowed]"
        )
