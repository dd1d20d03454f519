"""A website's page furniture beyond its navigation (which :mod:`qmdrender.site` lays out).

Icons (``icon: github`` on a navbar, sidebar or footer item, and the navbar's ``tools``) are Bootstrap
Icons, as in Quarto, from the npm registry (the Makefile installs them into ``.cache/icons``) and inlined
as SVG, so a page needs no font or network. Also: ``back-to-top-navigation``, an ``announcement`` banner,
``open-graph`` and ``twitter-card`` meta tags, ``google-analytics`` (the tag the reader's browser loads),
and ``reader-mode`` (a navbar button that hides the sidebars and the table of contents). And how one page
links to another (:func:`root_link`), which the navigation and the listings (:mod:`qmdrender.listings`) share.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from qmdrender.palette import CSS_COLOUR
from qmdrender.pandoc import markdown_to_html
from qmdrender.types import REPOSITORY, warn

ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*:")  # a link with a scheme (https:, mailto:, data:): not a page


def root_link(page: Any, href: str) -> str:
    """``href`` (relative to the output root) as seen from ``page`` (its ``href``, relative to the root too);
    an address (``https:`` ...) as it is."""
    if ADDRESS.match(href):
        return href
    if href.startswith("/") and not href.startswith("//"):  # "/assets/logo.png": from the site's root, as Quarto
        href = href.lstrip("/") or "."
    return os.path.relpath(href, PurePosixPath(page.href).parent.as_posix() or ".").replace(os.sep, "/")


def icons_folder() -> Path:
    """Bootstrap Icons' SVG files (``LLM_REPORTS_ICONS`` names another copy of the ``icons`` folder)."""
    configured = os.environ.get("LLM_REPORTS_ICONS")
    return Path(configured) if configured else \
        REPOSITORY / ".cache" / "icons" / "node_modules" / "bootstrap-icons" / "icons"


@functools.cache
def icon_svg(name: str) -> str:
    """The Bootstrap icon ``name`` as inline SVG (``""``, with a warning, when there is no such icon)."""
    if not re.fullmatch(r"[a-z0-9-]+", name or ""):
        return ""
    path = icons_folder() / f"{name}.svg"
    if not path.is_file():
        warn(f"icon: {name} is not a Bootstrap icon here ({icons_folder()}; `make setup` installs them); "
             "its text is shown instead.")
        return ""
    svg = path.read_text(encoding="utf-8").strip()
    return svg.replace("<svg ", '<svg aria-hidden="true" ', 1)


def nav_href(entry: Mapping[str, Any]) -> str:
    """A navigation entry's address: ``href``, or its aliases in Quarto's schema, ``file`` and ``url``."""
    return str(entry.get("href") or entry.get("file") or entry.get("url") or "")


def tools_html(tools: Any, link: Any, css_class: str = "quarto-navbar-tools", extra: str = "") -> str:
    """A navbar's or sidebar's ``tools:`` (icon links), then ``extra`` (a button); ``link(href)`` makes a site path
    relative to the page."""
    entries = tools if isinstance(tools, list) else []
    links = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not (nav_href(entry) or isinstance(entry.get("menu"), list)):
            continue
        icon = str(entry.get("icon") or "")
        label = html.escape(str(entry.get("text") or entry.get("aria-label") or icon.title()))
        shown = icon_svg(icon) or label
        if not nav_href(entry):  # a menu of links under the icon (a <details>, which opens without a script)
            item_class = "dropdown-item sidebar-tools-main-item" if "sidebar-tools-main" in css_class else \
                "dropdown-item"  # Quarto's names for a sidebar's tool menu's links
            items = "".join(f'<li><a class="{item_class}" href="{html.escape(link(nav_href(item)))}"'
                            f'{_shared(nav_href(item))}>{html.escape(str(item.get("text") or nav_href(item)))}</a></li>'
                            for item in entry["menu"] if isinstance(item, Mapping) and nav_href(item))
            links.append(f'<details class="quarto-navigation-tool-menu"><summary class="quarto-navigation-tool" '
                         f'aria-label="{label}" title="{label}">{shown}</summary><ul>{items}</ul></details>')
            continue
        href = link(nav_href(entry))
        links.append(f'<a class="quarto-navigation-tool" href="{html.escape(href)}" aria-label="{label}"'
                     f' title="{label}"{_shared(href)}>{shown}</a>')
    return f'<div class="{css_class}">{"".join(links)}{extra}</div>' if links or extra else ""


# A book's sharing: links (Quarto's services); SHARED_PAGE stands for the page's address, put in by the reader's
# browser (SHARE_SCRIPT), as Quarto's page does
SHARED_PAGE = "|url|"
SHARING = {"linkedin": ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url=|url|"),
           "facebook": ("Facebook", "https://www.facebook.com/sharer/sharer.php?u=|url|"),
           "twitter": ("Twitter", "https://twitter.com/intent/tweet?url=|url|")}
SHARE_SCRIPT = ("this.href = this.href.replace(/%7Curl%7C|[|]url[|]/, encodeURIComponent(window.location.href))")


def sidebar_tools(sidebars: list[Mapping[str, Any]], options: Mapping[str, Any], book: bool,
                  downloads: Sequence[tuple[str, str]] = (), share: str = "Share") -> list[dict[str, Any]]:
    """The icons beside a sidebar's title, in Quarto's order: the first sidebar's own ``tools:``, a book's
    ``repo-url`` (the host's icon), its ``downloads`` ((text, href) pairs: the book's PDF), then its
    ``sharing`` (one service's icon, or a ``share`` menu of them; names Quarto does not know are left out, as
    Quarto leaves them)."""
    listed = next((s["tools"] for s in sidebars if isinstance(s.get("tools"), list)), [])
    tools = [dict(t) for t in listed if isinstance(t, Mapping)]
    url = str(options.get("repo-url") or "")
    if book and url:
        host = next((name for name in ("github", "gitlab", "bitbucket") if name in url.lower()), "git")
        tools.append({"icon": host, "href": url, "text": "Source Code"})
    tools += [{"icon": "file-pdf", "href": href, "text": text} for text, href in downloads]
    sharing = options.get("sharing") if book else None
    names = [sharing] if isinstance(sharing, str) else sharing if isinstance(sharing, list) else []
    services = [{"icon": str(name), "text": SHARING[name][0], "href": SHARING[name][1]}
                for name in map(str, names) if name in SHARING]
    if len(services) > 1:
        services = [{"icon": "share", "text": share, "menu": services}]
    return tools + services


def _shared(href: str) -> str:
    """A sharing link's script that puts the page's address in (``""`` for any other link)."""
    return f' onclick="{html.escape(SHARE_SCRIPT)}"' if SHARED_PAGE in href else ""


def reader_toggle_html(enabled: Any) -> str:
    if not enabled:
        return ""
    return ('<button type="button" class="quarto-reader-toggle" aria-pressed="false" title="Toggle reader mode" '
            f'aria-label="Toggle reader mode">{icon_svg("layout-text-sidebar") or "Reader"}</button>')


def back_to_top_html(enabled: Any, words: Mapping[str, str]) -> str:
    """``back-to-top-navigation``: a link at the foot of the page's text."""
    if not enabled:
        return ""
    text = words.get("back-to-top", "Back to top")
    return (f'<div class="quarto-back-to-top"><a href="#" onclick="window.scrollTo(0, 0); return false;">'
            f'{icon_svg("arrow-up")} {html.escape(text)}</a></div>')


def announcement_html(announcement: Any) -> str:
    """``announcement:``: a banner over the page (``content`` in Markdown, ``type`` as a Bootstrap alert
    colour, ``dismissable``, ``icon``); a dismissed one stays hidden in that browser."""
    if not announcement:
        return ""
    settings = announcement if isinstance(announcement, Mapping) else {"content": announcement}
    content = markdown_to_html(str(settings.get("content") or ""))
    kind = str(settings.get("type") or "primary")
    kind = kind if re.fullmatch(r"[a-z]+", kind) else "primary"
    icon = icon_svg(str(settings.get("icon") or "")) if settings.get("icon") else ""
    close = ('<button type="button" class="quarto-announcement-close" aria-label="Close" '
             'onclick="this.parentElement.hidden = true; try { localStorage.setItem(\'quarto-announcement\', '
             'this.parentElement.dataset.key); } catch (e) {}">&times;</button>') \
        if settings.get("dismissable", True) is not False else ""
    key = hashlib.sha1(content.encode()).hexdigest()[:12]  # a new text shows again
    return (f'<div class="quarto-announcement alert-{kind}" data-key="{key}">{icon}'
            f'<div class="quarto-announcement-content">{content}</div>{close}</div>'
            '<script>try { var a = document.querySelector(".quarto-announcement");'
            ' if (localStorage.getItem("quarto-announcement") === a.dataset.key) a.hidden = true; } catch (e) {}'
            "</script>")


def head_meta_html(options: Mapping[str, Any], page_text: str, url: str) -> str:
    """``open-graph`` and ``twitter-card`` meta tags (title, description, image, site name, card style,
    creator), and ``google-analytics``, for the page's ``<head>``."""
    title = _first(r"<title>(.*?)</title>", page_text)
    description = _first(r'<meta name="description" content="([^"]*)"', page_text) or \
        str(options.get("description") or "")
    image = str(options.get("image") or "")
    tags = []
    graph = options.get("open-graph")
    if graph:
        graph = graph if isinstance(graph, Mapping) else {}
        values = {"og:title": graph.get("title") or title,
                  "og:description": graph.get("description") or description,
                  "og:image": graph.get("image") or image,
                  "og:site_name": graph.get("site-name") or options.get("title"),
                  "og:image:alt": graph.get("image-alt") or options.get("image-alt"),
                  "og:url": url, "og:locale": graph.get("locale")}
        tags += [f'<meta property="{key}" content="{html.escape(str(value))}">'
                 for key, value in values.items() if value]
    card = options.get("twitter-card")
    if card:
        card = card if isinstance(card, Mapping) else {}
        values = {"twitter:card": card.get("card-style") or ("summary_large_image" if image else "summary"),
                  "twitter:title": card.get("title") or title, "twitter:description": card.get("description") or
                  description, "twitter:image": card.get("image") or image,
                  "twitter:image:alt": card.get("image-alt") or options.get("image-alt"),
                  "twitter:creator": card.get("creator"),
                  "twitter:site": card.get("site")}
        tags += [f'<meta name="{key}" content="{html.escape(str(value))}">' for key, value in values.items() if value]
    analytics = options.get("google-analytics")
    tracking = analytics.get("tracking-id") if isinstance(analytics, Mapping) else analytics
    if tracking and re.fullmatch(r"[A-Z0-9-]+", str(tracking)):
        tag = json.dumps(str(tracking))
        tags.append(f'<script async src="https://www.googletagmanager.com/gtag/js?id={tracking}"></script>'
                    "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"
                    f"gtag('js', new Date()); gtag('config', {tag});</script>")
    return "".join(tags)


def _first(pattern: str, text: str) -> str:
    found = re.search(pattern, text, re.S)
    return html.unescape(found.group(1).strip()) if found else ""


# Bootstrap's theme colours (the names Quarto takes for a navbar's or sidebar's background and foreground), with
# Bootstrap 5's values for a page without a Bootstrap theme.
_THEME_COLOURS = {"primary": "#0d6efd", "secondary": "#6c757d", "success": "#198754", "info": "#0dcaf0",
                  "warning": "#ffc107", "danger": "#dc3545", "light": "#f8f9fa", "dark": "#212529",
                  "body": "#ffffff", "white": "#ffffff", "black": "#000000"}


def css_colour(value: Any) -> tuple[str, str] | None:
    """A colour option as (CSS value, the hex it is known to be, or "")."""
    text = str(value).strip()
    if text in _THEME_COLOURS:
        return f"var(--bs-{text}, {_THEME_COLOURS[text]})", _THEME_COLOURS[text]
    if CSS_COLOUR.match(text):
        return text, text if text.startswith("#") else ""
    return None


def _is_light(hex_colour: str) -> bool:
    digits = hex_colour.lstrip("#")
    digits = "".join(c * 2 for c in digits[:3]) if len(digits) in (3, 4) else digits[:6]
    red, green, blue = (int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.6


def colour_variables(options: Mapping[str, Any], name: str) -> str:
    """A navbar's, sidebar's or footer's ``background`` and ``foreground`` (a Bootstrap colour name such as
    ``light``, or a CSS colour) as the declarations of ``--NAME-bg`` / ``--NAME-fg`` (site.css reads them);
    without a foreground, text that reads on the background, as Quarto picks it. ``""`` for neither."""
    background = css_colour(options["background"]) if options.get("background") else None
    foreground = css_colour(options["foreground"]) if options.get("foreground") else None
    for key, found in (("background", background), ("foreground", foreground)):
        if options.get(key) and found is None:
            warn(f"{name}: {key}: {options[key]!r} is not a colour (a name such as primary or light, or #rrggbb); "
                 "it is left out.")
    styles = []
    if background:
        styles.append(f"--{name}-bg: {background[0]}")
        if not foreground and background[1]:
            foreground = ("#212529", "") if _is_light(background[1]) else ("#ffffff", "")
    if foreground:
        styles.append(f"--{name}-fg: {foreground[0]}")
    if background and name == "navbar":
        # the page's own entry in the navbar's text colour, not in a highlight worked out for the theme's own
        # navbar colour (a theme's own $navbar-bg, and so its highlight, still wins: themes.py)
        styles += ["--navbar-hl: currentColor", "--navbar-hl-hover: currentColor"]
    elif background and name == "sidebar":  # the same for a sidebar's page entry (worked out for the page's ground)
        styles.append("--sidebar-active: currentColor")
    return "".join(f"{style}; " for style in styles)


# (raw HTML too: an extension shortcode's, site_shortcodes.py; quotes, dashes and ellipses for pandoc's smart
# punctuation: Quarto's navbar shows "Luke’s Slides")
_MARKDOWN_MARKS = re.compile(r"[*_`~^\\[$<&'\"]|--|\.\.\.")


@functools.cache
def inline_markdown(text: str) -> str:
    """A navbar's or sidebar's entry text, or a listing's field, as HTML: Quarto reads it as Markdown
    (``**Basics**`` is bold, a page titled ``$k$-Means`` shows an italic k, where Quarto's MathJax typesets it,
    ``Luke's`` takes a curly apostrophe). Plain text is escaped; text with Markdown marks goes through pandoc
    once per process (cached), about 20 ms each."""
    if not _MARKDOWN_MARKS.search(text):
        return html.escape(text)
    return markdown_to_html(text)
