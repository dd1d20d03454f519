"""A website or an HTML book from its rendered pages: navbar, sidebar, page navigation, footer, search.

Each page is rendered on its own (and frozen) first; this stage then writes the output folder from
those staged pages, so that changing the navigation never re-executes or re-renders a page:

- the navbar (``website: navbar: left/right``) and sidebar (``sidebar: contents``, with ``auto``,
  sections, and one sidebar named inside another), each entry a link to the rendered page with the
  page's title as its text; a book's sidebar is its chapters, with parts as sections;
- previous/next links (``page-navigation``; always in a book), ``page-footer``, ``favicon``,
  ``site-url`` (canonical links and ``sitemap.xml``);
- links written to ``page.qmd`` (or ``.ipynb``/``.md``) become ``page.html``;
- ``listing:`` pages get the list of the pages they name, with title, date and description;
- in a book, references to another chapter's figures, tables and sections become links to it;
- ``search.json`` (Quarto's name) and ``search-index.js`` (the same entries as a script, so the
  search box also works from ``file://``, where pages cannot fetch files).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

from qmdrender.books import NUMBER_SEPARATOR, Chapter, book_chapters, chapter_title, front_and_markdown
from qmdrender.brand import NAVBAR_LOGO, SIDEBAR_LOGO, brand_logo
from qmdrender.escape import plain_text
from qmdrender.formats.color_scheme import take_toggle
from qmdrender.formats.margin_content import in_margin_sidebar
from qmdrender.formats.page_main import CONTENT_OPENING, EMPTY_MARGIN, with_body
from qmdrender.formats.writing import ASSETS
from qmdrender.language import document_words
from qmdrender.listings import listing_html, path_matches
from qmdrender.pandoc import auto_identifier, markdown_to_html
from qmdrender.projects import Project, config_name, copy_if_changed, write_if_changed
from qmdrender.shortcodes import SHORTCODE, expand_in_values, extension_shortcode_names, shortcode_expander
from qmdrender.site_aliases import write_aliases, write_index_redirect
from qmdrender.site_drafts import (
    BLANK_PAGE,
    draft_mode,
    is_draft,
    listed_drafts,
    with_draft_banner,
    without_links_to,
)
from qmdrender.site_shortcodes import ChromeShortcodes, run_chrome_shortcodes
from qmdrender.site_title import MAIN_TAG, with_title_block
from qmdrender.site_tools import (
    ADDRESS,
    announcement_html,
    back_to_top_html,
    colour_variables,
    css_colour,
    head_meta_html,
    icon_svg,
    inline_markdown,
    nav_href,
    reader_toggle_html,
    root_link,
    sidebar_tools,
    tools_html,
)
from qmdrender.types import RenderError, warn


@dataclass
class Page:
    """One rendered page of the site."""

    source: Path  # the input (absolute)
    href: str  # its page, relative to the output root ("notes/intro.html")
    title: str
    front: dict[str, Any] = field(default_factory=dict)

    def link_from(self, other: Page | str) -> str:
        """This page's address relative to ``other`` (a page, or an href relative to the root)."""
        base = PurePosixPath(other.href if isinstance(other, Page) else other).parent
        return os.path.relpath(self.href, base.as_posix() or ".").replace(os.sep, "/")


def make_pages(project: Project, chapters: Sequence[Chapter] = ()) -> list[Page]:
    labels = {c.path: c.label for c in chapters}
    pages = []
    for source in project.inputs:
        front, _ = front_and_markdown(source)
        title = labels.get(source) or chapter_title(source)[0]
        if "{{<" in title:  # a title with shortcodes, as the page itself shows it (an extension's: left out here)
            expand = shortcode_expander({**project.config, **front}, project.root, drop_others=True)
            title = expand(title).replace("{{\\<", "{{<").strip()
        pages.append(Page(source, project.relative(source).with_suffix(".html").as_posix(), title, front))
    return pages


# ---- navigation model --------------------------------------------------------------------------------

@dataclass
class Item:
    text: str
    href: str = ""  # relative to the output root, or a URL; "" for a section heading without a page
    children: list[Item] = field(default_factory=list)
    section: bool = False
    icon: str = ""  # a Bootstrap icon before the text (site_tools.py)
    icon_only: bool = False  # the entry gave an icon and no text: the text is its label, not shown
    number: str = ""  # a book chapter's number, which starts its text ("2\u00a0 Results")
    divider: bool = False  # "---": a rule between entries (a sidebar's, a navbar menu's)
    target: str = ""  # where the link opens (target: _blank), as the entry says
    rel: str = ""  # the link's relation (rel: external, noopener)


_DIVIDER = re.compile(r"-+")  # an entry whose text is dashes only, as Quarto's templates tell a divider
_LINK_OR_GROUP = {"href", "file", "url", "section", "contents", "menu", "auto", "sidebar"}  # what a divider has none of


class Navigation:
    """Resolves the entries of ``navbar:`` and ``sidebar:`` against the site's pages."""

    def __init__(self, project: Project, pages: Sequence[Page], hidden: set[str] | None = None) -> None:
        self.project = project
        self.pages = pages
        self.by_source = {p.source: p for p in pages}
        self.hidden = hidden or set()  # the drafts nothing links to (site_drafts.py)

    def page_for(self, name: str) -> Page | None:
        path = (self.project.root / name.lstrip("/")).resolve()
        if name.endswith("/") or path.is_dir():  # a folder ("docs/get-started/"): its index page, as Quarto links it
            return self.page_for(name.rstrip("/") + "/index.html") if name.strip("/") else self.page_for("index.html")
        return self.by_source.get(path) or next((p for p in self.pages if p.href == name.lstrip("/")), None)

    def item(self, entry: Any, where: str, sidebars: Mapping[str, Any], trail: tuple[str, ...] = ()) -> list[Item]:
        text = entry if isinstance(entry, str) else str(entry.get("text") or "") if isinstance(entry, Mapping) else ""
        if _DIVIDER.fullmatch(text.strip()) and not (isinstance(entry, Mapping) and entry.keys() & _LINK_OR_GROUP):
            return [Item("", divider=True)]
        if isinstance(entry, str):
            if entry == "auto":
                return self.auto("*")
            if any(c in entry for c in "*?["):  # a glob: its pages, in reading order
                return [Item(p.title, p.href) for p in self.matching([entry])]
            if entry in sidebars and entry not in trail:
                return self.items(sidebars[entry].get("contents"), where, sidebars, (*trail, entry))
            if entry in sidebars:
                raise RenderError(f"_quarto.yml: {where}: sidebar {' -> '.join((*trail, entry))} is circular; a "
                                  "sidebar cannot contain itself.")
            return [self.link({"href": entry}, where)]
        if not isinstance(entry, Mapping):
            raise RenderError(f"_quarto.yml: {where}: {entry!r} is not a page, a link or a section.")
        if "auto" in entry:
            return self.auto(entry["auto"])
        if "section" in entry or "contents" in entry:
            heading = self.link({"href": entry["section"]}, where) if str(entry.get("section", "")).endswith(
                (".qmd", ".ipynb", ".md")) else \
                self.link({**entry, "text": entry.get("section") or entry.get("text")}, where) if nav_href(entry) else \
                Item(str(entry.get("section") or entry.get("text") or ""))
            heading.section = True
            heading.children = self.items(entry.get("contents"), where, sidebars, trail)
            return [heading]
        if "menu" in entry:
            return [Item(str(entry.get("text", "")), "", self.items(entry["menu"], where, sidebars, trail), True)]
        if "sidebar" in entry:  # a sidebar named by id
            return self.item(str(entry["sidebar"]), where, sidebars, trail)
        return [self.link(entry, where)]

    def items(self, entries: Any, where: str, sidebars: Mapping[str, Any], trail: tuple[str, ...] = ()) -> list[Item]:
        if entries in (None, ""):
            return []
        if not isinstance(entries, list):
            entries = [entries]
        return self._shown([item for entry in entries for item in self.item(entry, where, sidebars, trail)])

    def _shown(self, items: list[Item]) -> list[Item]:
        """``items`` without the entries (and their sections' contents) of drafts nothing links to."""
        shown = [item for item in items if item.href.split("#")[0] not in self.hidden]
        for item in shown:
            item.children = self._shown(item.children)
        return shown

    def link(self, entry: Mapping[str, Any], where: str) -> Item:
        item = self._link(entry, where)
        item.target, item.rel = str(entry.get("target") or ""), str(entry.get("rel") or "")
        if entry.get("icon"):
            item.icon, item.icon_only = str(entry["icon"]), not entry.get("text")
        return item

    def _link(self, entry: Mapping[str, Any], where: str) -> Item:
        href = nav_href(entry)
        text = entry.get("text") or entry.get("aria-label") or str(entry.get("icon") or "").title() or None
        if ADDRESS.match(href) or href.startswith("#") or not href:
            return Item(str(text or href), href)
        target, _, anchor = href.partition("#")
        page = self.page_for(target)
        if page is None:
            outside = not (self.project.root / target.lstrip("/")).resolve().is_relative_to(self.project.root.resolve())
            if outside:  # another site beside this one (a second language's output): the link as written
                return Item(str(text or href), href)
            if (self.project.root / target.lstrip("/")).is_file():  # a file the site copies (a PDF, data)
                return Item(str(text or Path(target).name), target.lstrip("/") + (f"#{anchor}" if anchor else ""))
            # Quarto renders the site and writes the link as given, which leads nowhere: so does this, and says so
            warn(f"_quarto.yml: {where} links to {href}, which is not a page of this project; the link is written "
                 "as given and leads nowhere until the name is fixed or the file added.")
            return Item(str(text or href), target.lstrip("/") + (f"#{anchor}" if anchor else ""))
        return Item(str(text or page.title), page.href + (f"#{anchor}" if anchor else ""))

    def matching(self, patterns: Sequence[str], *, everything: bool = False) -> list[Page]:
        """The pages whose source matches one of the globs (relative to the project root)."""
        def matches(page: Page) -> bool:
            relative = self.project.relative(page.source).as_posix()
            return any((everything and pattern in ("*", "**", "/")) or path_matches(relative, pattern.lstrip("/"))
                       for pattern in patterns)
        return [page for page in self.pages if matches(page)]

    def auto(self, pattern: Any) -> list[Item]:
        """``auto``: the pages matching the glob(s) in reading order, a section per folder."""
        patterns = [str(p) for p in (pattern if isinstance(pattern, list) else [pattern])]
        chosen = self.matching(patterns, everything=True)
        root: list[Item] = []
        sections: dict[str, Item] = {}
        for page in chosen:
            parts = PurePosixPath(page.href).parts[:-1]
            target = root
            for depth in range(len(parts)):
                key = "/".join(parts[: depth + 1])
                if key not in sections:
                    index = self.page_for(f"{key}/index.html")
                    sections[key] = Item(index.title if index else parts[depth].replace("-", " ").title(),
                                         index.href if index else "", [], True)
                    target.append(sections[key])
                target = sections[key].children
            if not any(s.href == page.href for s in sections.values()):
                target.append(Item(page.title, page.href))
        return root


def flatten(items: Sequence[Item]) -> list[Item]:
    return [leaf for item in items for leaf in ([item] if item.href and not item.section else [])
            + ([item] if item.section and item.href else []) + flatten(item.children)]


# ---- HTML --------------------------------------------------------------------------------------------

def _href(page: Page, href: str) -> str:
    """A link of the site's configuration as the page links it: an address or ``#anchor`` as written, a
    path of the site relative to the page."""
    return href if ADDRESS.match(href) or href.startswith("#") else root_link(page, href)


def _entry_text(item: Item) -> tuple[str, str]:
    """An entry's text as HTML, a book chapter's in Quarto's ``chapter-number`` and ``chapter-title`` spans, and
    its title without the number."""
    numbered = f"{item.number}{NUMBER_SEPARATOR}"
    if not (item.number and item.text.startswith(numbered)):
        return inline_markdown(item.text), item.text
    title = item.text[len(numbered):]
    return (f'<span class="chapter-number">{html.escape(item.number)}</span>&nbsp; '
            f'<span class="chapter-title">{inline_markdown(title)}</span>'), title


def _link(item: Item, page: Page, css: str = "", *, text_class: str = "") -> str:
    """A link to an entry's page, marked active on that page; its text in a span of ``text_class`` if given. An
    entry without a page (``- text: '<a href=...>...</a>'``, its own HTML) is its text alone."""
    if not item.href:
        text = _entry_text(item)[0]
        if text_class:
            text = f'<span class="{text_class}">{text}</span>'
        return f'<span class="{css}">{text}</span>'
    href = _href(page, item.href)
    active = " active" if item.href.split("#")[0] == page.href else ""
    current = ' aria-current="page"' if active else ""
    icon = icon_svg(item.icon) if item.icon else ""
    text = "" if icon and item.icon_only else _entry_text(item)[0]
    if text and text_class:
        text = f'<span class="{text_class}">{text}</span>'
    label = html.escape(item.text)
    label = f' aria-label="{label}" title="{label}"' if icon and item.icon_only else ""
    opens = "".join(f' {name}="{html.escape(value)}"' for name, value in (("target", item.target), ("rel", item.rel))
                    if value)
    return f'<a class="{css}{active}" href="{html.escape(href)}"{opens}{current}{label}>{icon}{text}</a>'


def breadcrumbs_html(items: Sequence[Item], page: Page) -> str:
    """Where ``page`` sits in the sidebar's sections, as Quarto shows it above a page's title ("Appendices ›
    C Data"), as a list for :func:`breadcrumbs_nav`: ``""`` for a page outside any section. A section links
    to its own page, else its first one."""
    def path_to(entries: Sequence[Item]) -> list[Item] | None:
        for item in entries:
            if item.section:
                below = path_to(item.children)
                if below is not None:
                    return [item, *below]
            elif item.href.split("#")[0] == page.href:
                return [item]
        return None

    found = path_to(items)
    if not found or len(found) < 2:
        return ""
    crumbs = []
    for item in found:
        target = item.href or next((i.href for i in flatten(item.children) if i.href), "")
        text = inline_markdown(item.text)
        crumbs.append(f'<li class="breadcrumb-item"><a href="{html.escape(_href(page, target))}">{text}</a></li>'
                      if target else f'<li class="breadcrumb-item">{text}</li>')
    return f'<ol class="breadcrumb">{"".join(crumbs)}</ol>'


def breadcrumbs_nav(crumbs: str, place: str) -> str:
    """The breadcrumbs' list (:func:`breadcrumbs_html`) in Quarto's nav, above the title (``place``: "title") or
    in the bar that stands for the sidebar below 992px ("secondary"); ``""`` without breadcrumbs."""
    return (f'<nav class="quarto-page-breadcrumbs quarto-{place}-breadcrumbs" aria-label="breadcrumb">{crumbs}</nav>'
            if crumbs else "")


def navbar_html(options: Mapping[str, Any], navigation: Navigation, page: Page, title: str,
                search: SearchPlacement | None, sidebars: Mapping[str, Any], toggle: str = "") -> str:
    """The site's navbar in Quarto's markup (``nav.navbar > .navbar-container``, the brand in
    ``.navbar-brand-container``, the entries as ``ul.navbar-nav > li.nav-item > a.nav-link > span.menu-text``),
    so that a site's own stylesheet for those classes reaches it; site.css lays it out. ``toggle``: the page's
    light/dark toggle, among the tools."""
    navbar = options.get("navbar")
    if not navbar:
        return ""
    navbar = navbar if isinstance(navbar, Mapping) else {}
    lists = []
    for side, margin in (("left", "me-auto"), ("right", "ms-auto")):
        entries = "".join(_navbar_entry(item, page)
                          for item in navigation.items(navbar.get(side), f"website: navbar: {side}", sidebars))
        lists.append(f'<ul class="navbar-nav navbar-{side} {margin}">{entries}</ul>' if entries else "")
    # tools, the light/dark toggle and the reader-mode switch, after the right-hand entries
    tools = tools_html(navbar.get("tools"), lambda href: _href(page, href),
                       extra=toggle + reader_toggle_html(options.get("reader-mode")))
    brand_title = navbar.get("title", title)
    brand = "" if brand_title is False else inline_markdown(str(brand_title))  # title: false shows none
    logo = navbar.get("logo")
    alt = html.escape(str(navbar.get("logo-alt") or ""))
    logo_html = f'<img class="navbar-logo" src="{html.escape(root_link(page, str(logo)))}" alt="{alt}">' if logo \
        else ""
    home = root_link(page, "index.html")
    box = search_box(folded=not search.textbox, where="navbar") \
        if search and search.location == "navbar" and navbar.get("search", True) is not False else ""
    if logo_html and navbar.get("logo-href"):  # the logo links elsewhere (logo-href); the title stays home
        brand_html = (f'{logo_link(page, logo_html, navbar["logo-href"])}'
                      f'<a class="navbar-brand" href="{home}"><span class="navbar-title">{brand}</span></a>')
    else:
        brand_html = f'<a class="navbar-brand" href="{home}">{logo_html}<span class="navbar-title">{brand}</span></a>'
    # below 992px (navbar-expand-lg) the entries fold away behind a menu button, as Quarto's navbar does (site.js)
    toggler = (f'<button class="navbar-toggler" type="button" aria-controls="navbarCollapse" aria-expanded="false" '
               f'aria-label="Toggle navigation">{icon_svg("list") or "&#9776;"}</button>') if any(lists) else ""
    return (f'<header class="site-navbar" id="quarto-header"><nav class="navbar navbar-expand-lg">'
            f'<div class="navbar-container container-fluid">{toggler}<div class="navbar-brand-container">'
            f'{brand_html}</div><div class="navbar-collapse" id="navbarCollapse">{"".join(lists)}</div>'
            f'{tools}{box}</div></nav></header>')


def secondary_nav_html(page: Page, crumbs: str, breadcrumbs: bool = True, pinned: bool = False) -> str:
    """Below 992px, the bar that stands for a page's sidebar, as Quarto's: a button that shows or hides the
    sidebar (site.js), then where the page is (its breadcrumbs' list, :func:`breadcrumbs_html`; for a page outside
    any section the page alone, as Quarto's one crumb; with ``bread-crumbs: false`` its title); ``pinned`` (the
    sidebar's option): it stays at the top of the window as the page scrolls."""
    if not crumbs and breadcrumbs:
        crumbs = (f'<ol class="breadcrumb"><li class="breadcrumb-item"><a href="{html.escape(_href(page, page.href))}">'
                  f'{inline_markdown(page.title)}</a></li></ol>')
    where = breadcrumbs_nav(crumbs, "secondary") or \
        f'<span class="quarto-secondary-title">{inline_markdown(page.title)}</span>'
    return (f'<nav class="quarto-secondary-nav{" pinned" if pinned else ""}"><button class="quarto-btn-toggle" '
            'type="button" aria-controls="quarto-sidebar" aria-expanded="false" '
            'aria-label="Toggle sidebar navigation">'
            f'{icon_svg("layout-text-sidebar-reverse") or "&#9776;"}</button>{where}</nav>')


def _navbar_entry(item: Item, page: Page) -> str:
    """One navbar entry: a link, or a menu (a ``<details>``, which opens without a script)."""
    if not item.children:  # an icon alone is Quarto's "compact" entry, its icon larger
        compact = " compact" if item.icon and item.icon_only else ""
        return f'<li class="nav-item{compact}">{_link(item, page, "nav-link", text_class="menu-text")}</li>'
    def entry(child: Item) -> str:  # a link; a rule ("---"); a heading (text without a link), as Quarto's menus
        if child.divider:
            return '<li><hr class="dropdown-divider"></li>'
        if not child.href and not child.children:
            return f'<li class="dropdown-header">{inline_markdown(child.text)}</li>'
        return f"<li>{_link(child, page, 'dropdown-item', text_class='dropdown-text')}</li>"
    inner = "".join(entry(child) for child in item.children)
    return (f'<li class="nav-item navbar-menu-item"><details class="navbar-menu"><summary class="nav-link">'
            f'<span class="menu-text">{inline_markdown(item.text)}</span></summary><ul>{inner}</ul></details></li>')


def logo_link(page: Page, logo_html: str, href: Any, css: str = "logo-link") -> str:
    """A logo linking to ``logo-href`` (an address, or a page of the site)."""
    target = str(href)
    if not ADDRESS.match(target):
        target = root_link(page, re.sub(r"\.(qmd|ipynb|md)$", ".html", target.lstrip("/")))
    return f'<a class="{css}" href="{html.escape(target)}">{logo_html}</a>'


@dataclass(frozen=True)
class SearchPlacement:
    """Where a site's search field goes and how it shows, as Quarto decides them from ``search:``: its
    ``location`` (the navbar when the site has one, else the sidebar) and ``type`` (``overlay``, a navbar's
    default: a magnifier button that opens the field; ``textbox``, a sidebar's: the field itself)."""

    location: str
    textbox: bool

    @classmethod
    def of(cls, options: Mapping[str, Any], has_navbar: bool) -> SearchPlacement | None:
        """The placement for the site's ``website:`` options; None where ``search: false``."""
        config = options.get("search", True)
        if config is False:
            return None
        config = config if isinstance(config, Mapping) else {}
        location = str(config.get("location") or ("navbar" if has_navbar else "sidebar"))
        location = "sidebar" if location == "sidebar" else "navbar"
        kind = config.get("type")
        # Quarto reads any type but overlay as textbox, and no type by the location
        textbox = kind != "overlay" if isinstance(kind, str) else location == "sidebar"
        return cls(location, textbox)


def search_box(*, folded: bool = False, where: str = "sidebar") -> str:
    """The site's search field in the navbar or the sidebar (``where``); ``folded`` (a navbar's overlay): behind
    a magnifier button, as Quarto's navbar shows it, which opens the field (site.js; as do the keys f, s and /).
    Unfolded, the field shows Quarto's textbox: a magnifier at its left and no placeholder text. The box carries
    the names of Quarto's search markup (``#quarto-search.type-overlay``, ``.aa-Autocomplete``,
    ``svg.aa-SubmitIcon``), so that an author's rules for Quarto's search reach it."""
    magnifier = (icon_svg("search") or "&#128269;").replace('class="bi bi-search"',
                                                           'class="bi bi-search aa-SubmitIcon"')
    button = (f'<button class="site-search-toggle" type="button" aria-label="Search" title="Search" '
              f'aria-expanded="false">{magnifier}</button>') if folded else \
        f'<span class="site-search-icon" aria-hidden="true">{magnifier}</span>'
    kind = "navbar-search" if folded else "navbar-textbox" if where == "navbar" else "sidebar-search"
    return (f'<div id="quarto-search" class="site-search {kind} type-{"overlay" if folded else "textbox"}">'
            f'<div class="aa-Autocomplete">{button}<input type="search" id="site-search-input" '
            f'placeholder="{"Search" if folded else ""}" aria-label="Search" autocomplete="off"></div>'
            '<div id="site-search-results" class="site-search-results" hidden></div></div>')


def sidebar_html(items: Sequence[Item], page: Page, heading: str, search: bool, logo: str = "",
                 tools: str = "", collapse_level: int = 2, style: str = "floating", align: str = "left",
                 border: bool | None = None) -> str:
    """The sidebar's tree. A section as deep as ``collapse-level`` or deeper starts collapsed unless it holds
    this page, as in Quarto (its toggle opens it: site.js). ``style``: ``floating`` (Quarto's default: beside
    the text) or ``docked`` (at the window's edge, ruled off); ``border`` (the sidebar's ``border``) rules it
    off, or not, whatever its style."""
    def holds_page(item: Item) -> bool:
        return any(i.href.split("#")[0] == page.href for i in [item, *flatten(item.children)] if i.href)

    sections = iter(range(1, 10_000))  # Quarto's ids for the sections' lists, in the order they come

    def tree(entries: Sequence[Item], depth: int) -> str:
        # Quarto's markup (its classes, which authors' stylesheets and scripts address): each entry a
        # sidebar-item holding a sidebar-item-container; a section's title a sidebar-link (a link to nowhere when
        # the section has no page), its toggle a sidebar-item-toggle, its entries the list
        # #quarto-sidebar-section-N of its depth ("collapse ... show" while open)
        rows = []
        for item in entries:
            if item.section:
                collapsed = depth >= collapse_level and not holds_page(item)
                expanded = "false" if collapsed else "true"
                number = next(sections)
                label = _link(item, page, "sidebar-item-text sidebar-link sidebar-section-link",
                              text_class="menu-text") if item.href else \
                    (f'<a class="sidebar-item-text sidebar-link text-start sidebar-section-title" role="navigation" '
                     f'tabindex="0" aria-expanded="{expanded}">'
                     f'<span class="menu-text">{inline_markdown(item.text)}</span></a>')
                toggle = ('<a class="sidebar-item-toggle text-start sidebar-section-toggle" role="button" '
                          f'tabindex="0" aria-expanded="{expanded}" aria-label="Toggle section">'
                          '<i class="bi bi-chevron-right ms-2"></i></a>')
                rows.append(f'<li class="sidebar-item sidebar-item-section{" collapsed" if collapsed else ""}">'
                            f'<div class="sidebar-item-container">{label}{toggle}</div>'
                            f'<ul id="quarto-sidebar-section-{number}" class="collapse list-unstyled sidebar-section '
                            f'depth{depth}{"" if collapsed else " show"}">{tree(item.children, depth + 1)}</ul></li>')
            elif item.divider:
                rows.append('<li class="px-0"><hr class="sidebar-divider"></li>')
            else:
                rows.append(f'<li class="sidebar-item"><div class="sidebar-item-container">'
                            f'{_link(item, page, "sidebar-item-text sidebar-link", text_class="menu-text")}</div></li>')
        return "".join(rows)

    home = html.escape(root_link(page, "index.html"))  # the title leads home, as Quarto's does
    title = f'<div class="sidebar-title mb-0 py-0"><a href="{home}">{html.escape(heading)}</a></div>' if heading else ""
    # Quarto's header (its classes, which authors' rules address): the logo, then the title with the tools beside it
    stacked = " sidebar-header-stacked" if logo else ""
    header = f'<div class="pt-lg-2 mt-2 text-left sidebar-header{stacked}">{logo}{title}{tools}</div>' \
        if logo or title or tools else ""
    box = search_box() if search else ""
    placed = "docked" if style == "docked" else "floating"
    if align in ("center", "right"):  # the logo, title and tools, as Quarto aligns the sidebar's header
        placed += f" sidebar-align-{align}"
    if border is not None:
        placed += " sidebar-border" if border else " sidebar-borderless"
    return (f'<nav class="site-sidebar sidebar sidebar-navigation {placed}" id="quarto-sidebar">{header}{box}'
            f'<div class="sidebar-menu-container"><ul class="list-unstyled">{tree(items, 1)}</ul></div></nav>')


def page_navigation_html(order: Sequence[Item], page: Page) -> str:
    """The previous and next pages in Quarto's markup, which authors' rules address: ``nav.page-navigation``
    holding ``div.nav-page.nav-page-previous`` and ``div.nav-page.nav-page-next``, each an
    ``a.pagination-link`` (``page-nav-prev``/``-next`` too) with its arrow and ``span.nav-page-text`` (a
    chapter's number and title in Quarto's spans); ``""`` for a page outside the order."""
    hrefs = [item.href.split("#")[0] for item in order]
    if page.href not in hrefs:
        return ""
    index = hrefs.index(page.href)
    parts = []
    for step, side, rel, arrow in ((-1, "previous", "prev", "\u2190"), (1, "next", "next", "\u2192")):
        if not 0 <= index + step < len(order):
            continue
        item = order[index + step]
        text, title = _entry_text(item)
        # Quarto's Bootstrap arrow (bi-arrow-left-short), the character where the icons are not installed
        icon = icon_svg(f"arrow-{'left' if step < 0 else 'right'}-short") or arrow
        arrow_html = f'<i class="bi nav-page-arrow" aria-hidden="true">{icon}</i>'
        inner = f'<span class="nav-page-text">{text}</span>'
        inner = arrow_html + inner if step < 0 else inner + arrow_html
        parts.append(f'<div class="nav-page nav-page-{side}"><a class="pagination-link page-nav-{rel}" rel="{rel}" '
                     f'href="{html.escape(root_link(page, item.href))}" aria-label="{html.escape(title)}">'
                     f'{inner}</a></div>')
    return f'<nav class="page-navigation">{"".join(parts)}</nav>' if parts else ""


_REPO_ACTIONS = {"edit": ("repo-action-links-edit", "edit"), "source": ("repo-action-links-source", "blob"),
                 "issue": ("repo-action-links-issue", "")}


def repo_actions_html(options: Mapping[str, Any], page: Page, root: Path, words: Mapping[str, str]) -> str:
    """``repo-url`` with ``repo-actions`` (edit, source, issue): Quarto's links to the page's source in its
    repository ("Edit this page", "View source", "Report an issue"), under the table of contents; ``""``
    when there are none. ``repo-branch`` (main) and ``repo-subdir`` place the file in the repository;
    ``issue-url`` replaces the repository's own issue page."""
    url = str(options.get("repo-url") or "").rstrip("/")
    actions = options.get("repo-actions") or []
    actions = [str(a) for a in ([actions] if isinstance(actions, str) else actions) if str(a) in _REPO_ACTIONS]
    if not url or not actions:
        return ""
    links = []
    for action in actions:
        word, kind = _REPO_ACTIONS[action]
        issues = str(options.get("issue-url") or f"{url}/issues/new")  # issue-url: where issues are reported
        href = issues if action == "issue" else repo_file_url(options, page, root, kind)
        # the first link takes the host's icon (GitHub's), as Quarto marks it
        icon = icon_svg("github") if not links and "github.com" in url else ""
        links.append(f'<li><a href="{html.escape(href)}" class="toc-action">{icon}{html.escape(words[word])}</a></li>')
    return f'<div class="toc-actions"><ul>{"".join(links)}</ul></div>'


def repo_file_url(options: Mapping[str, Any], page: Page, root: Path, kind: str = "blob") -> str:
    """The page's source file in the site's repository (``repo-url``, ``repo-branch``: main, ``repo-subdir``),
    to view (``blob``) or edit; ``""`` without a ``repo-url``."""
    url = str(options.get("repo-url") or "").rstrip("/")
    if not url:
        return ""
    subdir = str(options.get("repo-subdir") or "").strip("/")
    path = "/".join(part for part in (subdir, page.source.relative_to(root).as_posix()) if part)
    branch = str(options.get("repo-branch") or "main")
    return f"{url}/{kind}/{branch}/{path}"


_CODE_SOURCE_REPO = '"source": "repo"'


def with_code_source(text: str, options: Mapping[str, Any], page: Page, root: Path) -> str:
    """A page whose ``code-tools`` show its source from the repository (``source: repo``): the menu goes to the
    page's file there, as Quarto's site links it; without a ``repo-url`` it shows the page's own copy."""
    if _CODE_SOURCE_REPO not in text:
        return text
    url = repo_file_url(options, page, root)
    if not url:
        warn(f"{page.source}: code-tools: source: repo needs the site's repo-url; the page shows its own source.")
    return text.replace(_CODE_SOURCE_REPO, '"source": ' + (json.dumps(url).replace("</", "<\\/") if url else "true"), 1)


_MARGIN_CONTENT = re.compile(r'class="[^"]*\b(?:column-margin|margin-note|margin-caption)\b')
# what Quarto counts as the margin's content when it narrows the text beside a sidebar ("slimcontent"): margin
# notes, margin captions and margin references, not an aside
_SLIM_MARGIN_CONTENT = re.compile(r'class="[^"]*\b(?:column-margin|margin-caption|margin-footnote|margin-citation)\b')


def with_footer_centre(footer: str, content: str) -> str:
    """The site's footer with ``content`` first in its middle (a footer of its own when the site has none)."""
    if not footer:
        footer = footer_html({"center": ""})
    marker = '<div class="nav-footer-center">'
    return footer.replace(marker, marker + content, 1)


def _footer_parts(footer: Any) -> Mapping[str, Any]:
    return footer if isinstance(footer, Mapping) else {"center": footer} if footer else {}


def footer_html(footer: Any, docked: bool = False) -> str:
    """``page-footer``: its left, center and right (text or links) in Quarto's ``footer.footer >
    div.nav-footer > div.nav-footer-left`` ...; its ``background`` and ``foreground`` are :func:`chrome_colours`'.
    A line above it where ``border`` asks (``true`` or a colour) or, unless it says ``false``, beside a
    ``docked`` sidebar, as Quarto draws it."""
    if not footer:
        return ""
    parts = _footer_parts(footer)
    border = parts.get("border")
    bordered = border is not False and (border is not None or docked)
    border_colour = css_colour(border) if isinstance(border, str) else None
    if isinstance(border, str) and border_colour is None:
        warn(f"page-footer: border: {border!r} is not a colour (a name such as primary or light, or #rrggbb); "
             "the line takes the page's rule colour.")
    cells = []
    for side in ("left", "center", "right"):
        value = parts.get(side)
        if isinstance(value, list):  # links (an icon, text, href), in Quarto's list of nav items
            items = "".join(_footer_link(v) if isinstance(v, Mapping) else f'<li class="nav-item">'
                            f"{markdown_to_html(str(v))}</li>" for v in value)
            text = f'<ul class="footer-items list-unstyled">{items}</ul>'
        else:
            # in its paragraph, as Quarto writes a text (authors' rules address ".nav-footer-left p")
            text = markdown_to_html(str(value), paragraphs=True) if value else ""
        cells.append(f'<div class="nav-footer-{side}">{text}</div>')
    # Quarto's markup, which authors' rules address (.nav-footer, .nav-footer-left ...)
    classes = "footer site-footer" + (" bordered" if bordered else "")
    style = f' style="--footer-border-color: {html.escape(border_colour[0])}"' if border_colour else ""
    return f'<footer class="{classes}"{style}><div class="nav-footer">{"".join(cells)}</div></footer>'


def chrome_colours(options: Mapping[str, Any]) -> str:
    """The navbar's, sidebar's and footer's ``background``/``foreground`` as a ``<style>`` for the top of a
    page's head, under its theme: as in Quarto, where they are defaults of the theme's variables, a theme that
    sets ``$navbar-bg``, ``$sidebar-bg`` or ``$footer-bg`` itself (the dark half of a light/dark pair, say) wins
    (themes.py)."""
    navbar = options.get("navbar")
    sidebar = next((s for s in _sidebars(options) if s.get("background") or s.get("foreground")), {})
    footer = colour_variables(_footer_parts(options.get("page-footer")), "footer")
    variables = (colour_variables(navbar, "navbar") if isinstance(navbar, Mapping) else "") + \
        colour_variables(sidebar, "sidebar") + footer  # the sidebar's once per site, as the collapse level
    return f"<style>:root {{ {variables}}}</style>" if variables else ""


_FOOTER_LINK = re.compile(r'(<a class="nav-link" href=")([^"]*)"')


def footer_links_for(page: Page, footer: str) -> str:
    """The footer's links, written from the site's root, as ``page`` reaches them."""
    return _FOOTER_LINK.sub(lambda found: f'{found[1]}{html.escape(_href(page, html.unescape(found[2])))}"', footer)


def _footer_link(entry: Mapping[str, Any]) -> str:
    """One of a footer's entries as Quarto's nav item: ``li.nav-item`` (``compact`` for an icon alone) holding an
    ``a.nav-link``, or its text alone where it links nowhere (a name, a year)."""
    icon = icon_svg(str(entry.get("icon") or "")) if entry.get("icon") else ""
    text = str(entry.get("text") or entry.get("aria-label") or entry.get("icon") or nav_href(entry))
    shown = "" if icon and not entry.get("text") else html.escape(text)
    compact = " compact" if icon and not entry.get("text") else ""
    if not nav_href(entry):
        return f'<li class="nav-item{compact}">{icon}{shown}</li>'
    href = html.escape(nav_href(entry))
    extra = "".join(f' {name}="{html.escape(str(entry[name]))}"' for name in ("rel", "target") if entry.get(name))
    return (f'<li class="nav-item{compact}"><a class="nav-link" href="{href}"{extra} aria-label="{html.escape(text)}">'
            f"{icon}{shown}</a></li>")


# ---- search index --------------------------------------------------------------------------------------

_HEAVY = re.compile(r"<(script|style|svg)\b.*?</\1>|data:[^\"')\s]+", re.S | re.I)
_SKIPPED = {"nav", "header", "footer", "script", "style", "svg", "button", "dialog"}


class _PageText(HTMLParser):
    """The words of a page, cut at its ``h2``/``h3`` headings: ``[(section, anchor, text), ...]``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = [["", "", ""]]
        self.skipping = 0
        self.heading: str | None = None
        self.section_ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.skipping or tag in _SKIPPED:
            self.skipping += tag in _SKIPPED
            return
        if tag == "section":
            self.section_ids.append(attributes.get("id") or "")
        if tag in ("h2", "h3"):
            anchor = attributes.get("id") or (self.section_ids[-1] if self.section_ids else "")
            self.heading = tag
            self.sections.append(["", anchor or "", ""])

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag in _SKIPPED
            return
        if tag == self.heading:
            self.heading = None
        if tag == "section" and self.section_ids:
            self.section_ids.pop()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self.sections[-1][0 if self.heading else 2] += data + " "


def search_entries(page: Page, text: str) -> list[dict[str, str]]:
    """The page's title and text, a record per section (``h2``/``h3``), as Quarto's search.json."""
    parser = _PageText()
    parser.feed(_HEAVY.sub("", text))
    entries = []
    for number, (section, anchor, words) in enumerate(parser.sections):
        content = " ".join(words.split())
        if content or number == 0:
            href = page.href + (f"#{anchor}" if anchor else "")
            entries.append({"objectID": href, "href": href, "title": page.title, "section": " ".join(section.split()),
                            "text": content[:4000]})
    return entries


# ---- cross-references between chapters ------------------------------------------------------------

_XREF_INDEX = re.compile(r'<script type="application/json" class="quarto-xref-index">(.*?)</script>', re.S)
_PENDING = re.compile(r'<a class="quarto-xref quarto-xref-pending" data-xref="([^"]+)" data-mode="(\w+)" '
                      r'data-capital="(\d)">\?@[^<]*</a>')


def xref_index(pages: Sequence[Page], texts: Mapping[str, str]) -> dict[str, tuple[Page, dict[str, Any]]]:
    found: dict[str, tuple[Page, dict[str, Any]]] = {}
    for page in pages:
        for block in _XREF_INDEX.findall(texts[page.href]):
            for label, entry in json.loads(block.replace("<\\/", "</")).items():
                found[label] = (page, entry)  # a label two chapters define: the later one's, as in Quarto
    return found


def resolve_xrefs(page: Page, text: str, index: Mapping[str, tuple[Page, dict[str, Any]]]) -> str:
    def replace(match: re.Match[str]) -> str:
        label, mode, capital = match.groups()
        if label not in index:
            warn(f"{page.source}: unresolved cross-reference @{label} (no chapter of the book has it)")
            return f'<span class="quarto-unresolved-ref">?{html.escape(label)}</span>'  # as Quarto's books
        target, entry = index[label]
        word = str(entry.get("word", ""))
        if capital == "1":
            word = word[:1].upper() + word[1:]
        number = entry.get("number") or entry.get("text") or label
        shown = number if mode == "bare" or not word else f"{word}\u00a0{number}"
        href = ("" if target is page else target.link_from(page)) + f"#{entry.get('target', label)}"
        return f'<a class="quarto-xref" href="{html.escape(href)}">{html.escape(str(shown))}</a>'

    return _PENDING.sub(replace, text)


# ---- links between pages -------------------------------------------------------------------------------

_SOURCE_LINK = re.compile(r'(href=")([^"#?:]+?)\.(qmd|ipynb|md|Rmd)((?:[#?][^"]*)?")')


def rewrite_links(page: Page, text: str, sources: set[Path]) -> str:
    """``href="other.qmd"`` as ``href="other.html"`` where ``other.qmd`` is a page of the site."""
    def replace(match: re.Match[str]) -> str:
        target = (page.source.parent / f"{match.group(2)}.{match.group(3)}").resolve()
        if target not in sources:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}.html{match.group(4)}"

    return _SOURCE_LINK.sub(replace, text)


_LOCAL_HREF = re.compile(r'(?:href|src)="([^"#?:]+)(?:[#?][^"]*)?"')


def linked_files(page: Page, text: str, project: Project) -> list[Path]:
    """Local files a page links to that are neither pages nor outputs (data, images, PDFs to copy)."""
    files = []
    for name in set(_LOCAL_HREF.findall(text)):
        path = (page.source.parent / name).resolve()
        if path.is_file() and path.is_relative_to(project.root) and not path.is_relative_to(project.output_dir) \
                and not path.is_relative_to(project.staging) and path.suffix.lower() not in (".qmd", ".ipynb"):
            files.append(path)
    return files


# ---- assembly ------------------------------------------------------------------------------------------

def site_options(project: Project) -> dict[str, Any]:
    """``website:`` (a book takes the same options under ``book:``), with the brand's logos where the site
    names none (the navbar's and the sidebar's, each by Quarto's preference); extensions' shortcodes in it are
    left out (the site's pages are not assembled here: :func:`site_options_with_chrome` runs them)."""
    return _site_options(project, run_extensions=False)[0]


def site_options_with_chrome(project: Project) -> tuple[dict[str, Any], ChromeShortcodes]:
    """:func:`site_options` with its extensions' shortcodes run (their HTML in the texts), and what the pages
    need for them."""
    return _site_options(project, run_extensions=True)


def _site_options(project: Project, run_extensions: bool) -> tuple[dict[str, Any], ChromeShortcodes]:
    options = project.config.get("book" if project.kind == "book" else "website") or {}
    options, chrome = _with_shortcodes_expanded(dict(options) if isinstance(options, Mapping) else {}, project,
                                                run_extensions)
    # the brand's logo where the site names none; "logo: false" turns it off (a book always has its sidebar)
    navbar = options.get("navbar")
    if isinstance(navbar, Mapping) and navbar.get("logo") is None:
        logo = _brand_logo(project, NAVBAR_LOGO)
        if logo:
            options["navbar"] = {**navbar, "logo": logo}
    sidebars = _sidebars(options)
    if (sidebars or project.kind == "book") and options.get("logo") is None and \
            all(s.get("logo") is None for s in sidebars):
        options["logo"] = _brand_logo(project, SIDEBAR_LOGO)
    return options, chrome


def _with_shortcodes_expanded(options: dict[str, Any], project: Project,
                              run_extensions: bool) -> tuple[dict[str, Any], ChromeShortcodes]:
    """The site's texts with their shortcodes expanded, as Quarto expands them (a ``title: "{{< var version >}}"``,
    a navbar entry's ``{{< meta ... >}}``): ``var`` from ``_variables.yml``, ``meta`` from the project's options,
    ``env`` from the environment; an extension's (``{{< fa github >}}`` in a footer) through its Lua when
    ``run_extensions`` (:mod:`qmdrender.site_shortcodes`), else left out."""
    text = json.dumps(options, default=str)
    chrome = ChromeShortcodes()
    if "{{<" not in text:
        return options, chrome
    names = extension_shortcode_names(text)
    if run_extensions and names:
        chrome = run_chrome_shortcodes(options, names, project.config, project.root)
        for name in names:
            if any(SHORTCODE.fullmatch(call)["name"] == name for call in chrome.html):
                continue
            warn(f"shortcode {{{{< {name} >}}}} in the site's navigation is defined by no extension of the "
                 "project; it is left out.")
    expand = shortcode_expander(project.config, project.root, drop_others=True)

    def expanded(text: str) -> str:
        text = SHORTCODE.sub(lambda call: chrome.html.get(call.group(0), call.group(0)), text)
        return expand(text).replace("{{\\<", "{{<")

    return expand_in_values(options, expanded), chrome


def _brand_logo(project: Project, preference: tuple[str, ...]) -> str | None:
    """The brand's logo as a path inside the project (the site copies it to the output), else ``None``."""
    logo = brand_logo(project.config.get("brand"), project.root, project.root, preference)
    if logo is None or ADDRESS.match(logo):
        return logo
    path = Path(logo)
    return path.relative_to(project.root.resolve()).as_posix() if path.is_relative_to(project.root.resolve()) \
        else None


def _sidebars(options: Mapping[str, Any]) -> list[dict[str, Any]]:
    sidebar = options.get("sidebar")
    if not sidebar:
        return []
    listed = sidebar if isinstance(sidebar, list) else [sidebar]
    return [dict(s) for s in listed if isinstance(s, Mapping)]


def book_items(chapters: Sequence[Chapter], navigation: Navigation) -> list[Item]:
    items: list[Item] = []
    sections: dict[str, Item] = {}
    appendix: Item | None = None
    for chapter in chapters:
        page = navigation.by_source[chapter.path]
        leaf = Item(chapter.label, page.href, number=chapter.number)
        if chapter.opens_part:  # as in Quarto: one entry, the part's heading, linking to the part's page
            sections[chapter.title] = Item(chapter.title, page.href, [], True)
            items.append(sections[chapter.title])
        elif chapter.appendix:
            if appendix is None:
                appendix = Item("Appendices", "", [], True)
                items.append(appendix)
            appendix.children.append(leaf)
        elif chapter.part:
            if chapter.part not in sections:
                sections[chapter.part] = Item(chapter.part, "", [], True)
                items.append(sections[chapter.part])
            sections[chapter.part].children.append(leaf)
        else:
            items.append(leaf)
    return items


_TITLE_HEADER = re.compile(r'<header id="title-block-header"[^>]*>')


def with_listing_classes(listing: str, attributes: str) -> str:
    """``listing``'s container with the classes of the author's div it takes the place of (``attributes``:
    the div's other attributes), before Quarto's own."""
    found = re.search(r'class="([^"]*)"', attributes)
    if found is None or not listing.startswith('<div class="'):
        return listing
    return f'<div class="{found.group(1)} ' + listing[len('<div class="'):]


def _collapse_level(options: Mapping[str, Any]) -> int:
    """The sidebar's ``collapse-level`` (Quarto's default: 2); a value that is not a whole number is named."""
    value = next((s["collapse-level"] for s in _sidebars(options) if "collapse-level" in s), 2)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        warn(f"website: sidebar: collapse-level must be a whole number from 1, not {value!r}; using 2.")
        return 2
    return value


# What the embedded renderer does with ``website:`` / ``book:``; anything else is named in a warning.
SUPPORTED = {
    "site": {"title", "navbar", "sidebar", "page-navigation", "page-footer", "body-header", "body-footer", "favicon",
             "site-url", "search", "logo",
             "description", "chapters", "appendices", "author", "date", "subtitle", "output-file", "downloads",
             "abstract", "image", "repo-url", "repo-actions", "repo-branch", "repo-subdir", "date-format",
             "cover-image", "cover-image-alt", "back-to-top-navigation", "reader-mode", "announcement", "open-graph",
             "twitter-card", "google-analytics", "comments", "issue-url", "image-alt", "bread-crumbs", "sharing",
             "site-path", "drafts", "draft-mode"},
    "navbar": {"left", "right", "title", "logo", "logo-href", "logo-alt", "search", "background", "foreground",
               "pinned", "tools"},
    # (subtitle and type: in Quarto's schema, and its sidebar shows neither)
    "sidebar": {"contents", "title", "id", "style", "search", "logo", "logo-href", "logo-alt", "collapse-level",
                "tools", "background", "foreground", "align", "alignment", "border", "pinned", "subtitle", "type"},
}
# The sidebar options Quarto knows (its schema): another key does nothing in Quarto either
QUARTO_SIDEBAR = {"id", "title", "subtitle", "logo", "logo-alt", "logo-href", "search", "tools", "contents", "style",
                  "type", "background", "foreground", "border", "alignment", "align", "collapse-level", "pinned",
                  "header", "footer"}


def _warn_unsupported(project: Project, options: Mapping[str, Any]) -> None:
    where = "book" if project.kind == "book" else "website"
    # an option set to false asks for nothing (bread-crumbs: false), so it is not named
    unsupported = [f"{where}: {key}" for key, value in options.items()
                   if key not in SUPPORTED["site"] and value is not False]
    navbar = options.get("navbar")
    if isinstance(navbar, Mapping):
        unsupported += [f"{where}: navbar: {key}" for key, value in navbar.items()
                        if key not in SUPPORTED["navbar"] and value is not False]
    unknown = []
    for sidebar in _sidebars(options):
        unsupported += [f"{where}: sidebar: {key}" for key, value in sidebar.items()
                        if key not in SUPPORTED["sidebar"] and key in QUARTO_SIDEBAR and value is not False]
        unknown += [f"{where}: sidebar: {key}" for key in sidebar if key not in QUARTO_SIDEBAR]
    config = config_name(project.root)
    for name in dict.fromkeys(unsupported):
        warn(f"{config}: {name} is not supported by the embedded renderer; it is left out.")
    for name in dict.fromkeys(unknown):
        warn(f"{config}: {name} is not one of Quarto's options (a misspelling?); Quarto does nothing with it either.")


@dataclass
class SiteNavigation:
    pages: list[Page]
    navigation: Navigation
    sidebars_items: list[list[Item]]  # each sidebar's entries (a book: one, its chapters)
    sidebars: dict[str, Any]  # by id
    sidebar_ids: list[str | None] = field(default_factory=list)  # each sidebar's id, in sidebars_items' order
    drafts: set[str] = field(default_factory=set)  # the hrefs of the site's drafts
    draft_mode: str = "gone"  # website: draft-mode (site_drafts.py)

    def sidebar_for(self, page: Page) -> list[Item]:
        """The sidebar a page shows, as Quarto picks it: the only one when it has no id; else the one the page
        names (``sidebar: id``; ``false``: none), else the one that lists it (none when none does)."""
        ids = self.sidebar_ids or [None] * len(self.sidebars_items)
        chosen = page.front.get("sidebar")
        if chosen is False:
            return []
        if len(self.sidebars_items) == 1 and ids[0] is None:
            return self.sidebars_items[0]
        if isinstance(chosen, str) and chosen in ids:
            return self.sidebars_items[ids.index(chosen)]
        return next((items for items in self.sidebars_items if any(i.href.split("#")[0] == page.href
                                                                    for i in flatten(items))), [])


def site_navigation(project: Project) -> SiteNavigation:
    """The pages and the resolved sidebar; raises the one clear error a broken ``navbar:`` or ``sidebar:``
    deserves (called before any page renders, and again when the site is assembled)."""
    chapters = book_chapters(project.config, project.root) if project.kind == "book" else []
    pages = make_pages(project, chapters)
    options = site_options(project)
    mode = draft_mode(options, f"{config_name(project.root)}: website")
    listed = listed_drafts(options)
    drafts = {p.href for p in pages if is_draft(p.source, p.front, project.root, listed)}
    # the drafts nothing links to: all of them, unless the draft mode is visible
    navigation = Navigation(project, pages, set() if mode == "visible" else drafts)
    sidebars = _sidebars(options)
    named = {str(s["id"]): s for s in sidebars if s.get("id")}
    if project.kind == "book":
        sidebars_items = [book_items(chapters, navigation)]
    else:
        sidebars_items = [navigation.items(s.get("contents"), "website: sidebar", named) for s in sidebars]
    _warn_unsupported(project, options)
    navbar = options.get("navbar")
    for side in ("left", "right") if isinstance(navbar, Mapping) else ():
        navigation.items(navbar.get(side), f"website: navbar: {side}", named)
    ids = [None] if project.kind == "book" else [_sidebar_id(s) for s in sidebars]
    return SiteNavigation(pages, navigation, sidebars_items, named, ids, drafts, mode)


def _sidebar_id(sidebar: Mapping[str, Any]) -> str | None:
    """A sidebar's id: its own, else one Quarto makes from its title (as pandoc makes a heading's), so a titled
    sidebar, even the only one, is shown only on the pages it lists or that name it."""
    if sidebar.get("id"):
        return str(sidebar["id"])
    if sidebar.get("title"):
        return auto_identifier(str(sidebar["title"])) or None
    return None


def assemble_site(project: Project, downloads: Sequence[tuple[str, str]] = ()) -> list[Path]:
    """Write every staged page into the output folder with the site's chrome; returns the pages written.
    ``downloads`` are (text, href) links for the sidebar (a book's PDF)."""
    site = site_navigation(project)
    pages, navigation, named = site.pages, site.navigation, site.sidebars
    hidden = navigation.hidden
    staged = {p.href: project.staging / p.href for p in pages}
    present = [p for p in pages if staged[p.href].is_file()]
    texts = {p.href: staged[p.href].read_text(encoding="utf-8") for p in present}
    options, chrome = site_options_with_chrome(project)
    chrome.copy_files(project.output_dir)
    title = str(options.get("title") or "")
    has_navbar = bool(options.get("navbar"))
    search = SearchPlacement.of(options, has_navbar)
    page_nav = project.kind == "book" or options.get("page-navigation") is True
    index = xref_index(present, texts) if project.kind == "book" else {}
    sources = {p.source for p in pages}
    style = (ASSETS / "site.css").read_text(encoding="utf-8")
    script = (ASSETS / "site.js").read_text(encoding="utf-8")
    body_header, body_footer = (markdown_to_html(str(options[key]), paragraphs=True) if options.get(key) else ""
                                for key in ("body-header", "body-footer"))
    announcement = announcement_html(options.get("announcement"))
    words = document_words(project.config)  # the project's language, for the words the chrome writes
    favicon = options.get("favicon")
    tools = sidebar_tools(_sidebars(options), options, project.kind == "book", downloads,
                          words.get("tools-share", "Share"))
    sidebar_title = next((str(s["title"]) for s in _sidebars(options) if s.get("title")), "")
    # the sidebar's search field (without a navbar, or search: location: sidebar), unless it says search: false
    sidebar_search = bool(search and search.location == "sidebar"
                          and all(s.get("search") is not False for s in _sidebars(options)))
    collapse_level = _collapse_level(options)
    docked = next((str(s["style"]) for s in _sidebars(options) if s.get("style")), "floating") == "docked"
    sidebar_style = "docked" if docked else "floating"  # Quarto's two, floating by default
    colours = chrome_colours(options)
    footer = footer_html(options.get("page-footer"), docked)
    # the sidebar's logo, title and tools to the left (Quarto's default), the centre or the right
    # alignment (Quarto's name; align, its older one)
    sidebar_align = next((str(s.get("alignment") or s["align"]) for s in _sidebars(options)
                          if s.get("alignment") or s.get("align")), "left")
    sidebar_border = next((s["border"] is not False for s in _sidebars(options) if "border" in s), None)
    # pinned: the bar that stands for the sidebar below 992px stays at the top as the page scrolls
    pinned = any(s.get("pinned") is True for s in _sidebars(options))
    entries: list[dict[str, str]] = []
    written = []
    linkable = [other for other in pages if other.href not in hidden]  # what listings may list
    for page in present:
        text = rewrite_links(page, texts[page.href], sources)
        if 'class="reveal"' in text:  # a reveal.js deck is a page of its own, without the site around it
            write_if_changed(project.output_dir / page.href, text.encode("utf-8"))
            written.append(project.output_dir / page.href)
            continue
        draft = page.href in site.drafts
        if draft and site.draft_mode == "gone":  # its address stays, the page is blank (site_drafts.py)
            write_if_changed(project.output_dir / page.href, BLANK_PAGE.encode("utf-8"))
            written.append(project.output_dir / page.href)
            continue
        text = with_code_source(with_title_block(site_page_title(text, title)), options, page, project.root)
        text = with_body_header_and_footer(text, body_header, body_footer)
        if index:
            text = resolve_xrefs(page, text, index)
        listings, panel = listing_html(page, linkable, texts, project.root, project.config)
        if panel:  # the listings' categories are the page's margin column, from the top of the text, as Quarto's
            text = text.replace(EMPTY_MARGIN, "", 1)
            opening = MAIN_TAG.search(text)
            if opening:
                text = text[:opening.end()] + panel + text[opening.end():]
            else:
                listings[0] = (listings[0][0], panel + listings[0][1])
        for identifier, listing in listings:
            marker = f'<div id="{identifier}"'
            target = re.compile(rf'<div id="{re.escape(identifier)}"([^>]*)>\s*</div>').search(text)
            if target is not None:  # the page's empty div becomes the listing, its classes kept, as Quarto's
                text = text[:target.start()] + with_listing_classes(listing, target.group(1)) + text[target.end():]
            elif marker in text:  # one with text of its own holds the listing after it
                start = text.index(">", text.index(marker)) + 1
                text = text[:start] + listing + text[start:]
            elif "</main>" in text:  # at the end of the page's text, as Quarto places a listing by default
                end = text.rindex("</main>")
                text = text[:end] + listing + text[end:]
            else:
                text = _before_body_end(text, listing)
        logo = next((str(s["logo"]) for s in _sidebars(options) if s.get("logo")), str(options.get("logo") or ""))
        # the sidebar's own title, else the site's: a website's sidebar with a logo shows the logo alone; a book's
        # sidebar has the book's title; under a navbar, which shows the site's title, none (Quarto's sidebar.ejs)
        heading = "" if has_navbar else \
            sidebar_title or (title if (project.kind == "book" or not logo) else "")
        logo_alt = html.escape(next((str(s["logo-alt"]) for s in _sidebars(options) if s.get("logo-alt")), ""))
        logo_html = f'<img class="sidebar-logo" src="{html.escape(root_link(page, logo))}" alt="{logo_alt}">' \
            if logo else ""
        logo_href = next((s["logo-href"] for s in _sidebars(options) if s.get("logo-href")), None)
        if logo_html:  # as Quarto's: the logo leads home, or where logo-href says
            logo_html = logo_link(page, logo_html, logo_href or "index.html", "sidebar-logo-link")
        sidebar_items = site.sidebar_for(page)
        # a light/dark pair's toggle: in the navbar, else in the sidebar, else where the page put it (top right)
        text, toggle = take_toggle(text) if has_navbar or sidebar_items else (text, "")
        sidebar_tools_html = tools_html(tools, functools.partial(_href, page),
                                        "quarto-sidebar-tools sidebar-tools-main", extra="" if has_navbar else toggle)
        sidebar = sidebar_html(sidebar_items, page, heading, sidebar_search, logo_html, sidebar_tools_html,
                               collapse_level, sidebar_style, sidebar_align, sidebar_border) \
            if sidebar_items else ""
        order = [i for i in flatten(sidebar_items) if i.href and not re.match(r"^[a-z]+:", i.href)]
        breadcrumbs = options.get("bread-crumbs", True) is not False
        crumbs = breadcrumbs_html(sidebar_items, page) if breadcrumbs else ""
        header = _TITLE_HEADER.search(text)
        # above the page's title, as Quarto places them in its title block (.quarto-title-block: a template
        # partial's own header without it has none)
        block = text.find('<div class="quarto-title-block">', header.end()) if header else -1
        if crumbs and header and "quarto-title-block" in header[0]:
            text = text[:header.end()] + breadcrumbs_nav(crumbs, "title") + text[header.end():]
        elif crumbs and header and block >= 0 and block < text.find("</header>", header.end()):
            # a partial's header whose title the code tools wrapped in a title block: at the block's top
            at = block + len('<div class="quarto-title-block">')
            text = text[:at] + breadcrumbs_nav(crumbs, "title") + text[at:]
        if sidebar:
            sidebar = secondary_nav_html(page, crumbs, breadcrumbs, pinned) + sidebar
        # without a navbar the search field is the sidebar's, so a page without either has none, as in Quarto
        navbar = navbar_html(options, navigation, page, title, search, named, toggle)
        # Quarto's "fullcontent": no contents and nothing in the margin, the text takes the margin's width too
        # (a listing page keeps its margin, which Quarto keeps for the listing's categories, and so does a page
        # that asks for contents with no section to list)
        full = not any(mark in text for mark in ('<nav id="TOC"', 'class="quarto-listing', EMPTY_MARGIN)) \
            and not _MARGIN_CONTENT.search(text)
        # (and Quarto's own names for the same, which authors' rules use: nav-sidebar, nav-fixed)
        # Quarto's "slimcontent": beside a sidebar, a page with something in the margin has a narrower text
        slim = bool(sidebar) and _SLIM_MARGIN_CONTENT.search(text) is not None
        classes = " ".join(c for c in ("quarto-site", "has-navbar nav-fixed" if navbar else "",
                                       "has-sidebar nav-sidebar" if sidebar else "", sidebar_style if sidebar else "",
                                       "fullcontent" if full else "", "slimcontent" if slim else "") if c)
        head = f"<style>{style}</style>"
        if favicon:
            head += f'<link rel="icon" href="{html.escape(root_link(page, str(favicon)))}">'
        url = f'{str(options["site-url"]).rstrip("/")}/{page.href}' if options.get("site-url") else ""
        if url:
            head += f'<link rel="canonical" href="{html.escape(url)}">'
        head += head_meta_html(options, text, url) + chrome.head_html(page.href)
        text = text.replace("</head>", head + "</head>", 1)
        if colours:  # before the page's theme, which may set them itself
            charset = _CHARSET.search(text)
            text = text[:charset.end()] + colours + text[charset.end():] if charset else \
                text.replace("<head>", "<head>" + colours, 1)
        if sidebar:  # toc-location: left beside a site's sidebar: the contents under its menu, as Quarto's
            text, sidebar = toc_in_sidebar(text, sidebar)
        text, sidebar = in_content_area(text, sidebar, bool(navbar))
        text = with_body(text, classes, navbar + announcement + sidebar)
        actions = repo_actions_html(options, page, project.root, words)
        page_footer = rewrite_links(page, footer_links_for(page, footer), sources)
        if actions and '<nav id="TOC"' in text:  # under the table of contents, as Quarto places them
            text = in_margin_sidebar(text, actions)
        elif actions:  # a page without contents: in the middle of the footer
            page_footer = with_footer_centre(footer, actions)
        tail = back_to_top_html(options.get("back-to-top-navigation"), words) + \
            (page_navigation_html(order, page) if page_nav else "") + page_footer
        missing_page = page.href == "404.html"  # shown for any missing address: its links from the site's path
        root = site_path(options) if missing_page else root_link(page, "index.html")[: -len("index.html")]
        tail += f"<script>window.QUARTO_SITE_ROOT = {json.dumps(root)};</script><script>{script}</script>"
        text = _before_body_end(text, tail)
        if missing_page:
            text = rooted_links(text, root)
        text = without_links_to(text, page.href, hidden)  # a link to a draft keeps its words (site_drafts.py)
        if draft:
            text = with_draft_banner(text, words.get("draft", "Draft"))
        target = project.output_dir / page.href
        write_if_changed(target, text.encode("utf-8"))
        written.append(target)
        if page.href not in hidden:
            entries += search_entries(page, texts[page.href])
        # (the page as written, its listings' thumbnails, which point at the listed pages' images, included)
        for path in linked_files(page, text, project):
            copy_if_changed(path, project.output_dir / path.relative_to(project.root))
    if search:
        index_json = json.dumps(entries, ensure_ascii=False, indent=0)
        write_if_changed(project.output_dir / "search.json", index_json.encode("utf-8"))
        script_text = f"window.quartoSearchIndex = {index_json.replace('</', '<' + chr(92) + '/')};\n"
        write_if_changed(project.output_dir / "search-index.js", script_text.encode("utf-8"))
    for image in [favicon, options.get("logo"), *(s.get("logo") for s in _sidebars(options)),
                  (options.get("navbar") or {}).get("logo") if isinstance(options.get("navbar"), Mapping) else None]:
        image = str(image or "").lstrip("/")  # "/assets/logo.png": from the project's root, as Quarto reads it
        if image and (project.root / image).is_file():
            copy_if_changed(project.root / image, project.output_dir / image)
    written += write_aliases(present, project.output_dir, write_if_changed)  # a moved page's former addresses
    if project.kind == "website":
        written += write_index_redirect(pages, project.output_dir, write_if_changed)  # any page may be the home
    if options.get("site-url"):
        base = str(options["site-url"]).rstrip("/")
        urls = "".join(f"<url><loc>{html.escape(base)}/{html.escape(p.href)}</loc></url>" for p in present
                       if p.href not in hidden)
        sitemap = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/' \
                  f'sitemap/0.9">{urls}</urlset>\n'
        write_if_changed(project.output_dir / "sitemap.xml", sitemap.encode("utf-8"))
    return written


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def site_path(options: Mapping[str, Any]) -> str:
    """Where the site is served from: ``site-path``, else ``site-url``'s path, else ``/`` (ending in ``/``)."""
    path = str(options.get("site-path") or "")
    if not path:
        path = urllib.parse.urlsplit(str(options.get("site-url") or "")).path or "/"
    path = "/" + path.strip("/") + "/"
    return "/" if path == "//" else path


_REFERENCE = re.compile(r'\b(href|src)="([^"]*)"')


def rooted_links(text: str, root: str) -> str:
    """The root ``404.html`` with its links and images from ``root``, as Quarto writes that page: a server shows
    it for any missing address, where a relative link would lead nowhere (an address, a root path or an anchor
    stays as it is)."""
    def rooted(found: re.Match[str]) -> str:
        reference = found.group(2)
        if ADDRESS.match(reference.lower()) or reference.startswith(("/", "#")):
            return found.group(0)
        return f'{found.group(1)}="{root}{reference}"'

    return _REFERENCE.sub(rooted, text)


def in_content_area(text: str, sidebar: str, navbar: bool) -> tuple[str, str]:
    """A site's page with its content area classed as Quarto's site template classes it (``quarto-container``,
    ``page-navbar`` under a navbar) and the sidebar at its start, as in Quarto's pages; the sidebar is returned
    for the body's start instead when the page has no content area (an author's own template)."""
    found = CONTENT_OPENING.search(text)
    if found is None:
        return text, sidebar
    layout = re.search(r"\bpage-layout-(\w+)", found[0])
    layout = layout[1] if layout else "article"
    grid = "" if layout == "custom" else " page-columns page-rows-contents"
    opening = (f'<div id="quarto-content" class="quarto-container{grid} page-layout-{layout}'
               f'{" page-navbar" if navbar else ""}">')
    return text[:found.start()] + opening + sidebar + text[found.end():], ""


_TOC_LEFT = re.compile(r'<div id="quarto-sidebar-toc-left" class="sidebar toc-left">(<nav id="TOC".*?</nav>)</div>',
                       re.S)


def toc_in_sidebar(text: str, sidebar: str) -> tuple[str, str]:
    """A page's contents placed on the left (``toc-location: left``) moved into the site's sidebar, under its
    menu, as Quarto's page template places them there; the page keeps its right margin."""
    found = _TOC_LEFT.search(text)
    if found is None or not sidebar.endswith("</nav>"):
        return text, sidebar
    toc = found[1].replace(' class="toc-beside"', ' class="toc-in-sidebar"', 1)
    return text[:found.start()] + text[found.end():], sidebar[:-len("</nav>")] + toc + "</nav>"


def site_page_title(text: str, site_title: str) -> str:
    """The page's ``<title>`` as Quarto writes it on a site: "Page – Site" (the site's title alone for a
    page without one, or whose title is the site's)."""
    found = _TITLE.search(text)
    if found is None or not site_title:
        return text
    own = found.group(1).strip()
    site = html.escape(plain_text(inline_markdown(site_title)), quote=False)  # "Luke’s Slides", as pandoc's own
    title = site if own in ("", "-", site) else f"{own} \u2013 {site}"
    return f"{text[:found.start()]}<title>{title}</title>{text[found.end():]}"


_CHARSET = re.compile(r"<meta charset=[^>]*>")


_TITLE_BLOCK_END = re.compile(r'<header id="title-block-header"[^>]*>.*?</header>', re.S)


def with_body_header_and_footer(text: str, header: str, footer: str) -> str:
    """A site's or book's ``body-header`` and ``body-footer`` (Markdown, as HTML here): the header under the
    page's title block (at the start of its text when it has none), the footer at the end of its text, inside
    ``<main>``, after the references, as Quarto's pages have them."""
    if header:
        after = _TITLE_BLOCK_END.search(text) or MAIN_TAG.search(text)
        if after:
            text = text[:after.end()] + "\n" + header + "\n" + text[after.end():]
    if footer:
        end = text.rfind("</main>")
        if end >= 0:
            text = text[:end] + footer + "\n" + text[end:]
    return text


def _before_body_end(text: str, insert: str) -> str:
    position = text.rfind("</body>")
    return text[:position] + insert + text[position:] if position >= 0 else text + insert
