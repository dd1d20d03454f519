-- Code annotations (https://quarto.org/docs/authoring/code-annotation.html): a code line that ends with a
-- comment and a number in angle brackets (`# <1>`, `// <2>`) is annotated by the item of that number in
-- the ordered list right after the code block or cell. The markers never show as code. HTML, in Quarto's
-- markup: the numbers sit at the right of their lines (a.code-annotation-anchor, which
-- assets/code_annotations.js places) and the list below the code is Quarto's grid of numbers and
-- explanations (dl.code-annotation-container-grid; hover, select: hidden, shown as the numbers' tooltips);
-- PDF: the line keeps its comment with the number in brackets, "# (1)", and the list follows.
-- `code-annotations: none` removes markers and list; `false` leaves both.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local function escaped(text)
  return (text:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end

-- A comment's opening, its closing (nil for a line comment) and the pattern of a line that ends in a marker in it.
local function comment(open, close)
  return {open = open, close = close, pattern = "^(.-)(%s*)" .. escaped(open) .. "%s*<(%d+)>%s*"
    .. (close and escaped(close) .. "%s*" or "") .. "$"}
end

-- Each language's comment, as its code writes one (a block comment: its opening and closing): a marker is
-- written in the comment of the block's language, so "// <1>" in C is code, not a marker, as in Quarto. A
-- language not listed here takes any of the line comments.
local LINE_COMMENTS = {comment("#"), comment("//"), comment("--"), comment("%"), comment(";"), comment("'")}
local BY_LANGUAGE = {}
local function comment_for(languages, open, close)
  local entry = {comment(open, close)}
  for name in languages:gmatch("%S+") do BY_LANGUAGE[name] = entry end
end
-- (the comments Quarto's code-annotation language-support test writes its markers in)
comment_for("python r julia bash sh shell zsh awk gawk sed coffee coffeescript dockerfile elm gap octave perl "
            .. "powershell ps1 ruby stan yaml toml make makefile elixir nim tcl cmake nix crystal raku ini", "#")
comment_for("javascript js node typescript ts jsx tsx ojs d3 java c++ cpp cc csharp cs fsharp go groovy kotlin rust "
            .. "scala swift dart php json dot asy sass scss less typst zig solidity verilog glsl protobuf", "//")
comment_for("sql mysql psql haskell lua vhdl ada applescript idris purescript", "--")
comment_for("matlab latex tex tikz erlang prolog", "%")
comment_for("lisp clojure scheme racket elisp emacs-lisp fennel hy asm nasm", ";")
comment_for("vb vba vbnet", "'")
comment_for("c css", "/*", "*/")
comment_for("html xml svg markdown md", "<!--", "-->")
comment_for("ocaml sml coq mathematica wolfram pascal", "(*", "*)")
comment_for("fortran fortran95", "!")
comment_for("mermaid", "%%")
comment_for("apl", "\u{235D}")
comment_for("sas", "*", ";")
comment_for("stata", "*")

-- The line without its marker, the space and comment that carried it (its close: "" for a line comment), and
-- the number; nil when it has none. ``language``: the code block's.
local function split_marker(line, language)
  for _, candidate in ipairs(BY_LANGUAGE[language] or LINE_COMMENTS) do
    local code, gap, number = line:match(candidate.pattern)
    if code then
      return code, (gap == "" and " " or gap) .. candidate.open, tonumber(number),
        candidate.close and (" " .. candidate.close) or ""
    end
  end
  return nil
end

local mode = "below"
local script_added = false
local annotated_cells = 0

local function language_of(block)
  return block.classes[1] and block.classes[1]:lower() or ""
end

-- Strips the markers of one code block; returns its "line:number" pairs (nil when it has no markers).
local function annotate(block)
  local lines, pairs_ = {}, {}
  local number_of_line = 0
  local language = language_of(block)
  for line in (block.text .. "\n"):gmatch("(.-)\n") do
    number_of_line = number_of_line + 1
    local code, comment, number, close = split_marker(line, language)
    if code then
      pairs_[#pairs_ + 1] = number_of_line .. ":" .. number
      if mode == "none" or common.html then
        line = code
      else
        line = code .. comment .. " (" .. number .. ")" .. close
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
    local language = language_of(code)
    for line in (code.text .. "\n"):gmatch("(.-)\n") do
      if split_marker(line, language) then
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
  -- an incremental deck's list shows step by step (each number, then its text), as Quarto's does; a shown list
  -- only: a hidden one's steps would be clicks that show nothing
  local step = FORMAT == "revealjs" and hidden == "" and PANDOC_WRITER_OPTIONS.incremental and ' class="fragment"' or ""
  local blocks = pandoc.Blocks({pandoc.RawBlock("html", '<dl class="code-annotation-container-grid' .. hidden .. '">')})
  local start = list.listAttributes and list.listAttributes.start or list.start or 1
  for offset, item in ipairs(list.content) do
    local number = tostring(start + offset - 1)
    blocks:insert(pandoc.RawBlock("html", '<dt data-target-cell="' .. cell .. '" data-target-annotation="' .. number
      .. '"' .. step .. '>' .. number .. "</dt>\n<dd" .. step .. ">"))
    blocks:extend(item)
    blocks:insert(pandoc.RawBlock("html", "</dd>"))
  end
  blocks:insert(pandoc.RawBlock("html", "</dl>"))
  return blocks
end

-- Whether a block is an executable cell's div (its code and outputs), which Quarto holds back while its list may
-- still come.
local function is_cell(block)
  return block.t == "Div" and block.classes:includes("cell")
end

-- An annotated block no list explains: its markers stay stripped, as Quarto strips them, and it has no numbers
-- (Quarto's numbers come from the list).
local function without_numbers(block)
  local function strip(code)
    code.attributes["data-code-annotations"] = nil
    return code
  end
  return block.t == "CodeBlock" and strip(block) or block:walk({CodeBlock = strip})
end

-- As Quarto's filter: a cell with markers waits for the ordered list that explains it, and a cell without
-- markers that comes first is written at once, before it (so the list still finds its cell two cells up); any
-- other block, or another annotated block, ends the wait. A plain code block with markers is written at once and
-- the list right after it is its explanation.
function Blocks(blocks)
  if mode == "false" then
    return nil
  end
  local result = pandoc.Blocks({})
  local changed = false
  local waiting, waiting_outputs = nil, {}  -- an annotated cell and the outputs that follow it outside its div
  local written = nil  -- where an annotated plain code block was just written, whose list may follow
  local function flush()
    if waiting then
      result:insert(without_numbers(waiting))
      result:extend(waiting_outputs)
    elseif written then
      result[written] = without_numbers(result[written])
    end
    waiting, waiting_outputs, written = nil, {}, nil
  end
  local function add_script()
    if common.html and mode ~= "none" and not script_added then
      script_added = true
      result:insert(script_block())
    end
  end
  local index = 1
  while index <= #blocks do
    local block = blocks[index]
    -- (a cell's own code is annotated with its cell, as Quarto's filter leaves cell-code to the cell's div)
    local own_code = block.t == "CodeBlock" and not block.classes:includes("cell-code")
    if (own_code or block.t == "Div") and has_markers(block) then
      changed = true
      flush()  -- (Quarto drops a cell still waiting here; it is kept, written without numbers)
      local annotated = annotate_block(block)
      local outputs = {}
      index = index + 1
      while blocks[index] and is_output(blocks[index]) do
        outputs[#outputs + 1] = blocks[index]
        index = index + 1
      end
      if is_cell(annotated) then
        waiting, waiting_outputs = annotated, outputs
      else
        result:insert(annotated)
        written = #result
        result:extend(outputs)
      end
    elseif block.t == "OrderedList" and (waiting or written) then
      local explained = waiting or result[written]
      if mode ~= "none" then  -- right after the code, before its outputs
        local list = common.html and list_of(block, cell_id(explained)) or {block}
        if waiting then  -- inside the cell, after its code, as Quarto's div.cell-annotation
          waiting.content:insert(2, pandoc.Div(list, pandoc.Attr("", {"cell-annotation"})))
        else
          for offset, item in ipairs(list) do
            result:insert(written + offset, item)
          end
        end
        add_script()
      end
      if waiting then
        result:insert(waiting)
      end
      result:extend(waiting and waiting_outputs or {})
      waiting, waiting_outputs, written = nil, {}, nil
      index = index + 1
    elseif waiting and is_cell(block) then
      result:insert(block)  -- Quarto writes it before the annotated cell that still waits for its list
      index = index + 1
    else
      flush()
      result:insert(block)
      index = index + 1
    end
  end
  flush()
  return changed and result or nil
end

function Meta(meta)
  local renderer = meta["embedded-renderer"] or {}
  if renderer["code-annotations"] then
    mode = pandoc.utils.stringify(renderer["code-annotations"])
  end
end

return {{Meta = Meta}, {Blocks = Blocks}}
