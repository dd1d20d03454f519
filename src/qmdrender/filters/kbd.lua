-- {{< kbd ... >}} in HTML as Quarto writes it (https://quarto.org/docs/authoring/markdown-basics.html#keyboard-shortcuts):
-- the shortcode reaches pandoc as a span of class kbd (shortcodes.py), which other formats show as its
-- text. Here it becomes a <kbd> that screen readers skip, with the keys again in a visually hidden span
-- for them; the per-system shortcuts stay as data- attributes, and the title (a tooltip) names the keys.

local function escape(text)
  return (text:gsub("&", "&amp;"):gsub("\"", "&quot;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

function Span(span)
  if not span.classes:includes("kbd") then
    return nil
  end
  local attributes = {'aria-hidden="true"'}
  local keys = {}
  for key in pairs(span.attributes) do keys[#keys + 1] = key end
  table.sort(keys)
  for _, key in ipairs(keys) do
    attributes[#attributes + 1] = key .. '="' .. escape(span.attributes[key]) .. '"'
  end
  -- a tooltip with the keys, each system's named when they differ ("linux: ..., mac: ..., windows: ...")
  local systems = {}
  for _, system in ipairs({{"linux", "linux"}, {"mac", "mac"}, {"win", "windows"}}) do
    local keys_there = span.attributes["data-" .. system[1]]
    if keys_there then systems[#systems + 1] = system[2] .. ": " .. keys_there end
  end
  local title = #systems > 0 and table.concat(systems, ", ") or pandoc.utils.stringify(span.content)
  attributes[#attributes + 1] = 'title="' .. escape(title) .. '"'
  local inlines = pandoc.Inlines({pandoc.RawInline("html", "<kbd " .. table.concat(attributes, " ") .. ">")})
  inlines:extend(span.content)
  inlines:insert(pandoc.RawInline("html", '</kbd><span class="visually-hidden">'))
  inlines:extend(span.content)
  inlines:insert(pandoc.RawInline("html", "</span>"))
  return inlines
end
