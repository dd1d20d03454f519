-- Conditional content (https://quarto.org/docs/authoring/conditional.html): divs, spans and code blocks
-- with class .content-visible or .content-hidden, and the attributes when-format / unless-format, when-meta /
-- unless-meta, when-profile / unless-profile. Runs first, so that what a format leaves out is never
-- numbered, cross-referenced or listed.
--
-- Format names match as Quarto's aliases do: "html" is every HTML format (html, revealjs, epub),
-- "html:js" the ones that run scripts, "pdf" and "latex" every LaTeX format (pdf, beamer), "markdown" every
-- Markdown format (gfm, commonmark, markdown, md), and any other name matches the format of that name.

local renderer = {}
local metadata = {}

local ALIASES = {
  html = {html = true, revealjs = true, epub = true},
  ["html:js"] = {html = true, revealjs = true},
  pdf = {pdf = true, beamer = true},
  latex = {pdf = true, beamer = true},
  revealjs = {revealjs = true},
  beamer = {beamer = true},
  markdown = {gfm = true, commonmark = true, markdown = true, md = true},
}

local function format_matches(names, format)
  for name in names:gmatch("[^,%s]+") do
    local family = ALIASES[name]
    if (family and family[format]) or name == format then
      return true
    end
  end
  return false
end

-- A metadata value by its dotted path; true when it is set and not false.
local function meta_is_true(path)
  local value = metadata
  for key in path:gmatch("[^.]+") do
    if type(value) ~= "table" and pandoc.utils.type(value) ~= "Meta" then
      return false
    end
    value = value[key]
    if value == nil then
      return false
    end
  end
  if type(value) == "boolean" then
    return value
  end
  local text = pandoc.utils.stringify(value)
  return text ~= "" and text ~= "false"
end

local function profile_active(names)
  local active = tostring(renderer["profiles"] and pandoc.utils.stringify(renderer["profiles"]) or "")
  for name in names:gmatch("[^,%s]+") do
    for profile in active:gmatch("[^,%s]+") do
      if profile == name then
        return true
      end
    end
  end
  return false
end

-- Whether every condition on the element holds (Quarto: all of them must).
local function conditions_hold(element)
  local format = pandoc.utils.stringify(renderer["format"] or "")
  local attributes = element.attributes
  local checks = {
    {"when-format", function(v) return format_matches(v, format) end},
    {"unless-format", function(v) return not format_matches(v, format) end},
    {"when-meta", function(v) return meta_is_true(v) end},
    {"unless-meta", function(v) return not meta_is_true(v) end},
    {"when-profile", function(v) return profile_active(v) end},
    {"unless-profile", function(v) return not profile_active(v) end},
  }
  for _, check in ipairs(checks) do
    local value = attributes[check[1]]
    if value ~= nil and not check[2](value) then
      return false
    end
  end
  return true
end

local function has_conditions(element)
  for _, name in ipairs({"when-format", "unless-format", "when-meta", "unless-meta", "when-profile",
                         "unless-profile"}) do
    if element.attributes[name] ~= nil then
      return true
    end
  end
  return false
end

local function decide(element)
  local visible = element.classes:includes("content-visible")
  local hidden = element.classes:includes("content-hidden")
  if not visible and not hidden then
    return nil
  end
  local holds = conditions_hold(element)
  -- .content-visible with no condition is always shown; .content-hidden with none is always hidden
  local show = (visible and holds) or (hidden and has_conditions(element) and not holds)
  if not show then
    return {}
  end
  -- shown: the element goes, unless it carries more (an id, other classes such as .column-margin)
  element.classes = element.classes:filter(function(c) return c ~= "content-visible" and c ~= "content-hidden" end)
  for _, name in ipairs({"when-format", "unless-format", "when-meta", "unless-meta", "when-profile",
                         "unless-profile"}) do
    element.attributes[name] = nil
  end
  if element.t ~= "CodeBlock" and element.identifier == "" and #element.classes == 0 and #element.attributes == 0 then
    return element.content
  end
  return element
end

return {
  {
    Meta = function(meta)
      metadata = meta
      renderer = meta["embedded-renderer"] or {}
    end,
  },
  {
    Div = decide,
    Span = decide,
    CodeBlock = decide,  -- a code block shown for one format only (its text, not the element, is its content)
  },
}
