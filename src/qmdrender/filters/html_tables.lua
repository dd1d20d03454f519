-- HTML tables in cell outputs (pandas DataFrames and Stylers) become real tables outside HTML,
-- as Quarto does: pandoc's own HTML reader parses the raw block, so LaTeX gets a longtable.
-- A table written in the text (a notebook's output pasted into Markdown, as nbconvert writes it) reaches
-- here in pieces: pandoc's Markdown reader makes each row's tags a raw block and each cell's text a
-- paragraph, which LaTeX would print as loose numbers. The pieces are joined into one table first.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
if common.html then
  return {}
end

local function is_html(block, tag)
  return block.t == "RawBlock" and block.format == "html" and block.text:lower():find(tag, 1, true) ~= nil
end

local function joined_tables(blocks)
  local result = pandoc.Blocks({})
  local index = 1
  while index <= #blocks do
    local block, last = blocks[index], nil
    if is_html(block, "<table") and not is_html(block, "</table>") then
      for later = index + 1, #blocks do
        if is_html(blocks[later], "</table>") then last = later; break end
      end
    end
    if last then
      local parts = {}
      for part = index, last do
        local piece = blocks[part]
        parts[#parts + 1] = piece.t == "RawBlock" and piece.text or pandoc.write(pandoc.Pandoc({piece}), "html")
      end
      result:insert(pandoc.RawBlock("html", table.concat(parts, "\n")))
      index = last + 1
    else
      result:insert(block)
      index = index + 1
    end
  end
  return result
end

local function RawBlock(el)
  if el.format ~= "html" or not el.text:lower():find("<table", 1, true) then
    return nil
  end
  local ok, parsed = pcall(pandoc.read, el.text, "html")
  if not ok then
    io.stderr:write("warning: an HTML table output could not be read; shown as its text instead\n")
    return nil
  end
  -- Stylers and pandas give tables without captions; an empty one would still print "Table N:", and so
  -- would a Styler's own id (<table id="T_d3179">), which pandoc labels. A captioned one keeps its id: it is a
  -- numbered table, as in Quarto (crossref.lua).
  -- pandas puts a <style> before its table: styles for the HTML page, nothing a reader sees here
  -- (PowerPoint's writer even drops a table that follows such a raw element on its slide).
  local function is_style(raw) return raw.format == "html" and raw.text:match("^%s*<style") ~= nil end
  return parsed.blocks:walk({
    RawInline = function(raw) if is_style(raw) then return {} end end,
    RawBlock = function(raw) if is_style(raw) then return {} end end,
  }):walk({
    Plain = function(plain) if #plain.content == 0 then return {} end end,
    Table = function(t)
      if pandoc.utils.stringify(t.caption.long) == "" then t.caption = pandoc.Caption() end
      if not t.identifier:match("^tbl%-") and #t.caption.long == 0 then t.identifier = "" end
      return t
    end,
  })
end

return {{Blocks = joined_tables}, {RawBlock = RawBlock}}
