-- Markdown inside HTML (https://quarto.org/docs/authoring/tables.html#html-tables): an element of a raw HTML
-- block whose data-qmd (or data-qmd-base64) attribute holds Markdown gets that Markdown, rendered, as its
-- content, as Quarto fills it: a table's header in italics, a great_tables/gt cell written with md().
-- Runs before the filters that read HTML tables into tables (other formats), so they see the rendered text.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local ENTITIES = {quot = '"', apos = "'", lt = "<", gt = ">", amp = "&", ["#39"] = "'", ["#34"] = '"'}

local function unescaped(text)
  return (text:gsub("&(#?%w+);", function(name) return ENTITIES[name] end))
end

-- The Markdown as HTML: a single paragraph's text inline (it fills a cell or a span), anything else as blocks.
local function rendered(markdown)
  local blocks = pandoc.read(markdown, "markdown").blocks
  if #blocks == 1 and (blocks[1].t == "Para" or blocks[1].t == "Plain") then
    return common.html_of(blocks[1].content)
  end
  return (pandoc.write(pandoc.Pandoc(blocks), "html"):gsub("%s+$", ""))
end

local function filled(text)
  return text:gsub('(<(%a[%w%-]*)(%s[^>]-)data%-qmd(%-?b?a?s?e?6?4?)="([^"]*)"([^>]-)>)(.-)(</%2>)',
    function(opening, _, _, kind, value, _, _, closing)
      if kind ~= "" and kind ~= "-base64" then return nil end
      local markdown = kind == "-base64" and common.base64_decode(value) or unescaped(value)
      return opening .. rendered(markdown) .. closing
    end)
end

local function raw(element)
  if element.format ~= "html" or not element.text:find("data-qmd", 1, true) then return nil end
  element.text = filled(element.text)
  return element
end

return {{RawBlock = raw, RawInline = raw}}
