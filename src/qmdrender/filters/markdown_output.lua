-- Markdown as the output (gfm, commonmark, md, markdown): what Quarto's Markdown formats leave out or write
-- their own way. Cells are not wrapped in divs (Quarto's output-divs: false for GFM, CommonMark and md; pandoc's
-- markdown keeps them), so the code and its outputs stand as code blocks and images; a numbered float keeps its
-- div, whose id its references link to. On GitHub a figure with a caption is its image alone: GitHub shows no <figure>, and the caption
-- is already the image's alternative text (Quarto's gfm fix-up, quarto-dev/quarto-cli#6118).

local gfm = false
local table_caption_below = false

local UNWRAPPED = {cell = true, ["quarto-figure"] = true, ["quarto-float"] = true}

local function unwrapped(div)
  for _, class in ipairs(div.classes) do
    if UNWRAPPED[class] or class:match("^quarto%-figure") or class:match("^cell%-output") then
      return div.identifier == "" or class == "cell"  -- a cell's own id (cell-fig-x) is not a float's
    end
  end
  return div.identifier == "" and #div.classes == 0 and #div.attributes == 0
end

local function as_paragraphs(blocks)
  return blocks:walk({Plain = function(plain) return pandoc.Para(plain.content) end})
end

-- A numbered float as Quarto writes it in Markdown: a div with its id (where references link), its content
-- and its caption ("Figure 1: ...") as a paragraph, above or below.
local function float_div(identifier, content, caption, below)
  local blocks = pandoc.Blocks({})
  if not below then blocks:extend(caption) end
  blocks:extend(content)
  if below then blocks:extend(caption) end
  return pandoc.Div(blocks, pandoc.Attr(identifier))
end

local function single_image(blocks)
  local first = blocks[1]
  if #blocks == 1 and first and (first.t == "Plain" or first.t == "Para") and #first.content == 1 and
      (first.content[1].t == "Image" or first.content[1].t == "Link") then
    return first.content
  end
end

return {
  {Meta = function(meta)
    local renderer = meta["embedded-renderer"] or {}
    gfm = renderer.format ~= nil and pandoc.utils.stringify(renderer.format) == "gfm"
    table_caption_below = pandoc.utils.stringify(renderer["tbl-cap-location"] or "") == "bottom"
  end},
  {Div = function(div)
    -- pandoc's own Markdown keeps its divs (Quarto's markdown format writes cell divs)
    if FORMAT ~= "markdown" and unwrapped(div) then return div.content end
  end,
  Figure = function(figure)
    if figure.identifier ~= "" then
      return float_div(figure.identifier, as_paragraphs(figure.content), as_paragraphs(figure.caption.long), true)
    end
    local image = gfm and single_image(figure.content)
    if image then return pandoc.Para(image) end
  end,
  Table = function(tbl)
    -- the CommonMark writer would write the caption under the table with its id as text ("{#tbl-x}")
    if #tbl.caption.long == 0 and tbl.identifier == "" then return nil end
    local caption, identifier = as_paragraphs(tbl.caption.long), tbl.identifier
    tbl.caption.long, tbl.identifier = pandoc.Blocks({}), ""
    if identifier == "" then
      local blocks = pandoc.Blocks({tbl})
      if table_caption_below then blocks:extend(caption) else blocks = caption .. blocks end
      return blocks
    end
    return float_div(identifier, pandoc.Blocks({tbl}), caption, table_caption_below)
  end},
}
