"""brand.yml (https://quarto.org/docs/authoring/brand.html): one file of colours and fonts for every format.

Quarto uses ``_brand.yml`` from the project's root (or, outside a project, the document's folder) without
being asked; ``brand:`` names another file, gives the brand inline, or is ``false`` for none. Here the
brand becomes SCSS variables under the HTML theme (Bootstrap's ``$primary``, ``$body-bg``,
``$font-family-base`` ...; with no ``theme:`` the theme is plain Bootstrap, as in Quarto) and under a
reveal.js deck's theme (background, text, link and heading colours, fonts). Colours may name an entry of
``color.palette``, which is also given as ``$brand-NAME``. Fonts from Google or elsewhere on the web are
not fetched (pages work offline): the family is named first and the usual system fonts follow it.
Logos are not applied yet: a brand with ``logo`` says so in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.types import RenderError, warn
from qmdrender.yamlfile import read_yaml_file

# brand.yml's colour roles → Bootstrap's variables (foreground and background are the page's text and ground)
_COLOUR_VARIABLES = {"foreground": "body-color", "background": "body-bg", "primary": "primary",
                     "secondary": "secondary", "success": "success", "info": "info", "warning": "warning",
                     "danger": "danger", "light": "light", "dark": "dark"}
_SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
_MONO = 'SFMono-Regular, Menlo, Monaco, Consolas, "DejaVu Sans Mono", monospace'
_NAME = re.compile(r"^[A-Za-z][\w-]*$")
_warned: set[str] = set()


def find_brand(option: Any, project: Path | None, folder: Path) -> tuple[dict[str, Any], Path] | None:
    """The brand a document uses and the folder its paths are relative to, or ``None``."""
    if option is False:
        return None
    if isinstance(option, Mapping):
        return dict(option), folder
    if isinstance(option, str) and option:
        path = Path(option) if Path(option).is_absolute() else folder / option
        if not path.is_file():
            raise RenderError(f"brand: {option} does not exist (looked in {path.parent}).")
        return read_yaml_file(path, "brand file", RenderError), path.parent
    found = (project or folder) / "_brand.yml"
    return (read_yaml_file(found, "brand file", RenderError), found.parent) if found.is_file() else None


def _colour(value: Any, palette: Mapping[str, Any], where: str, seen: tuple[str, ...] = ()) -> str:
    if isinstance(value, Mapping):  # {light: ..., dark: ...}: the light one (the page's default mode)
        value = value.get("light", next(iter(value.values()), ""))
    text = str(value).strip()
    if text in palette and text not in seen:
        return _colour(palette[text], palette, where, (*seen, text))
    if not text or any(c in text for c in ";{}"):
        raise RenderError(f"brand: {where}: {value!r} is not a colour.")
    return text


def _family(value: Any) -> str | None:
    family = value.get("family") if isinstance(value, Mapping) else value
    return str(family).strip().strip("\"'") if family else None


def brand_scss(brand: Mapping[str, Any], where: str = "_brand.yml") -> str:
    """The brand as SCSS ``defaults`` (variables set before the theme's own)."""
    lines = []
    colours = brand.get("color") or {}
    palette = colours.get("palette") or {} if isinstance(colours, Mapping) else {}
    for name, value in palette.items():
        if _NAME.match(str(name)):
            lines.append(f"$brand-{name}: {_colour(value, palette, f'color.palette.{name}')};")
    if isinstance(colours, Mapping):
        for role, variable in _COLOUR_VARIABLES.items():
            if colours.get(role) is not None:
                lines.append(f"${variable}: {_colour(colours[role], palette, f'color.{role}')};")
    typography = brand.get("typography") or {}
    if isinstance(typography, Mapping):
        base, headings = _family(typography.get("base")), _family(typography.get("headings"))
        monospace = _family(typography.get("monospace"))
        if base:
            lines += [f'$font-family-sans-serif: "{base}", {_SANS};', f'$font-family-base: "{base}", {_SANS};']
        if headings:
            lines.append(f'$headings-font-family: "{headings}", {_SANS};')
        if monospace:
            lines.append(f'$font-family-monospace: "{monospace}", {_MONO};')
        for key, variable in (("base", "line-height-base"), ("headings", "headings-font-weight")):
            setting = typography.get(key)
            name = "line-height" if key == "base" else "weight"
            if isinstance(setting, Mapping) and setting.get(name) is not None:
                lines.append(f"${variable}: {setting[name]};")
        heading_colour = typography.get("headings", {}).get("color") if isinstance(typography.get("headings"),
                                                                                   Mapping) else None
        if heading_colour:
            colour = _colour(heading_colour, palette, "typography.headings.color")
            lines += [f"$headings-color: {colour};", f"$presentation-heading-color: {colour};"]
        link = typography.get("link")
        link_colour = link.get("color") if isinstance(link, Mapping) else None
        if link_colour or (isinstance(colours, Mapping) and colours.get("primary")):
            lines.append(f"$link-color: {_colour(link_colour or colours['primary'], palette, 'typography.link')};")
    elif isinstance(colours, Mapping) and colours.get("primary"):
        lines.append(f"$link-color: {_colour(colours['primary'], palette, 'color.primary')};")
    if brand.get("logo") and where not in _warned:
        _warned.add(where)
        warn(f"brand: {where}: logo is not applied yet (set the navbar's or the deck's logo: instead).")
    return "\n".join(lines)


def document_brand_scss(option: Any, project: Path | None, folder: Path) -> str:
    """The SCSS of the brand a document uses (its ``brand:`` option, else ``_brand.yml``); ``""`` for none."""
    found = find_brand(option, project, folder)
    if found is None:
        return ""
    brand, _ = found
    return brand_scss(brand, str(option) if isinstance(option, str) else "_brand.yml")
