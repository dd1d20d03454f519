"""A website's ``aliases``: a page's former addresses, each a small page that sends the reader on to it.

Quarto writes such a redirect page for every entry of a page's ``aliases:`` (``aliases: [welcome.html]``
in ``index.qmd``; relative to the page's folder, or to the site's root with a leading ``/``), so that old
links keep working after a page moved. A name that a page of the site already has, or that leaves the
site, is not written; a warning says which.
"""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from qmdrender.types import warn

# as Quarto writes it: no text of its own, the reader sent on with the address's ?query and #anchor (a meta
# refresh where scripts do not run)
_REDIRECT = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Redirect</title>
<link rel="canonical" href="{url}">
<noscript><meta http-equiv="refresh" content="0; url={url}"></noscript>
<script>window.location.replace({script} + window.location.search + window.location.hash);</script>
</head>
<body></body>
</html>
"""


def _redirect_page(url: str) -> bytes:
    """The page that sends the reader on to ``url`` (relative to it), as Quarto writes one."""
    return _REDIRECT.format(url=html.escape(url), script=json.dumps(url).replace("</", "<\\/")).encode("utf-8")


def alias_targets(page_href: str, aliases: Any) -> list[tuple[str, str]]:
    """Each of a page's ``aliases`` with where its redirect page goes, relative to the site's root (a
    folder's alias ending in ``/`` is its ``index.html``); one leading out of the site gets ``""``."""
    names = [aliases] if isinstance(aliases, str) else aliases if isinstance(aliases, list) else []
    targets = []
    for name in (str(n).strip() for n in names if str(n).strip()):
        base = "" if name.startswith("/") else posixpath.dirname(page_href)
        joined = posixpath.normpath(posixpath.join(base, name.lstrip("/")))
        if name.endswith("/"):
            joined = posixpath.join(joined, "index.html")
        targets.append((name, "" if joined.startswith("..") else joined))
    return targets


def write_aliases(pages: Sequence[Any], output_dir: Path, write: Callable[[Path, bytes], Any]) -> list[Path]:
    """The redirect pages of every page's ``aliases`` (``pages``: the site's pages, each with ``href``,
    ``title`` and ``front``), written with ``write``; the paths written."""
    taken = {page.href for page in pages}
    written = []
    for page in pages:
        for name, target in alias_targets(page.href, page.front.get("aliases")):
            if not target or target in taken:
                where = "leaves the site" if not target else "is a page of the site"
                warn(f"{page.source}: aliases: {name} {where}; no redirect page is written for it.")
                continue
            url = posixpath.relpath(page.href, posixpath.dirname(target) or ".")
            write(output_dir / target, _redirect_page(url))
            written.append(output_dir / target)
            taken.add(target)
    return written


def write_index_redirect(pages: Sequence[Any], output_dir: Path, write: Callable[[Path, bytes], Any]) -> list[Path]:
    """A website without a home page (its one deck is ``slides/index.qmd``): an ``index.html`` at its root that
    sends the reader to its first page, as Quarto writes one; nothing when the site has an ``index.html``."""
    if not pages or (output_dir / "index.html").exists() or any(page.href == "index.html" for page in pages):
        return []
    write(output_dir / "index.html", _redirect_page(pages[0].href))
    return [output_dir / "index.html"]
