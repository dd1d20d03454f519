-- Hidden slides (reveal.js): a slide whose heading has visibility="hidden" is left out of the deck, as
-- Quarto leaves it out of its page (reveal.js would only drop it from the DOM once it starts, so a
-- reader without scripts, a search index or a print view would still see it). The slide runs from its
-- heading to the next heading of slide level or above, or to a horizontal rule; a hidden section
-- heading hides its own title slide, not the slides under it. What stands for a knitr chunk that shows
-- nothing (markdown.py's "<!-- knitr: ... -->") makes no slide before the first heading: knitr writes nothing
-- there, and pandoc would make an empty first slide of the comment.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

function Pandoc(doc)
  local level = common.slide_level()
  local kept, carried = pandoc.Blocks({}), pandoc.Blocks({})
  local hiding = false
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" and block.level <= level then
      hiding = block.attributes["visibility"] == "hidden"
      if hiding and #kept > 0 and kept[#kept].t == "HorizontalRule" then
        kept:remove(#kept)  -- the rule began this slide: kept alone, it would make an empty slide of its own
      end
    elseif block.t == "HorizontalRule" then
      hiding = false
    end
    if not hiding then
      kept:insert(block)
    elseif block.t == "RawBlock" and block.text:find("<!-- embedded-renderer:", 1, true) then
      carried:insert(block)  -- what extensions asked for the page's head (quarto_api.lua), not the slide's
    end
  end
  while kept[1] and kept[1].t == "RawBlock" and kept[1].text:find("^<!%-%- knitr: ") do kept:remove(1) end
  common.insert_without_slide(kept, carried)  -- placed again as quarto_api.lua placed it
  doc.blocks = kept
  return doc
end
