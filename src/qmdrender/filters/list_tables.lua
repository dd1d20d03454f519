-- List tables (https://quarto.org/docs/authoring/tables.html#list-tables): a ::: {.list-table} div whose
-- bullet list is the rows and whose nested bullets are the cells, so a cell can hold any blocks. A
-- paragraph before the list is the caption; ``header-rows`` (default 1) and ``header-cols`` (default 0)
-- are how many rows and columns are headers, ``aligns`` is one letter a column (d, l, r, c),
-- ``tbl-colwidths`` or ``widths`` the relative widths, and a cell that starts with an empty span carries
-- its attributes ([]{colspan=2}, rowspan). The div becomes a pandoc table with the div's id and
-- classes, which the table filters after this one (widths, numbering, cross-references) treat as any
-- Markdown table. Runs early, before those filters.

local ALIGN = {l = "AlignLeft", r = "AlignRight", c = "AlignCenter", d = "AlignDefault"}

local function split(text)
  local parts = {}
  for part in tostring(text or ""):gmatch("[^,%s%[%]]+") do parts[#parts + 1] = part end
  return parts
end

-- A cell: its blocks, and the row and column span an empty leading span gives it ([]{colspan=2}).
local function cell(blocks)
  local rowspan, colspan = 1, 1
  local first = blocks[1]
  if first and (first.t == "Plain" or first.t == "Para") and first.content[1] and first.content[1].t == "Span"
      and #first.content[1].content == 0 then
    local attributes = first.content[1].attributes
    rowspan = tonumber(attributes.rowspan) or 1
    colspan = tonumber(attributes.colspan) or 1
    first.content:remove(1)
    while first.content[1] and first.content[1].t == "Space" do first.content:remove(1) end
  end
  return pandoc.Cell(blocks, pandoc.AlignDefault, rowspan, colspan)
end

local function rows_of(list)
  local rows = {}
  for _, item in ipairs(list.content) do
    local inner = item[1]
    local cells = {}
    if inner and inner.t == "BulletList" then
      for _, content in ipairs(inner.content) do cells[#cells + 1] = cell(pandoc.Blocks(content)) end
    end
    rows[#rows + 1] = pandoc.Row(cells)
  end
  return rows
end

-- The number of columns: the widest row, counting spans.
local function columns(rows)
  local most = 0
  for _, row in ipairs(rows) do
    local n = 0
    for _, c in ipairs(row.cells) do n = n + c.col_span end
    if n > most then most = n end
  end
  return most
end

-- Attributes written at the end of the caption ("Prices {tbl-colwidths=[30,70]}"), as after a pipe
-- table's caption: taken off the caption and given to the div.
local function caption_attributes(caption, div)
  local last = caption[#caption]
  if not last or not last.content then return end
  local inlines = last.content
  for start = #inlines, 1, -1 do
    local item = inlines[start]
    if item.t == "Str" and item.text:sub(1, 1) == "{" then
      local text = pandoc.utils.stringify(pandoc.Inlines({table.unpack(inlines, start)}))
      if not text:match("^%b{}$") then return end
      local parsed = pandoc.read("[]" .. text, "markdown").blocks[1]
      local span = parsed and parsed.content and parsed.content[1]
      if not span or span.t ~= "Span" then return end
      for key, value in pairs(span.attributes) do div.attributes[key] = value end
      for i = #inlines, start, -1 do inlines:remove(i) end
      while inlines[#inlines] and inlines[#inlines].t == "Space" do inlines:remove(#inlines) end
      return
    end
  end
end

local function list_table(div)
  if not div.classes:includes("list-table") then return nil end
  local caption, list = pandoc.Blocks({}), nil
  for _, block in ipairs(div.content) do
    if block.t == "BulletList" and not list then
      list = block
    elseif not list then
      caption:insert(block)
    end
  end
  if not list then return nil end
  caption_attributes(caption, div)
  local rows = rows_of(list)
  local count = columns(rows)
  local aligns = split(div.attributes.aligns)
  local widths = split(div.attributes["tbl-colwidths"] or div.attributes.widths)
  local total = 0
  for _, w in ipairs(widths) do total = total + (tonumber(w) or 0) end
  local specs = {}
  for i = 1, count do
    local width = (#widths > 0 and total > 0) and (tonumber(widths[i]) or 0) / total or nil
    specs[i] = {ALIGN[aligns[i] or "d"] or "AlignDefault", width}
  end
  local header_rows = tonumber(div.attributes["header-rows"]) or 1
  local header, body = {}, {}
  for i, row in ipairs(rows) do
    if i <= header_rows then header[#header + 1] = row else body[#body + 1] = row end
  end
  local classes = div.classes:filter(function(c) return c ~= "list-table" end)
  local attributes = {}
  for key, value in pairs(div.attributes) do
    if key ~= "aligns" and key ~= "widths" and key ~= "header-rows" and key ~= "header-cols" then
      attributes[key] = value
    end
  end
  local caption_blocks = #caption > 0 and {pandoc.Plain(pandoc.utils.blocks_to_inlines(caption))} or {}
  return pandoc.Table({long = caption_blocks}, specs, pandoc.TableHead(header),
                      {{attr = pandoc.Attr(), body = body, head = {},
                        row_head_columns = tonumber(div.attributes["header-cols"]) or 0}},
                      pandoc.TableFoot(), pandoc.Attr(div.identifier, classes, attributes))
end

return {{Div = list_table}}
