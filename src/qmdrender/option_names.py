"""The one table of Quarto option names: where each option belongs and what the renderer does with it.

Every other module asks this table instead of keeping its own list: which options steer execution
(``execute:``, or given directly in a document or format, as Quarto accepts), the cell defaults,
which name files (made absolute against the YAML file that sets them), which are not pandoc
metadata, and which are not supported yet (named in a warning, never dropped silently).

``document`` / ``cell`` say whether the option is valid in front matter (or ``_quarto.yml``, or
under ``format:``) and as a ``#|`` cell option: ``YES`` supported, ``NO`` known but not supported
yet, ``None`` not an option there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

YES, NO = True, False
_UNSET = object()


@dataclass(frozen=True)
class OptionName:
    name: str
    document: bool | None = YES
    cell: bool | None = None
    execute: bool = False  # an execution option: under execute:, at the top level, per format, per cell
    path: bool = False  # names a file: relative to the YAML file that sets it
    metadata: bool = True  # passed on to pandoc as document metadata
    default: Any = _UNSET  # the cell default Quarto documents

    @property
    def has_default(self) -> bool:
        return self.default is not _UNSET


def _execution(name: str, default: Any = _UNSET, cell: bool | None = YES) -> OptionName:
    return OptionName(name, cell=cell, execute=True, metadata=False, default=default)


def _renderer(name: str) -> OptionName:
    """Steers the render (engine, project), never document metadata."""
    return OptionName(name, metadata=False)


def _unsupported(name: str, *, cell: bool | None = None, document: bool | None = NO) -> OptionName:
    return OptionName(name, document=document, cell=cell)


TABLE: tuple[OptionName, ...] = (
    # Execution (Quarto: execute options); the defaults are Quarto's for Jupyter.
    _execution("echo", True), _execution("eval", True), _execution("warning", True), _execution("error", False),
    _execution("output", True), _execution("include", True), _execution("timeout"), _execution("freeze", cell=None),
    _execution("enabled", cell=None), OptionName("cache", cell=NO, execute=True, metadata=False),
    # How the renderer runs a document, not metadata.
    _renderer("format"), _renderer("execute"), _renderer("jupyter"), _renderer("params"), _renderer("_quarto"),
    _renderer("project"), _renderer("website"), _renderer("profile"), _renderer("from"),
    OptionName("book"),  # a book project's options: a chapter's reach its filters, as Quarto gives them (options.py)
    _renderer("reader"),
    OptionName("engine", document=NO, metadata=False), OptionName("knitr", document=NO, metadata=False),
    OptionName("filters", path=True, metadata=False),  # a document's own Lua filters (user_filters.py)
    OptionName("shortcodes", path=True, metadata=False),  # Lua files of shortcodes (filters/shortcodes.lua)
    OptionName("revealjs-plugins", metadata=False),  # extensions' reveal.js plugins (reveal_plugins.py)
    # Files.
    *(OptionName(name, path=True) for name in ("include-in-header", "include-before-body", "include-after-body",
                                                "css", "bibliography", "csl")),
    OptionName("template", path=True, metadata=False),  # a pandoc template of the author's (writing.py)
    OptionName("syntax-definitions", path=True, metadata=False),  # KDE syntax files for pandoc (writing.py)
    # parts of the format's template, by Quarto's names (formats/partials.py)
    OptionName("template-partials", path=True, metadata=False),
    OptionName("reference-doc", path=True, metadata=False),  # a Word file whose styles docx takes
    OptionName("brand", path=True, metadata=False),  # a brand.yml file, inline, or false (qmdrender.brand)
    OptionName("language", path=True, metadata=False),  # words per language, or a file of them (language.py)
    # Known, not supported yet: said in a warning.
    _unsupported("multiplex"),  # it needs a socket server that relays the presenter's slide changes
)
OPTIONS: dict[str, OptionName] = {option.name: option for option in TABLE}
# Options of Quarto's knitr (R) engine that Quarto ignores for Jupyter documents, as this renderer does.
KNITR_ONLY = frozenset({"df-print", "code-link", "knitr"})  # knitr: its opts_chunk and opts_knit

# Families of cell options that a document or format may set for all its cells (fig-width, code-fold ...):
# they are cell settings, not metadata.
CELL_PREFIXES = ("fig-", "code-")
# Cell options a document or format may set for all its cells by name (a deck's outputs each a fragment).
DOCUMENT_CELL_OPTIONS = ("output-location", "lang")  # lang: the words a cell writes (code-fold's summary)
NOT_METADATA_PREFIXES = ("fig-", "code-", "tbl-", "lst-")

EXECUTE_OPTIONS = tuple(o.name for o in TABLE if o.execute)
CELL_DEFAULTS = {o.name: o.default for o in TABLE if o.execute and o.has_default}
PATH_OPTIONS = tuple(o.name for o in TABLE if o.path)
# Options that give either a name or files (the endings tell them apart): a theme's own .scss/.css beside
# "cosmo" or "dark", a highlight style's .theme file beside "github"; in a name, a list, or light:/dark:
NAMED_FILE_OPTIONS = {"theme": (".scss", ".css"), "highlight-style": (".theme",), "syntax-highlighting": (".theme",)}
# the authors of the project, its folders and the document joined, for the document's citation (options.py):
# the renderer's own, never the reader's metadata
JOINED_AUTHORS = "citation-joined-authors"
NOT_METADATA = frozenset(o.name for o in TABLE if not o.metadata) | {JOINED_AUTHORS}
UNSUPPORTED_DOCUMENT_OPTIONS = frozenset(o.name for o in TABLE if o.document is NO)
UNSUPPORTED_CELL_OPTIONS = frozenset(o.name for o in TABLE if o.cell is NO)
# Cell tags that Quarto's Jupyter engine reads as cell options (set in JupyterLab's tag editor, with no
# '#|' line in the code); a cell's own options win over them. nbconvert's and Jupyter Book's
# remove-input and remove-output are not among them, so Quarto (and this renderer) shows those cells.
TAG_OPTIONS: dict[str, dict[str, bool]] = {
    "remove-cell": {"include": False}, "hide-cell": {"include": False},
    "hide-code": {"echo": False}, "show-code": {"echo": True},
    "hide-output": {"output": False}, "show-output": {"output": True},
    "hide-warnings": {"warning": False}, "show-warnings": {"warning": True},
}
# Top-level keys of _quarto.yml / _metadata.yml that describe the project, not one document's metadata.
PROJECT_KEYS = ("format", "project", "website", "book", "profile")


def is_metadata(name: Any) -> bool:
    """Whether a document option goes to pandoc as metadata (title, toc, geometry ... but not echo)."""
    return isinstance(name, str) and name not in NOT_METADATA and not name.startswith(NOT_METADATA_PREFIXES)


def tag_options(tags: Any) -> dict[str, bool]:
    """The cell options a cell's ``tags`` stand for (:data:`TAG_OPTIONS`), later tags over earlier ones."""
    options: dict[str, bool] = {}
    for tag in tags if isinstance(tags, list) else ():
        options.update(TAG_OPTIONS.get(tag, {}) if isinstance(tag, str) else {})
    return options
