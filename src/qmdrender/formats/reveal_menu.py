"""The slide menu of a reveal.js deck, as Quarto builds it into every deck by default.

Quarto ships the reveal.js-menu plugin (https://quarto.org/docs/presentations/revealjs/presenting.html
#navigation-menu): a button at the bottom left (and the M key) opens a panel that lists the slides by title,
with a **Tools** pane (fullscreen, speaker view, overview, PDF export mode, scroll view, keyboard help).
``menu: false`` hides the button only (M still opens it); ``menu: {side, width, numbers}`` place and size it.

The plugin comes from the npm registry (``reveal.js-menu``, installed beside reveal.js by the Makefile) and is
inlined like reveal.js, so the deck stays one offline file. It is registered in ``Reveal.initialize`` as Quarto
does, so its button is there soon after the deck is ready: a deck's own scripts that wait for ``Reveal.isReady()``
and then look for ``.slide-menu-button`` (to sit beside it) find it, as with Quarto. Two things it would fetch
are given to it instead: its stylesheet (it loads ``<path>menu.css`` with a ``<link>``; the path is a
``data:`` URL whose ``menu.css`` tail lands in a CSS comment, and the real rules sit in a ``<style>`` here) and
its Font Awesome icons (``loadIcons: false``; the few icons the menu shows are drawn as CSS masks below).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qmdrender.formats.reveal_plugins import Plugin
from qmdrender.palette import svg_url
from qmdrender.types import warn

_TOOLS = [  # (key, label, what a click does): Quarto's Tools pane
    ("f", "Fullscreen", "fullscreen"),
    ("s", "Speaker View", "speakerView"),
    ("o", "Slide Overview", "overview"),
    ("e", "PDF Export Mode", "pdfExport"),
    ("r", "Scroll View Mode", "scrollView"),
    ("?", "Keyboard Help", "keyboardHelp"),
]


def icon_mask(svg_body: str) -> str:
    """A 16 × 16 SVG icon as a CSS ``url()`` for ``mask``, so that it takes the text's colour."""
    return svg_url(f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>{svg_body}</svg>")


# The menu's icons (Font Awesome class names in the plugin's markup), drawn with currentColor.
_ICONS = {
    # three thin lines, as Quarto's menu button (Bootstrap's "list" icon) draws them
    "fa-bars": "<rect x='2.5' y='3.5' width='11' height='1' rx='0.5'/><rect x='2.5' y='7.5' width='11' height='1' "
               "rx='0.5'/><rect x='2.5' y='11.5' width='11' height='1' rx='0.5'/>",
    "fa-images": "<path fill-rule='evenodd' d='M1 3h14v10H1zM2.5 4.5v7h11v-7z'/><path d='M3.5 10.5l3-4 2 2.5 1.5-1.5 "
                 "2.5 3z'/><circle cx='11' cy='6.3' r='1.1'/>",
    "fa-gear": "<path fill-rule='evenodd' d='M6.8 1h2.4l.4 2 1.4.8 1.9-.8 1.2 2.1-1.5 1.3v1.6l1.5 1.3-1.2 2.1-1.9-.8"
               "-1.4.8-.4 2H6.8l-.4-2-1.4-.8-1.9.8-1.2-2.1 1.5-1.3V7.4L1.9 6.1l1.2-2.1 1.9.8 1.4-.8zM8 5.6a2.4 2.4 0 1 "
               "0 0 4.8 2.4 2.4 0 1 0 0-4.8z'/>",
    "fa-times": "<path d='M3.2 1.8L8 6.6l4.8-4.8 1.4 1.4L9.4 8l4.8 4.8-1.4 1.4L8 9.4l-4.8 4.8-1.4-1.4L6.6 8 "
                "1.8 3.2z'/>",
}

_STYLE = """
.slide-menu-wrapper .fas, .reveal .slide-menu-button .fas {{ display: inline-block; width: 1em; height: 1em;
  background-color: currentColor; -webkit-mask: var(--icon) center / contain no-repeat;
  mask: var(--icon) center / contain no-repeat; vertical-align: -0.125em; }}
{icons}
.reveal .slide-menu-button {{ left: 8px; bottom: 8px; font-size: 18px; }}
/* Quarto's icon: 2.2rem, in the link colour */
.reveal .slide-menu-button .fas {{ width: 2.2rem; height: 2.2rem; }}
.reveal .slide-menu-button a {{ color: var(--r-link-color, #2a76dd); }}
.reveal-print .slide-menu-button, .print-pdf .slide-menu-button {{ display: none !important; }}
.slide-menu-wrapper .slide-tool-item {{ display: block; padding: 10px 18px; color: #aaa; border-top: 1px solid #555; }}
.slide-menu-wrapper .slide-tool-item:hover {{ background-color: #222; color: #fff; }}
.slide-menu-wrapper .slide-tool-item a {{ color: inherit; text-decoration: none; display: block; }}
.slide-menu-wrapper .slide-tool-item kbd {{ display: inline-block; min-width: 1.4em; margin-right: 0.6em;
  text-align: center; font-family: inherit; border: 1px solid #777; border-radius: 3px; padding: 0 0.2em; }}
"""

_TOOLS_SCRIPT = """
(function () {{
  function pdfExport() {{
    var url = new URL(window.location.href);
    if (url.searchParams.has("print-pdf")) url.searchParams.delete("print-pdf");
    else url.searchParams.set("print-pdf", "");
    window.location.href = url.toString();
  }}
  var tools = {{
    fullscreen: function () {{
      var page = document.documentElement;
      if (document.fullscreenElement) document.exitFullscreen();
      else if (page.requestFullscreen) page.requestFullscreen();
    }},
    speakerView: function () {{ var notes = Reveal.getPlugin("notes"); if (notes) notes.open(); }},
    overview: function () {{ Reveal.toggleOverview(); }},
    pdfExport: pdfExport,
    scrollView: function () {{ if (Reveal.toggleScrollView) Reveal.toggleScrollView(); }},
    keyboardHelp: function () {{ Reveal.toggleHelp(true); }}
  }};
  window.QmdrenderMenuTools = function (event, name) {{
    event.preventDefault();
    var menu = Reveal.getPlugin("menu");
    if (menu && menu.isOpen()) menu.closeMenu();
    if (tools[name]) tools[name](); else if (window.RevealChalkboard) RevealChalkboard[name]();
  }};
  function start() {{
    Reveal.addKeyBinding({{ keyCode: 69, key: "E", description: "PDF export mode" }}, pdfExport);
    if (Reveal.toggleScrollView) {{
      Reveal.addKeyBinding({{ keyCode: 82, key: "R", description: "Scroll view" }}, tools.scrollView);
    }}
  }}
  Reveal.on("ready", start);  // before Reveal.initialize: reveal.js queues the listener until then
}})();
"""


def menu_folder(revealjs: Path) -> Path:
    """Where the Makefile installs reveal.js-menu: beside reveal.js in the same ``node_modules``."""
    return revealjs.parent / "reveal.js-menu"


def _tools_html(extra: Sequence[tuple[str, str, str]]) -> str:
    tools = [*_TOOLS[:-1], *extra, _TOOLS[-1]]  # keyboard help stays last, as in Quarto's pane
    items = "".join(
        f'<li class="slide-tool-item{" active" if number == 0 else ""}" data-item="{number}">'
        f'<a href="#" onclick="QmdrenderMenuTools(event, \'{name}\')"><kbd>{key}</kbd> {label}</a></li>'
        for number, (key, label, name) in enumerate(tools))
    return f'<ul class="slide-menu-items">{items}</ul>'


def menu_config(option: Any, extra_tools: Sequence[tuple[str, str, str]] = ()) -> dict[str, Any]:
    """reveal.js-menu's options for the deck's ``menu`` option (``true`` when absent, as in Quarto); its
    Tools pane lists ``extra_tools`` (key, label, a function of the chalkboard plugin) too."""
    config: dict[str, Any] = {
        "side": "left", "numbers": False, "markers": False, "useTextContentForMissingTitles": True,
        "loadIcons": False, "themes": False, "transitions": False, "openButton": option is not False,
        "path": "data:text/css,/*/",  # the plugin appends "menu.css": an empty sheet (the rules are inlined)
        "custom": [{"title": "Tools", "icon": '<i class="fas fa-gear">', "content": _tools_html(extra_tools)}],
    }
    if isinstance(option, Mapping):
        for name in ("side", "width", "numbers"):
            if option.get(name) is not None:
                config[name] = option[name]
    return config


def menu_plugin(option: Any, revealjs: Path, extra_tools: Sequence[tuple[str, str, str]] = ()) -> Plugin | None:
    """The plugin with its styles, the Tools pane's script and the deck's ``menu`` configuration, to register
    before the deck starts; ``None`` (with a warning) when reveal.js-menu is not installed."""
    folder = menu_folder(revealjs)
    if not (folder / "menu.js").is_file():
        warn(f"the slide menu needs reveal.js-menu, which is not installed at {folder}; the deck has no menu "
             "button (run `make setup`).")
        return None
    icons = "\n".join(f".{name} {{ --icon: {icon_mask(body)}; }}" for name, body in _ICONS.items())
    styles = (folder / "menu.css").read_text(encoding="utf-8") + _STYLE.format(icons=icons)
    scripts = [(folder / "menu.js").read_text(encoding="utf-8"), _TOOLS_SCRIPT.format()]
    return Plugin("RevealMenu", scripts=scripts, stylesheets=[styles],
                  settings={"menu": menu_config(option, extra_tools)})
