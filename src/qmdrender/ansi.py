"""Terminal colours (ANSI escape codes) in a cell's output as HTML, as Quarto shows them.

IPython colours a traceback: the error's name in red, the failing line's code highlighted. Quarto writes
such output in HTML as ``<div class="ansi-escaped-output"><pre>`` with a ``<span>`` per coloured run,
named as Jupyter names them (``ansi-red-fg``, ``ansi-green-intense-fg``, ``ansi-bold``; a 256-colour or
RGB colour as a ``style``); report.css and slides.css give the names their colours. Other formats get the
plain text. (nbconvert has a converter too, but importing it imports all of nbconvert: seconds a render.)
"""

from __future__ import annotations

import html
import re

from qmdrender.escape import control_visible

ANSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")
_NAMES = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")


def has_colours(text: str) -> bool:
    """Whether ``text`` has a colour or weight code (SGR, ``ESC[...m``)."""
    return any(match.group(2) == "m" for match in ANSI.finditer(text))


def _colour(index: int) -> tuple[str, str]:
    """A 256-colour palette entry as (class name, style): the 16 named ones by class, the rest by RGB."""
    if index < 16:
        return f"{_NAMES[index % 8]}{'-intense' if index >= 8 else ''}", ""
    if index < 232:
        red, green, blue = ((index - 16) // 36, (index - 16) // 6 % 6, (index - 16) % 6)
        rgb = [0 if c == 0 else 55 + 40 * c for c in (red, green, blue)]
    else:
        rgb = [8 + 10 * (index - 232)] * 3
    return "", f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"


def _apply(codes: list[int], state: dict[str, str]) -> None:
    at = 0
    while at < len(codes):
        code = codes[at]
        if code == 0:
            state.clear()
        elif code == 1:
            state["bold"] = "1"
        elif code == 22:
            state.pop("bold", None)
        elif 30 <= code <= 37 or 90 <= code <= 97 or 40 <= code <= 47 or 100 <= code <= 107:
            layer = "bg" if code % 100 >= 40 else "fg"
            state[layer] = f"{_NAMES[code % 10]}{'-intense' if code >= 90 else ''}"
            state.pop(f"{layer}-style", None)
        elif code in (39, 49):
            layer = "fg" if code == 39 else "bg"
            state.pop(layer, None)
            state.pop(f"{layer}-style", None)
        elif code in (38, 48) and at + 1 < len(codes):
            layer = "fg" if code == 38 else "bg"
            if codes[at + 1] == 5 and at + 2 < len(codes):
                name, style = _colour(codes[at + 2])
                at += 2
            elif codes[at + 1] == 2 and at + 4 < len(codes):
                name, style = "", f"rgb({codes[at + 2]},{codes[at + 3]},{codes[at + 4]})"
                at += 4
            else:
                name, style = "", ""
            state.pop(layer, None)
            state.pop(f"{layer}-style", None)
            if name:
                state[layer] = name
            elif style:
                state[f"{layer}-style"] = style
        at += 1


def _open(state: dict[str, str]) -> str:
    foreground = state.get("fg")
    if foreground in _NAMES and "bold" in state:  # bold text in a basic colour takes its bright one, as in Jupyter
        foreground = f"{foreground}-intense"
    named = {"fg": foreground, "bg": state.get("bg")}
    classes = [f"ansi-{named[layer]}-{layer}" for layer in ("fg", "bg") if named[layer]]
    classes += ["ansi-bold"] if "bold" in state else []
    styles = [f"{prop}:{state[f'{layer}-style']}" for layer, prop in (("fg", "color"), ("bg", "background-color"))
              if f"{layer}-style" in state]
    if not classes and not styles:
        return ""
    attributes = (f' class="{" ".join(classes)}"' if classes else "") + \
        (f' style="{";".join(styles)}"' if styles else "")
    return f"<span{attributes}>"


def to_html(text: str) -> str:
    """``text`` escaped for HTML, its colour codes as spans (one per run of the same colours); other escape
    codes (cursor moves) dropped."""
    runs: list[tuple[str, str]] = []  # (opening tag, escaped text)
    state: dict[str, str] = {}
    at = 0
    for match in [*ANSI.finditer(text), None]:
        run = text[at:match.start() if match else len(text)]
        if run:
            opening, escaped = _open(state), html.escape(control_visible(run), quote=False)
            if runs and runs[-1][0] == opening:
                runs[-1] = (opening, runs[-1][1] + escaped)
            else:
                runs.append((opening, escaped))
        if match is not None:
            if match.group(2) == "m":
                _apply([int(c) for c in match.group(1).split(";") if c.isdigit()] or [0], state)
            at = match.end()
    return "".join(f"{opening}{escaped}</span>" if opening else escaped for opening, escaped in runs)


_SPAN = re.compile(r"<span\b([^>]*)>|</span>|<[^>]+>")
_ATTRIBUTE = re.compile(r'(class|style)="([^"]*)"')
_CLASS = re.compile(r"ansi-(\w+?)(-intense)?-(fg|bg)$")
_RGB = re.compile(r"(background-color|color)\s*:\s*rgb\((\d+),\s*(\d+),\s*(\d+)\)")


def from_html(markup: str) -> str:
    """The terminal text that :func:`to_html` (or Quarto's Jupyter engine, in the output it stores) wrote as
    ``markup``: its spans' colours as escape codes again, its other tags dropped, its entities read."""

    def codes(attributes: str) -> str:
        found: list[str] = []
        for name, value in _ATTRIBUTE.findall(attributes):
            if name == "class":
                for css_class in value.split():
                    named = _CLASS.match(css_class)
                    if named and named[1] in _NAMES:
                        base = (90 if named[2] else 30) + (10 if named[3] == "bg" else 0)
                        found.append(str(base + _NAMES.index(named[1])))
                    elif css_class == "ansi-bold":
                        found.append("1")
            else:
                found += ["1"] if "font-weight:bold" in value.replace(" ", "") else []
                found += [f"{48 if prop.startswith('background') else 38};2;{r};{g};{b}"
                          for prop, r, g, b in _RGB.findall(value)]
        return f"\x1b[{';'.join(found)}m" if found else ""

    def tag(match: re.Match[str]) -> str:
        if match.group(0) == "</span>":
            return "\x1b[0m"
        return codes(match.group(1)) if match.group(1) is not None else ""

    return html.unescape(_SPAN.sub(tag, markup))
