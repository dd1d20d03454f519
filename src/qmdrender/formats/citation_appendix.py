"""``citation:`` on an HTML page: "Citation" in its appendix, as Quarto writes it (the page as a BibTeX
entry, and as the document's citation style formats it, "For attribution, please cite this work as").

The page becomes one CSL item, as Quarto builds it: its title; its authors (``citation: author``, else the
page's joined with the project's and its folders'), each name's first word given and the rest family; its
date, DOI and language; the ``citation:`` fields (``url``, ``type``, ``container-title`` ...). A site's page
without a ``url`` of its own is cited at its address under the site's ``site-url``. Pandoc writes the item
as biblatex and formats it with citeproc, so the entry follows the document's ``csl`` like its other
references. ``filters/appendix.lua`` marks where the section goes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.authors import document_authors
from qmdrender.dates import resolve_date
from qmdrender.options import JOINED_AUTHORS
from qmdrender.pandoc import pandoc_binary
from qmdrender.types import warn

CITATION_MARKER = "<!-- quarto-appendix-citation -->"
# citation: fields that are CSL variables under the same name
_CSL_FIELDS = ("container-title", "collection-title", "publisher", "publisher-place", "volume", "issue", "page",
               "number", "genre", "language", "issn", "isbn", "pmid", "pmcid", "abstract", "note")


def page_address(site: Mapping[str, Any], project: Path | None, source: Path) -> str | None:
    """Where a site's page is read: its path under ``site-url`` (an ``index`` page its folder's address,
    ending in ``/``); None outside a site or without a ``site-url``."""
    base = str(site.get("site-url") or "").rstrip("/")
    if not base or project is None or not source.is_relative_to(project):
        return None
    relative = source.relative_to(project)
    if relative.stem == "index":
        folder = relative.parent.as_posix()
        return f"{base}/" if folder == "." else f"{base}/{folder}/"
    return f"{base}/{relative.with_suffix('.html').as_posix()}"


def csl_item(options: Mapping[str, Any], source: Path, address: str | None = None) -> dict[str, Any]:
    """The page as a CSL item (``address``: where it is read, when ``citation: url`` does not say)."""
    cited = options.get("citation") if isinstance(options.get("citation"), Mapping) else {}
    authors = []
    named = cited.get("author") or options.get(JOINED_AUTHORS) or options.get("author")
    for author in document_authors({**options, "author": named}):
        given, _, family = author.name.partition(" ")  # Quarto's reading: the first word given, the rest family
        authors.append({"family": family, "given": given})
    date = resolve_date(cited.get("issued") or options.get("date"), source)
    item: dict[str, Any] = {"type": str(cited.get("type") or "webpage"), "title": str(options.get("title") or "")}
    if authors:
        item["author"] = authors
    if isinstance(date, dt.date):
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    available = resolve_date(cited.get("available-date") or options.get("date"), source)
    if isinstance(available, dt.date):  # Quarto's item: the page available from its date
        item["available-date"] = {"date-parts": [[available.year, available.month, available.day]]}
    for key, csl in (("url", "URL"), ("doi", "DOI")):
        value = cited.get(key) or (options.get(key) if key == "doi" else address if key == "url" else None)
        if value:
            item[csl] = str(value)
    item["language"] = str(options.get("lang") or "en")  # biblatex's langid (citation: language over it)
    item.update({key: str(cited[key]) for key in _CSL_FIELDS if cited.get(key) is not None})
    first = authors[0]["family"] if authors else ""
    year = item.get("issued", {}).get("date-parts", [[""]])[0][0]
    # Quarto's suggested key: the first family name, lowercased with "_" for spaces, then the year
    item["id"] = str(cited.get("id") or re.sub(r"\s+", "_", first).lower() + str(year) or "untitled")
    return item


def citation_section(options: Mapping[str, Any], source: Path, words: Mapping[str, str],
                     address: str | None = None) -> str:
    """The appendix's "Citation" section (``""``, with a warning, when pandoc cannot format the entry):
    the BibTeX entry and the formatted reference, or those ``appendix-cite-as`` names (``display``,
    ``bibtex``, a list of both; ``false``: no section)."""
    wanted = options.get("appendix-cite-as", ["display", "bibtex"])
    shown = {str(part) for part in (wanted if isinstance(wanted, list) else [wanted])} & {"display", "bibtex"} \
        if wanted is not False else set()
    if not shown:
        return ""
    item = csl_item(options, source, address)
    data = json.dumps([item])
    pandoc = pandoc_binary()
    parts, problems = [], []
    if "bibtex" in shown:  # only the parts the page shows are written (each is a pandoc run)
        bibtex = subprocess.run([pandoc, "-f", "csljson", "-t", "biblatex"], input=data, capture_output=True,
                                text=True, encoding="utf-8", check=False)
        problems += [bibtex.stderr] if bibtex.returncode else []
        # a highlighted block's markup, so that the page's copy button comes to it as to the page's code
        parts.append(f'<div class="quarto-appendix-secondary-label">BibTeX citation:</div><div class="sourceCode">'
                     f'<pre class="sourceCode bibtex quarto-appendix-bibtex"><code class="sourceCode bibtex">'
                     f'{html.escape(bibtex.stdout.strip())}</code></pre></div>')
    if "display" in shown:
        arguments = [pandoc, "-f", "markdown", "-t", "html", "--citeproc"]
        if options.get("csl") and not str(options["csl"]).startswith(("http://", "https://")):  # an address: the
            arguments.append(f"--csl={options['csl']}")  # page's references say whether it could be fetched
        formatted = subprocess.run(arguments, input=f"---\nnocite: '@*'\nreferences: {data}\n---\n",
                                   capture_output=True, text=True, encoding="utf-8", check=False, cwd=source.parent)
        entry = re.search(r'<div id="ref-[^"]*" class="csl-entry"[^>]*>(.*?)</div>', formatted.stdout, re.S)
        problems += [formatted.stderr] if entry is None else []
        parts.append(f'<div class="quarto-appendix-secondary-label">For attribution, please cite this work as:</div>'
                     f'<div id="ref-{html.escape(item["id"])}" class="csl-entry quarto-appendix-citeas" '
                     f'role="listitem">{entry.group(1).strip() if entry else ""}</div>')
    if problems:
        warn(f"{source}: citation: the entry could not be written ({' '.join(p.strip() for p in problems)}); "
             "the page has no Citation section.")
        return ""
    title = html.escape(words.get("section-title-citation", "Citation"))
    return (f'<section id="quarto-citation" class="quarto-appendix-contents">'
            f'<h2 class="anchored quarto-appendix-heading">{title}</h2><div>{"".join(parts)}</div></section>')
