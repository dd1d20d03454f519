-- tbl-colwidths (https://quarto.org/docs/authoring/tables.html#column-widths): relative column widths
-- for a Markdown table, as a list of percentages ([30, 70]). It is read from the table's own attribute
-- ({tbl-colwidths="[30,70]"} after its caption), from the float or cell it is in, or from the
-- document (or format); "auto" and false leave the widths to the writer.

local document_default = nil

local function widths_of(value)
  if value == nil then return nil end
  local text = type(value) == "string" and value or pandoc.utils.stringify(value)
  local widths = {}
  for number in text:gmatch("[%d.]+") do widths[#widths + 1] = tonumber(number) end
  if #widths == 0 then return nil end
  return widths
end

local function apply(tbl, widths)
  if not widths or #tbl.colspecs == 0 then return tbl end
  local total = 0
  for i = 1, #tbl.colspecs do total = total + (widths[i] or 0) end
  if total <= 0 then return tbl end
  local specs = {}
  for i, spec in ipairs(tbl.colspecs) do
    specs[i] = {spec[1], (widths[i] or 0) / total}
  end
  tbl.colspecs = specs
  tbl.attributes["tbl-colwidths"] = nil
  return tbl
end

local function in_blocks(blocks, widths)
  return blocks:walk({Table = function(tbl) return apply(tbl, widths_of(tbl.attributes["tbl-colwidths"]) or widths) end})
end

return {
  {
    Meta = function(meta)
      local renderer = meta["embedded-renderer"] or {}
      document_default = widths_of(renderer["tbl-colwidths"])
    end,
  },
  {
    traverse = "topdown",
    Div = function(div)
      local widths = widths_of(div.attributes["tbl-colwidths"])
      if not widths then return nil end
      div.attributes["tbl-colwidths"] = nil
      div.content = in_blocks(div.content, widths)
      return div, false
    end,
    Table = function(tbl)
      return apply(tbl, widths_of(tbl.attributes["tbl-colwidths"]) or document_default), false
    end,
  },
}
