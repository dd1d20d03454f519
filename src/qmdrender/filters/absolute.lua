-- Absolute positioning on slides (https://quarto.org/docs/presentations/revealjs/advanced.html#absolute-position):
-- an image, div or span with class .absolute is placed by its top, left, bottom, right, width and height
-- attributes (a bare number is pixels), as Quarto places it; pandoc alone would keep them as data- attributes.
-- A captioned image (a figure) keeps its class, and its places go to the figure around it, as Quarto writes
-- them: the image then sits where the text puts it, and the figure takes its height.

local PLACES = {"top", "left", "bottom", "right", "width", "height"}

local function length(value)
  if value:match("^%-?[%d%.]+$") then
    return value .. "px"
  end
  return value
end

local function places(element)
  local style = {}
  for _, name in ipairs(PLACES) do
    local value = element.attributes[name]
    if value then
      style[#style + 1] = name .. ": " .. length(value)
      element.attributes[name] = nil
    end
  end
  return style
end

local function with_style(element, style)
  local own = element.attributes["style"]
  element.attributes["style"] = table.concat(style, "; ") .. (own and own ~= "" and ("; " .. own) or "")
end

local function place(element)
  if not element.classes:includes("absolute") then
    return nil
  end
  local style = places(element)
  table.insert(style, 1, "position: absolute")
  with_style(element, style)
  return element
end

local function figure(float)
  local images = {}
  float.content:walk({Image = function(image) images[#images + 1] = image end})
  if #images ~= 1 or not images[1].classes:includes("absolute") then
    return nil
  end
  local style
  float.content = float.content:walk({Image = function(image)
    style = places(image)  -- the image keeps its class: the next pass makes it absolute, where it stands
    return image
  end})
  if #style > 0 then with_style(float, style) end
  return float
end

return {{Figure = figure}, {Image = place, Div = place, Span = place}}
