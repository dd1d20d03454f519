-- Highlighted code lines on reveal.js slides (https://quarto.org/docs/presentations/revealjs/#line-highlighting):
-- code-line-numbers="1,3" highlights those lines; "|1|2-3" steps through the highlights, one step per
-- fragment (the first part before any click; empty means every line). The lines are pandoc's
-- numbered <span id="cbN-K"> lines; assets/line_highlights.js does the highlighting as the fragments
-- show, so the steps survive an embedded, offline file.

local function steps_of(value)
  if value == nil or value == "true" or value == "false" then return nil end
  local steps = {}
  for part in (value .. "|"):gmatch("([^|]*)|") do steps[#steps + 1] = part end
  return steps
end

function CodeBlock(code)
  if not FORMAT:match("revealjs") then return nil end
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
