"""Text on its way into the renderer's Markdown and HTML, escaped in one place (and an HTML fragment's plain
words, on its way out).

Cell outputs and values can hold control characters (an ANSI colour code, a BEL, a NUL) that
xelatex refuses and HTML cannot hold: they are shown as visible escapes such as ``\\x1b``.
"""

from __future__ import annotations

import html
import re

# C0/C1 controls but newline and tab, and the invisible format characters (zero-width and bidi
# controls) that would silently reorder or hide text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|$@~^])")


def control_visible(text: str) -> str:
    """Control characters (but newline and tab) as ``\\xNN`` text; everything else unchanged."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def escape_markdown(text: str) -> str:
    """Text that pandoc's Markdown reader gives back literally (an inline value, a table cell)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def code_span(text: str) -> str:
    """A Markdown code span that shows ``text`` as it is (no smart quotes, no emphasis)."""
    text = control_visible(text).replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_TAG = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """The words of an HTML fragment without its tags and entities (a ``<title>``'s text, a highlighted line's
    code)."""
    return html.unescape(_TAG.sub("", markup))
