-- A linked image with a caption, alone in its paragraph ([![Caption](image.png)](target)), is a figure, as
-- Quarto makes it (pandoc makes figures of bare images only): the caption under it, the link kept around the
-- image, and a #fig- label on the image numbering and cross-referencing it like any figure. Without a caption
-- it stays an image in a paragraph.

function Para(para)
  if #para.content ~= 1 or para.content[1].t ~= "Link" then return nil end
  local link = para.content[1]
  if #link.content ~= 1 or link.content[1].t ~= "Image" then return nil end
  local image = link.content[1]
  if #image.caption == 0 then return nil end
  local caption = image.caption
  image.caption = pandoc.Inlines({})
  -- the label moves from the image to the figure, as pandoc moves a bare image's; the rest stays on the image
  local identifier = image.identifier
  image.identifier = ""
  return pandoc.Figure({pandoc.Plain({link})}, {long = {pandoc.Plain(caption)}}, pandoc.Attr(identifier))
end
