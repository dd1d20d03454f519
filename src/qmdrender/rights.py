"""A document's ``license`` and ``copyright`` in the form Quarto gives them before anything reads them.

Quarto turns ``license: CC BY`` into ``{text: "CC BY 4.0", url: ..., type: creative-commons}`` and any
other string into ``{text: ...}``, and ``copyright: "2024 My Company"`` into ``{statement: ...}``. So
``{{< meta license.text >}}`` in the text reads the same words the page's "Reuse" section shows
(``filters/appendix.lua``), which reads these mappings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Creative Commons licences by the short names Quarto reads, and where their text is.
CREATIVE_COMMONS = {
    "CC BY": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC BY-SA": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC BY-ND": ("CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    "CC BY-NC": ("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "CC BY-NC-SA": ("CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    "CC BY-NC-ND": ("CC BY-NC-ND 4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"),
    "CC0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}


def with_rights_normalised(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """``metadata`` with a string ``license`` or ``copyright`` as the mapping Quarto makes of it."""
    result = dict(metadata)
    license_value = result.get("license")
    if isinstance(license_value, str):
        known = CREATIVE_COMMONS.get(" ".join(license_value.upper().split()))
        result["license"] = {"text": known[0], "url": known[1], "type": "creative-commons"} if known \
            else {"text": license_value}
    if isinstance(result.get("copyright"), str):
        result["copyright"] = {"statement": result["copyright"]}
    return result
