-- {{< contents id >}} (https://quarto.org/docs/authoring/contents.html): the div or span whose id is named
-- (or the cell labelled so) is moved to where the shortcode stands, as Quarto 1.6 and later rearrange a
-- document. shortcodes.py leaves the call as a placeholder span (class quarto-contents-shortcode, its
-- target); alone in a paragraph it takes the element itself, inside text a span's content. An element named
-- twice appears at both places; an id nothing has is a warning, and the placeholder goes.
local MARK = "quarto-contents-shortcode"

local function target_of(inline)
  if inline.t == "Span" and inline.classes:includes(MARK) then
    return inline.attributes["target"]
  end
  return nil
end

local function warn(id)
  io.stderr:write("[WARNING] contents: no div or span has the id " .. id .. "; the shortcode is left out.\n")
end

function Pandoc(doc)
  local wanted = {}
  doc:walk({Span = function(span)
    local target = target_of(span)
    if target then
      wanted[target] = true
      wanted["cell-" .. target] = true  -- a code cell's output, labelled
    end
  end})
  local divs, spans = {}, {}
  doc = doc:walk({
    Div = function(div)
      if wanted[div.identifier] and not divs[div.identifier] then
        divs[div.identifier] = div
        return {}
      end
    end,
    Span = function(span)
      if wanted[span.identifier] and not spans[span.identifier] and not target_of(span) then
        spans[span.identifier] = span
        return {}
      end
    end,
  })
  local function block_for(target)
    local div = divs[target] or divs["cell-" .. target]
    if div then return div:clone() end
    if spans[target] then return pandoc.Plain({spans[target]:clone()}) end
    return nil
  end
  local function alone(block)  -- a paragraph that is the shortcode alone: the element in its place
    local content = block.content
    if #content ~= 1 then return nil end
    local target = target_of(content[1])
    if not target then return nil end
    local found = block_for(target)
    if not found then warn(target) end
    return found or {}
  end
  doc = doc:walk({Para = alone, Plain = alone})
  return doc:walk({Span = function(span)  -- inside text: a span's content, or a div's as inlines
    local target = target_of(span)
    if not target then return nil end
    if spans[target] then return spans[target]:clone() end
    local div = divs[target] or divs["cell-" .. target]
    if div then return pandoc.utils.blocks_to_inlines(div.content) end
    warn(target)
    return {}
  end})
end
