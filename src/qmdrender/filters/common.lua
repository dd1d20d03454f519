-- What every filter shares: which output family pandoc writes, and inlines as LaTeX source.
-- A filter loads it with:
--   local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local common = {}

-- LaTeX and Beamer write LaTeX; HTML and reveal.js write HTML.
common.latex = (FORMAT:match("latex") or FORMAT:match("beamer")) ~= nil
common.html = (FORMAT:match("html") or FORMAT:match("revealjs")) ~= nil

-- Inlines as LaTeX source (a caption or a callout title inside a raw LaTeX block).
function common.latex_of(inlines)
  return (pandoc.write(pandoc.Pandoc({pandoc.Plain(inlines)}), "latex"):gsub("%s+$", ""))
end

return common
