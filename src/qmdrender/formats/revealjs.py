"""reveal.js slides in one self-contained HTML file: reveal.js, its notes plugin (speaker view), the slide
menu, figures and styles all embedded; works offline, and ``?print-pdf`` prints it."""

from __future__ import annotations

import base64
import mimetypes
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.brand import DECK_LOGO, brand_logo_with_alt, document_brand_layer, document_logo
from qmdrender.embedded_cells import with_embedded_cells_highlighted
from qmdrender.formats import HTML_MIME_ORDER, SLIDE_EXECUTION, Format, register
from qmdrender.formats.bootstrap_markup import with_row_classes
from qmdrender.formats.code_copy import with_copy_buttons
from qmdrender.formats.external_links import external_links_html
from qmdrender.formats.html import HTML_FILTERS, code_copy_setting, page_tools_script
from qmdrender.formats.page_main import with_body
from qmdrender.formats.reveal_chalkboard import CHALKBOARD_TOOLS, chalkboard_buttons_html, chalkboard_plugin
from qmdrender.formats.reveal_code import slide_code_blocks
from qmdrender.formats.reveal_config import chrome_html, config_arguments, configured_html, reveal_option_name
from qmdrender.formats.reveal_menu import menu_plugin
from qmdrender.formats.reveal_plugins import add_plugins, deck_plugins
from qmdrender.formats.title_block import slide_title_block
from qmdrender.formats.writing import (
    ASSETS,
    Job,
    cell_code_divs,
    common_arguments,
    css_arguments,
    function_colour,
    html_math_arguments,
    html_theme_arguments,
    output_arguments,
    placed_extension_html,
    scripts_without_reference_marks,
    stylesheet_arguments,
    write_markdown,
)
from qmdrender.keys import local_path
from qmdrender.language import document_words
from qmdrender.options import number_option
from qmdrender.shortcodes import shortcode_expander
from qmdrender.themes import is_dark_deck, reveal_theme
from qmdrender.types import REPOSITORY, RenderError, warn
from qmdrender.yamlfile import dump_yaml


def revealjs_path() -> Path:
    """reveal.js from the npm registry, installed by the Makefile into ``.cache/revealjs`` (never a CDN).

    ``LLM_REPORTS_REVEALJS`` names another copy (a folder holding ``dist/reveal.js``)."""
    configured = os.environ.get("LLM_REPORTS_REVEALJS")
    folder = Path(configured) if configured else REPOSITORY / ".cache" / "revealjs" / "node_modules" / "reveal.js"
    if not (folder / "dist" / "reveal.js").is_file():
        raise RenderError(f"reveal.js slides need reveal.js, which is not installed at {folder}. Run `make setup` "
                          "(npm install reveal.js into .cache/revealjs), or set LLM_REPORTS_REVEALJS to a copy.")
    return folder


# A slide's class list (pandoc's "slide level2" ...).
_SLIDE_CLASS = re.compile(r'(<section\b[^>]*\bclass=")([^"]*\bslide\b[^"]*)(")')
# The deck's title slide and each section's (level-1) title slide: their class lists.
_TITLE_SLIDE = re.compile(r'(<section\b[^>]*\bclass=")((?:quarto-title-block|title-slide slide level1)[^"]*?)(")')
_CLASSLESS_TITLE_SLIDE = re.compile(r'(<section id="title-slide"(?![^>]*\bclass=)[^>]*?)(?=\s*>)')


def slide_arguments(options: Mapping[str, Any]) -> list[str]:
    """``slide-level`` and ``incremental``, which reveal.js, Beamer and PowerPoint share. Without a
    ``slide-level`` (reveal.js has Quarto's 2), pandoc's own rule decides, as under Quarto: the highest heading
    level that some heading of the document has content right under."""
    arguments = []
    if options.get("slide-level") is not None:
        arguments.append(f"--slide-level={number_option(options, 'slide-level')}")
    if options.get("incremental"):
        arguments.append("--incremental")
    return arguments


def _deck_logo(job: Job, options: Mapping[str, Any]) -> tuple[str | None, str]:
    """The deck's logo and its alternative text: its own ``logo`` (a path, a brand image's name, ``{path, alt}``,
    ``{light, dark}``), else the brand's, in the deck's ``brand-mode`` (light unless it says dark)."""
    mode = "dark" if options.get("brand-mode") == "dark" else "light"
    brand, project = options.get("brand"), job.options.project
    value = options.get("logo")
    if not value or value in DECK_LOGO:  # none, or a size of the brand's logo: the brand's (Quarto's preference)
        return brand_logo_with_alt(brand, project, job.folder, DECK_LOGO, size=value or None, mode=mode)
    logo, alt = document_logo(value, brand, project, job.folder, mode)
    resolved = logo is not None and Path(logo).is_absolute() and Path(logo).is_file()  # a brand image's
    if logo and not resolved and not re.match(r"^[a-z][a-z0-9+.-]*:", logo, re.I):
        found = local_path(logo, job.folder, project)  # "/assets/logo.png": from the project root
        if found is None:
            warn(f"{job.document.path}: logo {logo} not found (looked beside the document and in the project "
                 "root); the deck has no logo.")
        logo = str(found) if found else None
    return logo, alt


def write_revealjs(job: Job, target: Path) -> None:
    options = job.options.for_format(REVEALJS.name)
    assembled = job.assemble(REVEALJS)
    dark = is_dark_deck(options.get("theme"))
    arguments = [*common_arguments(job, options, dark=dark), *slide_arguments(options), "--embed-resources",
                 *html_math_arguments(job, options, assembled, slides=True),
                 f"--variable=revealjs-url:{revealjs_path()}", *html_theme_arguments(job, options, "slides.css")]
    # Quarto's decks are 40px whatever the theme (reveal.js's own themes are 42px), or the deck's fontsize;
    # after the theme and before the deck's own .scss, which may set $presentation-font-size-root itself
    size = str(options.get("fontsize") or "40px").strip()
    size = f"{size}pt" if re.fullmatch(r"\d+(\.\d+)?", size) else size  # a bare number is points, as in print
    if not re.fullmatch(r"\d+(\.\d+)?[a-z%]+", size):
        warn(f"{job.document.path}: fontsize {size!r} is not a CSS length (24pt, 32px); the deck uses 40px.")
        size = "40px"
    arguments.append(f"--css={job.header_file('deck-font-size.css', f':root {{ --r-main-font-size: {size}; }}')}")
    colour = function_colour(options, dark=dark)  # inline code, in the highlight style's function colour
    if colour:
        arguments.append(f"--css={job.header_file('deck-code.css', f':root {{ --quarto-hl-fu-color: {colour}; }}')}")
    script = (ASSETS / "line_highlights.js").read_text(encoding="utf-8")
    arguments.append(f"--include-after-body={job.header_file('line-highlights.html', f'<script>{script}</script>')}")
    external = external_links_html(options)  # link-external-icon / -newwindow / -filter, as on pages
    if external:
        arguments.append(f"--include-after-body={job.header_file('external-links.html', external)}")
    if options.get("auto-stretch", True) is not False:  # Quarto's default: a slide's single image fills it
        stretch = (ASSETS / "auto_stretch.js").read_text(encoding="utf-8")
        arguments.append(f"--include-after-body={job.header_file('auto-stretch.html', f'<script>{stretch}</script>')}")
    if "width" not in options:  # Quarto's slides are 1050 x 700 (reveal.js's own default is 960 wide)
        arguments.append("--variable=width:1050")
    arguments += config_arguments(options)
    logo, logo_alt = _deck_logo(job, options)
    arguments += parallax_arguments(job, options)
    footer = options.get("footer")
    if isinstance(footer, str) and "{{<" in footer:  # {{< meta x >}} in the footer, as in the text
        footer = shortcode_expander(options, job.options.project)(footer)
    chrome = chrome_html({**options, "logo": logo, "logo-alt": logo_alt, "footer": footer}) + configured_html(options)
    arguments.append(f"--include-after-body={job.header_file('deck-chrome.html', chrome)}")
    chalkboard = chalkboard_plugin(options.get("chalkboard"), revealjs_path(), job.folder)
    menu = menu_plugin(options.get("menu"), revealjs_path(), CHALKBOARD_TOOLS if chalkboard else ())
    words = document_words(options, job.folder)
    copy = page_tools_script(code_copy_setting(options), False, False, words)  # a copy button, as in Quarto
    if copy:
        arguments.append(f"--include-after-body={job.header_file('deck-code-copy.html', copy)}")
    if chalkboard:
        buttons = chalkboard_buttons_html(options.get("chalkboard"), menu_button=options.get("menu") is not False)
        arguments.append(f"--include-after-body={job.header_file('deck-chalkboard.html', buttons)}")
    if "center" not in options:  # Quarto's slides start at the top (pandoc's centre them)
        arguments.append("--variable=center:false")
    elif options.get("center") is True:  # centred slides: let reveal.js place each by its own height
        centred = "<style>.reveal .slides section.slide:not(.quarto-title-block) { height: auto; }</style>"
        arguments.append(f"--include-in-header={job.header_file('centred-slides.html', centred)}")
    if options.get("code-overflow") == "wrap":  # every code block's long lines wrap (default: they scroll)
        wrap = ("<style>.reveal pre > code.sourceCode, .reveal pre code { white-space: pre-wrap; } "
                ".reveal div.cell-output > pre > code { white-space: pre; }</style>")
        arguments.append(f"--include-in-header={job.header_file('code-overflow.html', wrap)}")
    if "reference-location" not in options:  # footnotes at the foot of their slide, as in Quarto
        arguments.append("--reference-location=section")
    brand = document_brand_layer(options.get("brand"), job.options.project, job.folder, "revealjs")
    name, stylesheet = reveal_theme(options.get("theme"), job.folder, revealjs_path() / "dist" / "theme", brand)
    arguments.append(f"--variable=theme:{name or 'white'}")  # a deck's .scss compiled over it, never a path
    # Quarto's ports of reveal.js's themes keep Quarto's heading sizes (reveal.js's own serif, sky ... set larger
    # ones); before the deck's .scss, whose $presentation-h2-font-size ... win
    title = "3.77em" if name in ("beige", "blood", "league") else "2.5em"
    sizes = f":root {{ --r-heading1-size: {title}; --r-heading2-size: 1.6em; --r-heading3-size: 1.3em; " \
            "--r-heading4-size: 1em; }"
    arguments.append(f"--css={job.header_file('deck-headings.css', sizes)}")
    if stylesheet is not None:
        arguments += stylesheet_arguments(job, stylesheet, name="deck-theme")
    arguments += css_arguments(job, options)  # the deck's own stylesheets, after its theme as in Quarto
    arguments.append(f"--css={ASSETS / 'deck_chrome.css'}")  # then the footer's and slide number's places
    arguments += output_arguments(job, options, assembled)
    write_markdown(job, REVEALJS, assembled, "revealjs", target, arguments)
    page = target.read_text(encoding="utf-8")
    titled = slide_title_block(page, options)
    if options.get("smaller") is True:  # every slide smaller (Quarto's deck option): a class on the deck
        titled = titled.replace('<div class="reveal">', '<div class="reveal smaller">', 1)
    if options.get("center-title-slide", True) is not False:  # Quarto centres the title and section slides
        titled = _TITLE_SLIDE.sub(lambda found: _with_class(found, "center"), titled)
        # a deck's own title-slide.html may give its section no class: Quarto finds it by its id
        titled = _CLASSLESS_TITLE_SLIDE.sub(r'\1 class="center"', titled, count=1)
    if options.get("center") is True:  # every slide "center", as Quarto marks them (a deck's rules, scrollable)
        titled = _SLIDE_CLASS.sub(lambda found: _with_class(found, "center"), titled)
    if "reference-location" not in options:
        titled = slide_footnotes(titled)
        if options.get("scrollable") is True:
            titled = scrollable_aside_slides(titled)
    titled = toc_without_untitled_slides(references_slide(bare_slide_headings(titled)))
    if options.get("hash-type") == "number":  # the address names a slide by its number (#/3), not its id
        titled = _SLIDE_ID.sub(r"\1", titled)
    if titled != page:
        target.write_text(titled, encoding="utf-8")
    plugins = deck_plugins(options.get("revealjs-plugins"), job.folder, job.options.project)
    add_plugins(target, [plugin for plugin in (menu, *plugins, chalkboard) if plugin], options)
    page = target.read_text(encoding="utf-8")
    cleaned = with_row_classes(cell_code_divs(scripts_without_reference_marks(placed_extension_html(page))))
    cleaned = adjacent_columns(cleaned)
    cleaned = with_embedded_cells_highlighted(cleaned)
    cleaned = with_copy_buttons(slide_code_blocks(cleaned), code_copy_setting(options), words, deck=True)
    # the body says whether the deck is light or dark, as Quarto's does (authors' rules and scripts read it)
    cleaned = with_body(cleaned, "quarto-dark" if dark else "quarto-light")
    if cleaned != page:
        target.write_text(cleaned, encoding="utf-8")


_SLIDE_NOTES = re.compile(r'<aside id="footnotes[^"]*" class="footnotes footnotes-end-of-section"[^>]*>\s*'
                          r'(?:<hr\s*/?>\s*)?<ol([^>]*)>(.*?)</ol>\s*</aside>', re.S)
_NOTE_REFERENCE = re.compile(r'<a href="#/fn\d+" class="footnote-ref" id="fnref\d+" role="doc-noteref">'
                             r'(<sup>\d+</sup>)</a>')
_NOTE_BACK = re.compile(r'<a href="#/fnref\d+" class="footnote-back" role="doc-backlink">\S*?</a>')


# A slide's opening tag with its id (pandoc's slides have the class "slide"; the title slide Quarto's class).
_SLIDE_ID = re.compile(r'(<section\b[^>]*?)\s+id="[^"]*"(?=[^>]*\bclass="[^"]*\b(?:slide|quarto-title-block)\b)')
_TOC = re.compile(r'<nav[^>]*role="doc-toc"[^>]*>.*?</nav>', re.S)
# (pandoc titles a slide begun by a rule with a NUL character, which it leaves in the contents)
_UNTITLED_ENTRY = re.compile(r"<li>[\s\x00]*(?:<a [^>]*>[\s\x00]*</a>)?[\s\x00]*</li>\s*")


def toc_without_untitled_slides(page: str) -> str:
    """The table of contents lists titled slides only, as Quarto's does: a slide begun by ``---`` or an
    empty ``##`` made an empty bullet."""
    return _TOC.sub(lambda toc: _UNTITLED_ENTRY.sub("", toc[0]), page, count=1)


_SECTION_OPENING = re.compile(r'<section\b[^>]*>')
# a slide's opening and its heading with the attributes pandoc 3.9 copies onto it from the section
_SLIDE_HEADING = re.compile(r'(<section\b[^>]*\bclass="[^"]*\bslide level(\d)\b[^"]*"[^>]*>\s*<h\2)\s[^>]*>')


def bare_slide_headings(page: str) -> str:
    """A slide's heading without the classes and attributes of its slide (``# Part {.agenda-slide}``): they are
    the slide's, as Quarto writes them (pandoc 3.9 also leaves them on the heading, where a rule for the
    slide's class would reach the heading too)."""
    return _SLIDE_HEADING.sub(r"\1>", page)


def references_slide(page: str) -> str:
    """The slide that holds the bibliography (``#refs``) is ``.smaller`` and ``.scrollable`` and not centred,
    as Quarto makes it, so that a long list fits and scrolls."""
    at = page.find('id="refs"')
    opening = None if at < 0 else next(reversed(list(_SECTION_OPENING.finditer(page, 0, at))), None)
    classes = None if opening is None else re.search(r'\bclass="([^"]*)"', opening[0])
    if classes is None or "slide" not in classes[1].split():
        return page
    kept = [c for c in classes[1].split() if c != "center"]
    kept += [c for c in ("smaller", "scrollable") if c not in kept]
    tag = opening[0][:classes.start(1)] + " ".join(kept) + opening[0][classes.end(1):]
    return page[:opening.start()] + tag + page[opening.end():]


def slide_footnotes(page: str) -> str:
    """Footnotes at the foot of their slide as Quarto writes them: the number in the text is a plain
    superscript (a link would jump to the same slide), the notes an ``<aside>`` list without back-links."""
    def aside(found: re.Match[str]) -> str:
        return f'<aside><ol class="aside-footnotes"{found[1]}>{_NOTE_BACK.sub("", found[2])}</ol></aside>'

    page = _NOTE_REFERENCE.sub(r"\1", _SLIDE_NOTES.sub(aside, page))

    def joined(found: re.Match[str]) -> str:  # the slide's own aside takes them; the speaker's notes never do
        return "" if _ASIDE.match(page, page.rfind("<aside", 0, found.start())) else found[0]

    return _AFTER_ASIDE.sub(joined, page)


# the end of an aside right before a slide's footnotes: Quarto puts the notes in the slide's aside (`::: aside`)
_AFTER_ASIDE = re.compile(r'</aside>\s*<aside>(?=<ol class="aside-footnotes")')


_SECTION_TAG = re.compile(r"<section\b[^>]*>|</section>")
# an aside a reader sees (footnotes, an .aside div), not the speaker's notes
_ASIDE = re.compile(r'<aside\b(?![^>]*\bclass="[^"]*\bnotes\b)[^>]*>|<div\b[^>]*\bclass="aside\b')


_BETWEEN_COLUMNS = re.compile(r'</div>\s+(?=<div class="column")')


def adjacent_columns(page: str) -> str:
    """Columns (``.column`` divs, inline blocks) written with nothing between them, as Quarto writes them: the
    space a line break makes would push the last of three 33.3 % columns onto a line of its own."""
    return _BETWEEN_COLUMNS.sub("</div>", page)


def scrollable_aside_slides(page: str) -> str:
    """In a scrollable deck, each slide with footnotes or an aside marked ``scrollable``, as Quarto marks it: they
    then follow its text (a centred slide's too) and it scrolls when they make it taller than the slide."""
    tags = list(_SECTION_TAG.finditer(page))
    pieces, done = [], 0
    for index, tag in enumerate(tags):
        end = tags[index + 1].start() if index + 1 < len(tags) else len(page)
        if tag[0].startswith("<section") and _ASIDE.search(page, tag.end(), end):
            marked = _SLIDE_CLASS.sub(lambda found: _with_class(found, "scrollable"), tag[0], count=1)
            pieces += [page[done:tag.start()], marked]
            done = tag.end()
    return "".join(pieces) + page[done:]


def _with_class(found: re.Match[str], name: str) -> str:
    """A section's opening matched by :data:`_SLIDE_CLASS` or :data:`_TITLE_SLIDE` with class ``name`` added
    unless it has it."""
    if re.search(rf"\b{name}\b", found[2]):
        return found[0]
    return found[1] + found[2] + f" {name}" + found[3]


def parallax_arguments(job: Job, options: Mapping[str, Any]) -> list[str]:
    """``parallax-background-image`` (with ``-size``, ``-horizontal``, ``-vertical``): the deck's background
    that moves as the slides do. A local image is embedded as a data URI, through a pandoc defaults file (an
    image is larger than one command-line argument may be); a missing one is a warning."""
    image = options.get("parallax-background-image")
    if not isinstance(image, str) or not image:
        return []
    variables: dict[str, str] = {}
    if re.match(r"^[a-z][a-z0-9+.-]*:", image, re.I):
        variables["parallaxBackgroundImage"] = image
    else:
        found = local_path(image, job.folder, job.options.project)
        if found is None:
            warn(f"{job.document.path}: parallax-background-image {image} not found (looked beside the document "
                 "and in the project root); the deck has no parallax background.")
            return []
        mime = mimetypes.guess_type(found.name)[0] or "image/png"
        variables["parallaxBackgroundImage"] = f"data:{mime};base64,{base64.b64encode(found.read_bytes()).decode()}"
    for name in ("parallax-background-size", "parallax-background-horizontal", "parallax-background-vertical"):
        if options.get(name) is not None:
            variables[reveal_option_name(name)] = str(options[name])
    return [f"--defaults={job.header_file('parallax.yaml', dump_yaml({'variables': variables}))}"]


# Quarto's defaults: 9x5 in figures; headings of level 2 start slides (slide-level 2); numbered code.
REVEALJS = register(Format(
    "revealjs", "html", "html", write_revealjs, HTML_MIME_ORDER,
    defaults={**SLIDE_EXECUTION,
              "fig-width": 9, "fig-height": 5, "fig-format": "retina", "fig-dpi": 96, "slide-level": 2,
              "link-citations": True, "code-line-numbers": True},  # Quarto numbers a deck's code lines
    filters=("hidden_slides", "output_slides", *HTML_FILTERS, "absolute", "quote_lists", "section_slide_notes"),
    requires=(revealjs_path,),
    slides=True,
))
