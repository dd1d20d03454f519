"""The words the renderer writes into a document, in the document's language (``lang:``), under Quarto's
names for them (https://quarto.org/docs/authoring/language.html).

English is the default; the languages Quarto translates have their words in ``languages/TAG.yml`` (the
table of contents, callout titles, the title block, cross-reference and theorem names, the page tools):
``lang: pt-BR`` takes ``pt-br.yml`` over ``pt.yml`` over English, ``lang: de-AT`` the German of ``de.yml``,
a language without a file English (Quarto's order of its translation files). ``language:`` overrides any
word, as in Quarto: a mapping of these names, a mapping per language (``language: {de: {...}}``), or a
YAML file of either. The Lua filters receive the words in the renderer's metadata, so each word is decided
here once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from qmdrender.types import RenderError, warn
from qmdrender.yamlfile import read_yaml_file

ENGLISH = {
    "toc-title-document": "Table of contents", "toc-title-website": "On this page",
    "related-formats-title": "Other Formats", "other-links-title": "Other Links", "draft": "Draft",
    "code-links-title": "Code Links", "launch-dev-container-title": "Launch Dev Container",
    "launch-binder-title": "Launch Binder",
    "section-title-abstract": "Abstract",
    "section-title-references": "References", "section-title-footnotes": "Footnotes", "section-title-reuse": "Reuse",
    "section-title-copyright": "Copyright", "section-title-citation": "Citation",
    "title-block-author-single": "Author", "title-block-author-plural": "Authors",
    "title-block-affiliation-single": "Affiliation", "title-block-affiliation-plural": "Affiliations",
    "title-block-published": "Published", "title-block-modified": "Modified", "title-block-doi": "Doi",
    "title-block-keywords": "Keywords",
    "callout-note-title": "Note", "callout-tip-title": "Tip", "callout-warning-title": "Warning",
    "callout-caution-title": "Caution", "callout-important-title": "Important",
    "crossref-fig-title": "Figure", "crossref-tbl-title": "Table", "crossref-lst-title": "Listing",
    "crossref-eq-prefix": "Equation", "crossref-sec-prefix": "Section", "crossref-ch-prefix": "Chapter",
    "crossref-apx-prefix": "Appendix", "crossref-lof-title": "List of Figures",
    "crossref-lot-title": "List of Tables",
    "crossref-thm-title": "Theorem", "crossref-lem-title": "Lemma", "crossref-cor-title": "Corollary",
    "crossref-prp-title": "Proposition", "crossref-cnj-title": "Conjecture", "crossref-def-title": "Definition",
    "crossref-exm-title": "Example", "crossref-exr-title": "Exercise", "crossref-sol-title": "Solution",
    "crossref-rem-title": "Remark", "environment-proof-title": "Proof", "environment-remark-title": "Remark",
    "environment-solution-title": "Solution",
    "repo-action-links-edit": "Edit this page", "repo-action-links-source": "View source",
    "repo-action-links-issue": "Report an issue", "back-to-top": "Back to top", "tools-share": "Share",
    "code-tools-menu-caption": "Code", "code-tools-show-all-code": "Show All Code",
    "code-tools-hide-all-code": "Hide All Code", "code-tools-view-source": "View Source",
    "copy-button-tooltip": "Copy to Clipboard",
    "copy-button-tooltip-success": "Copied!", "code-summary": "Code",
    "listing-page-order-by": "Order By", "listing-page-order-by-default": "Default",
    "listing-page-order-by-date-asc": "Oldest", "listing-page-order-by-date-desc": "Newest",
    "listing-page-field-date": "Date", "listing-page-field-title": "Title",
    "listing-page-field-description": "Description", "listing-page-field-author": "Author",
    "listing-page-field-filename": "File Name", "listing-page-field-filemodified": "Modified",
    "listing-page-field-subtitle": "Subtitle", "listing-page-field-readingtime": "Reading Time",
    "listing-page-field-wordcount": "Word Count", "listing-page-field-categories": "Categories",
    "listing-page-minutes-compact": "{0} min", "listing-page-category-all": "All",
    "listing-page-no-matches": "No matching items", "listing-page-filter": "Filter",
}

# Quarto's older names for the callout titles
_ALIASES = {f"callout-{kind}-caption": f"callout-{kind}-title"
            for kind in ("note", "tip", "warning", "caution", "important")}


def _language_tag(options: Mapping[str, Any]) -> str:
    return str(options.get("lang") or "en").replace("_", "-").lower()


def _overrides(value: Any, tag: str, folder: Path | None) -> dict[str, str]:
    """``language:`` as words: a mapping, a mapping per language tag, or a YAML file of either."""
    if isinstance(value, str) and value.endswith((".yml", ".yaml")):
        path = Path(value) if Path(value).is_absolute() or folder is None else folder / value
        if not path.is_file():
            warn(f"language: {value} does not exist; the built-in words are used.")
            return {}
        value = read_yaml_file(path, "language file", RenderError)
    if not isinstance(value, Mapping):
        return {}
    words = {str(k): str(v) for k, v in value.items() if not isinstance(v, (Mapping, list)) and v is not None}
    for key in (tag.split("-")[0], tag):  # per-language sections: the language, then the exact tag
        if isinstance(value.get(key), Mapping):
            words.update({str(k): str(v) for k, v in value[key].items() if v is not None})
    return {_ALIASES.get(k, k): v for k, v in words.items()}


LANGUAGES = Path(__file__).with_name("languages")


@cache
def _translation(tag: str) -> dict[str, str]:
    """The words of ``languages/TAG.yml`` (empty without one)."""
    if not re.fullmatch(r"[a-z0-9-]+", tag):  # a tag, never a path out of the folder
        return {}
    path = LANGUAGES / f"{tag}.yml"
    return read_yaml_file(path, "language file", RenderError) if path.is_file() else {}


def document_words(options: Mapping[str, Any], folder: Path | None = None) -> dict[str, str]:
    """Every word the renderer writes, for the document's ``lang`` with its ``language:`` overrides."""
    tag = _language_tag(options)
    words = dict(ENGLISH)
    subtags = tag.split("-")
    for count in range(1, len(subtags) + 1):  # the language, then each narrower variant over it (pt, pt-br)
        words.update(_translation("-".join(subtags[:count])))
    words.update(_overrides(options.get("language"), tag, folder))
    return words
