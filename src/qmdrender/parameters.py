"""Report parameters: parse them like Quarto, check them against the notebook, inject them safely.

Quarto (and papermill) take defaults from the cell tagged ``parameters`` and add a cell tagged
``injected-parameters`` right after it. ``-P key:value`` values are YAML scalars; lists come from an
``--execute-params`` YAML file. Only names the parameters cell declares are accepted, and values are
written into the kernel as Python literals (``repr``), so no name or value can run code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import nbformat
import yaml

from qmdrender.yamlfile import read_yaml_file


class ParameterError(ValueError):
    """A parameter the notebook does not declare, or a value of the wrong type."""


class RawValue(str):
    """A ``-P`` value before it is typed: YAML decides, unless the default is a string."""


def parse_cli_parameters(pairs: Iterable[str]) -> dict[str, Any]:
    """``["key:value", ...]`` from ``-P`` flags into a dict of raw values."""
    parameters: dict[str, Any] = {}
    for pair in pairs:
        name, separator, value = pair.partition(":")
        if not separator:
            raise ParameterError(f"-P {pair!r}: write parameters as key:value, e.g. -P max_new_tokens:10.")
        parameters[name.strip()] = RawValue(value)
    return parameters


def read_parameter_file(path: str | Path) -> dict[str, Any]:
    """An ``--execute-params`` YAML file: a mapping of parameter names to values."""
    loaded = read_yaml_file(Path(path), "--execute-params file", ParameterError)
    bad = [key for key in loaded if not isinstance(key, str)]
    if bad:
        raise ParameterError(f"--execute-params {path}: parameter names must be text, got {bad[0]!r}.")
    return loaded


def resolve_parameters(given: Mapping[str, Any], defaults: Mapping[str, Any], notebook: str) -> dict[str, Any]:
    """Check names against ``defaults`` and give each value its default's type."""
    resolved = {}
    for name, value in given.items():
        if not name.isidentifier() or name not in defaults:
            allowed = ", ".join(defaults) or "(none)"
            raise ParameterError(f"{notebook} has no parameter {name!r}. Allowed: {allowed}.")
        resolved[name] = _typed(name, value, defaults[name])
    return resolved


def _typed(name: str, value: Any, default: Any) -> Any:
    if isinstance(value, RawValue):  # a YAML scalar: quotes keep spaces, "5" is a number, true a bool
        raw = str(value)
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw.strip()
        if isinstance(default, str) and not isinstance(value, str):
            value = raw.strip()  # -P prompt:5 means the text "5" where the default is text
    expected = type(default)
    if default is None or (isinstance(value, expected) and (expected is not int or not isinstance(value, bool))):
        typed = value
    elif expected is float and isinstance(value, int) and not isinstance(value, bool):
        typed = float(value)
    else:
        raise ParameterError(
            f"Parameter {name!r} expects {_describe(expected)} (default {default!r}), got {value!r}."
        )
    _check_literal(name, typed)
    return typed


def _describe(kind: type) -> str:
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string",
            list: "a list (use --execute-params FILE)", dict: "a mapping (use --execute-params FILE)"}.get(
        kind, kind.__name__)


def _check_literal(name: str, value: Any) -> None:
    """Only plain data may cross into the kernel; its repr must read back as the same value."""
    try:
        same = ast.literal_eval(repr(value)) == value
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        same = False
    if not same:
        raise ParameterError(f"Parameter {name!r}: {value!r} is not plain data (numbers, strings, lists).")


def injected_parameters_cell(parameters: Mapping[str, Any]) -> nbformat.NotebookNode:
    """The cell Quarto/papermill add after the ``parameters`` cell."""
    lines = ["# Injected parameters"] + [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    cell.metadata["quarto"] = {"tags": ["injected-parameters"]}
    return cell
