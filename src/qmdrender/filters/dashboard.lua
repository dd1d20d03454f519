-- Quarto's dashboard layout (https://quarto.org/docs/dashboards/layout.html), for format: dashboard.
--
-- Level-1 headings are pages (links in the navbar), and within a page the headings below alternate
-- between rows and columns: with orientation rows (the default) a level-2 heading starts a row, whose cards
-- sit side by side, and a level-3 heading a column inside it, whose cards are stacked (orientation columns:
-- the other way round). A heading's text is not shown; its {height=}/{width=} size the row or column, .tabset
-- makes its cards tabs, .sidebar makes it a sidebar (a level-1 one beside every page), .fill/.flow and
-- scrolling as Quarto. Each cell is a card (its title from #| title), consecutive text is one card, a
-- ::: {.card title=""} div is a card, and a cell with #| content: valuebox (a dict of icon, color, value) or a
-- ::: {.valuebox} div is a value box. The title and author go to the navbar instead of a title block, with the
-- nav-buttons that have an href at its right.

local function stringify(value) return value and pandoc.utils.stringify(value) or "" end

local function escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function attribute(element, name)
  return element.attributes[name] or element.attributes["data-" .. name]
end

local function has_class(element, name)
  return element.classes and element.classes:includes(name)
end

local function size_style(element, key)
  local value = element.attributes[key] or element.attributes["card-" .. key]
  if not value then return nil end
  if value:match("^[%d.]+$") then value = value .. "px" end
  return "flex: 0 0 " .. value .. ";"
end

-- A value box: its value from a cell's dict output ({'icon': 'pencil', 'color': 'primary', 'value': 45}) or the
-- div's own text; title, icon and colour from the cell's options or the div's attributes.
local function valuebox(title, icon, color, value)
  -- Bootstrap's colour names, its own colours where no theme sets them
  local colours = {primary = "#0d6efd", secondary = "#6c757d", success = "#198754", info = "#0dcaf0",
                   warning = "#ffc107", danger = "#dc3545", light = "#f8f9fa", dark = "#212529"}
  local name = (color and color ~= "") and color or "primary"
  local background = colours[name] and ("var(--bs-" .. name .. ", " .. colours[name] .. ")") or name
  local showcase = icon and icon ~= "" and ('<div class="value-box-showcase"><i class="bi bi-' .. escape(icon) ..
    '" data-icon="' .. escape(icon) .. '"></i></div>') or ""
  return pandoc.RawBlock("html", '<div class="card bslib-value-box value-box" style="--value-box-bg: ' ..
    escape(background) .. ';">' .. showcase .. '<div class="value-box-area"><p class="value-box-title">' ..
    escape(title or "") .. '</p><p class="value-box-value">' .. escape(value or "") .. "</p></div></div>")
end

local function dict_entries(text)
  local entries = {}
  for key, value in text:gmatch("['\"]([%w_]+)['\"]%s*:%s*([^,}]+)") do
    entries[key] = value:gsub("^%s*['\"]", ""):gsub("['\"]%s*$", "")
  end
  return entries
end

local function cell_valuebox(cell)
  local value_text = ""
  cell:walk({CodeBlock = function(block)
    if not block.classes:includes("python") and not block.classes:includes("sourceCode") then
      value_text = value_text .. block.text
    end
  end})
  local entries = dict_entries(value_text)  -- a dict's entries win over the cell's #| icon and #| color
  return valuebox(attribute(cell, "card-title") or entries.title, entries.icon or attribute(cell, "card-icon"),
                  entries.color or attribute(cell, "card-color"), entries.value or value_text:match("^%s*(.-)%s*$"))
end

local function card(blocks, title, element)
  local classes = {"card"}
  local style = element and (size_style(element, "height") or size_style(element, "width")) or nil
  local padding = element and (element.attributes.padding or element.attributes["card-padding"])
  if padding then
    style = (style or "") .. " --card-padding: " .. (padding:match("^[%d.]+$") and padding .. "px" or padding) .. ";"
  end
  local content = pandoc.Blocks({})
  if title and title ~= "" then  -- the title is Markdown (**bold**, `code`), as Quarto reads it
    local first = pandoc.read(title, "markdown").blocks[1]
    content:insert(pandoc.Div({pandoc.Plain(first and first.content or {})}, pandoc.Attr("", {"card-header"})))
  else
    classes[#classes + 1] = "dashboard-card-no-title"
  end
  content:insert(pandoc.Div(blocks, pandoc.Attr("", {"card-body"})))
  return pandoc.Div(content, pandoc.Attr("", classes, style and {style = style} or {}))
end

-- The cards of a row's or column's content: cells, .card and .valuebox divs, and runs of text.
local function cards(blocks)
  local found, text = {}, pandoc.Blocks({})
  local function flush()
    if #text > 0 then found[#found + 1] = card(text); text = pandoc.Blocks({}) end
  end
  for _, block in ipairs(blocks) do
    if block.t == "Div" and has_class(block, "cell") then
      flush()
      local kind = attribute(block, "card-content")
      if kind and kind ~= "valuebox" then  -- toolbar, sidebar, card-toolbar, card-sidebar (Shiny inputs)
        io.stderr:write("warning: a dashboard cell's content: " .. kind .. " is not supported by the embedded " ..
                        "renderer yet; it is shown as a card\n")
      end
      if kind == "valuebox" then
        found[#found + 1] = cell_valuebox(block)
      else
        found[#found + 1] = card(block.content, attribute(block, "card-title"), block)
      end
    elseif block.t == "Div" and has_class(block, "valuebox") then
      flush()
      found[#found + 1] = valuebox(block.attributes.title, block.attributes.icon, block.attributes.color,
                                   stringify(block))
    elseif block.t == "Div" and has_class(block, "card") then
      flush()
      found[#found + 1] = card(block.content, block.attributes.title, block)
    else
      text:insert(block)
    end
  end
  flush()
  return found
end

local function split(blocks, level)
  local lead, sections = pandoc.Blocks({}), {}
  for _, block in ipairs(blocks) do
    if block.t == "Header" and block.level == level then
      sections[#sections + 1] = {header = block, blocks = pandoc.Blocks({})}
    elseif #sections > 0 then
      sections[#sections].blocks:insert(block)
    else
      lead:insert(block)
    end
  end
  return lead, sections
end

local tabset_count = 0

local function tabset(children, header)
  tabset_count = tabset_count + 1
  local tabs, panes = {}, pandoc.Blocks({})
  for index, child in ipairs(children) do
    local title = "Tab " .. index
    if child.t == "Div" then
      local heading = child.content[1]
      if heading and heading.t == "Div" and has_class(heading, "card-header") then
        title = stringify(heading)
        child.content:remove(1)
      end
    end
    local id = "tabset-" .. tabset_count .. "-" .. index
    tabs[#tabs + 1] = '<li class="nav-item"><a class="nav-link' .. (index == 1 and " active" or "") ..
      '" data-target="#' .. id .. '" href="#' .. id .. '">' .. escape(title) .. "</a></li>"
    panes:insert(pandoc.Div({child}, pandoc.Attr(id, {"tab-pane", index == 1 and "active" or "inactive"})))
  end
  local content = pandoc.Blocks({pandoc.RawBlock("html", '<div class="card-header"><ul class="nav nav-tabs">' ..
    table.concat(tabs) .. "</ul></div>"), pandoc.Div(panes, pandoc.Attr("", {"tab-content", "card-body"}))})
  local style = size_style(header, "height") or size_style(header, "width")
  return pandoc.Div(content, pandoc.Attr("", {"card", "tabset"}, style and {style = style} or {}))
end

local function sidebar(blocks, header)
  local style = header and size_style(header, "width") or nil
  return pandoc.Div(blocks, pandoc.Attr("", {"dashboard-sidebar"}, style and {style = style} or {}))
end

-- nav-buttons: links at the navbar's right, each an icon (Bootstrap Icons) or its text; one without an href
-- (Quarto's sharing aliases: twitter, linkedin ...) is left out with a warning (formats/dashboard.py)
local function nav_buttons(option)
  if not option then return "" end
  local entries = pandoc.utils.type(option) == "List" and option or {option}
  local buttons = {}
  for _, entry in ipairs(entries) do
    local href = type(entry) == "table" and entry.href and stringify(entry.href) or ""
    if href ~= "" then
      local icon = entry.icon and stringify(entry.icon) or ""
      local text = entry.text and stringify(entry.text) or ""
      local label = entry["aria-label"] and stringify(entry["aria-label"]) or (text ~= "" and text or icon)
      buttons[#buttons + 1] = '<a class="nav-link nav-button" href="' .. escape(href) .. '" aria-label="' ..
        escape(label) .. '">' .. (icon ~= "" and ('<i class="bi bi-' .. escape(icon) .. '" data-icon="' ..
        escape(icon) .. '"></i>') or "") .. escape(text) .. "</a>"
    end
  end
  return #buttons > 0 and ('<div class="navbar-buttons">' .. table.concat(buttons) .. "</div>") or ""
end

local OPPOSITE = {rows = "columns", columns = "rows"}

-- A container of ``kind`` (rows: its children stacked; columns: side by side) of the content below a heading
-- of ``level - 1``: its headings of ``level`` start its children, which alternate.
local function layout(blocks, level, kind, header)
  local lead, sections = split(blocks, level)
  local children, side = {}, nil
  if #sections == 0 then
    children = cards(blocks)
  else
    if #lead > 0 then
      for _, found in ipairs(cards(lead)) do children[#children + 1] = found end
    end
    for _, section in ipairs(sections) do
      if has_class(section.header, "sidebar") then
        side = sidebar(section.blocks, section.header)
      else
        local child = layout(section.blocks, level + 1, OPPOSITE[kind], section.header)
        local style = size_style(section.header, kind == "rows" and "height" or "width")
        if style then child.attributes.style = style end
        children[#children + 1] = child
      end
    end
  end
  local classes = {kind}
  if header and has_class(header, "fill") then classes[#classes + 1] = "fill" end
  if header and has_class(header, "flow") then classes[#classes + 1] = "flow" end
  local container
  if header and has_class(header, "tabset") then
    container = tabset(children, header)
  else
    container = pandoc.Div(children, pandoc.Attr("", classes))
  end
  if side then  -- a sidebar beside the rest of its row or page
    return pandoc.Div({side, container}, pandoc.Attr("", {"columns", "with-sidebar"}))
  end
  return container
end

function Pandoc(doc)
  local meta = doc.meta
  local orientation = stringify(meta.orientation)
  if orientation ~= "columns" then orientation = "rows" end
  local lead, pages = split(doc.blocks, 1)
  local global_side
  local kept = {}
  for _, page in ipairs(pages) do
    if has_class(page.header, "sidebar") then global_side = sidebar(page.blocks, page.header)
    else kept[#kept + 1] = page end
  end
  if #kept == 0 then
    kept = {{header = nil, blocks = lead}}
  elseif #lead > 0 then
    for index = #lead, 1, -1 do kept[1].blocks:insert(1, lead[index]) end
  end
  local links, body = {}, pandoc.Blocks({})
  for index, page in ipairs(kept) do
    local page_orientation = page.header and page.header.attributes.orientation or orientation
    local scrolling = page.header and page.header.attributes.scrolling
    local content = layout(page.blocks, 2, page_orientation == "columns" and "columns" or "rows", page.header)
    local id = "page-" .. index
    local title = page.header and stringify(page.header.content) or ""
    if #kept > 1 then
      links[#links + 1] = '<li class="nav-item"><a class="nav-link' .. (index == 1 and " active" or "") ..
        '" data-target="#' .. id .. '" href="#' .. id .. '">' .. escape(title) .. "</a></li>"
    end
    local classes = {"dashboard-page", index == 1 and "active" or "inactive"}
    if scrolling == "true" then classes[#classes + 1] = "scrolling" end
    body:insert(pandoc.Div({content}, pandoc.Attr(id, classes)))
  end
  local title, author = stringify(meta.title), ""
  if meta.author then
    local names = {}
    local list = pandoc.utils.type(meta.author) == "List" and meta.author or {meta.author}
    for _, person in ipairs(list) do
      names[#names + 1] = stringify(type(person) == "table" and person.name or person)
    end
    author = table.concat(names, ", ")
  end
  local logo = stringify(meta.logo)
  local header = '<header class="dashboard-header"><nav class="navbar">' ..
    (logo ~= "" and ('<img class="navbar-logo" src="' .. escape(logo) .. '" alt="">') or "") ..
    '<span class="navbar-title">' .. escape(title) .. "</span>" ..
    (author ~= "" and ('<span class="navbar-author">' .. escape(author) .. "</span>") or "") ..
    (#links > 0 and ('<ul class="navbar-nav">' .. table.concat(links) .. "</ul>") or "") ..
    nav_buttons(meta["nav-buttons"]) .. "</nav></header>"
  -- expandable (default true): each card's button to show it over the whole dashboard (dashboard.js)
  local expandable = meta.expandable == nil or meta.expandable == true
  local content = pandoc.Div(body, pandoc.Attr("", {"dashboard-content"},
                                               expandable and {["data-expandable"] = "true"} or {}))
  local blocks = pandoc.Blocks({pandoc.RawBlock("html", header)})
  if global_side then
    blocks:insert(pandoc.Div({global_side, content}, pandoc.Attr("", {"dashboard-body", "with-sidebar"})))
  else
    blocks:insert(pandoc.Div({content}, pandoc.Attr("", {"dashboard-body"})))
  end
  doc.meta.pagetitle = doc.meta.pagetitle or pandoc.MetaString(title)
  doc.meta.title, doc.meta.subtitle, doc.meta.author, doc.meta.date = nil, nil, nil, nil
  doc.blocks = blocks
  return doc
end
