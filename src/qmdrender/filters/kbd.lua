-- {{< kbd ... >}} in HTML as Quarto writes it (https://quarto.org/docs/authoring/markdown-basics.html#keyboard-shortcuts):
-- the shortcode reaches pandoc as a span of class kbd (shortcodes.py), which other formats show as its
-- text. Here it becomes a <kbd> that screen readers skip, with the keys again in a visually hidden span
-- for them; the per-system shortcuts stay as data- attributes.

local function escape(text)
  return (text:gsub("&", "&amp;"):gsub("\"", "&quot;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

function Span(span)
  if not span.classes:includes("kbd") then
    return nil
  end
  local attributes = {'aria-hidden="true"'}
  for key, value in pairs(span.attributes) do
    attributes[#attributes + 1] = key .. '="' .. escape(value) .. '"'
  end
  local inlines = pandoc.Inlines({pandoc.RawInline("html", "<kbd " .. table.concat(attributes, " ") .. ">")})
  inlines:extend(span.content)
  inlines:insert(pandoc.RawInline("html", '</kbd><span class="visually-hidden">'))
  inlines:extend(span.content)
  inlines:insert(pandoc.RawInline("html", "</span>"))
  return inlines
end
