"""The pandoc variables a document sets for its page's look (``fontsize``, ``linestretch``, ``mainfont``,
``monofont``, ``fontcolor``, ``backgroundcolor``, ``linkcolor``), as Quarto passes them to Bootstrap: Sass
variables layered over a theme (:func:`page_variables_layer`, given to :func:`qmdrender.themes.theme_stylesheets`),
or, on the report's own look without a theme, the CSS that report.css reads (:func:`page_variables_css`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# The document's pandoc variables Quarto passes to Bootstrap (format-html-scss.ts), and how it writes each value
_PAGE_VARIABLES = {"fontsize": "font-size-root", "linestretch": "line-height-base", "backgroundcolor": "body-bg",
                   "fontcolor": "body-color", "linkcolor": "link-color", "mainfont": "font-family-base",
                   "monofont": "font-family-code"}
_CSS_VALUE = re.compile(r"""[#\w.%(), "'-]+""")


def _page_variables(options: Mapping[str, Any]) -> dict[str, str]:
    """Each of those pandoc variables the document sets, by its Bootstrap name, written as CSS."""
    values = {}
    for option, variable in _PAGE_VARIABLES.items():
        value = options.get(option)
        if value in (None, "", False) or not _CSS_VALUE.fullmatch(str(value).strip()):
            continue
        text = str(value).strip()
        if variable.startswith("font-family"):  # a family named with spaces is quoted, as Quarto's asCssFont
            text = ", ".join(f'"{f.strip()}"' if " " in f.strip() and f.strip()[0] not in "\"'" else f.strip()
                             for f in text.split(","))
        values[variable] = text
    return values


def page_variables_layer(options: Mapping[str, Any], site: Mapping[str, Any] | None = None
                         ) -> dict[str, str] | None:
    """``fontsize``, ``linestretch``, ``mainfont``, ``monofont``, ``fontcolor``, ``backgroundcolor`` and
    ``linkcolor`` as the Bootstrap variables Quarto sets from them over a theme (``fontsize: medium`` is
    ``$font-size-root: medium``), with the navbar, sidebar and footer colours of the ``site`` (a project's
    ``website:`` or ``book:`` settings; :func:`_site_chrome`), or ``None`` when neither sets any."""
    lines = [f"${variable}: {value} !default;" for variable, value in _page_variables(options).items()]
    lines += _site_chrome(site or {})
    return {"defaults": "\n".join(lines)} if lines else None


_COLOUR_VALUE = re.compile(r"#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]*\)|[a-z]+")


def _site_chrome(site: Mapping[str, Any]) -> list[str]:
    """A website's (or book's) ``navbar:``, ``sidebar:`` and ``page-footer:`` ``background`` and ``foreground``,
    each a colour or the name of one of the theme's, for the theme to work the text and the page entry's
    highlight out from (themes.py's ``$qmd-site-navbar-*``, ``-sidebar-*``, ``-footer-*``), as Quarto forwards
    them to ``$navbar-bg``, ``$sidebar-bg``, ``$footer-bg`` and their ``-fg``. A site of several sidebars: the
    first that sets a colour, as the site's styles take it."""
    sidebars = site.get("sidebar")
    listed = sidebars if isinstance(sidebars, list) else [sidebars]
    sidebar = next((s for s in listed if isinstance(s, Mapping) and (s.get("background") or s.get("foreground"))),
                   None)
    lines = []
    for part, settings in (("navbar", site.get("navbar")), ("sidebar", sidebar), ("footer", site.get("page-footer"))):
        if not isinstance(settings, Mapping):
            continue
        for key, suffix in (("background", "bg"), ("foreground", "fg")):
            value = str(settings.get(key) or "").strip()
            if _COLOUR_VALUE.fullmatch(value):
                lines.append(f"$qmd-site-{part}-{suffix}: {value};")
    return lines


# The same on the report's own look (no theme): the page's size, the variables report.css reads
_PAGE_CSS = {"font-size-root": "html {{ font-size: {} }}", "line-height-base": "body {{ line-height: {} }}",
             "body-bg": ":root {{ --bs-body-bg: {} }}", "body-color": ":root {{ --bs-body-color: {} }}",
             "link-color": ":root {{ --bs-link-color: {} }}",
             "font-family-base": ":root {{ --bs-body-font-family: {} }}"}


def page_variables_css(options: Mapping[str, Any]) -> str:
    """Those variables as CSS for a page in the report's own look (no Bootstrap theme), or ``""``."""
    return " ".join(_PAGE_CSS[variable].format(value) for variable, value in _page_variables(options).items()
                    if variable in _PAGE_CSS)
