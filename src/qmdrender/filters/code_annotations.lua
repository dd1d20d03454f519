-- Code annotations (https://quarto.org/docs/authoring/code-annotation.html): a code line that ends with a
-- comment and a number in angle brackets (`# <1>`, `// <2>`) is annotated by the item of that number in
-- the ordered list right after the code block or cell. The markers never show as code. HTML, in Quarto's
-- markup: the numbers sit at the right of their lines (a.code-annotation-anchor, which
-- assets/code_annotations.js places) and the list below the code is Quarto's grid of numbers and
-- explanations (dl.code-annotation-container-grid; hover, select: hidden, shown as the numbers' tooltips);
-- PDF: the line keeps its comment with the number in brackets, "# (1)", and the list follows.
-- `code-annotations: none` removes markers and list; `false` leaves both.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local COMMENTS = {"#", "//", "--", "%%", ";", "'"}
local mode = "below"
local script_added = false
local annotated_cells = 0

-- The line without its marker, the space and comment that carried it, and the number; nil when it has none.
local function split_marker(line)
  for _, comment in ipairs(COMMENTS) do
    local code, gap, number = line:match("^(.-)(%s*)" .. comment .. "%s*<(%d+)>%s*$")
    if code then
      return code, (gap == "" and " " or gap) .. comment:gsub("%%%%", "%%"), tonumber(number)
    end
  end
  return nil
end

-- Strips the markers of one code block; returns its "line:number" pairs (nil when it has no markers).
local function annotate(block)
  local lines, pairs_ = {}, {}
  local number_of_line = 0
  for line in (block.text .. "\n"):gmatch("(.-)\n") do
    number_of_line = number_of_line + 1
    local code, comment, number = split_marker(line)
    if code then
      pairs_[#pairs_ + 1] = number_of_line .. ":" .. number
      if mode == "none" or common.html then
        line = code
      else
        line = code .. comment .. " (" .. number .. ")"
      end
    end
    lines[#lines + 1] = line
  end
  if #pairs_ == 0 then
    return nil
  end
  block.text = table.concat(lines, "\n")
  if common.html and mode ~= "none" then
    block.attributes["data-code-annotations"] = table.concat(pairs_, " ")
    if block.identifier == "" then  -- the list's numbers name the code they annotate, as in Quarto
      annotated_cells = annotated_cells + 1
      block.identifier = "annotated-cell-" .. annotated_cells
    end
    block.classes:insert("code-annotation-code")
  end
  return block
end

-- The code blocks of a block: itself, or those inside it (a cell's div, a folded cell's details).
local function code_blocks(block)
  if block.t == "CodeBlock" then
    return {block}
  end
  local found = {}
  if block.t == "Div" then
    block:walk({CodeBlock = function(code) found[#found + 1] = code end})
  end
  return found
end

local function has_markers(block)
  for _, code in ipairs(code_blocks(block)) do
    for line in (code.text .. "\n"):gmatch("(.-)\n") do
      if split_marker(line) then
        return true
      end
    end
  end
  return false
end

local function annotate_block(block)
  if block.t == "CodeBlock" then
    return annotate(block)
  end
  return block:walk({CodeBlock = annotate})
end

-- A cell's outputs may stand between its code and the list (the list follows the whole cell).
local function is_output(block)
  if block.t == "Figure" then
    return true
  end
  if block.t == "Div" then
    for _, class in ipairs(block.classes) do
      if class:match("^cell%-output") then
        return true
      end
    end
  end
  return false
end

-- The styles and the script, once per page, read from the renderer's assets.
local function script_block()
  local function asset(name)
    local file = io.open(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "..", "assets", name}), "r")
    local text = file:read("a")
    file:close()
    return text
  end
  return pandoc.RawBlock("html", "<style>" .. asset("code_annotations.css") .. "</style>\n<script>"
    .. asset("code_annotations.js") .. "</script>")
end

-- The identifier of the (first) annotated code block in a block.
local function cell_id(block)
  local found = ""
  for _, code in ipairs(code_blocks(block)) do
    if found == "" and code.attributes["data-code-annotations"] then found = code.identifier end
  end
  return found
end

-- HTML: Quarto's grid of numbers and explanations; with hover or select Quarto shows each explanation at its
-- number only, so the list is hidden (the numbers' tooltips read it).
local function list_of(list, cell)
  if not common.html then
    return list
  end
  local hidden = (mode == "hover" or mode == "select") and " code-annotation-container-hidden" or ""
  local blocks = pandoc.Blocks({pandoc.RawBlock("html", '<dl class="code-annotation-container-grid' .. hidden .. '">')})
  local start = list.listAttributes and list.listAttributes.start or list.start or 1
  for offset, item in ipairs(list.content) do
    local number = tostring(start + offset - 1)
    blocks:insert(pandoc.RawBlock("html", '<dt data-target-cell="' .. cell .. '" data-target-annotation="' .. number
      .. '">' .. number .. "</dt>\n<dd>"))
    blocks:extend(item)
    blocks:insert(pandoc.RawBlock("html", "</dd>"))
  end
  blocks:insert(pandoc.RawBlock("html", "</dl>"))
  return blocks
end

function Blocks(blocks)
  if mode == "false" then
    return nil
  end
  local result = pandoc.Blocks({})
  local index = 1
  local changed = false
  while index <= #blocks do
    local block = blocks[index]
    local after = index + 1
    while blocks[after] and is_output(blocks[after]) do
      after = after + 1
    end
    local list = blocks[after]
    if list and list.t == "OrderedList" and (block.t == "CodeBlock" or block.t == "Div") and has_markers(block) then
      changed = true
      local annotated = annotate_block(block)
      result:insert(annotated)
      if mode ~= "none" then
        result:extend(common.html and list_of(list, cell_id(annotated)) or {list})
      end
      for output = index + 1, after - 1 do
        result:insert(blocks[output])
      end
      if common.html and mode ~= "none" and not script_added then
        script_added = true
        result:insert(script_block())
      end
      index = after + 1
    else
      result:insert(block)
      index = index + 1
    end
  end
  return changed and result or nil
end

function Meta(meta)
  local renderer = meta["embedded-renderer"] or {}
  if renderer["code-annotations"] then
    mode = pandoc.utils.stringify(renderer["code-annotations"])
  end
end

return {{Meta = Meta}, {Blocks = Blocks}}
