"""The callout palette in one place: each kind's title, icon, colour and tint, for every format.

The HTML themes read the colours as CSS variables (``--note``, ``--note-bg``), the LaTeX callouts
as ``\\definecolor`` names (``calloutnote``), and ``callouts.lua`` the titles and icons from the
document's metadata, so the three can no longer drift apart. Also the one check of a colour an option
gives (a navbar's background, a code block's border), :data:`CSS_COLOUR`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

# A colour as options give one (#31BAE9, a name such as steelblue, rgb(...)/hsl(...)): checked before it is
# written into a style, so that a typo is a warning and never broken CSS.
CSS_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|rgba|hsl|hsla)\([\d\s.,%/]+\))$")


@dataclass(frozen=True)
class Callout:
    title: str
    icon: str
    colour: str  # the frame, icon and heading colour
    tint: str  # a light background (slides)
    bootstrap_icon: str = ""  # the icon Quarto's HTML callouts draw (Bootstrap Icons); ``icon`` is for print


CALLOUTS: dict[str, Callout] = {
    "note": Callout("Note", "ℹ", "#0758E5", "#F4F8FF", "info-circle"),
    "tip": Callout("Tip", "★", "#00A047", "#EFFAF3", "lightbulb"),
    "warning": Callout("Warning", "⚠", "#EB9113", "#FFF8EC", "exclamation-triangle"),
    "caution": Callout("Caution", "⛔", "#FC5300", "#FFF3EC", "cone-striped"),
    "important": Callout("Important", "❗", "#CC1914", "#FDF0F0", "exclamation-circle"),
    "none": Callout("", "", "#ADB5BD", "#F8F9FA"),  # ::: {.callout}: no kind, so no title, icon or colour of one
}


def css_variables(icon_svg: Callable[[str], str] | None = None) -> str:
    """``<style>`` with the palette as CSS custom properties, for an HTML page's header: the colours, and with
    ``icon_svg`` (a Bootstrap icon's name -> its SVG) each kind's icon as ``--<kind>-icon``, a ``url()`` for a
    CSS mask (so the icon takes the callout's colour, as Quarto's do)."""
    declarations = [f"--{kind}: {c.colour}; --{kind}-bg: {c.tint};" for kind, c in CALLOUTS.items()]
    for kind, c in CALLOUTS.items():
        svg = icon_svg(c.bootstrap_icon) if icon_svg and c.bootstrap_icon else ""
        if svg:
            declarations.append(f"--{kind}-icon: {svg_url(svg)};")
    return f"<style>:root {{ {' '.join(declarations)} }}</style>\n"


def svg_url(svg: str) -> str:
    """An SVG as a CSS ``url()`` (for a mask that takes the text's colour)."""
    return f"url(\"data:image/svg+xml,{quote(' '.join(svg.split()))}\")"


def svg_mask(svg: str) -> str:
    """CSS declarations that draw ``svg`` as a mask, in the element's ``background-color`` (the text's colour)."""
    url = svg_url(svg)
    return f"-webkit-mask: {url} no-repeat center / contain; mask: {url} no-repeat center / contain;"


def latex_colours() -> str:
    """``\\definecolor`` lines (xcolor) for a LaTeX header."""
    return "".join(f"\\definecolor{{callout{kind}}}{{HTML}}{{{c.colour[1:]}}}\n" for kind, c in CALLOUTS.items())


def lua_metadata(words: Mapping[str, str] | None = None) -> dict[str, dict[str, str]]:
    """Titles, icons and colours for ``callouts.lua`` (which reads them from the document's metadata); the titles in
    the document's language when ``words`` (:func:`qmdrender.language.document_words`) are given."""
    words = words or {}
    return {kind: {"title": words.get(f"callout-{kind}-title", c.title), "icon": c.icon, "colour": c.colour,
                   "tint": c.tint}
            for kind, c in CALLOUTS.items()}
