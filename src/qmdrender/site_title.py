"""A site page's title block as Quarto makes it for a page without a title (its website postprocessor,
Quarto 1.6 and later): an empty ``header#title-block-header`` first in ``<main>`` (where its breadcrumbs
go), and into it the first level-1 heading that stands first in its container: an ``<h1>`` that is its
parent's first element (a ``<div class="bio"><h1>Hi there!</h1>`` on a home page), or the heading of a
section that is its parent's first. Since the header is ``<main>``'s first element, an opening ``# Heading``
of the page's own text (a section directly in ``<main>``) stays where it is. The heading moved is marked
``title``, so the page's title styles, its sidebar's title and its search entry take it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from qmdrender.formats.bootstrap_markup import with_class

_TITLE_HEADER = re.compile(r'<header id="title-block-header"[^>]*>(.*?)</header>', re.S)
MAIN_TAG = re.compile(r"<main\b[^>]*>")
_EMPTY_HEADER = '<header id="title-block-header" class="quarto-title-block"></header>'
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"))


class _Element:
    """An open element: its tag, whether it was its parent's first element, whether it has an element yet."""

    def __init__(self, tag: str, first: bool, start: int = 0) -> None:
        self.tag, self.first, self.start, self.filled = tag, first, start, False


class _TitleHeading(HTMLParser):
    """Finds the first plausible title ``<h1>`` of a stretch of HTML whose container already has an element
    (the title block header) before it: ``found`` is its (start, end) in the text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self._lines = [0]
        for line in text.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        root = _Element("main", True)
        root.filled = True  # the header comes first
        self._stack = [root]
        self.found: tuple[int, int] | None = None
        self._heading: _Element | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is not None:
            return
        parent = self._stack[-1]
        element = _Element(tag, not parent.filled, self._offset())
        parent.filled = True
        if tag in _VOID:
            return
        self._stack.append(element)
        classes = (dict(attrs).get("class") or "").split()
        if tag == "h1" and self._heading is None and "quarto-secondary-nav-title" not in classes:
            plausible = parent.first if parent.tag == "section" else element.first
            if plausible:
                self._heading = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is None:
            self._stack[-1].filled = True

    def handle_endtag(self, tag: str) -> None:
        if self.found is not None or not any(e.tag == tag for e in self._stack[1:]):
            return  # a stray end tag
        while True:
            element = self._stack.pop()
            if element is self._heading:
                # its end tag's end (or where an outer end tag closed it unclosed)
                end = self._offset() + len("</h1>") if tag == "h1" else self._offset()
                self.found = (element.start, end)
                return
            if element.tag == tag:
                return


def with_title_block(text: str) -> str:
    """A site's page without a title block gets Quarto's, with the page's first plausible heading in it."""
    main = MAIN_TAG.search(text)
    if main is None:
        return text
    header = _TITLE_HEADER.search(text)  # (a title banner's is above <main>)
    if header is None:
        text = text[:main.end()] + "\n" + _EMPTY_HEADER + text[main.end():]
        header = _TITLE_HEADER.search(text, main.end())
    if header is None or header.group(1).strip() or header.start() < main.end():  # a title block of its own
        return text
    rest = text[header.end():]
    finder = _TitleHeading(rest)
    finder.feed(rest)
    if finder.found is None:
        return text
    start, end = finder.found
    heading = rest[start:end]
    opening = re.match(r"<h1\b([^>]*)>", heading)
    if opening is None:
        return text
    titled = f"<h1{with_class(opening.group(1), 'title')}>" + heading[opening.end():]
    inner_end = header.end() - len("</header>")
    return text[:inner_end] + titled + text[inner_end:header.end()] + rest[:start] + rest[end:]
