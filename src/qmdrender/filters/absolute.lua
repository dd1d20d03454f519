-- Absolute positioning on slides (https://quarto.org/docs/presentations/revealjs/advanced.html#absolute-position):
-- an image, div or span with class .absolute is placed by its top, left, bottom, right, width and height
-- attributes (a bare number is pixels), as Quarto places it; pandoc alone would keep them as data- attributes.

local PLACES = {"top", "left", "bottom", "right", "width", "height"}

local function length(value)
  if value:match("^%-?[%d%.]+$") then
    return value .. "px"
  end
  return value
end

local function place(element)
  if not element.classes:includes("absolute") then
    return nil
  end
  local style = {"position: absolute"}
  for _, name in ipairs(PLACES) do
    local value = element.attributes[name]
    if value then
      style[#style + 1] = name .. ": " .. length(value)
      element.attributes[name] = nil
    end
  end
  local own = element.attributes["style"]
  element.attributes["style"] = table.concat(style, "; ") .. (own and own ~= "" and ("; " .. own) or "")
  return element
end

return {{Image = place, Div = place, Span = place}}
