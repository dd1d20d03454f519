"""A listing's own template (``listing: template: items.ejs``), rendered as Quarto renders it.

Quarto gives a custom template ``items`` (each listed page's front matter, with ``path``, ``title``, ``date``
formatted by the listing's or the site's ``date-format``, ``author`` joined, ``description``, ``categories``,
``image``, ``filename``, ``reading-time``, ``word-count``) and ``templateParams`` (the listing's
``template-params``), and renders it with lodash's template (``<%= %>`` writes a value as it is, ``<%- %>``
escapes it, ``<% %>`` runs code). Here Node.js runs lodash from the npm registry (``make setup``:
``.cache/ejs``; ``assets/listing_template.js``), and the Markdown the template writes is read by pandoc with
the page's own reader options (``from: markdown+emoji``), as Quarto reads it into the page, inside
``div.quarto-listing.quarto-listing-container-custom``.
"""

from __future__ import annotations

import html
import json
import math
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qmdrender.dates import format_date
from qmdrender.formats.writing import ASSETS, named_reader
from qmdrender.pandoc import markdown_to_html
from qmdrender.types import REPOSITORY, RenderError

WORDS_PER_MINUTE = 200


def reading_time(words: int, pattern: str = "{0} min") -> str:
    """A page's reading time as Quarto shows it ("3 min": ``pattern``, the language's
    ``listing-page-minutes-compact``), ``""`` for no words."""
    return pattern.replace("{0}", str(math.ceil(words / WORDS_PER_MINUTE))) if words else ""


def lodash() -> Path:
    """lodash from the npm registry (``make setup`` installs it into ``.cache/ejs``; ``LLM_REPORTS_LODASH`` names
    another copy's ``lodash.js``)."""
    configured = os.environ.get("LLM_REPORTS_LODASH")
    return Path(configured) if configured else REPOSITORY / ".cache" / "ejs" / "node_modules" / "lodash" / "lodash.js"


def page_reader(front: Mapping[str, Any], config: Mapping[str, Any]) -> str:
    """Pandoc's reader for a page's Markdown: its ``from`` (in its front matter or its HTML format's options,
    else the project's), as the page itself was read (``markdown+emoji``)."""
    for options in (front, config):
        formats = options.get("format")
        html_format = formats.get("html") if isinstance(formats, Mapping) else None
        for place in (options, html_format if isinstance(html_format, Mapping) else {}):
            if (reader := named_reader(place)) is not None:
                return reader
    return "markdown"


def template_item(front: Mapping[str, Any], title: str, href: str, source: Path, words: int,
                  date_format: str) -> dict[str, Any]:
    """One listed page as Quarto hands it to a custom template: its front matter, then the fields Quarto sets."""
    item: dict[str, Any] = json.loads(json.dumps(dict(front), default=str))
    author = front.get("author")
    names = [a.get("name", "") if isinstance(a, Mapping) else a for a in
             (author if isinstance(author, list) else [author] if author else [])]
    categories = front.get("categories")
    item.update({
        "path": href, "title": title, "filename": source.name,
        "date": str(format_date(front["date"], date_format, source)) if front.get("date") else None,
        "author": ", ".join(str(n) for n in names if n) or None,
        "description": front.get("description") or front.get("abstract"),
        "categories": [str(c) for c in (categories if isinstance(categories, list) else [categories])
                       if c is not None] if categories else [],
        "reading-time": reading_time(words) or None,
        "word-count": f"{words:,} words" if words else None,
    })
    return item


def render_template(template: Path, items: Sequence[Mapping[str, Any]], params: Any, identifier: str,
                    reader: str = "markdown") -> str:
    """The listing ``identifier`` through ``template``: Quarto's ``div.quarto-listing-container-custom`` holding the
    HTML of the Markdown it writes."""
    node = shutil.which("node")
    if node is None or not lodash().is_file():
        raise RenderError(f"listing: template: {template.name} needs Node.js and lodash ({lodash()}); run `make "
                          "setup` (npm install lodash into .cache/ejs).")
    if not template.is_file():
        raise RenderError(f"listing: template: {template} does not exist (paths are relative to the page).")
    data = {"items": list(items), "templateParams": params}
    done = subprocess.run([node, str(ASSETS / "listing_template.js")], capture_output=True, text=True,
                          input=json.dumps({"lodash": str(lodash()), "template": str(template), "data": data},
                                           default=str),
                          encoding="utf-8", timeout=60)
    if done.returncode != 0:
        raise RenderError(f"listing: template: {template.name} could not be rendered: {done.stderr.strip()[-800:]}")
    body = markdown_to_html(done.stdout, paragraphs=True, reader=reader)
    return (f'<div class="quarto-listing quarto-listing-container-custom" id="listing-{html.escape(identifier)}">'
            f"{body}</div>")
