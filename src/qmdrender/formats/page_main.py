"""The page's ``<main>``, as Quarto structures an HTML page (and its ``<body>`` tag's classes).

Quarto puts a page's title block, its text and its footnotes in ``<main class="content"
id="quarto-document-content">``; the table of contents sits beside it (inside it only with
``toc-location: body``), and what the author includes before or after the body, the site's navigation and
its footer stay outside. Readers' tools (reader views, screen readers' "skip to main content") and
anything that reads a page's text look for that element.

Around both, as in Quarto's template, ``div#quarto-content.page-columns.page-rows-contents.page-layout-article``
(``page-layout-full`` or ``-custom`` as ``page-layout`` says), the element authors' rules and scripts address
for the page's content area (``#quarto-content { margin-top: ... }``); a site's sidebar goes in it too.

Pandoc's template has no ``<main>``: two marker comments, included as the last ``include-before-body``
and the first ``include-after-body``, say where the body starts and ends, and :func:`with_main` turns
them into the element.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qmdrender.formats.bootstrap_markup import with_class

MAIN_START = "<!-- quarto-main-start -->"
MAIN_END = "<!-- quarto-main-end -->"
# where Quarto's contents would be when there is no section to list: the page keeps its margin column
EMPTY_MARGIN = '<div id="quarto-margin-sidebar" class="margin-sidebar" aria-hidden="true"></div>'
_TOC = re.compile(r'<nav id="TOC" role="doc-toc"[^>]*>.*?</nav>', re.S)


_BODY = re.compile(r"<body([^>]*)>")


def with_body(page: str, classes: str, first: str = "") -> str:
    """``page`` with ``classes`` added to its ``<body>`` tag and ``first`` at the start of the body; unchanged
    without a body. The tag is the one after the head, since an inlined script in the head may hold the text
    "<body"."""
    body = _BODY.search(page, max(0, page.find("</head>")))
    if body is None:
        return page
    return f"{page[:body.start()]}<body{with_class(body.group(1), classes)}>{first}{page[body.end():]}"


def with_marker_arguments(arguments: Sequence[str], start_file: str, end_file: str) -> list[str]:
    """``arguments`` with the start marker after every ``--include-before-body`` and the end marker before
    every ``--include-after-body`` (pandoc includes them in the order given)."""
    result = list(arguments)
    after = [i for i, a in enumerate(result) if a.startswith("--include-after-body=")]
    result.insert(after[0] if after else len(result), f"--include-after-body={end_file}")
    result.append(f"--include-before-body={start_file}")
    return result


CONTENT_OPENING = re.compile(r'<div id="quarto-content" class="[^"]*">')


def content_opening(layout: str = "article", toc_left: bool = False) -> str:
    """The opening tag of Quarto's ``div#quarto-content`` for a page of ``page-layout`` ``layout``."""
    layout = layout if layout in ("article", "full", "custom") else "article"
    return (f'<div id="quarto-content" class="page-columns page-rows-contents page-layout-{layout}'
            f'{" toc-left" if toc_left else ""}">')


def with_main(page: str, toc_in_body: bool, opening: str = "") -> str:
    """``page`` with its markers made into ``<main class="content" id="quarto-document-content">``, the table
    of contents moved out in front of it (class ``toc-beside``: report.css hides it on a phone's screen, as
    Quarto hides its margin) unless it belongs in the body, both inside Quarto's content area (``opening``,
    default :func:`content_opening`'s); unchanged without both markers (an author's own template)."""
    start, end = page.find(MAIN_START), page.find(MAIN_END)
    if start < 0 or end < start:
        return page.replace(MAIN_START, "").replace(MAIN_END, "")
    content = page[start + len(MAIN_START):end]
    toc = _TOC.search(content)
    beside = ""
    if toc is not None:
        listed = quarto_toc(toc.group(0))
        before, after = content[:toc.start()], content[toc.end():]
        if "<li" not in listed:  # no section to list: no contents, as in Quarto, but the margin stays the
            content = before + after  # contents' (Quarto's empty margin sidebar): no full width
            beside = "" if toc_in_body else EMPTY_MARGIN
        elif toc_in_body:
            content = before + listed + after
        else:
            beside = listed.replace('<nav id="TOC"', '<nav id="TOC" class="toc-beside"', 1)
            content = before + after
    return (page[:start] + (opening or content_opening()) + beside
            + '<main class="content" id="quarto-document-content">' + content + "</main></div>"
            + page[end + len(MAIN_END):])


_TOC_BESIDE = re.compile(r'<nav id="TOC" class="toc-beside"[^>]*>.*?</nav>', re.S)


def in_margin_column(page: str, location: str) -> str:
    """The contents beside the text in Quarto's column element, ``div#quarto-margin-sidebar.sidebar.margin-sidebar``
    (``div#quarto-sidebar-toc-left.sidebar.toc-left`` with ``toc-location: left``), which authors' rules address
    (``#quarto-margin-sidebar { display: none }``); the page keeps its own when it has one (a listing's
    categories)."""
    if 'id="quarto-margin-sidebar"' in page:
        return page
    column = ('<div id="quarto-sidebar-toc-left" class="sidebar toc-left">' if location == "left" else
              '<div id="quarto-margin-sidebar" class="sidebar margin-sidebar">')
    return _TOC_BESIDE.sub(lambda found: column + found[0] + "</div>", page, count=1)


_TOC_LINK = re.compile(r'<a href="#([^"]+)" id="toc-[^"]*"')


def quarto_toc(toc: str) -> str:
    """Pandoc's table of contents with Quarto's markup: each entry a ``nav-link`` naming the section it scrolls
    to (``data-scroll-target``), which authors' rules and scripts address."""
    return _TOC_LINK.sub(lambda found: f'{found[0]} class="nav-link" data-scroll-target="#{found[1]}"', toc)


_SECTION_HEADING = re.compile(r'(<section id="([^"]+)" class="[^"]*\blevel[1-6]\b[^"]*"[^>]*>\s*<h[1-6])([^>]*)>')


def anchored_headings(page: str) -> str:
    """Each section's heading as Quarto marks it: class ``anchored`` and ``data-anchor-id`` naming its section
    (pandoc's ``--section-divs`` gives the id to the section), which anchor links and authors' scripts read."""
    def mark(found: re.Match[str]) -> str:
        if "data-anchor-id=" in found[3]:
            return found[0]
        return f'{found[1]}{with_class(found[3], "anchored")} data-anchor-id="{found[2]}">'
    return _SECTION_HEADING.sub(mark, page)
