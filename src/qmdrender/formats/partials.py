"""Quarto's ``template-partials``: files named after a part of Quarto's templates that replace that part.

A custom format or a document lists them (``template-partials: [title-slide.html]``); Quarto's templates
include each part by that name (https://quarto.org/docs/journals/templates.html#template-partials). The
renderer writes with pandoc's own templates, so here pandoc's template for the writer is cut at the same
places into partials with Quarto's names, written to a folder with the document's partials over them, and
pandoc reads the template from there (it looks for ``$name()$`` beside the template). The parts Quarto's
partials receive that pandoc's templates lack are given too: ``by-author`` (each author's ``name.literal``,
``email``, ``url``, ``orcid`` and ``affiliations``). A partial of a part this renderer's template does not
have, and that no other partial calls, is named in a warning: reveal.js's ``title-slide.html`` and
``toc-slide.html``, LaTeX's ``doc-class.tex``, ``title.tex``, ``before-body.tex``, ``toc.tex`` and
``biblio.tex``, and Typst's ``typst-template.typ`` and ``typst-show.typ`` are parts here, and an HTML page's
``title-block.html`` (whose header then stays as the author's partial writes it:
:func:`qmdrender.formats.title_block.page_title_block`).
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qmdrender.authors import document_authors
from qmdrender.extensions import as_list
from qmdrender.pandoc import pandoc_binary
from qmdrender.types import RenderError, warn
from qmdrender.yamlfile import dump_yaml

# Per pandoc writer: each Quarto partial and the stretch of pandoc's default template it stands for (from
# the first line that matches ``start`` to the first after it that matches ``end``, both included).
PARTS: dict[str, dict[str, tuple[str, str]]] = {
    "html5": {
        "title-block.html": (r'^<header id="title-block-header">$', r"^</header>$"),
    },
    "revealjs": {
        "title-slide.html": (r'^<section id="\$idprefix\$title-slide"', r"^</section>$"),
        "toc-slide.html": (r'^<section id="\$idprefix\$TOC">', r"^</section>$"),
    },
    # Quarto's Typst partials: the template function's definition and the call that applies it to the document
    "typst": {
        "typst-template.typ": (r"^\$template\.typst\(\)\$$", r"\$template\.typst\(\)\$$"),
        "typst-show.typ": (r"^#show: doc => conf\($", r"^\)$"),
    },
    "latex": {
        "doc-class.tex": (r"^\\documentclass\[", r"^\]\{\$documentclass\$\}$"),
        "title.tex": (r"^\$if\(title\)\$$(?=\n\\title)", r"^\\date\{\$date\$\}$"),
        "before-body.tex": (r"^\$if\(has-frontmatter\)\$$(?=\n\\frontmatter\n\$endif\$\n\$if\(title\)\$)",
                            r"^\$endif\$$(?=\n\n\$for\(include-before\))"),
        "toc.tex": (r"^\$if\(toc\)\$$", r"^\$endif\$$(?=\n\$if\(lof\))"),
        "biblio.tex": (r"^\$if\(natbib\)\$$", r"^\$endif\$$(?=\n\$for\(include-after\))"),
    },
}


def _pandoc_template(writer: str) -> str:
    return _pandoc_data_file(f"templates/default.{writer}")  # what ``pandoc -D writer`` prints


def split_template(text: str, writer: str) -> tuple[str, dict[str, str]]:
    """``text`` (a pandoc template) with each part :data:`PARTS` names replaced by its partial's call,
    and the text of each part (what the partial holds unless a document replaces it)."""
    parts = {}
    for name, (start, end) in PARTS.get(writer, {}).items():
        opening = re.search(start, text, re.M)
        closing = re.compile(end, re.M).search(text, opening.start()) if opening else None  # (a one-line part)
        if opening is None or closing is None:
            continue  # a template of another shape (the author's own): this part is not a partial there
        parts[name] = text[opening.start():closing.end()]
        text = text[:opening.start()] + f"${name}()$" + text[closing.end():]
    if "typst-template.typ" in parts:  # pandoc's own partial there, whose text is the part
        parts["typst-template.typ"] = _pandoc_data_file("templates/template.typst")
    return text, parts


@functools.cache
def _pandoc_data_file(name: str) -> str:
    done = subprocess.run([pandoc_binary(), "--print-default-data-file", name], capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise RenderError(f"pandoc has no data file {name}: {done.stderr.strip()}")
    return done.stdout


def partial_arguments(options: Mapping[str, Any], writer: str, arguments: Sequence[str], work: Path,
                      where: Path) -> list[str]:
    """``arguments`` with the template that reads the document's ``template-partials`` (``writer``: the
    pandoc writer, ``where``: the document, for warnings); unchanged when it lists none."""
    files = [Path(str(p)) for p in as_list(options.get("template-partials"))]
    own = next((a.split("=", 1)[1] for a in arguments if a.startswith("--template=")), None)
    text = Path(own).read_text(encoding="utf-8") if own else ""
    # an author's own template may call Quarto's parts ($title-slide.html()$, as a copy of Quarto's reveal.js
    # template does): the ones not beside it are this renderer's, as Quarto supplies its own
    quartos = {name for name in _calls(text) if name in PARTS.get(writer, {})
               and not (Path(own or ".").parent / name).is_file()}
    if not files and not quartos:
        return list(arguments)
    text = text or _pandoc_template(writer)
    template, parts = split_template(text, writer)
    if quartos:
        parts.update({name: part for name, part in split_template(_pandoc_template(writer), writer)[1].items()
                      if name in quartos})
    folder = work / f"template-{writer}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, part in parts.items():
        (folder / name).write_text(part, encoding="utf-8")
    if own:  # the partials the author's template calls from beside it
        for name in _calls(text):
            beside = Path(own).parent / name
            if beside.is_file():
                shutil.copyfile(beside, folder / name)
    paths = [path if path.is_absolute() else where.parent / path for path in files]
    for path in paths:
        if not path.is_file():
            raise RenderError(f"{where}: template-partials: {path} does not exist (paths are relative to the file "
                              "that lists them).")
    # a partial that another partial calls ($_authors.tex()$, as journal formats split their title.tex) is
    # copied beside it whatever its name
    called = {name for path in paths for name in _calls(path.read_text(encoding="utf-8", errors="replace"))}
    for path in paths:
        if path.name not in parts and not own and path.name not in called:
            warn(f"{where}: template-partials: {path.name} is not a part of the {writer} template here "
                 f"({', '.join(PARTS.get(writer, {})) or 'none'}); it is left out.")
            continue
        shutil.copyfile(path, folder / path.name)
    main = folder / f"document.{writer}"  # (not template.typst: pandoc's Typst template calls a partial so named)
    main.write_text(template, encoding="utf-8")
    metadata = folder / "partials-metadata.yaml"
    metadata.write_text(dump_yaml({"by-author": by_author(options)}), encoding="utf-8")
    return [*(a for a in arguments if not a.startswith("--template=")), f"--template={main}",
            f"--metadata-file={metadata}"]


def own_partial(options: Mapping[str, Any], name: str) -> bool:
    """Whether the document's ``template-partials`` replace the part ``name`` (``title-block.html`` ...)."""
    return any(Path(str(p)).name == name for p in as_list(options.get("template-partials")))


def _calls(text: str) -> set[str]:
    """The partials a template text calls (``$name()$``, ``${ name() }``, ``$it:name()$``)."""
    return set(re.findall(r"\$\{?\s*(?:[\w.-]+:)?([\w.-]+)\(\)", text))


def by_author(options: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's authors in the shape Quarto's partials read (``by-author``)."""
    authors = []
    for author in document_authors(options):
        entry: dict[str, Any] = {"name": {"literal": author.name}}
        entry.update({key: value for key, value in (("email", author.email), ("url", author.url),
                                                    ("orcid", author.orcid)) if value})
        if author.affiliations:
            entry["affiliations"] = [{"name": a.name, **({"url": a.url} if a.url else {})} for a in author.affiliations]
        authors.append(entry)
    return authors
