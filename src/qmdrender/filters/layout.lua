-- Layouts as Quarto documents them: layout-ncol=N, layout-nrow=N or layout="[[1,1],[1]]" on a div
-- (or a cell) puts its blocks side by side: a CSS grid row in HTML, minipages in LaTeX. Runs after
-- crossref.lua, which moves a float's layout attributes onto the float's body.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local latex = common.latex

local function rows_of(attributes, count)
  if attributes.layout then
    local ok, rows = pcall(pandoc.json.decode, attributes.layout)
    if ok and type(rows) == "table" then
      if type(rows[1]) == "number" then rows = {rows} end
      return rows
    end
    io.stderr:write("warning: layout=\"" .. attributes.layout .. "\" is not a list of rows; laid out in one column\n")
    return nil
  end
  local ncol = tonumber(attributes["layout-ncol"])
  local nrow = tonumber(attributes["layout-nrow"])
  if not ncol and nrow then ncol = math.ceil(count / nrow) end
  if not ncol or ncol < 1 then return nil end
  local rows, row = {}, {}
  for _ = 1, count do
    table.insert(row, 1)
    if #row == ncol then table.insert(rows, row); row = {} end
  end
  if #row > 0 then
    while #row < ncol do table.insert(row, 0) end  -- an empty cell keeps the columns aligned
    table.insert(rows, row)
  end
  return rows
end

local function cells_of(blocks)
  local cells = {}
  for _, block in ipairs(blocks) do
    if not (block.t == "Para" and #block.content == 0) then table.insert(cells, block) end
  end
  return cells
end

-- A longtable cannot stand in a minipage (LaTeX stops with "Missing } inserted"), so a table in a
-- layout cell becomes a tabular: the head, then the rows, then the foot that longtable sets last.
local function as_tabular(latex)
  return (latex:gsub("\\begin{longtable}(%b[])(%b{})(.-)\\end{longtable}", function(_, spec, rows)
    rows = rows:gsub("\\endfirsthead.-\\endhead", "\\endhead")  -- one head is enough without page breaks
    local head, foot, body = rows:match("^(.-)\\endhead(.-)\\endlastfoot(.*)$")
    if not head then
      head, body, foot = rows:match("^(.-)\\endhead(.*)$")
      foot = ""
    end
    if not head then head, body, foot = "", rows, "" end
    foot = foot:gsub("\\endfoot", "")
    return "\\begin{tabular}" .. spec .. head .. body .. foot .. "\\end{tabular}"
  end))
end

-- In LaTeX a row is one raw block: minipages must not be separated by the blank lines (paragraph
-- breaks) pandoc puts between blocks, or they would stack instead of standing side by side.
local function latex_row(row, total, cells, index)
  local parts = {}
  for _, width in ipairs(row) do
    local cell = (width > 0 and cells[index]) or nil
    if width > 0 then index = index + 1 end
    local body = cell and as_tabular(pandoc.write(pandoc.Pandoc({cell}), "latex")) or ""
    table.insert(parts, string.format("\\begin{minipage}[t]{%.3f\\linewidth}\\centering\n%s\n\\end{minipage}",
                                      math.abs(width) / total * 0.97, body))
  end
  return pandoc.RawBlock("latex", "\\par\\noindent\n" .. table.concat(parts, "\\hfill\n") .. "\n\\par\\medskip"), index
end

local function arrange(div, rows, cells)
  local result = pandoc.Blocks({})
  local index = 1
  for _, row in ipairs(rows) do
    local total = 0
    for _, width in ipairs(row) do total = total + math.abs(width) end
    if latex then
      local block
      block, index = latex_row(row, total, cells, index)
      result:insert(block)
    else
      local row_blocks = pandoc.Blocks({})
      for _, width in ipairs(row) do
        local cell = (width > 0 and cells[index]) or nil
        if width > 0 then index = index + 1 end
        local style = string.format("flex: %.4f 1 0; min-width: 0;", math.abs(width) / total)
        if cell then  -- the cell sets the width: an image's own height would stretch it (quarto-cli#9927)
          cell = cell:walk({Image = function(image)
            if image.attributes.width and image.attributes.height then image.attributes.height = nil end
            return image
          end})
        end
        row_blocks:insert(pandoc.Div(cell and {cell} or {}, pandoc.Attr("", {"quarto-layout-cell"}, {style = style})))
      end
      -- layout-valign: the cells of a row at its top (as without it), centre or bottom, by Quarto's classes
      local row_classes = {"quarto-layout-row"}
      local valign = div.attributes["layout-valign"]
      if valign == "top" or valign == "center" or valign == "bottom" then
        row_classes[2] = "quarto-layout-valign-" .. valign
      end
      result:insert(pandoc.Div(row_blocks, pandoc.Attr("", row_classes)))
    end
  end
  for i = index, #cells do result:insert(cells[i]) end  -- more blocks than cells: below, one by one
  -- the panel keeps the author's other attributes (a style), as Quarto's layout panel does
  local kept = {}
  for key, value in pairs(div.attributes) do
    if not key:match("^layout") then kept[key] = value end
  end
  return pandoc.Div(result, pandoc.Attr(div.identifier, div.classes, kept))
end

function Div(div)
  local attributes = div.attributes
  if not (attributes.layout or attributes["layout-ncol"] or attributes["layout-nrow"]) then return nil end
  local cells = cells_of(div.content)
  local rows = rows_of(attributes, #cells)
  if not rows then return nil end
  div.classes:insert("quarto-layout")
  return arrange(div, rows, cells)
end
