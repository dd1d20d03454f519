-- Callouts as Quarto documents them: ::: {.callout-note} (tip, warning, caution, important) with a
-- default title, a title from title="..." or from a first heading, appearance="default|simple|minimal",
-- icon=false, and collapse="true|false" (Quarto's collapsible header). In LaTeX a breakable tcolorbox. The
-- document's callout-appearance and callout-icon options are the defaults for its callouts. A plain
-- ::: {.callout} is of no kind: grey, no default title (no header without one), simple and without an
-- icon unless the callout or the document says otherwise. In HTML a title of the author's own is preceded
-- by the kind's name for screen readers only, as Quarto writes it; decks have Quarto's reveal.js markup.
-- A callout whose id starts with its kind's prefix (#nte-, #tip-, #wrn-, #imp-, #cau-) is numbered per
-- kind, titled "Tip 1: Title" (or "Tip 1"), and @tip-x refers to it as "Tip 1", linked, as in Quarto.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
-- Titles and icons of the kinds come from the palette (qmdrender/palette.py) through the metadata.
local TYPES, ICONS, COLOURS, TINTS = {}, {}, {}, {}
local default_appearance, default_icon = "default", true
local appearance_set, icon_set = false, false  -- whether the document chose them (a plain callout's differ)
local PREFIXES = {nte = "note", tip = "tip", wrn = "warning", imp = "important", cau = "caution"}
local WORDS = {}      -- prefix -> the reference word ("Tip"; language: crossref-tip-prefix)
local numbers = {}    -- id -> number (text)
local delim = ":"     -- between "Tip 1" and the title (crossref: title-delim)
local gfm = false     -- GitHub Markdown: callouts are GitHub's alerts

local function callout_type(div)
  for _, class in ipairs(div.classes) do
    if class == "callout" then return "none" end
    local kind = class:match("^callout%-(%a+)$")
    if kind and TYPES[kind] then return kind end
  end
end

-- The appearance and whether an icon shows: the callout's own, the document's, the kind's default.
local function style_of(div, kind)
  local appearance = div.attributes.appearance or
    ((kind == "none" and not appearance_set) and "simple" or default_appearance)
  local icon_default = default_icon
  if kind == "none" and not icon_set then icon_default = false end
  local icon = (div.attributes.icon or tostring(icon_default)) ~= "false" and appearance ~= "minimal"
  -- Quarto draws "minimal" as "simple" without an icon, on pages, decks and paper alike
  if appearance == "minimal" then appearance = "simple" end
  return appearance, icon
end

local function title_of(div, kind)
  local content = pandoc.Blocks({table.unpack(div.content)})
  if div.attributes.title then
    return pandoc.read(div.attributes.title, "markdown").blocks[1].content, content
  end
  if content[1] and content[1].t == "Header" then
    local heading = content:remove(1)
    return heading.content, content
  end
  -- only the default appearance takes the kind's name as a title; simple and minimal show none (Quarto)
  if kind == "none" or style_of(div, kind) ~= "default" then return nil, content end
  return pandoc.Inlines({pandoc.Str(TYPES[kind])}), content
end

-- The options a callout's div carries for the callout itself (the rest are the author's and stay)
local CALLOUT_OPTIONS = {title = true, appearance = true, icon = true, collapse = true}

-- A page's callout in Quarto's Bootstrap markup, which authors' stylesheets address: div.callout holding a
-- div.callout-header.d-flex (the icon's div.callout-icon-container, the title's div.callout-title-container)
-- and div.callout-body-container.callout-body; an untitled callout is a div.callout-body.d-flex of the icon
-- and the div.callout-body-container. collapse="true|false" makes the header Bootstrap's collapse toggle
-- (data-bs-toggle, aria-expanded, a chevron in div.callout-btn-toggle) over a div.callout-collapse.collapse
-- (.show when open) around the body; SCRIPT toggles it where Bootstrap's script is not on the page.
local collapsible = 0  -- the callouts made collapsible so far: Quarto's callout-1, callout-2 ...
local SCRIPT = [[
<script>
(function () {  // Bootstrap's collapse for the callouts' headers, and a link into a shut callout opens it
  function toggle(header, open) {
    var body = header.parentNode.querySelector(header.getAttribute('data-bs-target'));
    if (!body) return;
    if (open === undefined) open = !body.classList.contains('show');
    body.classList.toggle('show', open);
    header.classList.toggle('collapsed', !open);
    header.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  document.querySelectorAll('.callout-header[data-bs-toggle=collapse]').forEach(function (header) {
    header.addEventListener('click', function () { toggle(header); });
    header.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(header); }
    });
  });
  function reveal() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (var node = target; node; node = node.parentElement) {
      if (node.classList && node.classList.contains('callout-collapse') && !node.classList.contains('show')) {
        toggle(node.parentNode.querySelector('.callout-header[data-bs-toggle=collapse]'), true);
      }
    }
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();
</script>]]

local function html_callout(div, kind, title, content, given)
  local appearance, icon = style_of(div, kind)
  local collapse = div.attributes.collapse
  local no_icon = not icon or ICONS[kind] == ""
  local classes = {"callout", "callout-style-" .. appearance, "callout-" .. kind}
  if no_icon then classes[#classes + 1] = "no-icon" end
  if title then classes[#classes + 1] = "callout-titled" end
  for _, class in ipairs(div.classes) do  -- the author's own classes stay (.fragment on a slide, .column-margin)
    if not class:match("^callout") then classes[#classes + 1] = class end
  end
  -- the icon is drawn by CSS from the kind's class, as Quarto draws it: the symbol is not part of the title's text
  local icon_div = pandoc.Div({pandoc.Plain({pandoc.RawInline("html", '<i class="callout-icon' ..
                                                              (no_icon and " no-icon" or "") .. '"></i>')})},
                              pandoc.Attr("", {"callout-icon-container"}))
  local parts = pandoc.Blocks({})
  if title then
    local heading = pandoc.Inlines({})
    if given and TYPES[kind] ~= "" then  -- "Note" is said before a title of the author's own, not seen
      heading:insert(pandoc.Span({pandoc.Str(TYPES[kind])}, pandoc.Attr("", {"screen-reader-only"})))
    end
    heading:extend(title)
    local header = pandoc.Div({icon_div, pandoc.Div({pandoc.Plain(heading)},
                                                    pandoc.Attr("", {"callout-title-container", "flex-fill"}))},
                              pandoc.Attr("", {"callout-header", "d-flex", "align-content-center"}))
    local body = pandoc.Div(content, pandoc.Attr("", {"callout-body-container", "callout-body"}))
    if collapse then
      collapsible = collapsible + 1
      local id, open = "callout-" .. collapsible, collapse == "false"
      header.attributes = {["data-bs-toggle"] = "collapse", ["data-bs-target"] = "." .. id .. "-contents",
                           ["aria-controls"] = id, ["aria-expanded"] = tostring(open),
                           ["aria-label"] = "Toggle callout", role = "button", tabindex = "0"}
      if not open then header.classes:insert("collapsed") end
      header.content:insert(pandoc.Plain({pandoc.RawInline("html", '<div class="callout-btn-toggle d-inline-block ' ..
        'border-0 py-1 ps-1 pe-0 float-end"><i class="callout-toggle"></i></div>')}))
      body = pandoc.Div({body}, pandoc.Attr(id, {id .. "-contents", "callout-collapse", "collapse",
                                                 open and "show" or nil}))
    end
    parts:extend({header, body})
  else  -- untitled: the icon beside the content
    parts:insert(pandoc.Div({icon_div, pandoc.Div(content, pandoc.Attr("", {"callout-body-container"}))},
                            pandoc.Attr("", {"callout-body", "d-flex"})))
  end
  local attributes = {role = "note"}
  for key, value in pairs(div.attributes) do  -- the author's own stay, as Quarto keeps them (data-*, style, and
    if not CALLOUT_OPTIONS[key] or key == "title" then attributes[key] = value end  -- title, its hover text)
  end
  return pandoc.Div(parts, pandoc.Attr(div.identifier, classes, attributes))
end

-- reveal.js: the markup Quarto writes for decks, which a deck's own CSS styles (.callout-title p,
-- .callout-content): the title (icon, then the title in bold) and the content inside .callout-body;
-- collapse does not apply; no screen-reader text. The author's id and classes
-- (.fragment) go on a div around it, as Quarto wraps it.
local function reveal_callout(div, kind, title, content)
  local appearance, icon = style_of(div, kind)
  icon = icon and ICONS[kind] ~= ""
  local titled = title ~= nil and #title > 0
  local icon_div = pandoc.Div({pandoc.Plain({pandoc.RawInline("html", '<i class="callout-icon" aria-hidden="true" ' ..
                                                              'data-icon="' .. (ICONS[kind] or "") .. '"></i>')})},
                              pandoc.Attr("", {"callout-icon-container"}))
  local body = pandoc.Div({}, pandoc.Attr("", {"callout-body"}))
  if titled then
    local heading = pandoc.Div({}, pandoc.Attr("", {"callout-title"}))
    if icon then heading.content:insert(icon_div) end
    heading.content:insert(pandoc.Para({pandoc.Strong(title)}))
    body.content:insert(heading)
  elseif icon then
    body.content:insert(icon_div)
  end
  body.content:insert(pandoc.Div(content, pandoc.Attr("", {"callout-content"})))
  local classes = {"callout", "callout-" .. kind}
  if not icon then classes[#classes + 1] = "no-icon" end
  if titled then classes[#classes + 1] = "callout-titled" end
  classes[#classes + 1] = "callout-style-" .. appearance
  local callout = pandoc.Div({body}, pandoc.Attr("", classes))
  local own, attributes = {}, {}
  for _, class in ipairs(div.classes) do
    if not class:match("^callout") then own[#own + 1] = class end
  end
  for key, value in pairs(div.attributes) do  -- a fragment's index and the like; not the callout's own options
    if not CALLOUT_OPTIONS[key] then attributes[key] = value end
  end
  if div.identifier == "" and #own == 0 and next(attributes) == nil then return callout end
  return pandoc.Div({callout}, pandoc.Attr(div.identifier, own, attributes))
end

local function latex_callout(div, kind, title, content)
  local appearance, icon = style_of(div, kind)
  -- The icons are symbols Latin Modern lacks: set them in the emoji font the preamble defines.
  local heading = (icon and ICONS[kind] ~= "" and ("{\\reportemojifont " .. ICONS[kind] .. "} ") or "") ..
                  common.latex_of(title or {})
  local colour = "callout" .. kind
  local options
  if appearance == "default" and title then
    options = "enhanced, breakable, colback=white, colframe=" .. colour .. ", colbacktitle=" .. colour ..
              "!12, coltitle=black, boxrule=0.6pt, leftrule=3pt, arc=1pt, fonttitle=\\bfseries, title={" ..
              heading .. "}"
  else
    options = "enhanced, breakable, colback=white, colframe=" .. colour .. ", boxrule=0pt, leftrule=3pt, " ..
              "arc=0pt, frame hidden, borderline west={3pt}{0pt}{" .. colour .. "}"
    if title then
      content:insert(1, pandoc.Plain({pandoc.RawInline("latex", "\\textbf{" .. heading .. "}\\par\\smallskip")}))
    end
  end
  local blocks = pandoc.Blocks({pandoc.RawBlock("latex", "\\begin{tcolorbox}[" .. options .. "]")})
  blocks:extend(content)
  blocks:insert(pandoc.RawBlock("latex", "\\end{tcolorbox}"))
  return blocks
end

-- Typst: a box with a coloured left rule and a tinted title bar, as Quarto's Typst callouts look; the
-- content between the raw opening and closing is Typst markup pandoc writes.
local function typst_callout(div, kind, title, content)
  local appearance, icon = style_of(div, kind)
  local heading = pandoc.write(pandoc.Pandoc({pandoc.Plain(title or {})}), "typst"):gsub("%s+$", "")
  if icon and ICONS[kind] ~= "" then heading = ICONS[kind] .. " " .. heading end
  local colour, tint = COLOURS[kind], TINTS[kind]
  local bar = appearance == "default" and ('block(fill: rgb("' .. tint .. '"), width: 100%, inset: 6pt)') or
              "block(inset: (x: 6pt, top: 6pt))"
  local top = title and ('#' .. bar .. '[*' .. heading .. '*]\n') or ""
  local blocks = pandoc.Blocks({pandoc.RawBlock("typst",
    '#block(width: 100%, stroke: (left: 3pt + rgb("' .. colour .. '"), rest: 0.5pt + rgb("' .. colour .. '")), ' ..
    'breakable: true, inset: 0pt)[' .. top .. '#block(inset: 6pt)[')})
  blocks:extend(content)
  -- a label after the box is what a reference's link goes to
  blocks:insert(pandoc.RawBlock("typst", "]]" .. (div.identifier ~= "" and (" <" .. div.identifier .. ">") or "")))
  return blocks
end

-- GitHub Markdown: one of GitHub's alerts ("> [!NOTE]", the same five kinds), its title a level-3 heading
-- in it, as Quarto writes a callout for GitHub; a callout without a title of its own has none.
local function github_alert(div, kind, title, content)
  local blocks = pandoc.Blocks({pandoc.RawBlock("markdown", "[!" .. kind:upper() .. "]")})
  if title then blocks:insert(pandoc.Header(3, title)) end
  blocks:extend(content)
  local alert = pandoc.BlockQuote(blocks)
  return div.identifier ~= "" and pandoc.Div({alert}, pandoc.Attr(div.identifier)) or alert
end

-- A numbered callout's title: "Tip 1" and, when it has a title of its own, ": Title" after it.
local function numbered(div, title, given)
  local prefix = div.identifier:match("^(%a+)%-")
  local heading = pandoc.Inlines({pandoc.Str(WORDS[prefix]), pandoc.Space(), pandoc.Str(numbers[div.identifier])})
  if given then
    heading:extend({pandoc.Str(delim), pandoc.Space()})
    heading:extend(title)
  end
  if common.latex then  -- the target of the references' links
    heading:insert(1, pandoc.RawInline("latex", "\\phantomsection\\label{" .. div.identifier .. "}"))
  end
  return heading
end

function Div(div)
  local kind = callout_type(div)
  if not kind then return nil end
  local given = div.attributes.title ~= nil or (div.content[1] and div.content[1].t == "Header")
  local title, content = title_of(div, kind)
  if numbers[div.identifier] then title = numbered(div, title, given) end
  if common.typst then return typst_callout(div, kind, title, content) end
  if common.latex then return latex_callout(div, kind, title, content) end
  if FORMAT == "revealjs" then return reveal_callout(div, kind, title, content) end
  if common.html then return html_callout(div, kind, title, content, given) end
  if gfm then return github_alert(div, kind, (given or numbers[div.identifier]) and title or nil, content) end
  local blocks = pandoc.Blocks({})
  if title then blocks:insert(pandoc.Para({pandoc.Strong(title)})) end
  blocks:extend(content)
  return pandoc.Div(blocks, pandoc.Attr(div.identifier, {"callout", "callout-" .. kind}))
end

local function read_palette(meta)
  common.read_reference_options(meta)
  if meta["callout-appearance"] then
    default_appearance, appearance_set = pandoc.utils.stringify(meta["callout-appearance"]), true
  end
  if meta["callout-icon"] ~= nil then
    icon_set = true
    default_icon = meta["callout-icon"] == true or pandoc.utils.stringify(meta["callout-icon"]) == "true"
  end
  local renderer = meta["embedded-renderer"] or {}
  gfm = renderer.format ~= nil and pandoc.utils.stringify(renderer.format) == "gfm"
  for kind, entry in pairs(renderer.callouts or {}) do
    TYPES[kind] = pandoc.utils.stringify(entry.title)
    ICONS[kind] = pandoc.utils.stringify(entry.icon)
    COLOURS[kind] = entry.colour and pandoc.utils.stringify(entry.colour) or "#888888"
    TINTS[kind] = entry.tint and pandoc.utils.stringify(entry.tint) or "#f4f4f4"
  end
end

-- Number the callouts that have a kind's prefix, per kind in document order.
local function number_callouts(doc)
  local counters = {}
  doc.blocks:walk({Div = function(div)
    local prefix = div.identifier:match("^(%a+)%-")
    if prefix and PREFIXES[prefix] and callout_type(div) then
      counters[prefix] = (counters[prefix] or 0) + 1
      numbers[div.identifier] = tostring(counters[prefix])
    end
  end})
  local words = (doc.meta["embedded-renderer"] or {}).words or {}
  for prefix, kind in pairs(PREFIXES) do
    local word = words["crossref-" .. prefix .. "-prefix"]
    WORDS[prefix] = word and pandoc.utils.stringify(word) or TYPES[kind] or kind
  end
  local options = doc.meta.crossref or {}
  if options["title-delim"] then delim = pandoc.utils.stringify(options["title-delim"]) end
end

-- References to numbered callouts; a group holding anything else is left to the other filters.
local function Cite(cite)
  for _, citation in ipairs(cite.citations) do
    local id = common.label_of(citation.id)
    if not (PREFIXES[id:match("^(%a+)%-") or ""] and numbers[id]) then return nil end
  end
  return common.joined_references(cite.citations, function(citation)
    local id = common.label_of(citation.id)
    return common.reference(citation, WORDS[id:match("^(%a+)%-")], numbers[id], id, false)
  end)
end

local function add_script(doc)
  if collapsible > 0 then doc.blocks:insert(pandoc.RawBlock("html", SCRIPT)) end
  return doc
end

return {{Meta = read_palette}, {Pandoc = number_callouts}, {Div = Div, Cite = Cite}, {Pandoc = add_script}}
