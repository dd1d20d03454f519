"""What keying learns, kept on disk between processes: the modules a Python source imports, and which
installed distribution (at which version) provides a module.

Working these out costs a fresh process about 2 s (parsing every file of the local packages the cells
import; reading every installed distribution's metadata), and each render is a fresh process. Each
memo is one JSON file in ``.cache/keys``, read once per process and written atomically when it grew.
They never serve a stale answer: a parse is keyed by the SHA-256 of the source text; what is installed
is kept only for the same interpreter, the same site-packages folders and the same modification times
of those folders (every install, upgrade or removal changes them), and starts empty otherwise.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from qmdrender.atomic import write_atomic
from qmdrender.types import REPOSITORY

FOLDER = REPOSITORY / ".cache" / "keys"


class DiskMemo:
    """A JSON mapping in ``FOLDER/<name>.json`` that is valid for one ``scope`` (any JSON value)."""

    def __init__(self, name: str, scope: Any) -> None:
        self.path = FOLDER / f"{name}.json"
        self.scope = scope
        self.entries: dict[str, Any] = {}
        self.grown = False
        with contextlib.suppress(OSError, ValueError):  # missing or unreadable: start empty
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if stored.get("scope") == json.loads(json.dumps(scope)):
                self.entries = dict(stored.get("entries", {}))

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> Any:
        self.entries[key] = value
        self.grown = True
        return value

    def save(self) -> None:
        """Write the memo if it grew (another process may have written meanwhile: the last one wins, and
        what the other learnt is learnt again later)."""
        if self.grown:
            with contextlib.suppress(OSError):  # a read-only checkout only loses the speed
                write_atomic(self.path, json.dumps({"scope": self.scope, "entries": self.entries}))
            self.grown = False
