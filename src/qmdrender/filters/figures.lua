-- fig-align on figures and images (Quarto's cell option and image attribute): left, center or right.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local html, latex = common.html, common.latex
local function alignment(el)
  local image
  el:walk({Image = function(img) image = image or img end})
  return image and image.attributes["fig-align"]
end

function Figure(el)
  local align = alignment(el)
  if not align or align == "default" then return nil end
  if html then
    el.attributes.style = "text-align: " .. align .. ";"
  elseif latex and align ~= "center" then
    local command = align == "left" and "\\raggedright" or "\\raggedleft"
    table.insert(el.content, 1, pandoc.RawBlock("latex", command))
  end
  return el
end

function Para(el)
  if #el.content ~= 1 or el.content[1].t ~= "Image" then return nil end
  local align = el.content[1].attributes["fig-align"]
  if not align or align == "default" then return nil end
  if html then
    return pandoc.Div({pandoc.Plain(el.content)}, pandoc.Attr("", {}, {style = "text-align: " .. align .. ";"}))
  elseif latex then
    local env = ({left = "flushleft", center = "center", right = "flushright"})[align] or "center"
    return {pandoc.RawBlock("latex", "\\begin{" .. env .. "}"), pandoc.Plain(el.content),
            pandoc.RawBlock("latex", "\\end{" .. env .. "}")}
  end
end
