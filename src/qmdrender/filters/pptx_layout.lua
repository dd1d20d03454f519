-- PowerPoint: pandoc's writer lays out a slide from its top-level blocks, so what Quarto's own
-- PowerPoint output shows is handed to it in the shape it reads:
-- * it drops a table or an image that sits inside a Div after other content (a cell's output under
--   its code), so Quarto's wrappers (cells, outputs, callouts) are unwrapped; the Divs the writer
--   reads (notes, columns, column, incremental, nonincremental) are kept;
-- * it shows a figure's caption only from its image's own caption (what ![caption](file) gives), so a
--   numbered figure's caption ("Figure 1: ...") is put there.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local KEPT = {notes = true, columns = true, column = true, incremental = true, nonincremental = true}

local function caption_inlines(caption)
  local inlines = pandoc.Inlines({})
  for _, block in ipairs(caption.long) do
    if #inlines > 0 then inlines:insert(pandoc.Space()) end
    inlines:extend(pandoc.utils.blocks_to_inlines({block}))
  end
  return inlines
end

function Figure(figure)
  local images = {}
  figure.content:walk({Image = function(image) table.insert(images, image) end})
  if #images ~= 1 or #figure.caption.long == 0 then
    return nil
  end
  local image = images[1]
  image.caption = caption_inlines(figure.caption)
  return pandoc.Figure({pandoc.Plain({image})}, figure.caption, figure.attr)
end

function Div(div)
  if not common.has_class_in(div, KEPT) then
    return div.content
  end
end
