"""Publish values from a notebook, for the index of a parameter grid (papermill's scrapbook, MyST's glue).

``publish(joint_probability=g.joint_probability, perplexity=g.perplexity)`` in a cell records the
values in the executed notebook, under their own MIME type; the renderer collects them into
``<name>.published.json`` beside the report, and a grid's index shows them as sortable columns and
in ``index.csv``. In the report itself nothing is shown; in JupyterLab a one-line note.
"""

from __future__ import annotations

import json
import math
from typing import Any

PUBLISHED_MIME = "application/vnd.llm-reports.published+json"


def _plain(name: str, value: Any) -> Any:
    """A JSON value: numbers (NaN as None), strings, booleans, lists and mappings of them."""
    if hasattr(value, "item") and callable(value.item):  # numpy and torch scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        raise ValueError(f"publish({name}=...): {value!r} is not a number, text or a list of them.") from None
    return value


def publish(**values: Any) -> None:
    """Record ``name=value`` pairs for the grid index (see the module docstring)."""
    from IPython.display import display

    if not all(name.isidentifier() for name in values):
        raise ValueError("publish() takes name=value pairs.")
    plain = {name: _plain(name, value) for name, value in values.items()}
    text = "published: " + ", ".join(f"{k}={v}" for k, v in plain.items())
    display({PUBLISHED_MIME: plain, "text/plain": text}, raw=True)


def published_values(notebook: Any) -> dict[str, Any]:
    """Every value a notebook published, later ones winning."""
    values: dict[str, Any] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if PUBLISHED_MIME in data:
                values.update(data[PUBLISHED_MIME])
    return values
