"""Turn an executed notebook into pandoc Markdown for one output format.

Each code cell becomes its source (per ``echo``) and its outputs, each output in the MIME type the
format reads best: ``text/html`` and retina PNG figures for HTML, ``text/latex`` and PDF figures for
LaTeX, where HTML tables (pandas DataFrames and Stylers) are kept as raw HTML for the
``html_tables`` filter to turn into real tables. Plotly figures become a self-contained interactive
figure in HTML and a visible note in print. Shortcodes other than ``include`` (``meta``, ``var``,
``env``, ``pagebreak`` ...) are expanded by :mod:`qmdrender.shortcodes` because their values depend on
the format.
"""

from __future__ import annotations

import base64
import json
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape as escape_html
from pathlib import Path
from typing import Any

import nbformat

from qmdrender import knitr_python
from qmdrender.ansi import has_colours
from qmdrender.ansi import to_html as ansi_html
from qmdrender.authors import author_names
from qmdrender.dates import format_date
from qmdrender.diagrams import diagram_cell, with_code_from_file
from qmdrender.document import INDENT_KEY, QmdDocument
from qmdrender.embeds import expand_embeds
from qmdrender.escape import control_visible
from qmdrender.execute import STORED_OUTPUT_LIMIT as OUTPUT_LIMIT
from qmdrender.extensions import shortcode_files
from qmdrender.formats import Format
from qmdrender.images import plotly_pdf, vegalite_pdf
from qmdrender.language import document_words
from qmdrender.option_names import is_metadata
from qmdrender.options import DocumentOptions, cell_settings, number_option
from qmdrender.published import PUBLISHED_MIME
from qmdrender.qmd import DIAGRAM_LANGUAGES, LIVE_LANGUAGES, code_block, code_without_options
from qmdrender.rights import with_rights_normalised
from qmdrender.shortcodes import expand_in_values, shortcode_expander, value_text
from qmdrender.types import warn
from qmdrender.yamlfile import dump_yaml

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
VEGALITE_MIMES = ("application/vnd.vegalite.v5+json", "application/vnd.vegalite.v4+json")
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
# what stands for a knitr chunk that shows nothing here: it ends a list, as knitr's cell div does, and makes no
# slide of its own before a deck's first heading (hidden_slides.lua), where knitr writes nothing at all
KNITR_NOTHING = "<!-- knitr: {} -->"


@dataclass
class Assembled:
    """Pandoc Markdown for one format, plus what the page needs beside it (e.g. plotly.js)."""

    markdown: str
    needs: set[str] = field(default_factory=set)
    # the Lua files of extensions' shortcodes that its placeholders call (filters/shortcodes.lua)
    shortcode_files: list[Path] = field(default_factory=list)
    # the Jupyter widgets' state the kernel left (notebook metadata), which the page draws them from
    widget_state: Mapping[str, Any] | None = None


def assemble(notebook: nbformat.NotebookNode, document: QmdDocument, options: DocumentOptions,
             output_format: Format, figures: Path,
             executed: Mapping[Path, nbformat.NotebookNode] | None = None) -> Assembled:
    """Pandoc Markdown of ``notebook`` for ``output_format``; figures are written under ``figures``;
    ``executed``: the .qmd documents whose cells it embeds, executed, by path."""
    format_options = with_rights_normalised(options.for_format(output_format.name))  # license.text, as Quarto's
    result = Assembled("", widget_state=notebook.metadata.get("widgets", {}).get(WIDGET_STATE_MIME))
    page = output_format.target == "html" and not output_format.slides  # Quarto formats dates on HTML pages
    result.shortcode_files = shortcode_files(format_options.get("shortcodes"), document.path.parent, options.project)
    expand = shortcode_expander(format_options, options.project, bool(result.shortcode_files),
                                folder=document.path.resolve().parent)
    parts = [front_matter_block(format_options, document.path, html=page, expand=expand)]
    links = output_format.target == "html" and format_options.get("notebook-links", True) not in (False, "global")
    for index, cell in enumerate(notebook.cells):
        slide_type = _slide_type(cell) if output_format.slides else None
        if slide_type == "skip":
            continue
        if slide_type in SLIDE_BREAKS:
            parts.append(SLIDE_BREAKS[slide_type])
        first_part = len(parts)
        if cell.cell_type == "raw" and not (index == 0 and cell.source.lstrip().startswith("---")):
            parts.append(raw_cell_markdown(cell))
        elif cell.cell_type == "markdown":
            # (a terminal's colour codes pasted into the text, as an executed notebook's Markdown holds them:
            # left out, as a page shows no escape character and xelatex refuses one)
            text = _ANSI.sub("", with_attachments(cell, figures / f"cell-{index}"))
            if "embed" in text:  # {{< embed notebook.ipynb#id >}}: that notebook's cells, with their outputs

                def embedded(source: nbformat.NotebookNode, extra: Mapping[str, Any], number: int,
                             stem: Path = figures / f"cell-{index}-embed") -> list[str]:
                    settings = cell_settings(format_options, {**source.metadata.get("quarto", {}), **extra},
                                             knitr=knitr_python.run_by_knitr(source))
                    return code_cell(source, settings, output_format, stem.with_name(f"{stem.name}-{number}"), result)

                text = expand_embeds(text, document.path.parent, embedded, links=links, executed=executed)
            parts.append(expand(text))
        elif cell.cell_type == "code":
            settings = cell_settings(format_options, cell.metadata.get("quarto", {}),
                                     knitr=knitr_python.run_by_knitr(cell))
            if cell.metadata.get("language") in DIAGRAM_LANGUAGES and isinstance(settings.get("file"), str):
                settings = {**settings, "file": str(document.path.parent / settings["file"])}  # the document's
            shown = code_cell(cell, settings, output_format, figures / f"cell-{index}", result)
            indent = cell.metadata.get(INDENT_KEY, "")
            if indent and shown:  # a cell in a list item: its code and outputs stay in the item, as in Quarto
                shown = [textwrap.indent("\n\n".join(part.strip("\n") for part in shown if part.strip()), indent)]
            parts.extend(shown)
        if slide_type == "notes":
            parts[first_part:] = ["::: notes", *parts[first_part:], ":::"]
    result.markdown = "\n\n".join(part.strip("\n") for part in parts if part.strip()) + "\n"
    return result


# A notebook cell's slideshow type (JupyterLab's "Slide Type") in a presentation, as Quarto reads it: a
# break before a slide or subslide, a pause before a fragment; "skip" leaves the cell out, "notes" makes it
# the speaker's notes, and "-" continues the slide.
SLIDE_BREAKS = {"slide": "---", "subslide": "---", "fragment": ". . ."}
# A raw cell's format (JupyterLab's "Raw NBConvert Format") as pandoc's raw format
RAW_FORMATS = {"text/html": "html", "text/latex": "latex", "text/restructuredtext": "rst", "text/x-rst": "rst",
               "application/rtf": "rtf", "text/markdown": None}


def _slide_type(cell: nbformat.NotebookNode) -> str | None:
    slideshow = cell.get("metadata", {}).get("slideshow")
    return slideshow.get("slide_type") if isinstance(slideshow, Mapping) else None


def raw_cell_markdown(cell: nbformat.NotebookNode) -> str:
    """A notebook's raw cell as Quarto passes it on: in its format when the cell names one (HTML only in HTML
    output, LaTeX only in PDF ...), else its text as Markdown."""
    metadata = cell.get("metadata", {})
    mime = metadata.get("raw_mimetype") or metadata.get("format")
    pandoc_format = RAW_FORMATS.get(mime) if isinstance(mime, str) else None
    if mime == "application/javascript":
        return code_block(f"<script>\n{cell.source}\n</script>", "{=html}")
    if pandoc_format is None:
        return cell.source
    return code_block(cell.source, f"{{={pandoc_format}}}")


def with_attachments(cell: nbformat.NotebookNode, stem: Path) -> str:
    """A notebook Markdown cell's text with its attachments (images pasted into the cell, stored in the
    notebook) written out as files and ``attachment:NAME`` pointing at them, as Quarto extracts them."""
    text = cell.source
    for number, (name, bundle) in enumerate(sorted((cell.get("attachments") or {}).items())):
        if f"attachment:{name}" not in text or not isinstance(bundle, Mapping):
            continue
        mime, data = next(((m, v) for m, v in bundle.items() if str(m).startswith("image/")), (None, None))
        if mime is None:
            continue
        target = _write_image(mime, data, stem.with_name(f"{stem.name}-attachment-{number}"))
        text = text.replace(f"attachment:{name}", target.as_posix())
    return text


def front_matter_block(format_options: Mapping[str, Any], source: Path, *, html: bool = False,
                       expand: Callable[[str], str] | None = None) -> str:
    """The document's metadata for pandoc (title, author, date, abstract, lang, geometry, ...). Dates are
    written per ``date-format`` (HTML pages: ``long`` by default, as in Quarto; slides and print:
    ``iso``). Authors are their names; HTML title blocks add their affiliations after pandoc
    (:mod:`qmdrender.formats.title_block`)."""
    metadata = {k: v for k, v in format_options.items() if is_metadata(k)}
    if expand is not None:  # shortcodes in the metadata's text (title: "{{< meta course >}} notes"), as in Quarto
        metadata = expand_in_values(metadata, expand)
    date_format = metadata.pop("date-format", "long" if html else None)
    for key in ("date", "date-modified"):
        if key in metadata:
            metadata[key] = format_date(metadata[key], date_format, source, format_options.get("lang"))
    if "author" in metadata:
        # the names alone, in PDF and Beamer too: Quarto's LaTeX title writes no affiliations (a deck's
        # institute: is its own line)
        metadata["author"] = author_names(metadata["author"])
    if not metadata:
        return ""
    return f"---\n{dump_yaml(metadata)}---"


def code_cell(cell: nbformat.NotebookNode, settings: Mapping[str, Any], output_format: Format, stem: Path,
              result: Assembled) -> list[str]:
    """A code cell as Quarto shows it: its source (per ``echo``, ``code-fold``, ``lst-label``) and its
    outputs (per ``output``, ``warning``), as a numbered figure or table float when its label says so."""
    if settings.get("include") is False:
        return []
    if cell.metadata.get("language") in DIAGRAM_LANGUAGES:  # drawn by the renderer, never run by the kernel
        # a diagram's code is shown only when the cell asks (echo: true or fenced), as in Quarto
        echo = cell.metadata.get("quarto", {}).get("echo", False)
        cell = with_code_from_file(cell, settings)
        if cell is None:
            return []
        return in_cell([*_source(cell, {**settings, "echo": echo}, output_format.target),
                        *diagram_cell(cell, settings, output_format, stem, result.needs)], cell, settings)
    if not code_without_options(cell.source).strip() and not cell.get("outputs"):
        # an empty cell (a notebook's trailing ones) shows nothing, as in Quarto; knitr writes an empty cell div
        # for an empty chunk, which Quarto's page drops, but a list it stood in ends there (two lists)
        knitr = knitr_python.run_by_knitr(cell)
        return [KNITR_NOTHING.format("an empty chunk")] if knitr else []
    label = str(settings.get("label") or "")
    kind = label.split("-")[0] if "-" in label else ""
    if knitr_python.is_knitr_chunk(cell):
        settings = knitr_python.knitr_settings(dict(settings), cell.metadata.get("quarto", {}))
    if knitr_python.SEGMENTS_KEY in cell.metadata and _interleaved(settings, kind):
        return in_cell(_knitr_chunk(cell, settings, output_format, stem, result), cell, settings)
    parts = _source(cell, settings, output_format.target)
    outputs: list[str] = []
    printed: list[str] = []  # a figure or table cell's printed text: before its float, as Quarto's page has it
    if settings.get("output", True) is not False:
        captions = _figure_captions(settings, label if kind == "fig" else "")
        shown = cell.get("outputs", [])
        if kind in ("fig", "tbl") and any(o.get("output_type") == "stream" for o in shown) and \
                any(_float_content(o, kind) for o in shown):
            printed = outputs_markdown([o for o in shown if o.get("output_type") == "stream"], settings, output_format,
                                       stem, result)
            shown = [o for o in shown if o.get("output_type") != "stream"]
        # (an uncaptioned plot's fig-align is the cell's own, as Quarto's Jupyter engine reads it from the cell;
        # the document's aligns captioned figures only)
        captioned = kind == "fig" or settings.get("fig-cap") is not None
        placed = settings if captioned or "fig-align" in cell.metadata.get("quarto", {}) else \
            {key: value for key, value in settings.items() if key != "fig-align"}
        outputs = outputs_markdown(shown, placed, output_format, stem, result, captions)
    layout = _layout_attributes(settings)
    if outputs and kind in ("fig", "tbl"):  # a numbered float, captioned when the cell gives one
        caption = value_text(settings[f"{kind}-cap"], f"{kind}-cap") if settings.get(f"{kind}-cap") is not None else ""
        for option in ("fig-pos", "fig-env"):  # LaTeX placement and environment (crossref.lua)
            value = settings.get(option) if kind == "fig" else None
            if isinstance(value, str) and re.fullmatch(r"[\w*!]+", value):
                layout += f' {option}="{value}"'
        widths = settings.get("tbl-colwidths") if kind == "tbl" else None
        table = f' tbl-colwidths="{json.dumps(widths)}"' if isinstance(widths, list) else ""
        subcaptions = settings.get("tbl-subcap") if kind == "tbl" else None  # crossref.lua: sub-tables (a), (b)
        if subcaptions:
            texts = [str(t) for t in subcaptions] if isinstance(subcaptions, list) else []
            quoted = json.dumps(texts).replace("\\", "\\\\").replace('"', '\\"')
            table += f' tbl-subcap="{quoted}"'
        outputs = [f"::: {{#{label}{layout}{table}}}", *outputs, caption, ":::"]
        if kind == "fig" and output_format.target == "html" and not output_format.slides and not layout.strip() \
                and len(outputs) == 4 and not settings.get("fig-subcap"):
            # one plot: in Quarto's output div, as Quarto's page has it (div.cell-output-display > div#fig-x)
            outputs = ["::::: {.cell-output .cell-output-display}", *outputs, ":::::"]
    elif outputs and layout:
        outputs = [f"::: {{{layout.strip()}}}", *outputs, ":::"]
    outputs = [*printed, *outputs]
    if not outputs and parts and kind in ("fig", "tbl") and settings.get(f"{kind}-cap") is not None:
        # nothing to show but the code (eval: false): Quarto's float holds the code, numbered and captioned
        parts = [f"::: {{#{label}}}", *parts, value_text(settings[f"{kind}-cap"], f"{kind}-cap"), ":::"]
    elif not outputs and kind in ("fig", "tbl") and settings.get(f"{kind}-cap") is not None and \
            _not_run(cell) and settings.get("eval", True) is not False:
        # a figure another language draws (R: knitr's), not run here: its float stays, numbered and captioned,
        # so that the references to it and the numbers after it are Quarto's
        language = cell.metadata["language"]
        placeholder = f"*(made by {language} code, which the embedded renderer does not run)*"
        parts = [*parts, f"::: {{#{label}}}", placeholder, value_text(settings[f"{kind}-cap"], f"{kind}-cap"), ":::"]
    column = settings.get(f"{kind}-column") if kind in ("fig", "tbl") else None
    column = column or settings.get("column")
    if outputs and isinstance(column, str) and re.fullmatch(r"[a-z-]+", column):  # column: margin, page ...
        outputs = [f"::: {{.column-{column}}}", *outputs, ":::"]
    on_revealjs = output_format.slides and output_format.target == "html"
    parts = output_location(parts, outputs, settings) if on_revealjs else parts + outputs
    panel = settings.get("panel")  # panel: tabset (the outputs' headings become tabs), sidebar, input, fill ...
    if parts and isinstance(panel, str) and re.fullmatch(r"[a-z]+", panel):
        parts = [f"::: {{.panel-{panel}}}", *parts, ":::"]
    shown = in_cell(parts, cell, settings, loose=settings.get("output") == "asis" or _has_headings(outputs))
    if not shown and cell.metadata.get("language") == "r":
        # knitr writes the cell's div (echo: false, its outputs), which ends a list it stands in, as here
        return [KNITR_NOTHING.format("an R chunk that shows nothing here")]
    return shown


def _not_run(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is in a language the kernel does not run (diagrams are drawn, live cells run in the
    browser)."""
    language = cell.metadata.get("language")
    return language is not None and language not in DIAGRAM_LANGUAGES and language not in LIVE_LANGUAGES


def _interleaved(settings: Mapping[str, Any], kind: str) -> bool:
    """Whether a knitr chunk shows its code and outputs interleaved: not when they make a float, are placed
    apart (a column, another slide) or the code is shown with its fence (``echo: fenced``), where they are
    shown as code then outputs. Folded code is folded piece by piece, each fold before what it printed, as
    Quarto folds each code block knitr wrote."""
    placed = ("output-location", "column", "panel")
    if settings.get("results") == "hold":  # knitr's results: hold: the outputs after the whole code
        return False
    return kind not in ("fig", "tbl", "lst") and settings.get("echo") != "fenced" and not any(
        settings.get(name) not in (None, False, "none", "default") for name in placed)


def _knitr_chunk(cell: nbformat.NotebookNode, settings: Mapping[str, Any], output_format: Format, stem: Path,
                 result: Assembled) -> list[str]:
    """A knitr document's Python chunk as knitr shows it: each piece of code followed by what it printed
    (:mod:`qmdrender.knitr_python`)."""
    shown = settings.get("output", True) is not False
    parts: list[str] = []
    code = code_without_options(cell.source)
    for number, (text, outputs) in enumerate(knitr_python.segments(cell, code)):
        if text.strip():
            parts += _source(nbformat.from_dict({**cell, "source": text}), settings, output_format.target)
        if outputs and shown:
            piece = stem.with_name(f"{stem.name}-{number}") if number else stem
            parts += outputs_markdown(outputs, settings, output_format, piece, result, _figure_captions(settings, ""))
    return parts


def _float_content(output: Mapping[str, Any], kind: str) -> bool:
    """Whether a cell's output is what its float holds: a figure's image, a table's displayed value (a
    DataFrame, knitr's kable); what the cell printed goes before the float."""
    data = output.get("data", {})
    if kind == "fig":
        return any(str(mime).startswith("image/") for mime in data)
    return output.get("output_type") in ("display_data", "execute_result") and bool(data)


def in_cell(parts: list[str], cell: nbformat.NotebookNode, settings: Mapping[str, Any], *,
            loose: bool = False) -> list[str]:
    """A cell's code and outputs in Quarto's cell div (``div.cell``, which authors' stylesheets and scripts
    address): ``cell-`` and its label as the id, as Quarto's Jupyter engine names a labelled cell (the label
    itself is a float's id), its ``classes:`` and its execution count. ``loose`` (``output: asis``, outputs
    that hold headings): no div unless a label that is not a float's or classes need one, as in Quarto, so
    that the outputs' sections are the page's (and the deck's slides)."""
    label = str(settings.get("label") or "")
    classes = settings.get("classes")
    names = (classes.split() if isinstance(classes, str) else [str(c) for c in classes]) if classes else []
    floating = label.split("-")[0] in ("fig", "tbl", "lst")
    if knitr_python.run_by_knitr(cell):
        label = ""  # knitr writes a chunk's div without an id (Quarto's Jupyter engine names it cell-<label>)
    if not parts or (loose and not (label and not floating) and not names):
        return parts
    attributes = [*([f"#cell-{label}"] if label else []), ".cell", *("." + name.lstrip(".") for name in names)]
    if isinstance(cell.get("execution_count"), int) and not knitr_python.is_knitr_chunk(cell):  # knitr has none
        attributes.append(f"execution_count={cell['execution_count']}")
    own = cell.get("metadata", {}).get("quarto", {})  # the cell's own #| lines, not the document's options
    for option in CARD_OPTIONS:  # a dashboard card's title, content and size (filters/dashboard.lua)
        if own.get(option) not in (None, ""):
            value = str(own[option]).replace("\\", "\\\\").replace('"', '\\"')
            attributes.append(f'card-{option}="{value}"')
    return [f"::: {{{' '.join(attributes)}}}", *parts, ":::"]


# Quarto's cell options for a dashboard's card and value box (schema cell-card.yml)
CARD_OPTIONS = ("title", "content", "padding", "height", "width", "icon", "color")


def _has_headings(outputs: list[str]) -> bool:
    """Whether outputs (Markdown) hold a heading outside any div: a Markdown result's sections."""
    return any(not part.startswith(":") and re.search(r"^#{1,6}\s", part, re.M) for part in outputs)


def output_location(source: list[str], outputs: list[str], settings: Mapping[str, Any]) -> list[str]:
    """reveal.js's ``output-location``: the outputs as a fragment, on the next slide, or in a column
    beside the code (``column``, ``column-fragment``)."""
    location = settings.get("output-location")
    if location == "fragment" and source and not outputs:  # Quarto's empty step for a cell without output
        return [*source, "::: {.fragment}", ":::"]
    if not location or location == "default" or not outputs:
        return source + outputs
    if location == "fragment":  # with the code hidden (slides' default) too
        return [*source, "::: {.fragment}", *outputs, ":::"]
    if location == "slide":  # filters/output_slides.lua starts the slide, titled as the code's
        return [*source, "::: {.output-location-slide}", *outputs, ":::"]
    if location in ("column", "column-fragment") and not source:  # nothing to put beside the output
        return [*(["::: {.fragment}"] if location == "column-fragment" else []), *outputs,
                *([":::"] if location == "column-fragment" else [])]
    if location in ("column", "column-fragment"):
        fragment = " .fragment" if location == "column-fragment" else ""
        return [":::: {.columns .column-output-location}", '::: {.column width="50%"}', *source, ":::",
                f'::: {{.column{fragment} width="50%"}}', *outputs, ":::", "::::"]
    warn(f"output-location: {location} is not one of fragment, slide, column, column-fragment; ignored.")
    return source + outputs


def _source(cell: nbformat.NotebookNode, settings: Mapping[str, Any], target: str) -> list[str]:
    """The cell's code block: ``echo`` (``fenced`` too), a listing with ``lst-label``/``lst-cap``,
    ``code-line-numbers``, and ``code-fold``/``code-summary`` as an HTML ``<details>``."""
    echo = settings.get("echo", True)
    language = cell.metadata.get("language", "python")
    if echo is False:
        return []
    if echo == "fenced":  # the option lines but this one (#|, and //| or %%| in diagrams)
        lines = [line for line in cell.source.splitlines()
                 if not re.match(r"\s*(?:#|//|%%)\|\s*echo:\s*fenced\s*$", line)]
        code, classes = "\n".join([f"```{{{language}}}", *lines, "```"]), [".markdown", ".cell-code"]
    else:
        # lines of spaces only before and after the code are left out with the empty ones, as Quarto shows it
        code = re.sub(r"\A(?:[ \t]*\n)+|(?:\n[ \t]*)+\Z", "", code_without_options(cell.source, language))
        # quarto-live's editors (shown, not run: qmdrender.execute) highlighted in the language they run
        classes = [f".{LIVE_LANGUAGES.get(language, language)}", ".cell-code"]
    attributes = []
    listing = settings.get("lst-label") or (settings.get("label") if str(settings.get("label", "")).startswith(
        "lst-") else None)
    if listing:
        attributes.append(f"#{listing}")
        if settings.get("lst-cap"):
            attributes.append(f"lst-cap={json.dumps(str(settings['lst-cap']))}")
    if settings.get("filename"):  # a header naming the file (filters/code_filename.lua)
        attributes.append(f"filename={json.dumps(str(settings['filename']))}")
    # a cell's own code-overflow marks its block, as Quarto's engine marks it (the document's is a page-wide rule)
    overflow = cell.metadata.get("quarto", {}).get("code-overflow")
    if overflow in ("wrap", "scroll"):
        classes.append(f".code-overflow-{overflow}")
    if settings.get("code-line-numbers") not in (None, False):
        classes.append(".number-lines")  # Quarto's name for pandoc's numbering class
        if isinstance(settings["code-line-numbers"], str):  # lines to highlight, "|"-separated steps on slides
            attributes.append(f"code-line-numbers={json.dumps(settings['code-line-numbers'])}")
    block = code_block(code, "{" + " ".join([*attributes, *classes]) + "}")
    fold = settings.get("code-fold")
    if target != "html" or fold in (None, False, "none"):
        return [block]
    summary = escape_html(str(settings.get("code-summary") or document_words(settings)["code-summary"]))
    opened = " open" if fold == "show" else ""
    return [f"```{{=html}}\n<details class=\"code-fold\"{opened}><summary>{summary}</summary>\n```", block,
            "```{=html}\n</details>\n```"]


def _layout_attributes(settings: Mapping[str, Any]) -> str:
    """``layout-ncol``, ``layout-nrow`` and ``layout`` cell options as div attributes (for layout.lua)."""
    attributes = []
    for key in ("layout-ncol", "layout-nrow"):
        if settings.get(key) is not None:
            attributes.append(f"{key}={number_option(settings, key, int, str(settings.get('label') or 'a cell'))}")
    if settings.get("layout") is not None:
        attributes.append(f"layout={json.dumps(json.dumps(settings['layout']))}")
    return (" " + " ".join(attributes)) if attributes else ""


def _figure_captions(settings: Mapping[str, Any], label: str) -> Callable[[int], tuple[str, str]]:
    """The caption and id of the n-th figure a cell draws: ``fig-subcap`` entries (with ids
    ``fig-x-1``, ``fig-x-2``, ...) in a labelled figure cell, else ``fig-cap`` on an unlabelled one."""
    subcaps = settings.get("fig-subcap")

    def caption(number: int) -> tuple[str, str]:
        if label and subcaps:
            texts = subcaps if isinstance(subcaps, list) else []
            text = str(texts[number]) if number < len(texts) else ""
            return text or " ", f"{label}-{number + 1}"
        if label:
            return "", ""
        return (str(settings["fig-cap"]), "") if number == 0 and settings.get("fig-cap") else ("", "")

    return caption


def outputs_markdown(outputs: list[Any], settings: Mapping[str, Any], output_format: Format, stem: Path,
                     result: Assembled, captions: Callable[[int], tuple[str, str]] | None = None) -> list[str]:
    asis = settings.get("output") == "asis"
    captions = captions or _figure_captions(settings, "")
    parts = []
    images = 0
    with_figure = any(str(mime).startswith("image/") for output in outputs for mime in output.get("data", {}))
    colours = output_format.target == "html"  # a traceback's colours, as Quarto shows them (qmdrender.ansi)
    for number, output in enumerate(outputs):
        kind = output.get("output_type")
        if plotting_leftover(output, with_figure):
            continue
        if kind == "stream":
            if output.get("name") == "stderr" and settings.get("warning", True) is False:
                continue
            raw = output.get("text", "")
            if output.get("name") == "stderr":  # as Quarto: a warning's first line without its cell's file name
                first, newline, rest = raw.partition("\n")
                raw = _IPYTHON_INPUT.sub("", first, count=1) + newline + rest
            if colours and not asis and has_colours(raw):
                parts.append(_coloured_block(raw, output.get("name", "stdout")))
                result.needs.add("ansi")  # the colours' stylesheet
                continue
            text = _ANSI.sub("", raw)
            parts.append(text if asis else _output_block(text, output.get("name", "stdout")))
        elif kind == "error":
            raw = "\n".join(output.get("traceback", []))
            if colours and has_colours(raw):
                parts.append(_coloured_block(raw, "error"))
                result.needs.add("ansi")
                continue
            # as Quarto writes an error it does not colour (a PDF's, a page's without colour codes): the
            # exception's line, then the traceback under it
            error = f"{output.get('ename')}: {_ANSI.sub('', str(output.get('evalue', '')))}" if output.get("ename") \
                else ""
            traceback = _ANSI.sub("", raw)
            parts.append(_output_block("\n".join(part for part in (error, traceback) if part), "error"))
        elif kind in ("display_data", "execute_result"):
            caption, identifier = captions(images)
            rendered, is_image = rich_output(output.get("data", {}), output.get("metadata", {}), output_format,
                                             stem.with_name(f"{stem.name}-{number}"), caption, settings, asis, result,
                                             identifier)
            images += is_image
            if is_image and rendered and output_format.target == "html" and not (identifier or asis) \
                    and not _gathered(settings) and not (caption and output_format.slides):
                # Quarto's output div around a plot, which authors' stylesheets (.cell-output-display img) style,
                # and in it Quarto's uncaptioned figure (a captioned one is a figure already: filters/figures.lua)
                if not caption and "fig-align=" not in rendered:
                    rendered = _in_plain_figure(rendered, slides=output_format.slides)
                rendered = f"::: {{.cell-output .cell-output-display}}\n{rendered}\n:::"
            if rendered:
                parts.append(rendered)
    return parts


def _gathered(settings: Mapping[str, Any]) -> bool:
    """Whether a cell's images are gathered into a numbered figure or a layout, whose filters take each
    image as it stands."""
    return str(settings.get("label") or "").startswith("fig-") or \
        any(settings.get(key) is not None for key in ("layout", "layout-ncol", "layout-nrow"))


# Where an older IPython said a warning came from ("<ipython-input-21-cd56fac25aa7>:2: UserWarning: ..."); Quarto
# leaves it out of the first line of a cell's stderr.
_IPYTHON_INPUT = re.compile(r"<ipython-input.*?>:\d+:\s+")


# What plotting calls return and a notebook echoes ("<Axes: ...>", "[<matplotlib.lines.Line2D ...>]"): Quarto
# leaves these object reprs out of the page when they are a cell's only plain result. It keeps a value such as
# "Text(0.5, 1.0, 'Title')" (what plt.title returns), as its books show.
_BRACKETED = re.compile(r"^[<(\[].*[>)\]]$")
_PLOT_OBJECTS = ("[<matplotlib", "<matplotlib", "<seaborn.", "<ggplot:")


def plotting_leftover(output: Mapping[str, Any], with_figure: bool) -> bool:
    """Whether ``output`` is a plain-text result that only repeats a plotting call's return value: beside a
    figure, a one-line bracketed repr (``<...>``, ``[...]``, ``(...)``) or any text naming matplotlib objects;
    without one, text that starts with a matplotlib, seaborn or plotnine object."""
    data = output.get("data", {})
    if output.get("output_type") != "execute_result" or list(data) != ["text/plain"]:
        return False
    text = data["text/plain"]
    text = "".join(text) if isinstance(text, list) else str(text)
    lines = text.strip().splitlines()
    if not lines:
        return False
    if not with_figure:
        return text.startswith(_PLOT_OBJECTS)
    if len(lines) == 1:
        line = lines[0].strip()
        return bool(_BRACKETED.match(line)) or \
            (line.startswith("{") and "<matplotlib." in line)
    return any("<matplotlib." in line for line in lines)


def rich_output(data: Mapping[str, Any], metadata: Mapping[str, Any], output_format: Format, stem: Path, caption: Any,
                settings: Mapping[str, Any], asis: bool, result: Assembled, identifier: str = "") -> tuple[str, bool]:
    """One display output as Markdown for the format; the bool says whether it became a figure."""
    target = output_format.target
    if PUBLISHED_MIME in data:  # values for a grid's index (helpers.publish), not for the reader
        return "", False
    if PLOTLY_MIME in data:
        plotly = _plotly(data, target, stem, result)
        if plotly:
            return plotly, False
        if target == "latex" and not any(m in data for m in ("application/pdf", "image/png", "image/svg+xml")):
            size = tuple(number_option({**defaults, **settings}, name, float)
                         for name, defaults in (("fig-width", {"fig-width": 7}), ("fig-height", {"fig-height": 5})))
            drawn = plotly_pdf(data[PLOTLY_MIME], *size)
            if drawn is None:
                return _PLOTLY_NOTE, False
            data = {**data, "application/pdf": base64.b64encode(drawn).decode("ascii")}
    view = data.get(WIDGET_VIEW_MIME)
    if target == "html" and isinstance(view, Mapping):  # a widget, drawn from its state (writing.widgets_footer)
        # one whose state the notebook did not keep (saved without "widget state") is written all the same and
        # draws nothing, as on Quarto's page, rather than its text stand-in ("  0%|  | 0/10")
        if view.get("model_id") in (result.widget_state or {}).get("state", {}):
            result.needs.add("widgets")
        payload = json.dumps(dict(view)).replace("</", "<\\/")
        return _display(f'<script type="{WIDGET_VIEW_MIME}">{payload}</script>'), False
    vegalite = next((m for m in VEGALITE_MIMES if m in data), None)
    if vegalite and target == "html":  # an altair chart, drawn by vega-embed (inlined, offline)
        return _vegalite_html(data[vegalite], stem, result), False
    if vegalite and target == "latex" and "application/pdf" not in data:
        drawn = vegalite_pdf(data[vegalite])
        if drawn is None:
            return _VEGALITE_NOTE, False
        data = {**data, "application/pdf": base64.b64encode(drawn).decode("ascii")}
    latex = data.get("text/latex")
    if target != "latex" and "text/markdown" not in data and _is_math(latex):
        # maths a library displays as LaTeX (sympy's "$\displaystyle ...$"): Markdown maths, which the page's
        # MathJax or Word draws, as Quarto takes it, not the text/plain repr
        data = {**data, "text/markdown": "".join(latex) if isinstance(latex, list) else latex}
    mime = next((m for m in output_format.mime_order if m in data), None)
    if mime == "text/html" and target != "html" and not _is_html_table(str(data[mime])):
        mime = "text/plain" if "text/plain" in data else None
    if mime is None:
        return "", False
    value = data[mime]
    if mime.startswith("image/") or mime == "application/pdf":
        return _figure(mime, value, metadata.get(mime, {}), stem, caption, settings, identifier), True
    if mime == "application/javascript":  # the script itself, run by the page, as Quarto writes it
        script = "".join(value) if isinstance(value, list) else str(value)
        return _display(f'<script type="application/javascript">\n{script}\n</script>'), False
    if mime == "text/html":  # in a box of its own that scrolls sideways when wider than the text (a data frame)
        if "vegaEmbed" in str(value):  # altair's HTML output (a saved notebook): it uses a vegaEmbed already on
            result.needs.add("vega")   # the page before fetching one from a CDN, so the bundled one draws it
        if "cdn.plot.ly/plotly" in str(value):  # plotly's HTML (renderer "cdn", a saved notebook, Quarto's
            value = _PLOTLY_CDN.sub("", str(value))  # _freeze) loads plotly.js from its CDN: the bundled one,
            result.needs.add("plotly")              # in the page's head, draws the figure offline instead
        return _display(str(value)), False
    if mime == "text/latex":
        return f"```{{=latex}}\n{value}\n```", False
    if mime == "text/markdown" and not asis and target == "html" and not output_format.slides \
            and not re.search(r"^#{1,6}\s", str(value), re.M):
        # in Quarto's output div, so that a table it holds is a computational one (filters/table_classes.lua);
        # text with headings stays loose, its sections part of the page's
        return f":::::: {{.cell-output .cell-output-display .cell-output-markdown}}\n{value}\n::::::", False
    if mime == "text/markdown" or asis:
        return str(value), False
    return _output_block(str(value), "result"), False


def _is_math(latex: Any) -> bool:
    """Whether a ``text/latex`` output is maths (``$...$``, ``$$...$$``) or one LaTeX environment, as Quarto
    tells them from other LaTeX."""
    lines = latex if isinstance(latex, list) else str(latex).splitlines(keepends=True) if latex else []
    if not lines:
        return False
    first, last = str(lines[0]), str(lines[-1])
    return (first.startswith("$") and last.endswith("$")) or (first.startswith("\\begin{") and "\\end{" in last)


def _display(html: str) -> str:
    """HTML output in Quarto's output div (which authors' stylesheets style and which scrolls sideways when its
    content is wider than the text), as a raw HTML block."""
    return f"```{{=html}}\n<div class=\"cell-output cell-output-display\">\n{html}\n</div>\n```"


_PLOTLY_CDN = re.compile(r'<script\b[^>]*\bsrc="https://cdn\.plot\.ly/plotly[^"]*"[^>]*>\s*</script>'
                         r'|<script type="module">\s*import "https://cdn\.plot\.ly/plotly[^"]*";?\s*</script>')


def _write_image(mime: str, value: Any, stem: Path) -> Path:
    """A notebook's image (SVG text, else base64) written as ``stem`` with the extension its type calls for."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    extension = {"image/svg+xml": "svg", "application/pdf": "pdf", "image/jpeg": "jpg"}.get(mime, mime.split("/")[1])
    image = stem.with_suffix(f".{extension}")
    text = value if isinstance(value, str) else "".join(value)
    if mime == "image/svg+xml":
        image.write_text(text, encoding="utf-8")
    else:
        image.write_bytes(base64.b64decode(text))
    return image


def _figure(mime: str, value: Any, size: Mapping[str, Any], stem: Path, caption: Any,
            settings: Mapping[str, Any], identifier: str = "") -> str:
    image = _write_image(mime, value, stem)
    attributes = [f"#{identifier}"] if identifier else []
    if size.get("width"):  # retina PNGs carry their display size
        attributes.append(f"width={int(size['width'])}px")
    if settings.get("fig-align") and settings["fig-align"] != "default":
        attributes.append(f"fig-align=\"{settings['fig-align']}\"")
    if settings.get("fig-alt"):
        attributes.append(f"fig-alt={json.dumps(str(settings['fig-alt']))}")
    text = str(caption) if caption else ""
    suffix = f"{{{' '.join(attributes)}}}" if attributes else ""
    return f"![{text}]({image.as_posix()}){suffix}"


def _in_plain_figure(image: str, *, slides: bool = False) -> str:
    """An uncaptioned plot as Quarto writes it: ``<div><figure class="figure"><p><img class="figure-img">`` on a
    page, ``<div><figure><p><img>`` on a slide (where assets/auto_stretch.js lifts a slide's only plot out)."""
    if slides:
        return f"```{{=html}}\n<div><figure>\n```\n\n{image}\n\n```{{=html}}\n</figure></div>\n```"
    image = image[:-1] + " .figure-img}" if image.endswith("}") else image + "{.figure-img}"
    return f'```{{=html}}\n<div><figure class="figure">\n```\n\n{image}\n\n```{{=html}}\n</figure></div>\n```'


def _plotly(data: Mapping[str, Any], target: str, stem: Path, result: Assembled) -> str:
    """An interactive plotly figure in HTML; in print nothing here (the caller picks or draws a static image)."""
    if target == "html":
        figure = data[PLOTLY_MIME]
        payload = json.dumps({"data": figure.get("data", []), "layout": figure.get("layout", {}),
                              "config": {"responsive": True}}).replace("</", "<\\/")
        element = f"plotly-{abs(hash(stem.as_posix())):x}"
        result.needs.add("plotly")
        return _display(f"<div id=\"{element}\" class=\"plotly-graph-div\" style=\"width:100%;height:450px\"></div>\n"
                        f"<script>(function(){{var f={payload};Plotly.newPlot(\"{element}\",f.data,f.layout,f.config);"
                        "})();</script>")
    return ""  # print: the figure's static image (plotly_pdf draws one when the output has none)


_VEGALITE_NOTE = ("::: {.interactive-note}\n*This chart (altair) is shown in the HTML version of this report only.*"
                  "\n:::")


def _vegalite_html(spec: Any, stem: Path, result: Assembled) -> str:
    """An altair (Vega-Lite) chart, drawn in the page by vega-embed (a labelled cell's float numbers it)."""
    element = f"vega-{abs(hash(stem.as_posix())):x}"
    result.needs.add("vega")
    payload = json.dumps(spec).replace("</", "<\\/")
    return _display(f"<div id=\"{element}\" class=\"vega-chart\"></div>\n<script>vegaEmbed(\"#{element}\", "
                    f"{payload}, {{actions: false, renderer: \"svg\"}});</script>")


_PLOTLY_NOTE = ("::: {.interactive-note}\n*This figure is interactive (plotly) and is shown in the HTML version of "
                "this report only.*\n:::")


# Quarto's class for each kind of text output (so that a document's own CSS for them applies here too).
_OUTPUT_CLASSES = {"stdout": "cell-output-stdout", "stderr": "cell-output-stderr", "error": "cell-output-error",
                   "result": "cell-output-display"}


def _coloured_block(text: str, kind: str) -> str:
    """Output with terminal colours as Quarto writes it in HTML: spans in a ``pre`` in an
    ``ansi-escaped-output`` div, in the ``cell-output`` div; very long output cut with a note."""
    text = text.rstrip("\n")
    if len(text) > OUTPUT_LIMIT + 1000:
        cut = len(text) - OUTPUT_LIMIT
        text = f"{text[:OUTPUT_LIMIT]}\x1b[0m\n[... output truncated: {cut:,} more characters not shown ...]"
    block = code_block(f'<div class="ansi-escaped-output"><pre>{ansi_html(text)}</pre></div>', "{=html}")
    return f"::: {{.cell-output .{_OUTPUT_CLASSES.get(kind, 'cell-output-stdout')}}}\n{block}\n:::"


def _output_block(text: str, kind: str) -> str:
    """Text output as Quarto writes it: a plain code block in a ``cell-output`` div, control characters made
    visible, very long output cut with a note. The code block has no class, as in Quarto: pandoc would look a
    class up as a language to highlight, and an unknown one costs it 0.7 s a render."""
    text = control_visible(text.rstrip("\n"))
    if len(text) > OUTPUT_LIMIT + 1000:  # the allowance: a note the execution already added when it cut
        cut = len(text) - OUTPUT_LIMIT
        text = f"{text[:OUTPUT_LIMIT]}\n[... output truncated: {cut:,} more characters not shown ...]"
    return f"::: {{.cell-output .{_OUTPUT_CLASSES.get(kind, 'cell-output-stdout')}}}\n{code_block(text, '')}\n:::"


_HTML_TABLE_OR_STYLE = re.compile(r"<(table|style|script)\b.*?</\1\s*>", re.S | re.I)
_HTML_TAG = re.compile(r"<[^>]+>")


def _is_html_table(value: str) -> bool:
    """Whether an HTML output is a table and little else (a pandas DataFrame or Styler, a great_tables table:
    LaTeX gets the table itself), not a widget's page that holds a table somewhere (scikit-learn's estimator
    view, whose text outside it, its fallback notes and buttons, a PDF would print: its plain text instead)."""
    if "<table" not in value.lower():
        return False
    rest = _HTML_TAG.sub(" ", _HTML_TABLE_OR_STYLE.sub(" ", value))
    return len(" ".join(rest.split())) <= 80  # a caption or "5 rows × 3 columns" under the table
