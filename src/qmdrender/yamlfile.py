"""YAML for the renderer, read in one place: one clear error that names the file, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class RExpression(str):
    """A value written ``!expr code`` (knitr's tag: R code that knitr evaluates, ``fig-cap: !expr
    glue::glue(...)``), kept as the code's text: R is shown, not run, here."""


class _Loader(yaml.SafeLoader):
    """YAML's safe types, and knitr's ``!expr``, which Quarto's reader accepts in any document."""


class _Dumper(yaml.SafeDumper):
    """Writes what :class:`_Loader` reads: an ``!expr`` value as its text."""


_Loader.add_constructor("!expr", lambda loader, node: RExpression(loader.construct_scalar(node)))
_Dumper.add_representer(RExpression, lambda dumper, value: dumper.represent_str(str(value)))


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def parse_yaml(text: str, where: str, error: type[Exception] = ValueError) -> Any:
    """``text`` as YAML (safe types only); ``where`` starts the message of the ``error`` raised."""
    try:
        return yaml.load(text, Loader=_Loader) if text.strip() else None  # _Loader is a SafeLoader
    except yaml.YAMLError as problem:
        raise error(f"{where} is not valid YAML: {_one_line(problem)}") from None
    except RecursionError:
        raise error(f"{where} is nested too deeply to be read.") from None
    except ValueError as problem:  # a value YAML recognises and cannot build, e.g. the date 2024-13-45
        raise error(f"{where} has a value YAML cannot read: {_one_line(problem)}") from None


def read_yaml_file(path: Path, what: str, error: type[Exception] = ValueError) -> dict[str, Any]:
    """A YAML file of ``key: value`` lines (an empty file is ``{}``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error(f"{path}: the {what} is not UTF-8 text; save it as UTF-8.") from None
    except OSError as problem:
        raise error(f"{path}: cannot read the {what} ({problem.strerror}).") from None
    return parse_mapping(text, f"{path}: the {what}", error)


def parse_mapping(text: str, where: str, error: type[Exception] = ValueError) -> dict[str, Any]:
    """YAML that must be ``key: value`` lines (front matter, a project file); empty text is ``{}``."""
    loaded = parse_yaml(text, where, error)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise error(f"{where} must be 'key: value' lines, not a {type(loaded).__name__}.")
    return loaded


def dump_yaml(value: Any) -> str:
    """YAML text for metadata blocks and parameter files: Unicode as is, keys in their order."""
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
