"""Quarto's reveal.js options as reveal.js configuration, and the deck's footer and logo.

Quarto writes reveal.js options in kebab case (``slide-number: c/t``, ``preview-links: true``,
``controls-layout: edges``); pandoc's template reads camel-case variables (``slideNumber``), some of
which it puts between quotes and some not. Options named alike in both (``transition``, ``controls``)
reach the template as metadata already. ``footer`` (Markdown) and ``logo`` sit at the foot of every
slide; a slide's own ``::: footer`` replaces the deck's footer while that slide shows, as in Quarto.
A ``{.scrollable}`` slide (every slide with ``scrollable: true``) scrolls when its content is taller.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

from qmdrender.pandoc import markdown_to_html

# pandoc's revealjs template: variables it writes between quotes, and those it writes as JavaScript values.
_QUOTED = {"controlsLayout", "controlsBackArrows", "showSlideNumber", "navigationMode", "display", "transition",
           "transitionSpeed", "backgroundTransition"}
_VALUES = {"controls", "controlsTutorial", "progress", "slideNumber", "hash", "hashOneBasedIndex",
           "respondToHashChanges", "history", "keyboard", "overview", "touch", "loop", "rtl", "shuffle", "fragments",
           "fragmentInURL", "embedded", "help", "pause", "showNotes", "autoPlayMedia", "preloadIframes", "autoSlide",
           "autoSlideStoppable", "defaultTiming", "mouseWheel", "hideInactiveCursor", "hideCursorTime",
           "previewLinks", "viewDistance", "mobileViewDistance", "minScale", "maxScale"}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# reveal.js options pandoc's template does not write: set on the deck once it has started (Reveal.configure).
_CONFIGURED = {"jumpToSlide", "autoAnimate", "autoAnimateEasing", "autoAnimateDuration", "autoAnimateUnmatched",
               "pdfMaxPagesPerSlide", "pdfSeparateFragments", "pdfPageHeightOffset", "keyboardCondition",
               "focusBodyOnPageVisibilityChange", "sortFragmentsOnSync", "parallaxBackgroundRepeat",
               "parallaxBackgroundPosition", "postMessage", "postMessageEvents"}
# scroll-view (Quarto's name for reveal.js's scroll view): true, or its settings, with Quarto's defaults (pandoc's
# template writes all four once the view is on; Quarto's activation width is 0 where reveal.js's is 435)
_SCROLL_DEFAULTS = {"progress": "auto", "snap": "mandatory", "layout": "full", "activation-width": 0}
# Where Quarto's deck defaults differ from pandoc's template (the values Quarto writes into every deck):
# left/right step through every slide, vertical ones included; no slide transition; each slide change is
# a history entry; arrows at the edges, without the tutorial; fragments stay out of the URL; a margin of
# a tenth of the slide around it (reveal.js's own is 0.04).
QUARTO_DEFAULTS = {"navigation-mode": "linear", "transition": "none", "background-transition": "none",
                   "history": True, "controls-layout": "edges", "controls-tutorial": False, "fragment-in-url": False,
                   "margin": 0.1}
# controls: auto (Quarto's default) shows the arrows only where they help: in an iframe, or with vertical
# slides that left/right do not reach.
_CONTROLS_AUTO = """<script>
(function () {
  function decide() {
    var config = Reveal.getConfig();
    Reveal.configure({ controls: window.self !== window.top ||
                                 (Reveal.hasVerticalSlides() && config.navigationMode !== "linear") });
  }
  if (Reveal.isReady()) decide(); else Reveal.on("ready", decide);
})();
</script>
"""

# The deck's footer and logo sit inside .reveal, with Quarto's classes (footer footer-default, slide-logo,
# has-logo on the deck), so a deck's own CSS for ".reveal .footer" or ".reveal .slide-logo" applies; their
# look is in assets/slides.css, which comes before the deck's theme and after reveal.js's.
CHROME = """<div class="footer footer-default" aria-label="footer">{footer}</div>{logo}
<style>
.reveal .slides section.scrollable:not(.center){scrollable} {{ overflow-y: auto !important; overflow-x: hidden;
  height: 100%; }}
.reveal .slides section.scrollable.center {{ overflow-y: auto !important; overflow-x: hidden; }}
</style>
<script>
(function () {{
  var deckElement = document.querySelector(".reveal");
  var footer = document.querySelector(".footer-default");
  var logo = document.querySelector("img.slide-logo");
  deckElement.appendChild(footer);
  if (logo) {{ deckElement.appendChild(logo); deckElement.classList.add("has-logo"); }}
  var deck = footer.innerHTML;
  function show() {{
    var slide = Reveal.getCurrentSlide();
    var own = slide && Array.prototype.find.call(slide.children,
                                                 function (c) {{ return c.classList.contains("footer"); }});
    footer.innerHTML = own ? own.innerHTML : deck;
  }}
  if (Reveal.isReady()) show(); else Reveal.on("ready", show);
  Reveal.on("slidechanged", show);
  // a slide's asides (and its footnotes) gathered in one <aside> at its end, outside any fragment (". . ."),
  // as Quarto collects them: shown from the start, at the slide's foot
  document.querySelectorAll(".reveal .slides section").forEach(function (slide) {{
    var asides = Array.prototype.filter.call(slide.querySelectorAll("aside:not(.notes)"),
                                             function (a) {{ return a.closest("section") === slide; }});
    if (asides.length === 0 || (asides.length === 1 && asides[0] === slide.lastElementChild)) return;
    var gathered = document.createElement("aside");
    asides.forEach(function (aside) {{
      var only = aside.children.length === 1 ? aside.firstElementChild : null;
      if (only && only.tagName === "OL") {{ gathered.appendChild(only); }}  // footnotes, as they are
      else {{
        var part = document.createElement("div");
        (only && only.tagName === "DIV" ? only : aside).childNodes.forEach(function (node) {{
          part.appendChild(node.cloneNode(true));
        }});
        gathered.appendChild(part);
      }}
      aside.remove();
    }});
    slide.appendChild(gathered);
  }});
  if (Reveal.isReady()) Reveal.layout();
}})();
</script>
"""


def reveal_option_name(name: str) -> str:
    head, *rest = name.split("-")
    camel = head + "".join(part[:1].upper() + part[1:] for part in rest)
    return {"fragmentInUrl": "fragmentInURL"}.get(camel, camel)  # reveal.js spells URL in capitals


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if _NUMBER.match(text) or text in ("true", "false", "null") else "'" + text.replace("'", "\\'") + "'"


def config_arguments(options: Mapping[str, Any]) -> list[str]:
    """``--variable`` arguments for the deck's kebab-case reveal.js options, and for Quarto's defaults
    (:data:`QUARTO_DEFAULTS`) where the deck sets none (``controls: auto`` starts as ``false``)."""
    arguments = [f"--variable={reveal_option_name(name)}:{str(value).lower() if isinstance(value, bool) else value}"
                 for name, value in QUARTO_DEFAULTS.items() if name not in options]
    if options.get("controls") in (None, "auto"):
        arguments.append("--variable=controls:false")
    for name, value in options.items():
        camel = reveal_option_name(str(name))
        if "-" not in str(name) or value is None or isinstance(value, Mapping | list):
            continue
        if name == "preview-links" and value == "auto":
            value = False  # Quarto's auto: links open as links outside its own presenting tools
        if name == "slide-number" and value is True:  # Quarto's deck shows "3 / 21" where reveal.js's shows "3";
            # with vertical stacks of slides (navigation-mode: vertical or grid), "2.1"
            value = "h.v" if options.get("navigation-mode") in ("vertical", "grid") else "c/t"
        if camel in _QUOTED:
            arguments.append(f"--variable={camel}:{str(value).lower() if isinstance(value, bool) else value}")
        elif camel in _VALUES:
            arguments.append(f"--variable={camel}:{_value(value)}")
    for name in ("width", "height"):  # a percentage ("5.3%") is a string to reveal.js: pandoc's template writes
        value = options.get(name)      # the value bare, which would stop the deck's script
        if isinstance(value, str) and not _NUMBER.match(value.strip()):
            arguments.append(f"--variable={name}:{_value(value.strip())}")
    return arguments + _scroll_view_arguments(options.get("scroll-view"))


def _scroll_view_arguments(setting: Any) -> list[str]:
    """``scroll-view: true`` (or ``{activate, progress, snap, layout, activation-width}``): the deck scrolls."""
    if not setting:
        return []
    settings = {**_SCROLL_DEFAULTS, **(setting if isinstance(setting, Mapping) else {})}
    if settings.get("activate", True) is False:  # only below activation-width: set by configured_html
        return []
    progress = settings["progress"]
    return ["--variable=view:scroll",
            f"--variable=scrollProgress:{_value(progress) if isinstance(progress, bool) else repr(str(progress))}",
            f"--variable=scrollSnap:{str(settings['snap']).lower()}", f"--variable=scrollLayout:{settings['layout']}",
            f"--variable=scrollActivationWidth:{settings['activation-width']}"]


def _scroll_view_configured(setting: Any) -> dict[str, Any]:
    """The scroll view's settings pandoc's template cannot write: ``snap: false`` (it quotes every value) and,
    with ``activate: false``, the width below which the deck turns into a scroll view."""
    if not isinstance(setting, Mapping):
        return {}
    settings: dict[str, Any] = {}
    if setting.get("snap") is False:
        settings["scrollSnap"] = False
    if setting.get("activate") is False and setting.get("activation-width") is not None:
        settings["scrollActivationWidth"] = setting["activation-width"]
    return settings


def configured_html(options: Mapping[str, Any]) -> str:
    """A script that sets the reveal.js options pandoc's template leaves out (``jump-to-slide``,
    ``auto-animate-duration``, ``pdf-separate-fragments`` ...) once the deck has started; ``""`` if none."""
    settings = {reveal_option_name(str(name)): value for name, value in options.items()
                if reveal_option_name(str(name)) in _CONFIGURED and value is not None}
    settings.update(_scroll_view_configured(options.get("scroll-view")))
    if not settings:
        return ""
    config = json.dumps(settings).replace("</", "<\\/")
    return (f"<script>(function () {{ var settings = {config};"
            " if (Reveal.isReady()) Reveal.configure(settings);"
            " else Reveal.on('ready', function () { Reveal.configure(settings); }); })();</script>")


def chrome_html(options: Mapping[str, Any]) -> str:
    """The footer and logo (and the script that shows a slide's own footer), for ``--include-after-body``."""
    footer = options.get("footer")
    # in a paragraph, as Quarto writes it: a deck's ".footer p" rules reach it
    footer_html = markdown_to_html(str(footer), paragraphs=True) if footer not in (None, False, "") else ""
    logo = options.get("logo")
    alt = html.escape(str(options.get("logo-alt") or ""))
    logo_html = f'<img class="slide-logo" src="{html.escape(str(logo))}" alt="{alt}">' \
        if isinstance(logo, str) and logo else ""
    # scrollable: true: every slide but a centred one (a section's title), which keeps its own height, as in Quarto
    every = ", .reveal .slides section.slide:not(.center)" if options.get("scrollable") is True else ""
    auto = _CONTROLS_AUTO if options.get("controls") in (None, "auto") else ""
    return CHROME.format(footer=footer_html, logo=logo_html, scrollable=every) + auto
