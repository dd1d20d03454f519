-- Quarto's custom nodes as a document's own filter sees them
-- (https://quarto.org/docs/extensions/lua-api.html#custom-ast-nodes): a filter's Tabset and Callout
-- functions get a table of the node's fields, made here from the .panel-tabset or .callout-* div, and what
-- they change in it (or return) is made a div again by quarto_api's constructors, which the renderer's own
-- filters then draw. A public course site adds an icon to each tab's title this way.

local custom_nodes = {}

local CALLOUT_TYPES = {note = true, tip = true, warning = true, caution = true, important = true}

-- A tab's title: the heading's inlines, reachable as .content too (Quarto hands filters the title wrapped in an
-- element, and filters write tab.title.content:insert(...))
local function title_of(inlines)
  local title = pandoc.Inlines(inlines)
  title.content = title
  return title
end

local function tabset_node(div)
  local first = div.content:find_if(function(block) return block.t == "Header" end)
  if first == nil then return nil end
  local tabs = pandoc.List({})
  for _, block in ipairs(div.content) do
    if block.t == "Header" and block.level == first.level then
      tabs:insert({title = title_of(block.content), content = pandoc.Blocks({}), active = block.classes:includes("active")})
    elseif #tabs > 0 then
      tabs[#tabs].content:insert(block)
    end
  end
  return {tabs = tabs, level = first.level, attr = div.attr}
end

local function callout_type(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and CALLOUT_TYPES[kind] then return kind end
  end
  return nil
end

local function callout_node(div)
  local kind = callout_type(div)
  if kind == nil then return nil end
  local content, title = pandoc.Blocks(div.content), nil
  if div.attributes.title then
    title = pandoc.utils.blocks_to_inlines(pandoc.read(div.attributes.title, "markdown").blocks)
  elseif content[1] and content[1].t == "Header" then
    title = content[1].content
    content:remove(1)
  end
  return {type = kind, title = title, content = content, appearance = div.attributes.appearance,
          icon = div.attributes.icon, collapse = div.attributes.collapse, id = div.identifier, attr = div.attr}
end

-- The callout div again, with the classes and attributes the node does not stand for kept as they were.
local function callout_div(node, div, make)
  local made = make(node)
  for _, class in ipairs(div.classes) do
    if not class:match("^callout%-") and not made.classes:includes(class) then made.classes:insert(class) end
  end
  for name, value in pairs(div.attributes) do
    local own = name == "title" or name == "appearance" or name == "icon" or name == "collapse"
    if not own and made.attributes[name] == nil then made.attributes[name] = value end
  end
  return made
end

-- ``filter`` with its Tabset and Callout functions called from a Div function (before the filter's own Div,
-- which then sees the result); ``make`` holds quarto_api's constructors (tabset, callout).
function custom_nodes.wrap(filter, make)
  local on_tabset, on_callout, on_div = filter.Tabset, filter.Callout, filter.Div
  if on_tabset == nil and on_callout == nil then return filter end
  filter.Tabset, filter.Callout = nil, nil
  filter.Div = function(div)
    local result = nil
    if on_tabset and div.classes:includes("panel-tabset") then
      local node = tabset_node(div)
      if node then
        local returned = on_tabset(node)
        if returned == nil or (type(returned) == "table" and returned.tabs) then
          result = make.tabset(returned or node)
        else
          result = returned
        end
      end
    elseif on_callout and callout_type(div) then
      local node = callout_node(div)
      local returned = on_callout(node)
      if returned == nil or (type(returned) == "table" and returned.type and returned.content) then
        result = callout_div(returned or node, div, make.callout)
      else
        result = returned
      end
    end
    local current = result == nil and div or result
    if on_div and pandoc.utils.type(current) == "Block" and current.t == "Div" then
      local changed = on_div(current)
      if changed ~= nil then return changed end
    end
    return result
  end
  return filter
end

return custom_nodes
