"""The classes Quarto's page post-processor gives a page's elements for Bootstrap, and the rules of the utility
classes a page without a theme names.

Quarto's HTML pages are Bootstrap pages: after pandoc it marks every block quote ``blockquote``, every figure
``figure`` and every image in a figure ``figure-img`` (format-html-bootstrap), which Bootstrap's rules, Quarto's
and authors' stylesheets address. A page without a theme has no Bootstrap, so the utility classes it names
(``.border``, ``.text-center`` ...) get their rules in its head.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qmdrender.palette import svg_mask
from qmdrender.site_tools import icons_folder
from qmdrender.themes import bootstrap_utilities

_CLASS_ATTRIBUTE = re.compile(r'\sclass="([^"]*)"')
_ICON_CLASS = re.compile(r"bi-([a-z0-9-]+)")
_BLOCKQUOTE = re.compile(r'<blockquote(\s[^>]*)?>')
_FIGURE_OR_IMAGE = re.compile(r'<(/?)(figure|img)\b([^>]*)>')
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def _outside_scripts(page: str, change: Callable[[str], str]) -> str:
    """``page`` with ``change`` applied to its markup only, not to the text of its scripts and stylesheets (a
    script's string may hold a tag)."""
    parts, last = [], 0
    for found in _SCRIPT_OR_STYLE.finditer(page):
        parts += [change(page[last:found.start()]), found[0]]
        last = found.end()
    return "".join([*parts, change(page[last:])])


def with_bootstrap_classes(page: str) -> str:
    """Every block quote marked with Bootstrap's ``blockquote`` class, every ``<figure>`` with ``figure`` and every
    image in one with ``figure-img``, as Quarto's page post-processor marks them (a themed page draws them by
    these; authors' rules address them), and every table row as :func:`with_row_classes` marks it, in one pass
    over the page's markup."""
    return _outside_scripts(page, lambda markup: _row_classes(_figure_classes(_BLOCKQUOTE.sub(
        lambda found: f"<blockquote{with_class(found[1] or '', 'blockquote')}>", markup))))


def _figure_classes(markup: str) -> str:
    depth = 0  # inside how many figures

    def mark(found: re.Match[str]) -> str:
        nonlocal depth
        closing, tag, attributes = found[1], found[2], found[3]
        if tag == "figure":
            depth += -1 if closing else 1
            return found[0] if closing else f"<figure{with_class(attributes, 'figure')}>"
        return f"<img{with_class(attributes, 'figure-img')}>" if depth > 0 else found[0]
    return _FIGURE_OR_IMAGE.sub(mark, markup)


_TABLE_PART = re.compile(r"<(/?)(table|thead|tbody|tfoot)\b[^>]*>|<tr(\s[^>]*)?>", re.I)


def with_row_classes(page: str) -> str:
    """Every table row marked as the HTML Quarto writes marks it (its pandoc writes a Markdown table's rows, and
    a DataFrame's it has parsed, so): ``header`` for a table's first head row, ``odd`` and ``even`` in turn in
    each body, counted from its first row; authors' rules such as ``tr.odd`` address them. A row with classes of
    its own keeps them."""
    return _outside_scripts(page, _row_classes)


def _row_classes(markup: str) -> str:
    sections: list[list] = []  # per open table: the part the rows are in, and how many rows it has had

    def mark(found: re.Match[str]) -> str:
        if found[2]:
            tag, closing = found[2].lower(), bool(found[1])
            if tag == "table":
                if not closing:
                    sections.append(["tbody", 0])
                elif sections:
                    sections.pop()
            elif sections:
                sections[-1] = ["tbody" if closing else tag, 0]
            return found[0]
        if not sections:
            return found[0]
        part = sections[-1]
        part[1] += 1
        attributes = found[3] or ""
        if _CLASS_ATTRIBUTE.search(attributes):
            return found[0]
        # pandoc's count: a head's first row is its header, those after it even, odd ...; a body's odd, even ...
        number = part[1] - 1 if part[0] == "thead" else part[1] + 1
        name = "header" if number == 0 else ("even" if number % 2 else "odd")
        return f'<tr class="{name}"{attributes}>'
    return _TABLE_PART.sub(mark, markup)


def with_class(attributes: str, name: str) -> str:
    """A tag's ``attributes`` (the text between its name and ``>``) with ``name`` among its classes."""
    closing = "/" if attributes.rstrip().endswith("/") else ""
    attributes = attributes.rstrip().removesuffix("/").rstrip() if closing else attributes
    classes = _CLASS_ATTRIBUTE.search(attributes)
    if classes is None:
        marked = f' class="{name}"{attributes}'
    elif name in classes[1].split():
        marked = attributes
    else:
        marked = attributes.replace(classes[0], f' class="{classes[1]} {name}"', 1)
    return marked + (" /" if closing else "")


def with_bootstrap_utilities(page: str) -> str:
    """A page without a theme with the rules of the Bootstrap utility classes it names (``{.border}``,
    ``.text-center`` ...), in its head: on Quarto's pages, which always have Bootstrap, they apply."""
    classes = {name for names in _CLASS_ATTRIBUTE.findall(page) for name in names.split()}
    css = bootstrap_utilities(classes)
    return page.replace("</head>", f"<style>{css}</style>\n</head>", 1) if css else page


def with_bootstrap_icons(page: str) -> str:
    """A page's Bootstrap icon classes (``<i class="bi bi-linkedin"></i>`` in an author's HTML) drawn, as
    Quarto's pages draw them with Bootstrap Icons' font: each named icon's shape, from the npm release, as a
    mask in the text's colour before the element, 1em square. An element holding its own SVG (the renderer's
    navbar, about links ...) keeps that; a name that is no icon draws nothing."""
    names = sorted({found[1] for classes in _CLASS_ATTRIBUTE.findall(page) for name in classes.split()
                    if (found := _ICON_CLASS.fullmatch(name))})
    rules = []
    for name in names:
        path = icons_folder() / f"{name}.svg"
        if path.is_file():
            # (not the sidebar's section toggle, whose chevron site.css draws on the toggle itself)
            rules.append(f'.bi-{name}:not(:has(svg)):not(.sidebar-item-toggle *)::before {{ content: ""; '
                         "display: inline-block; width: 1em; height: 1em; vertical-align: -0.125em; "
                         f"background-color: currentColor; {svg_mask(path.read_text(encoding='utf-8'))} }}")
    return page.replace("</head>", f"<style>{''.join(rules)}</style>\n</head>", 1) if rules else page
