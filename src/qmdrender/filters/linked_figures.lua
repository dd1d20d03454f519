-- Images alone in their paragraph that Quarto makes figures of, where pandoc makes figures of captioned bare
-- images only (Quarto's figure parsing):
-- * a linked image with a caption ([![Caption](image.png)](target)): the caption under it, the link kept
--   around the image, and a #fig- label on the image numbering and cross-referencing it like any figure;
-- * an image (linked or not) with a #fig- label and no caption (![](image.png){#fig-a}): a numbered figure
--   whose caption is its number alone ("Figure 3").
-- Without a caption or a label it stays an image in a paragraph.

function Para(para)
  if #para.content ~= 1 then return nil end
  local only = para.content[1]
  local link = only.t == "Link" and #only.content == 1 and only.content[1].t == "Image" and only or nil
  local image = link and link.content[1] or (only.t == "Image" and only) or nil
  if not image then return nil end
  local labelled = image.identifier:match("^fig%-") ~= nil
  if #image.caption == 0 and not labelled then return nil end
  if not link and not labelled then return nil end  -- a captioned bare image: pandoc's figure already
  local caption = image.caption
  image.caption = pandoc.Inlines({})
  -- the label moves from the image to the figure, as pandoc moves a bare image's; the rest stays on the image
  local identifier = image.identifier
  image.identifier = ""
  local long = #caption > 0 and {pandoc.Plain(caption)} or {}
  return pandoc.Figure({pandoc.Plain({only})}, {long = long}, pandoc.Attr(identifier))
end
