-- number-sections in HTML, numbered from the document's top heading level, as Quarto shows them:
-- a document written with "##" headings gets "1", "1.1", not pandoc's "0.1". (LaTeX numbers its own
-- sections; the renderer shifts heading levels there instead.)
local function top_level(blocks)
  local top = 6
  blocks:walk({Header = function(h) if h.level < top then top = h.level end end})
  return top
end

function Pandoc(doc)
  if not doc.meta["number-sections"] then return nil end
  local top = top_level(doc.blocks)
  local depth = tonumber(pandoc.utils.stringify(doc.meta["number-depth"] or "6")) or 6
  local counters = {0, 0, 0, 0, 0, 0}
  return doc:walk({Header = function(h)
    if h.classes:includes("unnumbered") or h.classes:includes("unlisted") then return nil end
    local level = h.level - top + 1
    if level < 1 or level > depth then return nil end
    counters[level] = counters[level] + 1
    for i = level + 1, 6 do counters[i] = 0 end
    local parts = {}
    for i = 1, level do parts[#parts + 1] = tostring(counters[i]) end
    local number = table.concat(parts, ".")
    h.attributes["number"] = number
    table.insert(h.content, 1, pandoc.Space())
    table.insert(h.content, 1, pandoc.Span({pandoc.Str(number)}, pandoc.Attr("", {"header-section-number"})))
    return h
  end})
end
