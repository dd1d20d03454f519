-- Highlighted code lines on reveal.js slides (https://quarto.org/docs/presentations/revealjs/#line-highlighting):
-- code-line-numbers="1,3" highlights those lines; "|1|2-3" steps through the highlights, one step per
-- fragment (the first part before any click; empty means every line). The lines are pandoc's
-- numbered <span id="cbN-K"> lines; assets/line_highlights.js does the highlighting as the fragments
-- show, so the steps survive an embedded, offline file.

-- Line numbers as Quarto gives them: a code block with a language (any class) is numbered when its own
-- code-line-numbers, else the document's (true by default in reveal.js decks, false in pages), is not false;
-- a string of lines to highlight numbers it too.

local numbered_by_default = false

local function read_default(meta)
  local renderer = meta["embedded-renderer"] or {}
  local value = renderer["code-line-numbers"] and pandoc.utils.stringify(renderer["code-line-numbers"]) or ""
  numbered_by_default = value ~= "" and value ~= "false"
end

local function numbered(code)
  local own = code.attributes["code-line-numbers"]
  if own == nil then return numbered_by_default end
  return own ~= "false" and own ~= "0"
end

local function steps_of(value)
  if value == nil or value == "true" or value == "false" then return nil end
  local steps = {}
  for part in (value .. "|"):gmatch("([^|]*)|") do steps[#steps + 1] = part end
  return steps
end

local function CodeBlock(code)
  if #code.classes > 0 and not code.classes:includes("numberLines") and not code.classes:includes("number-lines")
      and numbered(code) then
    code.classes:insert("number-lines")
  end
  if not FORMAT:match("revealjs") then
    code.attributes["code-line-numbers"] = nil
    return code
  end
  local value = code.attributes["code-line-numbers"]
  local steps = steps_of(value)
  code.attributes["code-line-numbers"] = nil
  if not steps then return code end
  code.attributes["code-highlight-steps"] = table.concat(steps, "|")
  local blocks = {code}
  for index = 2, #steps do
    blocks[#blocks + 1] = pandoc.Plain({pandoc.Span({}, pandoc.Attr("", {"fragment", "code-highlight-step"},
                                                                   {["data-step"] = tostring(index - 1)}))})
  end
  return blocks
end

return {{Meta = read_default}, {CodeBlock = CodeBlock}}
