-- Code annotations (https://quarto.org/docs/authoring/code-annotation.html): a code line that ends with a
-- comment and a number in angle brackets (`# <1>`, `// <2>`) is annotated by the item of that number in
-- the ordered list right after the code block or cell. The markers never show as code. HTML: the numbers
-- sit at the ends of their lines (assets/code_annotations.js puts them there) and the list stays below
-- the code (hover, select: shown as the numbers' tooltips); PDF: the line keeps its comment with the
-- number in brackets, "# (1)", and the list follows. `code-annotations: none` removes markers and list;
-- `false` leaves both.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local COMMENTS = {"#", "//", "--", "%%", ";", "'"}
local mode = "below"
local script_added = false

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

local function script_block()
  local path = pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "..", "assets", "code_annotations.js"})
  local file = io.open(path, "r")
  local text = file:read("a")
  file:close()
  return pandoc.RawBlock("html", "<script>" .. text .. "</script>")
end

-- HTML: the list in a div that assets/code_annotations.js knows; with hover or select, Quarto shows each
-- explanation at its number only, so the list is hidden (the numbers' tooltips read it).
local function list_of(list)
  if common.html then
    local div = pandoc.Div({list}, {class = "code-annotations"})
    if mode == "hover" or mode == "select" then
      div.classes:insert("code-annotations-hidden")
    end
    return div
  end
  return list
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
      result:insert(annotate_block(block))
      if mode ~= "none" then
        result:insert(list_of(list))
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
