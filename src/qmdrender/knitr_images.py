"""R chunks that show images and need no R: ``knitr::include_graphics("figs/a.png")``.

The Jupyter kernel runs Python only, so an R chunk is shown and not run. One kind of chunk needs no R to
be answered: a chunk whose code only calls knitr's ``include_graphics`` on files it names (decks and
course notes place their pictures so, with ``out.width`` and ``fig.align`` in the header). knitr writes
such a chunk's output as a Markdown image per file, in the chunk's output div, sized and aligned by the
chunk's options; :func:`image_outputs` gives the same as the cell's outputs. Code that computes a path, a
file that is not there (knitr stops the render then) or any other call keeps the chunk as it was: shown,
not run, and said so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
_NAME = r"[A-Za-z.][\w.]*"
# include_graphics(path, ...), path a string or c(strings), maybe named; other arguments plain values
_VALUE = rf"(?:{_STRING}|[\w.+-]+)"
_PATHS = rf"(?:path\s*=\s*)?(?P<paths>{_STRING}|c\(\s*(?:{_STRING})(?:\s*,\s*(?:{_STRING}))*\s*\))"
_CALL = re.compile(rf"(?:knitr::)?include_graphics\(\s*{_PATHS}(?:\s*,\s*{_NAME}\s*=\s*{_VALUE})*\s*\)")
_LIBRARY = re.compile(r"(?:library|require)\(\s*[\"']?knitr[\"']?\s*\)")
_COMMENT = re.compile(rf"({_STRING})|#[^\n]*")

# the chunk options knitr writes on the image (Quarto's names for them), as the image's attributes
_ATTRIBUTES = {"out-width": "width", "out-height": "height", "fig-align": "fig-align", "fig-alt": "fig-alt"}


def image_outputs(code: str, options: Mapping[str, Any], folder: Path) -> list[dict[str, Any]] | None:
    """The outputs knitr gives ``code`` (an R chunk's, without its ``#|`` lines) when all it does is
    include image files that exist under ``folder`` (the document's) or on the web; ``None`` otherwise."""
    statements = [s.strip() for s in re.split(r"[;\n]", _COMMENT.sub(lambda m: m[1] or "", code)) if s.strip()]
    text = " ".join(statements)
    paths: list[str] = []
    position = 0
    while position < len(text):
        match = _CALL.match(text, position) or _LIBRARY.match(text, position)
        if match is None:
            return None
        paths += [_unquoted(s) for s in re.findall(_STRING, match["paths"])] if match.re is _CALL else []
        position = match.end()
        while position < len(text) and text[position] in " ;":
            position += 1
    if not paths or not all(re.match(r"https?://", p) or (folder / p).is_file() for p in paths):
        return None
    attributes = " ".join(f'{name}="{options[key]}"' for key, name in _ATTRIBUTES.items()
                          if isinstance(options.get(key), str | int | float) and str(options[key]))
    label = str(options.get("label") or "")
    # a caption without a figure label makes each image a captioned figure, as knitr writes it; a labelled
    # figure's caption is the float's (qmdrender.markdown)
    caption = str(options["fig-cap"]) if options.get("fig-cap") is not None and not label.startswith("fig-") else ""
    caption = re.sub(r"([\[\]])", r"\\\1", caption)  # brackets in the caption are its text, not the image's end
    return [{"output_type": "display_data", "metadata": {},
             "data": {"text/markdown": f"![{caption}]({_destination(path)})" + (f"{{{attributes}}}" if attributes
                                                                                  else "")}}
            for path in paths]


def _unquoted(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def _destination(path: str) -> str:
    """A path as a Markdown link destination (in angle brackets when it has spaces or parentheses)."""
    return f"<{path}>" if re.search(r"[\s()<>]", path) else path
