"""Quarto's own code highlighting themes (``highlight-style: github``, ``a11y``, ``atom-one``, ``dracula``
...), which pandoc does not have, as pandoc theme files.

Each theme is a palette of roles (comment, keyword, string ...), taken from the colour scheme the theme
is named after; :func:`theme_file` spreads the roles over pandoc's token kinds and writes the JSON theme
pandoc reads with ``--syntax-highlighting``. A name may end in ``-light`` or ``-dark``; a bare name is
the light variant where the scheme has one (Quarto's naming). ``arrow`` is Quarto's default colours.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_ROLES = ("text", "background", "comment", "keyword", "string", "number", "function", "builtin", "type",
          "variable", "constant", "operator", "preprocessor", "attribute", "import", "special", "error")

# name: the roles' colours, in _ROLES order
_PALETTES = {
    "arrow-light": "#003b4f #ffffff #5e5e5e #003b4f #20794d #ad0000 #4758ab #003b4f #ad0000 #111111 #8f5902 "
                   "#5e5e5e #ad0000 #657422 #00769e #5e5e5e #ad0000",
    "arrow-dark": "#f8f8f2 #2b2b2b #f8f8f2 #ffa07a #abe338 #d4d0ab #ffa07a #abe338 #ffa07a #00e0e0 #ffd700 "
                  "#ffa07a #dcc6e0 #00e0e0 #abe338 #abe338 #f07178",
    "github-light": "#24292e #ffffff #6a737d #d73a49 #032f62 #005cc5 #6f42c1 #005cc5 #d73a49 #e36209 #005cc5 "
                    "#d73a49 #d73a49 #6f42c1 #d73a49 #22863a #b31d28",
    "github-dark": "#c9d1d9 #0d1117 #8b949e #ff7b72 #a5d6ff #79c0ff #d2a8ff #79c0ff #ff7b72 #ffa657 #79c0ff "
                   "#ff7b72 #ff7b72 #d2a8ff #ff7b72 #7ee787 #f85149",
    "a11y-light": "#545454 #fefefe #696969 #7928a1 #008000 #aa5d00 #007faa #aa5d00 #aa5d00 #d91e18 #aa5d00 "
                  "#545454 #7928a1 #aa5d00 #7928a1 #008000 #d91e18",
    "a11y-dark": "#f8f8f2 #2b2b2b #d4d0ab #dcc6e0 #abe338 #f5ab35 #00e0e0 #f5ab35 #f5ab35 #ffa07a #f5ab35 "
                 "#f8f8f2 #dcc6e0 #ffd700 #dcc6e0 #abe338 #ffa07a",
    "atom-one-light": "#383a42 #fafafa #a0a1a7 #a626a4 #50a14f #986801 #4078f2 #c18401 #c18401 #e45649 #986801 "
                      "#383a42 #a626a4 #986801 #a626a4 #0184bc #e45649",
    "atom-one-dark": "#abb2bf #282c34 #5c6370 #c678dd #98c379 #d19a66 #61aeee #e6c07b #e6c07b #e06c75 #d19a66 "
                     "#abb2bf #c678dd #d19a66 #c678dd #56b6c2 #e06c75",
    "dracula-dark": "#f8f8f2 #282a36 #6272a4 #ff79c6 #f1fa8c #bd93f9 #50fa7b #8be9fd #8be9fd #f8f8f2 #bd93f9 "
                    "#ff79c6 #ff79c6 #50fa7b #ff79c6 #ff79c6 #ff5555",
    "monokai-dark": "#f8f8f2 #272822 #75715e #f92672 #e6db74 #ae81ff #a6e22e #66d9ef #66d9ef #fd971f #ae81ff "
                    "#f92672 #f92672 #a6e22e #f92672 #ae81ff #f92672",
    "nord-dark": "#d8dee9 #2e3440 #616e88 #81a1c1 #a3be8c #b48ead #88c0d0 #8fbcbb #8fbcbb #d8dee9 #81a1c1 "
                 "#81a1c1 #5e81ac #8fbcbb #81a1c1 #ebcb8b #bf616a",
    "gruvbox-light": "#3c3836 #fbf1c7 #928374 #9d0006 #79740e #8f3f71 #427b58 #af3a03 #b57614 #076678 #8f3f71 "
                     "#3c3836 #427b58 #b57614 #9d0006 #af3a03 #9d0006",
    "gruvbox-dark": "#ebdbb2 #282828 #928374 #fb4934 #b8bb26 #d3869b #8ec07c #fe8019 #fabd2f #83a598 #d3869b "
                    "#ebdbb2 #8ec07c #fabd2f #fb4934 #fe8019 #fb4934",
    "solarized-light": "#657b83 #fdf6e3 #93a1a1 #859900 #2aa198 #d33682 #268bd2 #cb4b16 #b58900 #268bd2 #cb4b16 "
                       "#859900 #cb4b16 #b58900 #cb4b16 #dc322f #dc322f",
    "solarized-dark": "#839496 #002b36 #586e75 #859900 #2aa198 #d33682 #268bd2 #cb4b16 #b58900 #268bd2 #cb4b16 "
                      "#859900 #cb4b16 #b58900 #cb4b16 #dc322f #dc322f",
}

# the names a document may give (a scheme with both variants also answers to its bare name)
_SCHEMES = [name.rsplit("-", 1)[0] for name in _PALETTES]
QUARTO_HIGHLIGHT_STYLES = tuple(sorted({*_SCHEMES, *(n for n in _PALETTES if _SCHEMES.count(n.rsplit("-", 1)[0]) > 1)}))

# pandoc's token kinds and the role that colours each
_TOKENS = {
    "Keyword": "keyword", "ControlFlow": "keyword", "Other": "keyword", "DataType": "type", "DecVal": "number",
    "BaseN": "number", "Float": "number", "Constant": "constant", "Char": "string", "SpecialChar": "special",
    "String": "string", "VerbatimString": "string", "SpecialString": "string", "Import": "import",
    "Comment": "comment", "Documentation": "comment", "Annotation": "comment", "CommentVar": "comment",
    "Information": "comment", "Warning": "comment", "RegionMarker": "comment", "Function": "function",
    "Variable": "variable", "Operator": "operator", "BuiltIn": "builtin", "Extension": "builtin",
    "Preprocessor": "preprocessor", "Attribute": "attribute", "Alert": "error", "Error": "error",
}
_ITALIC = {"Comment", "Documentation", "Annotation", "CommentVar", "Information", "Warning"}
_BOLD = {"Alert", "Error"}
# The token kinds each of Quarto's schemes sets in italic and in bold (its own theme files), where they differ
# from the defaults above: arrow's comments are upright and its keywords bold, as Quarto shows them.
_EMPHASIS = {
    "arrow-light": ("CommentVar Documentation Warning", "ControlFlow Keyword"),
    "arrow-dark": ("Comment", "ControlFlow Extension Keyword"),
    "github-light": ("", "Alert Extension"), "github-dark": ("", "Alert Extension"),
    "a11y-light": ("CommentVar Documentation Warning", ""), "a11y-dark": ("CommentVar Documentation Warning", ""),
    "atom-one-light": ("Comment CommentVar", "Alert Extension"),
    "atom-one-dark": ("Comment CommentVar", "Alert Extension"),
    "dracula-dark": ("DataType", "Alert Constant"), "monokai-dark": ("DataType", "Alert Extension"),
    "nord-dark": ("BuiltIn", "Alert Constant ControlFlow Extension Keyword"),
    "gruvbox-light": ("", "Alert Constant ControlFlow Extension Keyword"),
    "gruvbox-dark": ("", "Alert Constant ControlFlow Extension Keyword"),
    "solarized-light": ("Comment", "Alert Constant ControlFlow DataType Extension Keyword"),
    "solarized-dark": ("Comment", "Alert Constant ControlFlow DataType Extension Keyword"),
}

# Schemes whose colours are known token by token, from the rules Quarto's own pages and decks carry (pandoc's
# class of each token kind: its colour, or "" for none: the text's); they replace the roles' spread above.
_TOKEN_COLOURS = {
    "a11y-light": {
        "al": "#7928a1", "an": "#696969", "at": "#a55a00", "bn": "#7928a1", "bu": "", "cf": "#d91e18",
        "ch": "#008000", "cn": "#d91e18", "co": "#696969", "cv": "#696969", "do": "#696969", "dt": "#7928a1",
        "dv": "#7928a1", "er": "#7928a1", "ex": "", "fl": "#a55a00", "fu": "#06287e", "im": "", "in": "#696969",
        "kw": "#d91e18", "op": "#00769e", "ot": "#d91e18", "pp": "#7928a1", "re": "", "sc": "#00769e",
        "ss": "#008000", "st": "#008000", "va": "#a55a00", "vs": "#008000", "wa": "#696969"},
}


DEFAULT_STYLE = "arrow"  # Quarto's, for every format


def chosen_style(options: Mapping[str, Any], *, dark: bool = False) -> Any:
    """The highlight style a document asks for: ``syntax-highlighting`` (Quarto's newer name) or
    ``highlight-style``, else Quarto's default, ``arrow``; of a ``light:``/``dark:`` pair, the light one (the
    dark one for the dark half of a light/dark theme pair, ``dark``)."""
    style = next((options[key] for key in ("syntax-highlighting", "highlight-style")
                  if options.get(key) not in (None, "")), DEFAULT_STYLE)
    if isinstance(style, Mapping):
        halves = ("dark", "light") if dark else ("light", "dark")
        style = style.get(halves[0]) or style.get(halves[1])
    return style


def palette_name(style: Any, *, dark: bool = False) -> str | None:
    """The palette a ``highlight-style`` names (a light/dark pair: its light one; on a ``dark`` background a
    bare name's dark variant), or ``None``."""
    if isinstance(style, dict):
        style = style.get("dark" if dark else "light") or style.get("light") or style.get("dark")
    if not isinstance(style, str):
        return None
    variants = (f"{style}-dark", f"{style}-light") if dark else (f"{style}-light", f"{style}-dark")
    for name in (style, *variants):
        if name in _PALETTES:
            return name
    return None


def theme_colours(name: str) -> dict[str, str]:
    return dict(zip(_ROLES, _PALETTES[name].split(), strict=True))


def token_colour(name: str, token: str) -> str | None:
    """The colour palette ``name`` gives pandoc's token kind ``token`` (``Function``), ``None`` for the text's."""
    return _theme(name, False)["text-styles"][token]["text-color"]


def own_background(name: str) -> bool:
    """Whether palette ``name`` brings its own code background: a dark scheme does, except Quarto's default
    (``arrow-dark`` colours the code on a dark theme's own background)."""
    return name.endswith("-dark") and name != "arrow-dark"


# the colour of code's line numbers in Quarto's themes that give one (its .theme files); the others leave the
# numbers in their link's colour
LINE_NUMBER_COLOURS = {"arrow-light": "#aaaaaa", "a11y-light": "#767676", "a11y-dark": "#97947a"}

# the code shade of Quarto's light themes that have one, which a PDF shows (pandoc's shaded box) and a page does not
PRINT_SHADES = {"arrow-light": "#f1f3f5", "a11y-light": "#fefefe"}


def _theme(name: str, print_shade: bool) -> dict[str, Any]:
    """Palette ``name`` as a pandoc (KDE) theme: its roles spread over pandoc's token kinds."""
    colours = theme_colours(name)
    italic, bold = (set(kinds.split()) for kinds in _EMPHASIS[name]) if name in _EMPHASIS else (_ITALIC, _BOLD)
    background = colours["background"] if own_background(name) else PRINT_SHADES.get(name) if print_shade else None
    known = _TOKEN_COLOURS.get(name, {})
    token_colours = {token: (known[_TOKEN_CLASSES[token]] or None) if _TOKEN_CLASSES[token] in known
                     else colours[role] for token, role in _TOKENS.items()}
    return {
        # a light scheme keeps the page's own code background, as Quarto's light themes do
        "text-color": colours["text"], "background-color": background,
        "line-number-color": LINE_NUMBER_COLOURS.get(name), "line-number-background-color": None,
        "text-styles": {token: {"text-color": token_colours[token], "background-color": None, "bold": token in bold,
                                "italic": token in italic, "underline": False} for token in _TOKENS},
    }


def theme_file(name: str, folder: Path, *, print_shade: bool = False) -> Path:
    """The pandoc theme for palette ``name``, written into ``folder`` (``print_shade``: for LaTeX, where code sits
    on the light theme's own shade, as in Quarto's PDFs)."""
    path = folder / f"highlight-{name}{'-print' if print_shade else ''}.theme"
    path.write_text(json.dumps(_theme(name, print_shade), indent=1), encoding="utf-8")
    return path


# the class pandoc's HTML gives each token kind (<span class="kw">)
_TOKEN_CLASSES = {
    "Alert": "al", "Annotation": "an", "Attribute": "at", "BaseN": "bn", "BuiltIn": "bu", "ControlFlow": "cf",
    "Char": "ch", "Constant": "cn", "Comment": "co", "CommentVar": "cv", "Documentation": "do", "DataType": "dt",
    "DecVal": "dv", "Error": "er", "Extension": "ex", "Float": "fl", "Function": "fu", "Import": "im",
    "Information": "in", "Keyword": "kw", "Operator": "op", "Other": "ot", "Preprocessor": "pp",
    "RegionMarker": "re", "SpecialChar": "sc", "SpecialString": "ss", "String": "st", "Variable": "va",
    "VerbatimString": "vs", "Warning": "wa",
}


def highlight_css(name: str) -> str:
    """The rules pandoc writes for palette ``name`` on a page (the same selectors, so that, later in the page,
    they take over from another palette's: the dark half of a light/dark pair)."""
    theme = _theme(name, False)
    block = f"color: {theme['text-color']};"
    if theme["background-color"]:
        block += f" background-color: {theme['background-color']};"
    rules = [f"div.sourceCode {{ {block} }}",
             # (a theme without a colour for them leaves the numbers their link's, over the other half's)
             f"pre.numberSource code > span > a:first-child::before "
             f"{{ color: {theme['line-number-color'] or 'inherit'}; }}"]
    for token, style in theme["text-styles"].items():
        declarations = f"color: {style['text-color']};" + (" font-weight: bold;" if style["bold"] else
                                                            " font-weight: normal;") + \
            (" font-style: italic;" if style["italic"] else " font-style: normal;")
        rules.append(f"code span.{_TOKEN_CLASSES[token]} {{ {declarations} }}")
    return "\n".join(rules)
