-- Raw HTML that reaches a LaTeX document (an <iframe>, a <video>, a widget's markup) cannot be shown
-- there; pandoc would drop it without a word. It is left out with one warning that names it, as the
-- other formats keep it. Comments, styles and empty layout elements are not content, and HTML tables
-- were converted before this runs.

local dropped = {}

local function describe(text)
  local tag = text:match("<%s*([%a][%w-]*)")
  return tag and ("<" .. tag:lower() .. ">") or text:sub(1, 30)
end

local function is_content(raw)
  if raw.format ~= "html" then return false end
  -- a page's styles (pandas writes them before its tables) are not content either
  local text = raw.text:gsub("<!%-%-.-%-%->", ""):gsub("<[sS][tT][yY][lL][eE][^>]*>.-</[sS][tT][yY][lL][eE]%s*>", "")
  text = text:gsub("</[%w-]+%s*>", ""):gsub("^%s+", ""):gsub("%s+$", "")
  -- a closing tag alone belongs to the element already named; an empty layout element (the HTML half of
  -- {{< pagebreak >}}: <div style="page-break-after: always;"></div>) holds nothing to show
  local empty_layout = text:match("^<%s*(%a+)[^<>]*>$")
  if empty_layout and ({div = true, span = true, br = true, hr = true, p = true})[empty_layout:lower()] then
    return false
  end
  return text ~= ""
end

function RawBlock(raw)
  if is_content(raw) then
    dropped[describe(raw.text)] = true
    return {}
  end
end

function Pandoc(doc)
  doc = doc:walk({RawBlock = RawBlock})
  local names = {}
  for name in pairs(dropped) do names[#names + 1] = name end
  table.sort(names)
  if #names > 0 then
    io.stderr:write("warning: HTML-only content left out of the PDF: " .. table.concat(names, ", ") .. "\n")
  end
  return doc
end
