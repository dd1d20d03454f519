"""Light/dark theme pairs (``theme: {light: ..., dark: ...}``) on a page: Quarto's toggle between them.

Quarto compiles both themes, shows the one listed first (or, with ``respect-user-color-scheme: true``, the one
the reader's system prefers), and adds a toggle: in the navbar, else in the sidebar, else at the top right of
the page. The reader's choice is remembered in the browser (``localStorage``, under Quarto's own key and values,
``quarto-color-scheme``: ``default`` or ``alternate``). The page's ``<body>`` has the class ``quarto-light``
or ``quarto-dark``, which authors' stylesheets use (and ``.light-content`` / ``.dark-content`` show in one mode).

Here each half is a ``<style>`` of its own, the dark one after the light one (classes ``quarto-color-scheme``
and ``quarto-color-alternate``, as Quarto's stylesheet links); a script at the start of ``<body>``, before the
first paint, switches the dark one on or off through its ``media`` and sets the body's class. As in Quarto,
the dark theme lies over the light one, which stays: a rule only the light half has (an author's ``.scss`` in
the light list alone) shows in both modes. The dark half carries the dark variant of the code colours.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

from qmdrender.formats.page_main import with_body
from qmdrender.highlight_themes import chosen_style, highlight_css, palette_name
from qmdrender.palette import svg_mask
from qmdrender.site_tools import icon_svg

# the first rule of each half as the HTML format hands it to pandoc, by which the page's <style> is found
_MARKERS = {"light": ".quarto-color-scheme-light{}", "dark": ".quarto-color-scheme-dark{}"}
TOGGLE_CLASS = "quarto-color-scheme-toggle"


@dataclasses.dataclass(frozen=True)
class ColorScheme:
    dark_first: bool  # the author listed dark: before light: (Quarto's default is then dark)
    respect_user: bool  # respect-user-color-scheme: the reader's system decides until they toggle


def color_scheme(options: Mapping[str, Any]) -> ColorScheme | None:
    """The page's light/dark pair, or ``None`` (one theme, or none)."""
    theme = options.get("theme")
    if not (isinstance(theme, Mapping) and theme.get("light") and theme.get("dark")):
        return None
    first = next(key for key in theme if key in ("light", "dark"))
    return ColorScheme(first == "dark", options.get("respect-user-color-scheme") is True)


def scheme_sheet(css: str, part: str, options: Mapping[str, Any]) -> str:
    """The CSS of one half (``light`` or ``dark``) of a pair as the page takes it: marked, and the dark half with
    the dark variant of the code colours after it."""
    dark_code = palette_name(chosen_style(options, dark=True), dark=True) if part == "dark" else None
    return f"{_MARKERS[part]}\n{css}\n{highlight_css(dark_code) if dark_code else ''}"


_SCRIPT = """<script>(function () {
  var config = %s, key = "quarto-color-scheme";
  var query = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function stored() { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
  function wanted() {
    var choice = stored();
    if (choice === "default" || choice === "alternate") return (choice === "alternate") !== config.darkFirst;
    return config.respect && query ? query.matches : config.darkFirst;
  }
  function apply(dark) {
    document.querySelectorAll("style.quarto-color-alternate").forEach(function (sheet) {
      sheet.media = dark ? "all" : "not all";
    });
    document.body.classList.toggle("quarto-dark", dark);
    document.body.classList.toggle("quarto-light", !dark);
    document.querySelectorAll(".quarto-color-scheme-toggle").forEach(function (toggle) {
      toggle.classList.toggle("alternate", dark !== config.darkFirst);
    });
  }
  apply(wanted());
  window.quartoToggleColorScheme = function () {
    var dark = !document.body.classList.contains("quarto-dark");
    try { window.localStorage.setItem(key, dark === config.darkFirst ? "default" : "alternate"); } catch (e) {}
    apply(dark);
    window.dispatchEvent(new Event("resize"));  // as Quarto: widgets and plots measure again
  };
  document.addEventListener("DOMContentLoaded", function () { apply(wanted()); });
  if (config.respect && query && query.addEventListener) {
    query.addEventListener("change", function (event) { if (stored() === null) apply(event.matches); });
  }
})();</script>"""

_TOGGLE = (f'<a href="" class="{TOGGLE_CLASS} top-right" onclick="window.quartoToggleColorScheme(); return false;" '
           'title="Toggle dark mode" aria-label="Toggle dark mode"><i class="bi"></i></a>')


def _style() -> str:
    """The toggle's look: Bootstrap's toggle-off icon, toggle-on when the reader has switched (``.alternate``),
    in the colour of the text around it."""
    off, on = icon_svg("toggle-off"), icon_svg("toggle-on")
    if not (off and on):
        return ""
    return ("<style>.quarto-color-scheme-toggle { color: inherit; opacity: 0.8; text-decoration: none; "
            "display: inline-flex; align-items: center; } .quarto-color-scheme-toggle:hover { opacity: 1; } "
            ".quarto-color-scheme-toggle .bi::before { content: \"\"; display: inline-block; width: 1.1rem; "
            f"height: 1.1rem; vertical-align: -0.125em; background-color: currentColor; {svg_mask(off)} }}"
            f" .quarto-color-scheme-toggle.alternate .bi::before {{ {svg_mask(on)} }}"
            " .quarto-color-scheme-toggle.top-right { position: absolute; top: 1rem; right: 1rem; z-index: 30; "
            "color: var(--bs-body-color, var(--text)); }</style>")


def with_color_scheme(page: str, scheme: ColorScheme | None, dark_page: bool) -> str:
    """``page`` with its body's ``quarto-light``/``quarto-dark`` class and, for a pair, the dark sheet tagged,
    the switching script first in ``<body>`` and the toggle at the top right (a site moves it into its navbar or
    sidebar: :func:`take_toggle`)."""
    mode = "quarto-dark" if (scheme.dark_first if scheme else dark_page) else "quarto-light"
    if scheme is None:
        return with_body(page, mode)
    config = json.dumps({"darkFirst": scheme.dark_first, "respect": scheme.respect_user})
    page = with_body(page, mode, (_SCRIPT % config) + _TOGGLE)
    for part, classes in (("light", "quarto-color-scheme"), ("dark", "quarto-color-scheme quarto-color-alternate")):
        media = "all" if part == "light" or scheme.dark_first else "not all"
        page = re.sub(r'<style type="text/css">\s*' + re.escape(_MARKERS[part]),
                      f'<style class="{classes}" data-mode="{part}" media="{media}">', page, count=1)
    return page.replace("</head>", _style() + "</head>", 1)


def take_toggle(page: str) -> tuple[str, str]:
    """A site page without its top-right toggle, and the toggle as a navbar's or sidebar's tool, where Quarto
    places it (``(page, "")`` when the page has none)."""
    if _TOGGLE not in page:
        return page, ""
    return page.replace(_TOGGLE, "", 1), _TOGGLE.replace(f"{TOGGLE_CLASS} top-right",
                                                         f"{TOGGLE_CLASS} quarto-navigation-tool px-1")
