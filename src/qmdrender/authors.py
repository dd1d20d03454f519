"""Quarto's author and affiliation schema, read once for every format's title block.

``author`` (or ``authors``) is a name, a list of names, or a list of mappings with ``name`` (text or
``given``/``family``/``literal``), ``url``, ``email``, ``orcid`` and ``affiliations``. An author's
``affiliations`` (or ``affiliation``) are names, mappings with ``name``/``department``/``url``, or
``ref:`` ids of the document's top-level ``affiliations`` list
(https://quarto.org/docs/journals/authors.html). The title blocks that show them are in
:mod:`qmdrender.formats.title_block`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# the line breaks people write in an affiliation's name ("Team <br> University")
LINE_BREAK = re.compile(r"<br\s*/?>", re.I)


@dataclass(frozen=True)
class Affiliation:
    name: str
    url: str = ""


@dataclass(frozen=True)
class Author:
    name: str
    url: str = ""
    email: str = ""
    orcid: str = ""
    affiliations: tuple[Affiliation, ...] = field(default_factory=tuple)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _name(value: Any) -> str:
    if isinstance(value, Mapping):  # name: {given: ..., family: ...} or {literal: ...}
        return _text(value.get("literal")) or " ".join(_text(value.get(k)) for k in ("given", "family")).strip()
    return _text(value)


def _affiliation(value: Any, known: Mapping[str, Affiliation]) -> Affiliation | None:
    if isinstance(value, Mapping):
        if "ref" in value:
            return known.get(_text(value["ref"]))
        name = _text(value.get("name")) or _text(value.get("department"))
        return Affiliation(name, _text(value.get("url"))) if name else None
    name = _text(value)
    return known.get(name, Affiliation(name)) if name else None


def _listed(value: Any) -> list[Any]:
    if value in (None, "", False):
        return []
    return list(value) if isinstance(value, list) else [value]


def document_authors(metadata: Mapping[str, Any]) -> list[Author]:
    """The document's authors, each with the affiliations it names (refs resolved), in order."""
    known = {}
    for entry in _listed(metadata.get("affiliations", metadata.get("affiliation"))):
        if isinstance(entry, Mapping) and entry.get("id") is not None:
            resolved = _affiliation({k: v for k, v in entry.items() if k != "id"}, {})
            if resolved is not None:
                known[_text(entry["id"])] = resolved
    authors = []
    for entry in _listed(metadata.get("author", metadata.get("authors"))):
        if not isinstance(entry, Mapping):
            authors.append(Author(_text(entry)))
            continue
        affiliations = [_affiliation(a, known)
                        for a in _listed(entry.get("affiliations", entry.get("affiliation")))]
        orcid = _text(entry.get("orcid")).removeprefix("https://orcid.org/")
        authors.append(Author(_name(entry.get("name")), _text(entry.get("url")), _text(entry.get("email")), orcid,
                              tuple(a for a in affiliations if a is not None)))
    return authors


def with_institutes(authors: list[Author], institute: Any) -> list[Author]:
    """``authors`` with the document's ``institute`` as the affiliation of those that name none, as Quarto's title
    slide lists it under the name: one institute for every author, or one each in order when there are as many;
    a single author takes them all."""
    names = [_text(entry) for entry in _listed(institute) if _text(entry)]
    if not names:
        return authors
    listed = []
    for index, author in enumerate(authors):
        if author.affiliations:
            listed.append(author)
            continue
        own = [names[index]] if len(names) == len(authors) > 1 else names
        listed.append(Author(author.name, author.url, author.email, author.orcid,
                             tuple(_institute(name) for name in own)))
    return listed


_MARKDOWN_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)$")


def _institute(name: str) -> Affiliation:
    """An institute, written as a Markdown link (``[LPSM](https://...)``) or as its name."""
    link = _MARKDOWN_LINK.match(name.strip())
    return Affiliation(link["text"], link["url"]) if link else Affiliation(name)


def author_names(value: Any) -> list[str] | Any:
    """Quarto's author forms (a string, a list, ``- name: ...`` mappings) as the names pandoc prints."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    return [author.name for author in document_authors({"author": value})]
