"""brand.yml (https://quarto.org/docs/authoring/brand.html): one file of colours and fonts for every format.

Quarto uses ``_brand.yml`` (or ``_brand.yaml``) from the project's root (or, outside a project, the
document's folder) without being asked; ``brand:`` names another file, gives the brand inline, or is
``false`` for none. Here the brand becomes a layer of SCSS variables in the HTML theme (Bootstrap's ``$primary``,
``$body-bg``, ``$font-family-base`` ...; with no ``theme:`` the theme is plain Bootstrap, as in Quarto) and in a
reveal.js deck's (background, text, link and heading colours, fonts). As in Quarto, the brand is the least
important layer of a theme unless the theme lists ``brand`` where it should go (``theme: [cosmo, brand]``): a
named theme's own colours win over the brand's (quarto-cli#11440). Colours may name an entry of
``color.palette``, which is also given as ``$brand-NAME`` (and the ``--brand-NAME`` custom property). Fonts
from Google or elsewhere on the web are not fetched (pages work offline): the family is named first and the usual
system fonts follow it.
The brand's ``logo`` is used where the document names none, in Quarto's order of preference: a website's
navbar takes ``small`` (else ``medium``, ``large``), its sidebar and a reveal.js deck's corner ``medium``
(else ``small``, ``large``); each names a file (relative to the brand file) or one of ``logo.images``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.types import RenderError
from qmdrender.yamlfile import read_yaml_file

# brand.yml's colour roles → Bootstrap's variables (foreground and background are the page's text and ground)
_COLOUR_VARIABLES = {"foreground": "body-color", "background": "body-bg", "primary": "primary",
                     "secondary": "secondary", "success": "success", "info": "info", "warning": "warning",
                     "danger": "danger", "light": "light", "dark": "dark"}
_SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
_MONO = 'SFMono-Regular, Menlo, Monaco, Consolas, "DejaVu Sans Mono", monospace'
_NAME = re.compile(r"^[A-Za-z][\w-]*$")


def default_brand_file(project: Path | None, folder: Path) -> Path:
    """Where Quarto looks for a brand nobody named: the project's root, else the document's folder;
    ``_brand.yml``, else ``_brand.yaml`` (the first that exists; ``_brand.yml`` when neither does)."""
    root = project or folder
    return next((root / name for name in ("_brand.yml", "_brand.yaml") if (root / name).is_file()),
                root / "_brand.yml")


def _located_brand(option: Any, project: Path | None, folder: Path,
                   mode: str = "light") -> tuple[dict[str, Any] | None, Path]:
    """The brand and the folder its relative paths start from (the brand file's, else the document's); of a
    ``{light: ..., dark: ...}`` pair (Quarto 1.7's), the ``mode``'s, else the other."""
    if option is False:
        return None, folder
    if isinstance(option, Mapping) and option and set(option) <= {"light", "dark"}:
        other = "dark" if mode == "light" else "light"
        return _located_brand(option.get(mode) or option.get(other), project, folder)
    if isinstance(option, Mapping):
        return dict(option), folder
    if isinstance(option, str) and option:
        path = Path(option) if Path(option).is_absolute() else folder / option
        if not path.is_file():
            raise RenderError(f"brand: {option} does not exist (looked in {path.parent}).")
        return read_yaml_file(path, "brand file", RenderError), path.parent
    found = default_brand_file(project, folder)
    return (read_yaml_file(found, "brand file", RenderError) if found.is_file() else None), found.parent


def find_brand(option: Any, project: Path | None, folder: Path) -> dict[str, Any] | None:
    """The brand a document uses (``brand:`` a file, inline, or ``false``; else the default file), or ``None``."""
    return _located_brand(option, project, folder)[0]


NAVBAR_LOGO = ("small", "medium", "large")  # Quarto's preferences, from first choice to last
SIDEBAR_LOGO = DECK_LOGO = ("medium", "small", "large")


def _logo_choice(value: Any, images: Mapping[str, Any], mode: str = "light") -> tuple[str | None, str]:
    """A logo entry's path and alternative text: a path or a name in the brand's ``images`` (a path, or
    ``{path, alt}``), ``{path, alt}``, or ``{light, dark}`` (the ``mode``'s, else the other, as Quarto
    picks it)."""
    if isinstance(value, Mapping):
        if "path" in value:
            path, alt = _logo_choice(value["path"], images, mode)
            return path, str(value.get("alt") or alt)
        other = "dark" if mode == "light" else "light"
        chosen = value.get(mode) if value.get(mode) is not None else value.get(other)
        if chosen is None and not {"light", "dark"} & set(value):
            chosen = next(iter(value.values()), None)
        return _logo_choice(chosen, images, mode) if chosen is not None else (None, "")
    text = str(value).strip() if value else ""
    if text in images:
        return _logo_choice(images[text], {}, mode)
    return text or None, ""


def brand_logo(option: Any, project: Path | None, folder: Path, preference: tuple[str, ...],
               size: str | None = None) -> str | None:
    """The brand's logo for a place with this ``preference`` (or of the named ``size``), its light one: an
    absolute path, or an address as written; ``None`` when the brand has none."""
    return brand_logo_with_alt(option, project, folder, preference, size)[0]


def brand_logo_with_alt(option: Any, project: Path | None, folder: Path, preference: tuple[str, ...],
                        size: str | None = None, mode: str = "light") -> tuple[str | None, str]:
    """:func:`brand_logo` and the logo's alternative text (the brand's, "" when it gives none)."""
    brand, base = _located_brand(option, project, folder, mode)
    return _logo((brand or {}).get("logo"), base, (size,) if size else preference, mode)


def document_logo(value: Any, option: Any, project: Path | None, folder: Path,
                  mode: str = "light") -> tuple[str | None, str]:
    """A document's own ``logo`` option (a path, the name of one of the brand's images, ``{path, alt}`` or
    ``{light, dark}``) as a path and alternative text: a brand image's path from the brand's folder, any other
    as written."""
    brand, base = _located_brand(option, project, folder, mode)
    images = _mapping(_mapping((brand or {}).get("logo")).get("images"))
    path, alt = _logo_choice(value, images, mode)
    branded = {_logo_choice(entry, {}, mode)[0] for entry in images.values()}
    if path in branded and not re.match(r"^[a-z]+:", path) and (base / path).is_file():
        return str((base / path).resolve()), alt
    return path, alt


def brand_logo_files(option: Any, project: Path | None, folder: Path) -> list[Path]:
    """The brand's logo files that exist (a page that shows one must be written again when it changes)."""
    found = set()
    for mode in ("light", "dark"):  # of a light/dark pair of brands, each one's
        brand, base = _located_brand(option, project, folder, mode)
        found |= {_logo((brand or {}).get("logo"), base, (size,), mode)[0] for size in ("small", "medium", "large")}
    return sorted(Path(logo) for logo in found if logo and Path(logo).is_file())


def _logo(logo: Any, base: Path, names: tuple[str, ...], mode: str = "light") -> tuple[str | None, str]:
    """The first of ``names`` (sizes) the brand's ``logo`` has, resolved against the brand's folder."""
    if not logo:
        return None, ""
    if not isinstance(logo, Mapping):  # one logo for every place
        found, alt = _logo_choice(logo, {}, mode)
    else:
        images = _mapping(logo.get("images"))
        found, alt = next(((path, alt) for name in names
                           for path, alt in [_logo_choice(logo.get(name), images, mode)] if path), (None, ""))
    if found is None or re.match(r"^[a-z]+:", found):
        return found, alt
    return str((base / found).resolve()), alt


def _named_colour(name: str, colours: Mapping[str, Any], mode: str) -> str | None:
    """The colour ``name`` of a brand's ``color`` section: one of its theme colours, else of its palette, a
    palette name resolved to its value, the ``mode``'s of a light/dark pair; ``None`` when it has none."""
    palette = _mapping(colours.get("palette"))
    value = colours.get(name) if name != "palette" and name in colours else palette.get(name)
    if isinstance(value, Mapping) and mode in value:
        value = value[mode]
    return None if value is None else _colour(value, palette, f"color {name}")


def _brand_colours(option: Any, project: Path | None, folder: Path, mode: str) -> Mapping[str, Any]:
    return _mapping(_mapping(_located_brand(option, project, folder, mode)[0]).get("color"))


def brand_colour(name: str, option: Any, project: Path | None, folder: Path, mode: str = "light") -> str | None:
    """The brand's colour ``name`` (``{{< brand color primary >}}``), as :func:`_named_colour` finds it."""
    return _named_colour(name, _brand_colours(option, project, folder, mode), mode)


def brand_colours(option: Any, project: Path | None, folder: Path) -> dict[str, dict[str, str]]:
    """Every colour of the document's brand by mode, as Quarto's Lua API gives them to filters
    (``brand.get_color("light", "primary")``): one brand is the light mode's; a ``{light, dark}`` pair each its
    own. Palette names are resolved to their values."""
    if option is False:
        return {}
    pair = isinstance(option, Mapping) and option and set(option) <= {"light", "dark"}
    found = {}
    for mode in ("light", "dark") if pair else ("light",):
        if pair and not option.get(mode):
            continue
        colours = _brand_colours(option, project, folder, mode)  # the brand read once per mode
        names = [*_mapping(colours.get("palette")), *(name for name in colours if name != "palette")]
        values = {name: _named_colour(name, colours, mode) for name in names}
        if values:
            found[mode] = {name: value for name, value in values.items() if value is not None}
    return found


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


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


# typography's settings other than the families, as Quarto passes them to Bootstrap's and the decks' variables
_TYPOGRAPHY_VARIABLES = {
    ("base", "size"): ("font-size-base",), ("base", "line-height"): ("line-height-base",),
    ("base", "weight"): ("font-weight-base",),
    ("headings", "line-height"): ("headings-line-height",),
    ("headings", "weight"): ("headings-font-weight", "h1h2h3-font-weight", "presentation-heading-font-weight"),
    ("headings", "color"): ("headings-color", "presentation-heading-color"),
    ("headings", "style"): ("headings-font-style",),
    ("link", "color"): ("link-color",), ("link", "background-color"): ("link-color-bg",),
    ("link", "weight"): ("link-weight",), ("link", "decoration"): ("link-decoration",),
    ("monospace", "size"): ("code-font-size",), ("monospace", "color"): ("code-color", "pre-color"),
    ("monospace", "background-color"): ("code-bg", "code-block-bg"),
}
# Bootstrap's colour variables a brand's palette may name (Quarto passes those on)
_BOOTSTRAP_COLOURS = ("black", "white", "blue", "indigo", "purple", "pink", "red", "orange", "yellow", "green",
                      "teal", "cyan")


def brand_layer(brand: Mapping[str, Any], framework: str = "bootstrap") -> dict[str, str]:
    """The brand as one layer of a theme, in Quarto's sections: ``palette`` (``$brand-NAME`` for each colour of
    ``color.palette``, set before every layer's defaults so any may use them), ``defaults`` (the colour roles and
    typography as Bootstrap's and the decks' variables, each ``!default``: where the layer sits in the theme decides
    what wins) and ``rules`` (``--brand-NAME`` custom properties), with the brand's own Sass from
    ``defaults: bootstrap:`` (``defaults: revealjs:`` for a deck's ``framework``: ``defaults``, ``uses``,
    ``functions``, ``mixins``, ``rules``). Links follow ``$primary``
    as Bootstrap's and Quarto's defaults make them, unless ``typography.link.color`` says otherwise."""
    palette_lines, lines, properties = [], [], []
    colours = _mapping(brand.get("color"))
    palette = _mapping(colours.get("palette"))
    for name, value in palette.items():
        if _NAME.match(str(name)):
            colour = _colour(value, palette, f"color.palette.{name}")
            palette_lines.append(f"$brand-{name}: {colour};")
            properties.append(f"--brand-{name}: {colour};")
    for role, variable in _COLOUR_VARIABLES.items():
        if colours.get(role) is not None:
            lines.append(f"${variable}: {_colour(colours[role], palette, f'color.{role}')};")
    if colours.get("secondary") is not None:  # dimmed text (a heading's number) in it, as Quarto maps it
        lines.append(f"$body-secondary: {_colour(colours['secondary'], palette, 'color.secondary')};")
    typography = _mapping(brand.get("typography"))
    base, headings = _family(typography.get("base")), _family(typography.get("headings"))
    monospace = _family(typography.get("monospace"))
    if base:
        lines += [f'$font-family-sans-serif: "{base}", {_SANS};', f'$font-family-base: "{base}", {_SANS};']
    if headings:
        lines.append(f'$headings-font-family: "{headings}", {_SANS};')
    if monospace:
        lines.append(f'$font-family-monospace: "{monospace}", {_MONO};')
    for (key, setting), variables in _TYPOGRAPHY_VARIABLES.items():
        value = _mapping(typography.get(key)).get(setting)
        if value is None or isinstance(value, (Mapping, list)):
            continue
        if "color" in setting:
            value = _colour(value, palette, f"typography.{key}.{setting}")
        lines += [f"${variable}: {value};" for variable in variables]
    lines.append('$theme: "brand";')  # the theme's name when the brand is its most important layer, as Quarto's
    # under them: Bootstrap's own colours named in the palette, and the brand's own Sass for the framework
    # (defaults: bootstrap: or defaults: revealjs:)
    lines += [f"${name}: {_colour(palette[name], palette, f'color.palette.{name}')};"
              for name in _BOOTSTRAP_COLOURS if palette.get(name) is not None]
    own = _mapping(_mapping(brand.get("defaults")).get(framework))
    variables = own.get("defaults")
    if isinstance(variables, Mapping):
        lines += [f"${name}: {value};" for name, value in variables.items() if _NAME.match(str(name))]
    defaults = "\n".join(line[:-1] + " !default;" for line in lines)
    if isinstance(variables, str):
        defaults += "\n" + variables
    rules = f":root {{ {' '.join(properties)} }}" if properties else ""
    sections = {section: str(own[section]) for section in ("uses", "functions", "mixins")
                if isinstance(own.get(section), str)}
    if isinstance(own.get("rules"), str):
        rules = f"{rules}\n{own['rules']}"
    return {"palette": "\n".join(palette_lines), "defaults": defaults, "rules": rules, **sections}


def document_brand_layer(option: Any, project: Path | None, folder: Path,
                         framework: str = "bootstrap") -> dict[str, str] | None:
    """The theme layer of the brand a document uses (its ``brand:`` option, else ``_brand.yml``) for a page
    (``bootstrap``) or a deck (``revealjs``); ``None`` for none."""
    brand = find_brand(option, project, folder)
    return None if brand is None else brand_layer(brand, framework)
