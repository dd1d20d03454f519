"""Website drafts, as Quarto handles them (https://quarto.org/docs/websites/website-drafts.html).

A page is a draft when its front matter or a folder's ``_metadata.yml`` says ``draft: true``, or when the
site's ``website: drafts`` lists it. ``website: draft-mode`` says what the rendered site does with drafts:

- ``gone`` (the default): the page is written blank, and nothing links to it;
- ``unlinked``: the page is written, under a "Draft" banner, and nothing links to it;
- ``visible``: the page is written, under the banner, and linked as any page.

"Nothing links to it" is Quarto's list: the navbar, the sidebar (and so the page navigation), search,
listings and the sitemap leave it out, and a link to it elsewhere (a page's text; here the footer's too, whose
entry Quarto leaves out) keeps its words without the link. A page outside a website (no ``draft-mode``) that
says ``draft: true`` shows the banner.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Mapping, Sequence, Set
from pathlib import Path, PurePosixPath
from typing import Any

from qmdrender.options import folder_metadata
from qmdrender.site_tools import icon_svg
from qmdrender.types import warn

MODES = ("gone", "unlinked", "visible")
# the page Quarto writes for a draft that is gone: its address exists, the page is blank
BLANK_PAGE = "<!DOCTYPE html>\n<html><head></head><body></body></html>\n"


def draft_mode(options: Mapping[str, Any], where: str = "website") -> str:
    """``draft-mode`` of the ``website:`` options (``gone`` unless it names another of :data:`MODES`)."""
    mode = str(options.get("draft-mode") or "gone")
    if mode not in MODES:
        warn(f"{where}: draft-mode: {mode} is not one of {', '.join(MODES)}; drafts are gone (Quarto's default).")
        return "gone"
    return mode


def is_draft(source: Path, front: Mapping[str, Any], root: Path, listed: Set[str] = frozenset()) -> bool:
    """Whether the document at ``source`` (front matter ``front``) is a draft of the site at ``root``: its own
    ``draft:``, else the nearest folder ``_metadata.yml`` that sets one, or ``website: drafts`` (``listed``:
    :func:`listed_drafts`) naming it."""
    layers = [*folder_metadata(source, root), dict(front)]
    flags = [layer["draft"] for layer in layers if isinstance(layer, Mapping) and "draft" in layer]
    if flags and flags[-1] is True:
        return True
    relative = os.path.relpath(source.resolve(), root.resolve()).replace(os.sep, "/")
    return relative in listed


def listed_drafts(options: Mapping[str, Any]) -> set[str]:
    """``website: drafts`` (one path or a list of them) as paths from the site's root."""
    drafts = options.get("drafts") or []
    return {str(name).lstrip("/").removeprefix("./") for name in (drafts if isinstance(drafts, list) else [drafts])}


_ANCHOR = re.compile(r'<a\b[^>]*?\bhref="([^"#]*)(#[^"]*)?"[^>]*>(.*?)</a>', re.S | re.I)


def without_links_to(text: str, page_href: str, hidden: Sequence[str] | set[str]) -> str:
    """``text`` (the page at ``page_href``) with each link to a hidden draft (hrefs from the site's root)
    replaced by its words, as Quarto leaves them."""
    if not hidden:
        return text
    base = PurePosixPath(page_href).parent.as_posix()

    def unlinked(found: re.Match[str]) -> str:
        target = found[1]
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I):
            return found[0]
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        return found[3] if resolved in hidden else found[0]
    return _ANCHOR.sub(unlinked, text)


def _banner(word: str) -> str:
    """Quarto's banner: an alert with Bootstrap's pencil-square icon (inline, as the site's icons are) and the
    language's word for a draft."""
    return (f'<div id="quarto-draft-alert" class="alert alert-warning"><i class="bi bi-pencil-square">'
            f'{icon_svg("pencil-square")}</i>{html.escape(word)}</div>')


_HEADER = re.compile(r'<header\b[^>]*\bid="quarto-header"[^>]*>')
_BODY = re.compile(r"<body\b[^>]*>")
_HEAD_END = re.compile(r"</head>", re.I)


def with_draft_banner(text: str, word: str = "Draft") -> str:
    """``text`` with Quarto's draft banner at the top of its header (the site's navbar), else of its body, and
    in its head the ``quarto:status`` mark Quarto writes and the banner's style."""
    place = _HEADER.search(text) or _BODY.search(text)
    if place is None:
        return text
    text = text[:place.end()] + _banner(word) + text[place.end():]
    return _HEAD_END.sub(lambda _: f'<meta name="quarto:status" content="draft">\n<style>{_BANNER_STYLE}</style>'
                         '\n</head>', text, count=1)


# Quarto's look for the banner (its _bootstrap-rules.scss): a slim centred alert; without Bootstrap on the page,
# the alert's warning colours
_BANNER_STYLE = ("#quarto-draft-alert { margin: 0; padding: 0.3em; text-align: center; font-size: 0.9em; "
                "border: 1px solid var(--bs-warning-border-subtle, #ffe69c); "
                "background: var(--bs-warning-bg-subtle, #fff3cd); color: var(--bs-warning-text-emphasis, #664d03); }"
                " #quarto-draft-alert i { margin-right: 0.3em; }"
                " #quarto-draft-alert i svg { width: 1em; height: 1em; vertical-align: -0.125em; fill: currentColor; }")
