"""HTML themes as Quarto builds them (https://quarto.org/docs/output-formats/html-themes.html).

``theme: cosmo`` (any Bootswatch name, or ``default`` for plain Bootstrap), ``theme: [cosmo,
custom.scss]`` and ``theme: {light: flatly, dark: darkly}``: the real Bootstrap 5 and Bootswatch SCSS
from the npm registry, compiled by the real Sass compiler (npm's ``sass``), with a document's own
``.scss`` files layered in Quarto's sections (``/*-- scss:defaults --*/`` before the theme's variables,
``/*-- scss:rules --*/`` after its rules; also ``functions``, ``mixins``, ``uses``). The report's own
styles stay on top (``report.css`` reads Bootstrap's CSS variables), and with no ``theme`` the page
keeps the report look. The theme's Google web fonts are switched off (``$web-font-path: false``): pages work
offline, and the same fonts come from npm (web_fonts.py).
A dark theme of a light/dark pair applies when the reader's system prefers dark.

Compiling takes seconds, so the CSS is kept in ``.cache/themes/compiled``, keyed by everything that
goes into it: the SCSS text (theme names and the documents' files), and the versions of Bootstrap,
Bootswatch and Sass.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.types import REPOSITORY, RenderError, warn
from qmdrender.web_fonts import font_faces_css

SECTIONS = ("uses", "functions", "defaults", "mixins", "rules")
_SECTION = re.compile(r"/\*--\s*scss:(\w+)\s*--\*/")


def _packages() -> Path:
    configured = os.environ.get("LLM_REPORTS_THEMES")
    return Path(configured) if configured else REPOSITORY / ".cache" / "themes" / "node_modules"


def theme_root() -> Path:
    """Bootstrap, Bootswatch and Sass from the npm registry, installed by the Makefile into
    ``.cache/themes`` (never a CDN); ``LLM_REPORTS_THEMES`` names another ``node_modules`` folder."""
    root = _packages()
    if not (root / ".bin" / "sass").exists() or not (root / "bootswatch" / "dist").is_dir():
        raise RenderError(f"theme: needs Bootstrap, Bootswatch and Sass, which are not installed at {root}. Run "
                          "`make setup` (npm install into .cache/themes), or set LLM_REPORTS_THEMES to a copy.")
    return root


_said: set[str] = set()


def _skipped(problem: str) -> None:
    """A theme part Quarto cannot find is left out of the theme (Quarto warns for a file, and drops an unknown
    name silently); said once per process."""
    _warn_once(f"{problem}; it is left out of the theme, as Quarto leaves it out.")


def _warn_once(message: str) -> None:
    if message not in _said:
        _said.add(message)
        warn(message)


def bootswatch_names(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "bootswatch" / "dist").iterdir() if (p / "_variables.scss").is_file())


# url(...) in a theme file; one with Sass interpolation or a variable is left to Sass
_URL = re.compile(r"""url\(\s*(["']?)((?:(?!#\{)[^"')$])*?)\1\s*\)""")
_REMOTE = re.compile(r"^(?:[a-zA-Z][\w+.-]*:|//)")
_BLOCK_COMMENT = re.compile(r"(/\*.*?\*/)", re.S)


def with_local_urls(text: str, path: Path) -> tuple[str, list[str]]:
    """``text`` (the stylesheet or theme file at ``path``) with its ``url(...)``\\ s to local files made absolute:
    the author means them from the file's folder (``/...`` from the first folder above it that has the file),
    and the compiled or copied CSS lives elsewhere. One to a file that is not there is emptied (pandoc stops on
    it while it embeds the stylesheet); those are listed, for the caller's warning."""
    missing: list[str] = []

    def located(found: re.Match[str]) -> str:
        target = found[2].strip()
        local = _url_file(target, path)
        if local is None:
            return found[0]
        if local[0] is not None:
            return f'url("{local[0].as_posix()}{local[1]}")'
        missing.append(target)
        return 'url("data:,")'

    # a url(...) inside a /* comment */ is prose ("comment out the `@import url(...)` line"): left alone
    pieces = _BLOCK_COMMENT.split(text)
    return "".join(piece if n % 2 else _URL.sub(located, piece) for n, piece in enumerate(pieces)), missing


def theme_file_sections(path: Path) -> dict[str, str]:
    """A theme ``.scss`` file's sections (:func:`scss_sections`), its local ``url(...)``\\ s made absolute
    (:func:`with_local_urls`; a file that is not there is left out with a warning) and the partials it imports
    from beside it written in (:func:`_with_partials`)."""
    return scss_sections(_theme_text(path, frozenset({path.resolve()})), str(path))


def _theme_text(path: Path, seen: frozenset[Path]) -> str:
    text, missing = with_local_urls(path.read_text(encoding="utf-8"), path)
    for target in missing:
        _warn_once(f"theme: {path.name}: url({target}) names a file that does not exist; the rule goes without it.")
    return _with_partials(text, path, seen)


# an @import statement at the start of a line (not one in a // comment), of one or more quoted names
_IMPORT = re.compile(r"""^[ \t]*@import\s+((?:["'][^"'\n]+["']\s*,?\s*)+);""", re.M)


def _with_partials(text: str, path: Path, seen: frozenset[Path]) -> str:
    """``text`` (the theme file at ``path``) with each ``@import`` of Sass partials beside it (``@import 'mixins'``:
    ``_mixins.scss``) replaced by the partial's text, which is what Sass's ``@import`` means: Quarto compiles a
    theme with its file's folder to import from, and here the theme is compiled from a copy elsewhere. Written
    in, the partials are part of the text the compiled CSS is cached by, so an edited partial is never served
    from the cache. An import of CSS, of an address or of a file not there is left to Sass."""
    def inline(found: re.Match[str]) -> str:
        files = [partial for _, partial in _imported(found[1], path.parent)]
        if not all(files):
            return found[0]
        return "\n".join(_theme_text(file, seen | {file}) for file in files if file not in seen)
    return _IMPORT.sub(inline, text)


def _imported(names: str, folder: Path) -> list[tuple[str, Path | None]]:
    """Each name of an ``@import`` statement's quoted list, with the partial it is (:func:`imported_partial`)."""
    return [(name, imported_partial(name, folder)) for name in re.findall(r"""["']([^"']+)["']""", names)]


def imported_partial(name: str, folder: Path) -> Path | None:
    """The Sass partial an ``@import`` in a theme file in ``folder`` names, found as Sass finds it (``a`` is
    ``_a.scss``, ``a.scss`` or ``a/_index.scss``); ``None`` for CSS, an address or a file that is not there."""
    if _REMOTE.match(name) or name.endswith(".css"):
        return None
    base = folder / name
    names = [base.with_name(f"_{base.name}"), base] if name.endswith(".scss") else [
        base.with_name(f"_{base.name}.scss"), base.with_name(f"{base.name}.scss"), base / "_index.scss",
        base / "index.scss"]
    return next((candidate.resolve() for candidate in names if candidate.is_file()), None)


def _theme_file_layer(part: str, folder: Path) -> list[dict[str, str]]:
    """A theme's ``.scss`` part as its one layer of sections, or none (said) when the file is not there."""
    path = folder / part
    if not path.is_file():
        _skipped(f"theme: {part} does not exist (looked in {folder})")
        return []
    return [theme_file_sections(path)]


def _url_file(target: str, path: Path) -> tuple[Path | None, str] | None:
    """The local file a ``url(target)`` of the theme file at ``path`` names (``None`` when it is not there) and
    the rest of the address (a font's ``?v=2`` or ``#icon``); ``None`` for an address elsewhere."""
    if not target or target.startswith("#") or _REMOTE.match(target):
        return None
    cut = min((at for at in (target.find("?"), target.find("#")) if at >= 0), default=len(target))
    name, suffix = target[:cut], target[cut:]
    folders = [path.parent, *path.parent.parents] if name.startswith("/") else [path.parent]
    for folder in folders:
        candidate = (folder / name.lstrip("/")).resolve()
        if candidate.is_file():
            return candidate, suffix
    return None, suffix


def theme_url_files(path: Path, seen: frozenset[Path] = frozenset()) -> list[tuple[str, Path | None]]:
    """Each local file a theme file's ``url()``\\ s name, with its path (``None``: not there), and the partials
    it imports, for a page's render stamp: an edited background image or partial re-renders the page."""
    if not path.is_file():
        return []
    found: list[tuple[str, Path | None]] = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for match in _URL.finditer(text):
        local = _url_file(match[2].strip(), path)
        if local is not None:
            found.append((match[2].strip(), local[0]))
    if path.suffix == ".scss":  # the partials it imports (written into the theme), and theirs
        for statement in _IMPORT.finditer(text):
            for name, partial in _imported(statement[1], path.parent):
                if partial is not None and partial not in seen:
                    found += [(f"@import {name}", partial), *theme_url_files(partial, seen | {path.resolve()})]
    return found


def scss_sections(text: str, where: str) -> dict[str, str]:
    """A theme file's sections by name. What comes before the first marker is ``defaults``, as Quarto reads it
    (a file may open with its variables and mark only ``/*-- scss:rules --*/``); a file without section markers
    is one ``rules`` section (Quarto refuses it)."""
    parts = _SECTION.split(text)
    if len(parts) == 1:
        return {"rules": text}
    sections: dict[str, str] = {"defaults": parts[0]} if parts[0].strip() else {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        if name not in SECTIONS:
            raise RenderError(f"{where}: unknown section /*-- scss:{name} --*/ (Quarto's are: {', '.join(SECTIONS)}).")
        sections[name] = sections.get(name, "") + body
    return sections


# Quarto's heading sizes, which win over a Bootswatch theme's own (flatly's h2 of 2.5rem is 1.65rem on Quarto's
# pages, as on every theme's measured there); a document's own $h2-font-size still wins (it comes first).
_QUARTO_HEADING_DEFAULTS = """
$h1-font-size: 2rem !default;
$h2-font-size: 1.65rem !default;
$h3-font-size: 1.45rem !default;
$h4-font-size: 1.25rem !default;
$h5-font-size: 1.1rem !default;
$h6-font-size: 1rem !default;
"""
# Quarto's page look where it differs from Bootstrap's (measured on Quarto's pages): on a light page inline code
# in purple on light grey. Under the theme's values (a Bootswatch theme's variables, the document's, come first,
# and !default keeps the first) and before Bootstrap's.
_QUARTO_PAGE_DEFAULTS = """
$qmd-theme-light: if(global-variable-exists(light), $light, null);  // the theme's own, before Bootstrap's
@if not global-variable-exists(body-bg) or (type-of($body-bg) == color and lightness($body-bg) > 50%) {
  $code-color: #7d12ba !default !global;
}
$h1h2h3-font-weight: 600 !default;
// Quarto's Bootstrap: CSS grid (.grid, .g-col-sm-4 ...) instead of the flex grid (.row, .col-md-6), set over
// any theme's value
$enable-grid-classes: false;
$enable-cssgrid: true;
// Quarto's root size, on a phone's screen too (the report's own look takes 16px there)
$font-size-root: 17px !default;
$breadcrumb-divider: quote(">") !default;  // Quarto's, for Bootstrap's .breadcrumb too (an author's own markup)
// Quarto's navbar and link colours for a Bootswatch theme (its theme-override-value): the navbar is $primary,
// except where a theme's own primary would make it loud (cosmo's a light grey, litera's white, superhero's
// its $dark ...; #517699 on plain Bootstrap, a brand's primary), and some themes set the navbar's text
// (cerulean's white ...); cosmo's links are a darker blue for contrast. A theme or document that sets
// $navbar-bg, $navbar-fg or $link-color keeps its own.
// a site's `navbar: background:` / `foreground:` (html.py: $qmd-site-navbar-*), a colour or the name of one of
// the theme's (`dark` is the theme's $dark), as Quarto forwards them to $navbar-bg and $navbar-fg: the navbar's
// text and its page entry's highlight are then worked out for that background, as for a theme's own
@function qmd-site-colour($value) {
  @if type-of($value) == color { @return $value; }
  $names: (primary: if(global-variable-exists(primary), $primary, #0d6efd),
    secondary: if(global-variable-exists(secondary), $secondary, #6c757d),
    success: if(global-variable-exists(success), $success, #198754),
    info: if(global-variable-exists(info), $info, #0dcaf0),
    warning: if(global-variable-exists(warning), $warning, #ffc107),
    danger: if(global-variable-exists(danger), $danger, #dc3545),
    light: if(global-variable-exists(light), $light, #f8f9fa), dark: if(global-variable-exists(dark), $dark, #212529),
    body: if(global-variable-exists(body-bg), $body-bg, #fff));
  @return map-get($names, $value);
}
@if global-variable-exists(qmd-site-navbar-bg) and not global-variable-exists('navbar-bg') {
  $qmd-site-bg: qmd-site-colour($qmd-site-navbar-bg);
  @if $qmd-site-bg != null { $navbar-bg: $qmd-site-bg !global; }
}
@if global-variable-exists(qmd-site-navbar-fg) and not global-variable-exists('navbar-fg') {
  $qmd-site-fg: qmd-site-colour($qmd-site-navbar-fg);
  @if $qmd-site-fg != null { $navbar-fg: $qmd-site-fg !global; }
}
// the same for a site's `sidebar:` and `page-footer:` colours ($sidebar-bg, $footer-bg and their -fg: below)
@if global-variable-exists(qmd-site-sidebar-bg) and not global-variable-exists('sidebar-bg') {
  $qmd-site-bg: qmd-site-colour($qmd-site-sidebar-bg);
  @if $qmd-site-bg != null { $sidebar-bg: $qmd-site-bg !global; }
}
@if global-variable-exists(qmd-site-sidebar-fg) and not global-variable-exists('sidebar-fg') {
  $qmd-site-fg: qmd-site-colour($qmd-site-sidebar-fg);
  @if $qmd-site-fg != null { $sidebar-fg: $qmd-site-fg !global; }
}
@if global-variable-exists(qmd-site-footer-bg) and not global-variable-exists('footer-bg') {
  $qmd-site-bg: qmd-site-colour($qmd-site-footer-bg);
  @if $qmd-site-bg != null { $footer-bg: $qmd-site-bg !global; }
}
@if global-variable-exists(qmd-site-footer-fg) and not global-variable-exists('footer-fg') {
  $qmd-site-fg: qmd-site-colour($qmd-site-footer-fg);
  @if $qmd-site-fg != null { $footer-fg: $qmd-site-fg !global; }
}
$qmd-theme-name: if(global-variable-exists('theme'), $theme, null);
$qmd-own-navbar-bg: global-variable-exists('navbar-bg');
$qmd-own-navbar-fg: global-variable-exists('navbar-fg');
@if $qmd-theme-name != null and not global-variable-exists('navbar-bg') {
  $qmd-primary: if(global-variable-exists('primary'), $primary, #0d6efd);
  $qmd-light: if(global-variable-exists('light'), $light, null);
  $qmd-dark: if(global-variable-exists('dark'), $dark, #000);
  $navbar-bg: $qmd-primary !global;
  @if $qmd-theme-name == cosmo and $qmd-primary == #2780e3 { $navbar-bg: if($qmd-light, $qmd-light, #adb5bd) !global; }
  @if $qmd-theme-name == cyborg and $qmd-primary == #2a9fd6 {
    $navbar-bg: if(global-variable-exists('secondary'), $secondary, #000) !global; }
  @if $qmd-theme-name == litera and $qmd-primary == #4582ec { $navbar-bg: #fff !global; }
  @if $qmd-theme-name == morph and $qmd-primary == #378dfc {
    $navbar-bg: if(global-variable-exists('body-bg'), $body-bg, #000) !global; }
  @if $qmd-theme-name == sandstone and $qmd-primary == #325d88 { $navbar-bg: $qmd-dark !global; }
  @if $qmd-theme-name == simplex and $qmd-primary == #d9230f { $navbar-bg: #fff !global; }
  @if $qmd-theme-name == solar and $qmd-primary == #b58900 { $navbar-bg: $qmd-dark !global; }
  @if $qmd-theme-name == spacelab and $qmd-primary == #446e9b { $navbar-bg: if($qmd-light, $qmd-light, #bbb) !global; }
  @if $qmd-theme-name == superhero and $qmd-primary == #df6919 { $navbar-bg: $qmd-dark !global; }
} @else if not global-variable-exists('navbar-bg') {
  $navbar-bg: #517699 !global;  // Quarto's navbar on plain Bootstrap (theme: default)
}
@if $qmd-theme-name != null and not global-variable-exists('navbar-fg') {
  $qmd-navbar-fg: (cerulean: #fff, darkly: #dee2e6, journal: rgba(#fff, 0.7), lumen: rgba(#fff, 0.7),
    materia: rgba(#fff, 0.7), minty: #fff, morph: rgba(#000, 0.5), pulse: rgba(#fff, 0.7), quartz: rgba(#fff, 0.8),
    sandstone: rgba(#fff, 0.7), simplex: rgba(#000, 0.6), sketchy: #fff, united: rgba(#fff, 0.8),
    vapor: rgba(#fff, 0.8));
  @if map-has-key($qmd-navbar-fg, $qmd-theme-name) { $navbar-fg: map-get($qmd-navbar-fg, $qmd-theme-name) !global; }
}
@if $qmd-theme-name == cosmo and not global-variable-exists('link-color') and global-variable-exists('primary')
    and $primary == if(global-variable-exists('blue'), $blue, #0d6efd) {
  $link-color: #2761e3 !global;
}
"""
# the variables Quarto documents for theming mermaid diagrams ($mermaid-node-bg-color ...): where a theme or a
# deck's .scss sets one, it reaches assets/mermaid_theme.css as the custom property of the same name
MERMAID_VARIABLES = ("bg-color", "edge-color", "fg-color", "fg-color--lighter", "fg-color--lightest", "font-family",
                     "font-weight", "label-bg-color", "label-fg-color", "node-bg-color", "node-fg-color")
_MERMAID_PAGE_RULES = "\n".join(f"@if global-variable-exists(mermaid-{name}) {{ :root {{ --mermaid-{name}: "
                                 f"#{{$mermaid-{name}}}; }} }}" for name in MERMAID_VARIABLES)
_QUARTO_PAGE_RULES = _MERMAID_PAGE_RULES + """
@function qmd-contrasting($color, $background, $goal: 7) {
  // $color mixed toward black (on a light background) or white until it reads at 7:1 (WCAG AAA; a footer's text
  // 4.5:1, AA), as Quarto derives a navbar's text from its background; Quarto calls a background light only where
  // white text would read below 3.1:1 (its tone()), so a mid-tone such as yeti's #008cba takes white text
  $white-contrast: contrast-ratio($background, #fff);
  $light: $white-contrast < 3.1 and contrast-ratio($background, #000) > $white-contrast;
  $toward: if($light, #000, #fff);
  @for $step from 0 through 100 {
    $mixed: mix($toward, $color, $step * 1%);
    @if contrast-ratio($background, $mixed) >= $goal { @return $mixed; }
  }
  @return $toward;
}
// a theme that sets $navbar-bg, $sidebar-bg or $footer-bg (or its -fg) colours the site's navbar, sidebar or
// footer (site.css reads these variables), over the site's own background and foreground, as in Quarto
@mixin qmd-chrome-colours($part, $background, $foreground, $goal: 7) {
  :root {
    --#{$part}-bg: #{$background};
    --#{$part}-fg: #{if($foreground != null, $foreground, qmd-contrasting($background, $background, $goal))};
  }
}
// Quarto's ground for a site's sidebar on a light page: the theme's $light (flatly's #ecf0f1; none without a
// theme), under a site's `sidebar: background:` and a theme's own $sidebar-bg (site.css)
@if $qmd-theme-light != null and type-of($body-bg) == color and lightness($body-bg) > 50% {
  :root { --qmd-sidebar-ground: #{$qmd-theme-light}; }
}
@if global-variable-exists(navbar-bg) and type-of($navbar-bg) == color {
  // a theme's or document's own $navbar-bg and $navbar-fg win over the site's navbar background and foreground;
  // Quarto's values for a theme (above) give way to them, as its defaults do (--qmd-theme-navbar-*: site.css)
  $qmd-navbar-fg-value: if(global-variable-exists(navbar-fg), $navbar-fg, qmd-contrasting($navbar-bg, $navbar-bg));
  $qmd-bg-part: if($qmd-own-navbar-bg, navbar, qmd-theme-navbar);
  // (the text worked out for the site's own navbar background is the site's, over its plain default)
  $qmd-fg-part: if($qmd-own-navbar-fg or ($qmd-own-navbar-bg and global-variable-exists(qmd-site-navbar-bg)), navbar,
    qmd-theme-navbar);
  :root { --#{$qmd-bg-part}-bg: #{$navbar-bg}; --#{$qmd-fg-part}-fg: #{$qmd-navbar-fg-value}; }
  // the page's own entry and a hovered one: Quarto's $navbar-hl, the link colour made to read on the navbar,
  // or a theme's own (flatly's white ...) unless the document set the navbar's colour
  $qmd-navbar-hl: (cyborg: #fff, darkly: #fff, flatly: #fff, journal: #fff, lumen: #fff, materia: #fff, pulse: #fff,
    quartz: #fff, sandstone: #fff, simplex: #000, solar: #fff, superhero: #fff, united: #fff, vapor: #fff,
    spacelab: $link-color);
  $qmd-hl: if(not $qmd-own-navbar-bg and $qmd-theme-name != null and map-has-key($qmd-navbar-hl, $qmd-theme-name),
    map-get($qmd-navbar-hl, $qmd-theme-name),
    if(type-of($link-color) == color, qmd-contrasting($link-color, $navbar-bg), null));
  @if $qmd-hl != null { :root { --#{$qmd-bg-part}-hl: #{$qmd-hl}; --#{$qmd-bg-part}-hl-hover: #{rgba($qmd-hl, 0.8)}; } }
}
// a sidebar's entries as Quarto's: the grey that reads at 7:1 on the page, the page's own entry the link colour
// made to read there ($sidebar-fg and $sidebar-hl from theme-contrast); a theme's own sidebar colours win
@if type-of($body-bg) == color and type-of($link-color) == color {
  :root { --qmd-sidebar-text: #{qmd-contrasting($body-bg, $body-bg)};
    --qmd-sidebar-active: #{qmd-contrasting($link-color, $body-bg)}; }
  // on a docked sidebar's light ground (below) they read on that ground, tinted by it, as Quarto's
  @if $qmd-theme-light != null and type-of($qmd-theme-light) == color and lightness($body-bg) > 50% {
    :root { --qmd-sidebar-text-docked: #{qmd-contrasting($qmd-theme-light, $qmd-theme-light)};
      --qmd-sidebar-active-docked: #{qmd-contrasting($link-color, $qmd-theme-light)}; }
  }
}
@if global-variable-exists(sidebar-bg) and type-of($sidebar-bg) == color {
  @include qmd-chrome-colours(sidebar, $sidebar-bg, if(global-variable-exists(sidebar-fg), $sidebar-fg, null));
  // the page's own entry: the theme's $sidebar-hl, else the link colour made to read on that ground, as Quarto's
  // theme-contrast (a course's teal sidebar: its purple links near white there)
  $qmd-sidebar-hl: if(global-variable-exists(sidebar-hl), $sidebar-hl,
    if(type-of($link-color) == color, qmd-contrasting($link-color, $sidebar-bg), null));
  @if $qmd-sidebar-hl != null { :root { --sidebar-active: #{$qmd-sidebar-hl}; } }
}
@if global-variable-exists(footer-bg) and type-of($footer-bg) == color {
  @include qmd-chrome-colours(footer, $footer-bg, if(global-variable-exists(footer-fg), $footer-fg, null), 4.5);
}
// Quarto's headings on a themed page: h1 and h2 in the theme's heading colour (Bootstrap's is inherit: the text's
// own; only a theme that sets it to null gets the text dimmed 8% as Quarto's theme-dim does) and weight 600, h2
// ruled off, h3 to h6 a little lighter; Bootstrap's heading line spacing ($headings-line-height), not the
// report's. They outrank the report's own rules (report.css's are :where()s) but not an author's "h2 {...}", which
// comes later, as Quarto's page rules do not: hence ":where(body)".
$qmd-heading-color: if($headings-color != null, $headings-color,
  if(type-of($body-color) == color and lightness($body-color) < 50%, lighten($body-color, 8%),
     darken($body-color, 8%)));
:where(body) h1, :where(body) h2, :where(body) h3, :where(body) h4 { line-height: $headings-line-height; }
:where(body) h1, :where(body) h2 {
  color: $qmd-heading-color; margin-top: 2rem; margin-bottom: 1rem; font-weight: $h1h2h3-font-weight; }
:where(body) h1.title { margin-top: 0; }
html body { line-height: $line-height-base; }  // the theme's spacing of lines (Bootstrap's 1.5), not the report's
// Quarto's tables: a light rule above and below (the text mixed 20% into the ground), the head ruled off darker
@if type-of($body-color) == color and type-of($body-bg) == color {
  $qmd-table-rule: mix($body-color, $body-bg, 20%);
  body .table { --bs-table-border-color: #{$qmd-table-rule};
    border-top: 1px solid $qmd-table-rule; border-bottom: 1px solid $qmd-table-rule; }
  body .table > thead { border-top-width: 0; border-bottom: 1px solid mix($body-color, $body-bg, 50%); }
}
:where(body) h2 { border-bottom: 1px solid $table-border-color; padding-bottom: 0.5rem; }
// Quarto's rules: half a line around a table
body table, body table.table { margin-top: 0.5rem; margin-bottom: 0.5rem; }
// (a float's table scrolls sideways in its own box, whose margins do not join the caption's as Quarto's do: the
// table's are what is left of the 0.5rem gap under a caption)
body figure.quarto-float-tbl > figcaption.quarto-float-caption-top + div > table { margin-top: 0.25rem; }
// figures as Bootstrap's reboot and Quarto's rules place them (the report's own look spaces them 1.5rem): none
// above, 1rem under (a .quarto-figure's 1em, its figure none), the caption right under the image
body figure { margin: 0 0 1rem; }
body .quarto-figure { position: relative; margin-bottom: 1em; }
body .quarto-figure > figure { width: 100%; margin-bottom: 0; }
body figcaption { margin-top: 0; }
body figure > figcaption.quarto-float-caption-bottom { margin-bottom: 0.5em; }
body figure > figcaption.quarto-float-caption-top { margin-top: 0.5em; }
// the "Code" menu's button as Quarto's: no box, the theme's muted text at 1rem, darker under the pointer
body details.code-tools-menu > summary.code-tools-button { border: 0; border-radius: 0; font-size: 1rem;
  padding: 0.15rem; margin-left: 5px; color: var(--bs-secondary-color); background-color: transparent;
  line-height: $btn-line-height; }
body details.code-tools-menu > summary.code-tools-button:hover { color: var(--bs-body-color); }
// a table's caption centred above it (under it with tbl-cap-location: bottom), as Quarto's rules set it
body figure.quarto-float-tbl:not(.margin-caption) > figcaption.quarto-float-caption-top {
  margin-top: 0.5rem; margin-bottom: 0.25rem; text-align: center; }
body figure.quarto-float-tbl:not(.margin-caption) > figcaption.quarto-float-caption-bottom {
  padding-top: 0.25rem; margin-bottom: 0.5rem; text-align: center; }
// Quarto's captions and margin notes: the text's colour dimmed 25% (theme-dim), captions 0.9rem, margin notes
// 0.825rem
@if type-of($body-color) == color {
  $qmd-secondary: if(lightness($body-color) < 50%, lighten($body-color, 25%), darken($body-color, 25%));
  body figcaption, body caption, body .table-caption { font-size: 0.9rem; color: $qmd-secondary; }
  body .margin-note, body .margin-caption > figcaption { font-size: 0.825rem; color: $qmd-secondary; }
  // a heading's number dimmed alike, or in a brand's secondary colour (Quarto's body-secondary)
  // (a space after the number, no margin, as on Quarto's pages)
  body .header-section-number { color: if(global-variable-exists('body-secondary'), $body-secondary, $qmd-secondary);
    margin-right: 0; }
  body a.active .header-section-number { color: inherit; }  // the page's entry in the contents: its colour
  // Quarto's block quotes (its patched reboot, Bootstrap's .blockquote, which its pages put on every quote, and
  // its own rule): a light rule at the left, the text at the body's size in the secondary colour
  // (as weighty as Quarto's: an author's "blockquote { border-left: ... }" wins)
  :where(body) blockquote { margin: 0 0 1rem; padding: $font-size-base * 0.625 $font-size-base * 1.25;
    border-left: $spacer * 0.25 solid $gray-200; }
  :where(body) blockquote > p:last-child, :where(body) blockquote > ul:last-child,
  :where(body) blockquote > ol:last-child { margin-bottom: 0; }
  body .blockquote { font-size: inherit; padding-left: 1rem; padding-right: 1.5rem;
    color: if(global-variable-exists('body-secondary'), $body-secondary, $qmd-secondary); }
}
// (an author's "h3 {...}" wins here too)
:where(body) h3 { font-weight: $h1h2h3-font-weight; }
:where(body) h3, :where(body) h4 { opacity: 0.9; margin-top: 1.5rem; }
:where(body) h5, :where(body) h6 { opacity: 0.9; }
// Quarto's code blocks: a box of the progress bar's grey at 65 % (its alpha shifted by $code-block-bg-alpha,
// -0.35; or the theme's own $code-block-bg), bordered in the same colour, the code 0.4em inside it in the small
// font (report.css and a highlight style's own background read --code-block-bg)
$qmd-code-block-alpha: if(global-variable-exists(code-block-bg-alpha) and type-of($code-block-bg-alpha) == number,
  $code-block-bg-alpha, -0.35);
$qmd-code-block-bg: if(global-variable-exists(code-block-bg) and type-of($code-block-bg) == color, $code-block-bg,
  adjust-color(if(type-of($progress-bg) == color, $progress-bg, $gray-200), $alpha: $qmd-code-block-alpha));
:root { --code-block-bg: #{$qmd-code-block-bg}; }
// an author's <details>: its summary in the theme's $text-muted, as Quarto's rule colours it (report.css)
@if global-variable-exists(text-muted) { :root { --qmd-details-summary: #{$text-muted}; } }
// inline code in a paragraph, a list or a table on a light page: on the code blocks' ground while $code-bg is
// Quarto's $gray-100 (a highlight style's own ground too), else on the theme's or author's own $code-bg (AI for
// Actuaries' transparent)
@if type-of($body-bg) == color and lightness($body-bg) > 50% {
  $qmd-code-bg: if(global-variable-exists(code-bg), $code-bg, $gray-100);
  p code:not(.sourceCode), li code:not(.sourceCode), td code:not(.sourceCode) {
    background-color: if($qmd-code-bg == $gray-100, var(--code-block-bg), $qmd-code-bg); padding: 0.2em;
  }
} @else {  // a dark theme's code has no ground of its own, also over a light/dark pair's light half
  p code:not(.sourceCode), li code:not(.sourceCode), td code:not(.sourceCode) { background-color: transparent; }
}
// a cell's printed output as Quarto shows it on a themed page: plain text under the code, without a box (an
// error's traceback too, its lines scrolling rather than wrapped)
body div.cell-output-stdout pre, body div.cell-output-display pre, body div.cell-output-stderr pre,
body div.cell-output-error pre { background: none; border: 0; padding: 0; margin-top: 0; }
body div.cell-output-error .ansi-escaped-output pre { white-space: pre; }
// any other plain pre (an indented code block, one fenced without a language) alike, as Quarto's rules reset a
// pre's ground, padding and border (a sourceCode block keeps its own)
body pre:not(.sourceCode) { background-color: initial; padding: 0; border: 0; margin-top: 0; }
// Quarto's code as its patched Bootstrap reboot and rules set it: the theme's monospace fonts (not the report's
// own) at $code-font-size, code padded and rounded unless the theme has no rounded corners (cosmo), and a
// block's code a padded block itself, inheriting the block's size
body pre, body code, body kbd, body samp { font-family: $font-family-monospace; }
body pre, body code { font-size: $code-font-size; }
body pre code { font-size: inherit; }
body code { border-radius: if($enable-rounded, $border-radius, 0); padding: $spacer * 0.125 $spacer * 0.25;
  font-weight: $font-weight-base; }
// inline code anywhere (a heading's, a term's) on Quarto's $code-bg on a light page (Bootstrap's lightest grey unless
// the theme or document sets $code-bg); a block's code and the contents' or sidebar's code without a ground or
// padding of their own, as Quarto's rules keep a link's text even
@if type-of($body-bg) == color and lightness($body-bg) > 50% {
  body code { background-color: if(global-variable-exists(code-bg) and type-of($code-bg) == color, $code-bg,
    $gray-100); }
}
body pre code { background-color: transparent; }
body nav p code:not(.sourceCode), body nav li code:not(.sourceCode) { background-color: transparent; padding: 0; }
body pre > code { display: block; }
// a link in the theme's $link-weight (the text's weight unless a theme or brand sets it), in bold text too
a { font-weight: if(global-variable-exists(link-weight), $link-weight, $font-weight-base); }
// a listing's grid card with the theme's corners: square where the theme has none (cosmo), as Bootstrap's .card
.quarto-grid-item { border-radius: if($enable-rounded, $card-border-radius, 0); }
// its title an h5 of the theme's size (Quarto sets none of its own)
.quarto-grid-item h5.card-title { font-size: $h5-font-size; }
// (a code block 1em from the text, pandoc's, in the text's size: a callout's code is closer)
body div.sourceCode { border: 1px solid var(--code-block-bg); border-radius: if($enable-rounded, $border-radius, 0);
  overflow-y: hidden; margin: 1em 0; }
body pre.sourceCode { background-color: transparent; padding: 0.4em; font-size: $small-font-size; }
// Quarto's callouts on a themed page: the theme's blue, green, yellow, orange and red, a 5px bar, the title bar
// a tint of it (a shade on a dark page) at 85 %, the title and the body 0.9rem and 0.5em in
$qmd-callout-colors: (note: $blue, tip: $green, warning: $yellow, caution: $orange, important: $red);
$qmd-dark-page: type-of($body-bg) == color and lightness($body-bg) < 50%;
@each $name, $color in $qmd-callout-colors {
  @if type-of($color) == color {
    body .callout-#{$name} { --c: #{$color}; }
    body .callout-#{$name}.callout-style-default > .callout-header {
      background: if($qmd-dark-page, shift-color($color, 70%), shift-color($color, -90%));
    }
  }
}
body .callout { border-left-width: 5px; border-radius: $border-radius;
  border-color: if(type-of($table-border-color) == color, $table-border-color, null); border-left-color: var(--c); }
// (Quarto's own selectors, which outrank the report's: an author's rule for them in a theme's .scss, later in
// this sheet, wins, as in Quarto)
.callout.callout-style-default > .callout-header { font-size: 0.9rem; opacity: 0.85; padding: 0.2em 0.5em 0; }
.callout.callout-style-default.callout-titled > .callout-header { margin-bottom: -0.2em; }
.callout.callout-style-default .callout-body { font-size: 0.9rem; padding: 0 0.5em; }
.callout.callout-style-default .callout-body > :first-child { padding-top: 0.5rem; margin-top: 0; }
.callout.callout-titled .callout-body > :last-child:not(.sourceCode),
.callout.callout-titled .callout-body > div > :last-child:not(.sourceCode) { padding-bottom: 0.5rem; margin-bottom: 0; }
// the header's parts as Quarto's rules space them (Bootstrap's d-flex and flex-fill lay them out): the icon's
// container padded, a collapsible header's chevron on the right, 5px down, and no padding above the title
body .callout-header { gap: 0; }
.callout.callout-style-default:not(.no-icon) div.callout-icon-container { padding-top: 0.1em; padding-right: 0.35em; }
.callout.callout-style-default.callout-caution:not(.no-icon) div.callout-icon-container { padding-top: 0.3em; }
.callout.callout-style-simple:not(.no-icon) div.callout-icon-container { padding-top: 0.2em; padding-right: 0.55em; }
.callout.callout-style-default:not(.no-icon) div.callout-title-container { margin-top: -1px; }
.callout.callout-style-default .callout-header[aria-expanded] { padding-top: 0; margin-bottom: 0; align-items: center; }
.callout.callout-style-default .callout-icon::before, .callout.callout-style-default .callout-toggle::before {
  width: 0.9rem; height: 0.9rem; }
.callout.callout-style-default .callout-toggle::before { margin-top: 5px; }
.callout.callout-style-simple .callout-icon::before, .callout.callout-style-simple .callout-toggle::before {
  width: 1rem; height: 1rem; }
.callout .callout-toggle::before { background: $body-color; }
body .callout:not(.callout-titled) > .callout-body { gap: 0; }
body .callout:not(.callout-titled) > .callout-body > .callout-icon-container { padding-top: 0; }
.callout:not(.callout-titled) .callout-body > :first-child,
.callout:not(.callout-titled) .callout-body > div > :first-child { margin-top: 0.25rem; }
.callout:not(.callout-titled) .callout-body > :last-child,
.callout:not(.callout-titled) .callout-body > div > :last-child { margin-bottom: 0.2rem; }
// the document's first section heading sits close under the title block, as Quarto's first section's h2 does
body main.content > section:first-of-type > h2:first-child { margin-top: 0; }
// a paragraph right before a section keeps 2rem from its heading (Quarto 1.8's rule: that heading has no margin)
body main.content > p:has(+ section) { margin-bottom: 2rem; }
// Quarto's title block (title-block.scss): 1rem from the top of the page and 1rem below, the metadata close
// under the title, its headings small capitals of 0.8em and its values 0.9em
html body { --page-top: 1rem; padding-top: var(--page-top); }
// a site's page: Quarto's content starts 1rem and its 14px padding below the navbar (or the window's top)
html body.has-sidebar:not(.has-navbar) { --page-top: calc(1rem + 13px); padding-top: var(--page-top); }
html body.has-navbar { --page-top: calc(1rem + 13px);
  padding-top: calc(var(--navbar-height, 4.15rem) + var(--page-top)); }
@media print { html body.has-navbar, html body.has-sidebar:not(.has-navbar) { padding-top: 0; } }
body header#title-block-header { margin-bottom: 1rem; }
// (its size Bootstrap's h1, Quarto's 2rem on a wide screen, which an author's "h1 {...}" overrides, as in Quarto)
body header#title-block-header .title { margin-bottom: 0; line-height: 1.2; }
// a tabset: Bootstrap's tabs over Quarto's box, open at the top (filters/tabsets.lua writes Quarto's markup)
body .nav-tabs .nav-item { margin-top: 1px; cursor: pointer; }
body .panel-tabset > .nav-tabs { gap: 0; }  // Bootstrap's tabs touch (the report's own look spaces them)
body .panel-tabset > .tab-content { margin-top: 0; border-left: $nav-tabs-border-color $nav-tabs-border-width solid;
  border-right: $nav-tabs-border-color $nav-tabs-border-width solid;
  border-bottom: $nav-tabs-border-color $nav-tabs-border-width solid; margin-left: 0; padding: 1em;
  margin-bottom: 1em; }
body .tab-content > .tab-pane:not(.active) { display: none !important; }
body .tab-content > .tab-pane { padding: 0; }  // the box's 1em only (the report's own look pads the pane)
// (Quarto's: a pane's code block without a margin above it, its last paragraph or block none below)
body .tab-pane div.sourceCode { margin-top: 0; }
body .tab-pane > p:last-child, body .tab-pane > pre:last-child { margin-bottom: 0; }
// the subtitle is Bootstrap's lead paragraph in the text's colour, as Quarto writes it ("subtitle lead")
body header#title-block-header p.subtitle { margin: 0.25em 0 0.5em; font-size: $lead-font-size;
  font-weight: $lead-font-weight; color: inherit; }
body .quarto-title-meta { margin-top: 0; column-gap: 1em; display: grid; grid-template-columns: repeat(2, 1fr); }
body .quarto-title-meta-author { margin-top: 0; column-gap: 1em; grid-template-columns: minmax(max-content, 1fr) 1fr; }
body .quarto-title-meta-heading { font-size: 0.8em; letter-spacing: normal; opacity: 0.8; font-weight: 400;
  margin-top: 1em; color: inherit; }
body .quarto-title-meta-contents { font-size: 0.9em; }
body .quarto-title-meta-contents p { margin: 0 0 0.1em; }
"""


# Where Quarto's own copy of a Bootswatch theme sets a variable otherwise than the npm release: zephyr's
# headings are its gray-900 in Quarto, a CSS variable that Bootstrap never defines (the text colour) on npm.
QUARTO_THEME_DEFAULTS = {"zephyr": "$headings-color: #212529 !default;"}


_BASE: dict[str, str] = {}  # where a theme's Bootswatch base (or Quarto's own defaults) sits among its layers


# Quarto compiles its listing stylesheet into every page of a website or book, and that stylesheet's variables
# sit under a `scss:variables` boundary Quarto's reader does not know, so they stay in its functions section,
# which comes before every theme's defaults: these values win over a Bootswatch theme's own (which all say
# !default), and only an author's plain assignment overrides them. Quarto's yeti site: Bootstrap's #6c757d grey
# and 0.25rem corners, not yeti's #888 and square ones; a page outside a site keeps the theme's.
_QUARTO_SITE_DEFAULTS = """
$gray-300: #dee2e6 !default; $gray-500: #adb5bd !default; $gray-600: #6c757d !default; $gray-800: #343a40 !default;
$card-cap-bg: rgba($gray-800, 0.25) !default;
$border-color: $gray-300 !default;
$border-radius: 0.25rem !default;
$border-radius-sm: 0.2em !default;
$text-muted: $gray-600 !default;
"""


def theme_scss(parts: list[Any], folder: Path, root: Path, brand: Mapping[str, str] | None = None,
               variables: Mapping[str, str] | None = None, *, site: bool = False) -> str:
    """The SCSS of one theme: a Bootswatch or ``default`` base, ``.scss`` files and a ``brand`` layer
    (:mod:`qmdrender.brand`), as Quarto layers them: each in the theme's order, the last the most important;
    the brand where ``brand`` is listed, else first (the least important, quarto-cli#11440); the document's
    ``variables`` (:func:`page_variables_layer`) over them all. ``site``: a website's or book's page, whose
    theme Quarto compiles under its site's own values (:data:`_QUARTO_SITE_DEFAULTS`)."""
    base, layers = None, []  # least important first
    names = bootswatch_names(root)
    for part in map(str, parts):
        if part == "brand":
            layers += [brand] if brand else []
        elif part.endswith((".scss", ".css")):
            layers += _theme_file_layer(part, folder)
        elif part == "default" or part in names:
            base = None if part == "default" else part
            layers.append(_BASE)
        else:
            _skipped(f"theme: {part!r} is not a Bootswatch theme ({', '.join(['default', 'brand', *names])}) "
                     "or a .scss file")
    if not any(layer is _BASE for layer in layers):
        layers.insert(0, _BASE)  # Quarto's own defaults under the files', as Quarto puts them with no base
    if brand and "brand" not in map(str, parts):
        layers.insert(0, brand)
    if variables:
        layers.append(variables)
    own = [layer for layer in layers if layer is not _BASE]

    def joined(section: str) -> str:
        return "\n".join(layer.get(section, "") for layer in own)

    def layer_defaults(layer: Mapping[str, str]) -> str:
        if layer is not _BASE:
            return layer.get("defaults", "")
        return "\n".join([
            "$web-font-path: false !default;",  # no Google Fonts: the page must work offline
            QUARTO_THEME_DEFAULTS.get(base or "", ""),
            _QUARTO_HEADING_DEFAULTS,
            f'@import "bootswatch/dist/{base}/variables";' if base else ""])

    # the most important layer's defaults come first: a !default keeps the first value set
    return "\n".join([
        joined("uses"), _QUARTO_SITE_DEFAULTS if site else "", joined("functions"), joined("palette"),
        *(layer_defaults(layer) for layer in reversed(layers)),
        _QUARTO_PAGE_DEFAULTS,
        '@import "bootstrap/scss/bootstrap";',
        joined("mixins"),
        f'@import "bootswatch/dist/{base}/bootswatch";' if base else "",
        _QUARTO_PAGE_RULES,
        font_faces_css(root, base) if base else "",  # the fonts Quarto's page links from Google, from npm
        joined("rules"),
    ])


def _versions(root: Path) -> str:
    return "".join((root / name / "package.json").read_text(encoding="utf-8")
                   for name in ("bootstrap", "bootswatch", "sass"))


_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CLASS_NAME = re.compile(r"\.(-?[A-Za-z_][\w-]*)")


def _css_blocks(css: str) -> list[tuple[str, str]]:
    """A stylesheet's top-level (prelude, body) pairs: a rule's selectors and declarations, or an at-rule's
    condition and the rules inside it."""
    blocks, depth, start, prelude = [], 0, 0, ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude, start = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append((prelude, css[start:index]))
                start = index + 1
    return blocks


@functools.lru_cache(maxsize=2)
def _utility_rules(path: Path, changed: float) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """Bootstrap's utilities stylesheet, read and parsed once per process (``changed``: the file's time, so
    a reinstalled one is read again): its ``:root`` variables, and each rule as (the at-rule around it or "",
    its selectors, its declarations), in order."""
    variables, rules = "", []
    for prelude, body in _css_blocks(_COMMENT.sub("", path.read_text(encoding="utf-8"))):
        if prelude.startswith(":root") and not variables:
            variables = body
        elif prelude.startswith(("@media", "@supports")):
            rules += [(prelude, selectors, declarations) for selectors, declarations in _css_blocks(body)]
        elif not prelude.startswith("@"):
            rules.append(("", prelude, body))
    return variables, tuple(rules)


def bootstrap_utilities(classes: set[str]) -> str:
    """The rules of Bootstrap's utility classes that a page without a theme uses (``.border``,
    ``.text-center``, ``.float-end``, ``.mt-3`` ...), from the npm release, with the variables they read: Quarto's
    pages always have Bootstrap, so authors write them. ``""`` when the page uses none (or Bootstrap is not
    installed: the page keeps its look)."""
    path = _packages() / "bootstrap" / "dist" / "css" / "bootstrap-utilities.min.css"
    if not classes or not path.is_file():
        return ""
    variables, rules = _utility_rules(path, path.stat().st_mtime)
    kept = [(around, f"{selectors}{{{declarations}}}") for around, selectors, declarations in rules
            if any((named := set(_CLASS_NAME.findall(selector))) and named <= classes
                   for selector in selectors.split(","))]
    if not kept:
        return ""
    parts = []  # the rules in their order, those of one at-rule (a breakpoint) together in it
    for around, group in itertools.groupby(kept, key=lambda rule: rule[0]):
        text = "".join(rule for _, rule in group)
        parts.append(f"{around}{{{text}}}" if around else text)
    return f":root{{{variables}}}{''.join(parts)}"


def compile_scss(scss: str, root: Path) -> Path:
    """``scss`` compiled to CSS (kept in the cache, keyed by the SCSS and the packages' versions)."""
    key = hashlib.sha256((scss + "\0" + _versions(root)).encode()).hexdigest()[:24]
    folder = REPOSITORY / ".cache" / "themes" / "compiled"
    target = folder / f"{key}.css"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qmdrender-theme-", dir=folder) as work:
        source, css = Path(work) / "theme.scss", Path(work) / "theme.css"
        source.write_text(scss, encoding="utf-8")
        done = subprocess.run([str(root / ".bin" / "sass"), f"--load-path={root}", "--quiet-deps", "--no-source-map",
                               "--style=compressed", str(source), str(css)], capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0:
            raise RenderError(f"theme: Sass could not compile the theme: {done.stderr.strip()[-1500:]}")
        os.replace(css, target)  # atomic: a render running at the same time reads all of it or none
    return target


def theme_stylesheets(theme: Any, folder: Path, brand: Mapping[str, str] | None = None,
                      variables: Mapping[str, str] | None = None, *, site: bool = False) -> list[tuple[Path, str]]:
    """The compiled stylesheets for ``theme``, each with its part: ``all`` for one theme, ``light`` and ``dark``
    for the halves of a light/dark pair (the reader switches between them: formats/color_scheme.py); ``[]``
    when no theme is named and no ``brand`` layer is given (with one, the theme is plain Bootstrap, as in Quarto;
    a pair's light half takes it). ``site``: a website's or book's page (:func:`theme_scss`)."""
    if theme in (None, False, ""):
        if not brand:
            return []
        theme = "default"
    root = theme_root()
    if isinstance(theme, Mapping):
        unknown = set(theme) - {"light", "dark"}
        if unknown:
            raise RenderError(f"theme: takes light: and dark:, not {', '.join(sorted(map(str, unknown)))}.")
        halves = [mode for mode in ("light", "dark") if theme.get(mode)]
        sheets = []
        for mode in halves:
            parts = theme[mode] if isinstance(theme[mode], list) else [theme[mode]]
            layered = brand if mode == "light" else None
            sheets.append((compile_scss(theme_scss(parts, folder, root, layered, variables, site=site), root),
                           mode if len(halves) == 2 else "all"))
        return sheets
    parts = theme if isinstance(theme, list) else [theme]
    return [(compile_scss(theme_scss(parts, folder, root, brand, variables, site=site), root), "all")]


REVEAL_THEMES = ("beige", "black", "black-contrast", "blood", "dracula", "league", "moon", "night", "serif", "simple",
                 "sky", "solarized", "white", "white-contrast")
# Quarto's names for reveal.js themes: its ``default`` is light, its ``dark`` is reveal.js's black.
REVEAL_ALIASES = {"default": "white", "dark": "black"}
# the reveal.js themes with a dark background (their code takes a highlight theme's dark variant)
DARK_REVEAL_THEMES = frozenset({"black", "black-contrast", "blood", "dracula", "league", "moon", "night"})


def is_dark_deck(theme: Any) -> bool:
    """Whether a deck's ``theme:`` names a dark reveal.js theme."""
    parts = theme if isinstance(theme, list) else [theme]
    return any(REVEAL_ALIASES.get(str(part), str(part)) in DARK_REVEAL_THEMES for part in parts)


# the Bootswatch themes with a dark background
DARK_BOOTSWATCH_THEMES = frozenset({"cyborg", "darkly", "slate", "solar", "superhero", "vapor"})


def is_dark_page(theme: Any) -> bool:
    """Whether a page's ``theme:`` is a single dark Bootswatch theme (a light/dark pair starts light)."""
    parts = theme if isinstance(theme, list) else [theme]
    return any(str(part) in DARK_BOOTSWATCH_THEMES for part in parts)
# A reveal.js theme's CSS custom properties and the Sass variables Quarto names them by
# (https://quarto.org/docs/presentations/revealjs/themes.html#sass-variables).
_REVEAL_PROPERTIES = {
    "background-color": "body-bg", "main-color": "body-color", "link-color": "link-color",
    "link-color-hover": "link-color-hover", "selection-background-color": "selection-bg",
    "selection-color": "selection-color", "main-font": "font-family-sans-serif", "code-font": "font-family-monospace",
    "main-font-size": "presentation-font-size-root", "heading-font": "presentation-heading-font",
    "heading-color": "presentation-heading-color", "heading-line-height": "presentation-heading-line-height",
    "heading-letter-spacing": "presentation-heading-letter-spacing",
    "heading-text-transform": "presentation-heading-text-transform",
    "heading-text-shadow": "presentation-heading-text-shadow",
    "heading-font-weight": "presentation-heading-font-weight",
    "heading1-text-shadow": "presentation-h1-text-shadow", "heading1-size": "presentation-h1-font-size",
    "heading2-size": "presentation-h2-font-size", "heading3-size": "presentation-h3-font-size",
    "heading4-size": "presentation-h4-font-size",
}
# The rest of Quarto's documented reveal.js variables, with its defaults, so that a deck's rules may use any.
_QUARTO_REVEAL_DEFAULTS = """
$text-muted: lighten($body-color, 30%) !default;
$presentation-font-smaller: 0.7 !default;
$presentation-line-height: 1.3 !default;
$light-bg-text-color: #222 !default;
$light-bg-link-color: #2a76dd !default;
$light-bg-code-color: #4758ab !default;
$dark-bg-text-color: #fff !default;
$dark-bg-link-color: #42affa !default;
$dark-bg-code-color: #ffa07a !default;
$code-block-bg: $body-bg !default;
$code-block-border-color: lighten($body-color, 60%) !default;
$code-block-font-size: 0.55em !default;
$code-block-line-height: $presentation-line-height !default;
$code-color: var(--quarto-hl-fu-color) !default;
$code-bg: transparent !default;
$tabset-border-color: $code-block-border-color !default;
$border-color: lighten($body-color, 30%) !default;
$border-width: 1px !default;
$border-radius: 3px !default;
$presentation-block-margin: 12px !default;
$presentation-slide-text-align: left !default;
$presentation-title-slide-text-align: center !default;
$callout-border-width: 0.3rem !default;
$callout-border-scale: 0% !default;
$callout-icon-scale: 10% !default;
$callout-margin-top: 1rem !default;
$callout-margin-bottom: 1rem !default;
$callout-color-note: #0d6efd !default;
$callout-color-tip: #198754 !default;
$callout-color-caution: #fd7e14 !default;
$callout-color-warning: #ffc107 !default;
$callout-color-important: #dc3545 !default;
"""
# A variable a deck sets also moves those Quarto derives from it (headings follow the body colour ...).
# (variable: (the one it follows, Quarto's default expression))
_DERIVED_FROM = {"presentation-heading-color": ("body-color", "$body-color"),
                 "presentation-heading-font": ("font-family-sans-serif", "$font-family-sans-serif"),
                 "link-color-hover": ("link-color", "lighten($link-color, 15%)"),
                 "selection-bg": ("link-color", "lighten($link-color, 25%)"),
                 "selection-color": ("body-bg", "$body-bg")}
# Other names a deck may set a Quarto variable by: Bootstrap's (a brand, or a theme file shared with pages).
_VARIABLE_ALIASES = {"headings-font-family": "presentation-heading-font",
                     "headings-color": "presentation-heading-color",
                     "primary": "link-color"}  # Quarto's $link-color: $primary !default
_FROM_BODY_COLOR = ("text-muted", "code-block-border-color")
# Quarto's code blocks always take $code-block-bg ($body-bg unless set): the slide's own colour, but a deck that
# colours its slides by reveal.js's $backgroundColor keeps the theme's $body-bg (white) behind its code
_ALWAYS_APPLIED = (*_FROM_BODY_COLOR, "code-block-bg")
# reveal.js's own theme variables, which decks written for reveal.js themes set: as in Quarto (whose
# $mainColor is only $body-color's default) each sets its reveal.js property and nothing Quarto derives from
# its own variable ($mainColor colours the text; the footer's muted grey still follows $body-color).
_REVEAL_NAMES = {"backgroundColor": ["background-color"], "mainColor": ["main-color"],
                 "headingColor": ["heading-color"], "linkColor": ["link-color"],
                 "linkColorHover": ["link-color-hover"], "mainFont": ["main-font"], "headingFont": ["heading-font"],
                 "codeFont": ["code-font"], "mainFontSize": ["main-font-size"],
                 "selectionBackgroundColor": ["selection-background-color"],
                 "selectionColor": ["selection-color"], "blockMargin": ["block-margin"],
                 **{f"heading{level}Size": [f"heading{level}-size"] for level in range(1, 5)},
                 "headingLineHeight": ["heading-line-height"], "headingLetterSpacing": ["heading-letter-spacing"],
                 "headingTextTransform": ["heading-text-transform"], "headingTextShadow": ["heading-text-shadow"],
                 "heading1TextShadow": ["heading1-text-shadow"], "headingFontWeight": ["heading-font-weight"],
                 "headingMargin": ["heading-margin"]}
# Quarto-only variables a deck may set, and the rules that apply them over the reveal.js theme.
_QUARTO_ONLY_RULES = {
    "code-block-bg": ".reveal pre, .reveal pre code { background-color: $code-block-bg; }",
    "code-block-font-size": ".reveal pre { font-size: $code-block-font-size; }",
    "code-block-line-height": ".reveal pre { line-height: $code-block-line-height; }",
    "code-block-border-color": ":root { --qmd-code-block-border-color: #{$code-block-border-color}; }",
    # as specific as slides.css's rule for inline code, and after it: the deck's colour wins
    "code-color": ".reveal code:where(:not(pre > code):not(.sourceCode)) { color: $code-color; }",
    "code-bg": ".reveal code:where(:not(pre > code):not(.sourceCode)) { background-color: $code-bg; }",
    "dark-bg-code-color": ":root { --qmd-dark-bg-code-color: #{$dark-bg-code-color}; }",
    # Quarto's selectors, those of the reveal.js theme's own 1.3 (a list's items take it from their section)
    "presentation-line-height": ".reveal p, .reveal .slides section, .reveal .slides section > section { "
                                "line-height: $presentation-line-height; } "
                                ".reveal pre { line-height: $code-block-line-height; }",  # which follows it
    "presentation-block-margin": ":root { --r-block-margin: #{$presentation-block-margin}; "
                                 "--r-heading-margin: 0 0 #{$presentation-block-margin} 0; }",
    # asides, captions, callouts and .smaller slides (assets/slides.css)
    "presentation-font-smaller": ":root { --qmd-font-smaller: #{$presentation-font-smaller}; }",
    "text-muted": ":root { --qmd-text-muted: #{$text-muted}; }",
    "presentation-slide-text-align": ".reveal .slides { text-align: $presentation-slide-text-align; }",
    # Quarto's one rule for it, so a value CSS does not take (a quoted "left") leaves the slide as the others
    # (and its authors' row, each author's block without the padding on that side, as Quarto's title slide; a value
    # CSS does not take leaves the row at its start, as Quarto's)
    "presentation-title-slide-text-align": "#title-slide, div.reveal div.slides section.quarto-title-block { "
                                           "text-align: inherit; text-align: $presentation-title-slide-text-align; }"
                                           " .reveal .quarto-title-block .quarto-title-authors { "
                                           "justify-content: normal; "
                                           "justify-content: $presentation-title-slide-text-align; } "
                                           ".reveal .quarto-title-block .quarto-title-author { padding-left: "
                                           "if($presentation-title-slide-text-align != left, 0.5em, 0); "
                                           "padding-right: if($presentation-title-slide-text-align != right, "
                                           "0.5em, 0); }",
    # a callout's colour: its frame, icon and title bar (assets/slides.css)
    **{f"callout-color-{kind}": f":root {{ --qmd-callout-{kind}: #{{$callout-color-{kind}}}; }}"
       for kind in ("note", "tip", "caution", "warning", "important")},
    # Quarto's mermaid variables (assets/mermaid_theme.css)
    **{f"mermaid-{name}": f":root {{ --mermaid-{name}: #{{$mermaid-{name}}}; }}" for name in MERMAID_VARIABLES},
}


def _reveal_theme_values(css_folder: Path, name: str) -> dict[str, str]:
    """The named reveal.js theme's own values, read from its CSS's ``:root`` custom properties."""
    css = (css_folder / f"{name}.css").read_text(encoding="utf-8")
    root = re.search(r":root\s*{([^}]*)}", css)
    found = dict(re.findall(r"--r-([\w-]+):\s*([^;]+);", root[1])) if root else {}
    return {_REVEAL_PROPERTIES[key]: value.strip() for key, value in found.items() if key in _REVEAL_PROPERTIES}


def _reveal_variables_scss(css_folder: Path, name: str) -> tuple[str, str, str]:
    """Three SCSS parts around a deck's layers: which Quarto variables the deck set (after its defaults), the
    theme's values and Quarto's defaults for the rest (``!default``), and the rules that apply what was set."""
    values = _reveal_theme_values(css_folder, name)
    names = [*values, *_QUARTO_ONLY_RULES]
    aliases = "\n".join(f"@if global-variable-exists('{other}') and not global-variable-exists('{deck}') "
                        f"{{ ${deck}: ${other} !global; }}" for other, deck in _VARIABLE_ALIASES.items())
    flags = aliases + "\n" + "\n".join(f"$qmd-set-{v}: global-variable-exists('{v}');" for v in names)
    # a variable the deck did not set follows the one it derives from when the deck set that (Quarto's defaults)
    derived = "\n".join(f"@if $qmd-set-{source} {{ ${variable}: {expression} !default !global; }}"
                        for variable, (source, expression) in _DERIVED_FROM.items() if source in values)
    defaults = derived + "\n" + "\n".join(f"${v}: {value} !default;" for v, value in values.items()) \
        + _QUARTO_REVEAL_DEFAULTS
    properties = {v: k for k, v in _REVEAL_PROPERTIES.items()}
    rules = []
    for variable in values:
        condition = f"$qmd-set-{variable}"
        if variable in _DERIVED_FROM and _DERIVED_FROM[variable][0] in values:
            condition += f" or $qmd-set-{_DERIVED_FROM[variable][0]}"
        rules.append(f"@if {condition} {{ :root {{ --r-{properties[variable]}: #{{${variable}}}; }} }}")
    # the greys Quarto derives from $body-color are given whatever the deck set: slides.css's stand-ins derive
    # them from the text's colour, which a deck's $mainColor changes and Quarto's $body-color does not follow
    rules += [rule if variable in _ALWAYS_APPLIED else f"@if $qmd-set-{variable} {{ {rule} }}"
              for variable, rule in _QUARTO_ONLY_RULES.items()]
    rules += [f"@if global-variable-exists('{name}') {{ :root {{ "
              + " ".join(f"--r-{prop}: #{{${name}}};" for prop in props) + " } }"
              for name, props in _REVEAL_NAMES.items()]
    rules.append("@if global-variable-exists('blockMargin') and not global-variable-exists('headingMargin') { "
                 ":root { --r-heading-margin: 0 0 #{$blockMargin} 0; } }")
    return flags, defaults, "\n".join(rules)


def reveal_theme(theme: Any, folder: Path, css_folder: Path,
                 brand: Mapping[str, str] | None = None) -> tuple[str | None, Path | None]:
    """A deck's ``theme:``: the reveal.js theme it names (Quarto's ``default`` and ``dark`` are reveal.js's
    ``white`` and ``black``) and its own ``.scss`` files and ``brand`` layer compiled to CSS over it, in Quarto's
    sections and order (``css_folder``: reveal.js's ``dist/theme``). Every Sass variable Quarto documents for
    decks (``$body-bg``, ``$body-color``, ``$link-color``, ``$presentation-heading-font``, ``$code-block-bg``
    ...) is defined, with the named theme's values, so a deck's rules may use any; those the deck sets are
    applied over the theme. As in Quarto the brand is the least important layer unless ``brand`` is listed:
    under a named theme (Quarto's ``default`` sets nothing) only its palette is left."""
    parts = [str(part) for part in (theme if isinstance(theme, list) else [theme] if theme else [])]
    name, named_at, layers = None, -1, []
    for at, part in enumerate(parts):
        if part == "brand":
            layers += [brand] if brand else []
        elif part.endswith((".scss", ".css")):
            layers += _theme_file_layer(part, folder)
        elif part in REVEAL_ALIASES or part in REVEAL_THEMES:
            name, named_at = REVEAL_ALIASES.get(part, part), at
        else:
            _skipped(f"theme: {part!r} is not a reveal.js theme ({', '.join([*REVEAL_ALIASES, *REVEAL_THEMES])}) "
                     "or a .scss file")
    brand_at = parts.index("brand") if "brand" in parts else -1
    under_theme = bool(brand) and name not in (None, "white") and brand_at < named_at
    if brand and brand_at < 0:
        layers.insert(0, brand)
    if not layers:
        return name, None
    root = theme_root()
    flags, defaults, rules = _reveal_variables_scss(css_folder, name or "white")
    own = [layer for layer in layers if not (under_theme and layer is brand)]

    def joined(section: str, among: list[dict[str, str]] = layers) -> list[str]:
        return [layer.get(section, "") for layer in among]

    # the most important layer's defaults first (see theme_scss); a brand under the named theme comes after
    # the flags that mark what the deck sets, so the theme's values stand
    scss = "\n".join([*joined("uses"), *joined("functions"), *joined("palette"), *joined("defaults", own)[::-1],
                      flags, brand.get("defaults", "") if under_theme and brand else "", defaults,
                      *joined("mixins"), rules, *joined("rules")])
    return name, compile_scss(scss, root)
