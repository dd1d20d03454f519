-- LaTeX macros defined in maths ($$ \newcommand{\vect}[1]{\mathbf{#1}} $$), expanded in every formula, as the
-- pandoc of Quarto 1.7 and 1.8 expands them when it reads the page. Course notes keep such definitions in a
-- hidden div (::: {.content-hidden} or {.hidden}, often through {{< include macros.tex >}}): without this, a
-- page's MathJax never sees the definitions the div took away, and LaTeX, which reads a definition inside
-- \[ ... \] as local to it, stops at the first use ("Undefined control sequence"). pandoc 3.9 no longer
-- applies them. The definitions are taken out of the formulas (a formula left empty goes too); \newcommand,
-- \renewcommand, \def and \DeclareMathOperator(*) are read, with arguments (#1 ... #9) and an optional first
-- argument's default.

local macros = {}   -- name (without the backslash) -> {arguments = n, default = text or nil, body = text}
local names = {}    -- in the order they were defined

-- the balanced {...} group at position i of s (after spaces): its inside and the position after it
local function group(s, i)
  i = s:find("%S", i) or (#s + 1)
  if s:sub(i, i) ~= "{" then return nil, i end
  local depth = 0
  for j = i, #s do
    local c = s:sub(j, j)
    -- (an escaped brace, \{ or \}, does not open or close a group)
    if c == "{" and s:sub(j - 1, j - 1) ~= "\\" then
      depth = depth + 1
    elseif c == "}" and s:sub(j - 1, j - 1) ~= "\\" then
      depth = depth - 1
      if depth == 0 then return s:sub(i + 1, j - 1), j + 1 end
    end
  end
  return nil, i
end

-- the [...] option at position i of s (after spaces), its inside and the position after it
local function option(s, i)
  local j = s:find("%S", i) or (#s + 1)
  if s:sub(j, j) ~= "[" then return nil, i end
  local close = s:find("]", j, true)
  if not close then return nil, i end
  return s:sub(j + 1, close - 1), close + 1
end

-- one definition starting at position i (at its backslash); its end, or nil when it is not one
local function definition(s, i)
  local command = s:match("^\\(%a+%*?)", i)
  local after = i + 1 + #(command or "")
  local name
  if command == "newcommand" or command == "renewcommand" or command == "providecommand" then
    local braced, next_i = group(s, after)
    if braced then
      name, after = braced:match("^%s*\\(%a+)%s*$"), next_i
    else
      name, after = s:match("^%s*\\(%a+)()", after)
    end
    if not name then return nil end
    local count, default
    count, after = option(s, after)
    default, after = option(s, after)
    local body
    body, after = group(s, after)
    if not body then return nil end
    if not macros[name] then names[#names + 1] = name end
    macros[name] = {arguments = tonumber(count or "0") or 0, default = default, body = body}
    return after
  elseif command == "def" then
    local parameters
    name, parameters, after = s:match("^\\(%a+)([#%d]*)()", after)
    if not name then return nil end
    local body
    body, after = group(s, after)
    if not body then return nil end
    if not macros[name] then names[#names + 1] = name end
    macros[name] = {arguments = #parameters // 2, body = body}
    return after
  elseif command == "DeclareMathOperator" or command == "DeclareMathOperator*" then
    local braced, next_i = group(s, after)
    name = braced and braced:match("^%s*\\(%a+)%s*$")
    local text
    text, after = group(s, next_i)
    if not name or not text then return nil end
    if not macros[name] then names[#names + 1] = name end
    local operator = command:sub(-1) == "*" and "\\operatorname*" or "\\operatorname"
    macros[name] = {arguments = 0, body = operator .. "{" .. text .. "}"}
    return after
  end
  return nil
end

-- the formula's text without its definitions (each one read into the table)
local function take_definitions(text)
  local kept, i = {}, 1
  while true do
    local start = text:find("\\%a", i)
    if not start then break end
    local stop = definition(text, start)
    if stop then
      kept[#kept + 1] = text:sub(i, start - 1)
      i = stop
    else
      local word_end = (text:find("[^%a]", start + 1) or (#text + 1))
      kept[#kept + 1] = text:sub(i, word_end - 1)
      i = word_end
    end
  end
  kept[#kept + 1] = text:sub(i)
  return table.concat(kept)
end

-- one argument at position i: a {group}, else one token (a command or a character)
local function argument(s, i)
  local braced, after = group(s, i)
  if braced then return braced, after end
  local j = s:find("%S", i)
  if not j then return nil, i end
  local command = s:match("^\\%a+", j)
  if command then return command, j + #command end
  return s:sub(j, j), j + 1
end

local function expand_once(text)
  local changed = false
  local out, i = {}, 1
  while true do
    local start, stop, name = text:find("\\(%a+)", i)
    if not start then break end
    local macro = macros[name]
    if macro and text:sub(start - 1, start - 1) ~= "\\" then
      local body, position = macro.body, stop + 1
      local values = {}
      local first = 1
      if macro.default then
        local given
        given, position = option(text, position)
        values[1] = given or macro.default
        first = 2
      end
      local complete = true
      for k = first, macro.arguments do
        local value
        value, position = argument(text, position)
        if value == nil then complete = false break end
        values[k] = value
      end
      if complete then
        body = body:gsub("#(%d)", function(k) return values[tonumber(k)] or "" end)
        out[#out + 1] = text:sub(i, start - 1) .. body
        i = position
        changed = true
      else
        out[#out + 1] = text:sub(i, stop)
        i = stop + 1
      end
    else
      out[#out + 1] = text:sub(i, stop)
      i = stop + 1
    end
  end
  out[#out + 1] = text:sub(i)
  return table.concat(out), changed
end

local function expanded(text)
  for _ = 1, 20 do  -- macros that use macros; a bound for one that uses itself
    local next_text, changed = expand_once(text)
    if not changed then return text end
    text = next_text
  end
  return text
end

function Pandoc(doc)
  -- first every definition (a page's macros usually sit at its top, but a hidden div may come anywhere)
  doc = doc:walk({
    Math = function(math)
      if not math.text:find("\\%a") then return nil end
      local text = take_definitions(math.text)
      if text == math.text then return nil end
      if not text:find("%S") then return {} end  -- only definitions: nothing to show
      math.text = text
      return math
    end,
  })
  if #names == 0 then return doc end
  local function blank(block)  -- a paragraph that held only definitions
    for _, inline in ipairs(block.content) do
      if inline.t ~= "Space" and inline.t ~= "SoftBreak" and inline.t ~= "LineBreak" then return nil end
    end
    return {}
  end
  local function raw(element)
    if element.format == "latex" or element.format == "tex" then
      element.text = expanded(element.text)
      return element
    end
  end
  return doc:walk({
    Math = function(math) math.text = expanded(math.text) return math end,
    RawInline = raw,
    RawBlock = raw,
    Para = blank,
    Plain = blank,
  })
end
