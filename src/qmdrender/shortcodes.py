"""Quarto's built-in shortcodes, expanded in a document's Markdown for one format (markdown.py calls this).

``{{< meta key >}}``, ``{{< var key >}}`` (``_variables.yml``), ``{{< env NAME >}}``, ``{{< pagebreak >}}``,
``{{< kbd ... >}}``, ``{{< video ... >}}``, ``{{< lipsum n >}}`` (placeholder paragraphs),
``{{< placeholder width height >}}`` (a placeholder image) and ``{{< version >}}``
(https://quarto.org/docs/authoring/shortcodes.html); ``{{{< ... >}}}`` and ``{{</* ... */>}}`` write a
shortcode literally, and a code block marked ``shortcodes="false"`` keeps its shortcodes as written.
``include`` is read with the document (qmd.py) and ``embed`` by embeds.py. Another name is left to the
extensions' shortcodes when there are any (a placeholder span that ``filters/shortcodes.lua`` calls the
extension's Lua for); one no extension defines is left out with a warning, as Quarto leaves it.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from qmdrender.authors import author_names
from qmdrender.brand import brand_colour, brand_logo_with_alt, document_logo
from qmdrender.escape import escape_markdown
from qmdrender.qmd import QmdError, scan
from qmdrender.types import warn
from qmdrender.yamlfile import read_yaml_file

SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[\w-]+)(?P<args>.*?)\s*>\}\}", re.S)
_ESCAPED_SHORTCODE = re.compile(r"\{\{\{<(?P<body>.*?)>\}\}\}", re.S)
_COMMENTED_SHORTCODE = re.compile(r"\{\{</\*(?P<body>.*?)\*/>\}\}", re.S)  # {{</* var */>}}: written as is
_CODE_SPAN = re.compile(r"((`+)[^`].*?\2)", re.S)  # inline code: a run of backticks to the same run
_NO_SHORTCODES = re.compile(r"""shortcodes\s*=\s*["']?false""")
_KEY_DOT = re.compile(r"(?<!\\)\.")
# The Quarto release whose behaviour the embedded renderer follows ({{< version >}}).
QUARTO_VERSION = "1.8.26"
# Lorem ipsum, the printers' placeholder text (after Cicero's "De finibus"), for {{< lipsum >}}: the same
# seventeen paragraphs Quarto's lipsum shows, so that a document's filler reads as it does under Quarto.
LIPSUM_FILE = Path(__file__).resolve().parent / "assets" / "lipsum.json"


_SHORTCODE_ARGUMENT = re.compile(r'(?:([\w-]+)=)?(?:"([^"]*)"|\'([^\']*)\'|(\S+))')


def _video(arguments: str) -> str:
    """``{{< video URL title=... start=... aspect-ratio=... width=... height=... >}}``: a link to the video in
    a span that filters/video.lua embeds in HTML (other formats show the link, as Quarto does)."""
    url, options = "", {}
    for match in _SHORTCODE_ARGUMENT.finditer(arguments):
        value = next(v for v in match.groups()[1:] if v is not None)
        if match[1]:
            options[match[1]] = value
        elif not url:
            url = value
    options = {"src": url, **options}
    # a "$" (an Azure container's "$web") escaped, or two of them read as maths would break the span
    attributes = " ".join(f"{key}={json.dumps(value).replace('$', chr(92) + '$')}" for key, value in options.items())
    label = escape_markdown(options.get("title") or url)
    return f"[[{label}](<{url.replace('$', chr(92) + '$')}>)]{{.quarto-video {attributes}}}"


def _kbd(arguments: str) -> str:
    """``{{< kbd Ctrl-C >}}``, or per system (``mac=... win=... linux=...``): the keys as a ``.kbd`` span, which
    pandoc writes as ``<kbd>`` in HTML; the shortcut named without a system first, else the first one given;
    the systems' are kept as ``data-`` attributes."""
    keys, systems = "", {}
    for match in _SHORTCODE_ARGUMENT.finditer(arguments):
        value = next(v for v in match.groups()[1:] if v is not None)
        if match[1] in ("mac", "win", "linux"):
            systems[match[1]] = value
        elif not match[1] and not keys:
            keys = value
    shown = keys or next(iter(systems.values()), "")
    attributes = "".join(f" data-{system}={json.dumps(value)}" for system, value in systems.items())
    return f"[{escape_markdown(shown)}]{{.kbd{attributes}}}"


def project_variables(project: Path | None) -> dict[str, Any]:
    """The project's ``_variables.yml`` (what ``{{< var >}}`` and ``quarto.variables.get`` read); ``{}``
    outside a project or without the file."""
    if project is None or not (project / "_variables.yml").is_file():
        return {}
    return read_yaml_file(project / "_variables.yml", "variables file", QmdError)


def expand_in_values(value: Any, expand: Callable[[str], str]) -> Any:
    """``value`` (metadata: a string, or mappings and lists of them) with the shortcodes of each string
    expanded by ``expand``; strings without one are kept as they are."""
    if isinstance(value, str):
        return expand(value) if "{{<" in value else value
    if isinstance(value, Mapping):
        return {key: expand_in_values(item, expand) for key, item in value.items()}
    if isinstance(value, list):
        return [expand_in_values(item, expand) for item in value]
    return value


def shortcode_expander(format_options: Mapping[str, Any], project: Path | None,
                        extension_shortcodes: bool = False, drop_others: bool = False,
                        folder: Path | None = None) -> Callable[[str], str]:
    """A function that expands the shortcodes of a Markdown text for one format (see the module). With
    ``drop_others``, a shortcode that is not built in is left out, unsaid: a site's navigation text, whose page
    runs its extensions' shortcodes (or says it cannot) when it renders. ``folder``: the document's, where its
    brand is found (else the project's root)."""
    variables = project_variables(project)

    def lookup(mapping: Any, key: str) -> Any:
        # "a.b" a sub-key, "author.1" the first of a list, "field\\.with\\.dots" a key with dots in it
        for part in (p.replace("\\", "") for p in _KEY_DOT.split(key)):
            if isinstance(mapping, list) and part.isdigit() and 1 <= int(part) <= len(mapping):
                mapping = mapping[int(part) - 1]
            elif isinstance(mapping, Mapping) and part in mapping:
                mapping = mapping[part]
            else:
                return None
        return mapping

    in_code = [False]  # whether the text being expanded is code (a code block or span): no placeholders there

    def handle(match: re.Match[str]) -> str:
        name, args = match["name"], match["args"].split()
        if name == "meta" and args:
            value = lookup(format_options, args[0])
            return value_text(value, f"meta {args[0]}")
        if name == "var" and args:
            return value_text(lookup(variables, args[0]), f"var {args[0]} (_variables.yml)")
        if name == "contents" and args:  # filters/contents.lua moves the element here (code shows the call)
            return match.group(0) if in_code[0] else f'[]{{.{CONTENTS_MARK} target="{html.escape(args[0])}"}}'
        if name == "env" and args:
            return os.environ.get(args[0], args[1] if len(args) > 1 else "")
        if name == "brand" and len(args) >= 2 and args[0] in ("color", "logo"):
            found = _brand(args, format_options, project, folder or project or Path.cwd())
            if found is not None:
                return found
        if name == "placeholder" and _LINK_TARGET_BEFORE.search(match.string, 0, match.start()):
            return placeholder_uri(match["args"])  # an image's source: the image itself, not one in it
        if name in BUILT_IN and (args or name not in _NEED_ARGUMENTS):
            return BUILT_IN[name](match["args"])
        if extension_shortcodes:
            return _extension_shortcode(name, match["args"], match.group(0))
        if drop_others:
            return ""
        if name in QUARTO_SHORTCODES:  # Quarto's own, which the embedded renderer lacks (or lacks this call of)
            warn(f"shortcode {{{{< {name} >}}}} is not supported by the embedded renderer; left as text.")
            return match.group(0) if in_code[0] else match.group(0).replace("{{<", "{{\\<")  # code: as written
        if in_code[0]:
            return match.group(0)
        # a name no extension here defines (its extension not installed, a misspelling): Quarto says
        # "Shortcode 'fa' not found" and leaves the call out (since 1.4)
        warn(f"shortcode {{{{< {name} >}}}} is defined by no extension here (Quarto: \"Shortcode '{name}' not "
             "found\"); it is left out, as Quarto leaves it.")
        return ""

    def expand_part(text: str, code: bool) -> str:
        in_code[0] = code
        literals: list[str] = []

        def keep(match: re.Match[str]) -> str:
            # in prose "\<" keeps pandoc from reading {{<meta>}} as a raw HTML tag; code shows what is written
            literals.append("{{" + ("<" if code else "\\<") + match["body"] + ">}}")
            return f"\x00{len(literals) - 1}\x00"

        text = _ESCAPED_SHORTCODE.sub(keep, _COMMENTED_SHORTCODE.sub(keep, text))
        return re.sub(r"\x00(\d+)\x00", lambda m: literals[int(m[1])], SHORTCODE.sub(handle, text))

    def expand(text: str) -> str:
        """Shortcodes in prose, inline code and code blocks alike, as Quarto expands them; a code block marked
        ``shortcodes="false"`` is left as written."""
        parts = []
        for chunk in scan(text, front_matter=False):
            if chunk.kind == "markdown":
                pieces = _CODE_SPAN.split(chunk.text)  # prose, a code span, its backticks (dropped), prose ...
                parts += [expand_part(piece, code=n % 3 == 1) for n, piece in enumerate(pieces) if n % 3 != 2]
            elif _NO_SHORTCODES.search(chunk.opening):
                parts.append(chunk.text)
            else:
                parts.append(chunk.opening + expand_part(chunk.body, code=True) + chunk.closing)
        return "".join(parts)

    return expand


def _extension_shortcode(name: str, arguments: str, written: str) -> str:
    """A placeholder span for ``filters/shortcodes.lua``: the call, JSON in a percent-encoded attribute (no
    quote or brace of the arguments can break the Markdown around it)."""
    positional, named = [], {}
    for match in _SHORTCODE_ARGUMENT.finditer(arguments):
        value = next(v for v in match.groups()[1:] if v is not None)
        if match[1]:
            named[match[1]] = value
        else:
            positional.append(value)
    call = {"name": name, "args": positional, "kwargs": named, "raw": arguments.strip(), "text": written}
    return f"[]{{.quarto-shortcode call=\"{quote(json.dumps(call), safe='')}\"}}"


def value_text(value: Any, what: str) -> str:
    if value is None:
        warn(f"shortcode {{{{< {what} >}}}}: no such value; left empty.")
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, author_names(value)))
    return str(value)


def _brand(args: list[str], options: Mapping[str, Any], project: Path | None, folder: Path) -> str | None:
    """``{{< brand color NAME [light|dark] >}}``: the colour's value; ``{{< brand logo SIZE [light|dark] >}}``: the
    brand's logo of that size (or image of that name) as an image, with its alternative text; ``None`` when the
    brand has no such entry (the call is then said to be unsupported, as before)."""
    mode = args[2] if len(args) > 2 and args[2] in ("light", "dark") else "light"
    if args[0] == "color":
        return brand_colour(args[1], options.get("brand"), project, folder, mode)
    sizes = ("small", "medium", "large")
    if args[1] in sizes:
        path, alt = brand_logo_with_alt(options.get("brand"), project, folder, sizes, args[1], mode)
    else:
        path, alt = document_logo(args[1], options.get("brand"), project, folder, mode)
    return None if path is None else f"![{escape_markdown(alt)}]({quote(path, safe='/:')})"


def _lipsum(arguments: str) -> str:
    """``{{< lipsum >}}`` (paragraphs 1 to 5), ``{{< lipsum 2 >}}`` (the first two), ``{{< lipsum 2-4 >}}`` (a
    range; ``5-1`` counts down), as Quarto numbers them, past the last one starting again from the first but one
    (Quarto's wrap); ``random=true`` is taken as in order (a render shows the same text each time)."""
    paragraphs = json.loads(LIPSUM_FILE.read_text(encoding="utf-8"))
    plain = re.sub(r"\w+=\S+", "", arguments)
    span = re.search(r"(\d+)-(\d+)", plain)
    count = re.search(r"\d+", plain)
    first, last = (int(span[1]), int(span[2])) if span else (1, int(count[0]) if count else 5)
    numbers = range(first, last + 1) if first <= last else range(first, last - 1, -1)
    return "\n\n" + "\n\n".join(paragraphs[(n - 1) % (len(paragraphs) - 1)] for n in numbers) + "\n\n"


def _placeholder(arguments: str) -> str:
    """``{{< placeholder 400 200 >}}``: a grey image of that size (100 x 100 by default) with its size written
    on it, as an SVG (``format=svg`` or ``png`` both give the SVG here)."""
    width, height = _placeholder_size(arguments)
    return f"![]({placeholder_uri(arguments)}){{width={width}px height={height}px}}"


def _placeholder_size(arguments: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"(?<![=\w])\d+", arguments)]
    width = numbers[0] if numbers else 100
    return width, numbers[1] if len(numbers) > 1 else width


def placeholder_uri(arguments: str) -> str:
    """The placeholder image as a ``data:`` URI: what ``{{< placeholder >}}`` gives as an image's source
    (``![An image]({{< placeholder 900 300 >}})``), as Quarto's documentation shows it used."""
    width, height = _placeholder_size(arguments)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} '
           f'{height}"><rect width="100%" height="100%" fill="#d9d9d9"/><text x="50%" y="50%" '
           f'dominant-baseline="middle" text-anchor="middle" font-family="sans-serif" font-size="'
           f'{max(10, min(width, height) // 6)}" fill="#7a7a7a">{width} &#215; {height}</text></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# a link's or image's target opening right before a shortcode: "](" (spaces allowed)
_LINK_TARGET_BEFORE = re.compile(r"\]\(\s*\Z")
_PAGEBREAK = ("\n\n```{=latex}\n\\newpage\n```\n\n```{=html}\n"
              "<div style=\"page-break-after: always;\"></div>\n```\n\n")
# The built-in shortcodes whose text depends only on their arguments, by name (meta, var and env read the
# document's options, its project's variables and the environment: shortcode_expander has them).
BUILT_IN: dict[str, Callable[[str], str]] = {
    "video": _video, "kbd": _kbd, "lipsum": _lipsum, "placeholder": _placeholder,
    "version": lambda arguments: QUARTO_VERSION, "pagebreak": lambda arguments: _PAGEBREAK,
}
_NEED_ARGUMENTS = frozenset({"video", "kbd"})  # without them, the call stays as text with a warning
# Quarto's built-in shortcodes (https://quarto.org/docs/authoring/shortcodes.html): another name is an
# extension's
QUARTO_SHORTCODES = frozenset({"meta", "var", "env", "contents", "include", "embed", "brand", *BUILT_IN})
# {{< contents id >}}: a placeholder span that filters/contents.lua replaces with the element of that id
CONTENTS_MARK = "quarto-contents-shortcode"


def extension_shortcode_names(text: str) -> list[str]:
    """The names of the shortcodes in ``text`` that are not built in (an extension's, or a misspelt one), in
    order, once each."""
    known = {"meta", "var", "env", "contents", *BUILT_IN}
    return list(dict.fromkeys(m["name"] for m in SHORTCODE.finditer(text) if m["name"] not in known))
