"""Reader comments on HTML pages (``comments:``), as Quarto embeds them: Hypothesis annotations, or an
Utterances or Giscus thread under the text (https://quarto.org/docs/output-formats/html-basics.html
#commenting).

These are online services: the page carries the service's own embed script, which the reader's browser
loads when it is online (like a theme's web-font ``@import``); nothing is fetched while rendering, and
nothing of theirs is bundled. ``comments: false`` on a page turns a site's comments off there. A Giscus
thread needs the repository's and category's ids (Quarto looks them up on GitHub; offline they must be
given): without them the thread is left out with a warning saying what to add.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from qmdrender.types import warn

_HYPOTHESIS = "https://hypothes.is/embed.js"
_UTTERANCES = "https://utteranc.es/client.js"
_GISCUS = "https://giscus.app/client.js"
_GISCUS_KEYS = ("repo", "repo-id", "category", "category-id", "mapping", "reactions-enabled", "loading",
                "input-position", "theme", "language")


def _attributes(values: Mapping[str, Any]) -> str:
    return "".join(f' {name}="{html.escape(str(value).lower() if isinstance(value, bool) else str(value))}"'
                   for name, value in values.items() if value is not None)


def comments_html(option: Any) -> str:
    """The embed code for the page's ``comments`` option, for ``--include-after-body``; ``""`` for none."""
    if not isinstance(option, Mapping):
        if option not in (None, False):
            warn("comments: expected hypothesis, utterances or giscus settings (comments: {utterances: {repo: "
                 "owner/name}}); no comments are shown.")
        return ""
    parts = []
    hypothesis = option.get("hypothesis")
    if hypothesis not in (None, False):
        config = json.dumps(dict(hypothesis) if isinstance(hypothesis, Mapping) else {}).replace("</", "<\\/")
        parts.append(f'<script type="application/json" class="js-hypothesis-config">{config}</script>'
                     f'<script async src="{_HYPOTHESIS}"></script>')
    utterances = option.get("utterances")
    if isinstance(utterances, Mapping) and utterances.get("repo"):
        settings = {"repo": utterances["repo"], "issue-term": utterances.get("issue-term", "pathname"),
                    "label": utterances.get("label"), "theme": utterances.get("theme", "github-light")}
        parts.append(f'<div id="quarto-comments" class="quarto-comments"><script src="{_UTTERANCES}"'
                     f'{_attributes(settings)} crossorigin="anonymous" async></script></div>')
    elif utterances not in (None, False):
        warn("comments: utterances needs the GitHub repository that stores the comments (utterances: {repo: "
             "owner/name}); no comments are shown.")
    giscus = option.get("giscus")
    if isinstance(giscus, Mapping) and all(giscus.get(key) for key in ("repo", "repo-id", "category-id")):
        settings = {"mapping": "title", "reactions-enabled": "1", "input-position": "top", "theme": "light",
                    "loading": "lazy", "category": "General", "language": "en",
                    **{key: giscus[key] for key in _GISCUS_KEYS if giscus.get(key) is not None}}
        if isinstance(settings.get("reactions-enabled"), bool):
            settings["reactions-enabled"] = "1" if settings["reactions-enabled"] else "0"
        data = {f"data-{'lang' if key == 'language' else key}": value for key, value in settings.items()}
        parts.append(f'<div id="quarto-comments" class="quarto-comments giscus"><script src="{_GISCUS}"'
                     f'{_attributes(data)} crossorigin="anonymous" async></script></div>')
    elif giscus not in (None, False):
        warn("comments: giscus needs repo, repo-id and category-id (the ids are shown by the configuration tool "
             "at https://giscus.app; Quarto looks them up online, which the embedded renderer cannot); no "
             "comments are shown.")
    return "\n".join(parts)
