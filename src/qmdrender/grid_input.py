"""A grid's input, checked: the parameter sets of a grid file, and a unique, safe file name (slug) for each.

A grid file is a list of parameter mappings, or a mapping of lists whose product is the grid, or
``{sets: [...]}`` / ``{product: {...}}`` with ``shared: {...}`` values for every set. It is checked
with limits before anything runs, each problem one clear line: at most :data:`MAX_SETS` sets
(counted before a product is built), no YAML anchors or aliases (a "billion laughs" file), values
nested at most :data:`MAX_DEPTH` deep, parameter names that are text. ``--name-template`` may only
name parameters (``{prompt}``, ``{n:03d}``): no attribute or index access, widths up to
:data:`MAX_WIDTH`. Slugs are readable, filesystem-safe, unique, stable, and never a name the grid
itself writes (``index``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from qmdrender.parameters import ParameterError
from qmdrender.yamlfile import parse_yaml

SLUG_MAX = 60
MAX_SETS = 10_000
MAX_DEPTH = 8
MAX_WIDTH = 100
RESERVED_SLUGS = frozenset({"index"})  # the grid's own index.html, index.md, index.csv


@dataclass(frozen=True)
class GridSet:
    slug: str
    parameters: dict[str, Any]


def _no_aliases(text: str, where: str) -> None:
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise ParameterError(f"{where}: YAML anchors and aliases (&name, *name) are not allowed in a grid "
                                     "file; write each value out.")
    except yaml.YAMLError:
        return  # parse_yaml reports the syntax error with its position


def _depth(value: Any, limit: int) -> int:
    if limit < 0:
        return 1
    if isinstance(value, Mapping):
        return 1 + max((_depth(v, limit - 1) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v, limit - 1) for v in value), default=0)
    return 0


def _check_names(mapping: Mapping[Any, Any], where: str) -> None:
    bad = [k for k in mapping if not isinstance(k, str)]
    if bad:
        raise ParameterError(f"{where}: parameter names must be text, got {bad[0]!r}.")


def read_grid(path: Path) -> list[dict[str, Any]]:
    """The parameter sets a grid file describes (see the module docstring)."""
    where = f"--grid {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ParameterError(f"{where}: cannot read it ({' '.join(str(error).split())}).") from None
    _no_aliases(text, where)
    loaded = parse_yaml(text, where, ParameterError)
    shared: dict[str, Any] = {}
    if isinstance(loaded, Mapping) and ({"sets", "product", "shared"} & set(loaded)):
        if not isinstance(loaded.get("shared") or {}, Mapping):
            raise ParameterError(f"{where}: 'shared:' holds 'name: value' lines, not {loaded['shared']!r:.80}.")
        shared = dict(loaded.get("shared") or {})
        _check_names(shared, where)
        loaded = loaded.get("sets", loaded.get("product"))
    if isinstance(loaded, list):
        if not loaded or not all(isinstance(item, Mapping) for item in loaded):
            raise ParameterError(f"{where}: a list grid holds one 'name: value' mapping per set.")
        if len(loaded) > MAX_SETS:
            raise ParameterError(f"{where}: {len(loaded):,} sets; a grid has at most {MAX_SETS:,}.")
        sets = [dict(item) for item in loaded]
    elif isinstance(loaded, Mapping):
        _check_names(loaded, where)
        not_lists = [k for k, v in loaded.items() if not isinstance(v, list) or not v]
        if not_lists:
            raise ParameterError(f"{where}: in a product grid every value is a non-empty list of choices "
                                 f"({', '.join(map(str, not_lists))} is not); put fixed values under 'shared:'.")
        count = math.prod(len(v) for v in loaded.values())
        if count > MAX_SETS:
            raise ParameterError(f"{where}: the product is {count:,} sets; a grid has at most {MAX_SETS:,}.")
        names = list(loaded)
        sets = [dict(zip(names, values, strict=True)) for values in itertools.product(*loaded.values())]
    else:
        raise ParameterError(f"{where}: expected a list of parameter sets or a mapping of lists.")
    for item in sets:
        _check_names(item, where)
    combined = [{**shared, **item} for item in sets]
    if any(_depth(value, MAX_DEPTH) > MAX_DEPTH for item in combined for value in item.values()):
        raise ParameterError(f"{where}: values are nested more than {MAX_DEPTH} deep.")
    return combined


def slugify(text: str, limit: int | None = SLUG_MAX) -> str:
    """Lower-case ASCII letters, digits and single dashes; nothing a file system or URL minds."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") if limit else slug


def check_template(template: str, names: Sequence[str]) -> None:
    """``--name-template`` may name parameters and format them, nothing more (see the module docstring)."""
    where = f"--name-template {template[:80]!r}"
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as error:
        raise ParameterError(f"{where}: {error}.") from None
    for _, name, spec, _ in fields:
        if name is None:
            continue
        if not name.isidentifier():
            raise ParameterError(f"{where}: {{{name}}} is not a parameter name (write {{name}}, without '.' or "
                                 "'[' or a number).")
        if name not in names:
            raise ParameterError(f"{where}: {name} is not a parameter of every set ({', '.join(names)}).")
        if spec and ("{" in spec or any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec))):
            raise ParameterError(f"{where}: the format {spec!r} is too wide (at most {MAX_WIDTH}).")


def make_sets(parameters: Sequence[Mapping[str, Any]], template: str | None = None) -> list[GridSet]:
    """A unique, stable slug per set: the template (or the varying values) slugified, with a short hash
    of the set's values where that is empty, truncated, shared by two sets or reserved."""
    varying = [k for k in dict.fromkeys(k for p in parameters for k in p)
               if len({json.dumps(p.get(k), sort_keys=True, default=str) for p in parameters}) > 1]
    if template:
        check_template(template, [k for k in dict.fromkeys(k for p in parameters for k in p)
                                  if all(k in p for p in parameters)])
    readable = []
    for values in parameters:
        if template:
            try:
                readable.append(template.format(**values))
            except (KeyError, IndexError, ValueError, TypeError) as error:
                raise ParameterError(f"--name-template {template[:80]!r}: {error}.") from None
        else:
            readable.append("-".join(f"{k}-{_short(values.get(k))}" for k in varying) or "set")
    slugs = [slugify(text) for text in readable]
    counts = Counter(slugs)
    result: list[GridSet] = []
    taken: set[str] = set()
    for values, text, slug in zip(parameters, readable, slugs, strict=True):
        digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:8]
        truncated = len(slugify(text, limit=None)) > SLUG_MAX
        if not slug or counts[slug] > 1 or truncated or slug in RESERVED_SLUGS:
            slug = f"{slug[: SLUG_MAX - 9]}-{digest}".strip("-")
        unique, number = slug, 2
        while unique in taken:  # the very same values twice: still two files
            unique, number = f"{slug}-{number}", number + 1
        taken.add(unique)
        result.append(GridSet(unique, dict(values)))
    return result


def _short(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)
