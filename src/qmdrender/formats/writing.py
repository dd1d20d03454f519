"""What the format writers share: the render's :class:`Job`, pandoc arguments every document format
takes, the metadata the Lua filters read, and the assets (theme, preamble, palette, plotly.js, MathJax)."""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import nbformat

from qmdrender import palette
from qmdrender.brand import brand_colours
from qmdrender.csl_styles import quarto_default_style, styles_folder, system_style
from qmdrender.diagrams import mermaid_script
from qmdrender.document import QmdDocument
from qmdrender.formats import Format
from qmdrender.formats.partials import partial_arguments
from qmdrender.highlight_themes import (
    DEFAULT_STYLE,
    QUARTO_HIGHLIGHT_STYLES,
    chosen_style,
    palette_name,
    theme_file,
    token_colour,
)
from qmdrender.images import latex_images
from qmdrender.keys import ROOT_IMAGE, root_image_files
from qmdrender.language import document_words
from qmdrender.markdown import Assembled, assemble
from qmdrender.options import DocumentOptions, number_option
from qmdrender.pandoc import auto_identifier, highlight_token_colour, pandoc_binary, run_pandoc, xelatex
from qmdrender.shortcodes import CONTENTS_MARK, project_variables
from qmdrender.site_tools import icon_svg
from qmdrender.themes import with_local_urls
from qmdrender.types import EXECUTION_KEY, PARAMETERS_KEY, REPOSITORY, RenderError, utc_now, warn
from qmdrender.user_filters import user_filters, wrapped
from qmdrender.yamlfile import dump_yaml

ASSETS = Path(str(files("qmdrender").joinpath("assets")))
# The report preamble (fonts, floats, callout boxes), as a resolved path so that a document which
# includes it itself (our notebooks do, for Quarto) gets it once.
LATEX_PREAMBLE = (ASSETS / "latex_preamble.tex").resolve()


@dataclass(frozen=True)
class Job:
    """What every writer gets: the executed notebook, the document, its options and a private work folder.
    ``kept`` collects the intermediate files ``keep-md`` / ``keep-tex`` / ``keep-ipynb`` ask to publish."""

    notebook: nbformat.NotebookNode
    document: QmdDocument
    options: DocumentOptions
    work: Path
    fail_on_missing_glyphs: bool = False
    kept: list[Path] = field(default_factory=list)
    # the .qmd documents whose cells this one embeds, executed ({{< embed other.qmd#id >}}), by path
    embedded: Mapping[Path, nbformat.NotebookNode] = field(default_factory=dict)
    # every format this render writes, by name: its output file's name (the "Other Formats" links)
    outputs: Mapping[str, str] = field(default_factory=dict)

    def keep(self, name: str, text: str) -> None:
        """Publish ``text`` as ``name`` beside the outputs (an intermediate file the document asked to keep)."""
        path = self.work / "kept" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.kept.append(path)

    def keep_file(self, name: str, source: Path) -> None:
        """Publish a copy of ``source`` as ``name`` (a path relative to the output folder: a Markdown file's plots
        in ``README_files/figure-commonmark/``), once."""
        path = self.work / "kept" / name
        if path not in self.kept:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
            self.kept.append(path)

    @property
    def folder(self) -> Path:
        return self.document.path.resolve().parent

    def assemble(self, output_format: Format) -> Assembled:
        """The executed notebook as pandoc Markdown for ``output_format`` (figures in the work folder)."""
        return assemble(self.notebook, self.document, self.options, output_format,
                        self.work / f"figures-{output_format.name}", self.embedded)

    def header_file(self, name: str, text: str) -> Path:
        """A file of ``text`` in the work folder, for ``--include-in-header``."""
        path = self.work / name
        path.write_text(text, encoding="utf-8")
        return path


def as_list(value: Any) -> list[str]:
    if value in (None, False, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def local_file(job: Job, name: str, option: str) -> Path:
    """A file an option names, relative to the document's folder (``/x``: the project root)."""
    path = Path(name).expanduser()
    if name.startswith("/") and not path.exists() and job.options.project is not None:
        path = job.options.project / name.lstrip("/")
    path = (path if path.is_absolute() else job.folder / path).resolve()
    if not path.is_file():
        raise RenderError(f"{job.document.path}: {option}: {name} does not exist (paths are relative to the "
                          "document's folder).")
    return path


def css_arguments(job: Job, options: Mapping[str, Any]) -> list[str]:
    """``--css`` for each stylesheet the ``css`` option names, in its order, for a page or a deck (its remote
    imports linked from the head). A URL is passed on as written (pandoc links it when it cannot be fetched).
    A local file that is not there is left out with a warning: Quarto renders the document and links the
    missing file, which styles nothing."""
    arguments = []
    for index, name in enumerate(as_list(options.get("css"))):
        if re.match(r"^[a-z][a-z0-9+.-]*://", name, re.I):
            arguments.append(f"--css={name}")
            continue
        try:
            sheet = _stylesheet_to_embed(job, local_file(job, name, 'css'), name, index)
        except RenderError:
            # a project's css is already absolute here; a document's own is relative to its folder
            hint = "" if Path(name).is_absolute() else " (paths are relative to the document's folder)"
            warn(f"{job.document.path}: css: {name} does not exist{hint}; the page is written without it.")
            continue
        # its remote @imports (web fonts) linked from the head: pandoc, failing to fetch one while it embeds
        # the sheet, drops the ";" after it and with it the rule that follows (a :root's variables)
        arguments += stylesheet_arguments(job, sheet, name=f"css-{index}-{sheet.stem}")
    return arguments


def _stylesheet_to_embed(job: Job, stylesheet: Path, name: str, index: int) -> Path:
    """``stylesheet``, or a copy of it whose ``url()``\\ s of local files name them from where they are (one from
    the root, ``/img/a.png``, as the site serves it), without those that are not there (a background image the
    author kept elsewhere), each named in a warning: the page embeds what its CSS uses, and pandoc stops at a
    missing file, where Quarto's page links the stylesheet and the browser draws nothing for it."""
    text = stylesheet.read_text(encoding="utf-8", errors="replace")
    copy, missing = with_local_urls(text, stylesheet)
    if missing:
        named = sorted(set(missing))
        warn(f"{job.document.path}: css: {name} refers to {', '.join(named)}, which "
             f"{'does' if len(named) == 1 else 'do'} not exist; left out (the rest of it applies).")
    # its files named from where it lies (url("/img/note.png"): from the site's root, as a browser reads it)
    return stylesheet if copy == text else job.header_file(f"css-{index}-{stylesheet.name}", copy)


_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script>)", re.S | re.I)


def scripts_without_reference_marks(page: str) -> str:
    """``page`` with "?@" in its inlined scripts written "?\\u0040": MathJax's, mermaid's and reveal.js's
    notes carry it in a character class, and it is what Quarto writes for an unresolved reference, which
    people search their pages for. The escape is the same "@" to JavaScript, in strings, regular
    expressions and JSON alike."""
    if "?@" not in page:
        return page
    return _SCRIPT.sub(lambda found: found[1] + found[2].replace("?@", "?\\u0040") + found[3], page)


def placed_extension_html(page: str) -> str:
    """``page`` with the parts extensions' filters and shortcodes marked for the head, the start of the body
    and its end (``quarto.doc.add_html_dependency``, ``include_text``: filters/quarto_api.lua) moved there,
    as Quarto places them."""
    for part, place in (("head", "</head>"), ("before-body", None), ("after-body", "</body>")):
        start, end = f"<!-- embedded-renderer:{part} -->", f"<!-- /embedded-renderer:{part} -->"
        moved = []
        while (begin := page.find(start)) >= 0 and (finish := page.find(end, begin)) >= 0:
            moved.append(page[begin + len(start):finish].strip("\n"))
            page = page[:begin] + page[finish + len(end):]
        if not moved:
            continue
        text = "\n".join(moved) + "\n"
        if place is None:  # right after the body's opening tag
            body = _BODY_TAG.search(page)
            at = body.end() if body else 0
            page = page[:at] + "\n" + text + page[at:]
        else:
            at = page.rfind(place) if place == "</body>" else page.find(place)
            at = at if at >= 0 else len(page)
            page = page[:at] + text + page[at:]
    return page


_BODY_TAG = re.compile(r"<body\b[^>]*>")
_CELL_CODE = re.compile(r'<div class="sourceCode"((?: id="[^"]*")?)>(\s*)<pre class="([^"]*\bcell-code\b[^"]*)"')


def cell_code_divs(page: str) -> str:
    """A cell's code block with ``cell-code`` (and ``hidden``) on its ``div.sourceCode`` and no longer on its
    ``pre``, as Quarto hoists them (pandoc puts a code block's classes on its ``pre``): authors' rules such as
    ``.sourceCode.cell-code + .cell-output`` find it, and a count of ``.cell-code`` counts cells' code once."""
    def hoist(found: re.Match[str]) -> str:
        classes = found[3].split()
        moved = [name for name in ("cell-code", "hidden") if name in classes]
        kept = " ".join(name for name in classes if name not in moved)
        return f'<div class="sourceCode {" ".join(moved)}"{found[1]}>{found[2]}<pre class="{kept}"'
    return _CELL_CODE.sub(hoist, page)


def remote_csl(job: Job, url: str) -> Path:
    """``csl:`` given by its address, fetched as Quarto fetches it; where it cannot be (offline), the style of its
    name from the system's CSL styles (:mod:`qmdrender.csl_styles`), else pandoc's own (Chicago author-date),
    with a warning, rather than no document. Fetched once per render: every
    format of the document uses the same file."""
    target = job.work / f"remote-style-{hashlib.sha256(url.encode()).hexdigest()[:16]}.csl"
    if target.is_file():
        return target
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            target.write_bytes(response.read())
        return target
    except (OSError, ValueError) as error:
        found = system_style(url)
        if found is not None:
            warn(f"{job.document.path}: csl: {url} could not be fetched ({error}); citations use the style of that "
                 f"name from the system's CSL styles ({found}).")
            target.write_bytes(found.read_bytes())
            return target
        warn(f"{job.document.path}: csl: {url} could not be fetched ({error}) and the system's CSL styles "
             f"({styles_folder()}) have none of that name; citations use pandoc's default style (Chicago "
             "author-date). Save the .csl file beside the document to use it offline.")
    done = subprocess.run([pandoc_binary(), "--print-default-data-file", "default.csl"], capture_output=True,
                          timeout=60)
    target.write_bytes(done.stdout)
    return target


def format_resources(options: Mapping[str, Any]) -> list[Path]:
    """The folders of a custom format's ``format-resources`` (files its extension ships beside its options,
    such as a script its header loads): where pandoc and LaTeX also look for the files a page names."""
    paths = [Path(name) for name in as_list(options.get("format-resources"))]
    return list(dict.fromkeys(path if path.is_dir() else path.parent for path in paths))


# a LaTeX macro defined in the text (in maths, most often): filters/math_macros.lua expands it in every formula
_MACRO_DEFINITION = re.compile(r"\\(?:re)?newcommand|\\providecommand|\\def\\|\\DeclareMathOperator")


def common_arguments(job: Job, options: Mapping[str, Any], *, dark: bool = False, latex: bool = False,
                     contents: bool = True) -> list[str]:
    """Pandoc arguments every document format shares (``dark``: code on a dark background, which takes a
    highlight theme's dark variant; ``latex``: code on the theme's shade, as in Quarto's PDFs; ``contents``
    false: no table of contents, whatever ``toc`` says, for a page with nothing to list or a dashboard)."""
    folders = [job.folder, *([job.options.project] if job.options.project else []), job.work,
               *(job.folder / name for name in as_list(options.get("resource-path"))), *format_resources(options)]
    # lines as they are (Quarto's pandoc default, wrap: none): text is never broken mid-phrase in the output
    wrap = str(options.get("wrap", "none"))
    arguments = ["--standalone", f"--resource-path={':'.join(map(str, folders))}",
                 f"--wrap={wrap if wrap in ('auto', 'none', 'preserve') else 'none'}"]
    if options.get("strip-comments"):  # HTML comments are left out of the output, not passed on as raw HTML
        arguments.append("--strip-comments")
    if options.get("toc") or options.get("table-of-contents"):
        depth = number_option({'toc-depth': 3, **options}, 'toc-depth')  # a wrong one is an error either way
        if contents:  # pandoc lists headings down to level 6; a deeper depth (toc-depth: 10) lists them all
            arguments += ["--toc", f"--toc-depth={min(max(int(depth), 1), 6)}"]
    for key in ("include-in-header", "include-before-body", "include-after-body"):
        entries = options.get(key)
        for number, entry in enumerate(entries if isinstance(entries, list) else [entries] if entries else []):
            if isinstance(entry, Mapping) and "text" in entry:  # Quarto's `- text: |` form: the text itself
                included = job.header_file(f"{key}-{number}.txt", str(entry["text"]))
            elif isinstance(entry, Mapping) and "file" in entry:
                included = local_file(job, str(entry["file"]), key)
            else:
                included = local_file(job, str(entry), key)
            if not latex:
                included = _root_images_found(job, included, f"{key}-{number}")
            arguments.append(f"--{key}={included}")
    if options.get("template"):  # the author's own pandoc template replaces pandoc's for this format
        arguments.append(f"--template={local_file(job, str(options['template']), 'template')}")
    bibliographies = as_list(options.get("bibliography"))
    for name in bibliographies:
        local_file(job, name, "bibliography")
    # citeproc: false leaves @handles as written (a changelog's "@octocat"); true runs it without a bibliography
    if options.get("citeproc") is True or (options.get("citeproc") is not False and
                                          (bibliographies or options.get("references"))):
        arguments.append("--citeproc")
    if options.get("csl") and re.match(r"^https?://", str(options["csl"])):
        arguments.append(f"--metadata=csl:{remote_csl(job, str(options['csl']))}")
    elif options.get("csl"):
        local_file(job, str(options["csl"]), "csl")
    elif "--citeproc" in arguments and (chicago := quarto_default_style()) is not None:
        arguments.append(f"--metadata=csl:{chicago}")  # Quarto's Chicago, not pandoc 3.9's
    if options.get("reference-location") in ("block", "section", "document"):  # margin: filters/margins.lua
        arguments.append(f"--reference-location={options['reference-location']}")
    return arguments + highlight_arguments(job, options, dark=dark, latex=latex)


def _root_images_found(job: Job, included: Path, name: str) -> Path:
    """An included HTML file whose images named from the site's root (``src="/assets/logo.png"``) point at the
    project's files, as the site's server resolves them for Quarto's page; pandoc, embedding them, would read
    them from the file system's root and stop. One that is not there is a warning, and the page links it as
    written (as filters/resources.lua does for the document's own HTML)."""
    text = included.read_text(encoding="utf-8", errors="replace")
    files = dict(root_image_files(text, job.options.project))

    def found(image: re.Match[str]) -> str:
        source = image[3]
        if files.get(source) is not None:
            return f"{image[1]}{image[2]}{files[source]}{image[2]}"
        if Path(source).is_file():  # an absolute path on this machine
            return image[0]
        warn(f"{job.document.path}: image {source} in {included.name} not found (looked in the project root); "
             "the page links to it as written.")
        marked = image[1].replace("<img", '<img data-external="1"', 1)
        return f"{marked}{image[2]}{source}{image[2]}"

    fixed = ROOT_IMAGE.sub(found, text)
    return included if fixed == text else job.header_file(f"{name}-{included.name}", fixed)


def highlight_arguments(job: Job, options: Mapping[str, Any], *, dark: bool = False, latex: bool = False) -> list[str]:
    """The code colours: the document's ``syntax-highlighting`` or ``highlight-style`` (one of pandoc's styles,
    one of Quarto's, a ``.theme`` file, ``none``), else Quarto's default, ``arrow``; and the author's own
    KDE syntax definitions (``syntax-definitions``), which pandoc reads over its own for their languages."""
    style = chosen_style(options)
    if style == "none":  # no colours at all, as Quarto's none
        return ["--syntax-highlighting=none"]
    definitions = [f"--syntax-definition={local_file(job, str(name), 'syntax-definitions')}"
                   for name in as_list(options.get("syntax-definitions"))]
    return definitions + _style_arguments(job, style, dark=dark, latex=latex)


def _style_arguments(job: Job, style: Any, *, dark: bool, latex: bool) -> list[str]:
    """pandoc's ``--syntax-highlighting`` for the chosen style (see :func:`highlight_arguments`)."""
    if isinstance(style, str) and style in PANDOC_HIGHLIGHT_STYLES:
        return [f"--syntax-highlighting={style}"]
    if palette_name(style, dark=dark):
        return [f"--syntax-highlighting={theme_file(palette_name(style, dark=dark), job.work, print_shade=latex)}"]
    if isinstance(style, str) and style.endswith(".theme"):  # the author's own KDE/pandoc theme file
        return [f"--syntax-highlighting={local_file(job, style, 'highlight-style')}"]
    known = ", ".join([*PANDOC_HIGHLIGHT_STYLES, *QUARTO_HIGHLIGHT_STYLES])
    warn(f"{job.document.path}: highlight-style {style!r} is not one the embedded renderer has; code keeps "
         f"Quarto's default colours, arrow (known: {known}).")
    default = palette_name(DEFAULT_STYLE, dark=dark) or "arrow-light"
    return [f"--syntax-highlighting={theme_file(default, job.work, print_shade=latex)}"]


def function_colour(options: Mapping[str, Any], *, dark: bool = False) -> str | None:
    """The colour the document's highlight style gives function names: Quarto's decks colour inline code
    with it (``$code-color: var(--quarto-hl-fu-color)``)."""
    style = chosen_style(options)
    if isinstance(style, str) and style in PANDOC_HIGHLIGHT_STYLES:
        return highlight_token_colour(style, "Function")
    name = palette_name(style, dark=dark)
    return token_colour(name, "Function") if name else None


# The highlight styles pandoc has built in (Quarto has these and more of its own).
PANDOC_HIGHLIGHT_STYLES = ("pygments", "tango", "espresso", "zenburn", "kate", "monochrome", "breezedark", "haddock")


# A remote ``@import`` in a compiled theme (a Google font a deck's .scss names). Offline, pandoc cannot embed
# it and drops its semicolon, which swallows the rule after it; as a <link>, the reader's browser fetches it.
# (a quoted address may hold ";", as Google Fonts' addresses for several weights do)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_REMOTE_IMPORT = re.compile(r"""@import\s*(?:url\(\s*)?(?:"(https?://[^"]+)"|'(https?://[^']+)'|(https?://[^"')\s;]+))"""
                            r"""\s*\)?\s*([^;{}]*);""")


def stylesheet_arguments(job: Job, sheet: Path, name: str = "theme",
                         around: Callable[[str], str] | None = None) -> list[str]:
    r"""Pandoc arguments for a compiled stylesheet: ``--css`` (its text through ``around`` when given: the dark
    half of a light/dark pair), with its remote ``@import``\ s linked from the page's head instead."""
    css = sheet.read_text(encoding="utf-8")
    if "@import" in css:  # (one an author commented out stays out)
        css = _CSS_COMMENT.sub("", css)
    imports = _REMOTE_IMPORT.findall(css)
    if not imports and around is None and "</" not in css:
        return [f"--css={sheet}"]
    css = _REMOTE_IMPORT.sub("", css).lstrip("\ufeff").removeprefix('@charset "UTF-8";')  # Sass's marks
    # "</" (an inline SVG's "</svg>" in a url()) would make pandoc embed the sheet as a data: link, not a <style>
    # that can be told apart and switched (a light/dark pair); CSS reads "<\/" as the same text
    css = css.replace("</", "<\\/")
    arguments = [f"--css={job.header_file(f'{name}.css', around(css) if around else css)}"]
    if imports:
        links = []
        for *addresses, queries in imports:
            url = next(address for address in addresses if address)
            attribute = f' media="{html.escape(queries.strip())}"' if queries.strip() else ""
            links.append(f'<link rel="stylesheet" href="{html.escape(url)}"{attribute}>\n')
        arguments.insert(0, f"--include-in-header={job.header_file(f'{name}-imports.html', ''.join(links))}")
    return arguments


def html_theme_arguments(job: Job, options: Mapping[str, Any], stylesheet: str) -> list[str]:
    """The theme (``assets/<stylesheet>``) and the palette's colours, for an HTML page; the page's language
    English unless the document names one, as Quarto's ``<html lang="en">`` (a screen reader's voice, the
    browser's hyphenation)."""
    language = [] if options.get("lang") else ["--variable=lang:en"]
    return [f"--include-in-header={job.header_file('palette.html', palette.css_variables(icon_svg))}",
            f"--css={ASSETS / stylesheet}", *language]


def latex_theme_arguments(job: Job) -> list[str]:
    """The report preamble and the palette's colours, for a LaTeX document."""
    return [f"--include-in-header={LATEX_PREAMBLE}",
            f"--include-in-header={job.header_file('palette.tex', palette.latex_colours())}"]


# amsthm environment -> the word that names it (language.py): a theorem's crossref title; a labelled solution or
# remark is titled as a proof's kind is (Quarto's environment-*-title, "Anmerkung 1" in German)
_THEOREM_WORDS = {"theorem": "crossref-thm-title", "lemma": "crossref-lem-title", "corollary": "crossref-cor-title",
                  "proposition": "crossref-prp-title", "conjecture": "crossref-cnj-title",
                  "definition": "crossref-def-title", "example": "crossref-exm-title",
                  "exercise": "crossref-exr-title", "solution": "environment-solution-title",
                  "remark": "environment-remark-title"}


def latex_theorem_names(words: Mapping[str, str]) -> str:
    """``\\def`` lines naming the report preamble's theorem environments in the document's language, and
    LaTeX's figure and table caption words."""
    def escaped(text: str) -> str:
        return re.sub(r"([&%$#_{}])", r"\\\1", text).replace("~", r"\textasciitilde{}").replace("^", r"\^{}")

    names = "".join(f"\\def\\reportname{environment}{{{escaped(words[word])}}}\n"
                    for environment, word in _THEOREM_WORDS.items())
    # LaTeX's own caption and contents words, after babel's (which this TeX may not have for the language)
    # (each defined where the class has none: Beamer has no \listfigurename)
    defined = "".join(f"\\ifdefined\\{name}\\renewcommand*\\{name}{{{escaped(words[word])}}}"
                      f"\\else\\newcommand\\{name}{{{escaped(words[word])}}}\\fi"
                      for name, word in (("figurename", "crossref-fig-title"), ("tablename", "crossref-tbl-title"),
                                         ("listfigurename", "crossref-lof-title"),
                                         ("listtablename", "crossref-lot-title"),
                                         ("contentsname", "toc-title-document")))
    return names + f"\\AtBeginDocument{{{defined}}}\n"


def write_markdown(job: Job, output_format: Format, assembled: Assembled, to: str, target: Path,
                   arguments: list[str], *, partials: bool = True) -> None:
    """Run pandoc over the assembled Markdown with the format's filters and the metadata they read
    (``partials``: with the document's ``template-partials``)."""
    options = job.options.for_format(output_format.name)
    words = document_words(options, job.folder)  # the document's language (filters read their words from here)
    meta = {"document-dir": str(job.folder), "callouts": palette.lua_metadata(words), "words": words,
            "rendered": utc_now(),
            "format": output_format.name, "profiles": ",".join(job.options.profiles),
            "html-math-method": html_math_method(options),  # how crossref.lua numbers an equation
            # caption places for margins.lua (fig-/tbl- options are cell settings, not metadata)
            "fig-cap-location": str(options.get("fig-cap-location", options.get("cap-location", ""))),
            "tbl-cap-location": str(options.get("tbl-cap-location", options.get("cap-location", ""))),
            "fig-align": str(options.get("fig-align", "")),  # the document's default (figures.lua)
            "fig-responsive": options.get("fig-responsive", True) is not False,  # images img-fluid (figures.lua)
            # resource-path, and the folders of a custom format's format-resources, which Quarto copies beside the
            # document (a deck theme's title-slide background names its background.svg so)
            "resource-path": [*(str(job.folder / str(name)) for name in as_list(options.get("resource-path"))),
                              *map(str, format_resources(options))],
            # whether the author asked for one self-contained file: then a frame's local page is embedded too
            # (resources.lua); pages here are self-contained either way, and Quarto's link their frames
            "embed-frames": bool(options.get("embed-resources") or options.get("self-contained")),
            # below (default), hover, select, none or false (filters/code_annotations.lua)
            "code-annotations": str(options.get("code-annotations", "below")).lower(),
            # whether code blocks are numbered unless they say (filters/line_highlights.lua)
            "code-line-numbers": str(options.get("code-line-numbers", False)).lower(),
            "tbl-colwidths": options["tbl-colwidths"] if isinstance(options.get("tbl-colwidths"), list) else "",
            # plain JSON values: a notebook read back from the freeze store holds NotebookNode mappings
            "execution": json.loads(json.dumps(job.notebook.metadata.get(EXECUTION_KEY, {}))),
            "parameters": json.loads(json.dumps(job.notebook.metadata.get(PARAMETERS_KEY, [])))}
    colours = brand_colours(options.get("brand"), job.options.project, job.folder)
    if colours:  # the brand's colours by mode, for filters that ask Quarto's Lua API for them (quarto_api.lua)
        meta["brand-colors"] = colours
    if options.get("default-image-extension") is not None:  # an image named without one takes it (resources.lua)
        meta["default-image-extension"] = str(options["default-image-extension"]).lstrip(".")
    if job.options.project:
        meta["project-root"] = str(job.options.project)
        # quarto.project.offset: the way from the document's folder up to the project's ("..", or ".")
        meta["project-offset"] = Path(os.path.relpath(job.options.project, job.folder)).as_posix()
        # quarto.variables.get in filters (quarto_api.lua), as {{< var >}} reads them
        meta["variables"] = json.loads(json.dumps(project_variables(job.options.project), default=str))
    shortcodes = assembled.shortcode_files
    late_header = job.work / f"{target.stem}.extension-header.tex"
    if shortcodes:  # extensions' Lua shortcodes (filters/shortcodes.lua)
        meta["shortcode-files"] = [str(path) for path in shortcodes]
    # the LaTeX packages and preamble text extensions' shortcodes and filters ask for (quarto_api.lua)
    meta["latex-header-file"] = str(late_header)
    meta["input-file"] = str(job.document.path.resolve())
    late_header.unlink(missing_ok=True)
    project = job.options.project
    home = job.options.project_type in ("website", "book") and project is not None and \
        job.document.path.stem == "index" and job.document.path.resolve().parent == Path(project).resolve()
    if output_format.target == "html" and not options.get("title") and not options.get("pagetitle") and not home:
        # a page without a title is named in the browser's tab after its file, as an identifier ("List_methods"
        # is "list_methods"), as Quarto names it (pandoc, which reads the Markdown from stdin here, would name it
        # "-"); a site's home page takes the site's title alone
        arguments = [*arguments, f"--metadata=pagetitle:{auto_identifier(job.document.path.stem)}"]
    if output_format.name != "revealjs" and options.get("toc") and "toc-title" not in options:
        # Quarto's words for the contents: a website's pages have their own
        website = output_format.target == "html" and job.options.project_type == "website"
        title = words["toc-title-website" if website else "toc-title-document"]
        arguments = [*arguments, f"--metadata=toc-title:{title}"]
    if output_format.target == "latex":  # the theorem names in the document's language (latex_preamble.tex)
        crossref = options.get("crossref") if isinstance(options.get("crossref"), Mapping) else {}
        names = {**words, **{f"crossref-{key}": str(value) for key, value in crossref.items()
                             if str(key).endswith("-title") and value is not None}}  # crossref: thm-title: ...
        if options.get("toc-title"):  # the document's own title for its contents, raw \tableofcontents too
            names["toc-title-document"] = str(options["toc-title"])
        arguments = [*arguments, f"--include-in-header={job.header_file('words.tex', latex_theorem_names(names))}",
                     # graphicx and \pandocbounded even when every image is in raw LaTeX (filters/layout.lua)
                     "--variable=graphics:true"]
        # SVG, GIF, WebP images, converted for LaTeX (resources.lua swaps them in)
        meta["converted-images"] = latex_images(assembled.markdown, job.folder, job.options.project, job.work)
        meta["media-dir"] = str(job.work)  # where resources.lua saves a remote image it fetched
    markdown = f"---\n{dump_yaml({'embedded-renderer': meta})}---\n\n{assembled.markdown}"
    if options.get("keep-md"):  # Quarto's name: doc.html.md, the Markdown pandoc reads for that format
        job.keep(f"{target.stem}.{output_format.extension}.md", assembled.markdown)
    shift = options.get("shift-heading-level-by")
    if shift is not None and not any(a.startswith("--shift-heading-level-by") for a in arguments):
        if isinstance(shift, bool) or not isinstance(shift, int):
            raise RenderError(f"{job.document.path}: shift-heading-level-by must be a whole number such as -1, "
                              f"not {shift!r}.")
        arguments = [*arguments, f"--shift-heading-level-by={shift}"]
    before, after = user_filters(options.get("filters"), job.folder, job.options.project)
    every = wrapped([*before, *after], job.work)  # each with Quarto's Lua API (user_filters.py)
    before, after = every[:len(before)], every[len(before):]
    # a filter with nothing to do is not run (each is a pass over the whole document)
    own = [name for name in output_format.filters
           if name != "code_annotations" or _ANNOTATION_MARKER.search(assembled.markdown)]
    last = []
    if options.get("citation-location") == "margin" and "--citeproc" in arguments and not output_format.slides:
        arguments, last = [a for a in arguments if a != "--citeproc"], ["citation_margins"]  # it runs citeproc
    if partials:
        arguments = partial_arguments(options, to, arguments, job.work, job.document.path)
    page = output_format.target == "html" and not output_format.slides  # an HTML page's appendix
    run_pandoc(markdown, to, target, list(dict.fromkeys(arguments)), cwd=job.folder,
               filters=(*(["math_macros"] if _MACRO_DEFINITION.search(assembled.markdown) else []),
                        *(["html_markdown"] if "data-qmd" in assembled.markdown else []), *before,
                        *(["shortcodes"] if shortcodes else []),
                        *(["contents"] if CONTENTS_MARK in assembled.markdown else []), *own, *after, *last),
               reader=markdown_reader(job, options), after_citeproc=(*(["appendix"] if page else []),
                                                                     "renderer_metadata"))
    if late_header.is_file() and output_format.target == "latex":
        add_to_preamble(target, late_header.read_text(encoding="utf-8"))


# a comment that may hold a code annotation's marker (filters/code_annotations.lua's): "# <1>", "/* <1> */" ...
_ANNOTATION_MARKER = re.compile(r"(?:#|//|--|%|;|'|/?\*|<!--|\(\*|!|\u235d)\s*<\d+>\s*(?:\*/|-->|\*\)|;)?[ \t]*$",
                                re.M)


def add_to_preamble(tex: Path, text: str) -> None:
    """Lines for a LaTeX preamble that a filter asked for (a shortcode's ``\\usepackage``), put just before
    ``\\begin{document}``: pandoc's ``header-includes`` are set by the renderer's own preamble files."""
    source = tex.read_text(encoding="utf-8")
    start = re.search(r"^\\begin\{document\}$", source, re.M)  # the line itself (a comment may name it)
    if start:
        tex.write_text(source[:start.start()] + text + source[start.start():], encoding="utf-8")


_READER = re.compile(r"markdown(?:[+-][a-z_]+)*")


def named_reader(options: Mapping[str, Any]) -> str | None:
    """The pandoc reader ``options`` name (``from:``, or ``reader:``) when it is ``markdown`` with extensions added
    or removed (``markdown+emoji``); ``None`` when they name none or another."""
    value = options.get("from", options.get("reader"))
    return value.strip() if isinstance(value, str) and _READER.fullmatch(value.strip()) else None


def markdown_reader(job: Job, options: Mapping[str, Any]) -> str:
    """Pandoc's reader: ``markdown``, with the extensions a document's ``from:`` adds or removes
    (``from: markdown+emoji`` turns ``:smile:`` into 😄, as in Quarto). Another reader is a warning."""
    value = options.get("from", options.get("reader"))
    if value is None:
        return "markdown"
    if (reader := named_reader(options)) is not None:
        return reader
    warn(f"{job.document.path}: from: {value!r} is not supported by the embedded renderer, which reads "
         "Quarto Markdown as pandoc's markdown (extensions may be added: from: markdown+emoji).")
    return "markdown"


def output_arguments(job: Job, options: Mapping[str, Any], assembled: Assembled) -> list[str]:
    """What an HTML page's or deck's outputs need: plotly.js, Vega, the ANSI colours of a traceback, mermaid,
    the Jupyter widgets' manager (each only when an output uses it)."""
    arguments = []
    if "plotly" in assembled.needs:
        arguments.append(f"--include-in-header={plotly_header(job)}")
    if "vega" in assembled.needs:
        arguments.append(f"--include-in-header={vega_header(job)}")
    if "ansi" in assembled.needs:  # coloured output (a traceback): the colours' names
        arguments.append(f"--css={ASSETS / 'ansi.css'}")
    if "mermaid" in assembled.needs:
        arguments.append(f"--include-after-body={mermaid_header(job, options)}")
    if "widgets" in assembled.needs and assembled.widget_state:
        arguments.append(f"--include-after-body={widgets_footer(job, assembled.widget_state)}")
    return arguments


def plotly_header(job: Job) -> Path:
    """plotly.js from the installed ``plotly`` package (a registry package, never a CDN), inlined once."""
    spec = importlib.util.find_spec("plotly")
    script = Path(spec.origin).parent / "package_data" / "plotly.min.js" if spec and spec.origin else None
    if script is None or not script.is_file():
        raise RenderError("this document shows a plotly figure, and HTML output needs plotly.js from the "
                          "'plotly' package: pip install plotly (it is in requirements.txt).")
    return job.header_file("plotly-header.html", f"<script>{script.read_text(encoding='utf-8')}</script>\n")


# MathJax 3 with every TeX extension and SVG output: the fonts are inside the script, so a page that
# embeds it shows its maths offline (the CHTML output would fetch font files).
MATHJAX_FILE = "es5/tex-svg-full.js"
_MATH = re.compile(r"\$|\\\(|\\\[|\\begin\{")


def mathjax_script() -> Path:
    """MathJax from the npm registry, installed by the Makefile into ``.cache/mathjax`` (never a CDN);
    ``LLM_REPORTS_MATHJAX`` names another copy (a folder holding ``es5/tex-svg-full.js``)."""
    configured = os.environ.get("LLM_REPORTS_MATHJAX")
    folder = Path(configured) if configured else REPOSITORY / ".cache" / "mathjax" / "node_modules" / "mathjax"
    script = folder / MATHJAX_FILE
    if not script.is_file():
        raise RenderError(f"maths in HTML is typeset by MathJax, which is not installed at {folder}. Run `make "
                          "setup` (npm install mathjax into .cache/mathjax), set LLM_REPORTS_MATHJAX to a copy, or "
                          "set html-math-method: mathml.")
    return script


def _asked_math_method(options: Mapping[str, Any]) -> str:
    method = options.get("html-math-method", "mathjax")  # a name, or a mapping with the name as method:
    return str(method.get("method", "mathjax") if isinstance(method, Mapping) else method).lower()


def html_math_method(options: Mapping[str, Any]) -> str:
    """The ``html-math-method`` an HTML page's maths is shown with: ``mathml``, ``plain`` and ``katex`` as
    asked, MathJax otherwise (the methods that load from the network fall back to it: html_math_arguments)."""
    method = _asked_math_method(options)
    return method if method in ("mathml", "plain", "katex") else "mathjax"


def html_math_arguments(job: Job, options: Mapping[str, Any], assembled: Assembled, *, slides: bool) -> list[str]:
    """How an HTML page shows maths: ``html-math-method`` as in Quarto, MathJax by default (embedded in
    the page), ``mathml``, ``plain`` or ``katex`` (embedded too) on request. A method that loads from the
    network (webtex, gladtex) falls back to MathJax with a warning."""
    asked, method = _asked_math_method(options), html_math_method(options)
    if method == "mathml":
        return ["--mathml"]
    if method == "plain":
        return []
    if method == "katex":
        if not _MATH.search(assembled.markdown):
            return ["--katex", "--variable=math="]
        # pandoc's tags would load KaTeX from a CDN: the page gets the npm copy inline instead, with the same
        # script that typesets each of pandoc's math spans when the page has loaded
        return ["--katex", "--variable=math=", f"--include-in-header={job.header_file('katex.html', katex_html())}"]
    if asked != "mathjax":
        warn(f"{job.document.path}: html-math-method {asked!r} loads from the network, which the embedded "
             "renderer does not use; the maths is typeset with the bundled MathJax instead.")
    if not _MATH.search(assembled.markdown):
        return []  # no maths, so no script: a page without maths needs no MathJax
    script = mathjax_script()
    # the bundled build draws SVG and has no tex2chtml; scripts written for MathJax's default build (the
    # pseudocode extension's ...) call it, so it is the SVG conversion under that name, before the body's scripts
    alias = job.header_file("mathjax-alias.html", _MATHJAX_ALIAS)
    if not slides:
        return [f"--mathjax={script}", f"--include-before-body={alias}"]
    # reveal.js: pandoc's math plugin would fetch MathJax 2 at run time, so the plugin is switched off
    # and MathJax 3 is embedded in the head; it typesets pandoc's \( \) and \[ \] spans.
    header = job.header_file("mathjax.html", f'<script src="{script}"></script>\n')
    return [f"--mathjax={script}", "--variable=mathjax=", f"--include-in-header={header}",
            f"--include-before-body={alias}"]


def katex_folder() -> Path:
    """KaTeX's ``dist`` from the npm registry, installed by the Makefile into ``.cache/katex`` (never a CDN);
    ``LLM_REPORTS_KATEX`` names another copy of that folder."""
    configured = os.environ.get("LLM_REPORTS_KATEX")
    folder = Path(configured) if configured else REPOSITORY / ".cache" / "katex" / "node_modules" / "katex" / "dist"
    if not (folder / "katex.min.js").is_file():
        raise RenderError(f"html-math-method: katex needs KaTeX, which is not installed at {folder}. Run `make setup` "
                          "(npm install katex into .cache/katex), set LLM_REPORTS_KATEX to a copy, or leave "
                          "html-math-method out (MathJax).")
    return folder


@functools.cache
def _katex_html(folder: Path) -> str:
    css = (folder / "katex.min.css").read_text(encoding="utf-8")

    def woff2_only(face: re.Match[str]) -> str:  # each face from its woff2 file alone, inlined (every browser has it)
        data = base64.b64encode((folder / face[1]).read_bytes()).decode()
        return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

    css = _KATEX_FONT_SOURCES.sub(woff2_only, css)
    script = (folder / "katex.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"<style>{css}</style>\n<script>{script}</script>\n<script>{_KATEX_RENDER}</script>\n"


def katex_html() -> str:
    """KaTeX's stylesheet (its fonts inlined) and script, and pandoc's loop that typesets each math span."""
    return _katex_html(katex_folder())


_KATEX_FONT_SOURCES = re.compile(r'src:url\((fonts/[\w-]+\.woff2)\) format\("woff2"\)[^;}]*')
# pandoc's own (its HTML template's, for --katex): each span of class "math" typeset in place
_KATEX_RENDER = """document.addEventListener("DOMContentLoaded", function () {
  var mathElements = document.getElementsByClassName("math");
  var macros = [];  // one for the page: a \\gdef in one span holds in the next
  for (var i = 0; i < mathElements.length; i++) {
    var texText = mathElements[i].firstChild;
    if (mathElements[i].tagName == "SPAN" && texText) {
      katex.render(texText.data, mathElements[i], {displayMode: mathElements[i].classList.contains("display"),
                                                   throwOnError: false, macros: macros, fleqn: false});
    }
  }
});"""


_MATHJAX_ALIAS = """<script>
(function () {
  var m = window.MathJax;
  if (m && m.tex2svg && !m.tex2chtml) { m.tex2chtml = m.tex2svg; m.tex2chtmlPromise = m.tex2svgPromise; }
})();
</script>
"""


def mermaid_header(job: Job, options: Mapping[str, Any]) -> Path:
    """mermaid.js (npm, pinned) inlined once, drawing every ``<pre class="mermaid">`` when the page loads,
    in the theme that ``mermaid: theme:`` names (mermaid's own: default, forest, dark, neutral), else in Quarto's
    look, the page's or deck's own colours and font (assets/mermaid_theme.css)."""
    script = mermaid_script().read_text(encoding="utf-8")
    settings = options.get("mermaid") if isinstance(options.get("mermaid"), Mapping) else {}
    look = {"theme": str(settings["theme"])} if settings.get("theme") else \
        {"themeCSS": (ASSETS / "mermaid_theme.css").read_text(encoding="utf-8")}
    config = {"startOnLoad": False, **look}
    # drawn when the page has loaded (mermaid's startOnLoad), and then a deck lays its centred slides out again:
    # reveal.js placed them while the diagrams were their source text, taller than the drawings (also when one
    # diagram fails, which rejects mermaid's promise after it has drawn the others)
    start = (f"<script>mermaid.initialize({json.dumps(config)});\n"
             "window.addEventListener('load', function () {\n"
             "  function relayout() {\n"
             "    if (!window.Reveal || !Reveal.isReady) return;\n"
             "    if (Reveal.isReady()) Reveal.layout(); else Reveal.on('ready', function () { Reveal.layout(); });\n"
             "  }\n"
             "  mermaid.run().then(relayout, relayout);\n"
             "});</script>")
    return job.header_file("mermaid-header.html", f"<script>{script}</script>\n{start}\n")


def widgets_footer(job: Job, state: Mapping[str, Any]) -> Path:
    """Jupyter widgets as Quarto shows them: the state the kernel left, and the widgets' HTML manager (npm,
    pinned, inlined: never a CDN), which draws each widget view of the page from it when the page loads;
    ``LLM_REPORTS_WIDGETS`` names another copy (a folder holding ``dist/embed.js``)."""
    configured = os.environ.get("LLM_REPORTS_WIDGETS")
    folder = Path(configured) if configured else \
        REPOSITORY / ".cache" / "widgets" / "node_modules" / "@jupyter-widgets" / "html-manager"
    script = folder / "dist" / "embed.js"
    if not script.is_file():
        raise RenderError(f"Jupyter widgets in HTML need the widgets' HTML manager, which is not installed at "
                          f"{folder}. Run `make setup` (npm install into .cache/widgets), or set LLM_REPORTS_WIDGETS.")
    saved = json.dumps(dict(state)).replace("</", "<\\/")
    code = script.read_text(encoding="utf-8").replace("</script", "<\\/script")
    # webpack finds its files' folder from the running script's src, and an inlined script has none: it is
    # told the page's own address while it starts (its icon fonts are the only files it would look for)
    shim = ("<script>Object.defineProperty(document, 'currentScript', {configurable: true, get: function () "
            "{ return {tagName: 'SCRIPT', src: location.href}; }});</script>")
    return job.header_file("widgets-footer.html", f'<script type="application/vnd.jupyter.widget-state+json">'
                                                  f"{saved}</script>\n{shim}\n<script>{code}</script>\n"
                                                  "<script>delete document.currentScript;</script>\n")


def vega_header(job: Job) -> Path:
    """Vega, Vega-Lite and vega-embed (npm, pinned) inlined once, for altair charts (never a CDN);
    ``LLM_REPORTS_VEGA`` names another ``node_modules`` folder holding them."""
    configured = os.environ.get("LLM_REPORTS_VEGA")
    root = Path(configured) if configured else REPOSITORY / ".cache" / "vega" / "node_modules"
    scripts = [root / "vega" / "build" / "vega.min.js", root / "vega-lite" / "build" / "vega-lite.min.js",
               root / "vega-embed" / "build" / "vega-embed.min.js"]
    if not all(script.is_file() for script in scripts):
        raise RenderError(f"altair charts in HTML need Vega, Vega-Lite and vega-embed, which are not installed at "
                          f"{root}. Run `make setup` (npm install into .cache/vega), or set LLM_REPORTS_VEGA.")
    inlined = "".join(f"<script>{script.read_text(encoding='utf-8')}</script>\n" for script in scripts)
    return job.header_file("vega-header.html", inlined)


def typeset(job: Job, output_format: Format, assembled: Assembled, to: str, tex: Path, arguments: list[str],
            passes: int | None = None) -> Path:
    """The LaTeX of ``assembled`` (``to``: latex or beamer) through xelatex; returns the PDF. ``passes``:
    that many runs, or (``None``) two when the text has references or a table of contents. When the
    document's own ``template`` makes LaTeX fail (one written for an older pandoc), it is typeset once more
    with pandoc's template and a warning naming the error: the reader gets the content, not an error."""
    options = job.options.for_format(output_format.name)
    method = options.get("cite-method", "citeproc")
    if method in ("natbib", "biblatex"):  # LaTeX's own citations; xelatex() runs bibtex or biber
        arguments = [f"--{method}" if argument == "--citeproc" else argument for argument in arguments]
    elif method != "citeproc":
        warn(f"cite-method: {method} is not one of citeproc, natbib, biblatex; citeproc formats the citations.")

    def run(pandoc_arguments: list[str], partials: bool = True) -> Path:
        write_markdown(job, output_format, assembled, to, tex, pandoc_arguments, partials=partials)
        text = tex.read_text(encoding="utf-8")
        if options.get("keep-tex"):
            job.keep(tex.name, text)
        runs = passes or (2 if any(mark in text for mark in ("\\tableofcontents", "\\ref{", "\\cite")) else 1)
        return xelatex(tex, passes=runs, fail_on_missing_glyphs=job.fail_on_missing_glyphs,
                       folders=(job.folder, job.options.project, *format_resources(options)))

    try:
        return run(arguments)
    except RenderError as error:
        own = " and ".join(f"{key} {options[key]}" for key in ("template", "template-partials") if options.get(key))
        if not own:
            raise
        reason = next((line for line in str(error).splitlines() if line.startswith("!")), str(error)[:200])
        warn(f"{job.document.path}: LaTeX failed with the document's {own} ({reason}); typeset with pandoc's "
             "template instead.")
        return run([a for a in arguments if not a.startswith("--template=")], partials=False)

