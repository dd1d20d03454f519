"""Where every number of a report came from: a "How this report was made" panel at its end.

``provenance(source, *generations)`` in a report's last cell shows the model and the SHA-256 of
every weight file, the backend and engine versions, precision and device, the seeds and generation
settings the results record, the helpers' version and git commit (and whether the checkout had
uncommitted changes), and when the cell ran. Everything is read from what actually ran: the backend
describes itself (``describe()``), the seeds come from the generations, not from what a reader was told.

It displays as Markdown inside a ``.provenance`` block. The renderer turns that block into a
collapsed ``<details>`` in HTML, a small table in a PDF and a final slide in a deck, and adds what
only it knows: the parameters the run used (defaults and ``-P`` values), when the document was
rendered, and whether a stored (frozen) execution was reused, and from when (the panel itself shows
the time the cell really ran). Torch-free.
"""

from __future__ import annotations

import functools
import importlib.metadata
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from helpers.core import Generation
from helpers.escape import for_markdown

__all__ = ["PANEL_CLASS", "Provenance", "provenance", "source_revision"]

PANEL_CLASS = "provenance"
DISTRIBUTION = "llm-report-helpers"
TITLE = "How this report was made"
_SETTINGS_SHOWN = ("strategy", "max_new_tokens", "temperature", "top_k", "top_p", "num_beams", "top_alternatives")


@dataclass(frozen=True)
class Provenance:
    """The panel's items, in order; ``index_values()`` gives the columns a grid's index shows."""

    items: tuple[tuple[str, str], ...]
    fingerprint: str
    commit: str
    title: str = TITLE
    executed: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))

    def value(self, label: str) -> str:
        return next(value for name, value in self.items if name == label)

    def index_values(self) -> dict[str, str]:
        """For ``publish(**panel.index_values())``: the model fingerprint and the commit, as grid columns."""
        return {"model_fingerprint": self.fingerprint, "commit": self.commit}

    def _repr_markdown_(self) -> str:
        rows = [f"| {for_markdown(name)} | {for_markdown(value)} |" for name, value in self.items]
        rows.append(f"| Executed | {self.executed} |")
        rows = "\n".join(rows)
        return (f"::: {{.{PANEL_CLASS}}}\n## {for_markdown(self.title)} {{.unnumbered .unlisted}}\n\n"
                f"|   |   |\n|:--|:--|\n{rows}\n:::\n")

    def __repr__(self) -> str:
        width = max(len(name) for name, _ in self.items)
        lines = [f"{name:<{width}}  {value}" for name, value in (*self.items, ("Executed", self.executed))]
        return "\n".join([self.title, *lines])


def provenance(source: Any, *generations: Generation, title: str = TITLE) -> Provenance:
    """The provenance panel for results made by ``source`` (a model or a backend); see the module docstring.

    ``generations`` are the results the report shows: their seeds and settings are listed.
    """
    describe = getattr(source, "describe", None)
    if not callable(describe):
        raise TypeError(f"provenance() needs a model from load_model() or a backend, got {type(source).__name__}.")
    items = list(describe())
    fingerprint = dict(items).get("Fingerprint", "unknown")
    if generations:
        items.append(("Seeds", _seeds(generations)))
    distinct = _distinct_settings(generations)
    for number, settings in enumerate(distinct, start=1):
        label = "Generation settings" if len(distinct) == 1 else f"Generation settings {number}"
        items.append((label, settings))
    commit, dirty = source_revision()
    short = "unknown" if commit == "unknown" else commit[:12] + ("+dirty" if dirty else "")
    state = "not a git checkout" if commit == "unknown" else commit[:12] + (", with uncommitted changes" if dirty
                                                                            else "")
    items.append(("Helpers", f"{DISTRIBUTION} {_version()}, commit {state}"))
    items.append(("Platform", f"Python {platform.python_version()} on {platform.system()} {platform.machine()}"))
    return Provenance(tuple((name, _hash_groups(value)) for name, value in items), fingerprint, short, title)


def _seeds(generations: Sequence[Generation]) -> str:
    seeds = []
    for generation in generations:
        seed = generation.settings.get("seed")
        seeds.append(f"{seed}" if seed is not None else f"none ({generation.settings.get('strategy', 'greedy')})")
    return ", ".join(dict.fromkeys(seeds))


@functools.cache
def _version() -> str:
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def _distinct_settings(generations: Sequence[Generation]) -> list[str]:
    shown = []
    for generation in generations:
        settings = {k: generation.settings[k] for k in _SETTINGS_SHOWN if generation.settings.get(k) is not None}
        shown.append(", ".join(f"{k} {v}" for k, v in settings.items()))
    return list(dict.fromkeys(shown))


def _hash_groups(value: str) -> str:
    """A 64-digit hash in groups of 16, so that a printed table can break it across lines."""
    words = value.split(" ")
    return " ".join(" ".join(w[i:i + 16] for i in range(0, 64, 16)) if _is_sha256(w) else w for w in words)


def _is_sha256(word: str) -> bool:
    return len(word) == 64 and all(c in "0123456789abcdef" for c in word)


def source_revision(folder: Path | None = None) -> tuple[str, bool]:
    """The git commit of the checkout holding ``folder`` (default: this package) and whether tracked
    files differ from it; ``("unknown", False)`` outside a git checkout or without git."""
    where = str(folder or Path(__file__).resolve().parent)
    try:
        commit = subprocess.run(["git", "-C", where, "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        changes = subprocess.run(["git", "-C", where, "status", "--porcelain", "--untracked-files=no"],
                                 capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown", False
    return commit, bool(changes.strip())
