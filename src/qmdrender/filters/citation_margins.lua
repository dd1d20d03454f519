-- citation-location: margin (https://quarto.org/docs/authoring/article-layout.html): each cited work's
-- reference-list entry also appears in the margin beside the citation, as Quarto places it; the list
-- itself stays where it is. This filter runs citeproc itself (instead of pandoc's --citeproc after the
-- filters), then copies each entry, the first time its work is cited, into a margin note: in HTML a
-- span that report.css floats into the margin column, in LaTeX a \marginpar, in Typst and Word (no margin
-- column) a footnote.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local function margin_note(blocks)
  if common.latex then
    local body = pandoc.write(pandoc.Pandoc(blocks), "latex"):gsub("%s+$", "")
    return pandoc.RawInline("latex", "\\marginpar{\\footnotesize\\raggedright " .. body .. "}")
  end
  if not common.html then return pandoc.Note(blocks) end  -- Typst, Word: no margin column, so a footnote
  return pandoc.Span(pandoc.utils.blocks_to_inlines(blocks), pandoc.Attr("", {"margin-note", "margin-citation"}))
end

function Pandoc(doc)
  doc = pandoc.utils.citeproc(doc)
  -- the citations are resolved: a writer that cites natively (Typst's #bibliography) must not cite again
  doc.meta.bibliography = nil
  local entries = {}
  doc.blocks:walk({Div = function(div)
    if div.identifier:match("^ref%-") then entries[div.identifier:sub(5)] = div.content end
  end})
  local shown = {}
  local function Cite(cite)
    -- Typst would write a Cite as its own #cite(<key>); citeproc has rendered it already
    local notes = pandoc.Inlines(common.typst and cite.content or {cite})
    for _, citation in ipairs(cite.citations) do
      local entry = entries[citation.id]
      if entry and not shown[citation.id] then
        shown[citation.id] = true
        notes:insert(margin_note(entry))
      end
    end
    return notes, false
  end
  local blocks = pandoc.Blocks({})
  for _, block in ipairs(doc.blocks) do  -- the reference list itself keeps its entries as they are
    if block.t == "Div" and block.identifier == "refs" then
      blocks:insert(block)
    else
      blocks:insert(pandoc.walk_block(block, {Cite = Cite}))
    end
  end
  doc.blocks = blocks
  return doc
end
