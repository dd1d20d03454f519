-- lightbox (https://quarto.org/docs/output-formats/html-lightbox-figures.html): a click on an image
-- opens it over the page, with its caption; Escape, a click or the close button closes it. lightbox:
-- true makes every figure image zoomable, auto only those marked .lightbox, false none (also per image:
-- .nolightbox). The images get a class; assets/lightbox.js (added by the HTML writer) does the rest.

local mode = "auto"

local function mark(image)
  if image.classes:includes("nolightbox") then return nil end
  if mode == "true" or image.classes:includes("lightbox") then
    image.classes:insert("lightbox-image")
    return image
  end
end

return {
  {
    Meta = function(meta)
      local value = meta.lightbox
      if value == nil then
        mode = "auto"
      elseif type(value) == "boolean" then
        mode = tostring(value)
      else
        mode = pandoc.utils.stringify(value)
      end
    end,
  },
  {Image = function(image) if mode ~= "false" then return mark(image) end end},
}
