-- A table caption's trailing {...} read as Quarto reads it: whatever follows the first word that opens a
-- brace is the table's attributes and leaves the caption, even when pandoc could not read it (curly quotes
-- an editor made of straight ones, commas between attributes: ": {tbl-colwidths="[80, 10]", .striped}").
-- Curly quotes become straight ones first; attributes that still cannot be read are dropped, as in Quarto.

local function trailing_attributes(caption)
  while #caption > 0 and (caption[#caption].t == "Space" or caption[#caption].t == "SoftBreak") do
    caption:remove(#caption)
  end
  local last = caption[#caption]
  if not (last and last.t == "Str" and last.text:match("}%s*$")) then return nil end
  local first
  for index, inline in ipairs(caption) do
    if inline.t == "Str" and inline.text:sub(1, 1) == "{" then first = index break end
  end
  if not first then return nil end
  local text = pandoc.utils.stringify(pandoc.Inlines({table.unpack(caption, first)}))
  text = text:gsub("“", '"'):gsub("”", '"'):gsub("‘", "'"):gsub("’", "'")
  local heading = pandoc.read("## x " .. text, "markdown").blocks[1]
  local attr = heading and heading.attr or pandoc.Attr()
  if not text:match("^{#") then attr.identifier = "" end
  -- unreadable: the text stays in the heading, and its attributes are empty (Quarto drops them)
  return pandoc.Inlines({table.unpack(caption, 1, first - 1)}), attr
end

function Table(tbl)
  local body = tbl.caption.long
  if #body == 0 or body[#body].t ~= "Plain" and body[#body].t ~= "Para" then return nil end
  local inlines, attr = trailing_attributes(pandoc.Inlines(body[#body].content))
  if not inlines then return nil end
  while #inlines > 0 and inlines[#inlines].t == "Space" do inlines:remove(#inlines) end
  if #inlines == 0 then body:remove(#body) else body[#body].content = inlines end
  tbl.caption.long = body
  if attr.identifier ~= "" and tbl.identifier == "" then tbl.identifier = attr.identifier end
  for _, class in ipairs(attr.classes) do
    if not tbl.classes:includes(class) then tbl.classes:insert(class) end
  end
  for key, value in pairs(attr.attributes) do tbl.attributes[key] = value end
  return tbl
end
