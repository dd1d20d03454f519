"""A document's own Lua filters and extensions' filters get Quarto's Lua API, as in Quarto: before, any
filter that called ``quarto.doc.is_format`` (most extensions' filters do) stopped the render with
"attempt to index a nil value (global 'quarto')". Checked on what the reader sees: the page in headless
Chromium (a dependency's stylesheet applies, text included after the body) and the PDF's text (a LaTeX
package and preamble text the filter asked for)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .browser import REVEAL_READY, Browser
from .conftest import callout_title, pdf_text, render_cli, require_tool

# returns its filter, finds a sibling file through PANDOC_SCRIPT_FILE and quarto.utils.resolve_path
MARKED = """\
local helper = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "helper.lua"}))
return {
  {
    Div = function(div)
      if not div.classes:includes("marked") then return nil end
      if quarto.doc.is_format("html") then
        quarto.doc.add_html_dependency({name = "marked", version = "1", stylesheets = {"marked.css"}})
        quarto.doc.include_text("after-body", '<p id="after">' .. helper.word .. '</p>')
        return div
      end
      if quarto.doc.is_format("pdf") then
        quarto.doc.use_latex_package("xcolor")
        quarto.doc.include_text("in-header", "\\\\newcommand{\\\\acmeword}{" .. helper.word .. "}")
        return {pandoc.RawBlock("latex", "\\\\textcolor{red}{\\\\acmeword}"), table.unpack(div.content)}
      end
    end,
  },
}
"""
HELPER = 'return {word = "FROM-THE-HELPER"}\n'
# an extension's filter written with global functions, reading a file beside it
SHOUT = """\
function Str(element)
  if element.text == "profiles" then  -- quarto.project.profile: the active profiles
    return pandoc.Str("profiles:" .. table.concat(quarto.project.profile, "+"))
  end
  if element.text:match("^quiet") then
    local file = io.open(quarto.utils.resolve_path("word.txt"), "r")
    local word = file:read("l")
    file:close()
    return pandoc.Str(word .. element.text:sub(6))
  end
end
"""
DOCUMENT = """\
---
title: Filters with Quarto's API
filters: [marked.lua, shout]
format:
  html: default
  pdf: default
---

::: {.marked}
A marked block, quiet.
:::

Active profiles
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("lua-api")
    (folder / "marked.lua").write_text(MARKED)
    (folder / "helper.lua").write_text(HELPER)
    (folder / "marked.css").write_text(".marked { color: rgb(0, 0, 255); }\n")
    shout = folder / "_extensions" / "shout"
    shout.mkdir(parents=True)
    (shout / "_extension.yml").write_text("title: Shout\ncontributes:\n  filters:\n    - shout.lua\n")
    (shout / "shout.lua").write_text(SHOUT)
    (shout / "word.txt").write_text("LOUD\n")
    (folder / "doc.qmd").write_text(DOCUMENT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QUARTO_PROFILE", "lecture,print")
        code, stderr = render_cli(str(folder / "doc.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return {"out": folder / "out", "stderr": stderr}


def test_filters_calling_quartos_lua_api_shape_the_page(rendered):
    with Browser(1000, 700) as browser:
        browser.open((rendered["out"] / "doc.html").as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""(() => ({
            colour: getComputedStyle(document.querySelector('div.marked')).color,
            text: document.querySelector('div.marked').innerText.trim(),
            after: document.getElementById('after') && document.getElementById('after').innerText,
        }))()""")
    assert seen["colour"] == "rgb(0, 0, 255)"  # add_html_dependency: the stylesheet beside the filter
    assert seen["text"] == "A marked block, LOUD."  # the extension's global-function filter ran
    assert seen["after"] == "FROM-THE-HELPER"  # include_text after the body, a sibling found by PANDOC_SCRIPT_FILE


def test_filters_calling_quartos_lua_api_reach_the_pdf_preamble(rendered):
    text = " ".join(pdf_text(rendered["out"] / "doc.pdf").split())
    assert "FROM-THE-HELPER A marked block, LOUD." in text  # \usepackage{xcolor} and the \newcommand arrived
    assert "Active profiles:lecture+print" in text


# a filter and an extension's shortcode that build Quarto's own elements with its constructors
CONSTRUCTORS = """\
function Pandoc(doc)
  doc.blocks:insert(quarto.Callout({type = "warning", title = "Built by a filter",
                                    content = {pandoc.Para("Mind the gap.")}, collapse = false}))
  doc.blocks:insert(quarto.Tabset({tabs = {quarto.Tab({title = "One", content = {pandoc.Para("First tab.")}}),
                                           quarto.Tab({title = "Two", content = {pandoc.Para("Second tab.")}})}}))
  return doc
end
"""
NOTE_SHORTCODE = """\
return {
  ["note-box"] = function(args)
    return quarto.Callout({type = "note", icon = false, title = pandoc.Inlines({pandoc.Emph("Shortcode")}),
                           content = pandoc.Blocks({pandoc.Para(pandoc.utils.stringify(args[1]))})})
  end
}
"""


def _html_page(document: Path, out: Path) -> BeautifulSoup:
    """``document`` rendered to HTML in ``out``, parsed."""
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(out))
    assert code == 0, stderr
    return BeautifulSoup((out / f"{document.stem}.html").read_text(), "html.parser")


def test_quartos_callout_and_tabset_constructors_make_callouts_and_tabs(tmp_path):
    (tmp_path / "build.lua").write_text(CONSTRUCTORS)
    note = tmp_path / "_extensions" / "note-box"
    note.mkdir(parents=True)
    (note / "_extension.yml").write_text("title: Note box\ncontributes:\n  shortcodes:\n    - note-box.lua\n")
    (note / "note-box.lua").write_text(NOTE_SHORTCODE)
    (tmp_path / "doc.qmd").write_text("---\nfilters: [build.lua]\n---\n\n{{< note-box \"From the shortcode.\" >}}\n")
    soup = _html_page(tmp_path / "doc.qmd", tmp_path / "out")
    note_box, warning = soup.select(".callout")  # collapse: false is an open collapsible callout
    assert "callout-note" in note_box["class"]
    assert note_box.select_one(".callout-title-container em").text == "Shortcode"
    assert note_box.select_one(".callout-body").get_text(" ", strip=True) == "From the shortcode."
    assert "callout-warning" in warning["class"]
    assert callout_title(warning) == "Built by a filter"
    assert warning.select_one(".callout-header")["aria-expanded"] == "true" and warning.select_one(".collapse.show")
    assert [tab.get_text(strip=True) for tab in soup.select(".panel-tabset [role=tab]")] == ["One", "Two"]
    assert [p.get_text(strip=True) for p in soup.select(".panel-tabset [role=tabpanel] p")] == \
        ["First tab.", "Second tab."]


NODE_FILTER = """\
-- as a public course site's filter does: an icon before each tab title of one group's tabsets
function Tabset(el)
  if el.attr.attributes["group"] == "tools" then
    for _, tab in ipairs(el.tabs) do
      tab.title.content:insert(1, pandoc.Str("[" .. pandoc.utils.stringify(tab.title) .. "]"))
    end
  end
  return el
end

function Callout(el)
  if el.type == "tip" then
    el.type = "important"
    el.title = pandoc.Inlines({pandoc.Str("Remember")})
  end
  return el
end
"""


def test_a_filters_tabset_and_callout_functions_get_quartos_custom_nodes(tmp_path):
    (tmp_path / "nodes.lua").write_text(NODE_FILTER)
    (tmp_path / "doc.qmd").write_text(
        "---\nfilters: [nodes.lua]\n---\n\n::: {.panel-tabset group=\"tools\"}\n## Lab\n\nIn the lab.\n\n"
        "## Home\n\nAt home.\n:::\n\n::: {.panel-tabset}\n## Plain\n\nUntouched.\n:::\n\n"
        "::: {.callout-tip .wide data-x=\"1\"}\n## Hint\n\nSave often.\n:::\n")
    soup = _html_page(tmp_path / "doc.qmd", tmp_path / "out")
    first, second = soup.select(".panel-tabset")
    assert [a.get_text(strip=True) for a in first.select("[role=tab]")] == ["[Lab]Lab", "[Home]Home"]
    assert first["data-group"] == "tools" and [p.get_text(strip=True) for p in first.select("[role=tabpanel]")] == \
        ["In the lab.", "At home."]
    assert [a.get_text(strip=True) for a in second.select("[role=tab]")] == ["Plain"]
    callout = soup.select_one(".callout")
    # its own class and attribute kept, as Quarto keeps the node's attributes
    assert "callout-important" in callout["class"] and "wide" in callout["class"] and callout["data-x"] == "1"
    assert callout_title(callout) == "Remember"
    assert callout.select_one(".callout-body").get_text(" ", strip=True) == "Save often."


def test_filters_read_metadata_and_project_variables_by_dotted_keys(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n")
    (tmp_path / "_variables.yml").write_text("course:\n  code: STAT-101\n")
    (tmp_path / "fill.lua").write_text(
        "function Span(span)\n"
        "  if span.identifier == 'var' then span.content = {pandoc.Str(pandoc.utils.stringify("
        "quarto.variables.get('course.code')))} end\n"
        "  if span.identifier == 'meta' then span.content = {pandoc.Str(pandoc.utils.stringify("
        "quarto.metadata.get('term.season')))} end\n"
        "  return span\nend\n")
    (tmp_path / "doc.qmd").write_text("---\nfilters: [fill.lua]\nterm:\n  season: Autumn\n---\n\n"
                                      "Course []{#var}, term []{#meta}.\n")
    soup = _html_page(tmp_path / "doc.qmd", tmp_path / "out")
    assert soup.find(id="var").get_text() == "STAT-101" and soup.find(id="meta").get_text() == "Autumn"


def test_a_filter_calling_the_apis_camel_case_names_runs_as_in_quarto(tmp_path):
    # the uni.lu deck theme's filter calls quarto.doc.hasBootstrap(), Quarto's older spelling
    (tmp_path / "camel.lua").write_text(
        "function Span(span)\n"
        "  if span.identifier ~= 'which' then return nil end\n"
        "  local bootstrap = quarto.doc.hasBootstrap() and 'bootstrap' or 'plain'\n"
        "  local html = quarto.format.isHtmlOutput() and 'html' or 'other'\n"
        "  local path = quarto.utils.resolvePath('x.txt'):match('x%.txt$') and 'resolved' or 'lost'\n"
        "  span.content = {pandoc.Str(bootstrap .. '/' .. html .. '/' .. path)}\n"
        "  return span\nend\n")
    (tmp_path / "doc.qmd").write_text("---\nfilters: [camel.lua]\n---\n\nThe page is []{#which}.\n")
    soup = _html_page(tmp_path / "doc.qmd", tmp_path / "out")
    assert soup.find(id="which").get_text() == "bootstrap/html/resolved"


def test_a_filter_requires_a_module_by_its_path_and_encodes_with_quarto_base64(tmp_path):
    # the comic deck theme requires its helpers by their whole path; the editable one embeds with base64
    (tmp_path / "_modules").mkdir()
    (tmp_path / "_modules" / "helpers.lua").write_text("return {word = 'helped'}\n")
    (tmp_path / "b64.lua").write_text(
        "local helpers = require(quarto.utils.resolve_path('_modules/helpers.lua'):gsub('%.lua$', ''))\n"
        "function Span(span)\n"
        "  if span.identifier ~= 'b64' then return nil end\n"
        "  local encoded = quarto.base64.encode('Many hands make light work.')\n"
        "  local back = quarto.base64.decode(quarto.base64.encode('ab'))\n"
        "  span.content = {pandoc.Str(helpers.word .. ':' .. encoded .. ':' .. back)}\n"
        "  return span\nend\n")
    (tmp_path / "doc.qmd").write_text("---\nfilters: [b64.lua]\n---\n\nEncoded: []{#b64}.\n")
    soup = _html_page(tmp_path / "doc.qmd", tmp_path / "out")
    # RFC 4648's example pair, and a two-byte text that needs one "=" of padding back again
    assert soup.find(id="b64").get_text() == "helped:TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu:ab"


def test_an_extensions_shortcodes_load_their_modules_and_a_filter_asks_for_a_brand_as_in_quarto(tmp_path):
    # iconify loads its modules by their whole path when its shortcode file loads; highlight-text asks
    # quarto.brand for a light mode and requires Quarto's own brand module for a colour's name
    icon = tmp_path / "_extensions" / "icon"
    (icon / "_modules").mkdir(parents=True)
    (icon / "_modules" / "text.lua").write_text("return {shout = function(s) return s:upper() end}\n")
    (icon / "_extension.yml").write_text("title: Icon\ncontributes:\n  shortcodes:\n    - icon.lua\n")
    (icon / "icon.lua").write_text(
        "local text = require(quarto.utils.resolve_path('_modules/text.lua'):gsub('%.lua$', ''))\n"
        "return {icon = function(args) return pandoc.Str(text.shout(pandoc.utils.stringify(args[1]))) end}\n")
    (tmp_path / "tint.lua").write_text(
        "function Span(span)\n"
        "  if span.identifier ~= 'tint' then return nil end\n"
        "  local brand = require('modules/brand/brand')\n"
        "  local colour = brand.get_color('light', 'red') or 'red'\n"
        "  local mode = quarto.brand.has_mode('light') and 'branded' or 'plain'\n"
        "  assert(#pandoc.Null() == 0)  -- pandoc 3 has no Null; Quarto's stand-in is an empty list\n"
        "  span.content = {pandoc.Str(mode .. ':' .. colour)}\n"
        "  return span\nend\n")
    (tmp_path / "doc.qmd").write_text("---\nfilters: [tint.lua]\n---\n\nIcon {{< icon star >}}, []{#tint}.\n")
    soup = _html_page(tmp_path / "doc.qmd", tmp_path / "out")
    assert "Icon STAR" in soup.get_text() and soup.find(id="tint").get_text() == "plain:red"
    # with a brand, the filter gets its light mode and colours by name, a palette name resolved (Quarto's
    # brand test-01: get_color("light", "primary") is the palette's "#ff0000")
    (tmp_path / "doc.qmd").write_text("---\nfilters: [tint.lua]\nbrand:\n  color:\n    palette:\n"
                                      "      red: '#ff0000'\n    primary: red\n---\n\n"
                                      "Icon {{< icon star >}}, []{#tint}.\n")
    soup = _html_page(tmp_path / "doc.qmd", tmp_path / "out")
    assert soup.find(id="tint").get_text() == "branded:#ff0000"


def test_an_extensions_filter_given_with_its_place_runs_and_a_shortcode_file_knows_its_own_path(tmp_path):
    # lua-env lists "- path: lua-env-filter.lua / at: pre-quarto"; downloadthis finds its helper module from
    # PANDOC_SCRIPT_FILE while its shortcode file loads
    extension = tmp_path / "_extensions" / "kit"
    extension.mkdir(parents=True)
    (extension / "_extension.yml").write_text(
        "title: Kit\ncontributes:\n  filters:\n    - path: kit-filter.lua\n      at: pre-quarto\n"
        "  shortcodes:\n    - kit-shortcode.lua\n")
    (extension / "kit-filter.lua").write_text(
        "function Span(span)\n  if span.identifier == 'kit' then span.content = {pandoc.Str('filtered')} end\n"
        "  return span\nend\n")
    (extension / "helper.lua").write_text("return {word = 'beside'}\n")
    (extension / "kit-shortcode.lua").write_text(
        "local folder = PANDOC_SCRIPT_FILE:match('(.*[/\\\\])')\n"
        "package.path = folder .. '?.lua;' .. package.path\n"
        "local helper = require('helper')\n"
        "return {kit = function() return pandoc.Str(helper.word) end}\n")
    (tmp_path / "doc.qmd").write_text("---\nfilters: [kit]\n---\n\nA []{#kit} span, a {{< kit >}} helper.\n")
    soup = _html_page(tmp_path / "doc.qmd", tmp_path / "out")
    assert soup.find(id="kit").get_text() == "filtered" and "a beside helper" in soup.get_text()


def test_a_filter_finds_the_projects_files_by_quarto_project_offset(tmp_path):
    # as quartodoc's interlinks filter reads objects.json at the project's root from a page in a folder
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\nfilters: [find.lua]\n")
    (tmp_path / "objects.txt").write_text("found at the root\n")
    (tmp_path / "find.lua").write_text(
        "function Span(span)\n"
        "  local file = io.open(quarto.project.offset .. '/objects.txt', 'r')\n"
        "  span.content = {pandoc.Str(quarto.project.offset .. ':' .. (file and file:read('l') or 'none'))}\n"
        "  return span\nend\n")
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "page.qmd").write_text("---\ntitle: Page\n---\n\nSee []{#seen}.\n")
    soup = _html_page(tmp_path / "guide" / "page.qmd", tmp_path / "out")
    assert soup.find(id="seen").get_text() == "..:found at the root"


# an extension like reveal-header: a dependency for the head (a deferred script that moves a div the filter
# adds at the end of the document), a script for after the body, and text for the head
HEADER_FILTER = """\
quarto.doc.add_html_dependency({name = "banner", version = "1", stylesheets = {"banner.css"},
  scripts = {{path = "banner.js", attribs = {defer = "true"}}, {path = "late.js", afterBody = true}}})
quarto.doc.include_text("in-header", '<meta name="banner-note" content="in the head">')
function Pandoc(doc)
  doc.blocks:insert(pandoc.Div(pandoc.Para("Banner text"), {class = "banner"}))
  return doc
end
"""


def test_an_extensions_dependencies_go_to_the_head_and_add_no_slide_to_a_deck(tmp_path):
    # before, they were a raw block at the top of the body, which a deck made a slide of its own
    extension = tmp_path / "_extensions" / "banner"
    extension.mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: Banner\ncontributes:\n  filters:\n    - banner.lua\n")
    (extension / "banner.lua").write_text(HEADER_FILTER)
    (extension / "banner.css").write_text(".reveal .banner { color: rgb(0, 128, 0); }\n")
    (extension / "banner.js").write_text("document.querySelector('.reveal')"
                                         ".prepend(document.querySelector('.banner'));\n")
    (extension / "late.js").write_text("document.body.dataset.late = String(!!document.querySelector('.reveal'));\n")
    # a hidden first slide takes none of it away with it
    (tmp_path / "deck.qmd").write_text("---\ntitle: Banner\nfilters: [banner]\nformat: revealjs\n---\n\n"
                                       "## Draft {visibility=\"hidden\"}\n\nNot shown.\n\n"
                                       "## One\n\nFirst.\n\n## Two\n\nSecond.\n")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "deck.html").read_text(encoding="utf-8"), "html.parser")
    assert [s.get("id") for s in soup.select("div.slides > section")] == ["title-slide", "one", "two"]
    assert soup.head.select_one('meta[name="banner-note"]')["content"] == "in the head"
    with Browser(1000, 700) as browser:
        # a deferred script runs once the page is read, which may be after reveal.js is ready
        browser.open((tmp_path / "out" / "deck.html").as_uri(),
                     wait_for=f"({REVEAL_READY}) && document.readyState === 'complete'")
        seen = browser.evaluate("""(() => ({
            moved: document.querySelector('.reveal > .banner') !== null,  // the deferred script ran on the page
            colour: getComputedStyle(document.querySelector('.banner')).color,
            late: document.body.dataset.late,
        }))()""")
    assert seen == {"moved": True, "colour": "rgb(0, 128, 0)", "late": "true"}
