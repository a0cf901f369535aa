"""Collection aliases, with Qdrant's rules for create / delete / rename.

Rules (lib/storage/src/content_manager/toc/collection_meta_ops.rs and
alias_mapping.rs): creating points an alias at an existing collection and may
re-point an existing alias; the alias may not be a collection's name; deleting
a missing alias is a no-op; renaming a missing alias is 404.
"""

from __future__ import annotations

from typing import Any, Callable

from .errors import already_exists, collection_not_found, not_found


class AliasTable:
    def __init__(self) -> None:
        self._targets: dict[str, str] = {}  # alias -> collection name

    def resolve(self, name: str) -> str | None:
        return self._targets.get(name)

    def exists(self, alias: str) -> bool:
        return alias in self._targets

    def apply(self, actions: list[dict[str, Any]], collection_exists: Callable[[str], bool]) -> None:
        """All actions or none, as Qdrant does since it checks every action before applying any
        (qdrant/qdrant#10425): they run on a copy that replaces the table only if all succeed.
        Callers hold the catalog lock, so no request sees a half-switched alias.
        """
        targets = dict(self._targets)
        for action in actions:
            if "create_alias" in action:
                spec = action["create_alias"]
                if not collection_exists(spec["collection_name"]):
                    raise collection_not_found(spec["collection_name"])
                if collection_exists(spec["alias_name"]):
                    raise already_exists(f"Collection `{spec['alias_name']}` already exists!")
                targets[spec["alias_name"]] = spec["collection_name"]
            elif "delete_alias" in action:
                targets.pop(action["delete_alias"]["alias_name"], None)
            elif "rename_alias" in action:
                spec = action["rename_alias"]
                old = spec["old_alias_name"]
                if old not in targets:
                    raise not_found(f"Alias {old} does not exists!")
                targets[spec["new_alias_name"]] = targets.pop(old)
        self._targets = targets

    def drop_collection(self, collection_name: str) -> None:
        """Deleting a collection deletes the aliases that point at it."""
        self._targets = {a: c for a, c in self._targets.items() if c != collection_name}

    def listing(self, collection_name: str | None = None) -> list[dict[str, str]]:
        return [
            {"alias_name": alias, "collection_name": target}
            for alias, target in sorted(self._targets.items())
            if collection_name is None or target == collection_name
        ]
