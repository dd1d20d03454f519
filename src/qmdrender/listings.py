"""Listings: a page's ``listing:`` written in Quarto's markup, so that a site's own CSS for them applies.

Three types, as Quarto writes them (https://quarto.org/docs/websites/website-listings.html):

- ``default``: a ``div.quarto-post`` per item, its thumbnail, a body (title, subtitle, categories,
  description) and its metadata (date, author);
- ``grid``: Bootstrap cards (``div.quarto-grid-item.card``) in ``grid-columns`` columns (3);
- ``table``: ``table.quarto-listing-table``.

What an item shows follows Quarto: the fields are the listing's ``fields`` or the type's defaults less those
no item has (the image always stays); a page without a ``description`` (or ``abstract``) is described by
its first paragraph, cut at 175 characters; one without an ``image`` shows its first image (one marked
``.preview-image`` first), else an empty placeholder; dates read as ``medium`` ("Jan 5, 2026") unless a
``date-format`` says otherwise; without ``sort`` the items are ordered by ``order``, then by title. Items may
also be written in YAML (a file the contents name, or mappings in them). ``categories`` lists the items'
categories in the margin; ``sort-ui``, ``filter-ui`` and ``page-size`` are worked by ``assets/listing.js``. A
listing's own EJS ``template`` is rendered by :mod:`qmdrender.listing_templates`.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from qmdrender.dates import format_date, resolve_date
from qmdrender.language import document_words
from qmdrender.listing_templates import page_reader, reading_time, render_template, template_item
from qmdrender.options import folder_metadata, merge
from qmdrender.qmd import QmdError, scan
from qmdrender.site_tools import ADDRESS, inline_markdown, root_link
from qmdrender.types import RenderError, warn
from qmdrender.yamlfile import parse_yaml

DEFAULT_FIELDS = {"default": ["date", "title", "author", "subtitle", "image", "description"],
                  "grid": ["title", "author", "date", "image", "description"],
                  "table": ["date", "title", "author"]}
# each field's heading and sort entry: the word of the page's language under Quarto's name for it
_FIELD_WORDS = {"date": "listing-page-field-date", "title": "listing-page-field-title",
                "description": "listing-page-field-description", "author": "listing-page-field-author",
                "subtitle": "listing-page-field-subtitle", "reading-time": "listing-page-field-readingtime",
                "categories": "listing-page-field-categories", "filename": "listing-page-field-filename",
                "file-modified": "listing-page-field-filemodified", "word-count": "listing-page-field-wordcount"}
MAX_DESCRIPTION = 175  # Quarto's default for a description taken from the page's text

_MAIN = re.compile(r'<main\b[^>]*>(.*?)</main>', re.S)
_TITLE_BLOCK = re.compile(r'<header\b[^>]*id="title-block-header".*?</header>', re.S)
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_IMAGE = re.compile(r"<img\b[^>]*>", re.S)
_SOURCE = re.compile(r'\bsrc="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def display_names(listing: Mapping[str, Any], words: Mapping[str, str]) -> dict[str, str]:
    """Each field's name in a table's heading and the sort menu, as HTML: the listing's ``field-display-names``,
    else Quarto's in the page's language (an image's column has none)."""
    named = listing.get("field-display-names")
    own = {str(k): html.escape(str(v)) for k, v in named.items()} if isinstance(named, Mapping) else {}
    return {**{field: html.escape(words[key]) for field, key in _FIELD_WORDS.items()}, "image": " ", **own}


def listing_html(page: Any, pages: Sequence[Any], texts: Mapping[str, str], root: Path | None = None,
                 config: Mapping[str, Any] | None = None) -> tuple[list[tuple[str, str]], str]:
    """``(id, HTML)`` for each listing ``page`` declares, and the categories panel of them all (``""`` without
    ``categories``), which goes into the page's margin column from the top of the text, as Quarto's margin
    sidebar starts there; ``texts``: every page's rendered HTML by href; ``root``:
    the project's folder, whose ``_metadata.yml`` files give the listed pages what their front matter does not
    (a folder's ``author`` or ``categories``), as in Quarto; ``config``: the project's options (its
    ``date-format``, its pages' ``from``)."""
    config = config or {}
    declared = page.front.get("listing")
    if not declared:
        return [], ""
    lang = page.front.get("lang") or config.get("lang")
    words = document_words({"lang": lang, "language": page.front.get("language") or config.get("language")},
                           page.source.parent)
    listings = declared if isinstance(declared, list) else [declared]
    built: list[tuple[str, str]] = []
    categories: dict[str, int] = {}
    style, total = "", 0
    for number, listing in enumerate(listings, start=1):
        listing = dict(listing) if isinstance(listing, Mapping) else {}
        kind = str(listing.get("type", "default"))
        if listing.get("feed"):
            warn(f"{page.source}: listing: feed (an RSS feed) is not supported by the embedded renderer yet; "
                 "the listing is shown without it.")
        identifier = str(listing.get("id", "listing" if number == 1 else f"listing-{number}"))
        date_format = str(listing.get("date-format") or page.front.get("date-format") or
                          config.get("date-format") or "medium")
        if listing.get("template"):  # the author's own EJS template (listing_templates.py)
            entries = _contents(page, pages, listing, root)
            items = [template_item(e.front, e.title, e.link_from(page), e.source,
                                   _words(e, _text_of(texts.get(e.href, ""))), date_format) for e in entries]
            try:
                built.append((identifier, render_template(page.source.parent / str(listing["template"]), items,
                                                          listing.get("template-params"), identifier,
                                                          page_reader(page.front, config))))
            except RenderError as error:
                raise RenderError(f"{page.source}: {error}") from None
            continue
        if kind not in DEFAULT_FIELDS:
            warn(f"{page.source}: listing: type {kind!r} is not one of default, grid and table; shown as default.")
            kind = "default"
        entries = _contents(page, pages, listing, root)
        items = [_item(entry, page, texts.get(entry.href, ""), listing, date_format, words, lang)
                 for entry in entries]
        fields = _fields(listing, kind, items, only_metadata=all(entry.metadata_only for entry in entries))
        if listing.get("categories"):
            style = style or _CATEGORY_STYLES.get(str(listing["categories"]).lower(), "category-default")
            total += len(items)
            for item in items:
                for category in item["categories"]:
                    categories[category] = categories.get(category, 0) + 1
        writer = {"default": _default_list, "grid": _grid_list, "table": _table_list}[kind]
        body = _actions(listing, kind, fields, words) + writer(items, fields, listing, words)
        size = listing.get("page-size", _PAGE_SIZES[kind])
        size = size if isinstance(size, int) and size > 0 else _PAGE_SIZES[kind]
        built.append((identifier, f'<div class="quarto-listing quarto-listing-container-{kind}" '
                                  f'id="listing-{html.escape(identifier)}" data-page-size="{size}">{body}'
                                  '<div class="listing-no-matching d-none">'
                                  f'{html.escape(words["listing-page-no-matches"])}</div></div>'))
    # the categories of every listing on the page
    return built, _categories_panel(categories, style, total, words) if style and built else ""


_PAGE_SIZES = {"default": 25, "grid": 18, "table": 30}  # Quarto's page-size defaults; listing.js pages them
_SORTABLE = ("title", "date", "author")  # Quarto's sortable fields a listing shows, in its order


def _actions(listing: Mapping[str, Any], kind: str, fields: list[str], words: Mapping[str, str]) -> str:
    """Quarto's sort menu and filter box above a listing (``sort-ui``, ``filter-ui``: on for a table, off
    otherwise); listing.js makes them work."""
    sort_ui, filter_ui = (bool(listing.get(option, kind == "table")) for option in ("sort-ui", "filter-ui"))
    parts = []
    sortable = [name for name in _SORTABLE if name in fields]
    if sort_ui and sortable:
        order, oldest, newest = (html.escape(words[f"listing-page-order-by{key}"])
                                 for key in ("", "-date-asc", "-date-desc"))
        options = [f'<option value="" disabled selected hidden>{order}</option>',
                   f'<option value="index" data-direction="asc">{html.escape(words["listing-page-order-by-default"])}'
                   '</option>']
        names = display_names(listing, words)
        for name in sortable:
            label = names[name]
            if name == "date":
                options += [f'<option value="listing-date-sort" data-direction="asc">{label} - {oldest}</option>',
                            f'<option value="listing-date-sort" data-direction="desc">{label} - {newest}</option>']
            else:
                options.append(f'<option value="listing-{name}" data-direction="asc">{label}</option>')
        parts.append('<div class="input-group input-group-sm quarto-listing-sort"><select class="form-select" '
                     f'aria-label="{order}">{"".join(options)}</select></div>')
    if filter_ui:
        label = html.escape(words["listing-page-filter"])
        parts.append('<div class="input-group input-group-sm quarto-listing-filter"><input type="text" '
                     f'class="search form-control" placeholder="{label}" aria-label="{label}"></div>')
    return f'<div class="listing-actions-group">{"".join(parts)}</div>' if parts else ""


# categories: true or numbered (with counts and "All"), unnumbered, or cloud (sized by how often)
_CATEGORY_STYLES = {"true": "category-default", "numbered": "category-default",
                    "unnumbered": "category-unnumbered", "cloud": "category-cloud"}


def _categories_panel(categories: Mapping[str, int], style: str, total: int, words: Mapping[str, str]) -> str:
    """Quarto's category list: a heading and one entry per category (alphabetical), each a filter."""
    def entry(shown: str, value: str) -> str:
        encoded = base64.b64encode(value.encode()).decode()
        return f'<div class="category" data-category="{encoded}">{shown}</div>'

    entries = []
    if style == "category-default":
        everything = html.escape(words["listing-page-category-all"])
        entries.append(entry(f'{everything} <span class="quarto-category-count">({total})</span>', ""))
    for name in sorted(categories, key=str.lower):
        count = categories[name]
        shown = {"category-default": f'{html.escape(name)} <span class="quarto-category-count">({count})</span>',
                 "category-cloud": f'<span class="quarto-category-count category-cloud-'
                                   f'{math.ceil(count / max(total, 1) * 10)}">{html.escape(name)}</span>'
                 }.get(style, html.escape(name))
        entries.append(entry(shown, name))
    return ('<div id="quarto-margin-sidebar" class="quarto-listing-categories-margin">'
            f'<h5 class="quarto-listing-category-title">{html.escape(words["listing-page-field-categories"])}</h5>'
            f'<div class="quarto-listing-category {style}">{"".join(entries)}</div></div>')


@dataclass
class _Entry:
    """One thing a listing lists: a page of the site, or an item written in YAML (``contents: talks.yml``, or a
    mapping in ``contents``), which may name a page with its ``path``."""

    source: Path  # the page's input, or the YAML file (dates such as last-modified are read from it)
    href: str  # relative to the site's root, or an address (https:...); "" for an item that links nowhere
    title: str
    front: dict[str, Any]
    metadata_only: bool = False  # an item from YAML that names no page: Quarto shows all its fields

    def link_from(self, page: Any) -> str:
        return root_link(page, self.href) if self.href else ""


def _contents(page: Any, pages: Sequence[Any], listing: Mapping[str, Any], root: Path | None = None
              ) -> list[_Entry]:
    """What the listing's ``contents`` name (all the page's folder by default): pages matched by path or glob,
    items of YAML files it names, and items written in it; sorted and cut."""
    contents = listing.get("contents", ["*"])
    entries = contents if isinstance(contents, list) else [contents]
    patterns = [str(c) for c in entries if not isinstance(c, Mapping)]
    folder = page.source.parent
    ranked = []  # in the order the contents name them (then the site's order), as sort: false keeps
    for position, other in enumerate(pages):
        relative = os.path.relpath(other.source, folder).replace(os.sep, "/")
        rank = next((i for i, pattern in enumerate(patterns) if path_matches(relative, pattern, anywhere=True)), None)
        if other is not page and rank is not None:
            front = functools.reduce(merge, [*folder_metadata(other.source, root), other.front], {}) if root \
                else dict(other.front)
            # (the site passes no draft that nothing links to: site_drafts.py)
            ranked.append((rank, position, _Entry(other.source, other.href, other.title, front)))
    found = [entry for _, _, entry in sorted(ranked, key=lambda r: r[:2])]
    for pattern in patterns:
        if pattern.lower().endswith((".yml", ".yaml")) and (folder / pattern).is_file():
            found += [_metadata_entry(item, folder / pattern, page, pages) for item in _yaml_items(folder / pattern)]
    found += [_metadata_entry(dict(item), page.source, page, pages) for item in entries if isinstance(item, Mapping)]
    documents = any(not entry.metadata_only for entry in found)
    items = _sorted(found, listing.get("sort"), documents)
    if isinstance(listing.get("max-items"), int):
        items = items[: listing["max-items"]]
    return items


def _yaml_items(path: Path) -> list[dict[str, Any]]:
    """The items of a listing's YAML file: a list of mappings, or one mapping; anything else is one error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RenderError(f"{path}: the listing's items cannot be read ({error}).") from None
    loaded = parse_yaml(text, f"{path}: the listing's items", RenderError)
    items = loaded if isinstance(loaded, list) else [loaded] if isinstance(loaded, dict) else None
    if items is None or not all(isinstance(item, dict) for item in items):
        raise RenderError(f"{path}: a listing's YAML file holds items (a list of 'field: value' mappings).")
    return items


def _metadata_entry(item: dict[str, Any], where: Path, page: Any, pages: Sequence[Any]) -> _Entry:
    """An item written in YAML; its ``path`` names a page (its fields then fill in what the item leaves out) or
    any other address."""
    target = str(item.get("path") or item.get("href") or "")
    local = bool(target) and not ADDRESS.match(target)
    if local and not target.startswith("/"):
        resolved = (where.parent / target).resolve()
        named = next((p for p in pages if p.source.resolve() == resolved), None)
        if named is not None:
            return _Entry(named.source, named.href, str(item.get("title") or named.title), {**named.front, **item})
    href = target
    if local:  # a file beside the YAML, relative to the root
        href = (PurePosixPath(page.href).parent / os.path.relpath(where.parent / target, page.source.parent)
                .replace(os.sep, "/")).as_posix()
    return _Entry(where, href, str(item.get("title") or ""), item, metadata_only=True)


def path_matches(relative: str, pattern: str, *, anywhere: bool = False) -> bool:
    """Whether a path relative to the listing page matches a ``contents`` entry (a folder, a file or a glob).
    As Quarto's globs, one not starting "./" matches in any subfolder (``**/`` before it); ``anywhere``: a plain
    name does too, as in a listing's contents (``01_intro.qmd`` finds ``sessions/01_intro.qmd``). A page
    above the listing's folder matches only a pattern that goes up to it (``../posts/*.qmd``)."""
    if relative.startswith("../") and not pattern.startswith("../"):  # above the page's folder: named alone
        return False
    anchored = pattern.startswith("./")
    pattern = pattern.removeprefix("./").rstrip("/")
    parts = relative.split("/")
    globbed = any(c in pattern for c in "*?[")
    tails = ["/".join(parts[start:]) for start in range(1 if anchored or not (globbed or anywhere) else len(parts))]
    if not globbed:
        return any(tail == pattern or tail.startswith(pattern + "/") for tail in tails)
    return any(_glob_match(tail, pattern) or _glob_match(tail, pattern + "/*") for tail in tails)


def _glob_match(path: str, pattern: str) -> bool:
    """A whole relative path against a glob whose ``*`` stays within one folder and ``**`` spans any."""
    regex = "".join(".*" if part == "**" else "[^/]*" if part == "*" else "[^/]" if part == "?"
                    else part if part.startswith("[") else re.escape(part)
                    for part in re.split(r"(\*\*|\*|\?|\[[^\]]*\])", pattern) if part)
    return re.fullmatch(regex.replace(".*/", "(?:.*/)?"), path) is not None


def _sorted(items: list[_Entry], sort: Any, documents: bool = True) -> list[_Entry]:
    """``sort`` as Quarto reads it: a rule ("date desc") or a list of them; none: ``order``, then title (items
    from YAML alone keep their order); ``false``: as the contents give them."""
    if sort is False or sort == "false" or (sort in (None, True) and not documents):
        return items
    rules = sort if isinstance(sort, list) else [sort] if sort not in (None, True) else ["order", "title"]
    for rule in reversed(rules):
        field, _, direction = str(rule).partition(" ")
        descending = direction.strip().lower() == "desc"
        present = [p for p in items if _sort_value(p, field) is not None]
        absent = [p for p in items if _sort_value(p, field) is None]
        ordered = sorted(present, key=lambda p: _sort_value(p, field), reverse=descending)
        # a page without the field comes last in ascending order and first in descending order, as lodash's
        # orderBy, which sorts Quarto's listing, puts it (a course's undated tutorials above the dated ones)
        items = absent + ordered if descending else ordered + absent
    return items


def _sort_value(page: Any, field: str) -> Any:
    if field == "title":
        return page.title.lower()
    value = page.front.get(field)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, _date_key(value, page.source) if field in ("date", "date-modified") else str(value))


def _date_key(value: Any, source: Path) -> str:
    """A date as text that sorts in time order (ISO), however it was written ("Dec 24 2022", 2022-12-24)."""
    try:
        resolved = resolve_date(value, source)
    except (QmdError, OSError):
        resolved = value
    return resolved.isoformat() if isinstance(resolved, (dt.date, dt.datetime)) else str(value)


def _item(other: Any, page: Any, text: str, listing: Mapping[str, Any], date_format: str, words: Mapping[str, str],
          lang: Any = None) -> dict[str, Any]:
    """What one listed page shows, as HTML pieces, in the listing page's language (``words``, ``lang``)."""
    front = other.front
    content = _text_of(text)
    author = front.get("author")
    names = [a.get("name", "") if isinstance(a, Mapping) else a for a in
             (author if isinstance(author, list) else [author] if author else [])]
    description = front.get("description") or front.get("abstract")
    if description:
        limit = listing.get("max-description-length", MAX_DESCRIPTION if listing.get("type") == "grid" else -1)
        plain = inline_markdown(_truncated(str(description), limit))  # Markdown, as Quarto reads it
        shown = f"<p>{plain}</p>"  # a paragraph of Markdown in Quarto's cards and posts
    else:
        plain = shown = _first_paragraph(content, int(listing.get("max-description-length") or MAX_DESCRIPTION))
    categories = front.get("categories")
    count = _words(other, content)
    return {
        "href": html.escape(other.link_from(page)),
        "title": inline_markdown(other.title),  # `code` and $maths$ in a title, as Quarto shows them
        "subtitle": inline_markdown(str(front.get("subtitle") or "")),
        "date": html.escape(str(format_date(front["date"], date_format, other.source, lang)))
        if front.get("date") else "",
        "date-sort": _date_key(front["date"], other.source) if front.get("date") else "",
        "author": html.escape(", ".join(str(n) for n in names if n)),
        "description": shown,
        "description-text": plain,
        "categories": [str(c) for c in (categories if isinstance(categories, list) else [categories])
                       if c is not None] if categories else [],
        "image": _image(other, page, front, content),
        "image-alt": html.escape(str(front.get("image-alt") or "")),
        "reading-time": reading_time(count, words["listing-page-minutes-compact"]),
        "front": front,
    }


def _text_of(page_html: str) -> str:
    """A rendered page's text: its ``<main>`` without the title block."""
    main = _MAIN.search(page_html)
    return _TITLE_BLOCK.sub("", main.group(1)) if main else ""


def _words(entry: Any, content: str) -> int:
    """How many words a listed page has, as its reading time counts them: its source's, else its text's."""
    return _source_words(entry.source) or len(_TAG.sub(" ", content).split())


def _truncated(text: str, limit: int) -> str:
    """``text`` cut at a space before ``limit`` characters, with an ellipsis (none for ``limit`` < 0)."""
    if limit < 0 or len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",/:")
    return cut + "…"


def _first_paragraph(content: str, limit: int) -> str:
    """The first paragraph of a rendered page with any text, its links unwrapped, cut at ``limit``."""
    for paragraph in _PARAGRAPH.findall(content):
        words = html.unescape(" ".join(_TAG.sub("", paragraph).split()))
        if words:
            return html.escape(_truncated(words, limit))
    return ""


_HEADING_LINE = re.compile(r"^#{1,}\s")
_UNDERLINE = re.compile(r"^(?:=+|-+)\s*$")


def _source_words(source: Path) -> int:
    """The words a page's reading time counts, as Quarto counts them: its Markdown source after the front matter
    and without its first heading, split at spaces (a line break does not part words; code counts too); 0 for a
    page that is not a Markdown source (a notebook, a YAML listing's entry), which is then counted as shown."""
    if source.suffix.lower() not in (".qmd", ".md", ".rmd") or not source.is_file():
        return 0
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 0
    body = "".join(chunk.text for chunk in scan(text) if chunk.kind != "front-matter")
    kept: list[str] = []
    heading = False
    for line in body.splitlines():
        if not heading and _HEADING_LINE.match(line):
            heading = True
        elif not heading and _UNDERLINE.match(line) and kept and kept[-1]:
            heading = True
            kept.pop()
        else:
            kept.append(line)
    return len("\n".join(kept).split(" "))


def _image(other: Any, page: Any, front: Mapping[str, Any], content: str) -> str:
    """The item's image as a ``src`` relative to the listing page: its ``image``, else the page's preview
    image (Quarto's choice: ``.preview-image``, then an image named like a cover, then the first local one)."""
    declared = front.get("image")
    if isinstance(declared, str) and declared:
        if ADDRESS.match(declared) or declared.startswith("/"):
            return declared
        # beside the item's source (its page, or its YAML file), as the site mirrors the sources' folders
        return os.path.relpath(other.source.parent / declared, page.source.parent).replace(os.sep, "/")
    images = _IMAGE.findall(content)
    sources = [(tag, (_SOURCE.search(tag) or [None, ""])[1]) for tag in images]
    chosen = next((src for tag, src in sources if re.search(r'class="[^"]*\bpreview-image\b', tag)), None) or \
        next((src for _, src in sources if src.startswith("data:") or
              re.search(r"(?:feature|cover|thumbnail)\.[^/]*$", src)), None) or \
        next((src for _, src in sources if src and not src.startswith(("http:", "https:"))), None)
    if not chosen or chosen.startswith("data:"):
        return html.unescape(chosen or "")
    return root_link(page, (PurePosixPath(other.href).parent / html.unescape(chosen)).as_posix())


def _fields(listing: Mapping[str, Any], kind: str, items: list[dict[str, Any]], only_metadata: bool = False
            ) -> list[str]:
    """The listing's ``fields``, or its type's defaults less those no item has (the image always stays); items
    written in YAML alone show every field they have, as Quarto shows them."""
    if listing.get("fields"):
        fields = [str(f) for f in listing["fields"]]
    elif only_metadata and items:
        fields = list(dict.fromkeys(k for item in items for k, v in item["front"].items()
                                    if v is not None and k not in ("path", "href")))
    else:
        fields = [f for f in DEFAULT_FIELDS[kind] if f == "image" or any(item.get(f) for item in items)]
    if listing.get("categories") and kind != "table" and "categories" not in fields:
        fields.append("categories")
    return fields


_PLACED = {"title", "image", "image-alt", "date", "author", "subtitle", "description", "reading-time", "categories"}


def _value(item: Mapping[str, Any], name: str) -> str:
    """A field the listing names that is not one of Quarto's own: the page's front matter value (an item's own
    ``href`` too: a course lists a download link under that name, shown as written, not the page's address)."""
    if name in item and name != "front" and (name in _PLACED or name not in item["front"]):
        return str(item[name])
    value = item["front"].get(name)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return "" if value is None else inline_markdown(str(value))  # Markdown, as Quarto's fields are


def _attributes(number: int, item: Mapping[str, Any]) -> str:
    categories = ",".join(base64.b64encode(c.encode()).decode() for c in item["categories"])
    return (f' data-index="{number}" data-listing-date-sort="{html.escape(item["date-sort"])}"'
            f' data-categories="{categories}"')


def _image_html(item: Mapping[str, Any], listing: Mapping[str, Any], css: str) -> str:
    height = listing.get("image-height") or ("150px" if listing.get("type") == "grid" else "")
    style = f' style="height: {html.escape(str(height))};"' if height else ""
    if not item["image"]:
        return f'<div class="listing-item-img-placeholder card-img-top"{style}>&nbsp;</div>'
    return (f'<p class="card-img-top"><img loading="lazy" src="{html.escape(item["image"])}" '
            f'alt="{item["image-alt"]}"{style} class="{css}"></p>')


def _categories(item: Mapping[str, Any]) -> str:
    return '<div class="listing-categories">' + "".join(
        f'<div class="listing-category">{html.escape(c)}</div>' for c in item["categories"]) + "</div>"


def _linker(href: str) -> Callable[[str], str]:
    return lambda inner: f'<a href="{href}" class="no-external">{inner}</a>'


def _pieces(item: Mapping[str, Any], fields: list[str], templates: Sequence[tuple[str, str]],
            wrap: Callable[[str], str] = str) -> list[str]:
    """The fields of ``item`` the listing shows, each in its template, in the templates' order."""
    return [template.format(_categories(item) if name == "categories" else wrap(item[name]))
            for name, template in templates if name in fields and item.get(name)]


# Quarto's item templates (item-default.ejs.md, item-grid.ejs.md): where each field goes, in order
_POST_BODY = (("title", '<h3 class="no-anchor listing-title">{}</h3>'),
              ("subtitle", '<div class="listing-subtitle">{}</div>'), ("categories", "{}"),
              ("description", '<div class="delink listing-description">{}</div>'))
_POST_METADATA = (("date", '<div class="listing-date">{}</div>'), ("author", '<div class="listing-author">{}</div>'),
                  ("reading-time", '<div class="listing-reading-time">{}</div>'))
_CARD_BODY = (("title", '<h5 class="no-anchor card-title listing-title">{}</h5>'),
              ("subtitle", '<div class="card-subtitle listing-subtitle">{}</div>'),
              ("reading-time", '<div class="listing-reading-time card-text text-muted">{}</div>'), ("categories", "{}"),
              ("description", '<div class="card-text listing-description delink">{}</div>'))


def _default_list(items: list[dict[str, Any]], fields: list[str], listing: Mapping[str, Any],
                  words: Mapping[str, str]) -> str:
    align = "left" if listing.get("image-align") == "left" else "right"
    posts = []
    for number, item in enumerate(items):
        link = _linker(item["href"])
        parts = [f'<div class="quarto-post image-{align}"{_attributes(number, item)}>']
        if "image" in fields:
            parts.append(f'<div class="thumbnail">{link(_image_html(item, listing, "thumbnail-image"))}</div>')
        parts.append(f'<div class="body">{"".join(_pieces(item, fields, _POST_BODY, link))}</div>')
        metadata = _pieces(item, fields, _POST_METADATA)
        metadata += [f'<div class="metadata-value listing-{html.escape(name)}">{_value(item, name)}</div>'
                     for name in fields if name not in _PLACED and _value(item, name)]
        parts.append(f'<div class="metadata">{link("".join(metadata))}</div></div>')
        posts.append("".join(parts))
    return f'<div class="list quarto-listing-default">{"".join(posts)}</div>'


def _grid_list(items: list[dict[str, Any]], fields: list[str], listing: Mapping[str, Any],
               words: Mapping[str, str]) -> str:
    columns = listing.get("grid-columns", 3)
    align = str(listing.get("grid-item-align", "left"))
    borderless = " borderless" if listing.get("grid-item-border") is False else ""
    cards = []
    for number, item in enumerate(items):
        body = _pieces(item, fields, _CARD_BODY)
        author, date = ("author" in fields and item["author"]), ("date" in fields and item["date"])
        if author or date:
            justify = "justify" if author and date else "start" if author else "end"
            body.append(f'<div class="card-attribution card-text-small {justify}">'
                        + (f'<div class="listing-author">{item["author"]}</div>' if author else "")
                        + (f'<div class="listing-date">{item["date"]}</div>' if date else "") + "</div>")
        image = _image_html(item, listing, "thumbnail-image card-img") if "image" in fields else ""
        contents = f'<div class="card-body post-contents">{"".join(body)}</div>' if body else ""
        cards.append(f'<div class="g-col-1"{_attributes(number, item)}><a href="{item["href"]}" '
                     f'class="quarto-grid-link"><div class="quarto-grid-item card h-100 card-{html.escape(align)}'
                     f'{borderless}">{image}{contents}</div></a></div>')
    return f'<div class="list grid quarto-listing-cols-{html.escape(str(columns))}">{"".join(cards)}</div>'


def _table_list(items: list[dict[str, Any]], fields: list[str], listing: Mapping[str, Any],
                words: Mapping[str, str]) -> str:
    classes = "quarto-listing-table table" + (" table-striped" if listing.get("table-striped") else "") + \
        (" table-hover" if listing.get("table-hover") else "")
    names = display_names(listing, words)
    heads = "".join(f"<th>{names.get(name, html.escape(name))}</th>" for name in fields)
    rows = []
    for item in items:
        cells = []
        for name in fields:
            if name == "title":
                value = f'<a href="{item["href"]}" class="listing-title">{item["title"]}</a>' if item["href"] \
                    else item["title"]
            elif name == "image":
                value = _image_html(item, listing, "")
            elif name == "categories":
                value = html.escape(", ".join(item["categories"]))
            elif name == "description":
                value = item["description-text"]
            else:
                value = _value(item, name)
            cells.append(f'<td><span class="listing-{html.escape(name)}">{value}</span></td>')
        rows.append(f"<tr{_attributes(len(rows), item)}>" + "".join(cells) + "</tr>")
    return (f'<table class="{classes}"><thead><tr>{heads}</tr></thead>'
            f'<tbody class="list">{"".join(rows)}</tbody></table>')
