"""Merge a document's options the way Quarto does: project → directory → document → format → cell.

Quarto reads the project's ``_quarto.yml`` (when the document lies inside a project), the
``_metadata.yml`` files of the folders between the project root and the document, then the
document's front matter; mappings merge key by key and later values win. For one output format the
options under ``format: <name>:`` then override the top-level ones, and a cell's ``#|`` options
override ``execute:``. Everything else (``title``, ``toc``, ``geometry`` ...) is pandoc metadata.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qmdrender import environment
from qmdrender.books import chapter_metadata
from qmdrender.document import QmdDocument, read_document, with_heading_title
from qmdrender.environment import find_project
from qmdrender.extensions import named_extension
from qmdrender.formats import base_format, format_extension, get
from qmdrender.option_names import (
    CELL_DEFAULTS,
    CELL_PREFIXES,
    DOCUMENT_CELL_OPTIONS,
    EXECUTE_OPTIONS,
    JOINED_AUTHORS,
    NAMED_FILE_OPTIONS,
    PATH_OPTIONS,
    PROJECT_KEYS,
)
from qmdrender.qmd import QmdError
from qmdrender.types import warn
from qmdrender.yamlfile import read_yaml_file

# Options Quarto makes lists before it merges (render-contexts.ts: fixupMergeableScalars), so that a project's
# `css: styles.css` and a page's `css: page.css` both apply
_MERGEABLE_SCALARS = frozenset({"bibliography", "css", "header-includes", "include-before", "include-after",
                                "include-in-header", "include-before-body", "include-after-body"})


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge as Quarto merges metadata: mappings key by key; where either side is a list, or both name
    one of the files Quarto gathers (``css``, ``bibliography``, the includes), the two join (a value on both
    sides once, where it last appears: the project's ``css`` or ``filters`` and the document's both apply);
    anything else in ``override`` replaces ``base``."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        elif (isinstance(value, list) or isinstance(merged.get(key), list) or key in _MERGEABLE_SCALARS) \
                and value is not None and merged.get(key) is not None:
            merged[key] = _joined(merged[key], value)
        else:
            merged[key] = value
    return merged


def _joined(base: Any, override: Any) -> list[Any]:
    items = [*(base if isinstance(base, list) else [base]), *(override if isinstance(override, list) else [override])]
    keys = [json.dumps(item, sort_keys=True, default=str) for item in items]
    return [item for index, item in enumerate(items) if keys[index] not in keys[index + 1:]]


def _absolute_paths(layer: dict[str, Any], folder: Path, path_options: tuple[str, ...] = PATH_OPTIONS,
                    existing_only: bool = False) -> dict[str, Any]:
    """``layer`` with its file options made absolute against ``folder`` (formats included). ``existing_only``
    (an extension's options, a project's): a name that is no file in ``folder`` stays as written, so that it
    names one beside the document, as Quarto resolves them (the FNAL deck theme's ``template:`` sits beside
    its example deck); an extension's filters and shortcodes are always its own."""

    def there(value: str) -> bool:
        try:
            return (folder / value).exists()
        except (OSError, ValueError):  # a text too long or odd to be a path
            return False

    def fix(value: Any, key: str = "") -> Any:
        if existing_only and key not in ("filters", "shortcodes") and isinstance(value, str) and not there(value):
            return value
        if isinstance(value, list):
            return [fix(v, key) for v in value]
        if key == "filters" and isinstance(value, Mapping) and isinstance(value.get("path"), str):
            return {**value, "path": fix(value["path"], key)}  # {at: post-quarto, path: filters/x.lua}
        if key.startswith("include-") and isinstance(value, Mapping) and isinstance(value.get("file"), str):
            return {**value, "file": fix(value["file"])}  # include-in-header: [{file: x.html}, {text: "..."}]
        if key in ("filters", "shortcodes") and isinstance(value, str) and not value.endswith(".lua"):
            return value  # an extension's name, or the entry "quarto", is not a path
        if isinstance(value, str) and not value.startswith(("/", "http:", "https:")) and "\n" not in value:
            return str((folder / value).resolve())
        return value

    def fix_files(value: Any, suffixes: tuple[str, ...]) -> Any:  # the files among names (NAMED_FILE_OPTIONS)
        if isinstance(value, Mapping):  # light: ..., dark: ...
            return {name: fix_files(part, suffixes) for name, part in value.items()}
        if isinstance(value, list):
            return [fix_files(part, suffixes) for part in value]
        return fix(value) if isinstance(value, str) and value.endswith(suffixes) else value

    def fix_logo(value: Any) -> Any:  # a file's path (not the name of a brand's image), or {path, alt}, {light, dark}
        if isinstance(value, Mapping):
            return {name: fix_logo(part) if name in ("path", "light", "dark") else part for name, part in value.items()}
        return fix(value) if isinstance(value, str) and re.search(r"[/\\]|\.\w+$", value) else value

    fixed = {key: fix(value, key) if key in path_options else
             fix_files(value, NAMED_FILE_OPTIONS[key]) if key in NAMED_FILE_OPTIONS else
             fix_logo(value) if key == "logo" else value for key, value in layer.items()}
    if isinstance(fixed.get("format"), Mapping):
        fixed["format"] = {name: _absolute_paths(dict(options), folder, path_options, existing_only)
                           if isinstance(options, Mapping) else options for name, options in fixed["format"].items()}
    return fixed


def _yaml_file(path: Path) -> dict[str, Any]:
    # as Quarto reads a project's (or a folder's) file names: one that is a file beside this YAML file is made
    # the document's; one that is not stays as written, for the document's folder (a deck's css: custom.css
    # in the root's _quarto.yml, the file beside the deck in slides/)
    return _absolute_paths(read_yaml_file(path, "project file", QmdError), path.parent, existing_only=True)


def merge_profile(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Quarto's merge of configuration files: mappings key by key, lists joined (each value once),
    anything else replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_profile(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *(v for v in value if v not in merged[key])]
        else:
            merged[key] = value
    return merged


def with_metadata_files(metadata: Mapping[str, Any], folder: Path, where: str) -> dict[str, Any]:
    """``metadata`` with the YAML files its ``metadata-file`` and ``metadata-files`` name (from ``folder``: the
    project's, or the document's for its front matter) merged over it in their order, as Quarto includes them
    (a quartodoc site's generated ``_sidebar.yml``); a file that is not there is skipped, as Quarto skips it,
    and named in a warning."""
    names = [metadata["metadata-file"]] if metadata.get("metadata-file") else []
    listed = metadata.get("metadata-files")
    names += listed if isinstance(listed, list) else [listed] if listed else []
    if not names:
        return dict(metadata)
    included: dict[str, Any] = {}
    for name in map(str, names):
        path = folder / name
        if path.is_file():
            included = merge_profile(included, _yaml_file(path))
        else:
            warn(f"{where}: metadata-files: {name} does not exist (looked in {folder}); it is left out, as Quarto "
                 "leaves it out.")
    merged = merge_profile(metadata, included)
    merged.pop("metadata-file", None)
    merged.pop("metadata-files", None)
    return merged


def active_profiles(config: Mapping[str, Any], root: Path | None = None) -> list[str]:
    """``QUARTO_PROFILE`` (set by ``--profile``; a comma list), else the one the project's ``_environment`` files
    set, else ``profile: default:`` of _quarto.yml; and from each ``profile: group:`` with no active profile,
    its first."""
    settings = config.get("profile") if isinstance(config.get("profile"), Mapping) else {}
    named = os.environ.get("QUARTO_PROFILE", "") or (environment.file_profile(root) if root is not None else "")
    if not named.strip():
        default = settings.get("default")
        named = ",".join(map(str, default)) if isinstance(default, list) else str(default or "")
    active = [name.strip() for name in named.split(",") if name.strip()]
    groups = settings.get("group") or []
    if groups and not isinstance(groups[0], list):
        groups = [groups]
    for group in groups:  # a group none of whose profiles is active: its first one is
        if isinstance(group, list) and group and not set(map(str, group)) & set(active):
            active.append(str(group[0]))
    return active


def project_config(root: Path) -> dict[str, Any]:
    """A project's ``_quarto.yml`` with the files of its active profiles (``_quarto-NAME.yml``) merged
    over it, the first profile named winning, as Quarto merges them; a missing profile file is skipped."""
    return _profiled_config(root)[0]


def _profiled_config(root: Path) -> tuple[dict[str, Any], list[str]]:
    """The merged configuration and the active profiles, from one read of ``_quarto.yml``; the project's
    environment files are set into the environment as the configuration is read, as Quarto does."""
    return _configured(root)[:2]


def _configured(root: Path) -> tuple[dict[str, Any], list[str], dict[str, str]]:
    environment.back_out()  # the last project's variables (a QUARTO_PROFILE among them) are not this one's
    found = environment.project_file(root)
    if found is None:  # removed since the project was found
        raise QmdError(f"{root}: _quarto.yml is gone; the project cannot be read.")
    config = _yaml_file(found)
    profiles = active_profiles(config, root)
    for name in reversed(profiles):
        for candidate in (root / f"_quarto-{name}.yml", root / f"_quarto-{name}.yaml"):
            if candidate.is_file():
                config = merge_profile(config, _yaml_file(candidate))
                break
    config = with_metadata_files(config, root, str(found.name))
    return config, profiles, environment.apply(root, profiles)


# Quarto's other spellings of an option, read as the one the renderer uses.
ALIASES = {"authors": "author", "affiliation": "affiliations"}


def normalise_formats(value: Any) -> dict[str, dict[str, Any]]:
    """``format: html``, ``format: [html, pdf]`` or ``format: {html: default, pdf: {toc: true}}`` as a dict."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {value: {}}
    if isinstance(value, list):
        return {str(name): {} for name in value}
    if isinstance(value, Mapping):
        return {str(name): dict(options) if isinstance(options, Mapping) else {} for name, options in value.items()}
    raise QmdError(f"'format:' must be a format name or a mapping of formats, not {value!r}.")


@dataclass(frozen=True)
class DocumentOptions:
    """The merged options of one document, before a format is chosen."""

    metadata: dict[str, Any]
    formats: dict[str, dict[str, Any]]
    project: Path | None
    execute_dir: Path | None = None  # project: execute-dir: project (the kernel starts in the project root)
    # the active profiles (--profile / QUARTO_PROFILE, else the project's default): what when-profile content
    # and the code (its QUARTO_PROFILE) see
    profiles: tuple[str, ...] = ()
    project_type: str | None = None  # the project's ``type`` (website, book, default); None outside a project
    # the variables the project's _environment files name, with the values in effect (the kernel inherits them)
    environment: dict[str, str] = field(default_factory=dict)
    # base format → the options a custom format's extension contributes (``clean-revealjs``: the ``clean``
    # extension's ``revealjs`` options), beneath everything the project and the document set
    contributed: dict[str, dict[str, Any]] = field(default_factory=dict)
    # each declared format's options resolved tier by tier, as Quarto resolves them (see _tiered)
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the project's ``website:`` (or ``book:``) settings: its navbar's colours go to a themed page's Sass
    site: dict[str, Any] = field(default_factory=dict)

    @property
    def declared_formats(self) -> tuple[str, ...]:
        """The formats the document (or its project) names, in order."""
        return tuple(self.formats)

    def for_format(self, name: str) -> dict[str, Any]:
        """Quarto's defaults for the format, the top-level options, then ``format.<name>`` options (the
        format's defaults include execution options: slides do not echo code or show warnings)."""
        spec = get(name)
        declared = next((f for f in self.formats if base_format(f) == name), None)
        contributed = self.contributed.get(name, {})
        # lists join (a document's theme .scss after the extension's), anything else the document sets wins
        if declared in self.resolved:  # its execution options are in its execute: already, tier by tier
            chosen = self.resolved[declared]
            execute = execute_options(spec.defaults, contributed, {"execute": chosen.get("execute") or {}})
        else:
            chosen = merge(self.metadata, self.formats.get(declared, {}) if declared else {})
            execute = execute_options(spec.defaults, contributed, chosen)
        options = merge(dict(spec.defaults), merge(contributed, chosen))
        options["execute"] = execute
        return options


def execute_options(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Execution options, later layers winning: each layer's ``execute:``, then the same options given
    directly in that layer (Quarto accepts ``echo: false`` at the top level or under a format too)."""
    merged = dict(CELL_DEFAULTS)
    for layer in layers:
        execute = layer.get("execute") or {}
        if not isinstance(execute, Mapping):
            raise QmdError(f"'execute:' must be a mapping such as 'execute: {{echo: false}}', not {execute!r}.")
        merged.update(execute)
        merged.update({key: layer[key] for key in EXECUTE_OPTIONS if key in layer})
    return merged


def resolve(document: QmdDocument) -> DocumentOptions:
    """Project ``_quarto.yml`` → ``_metadata.yml`` files → front matter, merged."""
    project = find_project(document.path)
    layers: list[dict[str, Any]] = []
    execute_dir, project_type = None, None
    config: Mapping[str, Any] = {}
    variables: dict[str, str] = {}
    book: dict[str, Any] = {}  # a chapter's book, as Quarto gives it to filters (books.chapter_metadata)
    site: dict[str, Any] = {}  # the project's website: (or book:) settings
    if project is None:
        environment.apply(None, ())  # a lone document: no project's variables
    profiles = tuple(p.strip() for p in os.environ.get("QUARTO_PROFILE", "").split(",") if p.strip())
    if project is not None:
        config, active, variables = _configured(project)
        profiles = tuple(active)
        settings = config.get("project") if isinstance(config.get("project"), Mapping) else {}
        project_type = str(settings.get("type") or "default")
        if settings.get("type") == "book":  # the chapter's number, and a book's defaults under the project's
            chapter = chapter_metadata(config, project, document.path)
            book = chapter.pop("book", {})
            layers.append(chapter)
        found = config.get("website") or config.get("book")
        site = dict(found) if isinstance(found, Mapping) else {}
        if site.get("comments") is not None:  # a site's comments, on every page
            layers.append({"comments": site["comments"]})
        layers.append(config)
        if settings.get("execute-dir") == "project":
            execute_dir = project
        elif settings.get("execute-dir") not in (None, "file"):
            raise QmdError(f"{project}/_quarto.yml: project: execute-dir must be file or project, not "
                           f"{settings['execute-dir']!r}.")
    directories = folder_metadata(document.path, project) if project is not None else []
    front = with_metadata_files(document.front_matter, document.path.resolve().parent, str(document.path)) \
        if document.front_matter.keys() & {"metadata-file", "metadata-files"} else document.front_matter
    tiers = [layers[:], directories, [front]]  # Quarto resolves each tier's formats on its own
    layers += [*directories, front]
    metadata, formats = _merged_layers(layers)
    if book:
        metadata["book"] = book
    # the formats the folders' _metadata files and the front matter name, the front matter's last
    own = [normalise_formats(layer.get("format")) for layer in [*directories, front]]
    theme_wins = project_type in ("website", "book") and isinstance(formats.get("html"), Mapping) and \
        _project_theme_wins(formats, config, own)
    chosen = _rendered_formats(project_type, own)
    if chosen:
        formats = {name: formats.get(name, {}) for name in chosen}
    contributed = _contributed_formats(formats, document.path.resolve().parent, project)
    views = [_merged_layers(tier) for tier in tiers]
    resolved = {name: _tiered(views, name) for name in formats}
    if theme_wins and "html" in resolved:
        resolved["html"]["theme"] = formats["html"]["theme"]
    _with_own_authors(front, metadata, resolved)
    return DocumentOptions(metadata, formats, project, execute_dir, profiles, project_type, variables, contributed,
                           resolved, site)


def _with_own_authors(front: Mapping[str, Any], metadata: dict[str, Any], resolved: dict[str, dict[str, Any]]) -> None:
    """A document that names its authors has those alone, not the project's or its folders' joined before them:
    Quarto hands the merged options to pandoc as a metadata file, and pandoc lets the document's own YAML
    override such a file (a blog's post by two people does not also list the ``_metadata.yml`` author). The
    page's citation keeps the joined list (:data:`JOINED_AUTHORS`), as Quarto builds it from the merged options."""
    own = next((front[key] for key in ("author", "authors") if key in front), None)
    if own is None:
        return
    formats = normalise_formats(front.get("format"))
    chosen = [metadata] + [options for name, options in resolved.items()
                           if not {"author", "authors"} & set(formats.get(name) or {})]  # a format's own list
    for options in chosen:
        options[JOINED_AUTHORS] = options.get("author")
        options["author"] = own


def _merged_layers(layers: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """``layers`` merged in order: their top-level options (the project's own keys left out, aliases named as
    Quarto names them) and each format's options."""
    metadata: dict[str, Any] = {}
    formats: dict[str, dict[str, Any]] = {}
    for layer in layers:
        for name, options in normalise_formats(layer.get("format")).items():
            formats[name] = merge(formats.get(name, {}), options)
        metadata = merge(metadata, {ALIASES.get(k, k): v for k, v in layer.items() if k not in PROJECT_KEYS})
    return metadata, formats


def _tiered(views: list[tuple[dict[str, Any], dict[str, dict[str, Any]]]], name: str) -> dict[str, Any]:
    """The options of format ``name`` as Quarto resolves them: within each tier (the project, the folders'
    ``_metadata.yml`` files, the document; ``views``: each merged by :func:`_merged_layers`) the format's own
    options over the tier's top-level ones, then the tiers merged, the document's winning: a page's ``toc:
    false`` beats the project's ``format: html: toc: true``. Execution options set directly (``echo: false``)
    join the tier's ``execute:`` first."""
    combined: dict[str, Any] = {}
    for top, formats in views:
        own = formats.get(name, {})
        resolved = merge(top, own)
        execute = {key: value for key, value in execute_options(top, own).items()
                   if any(key in part or key in (part.get("execute") or {}) for part in (top, own))}
        if execute:
            resolved["execute"] = execute
        combined = merge(combined, resolved)
    return combined


def folder_metadata(path: Path, project: Path) -> list[dict[str, Any]]:
    """The ``_metadata.yml`` of each folder from the project's root down to the one holding ``path``, the
    outermost first (none when ``path`` lies outside the project). As Quarto walks them, the root's own file
    counts only for a document in the root: Quarto starts at the document's first folder below it (a course
    whose root ``_metadata.yml`` numbers sections leaves its decks in ``pages/slides`` unnumbered)."""
    folder, root = path.resolve().parent, project.resolve()
    if folder != root and root not in folder.parents:
        return []
    layers = []
    below = [folder, *folder.parents][: len(folder.parts) - len(root.parts)]
    for directory in reversed(below or [root]):
        for name in ("_metadata.yml", "_metadata.yaml"):  # Quarto reads either spelling
            if (directory / name).is_file():
                layers.append(_yaml_file(directory / name))
                break
    return layers


def read_resolved(path: Path) -> tuple[QmdDocument, DocumentOptions]:
    """The document at ``path`` and its options; a ``.qmd`` that nothing titles takes the title Quarto's
    Jupyter engine gives it (:func:`qmdrender.document.with_heading_title`), except in a book, where Quarto
    does not (a chapter's heading is its title there already)."""
    document = read_document(path)
    options = resolve(document)
    if options.project_type != "book" and "title" not in options.metadata:
        titled = with_heading_title(document)
        if titled is not document:
            return titled, resolve(titled)
    return document, options


def _rendered_formats(project_type: str | None, own: list[dict[str, dict[str, Any]]]) -> list[str]:
    """Which formats a document renders, as Quarto decides: the formats its own front matter and its folders'
    ``_metadata.yml`` files name (``own``; the front matter's first) replace the project's list, which
    applies only when neither names one; a book renders the project's formats only. Empty: the project's."""
    if project_type == "book":
        return []
    names = list(own[-1])
    for layer in own[:-1]:
        names += [name for name in layer if name not in names]
    return names


def _project_theme_wins(formats: dict[str, dict[str, Any]], config: Mapping[str, Any],
                        own: list[dict[str, dict[str, Any]]]) -> bool:
    """In a website or book, a Bootstrap theme the project gives its HTML pages is every page's (Quarto drops
    a page's or a folder's own ``theme:`` then, so that the site looks one); whether it did."""
    project_html = normalise_formats(config.get("format")).get("html", {})
    if "theme" in project_html and any("theme" in layer.get("html", {}) for layer in own):
        formats["html"] = {**formats["html"], "theme": project_html["theme"]}
        return True
    return False


# Options of an extension that name files, relative to the extension's folder.
EXTENSION_PATH_OPTIONS = (*PATH_OPTIONS, "logo", "format-resources")


def _contributed_formats(formats: Mapping[str, Any], folder: Path, project: Path | None) -> dict[str, dict[str, Any]]:
    """For each custom format the document names (``<extension>-<base>``, https://quarto.org/docs/extensions/
    formats.html), its extension's ``common:`` options under its ``<base>:`` ones, paths made absolute."""
    contributed: dict[str, dict[str, Any]] = {}
    for name in formats:
        extension_name, writer = format_extension(name), base_format(name)
        if extension_name is None or writer in contributed:
            continue  # a built-in format, maybe with modifiers (pdf-xelatex): no extension's
        extension = named_extension(extension_name, folder, project)
        offered = extension.contributes.get("formats") if extension else None
        if isinstance(offered, Mapping) and offered.get(writer) == "default":
            # the format is the extension's common options and filters over plain html (quarto-live's live-html:
            # its filter turns cells into editors that load a Python or R runtime from a CDN in the browser)
            warn(f"format {name}: the extension {extension_name} makes it from {writer} and its own filters, which "
                 f"the embedded renderer does not run; rendering {writer} (its code cells are shown, not live).")
            continue
        if not isinstance(offered, Mapping) or not isinstance(offered.get(writer), Mapping):
            warn(f"format {name}: no extension in _extensions contributes it (a folder {extension_name} whose "
                 f"_extension.yml has contributes: formats: {writer}:); rendering {writer} without its options.")
            continue
        layers = [offered.get("common"), offered[writer]]
        contributed[writer] = {}
        for layer in layers:
            if isinstance(layer, Mapping):
                absolute = _absolute_paths(dict(layer), extension.folder, EXTENSION_PATH_OPTIONS, existing_only=True)
                contributed[writer] = merge(contributed[writer], _extension_files(absolute, extension.folder))
    return contributed


# An extension's options that are never paths (Quarto leaves them as written).
_NOT_EXTENSION_PATHS = ("biblio-style", "revealjs-plugins", "html-math-method")


def _extension_files(value: Any, folder: Path, key: str = "") -> Any:
    """``value`` with every other text that names a file or folder in the extension's ``folder`` made absolute,
    as Quarto does for an extension's options: an option only its own filter reads (reveal-header's
    ``header-logo: resources/logo.svg``) names a file beside the extension, not beside the document."""
    if key in _NOT_EXTENSION_PATHS:
        return value
    if isinstance(value, Mapping):
        return {name: _extension_files(part, folder, str(name)) for name, part in value.items()}
    if isinstance(value, list):
        return [_extension_files(part, folder, key) for part in value]
    if isinstance(value, str) and value and "\n" not in value and not Path(value).is_absolute() \
            and not re.match(r"^[a-z][\w+.-]*:", value):
        try:
            found = (folder / value).exists()
        except (OSError, ValueError):  # a text too long or odd to be a path
            found = False
        return str((folder / value).resolve()) if found else value
    return value


def cell_settings(format_options: Mapping[str, Any], cell_options: Mapping[str, Any], *,
                  knitr: bool = False) -> dict[str, Any]:
    """What applies to one cell: the format's ``execute`` options, for a chunk knitr runs (``knitr``) the
    document's ``knitr: opts_chunk:`` over them (Quarto merges them last into knitr's chunk defaults; knitr's
    dotted names are Quarto's hyphenated ones), then the cell's own ``#|`` options."""
    chunk_defaults = format_options.get("knitr", {}).get("opts_chunk") \
        if knitr and isinstance(format_options.get("knitr"), Mapping) else None
    return {**format_options["execute"],
            **{k: v for k, v in format_options.items() if k.startswith(CELL_PREFIXES) or k in DOCUMENT_CELL_OPTIONS},
            **({str(k).replace(".", "-"): v for k, v in chunk_defaults.items()}
               if isinstance(chunk_defaults, Mapping) else {}),
            **cell_options}


def number_option(options: Mapping[str, Any], name: str, kind: type[int] | type[float] = int, where: str = "") -> Any:
    """A numeric option (``toc-depth``, ``fig-width``, ``layout-ncol`` ...) or one clear error naming it."""
    value = options.get(name)
    try:
        if isinstance(value, bool) or value is None:
            raise ValueError
        converted = kind(value)
        if kind is int and converted != float(value):
            raise ValueError
    except (TypeError, ValueError):
        wanted = "a whole number" if kind is int else "a number"
        raise QmdError(f"{where + ': ' if where else ''}{name} must be {wanted}, not {value!r}.") from None
    if converted <= 0 and name != "toc-depth":
        raise QmdError(f"{where + ': ' if where else ''}{name} must be more than 0, not {value!r}.")
    return converted
