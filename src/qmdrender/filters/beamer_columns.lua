-- Beamer: a heading at or above the slide level inside a column (::: columns / ::: column) titles a block.
-- Columns sit in a frame, and pandoc opens a frame for such a heading wherever it is: a frame in a frame,
-- which LaTeX refuses ("Extra }"). A heading below the slide level is a block title already (pandoc's
-- blocks in columns), so the heading takes the level just below the slide level: the column's block.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

function Pandoc(doc)
  local slide_level = common.slide_level(doc.blocks)
  local function below_slides(heading)
    if heading.level <= slide_level then
      heading.level = slide_level + 1
      return heading
    end
  end
  return doc:walk({Div = function(div)
    if div.classes:includes("columns") then
      return div:walk({Header = below_slides})
    end
  end})
end
