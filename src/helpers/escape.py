"""Text on its way into matplotlib, LaTeX, HTML or Markdown, escaped for that target in one place.

Prompts, tokens and cell outputs can hold anything: ``$`` (matplotlib reads ``$...$`` as maths),
LaTeX's ten specials, and control characters (an ANSI colour code, a BEL, a NUL) that xelatex
refuses ("Text line contains an invalid character") and that HTML cannot hold. Control characters
are shown as visible escapes such as ``\\x1b``; newlines and tabs stay unless the target is a
single line (a caption), where blank lines would end the caption's paragraph.
"""

from __future__ import annotations

import html
import re

# C0/C1 controls but newline and tab, and the invisible format characters (zero-width and bidi
# controls) that would silently reorder or hide text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_MARKDOWN_SPECIALS = re.compile(r"([\\|*_`<>\[\]$])")
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def control_visible(text: str) -> str:
    """Control characters (but newline and tab) as ``\\xNN`` text; everything else unchanged."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def single_line(text: str) -> str:
    """Newlines and tabs as spaces, for text that must stay one paragraph (captions, labels)."""
    return " ".join(text.replace("\t", " ").split("\n"))


def for_latex(text: str, *, inline: bool = False) -> str:
    """LaTeX source that prints ``text`` literally; ``inline`` also folds newlines (captions)."""
    text = control_visible(text)
    if inline:
        text = single_line(text)
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


def for_html(text: str) -> str:
    """HTML that shows ``text`` literally."""
    return html.escape(control_visible(text))


def for_markdown(text: str) -> str:
    """Markdown that shows ``text`` literally (a table cell, a caption): its specials backslash-escaped."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def for_matplotlib(text: str) -> str:
    """A matplotlib label that shows ``text`` literally: ``$`` would start mathtext."""
    return control_visible(text).replace("$", r"\$")
