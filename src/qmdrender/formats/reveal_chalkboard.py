"""The chalkboard of a reveal.js deck (``chalkboard:``), as Quarto builds it in.

Quarto ships the reveal.js-chalkboard plugin (https://quarto.org/docs/presentations/revealjs/presenting.html
#chalkboard): ``C`` toggles a notes canvas drawn over the slide, ``B`` an empty chalkboard, ``DEL`` clears,
``BACKSPACE`` resets all, ``X``/``Y`` change colour, ``D`` downloads the drawings. Two buttons at the bottom
left do the same (``buttons: false`` hides them; a slide's ``chalkboard-buttons`` attribute overrides that
for the slide). The options ``theme`` (``chalkboard`` or ``whiteboard``), ``boardmarker-width``,
``chalk-width``, ``chalk-effect``, ``src`` (drawings downloaded earlier), ``read-only`` and ``transition``
become the plugin's configuration.

The plugin comes from the npm registry (``reveal.js-plugins``, installed beside reveal.js by the
Makefile) and is inlined like reveal.js, so the deck stays one offline file. What it would fetch is given
to it inline: its cursor and board pictures become ``data:`` URLs, ``src`` drawings too (Quarto refuses
``embed-resources`` with a chalkboard; here the deck is always self-contained, and so are its drawings),
and its Font Awesome icons are drawn as CSS masks.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.formats.reveal_menu import icon_mask
from qmdrender.formats.reveal_plugins import Plugin
from qmdrender.site_tools import icons_folder
from qmdrender.types import warn

# Quarto's option names, and the plugin's for them.
_OPTIONS = {"theme": "theme", "boardmarker-width": "boardmarkerWidth", "chalk-width": "chalkWidth",
            "chalk-effect": "chalkEffect", "read-only": "readOnly", "transition": "transition"}
_PICTURE = re.compile(r"path \+ '(img/[\w-]+\.png)'")

# Tools the slide menu lists while the deck has a chalkboard: (key, label, the plugin's function).
CHALKBOARD_TOOLS = [("b", "Toggle Chalkboard", "toggleChalkboard"), ("c", "Toggle Notes Canvas", "toggleNotesCanvas"),
                    ("d", "Download Drawings", "download")]


# The icons the plugin's palette and board handle show (Font Awesome class names).
_ICONS = {
    "fa-square": "<rect x='2' y='2' width='12' height='12' rx='2'/>",
    "fa-chevron-up": "<path d='M8 3.5l6.5 6.5-1.8 1.8L8 7.1l-4.7 4.7L1.5 10z'/>",
    "fa-chevron-down": "<path d='M8 12.5L1.5 6l1.8-1.8L8 8.9l4.7-4.7L14.5 6z'/>",
    "fa-pen": "<path d='M11.3 1.3l3.4 3.4-8.5 8.5-4.2.8.8-4.2zM10.2 4.2L4 10.4l1.6 1.6 6.2-6.2z'/>",
}
# The two buttons, as Quarto's: Bootstrap's easel (the chalkboard) and brush (the notes canvas); drawn here
# when Bootstrap Icons is not installed.
_BUTTON_ICONS = {
    "fa-easel2": "<path fill-rule='evenodd' d='M1 2h14v10h-3.2l1.4 2.5h-1.7L10.1 12H5.9l-1.4 2.5H2.8L4.2 12H1z"
                 "M2.5 3.5v7h11v-7z'/>",
    "fa-brush": "<path d='M14.5 1.5l-7 7.5 1.5 1.5 7-7.5zM6.5 9.5C4.5 9.5 4 11 4 12s-1 2-2.5 2c2.5 1.5 6.5 1 "
                "6.5-2.5z'/>",
}

_STYLE = """
.slide-chalkboard-buttons .fas, div.palette .fa, div.boardhandle .fas {{ display: inline-block; width: 1em;
  height: 1em; background-color: currentColor;
  -webkit-mask: var(--icon) center / contain no-repeat; mask: var(--icon) center / contain no-repeat;
  vertical-align: -0.125em; }}
{icons}
div.palette a, div.boardhandle a {{ color: #fff; }}
.reveal .slide-chalkboard-buttons {{ position: fixed; left: {left}px; bottom: 8px; z-index: 30; font-size: 24px; }}
.reveal .slide-chalkboard-buttons a {{ color: var(--r-link-color, #2a76dd); margin-right: 14px; }}
.reveal .slide-chalkboard-buttons .fas {{ width: 1.45rem; height: 1.45rem; vertical-align: 0.1em; }}
@media screen and (max-width: 800px) {{
  .reveal .slide-chalkboard-buttons {{ left: {narrow}px; }}
  .reveal .slide-chalkboard-buttons a {{ margin-right: 9px; }}
  .reveal .slide-chalkboard-buttons .fas {{ width: 0.95rem; height: 0.95rem; vertical-align: 0; }}
}}
.reveal .slide-chalkboard-buttons.hidden {{ display: none; }}
.reveal-print .slide-chalkboard-buttons, .print-pdf .slide-chalkboard-buttons {{ display: none !important; }}
"""

_BUTTONS = """
<script>
(function () {{
  var showButtons = {buttons};
  function start() {{
    var bar = document.createElement("div");
    bar.className = "slide-chalkboard-buttons";
    bar.innerHTML = '<a href="#" title="Toggle Chalkboard (b)" data-tool="toggleChalkboard">'
      + '<i class="fas fa-easel2"></i></a><a href="#" title="Toggle Notes Canvas (c)" data-tool="toggleNotesCanvas">'
      + '<i class="fas fa-brush"></i></a>';
    bar.querySelectorAll("a").forEach(function (link) {{
      link.addEventListener("click", function (event) {{
        event.preventDefault();
        RevealChalkboard[link.getAttribute("data-tool")]();
      }});
    }});
    document.querySelector(".reveal").appendChild(bar);
    function place() {{  // a slide's chalkboard-buttons attribute overrides the deck's buttons option
      var slide = Reveal.getCurrentSlide(), own = slide && slide.getAttribute("data-chalkboard-buttons");
      bar.classList.toggle("hidden", own === null ? !showButtons : own === "false");
    }}
    Reveal.on("slidechanged", place);
    place();
  }}
  if (window.RevealChalkboard) {{ if (Reveal.isReady()) start(); else Reveal.on("ready", start); }}
}})();
</script>
"""


def plugins_folder(revealjs: Path) -> Path:
    """Where the Makefile installs reveal.js-plugins: beside reveal.js in the same ``node_modules``."""
    return revealjs.parent / "reveal.js-plugins"


def chalkboard_config(option: Any, folder: Path) -> dict[str, Any]:
    """The plugin's configuration for the deck's ``chalkboard`` option (``true`` or a mapping), with ``src``
    (resolved against ``folder``) read into a ``data:`` URL; a missing ``src`` is a warning and a board without
    drawings, as Quarto writes the deck (a course commits decks whose drawings file it never had)."""
    settings = option if isinstance(option, Mapping) else {}
    config: dict[str, Any] = {_OPTIONS[name]: value for name, value in settings.items() if name in _OPTIONS}
    if settings.get("src"):
        drawings = folder / str(settings["src"])
        if not drawings.is_file():
            warn(f"chalkboard src: {settings['src']} was not found (looked for {drawings}); the deck's board starts "
                 "empty. Save the drawings there (press D in the deck to download them) or remove src.")
        else:
            config["src"] = "data:application/json;base64," + base64.b64encode(drawings.read_bytes()).decode()
    return config


def chalkboard_plugin(option: Any, revealjs: Path, folder: Path) -> Plugin | None:
    """The plugin (script with its pictures inlined, styles, configuration), registered before the deck
    starts as the plugin expects; ``None`` when the deck has no chalkboard, or (with a warning) when
    reveal.js-plugins is not installed."""
    if not option:
        return None
    plugin_file = plugins_folder(revealjs) / "chalkboard" / "plugin.js"
    if not plugin_file.is_file():
        warn(f"chalkboard: needs reveal.js-plugins, which is not installed at {plugin_file.parent}; the deck has no "
             "chalkboard (run `make setup`).")
        return None

    def picture(match: re.Match[str]) -> str:
        data = (plugin_file.parent / match[1]).read_bytes()
        return "'data:image/png;base64," + base64.b64encode(data).decode() + "'"

    script = _PICTURE.sub(picture, plugin_file.read_text(encoding="utf-8"))
    return Plugin("RevealChalkboard", scripts=[script],
                  stylesheets=[(plugin_file.parent / "style.css").read_text(encoding="utf-8")],
                  settings={"chalkboard": chalkboard_config(option, folder)})


def chalkboard_buttons_html(option: Any, *, menu_button: bool = True) -> str:
    """The two buttons at the bottom left (after the menu's when it has one) and the icons the plugin
    shows, for ``--include-after-body``."""
    drawn = {**_ICONS, **{name: _bootstrap_icon(name.removeprefix("fa-")) or body
                          for name, body in _BUTTON_ICONS.items()}}
    icons = "\n".join(f":is(.slide-chalkboard-buttons, div.palette, div.boardhandle) .{name} "
                      f"{{ --icon: {icon_mask(body)}; }}" for name, body in drawn.items())  # not a deck's own icons
    buttons = not isinstance(option, Mapping) or option.get("buttons", True) is not False
    style = _STYLE.format(icons=icons, left=54 if menu_button else 12, narrow=36 if menu_button else 12)
    return f"<style>{style}</style>" + _BUTTONS.format(buttons=json.dumps(buttons))


def _bootstrap_icon(name: str) -> str:
    """The inside of Bootstrap Icons' ``name`` (its paths), ``""`` when the icons are not installed."""
    path = icons_folder() / f"{name}.svg"
    if not path.is_file():
        return ""
    match = re.search(r"<svg[^>]*>(.*)</svg>", path.read_text(encoding="utf-8"), re.S)
    return match[1].strip().replace('"', "'") if match else ""
