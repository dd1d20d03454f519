"""The copy button on code blocks, written into the page as Quarto writes it (``code-copy``: ``hover``, its
default, shows it when the pointer is over the block; ``true`` always; ``false`` none), so that it is in the
file, where authors' rules, scripts and any reader of the HTML find it; ``assets/page_tools.js`` makes it copy.

A page: the block and its button side by side in ``div.code-copy-outer-scaffold``, the ``pre`` marked
``code-with-copy``. A deck: the button inside the ``pre``, which is marked ``code-with-copy``."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from qmdrender.formats.bootstrap_markup import with_class
from qmdrender.palette import svg_mask

# a highlighted block as pandoc writes it: div.sourceCode around one pre (whose text holds no "</pre>")
_BLOCK = re.compile(r'(<div\b[^>]*\bclass="sourceCode\b[^"]*"[^>]*>\s*<pre\b)([^>]*)(>.*?)(</pre>)(\s*</div>)', re.S)


def copy_button(setting: str | bool, words: Mapping[str, str]) -> str:
    """Quarto's button, with its words in the document's language; its clipboard icon an ``<i class="bi">``
    drawn by :func:`icon_style`."""
    hover = " on-hover" if setting == "hover" else ""
    label = html.escape(words["copy-button-tooltip"])
    return (f'<button type="button" title="{label}" aria-label="{label}" '
            f'class="code-copy-button{hover}"><i class="bi"></i></button>')


def icon_style(copy_svg: str, copied_svg: str) -> str:
    """The button's icon, Bootstrap's clipboard (a checked one once the code is copied), as a mask in the text's
    colour, as Quarto draws it from CSS rather than an element of the page."""
    if not copy_svg:
        return '<style>.code-copy-button > .bi::before { content: "Copy"; }</style>'
    rules = [f".code-copy-button > .bi::before {{ content: \"\"; display: inline-block; width: 1em; height: 1em; "
             f"vertical-align: -0.125em; background-color: currentColor; {svg_mask(copy_svg)} }}"]
    if copied_svg:
        rules.append(f".code-copy-button.code-copy-button-checked > .bi::before {{ {svg_mask(copied_svg)} }}")
    return f"<style>{' '.join(rules)}</style>"


def with_copy_buttons(page: str, setting: str | bool, words: Mapping[str, str], *, deck: bool = False) -> str:
    """``page`` with a copy button on each highlighted code block that has none, unless ``setting`` is false."""
    if not setting:
        return page
    button = copy_button(setting, words)

    def place(found: re.Match[str]) -> str:
        if "code-with-copy" in found[2]:  # given its button already
            return found[0]
        block = found[1] + with_class(found[2], "code-with-copy") + found[3]
        if deck:
            return block + button + found[4] + found[5]
        return f'<div class="code-copy-outer-scaffold">{block}{found[4]}{found[5]}{button}</div>'

    return _BLOCK.sub(place, page)
