"""reveal.js plugins that extensions contribute (``revealjs-plugins:``), as Quarto loads them.

A deck names extensions (``revealjs-plugins: [attribution]``); each one's ``_extension.yml`` lists plugins
under ``contributes: revealjs-plugins`` with the ``name`` of the global the plugin's script defines, its
``script`` and ``stylesheet`` files and an optional ``config`` (https://quarto.org/docs/extensions/revealjs.html).
The deck stays one offline file, so scripts and stylesheets are inlined. Plugins often listen for
reveal.js's ``ready`` event, so they must be registered before the deck starts: the scripts go just before
pandoc's ``Reveal.initialize`` and the plugins into its ``plugins`` list (pandoc's template has no variable
there, so the written page is edited at that one place). Config values come from the deck's options of
the same name, else the plugin's defaults.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qmdrender.extensions import as_list, named_extension
from qmdrender.types import warn

_INITIALIZE = "Reveal.initialize({"
# Some plugins load their own stylesheet from beside their script and wait for it before the deck starts
# (simplemenu); the deck is one file with the stylesheet inlined, so such a link is answered with an empty
# stylesheet (it loads, the plugin goes on) instead of a missing file that would hold the deck back for ever.
_STYLESHEET_LOADS = """<script>(function (inlined) {
  new MutationObserver(function (changes) { changes.forEach(function (change) { change.addedNodes.forEach(
    function (node) {
      if (node.tagName !== "LINK" || node.rel !== "stylesheet") return;
      var file = (node.getAttribute("href") || "").split(/[?#]/)[0].split("/").pop();
      if (inlined.indexOf(file) >= 0) node.href = "data:text/css,";
    }); }); }).observe(document.head, {childList: true});
})(%s);</script>"""
_PLUGINS = "plugins: ["


@dataclass(frozen=True)
class Plugin:
    """A reveal.js plugin: the global its scripts define, the scripts' and stylesheets' text, ``config``
    (defaults that the deck's options of the same name replace) and ``settings`` (given as they are)."""
    name: str
    scripts: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    register: bool = True
    settings: dict[str, Any] = field(default_factory=dict)
    stylesheet_names: list[str] = field(default_factory=list)  # the files' names, as a script may load them


def deck_plugins(option: Any, folder: Path, project: Path | None) -> list[Plugin]:
    """The plugins of the extensions a deck names; one that cannot be found is a warning."""
    found = []
    for entry in as_list(option):
        extension = named_extension(str(entry), folder, project)
        listed = as_list(extension.contributes.get("revealjs-plugins")) if extension else []
        if not listed:
            warn(f"revealjs-plugins: {entry} is not an extension in _extensions that contributes reveal.js plugins; "
                 "it is left out.")
            continue
        for plugin in listed:
            if isinstance(plugin, Mapping) and plugin.get("name"):
                found.append(_plugin(plugin, extension.folder))
    return found


def _plugin(entry: Mapping[str, Any], folder: Path) -> Plugin:
    def files(key: str) -> list[str]:
        texts = []
        for item in as_list(entry.get(key)):
            name = item.get("path") if isinstance(item, Mapping) else item
            path = folder / str(name)
            if path.is_file():
                texts.append(path.read_text(encoding="utf-8"))
            else:
                warn(f"reveal.js plugin {entry['name']}: {name} does not exist in {folder}; it is left out.")
        return texts

    config = entry.get("config")
    names = [Path(str(item.get("path") if isinstance(item, Mapping) else item)).name
             for item in as_list(entry.get("stylesheet"))]
    return Plugin(str(entry["name"]), files("script"), files("stylesheet"),
                  dict(config) if isinstance(config, Mapping) else {}, entry.get("register", True) is not False,
                  stylesheet_names=names)


def add_plugins(page: Path, plugins: list[Plugin], options: Mapping[str, Any]) -> None:
    """Inline the plugins' files before the deck starts and register them with reveal.js."""
    if not plugins:
        return
    html = page.read_text(encoding="utf-8")
    start = html.find(_INITIALIZE)
    script_tag = html.rfind("<script", 0, start)
    listed = html.find(_PLUGINS, start)
    if start < 0 or script_tag < 0 or listed < 0:
        warn(f"{page.name}: the reveal.js plugins could not be added (the page has no Reveal.initialize).")
        return
    stylesheets = [name for plugin in plugins for name in plugin.stylesheet_names]
    assets = [_STYLESHEET_LOADS % json.dumps(stylesheets)] if stylesheets else []
    for plugin in plugins:
        assets += [f"<style>{text}</style>" for text in plugin.stylesheets]
        assets += [f"<script>{_escaped(text)}</script>" for text in plugin.scripts]
    config: dict[str, Any] = {}
    for plugin in plugins:
        config.update(plugin.settings)
        for key, default in plugin.config.items():
            value = options.get(key, default)
            config[key] = _merged(default, value)
    settings = "".join(f"{json.dumps(key)}: {json.dumps(value)}, " for key, value in config.items())
    # a global the scripts failed to define is left out rather than stopping the deck with a ReferenceError
    names = "".join(f"...(typeof {plugin.name} === 'undefined' ? [] : [{plugin.name}]), "
                    for plugin in plugins if plugin.register)
    html = (html[:script_tag] + "\n".join(assets) + "\n" + html[script_tag:listed] + settings + _PLUGINS + names
            + html[listed + len(_PLUGINS):])
    page.write_text(html, encoding="utf-8")


def _merged(default: Any, value: Any) -> Any:
    """The deck's ``value`` over the plugin's ``default``, mapping into mapping at every depth (as Quarto merges
    them: a deck that sets ``barhtml: {header: ...}`` keeps the default ``footer``)."""
    if isinstance(default, Mapping) and isinstance(value, Mapping):
        return {**default, **{key: _merged(default.get(key), item) for key, item in value.items()}}
    return value


def _escaped(script: str) -> str:
    """``script`` safe inside ``<script>``: a ``</script`` in its strings would end the element."""
    return script.replace("</script", "<\\/script")
