-- output-location: slide (reveal.js, https://quarto.org/docs/presentations/revealjs/#output-location):
-- a cell's outputs go on a slide of their own after the code, which repeats the code slide's title and
-- classes (`.smaller` too), has the id "<slide>-output" and the class output-location-slide, as Quarto
-- makes it. markdown.py puts the outputs in a div of class output-location-slide, either at the top level
-- or directly inside the cell's own div (a label or `classes:`); a slide begun by a rule gets an untitled
-- output slide.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local function is_outputs(block)
  return block.t == "Div" and block.classes:includes("output-location-slide")
end

-- The blocks that start the output slide: a copy of the code slide's heading, or a rule.
local function output_slide_start(title)
  if not title then
    return pandoc.HorizontalRule()
  end
  local classes = title.classes:clone()
  classes:insert("output-location-slide")
  local id = title.identifier ~= "" and (title.identifier .. "-output") or ""
  return pandoc.Header(title.level, title.content:clone(), pandoc.Attr(id, classes, {}))
end

-- A cell's div holding the outputs' div: split in two around the new slide's heading, the second part a cell
-- div of class output-location-slide holding the outputs, as Quarto writes it (div.cell.output-location-slide).
local function split_cell(div, title)
  local before, after, found = pandoc.Blocks({}), pandoc.Blocks({}), false
  for _, child in ipairs(div.content) do
    if not found and is_outputs(child) then
      found = true
      after:extend(child.content)
    else
      (found and after or before):insert(child)
    end
  end
  if not found then
    return nil
  end
  local classes = div.classes:clone()
  classes:insert("output-location-slide")
  return {pandoc.Div(before, div.attr), output_slide_start(title), pandoc.Div(after, pandoc.Attr("", classes, {}))}
end

function Pandoc(doc)
  local level = common.slide_level()
  local title = nil  -- the current slide's heading
  local blocks = pandoc.Blocks({})
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" and block.level <= level then
      title = block
    elseif block.t == "HorizontalRule" then
      title = nil
    end
    local split = block.t == "Div" and not is_outputs(block) and split_cell(block, title)
    if is_outputs(block) then
      blocks:insert(output_slide_start(title))
      blocks:insert(block)
    elseif split then
      blocks:extend(split)
    else
      blocks:insert(block)
    end
  end
  doc.blocks = blocks
  return doc
end
