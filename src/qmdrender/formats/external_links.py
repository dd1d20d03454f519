"""``link-external-icon``, ``link-external-newwindow`` and ``link-external-filter`` on pages and decks.

Quarto's script goes over the links to other sites in the reader's browser (not the navigation's): with
``link-external-newwindow: true`` one opens in a new window (``target="_blank"``, ``rel="noopener"``), with
``link-external-icon: true`` it is marked ``a.external`` and a small arrow out of a box follows it. A link is
external when its address is ``http(s)`` and on another host than the page's, or, with
``link-external-filter`` (a regular expression matching the site's own addresses), when the filter does not
match it. Links written anywhere (the text, the footer; a deck's footer again on every slide) are marked, as
Quarto's script marks them, so this is a script too; the icon is Bootstrap Icons' ``box-arrow-up-right``,
inlined.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from qmdrender.palette import svg_mask
from qmdrender.site_tools import icon_svg

_SCRIPT = """<script>(function () {
  var config = %s;
  var filter = config.filter ? new RegExp(config.filter) : null;
  function external(link) {
    var href = link.getAttribute("href") || "";
    if (!/^(https?:)?\\/\\//i.test(href)) return false;  // a page of the site, an anchor, mailto: ...
    return filter ? !filter.test(link.href) : link.host !== window.location.host;
  }
  // Quarto's: the arrow only with link-external-icon; the new window keeps a rel the author gave
  function mark(link) {
    if (!external(link) || link.matches(SKIPPED)) return;
    if (config.icon) link.classList.add("external");
    if (config.newwindow) {
      link.target = "_blank";
      if (link.getAttribute("rel") === null) link.rel = "noopener";
    }
  }
  // (not the navigation's links, the contents' or an about page's, as Quarto's script passes them by)
  var SKIPPED = ".nav-link, .navbar-brand, .toc-action, .sidebar-link, .sidebar-item-toggle, .pagination-link, " +
                ".no-external, [aria-hidden], .dropdown-item, .quarto-navigation-tool, .about-link";
  document.querySelectorAll("a[href]").forEach(mark);
  // a deck's footer, written again on every slide, stays marked (links an extension adds later are not, as
  // Quarto's script leaves them)
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.target.nodeType !== 1 || !record.target.closest(".footer")) return;
      record.target.querySelectorAll("a[href]").forEach(mark);
    });
  }).observe(document.body, {childList: true, subtree: true});
})();</script>"""


def external_links_html(options: Mapping[str, Any], *, bootstrap_page: bool = False) -> str:
    """The script (and the icon's style) for a page's or deck's external links; ``""`` when neither option is on.

    A Bootstrap page (Quarto's HTML unless ``theme: none`` or ``minimal``) carries the icon's rule whatever the
    options say, as Quarto's page does: a link the author marks ``.external`` shows the icon there too."""
    icon, newwindow = options.get("link-external-icon") is True, options.get("link-external-newwindow") is True
    bootstrap_page = bootstrap_page and options.get("theme") != "none" and options.get("minimal") is not True
    parts = []
    if icon or newwindow:
        config = {"icon": icon, "newwindow": newwindow, "filter": str(options.get("link-external-filter") or "")}
        parts.append(_SCRIPT % json.dumps(config))
    svg = icon_svg("box-arrow-up-right") if icon or bootstrap_page else ""
    if svg:  # the icon's shape as a mask, in the link's own colour
        parts.append("<style>a.external::after { content: \"\"; display: inline-block; width: 0.75em; "
                     "height: 0.75em; margin-left: 0.25em; vertical-align: -0.05em; background-color: currentColor; "
                     f"{svg_mask(svg)} }} div.sourceCode code a.external::after {{ content: none; }}</style>")
    return "\n".join(parts)
