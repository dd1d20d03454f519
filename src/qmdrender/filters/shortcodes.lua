-- Shortcodes that extensions define in Lua (https://quarto.org/docs/extensions/shortcodes.html), such as
-- {{< fa brands github >}}. markdown.py leaves each call it does not know itself as a placeholder span
-- (class quarto-shortcode, the call as percent-encoded JSON); this filter loads the extensions' Lua files,
-- each of which returns a table of handlers by name, and replaces the placeholder with what the handler
-- returns. A call alone in a paragraph may return blocks, which replace the paragraph.
--
-- The handlers get the part of Quarto's Lua API that extensions use (quarto_api.lua: quarto.doc.is_format,
-- add_html_dependency, use_latex_package, include_text, quarto.log, quarto.utils.resolve_path). A
-- dependency's stylesheets and scripts go to the page's head, where pandoc embeds them. A LaTeX package
-- or header text goes to a file that the renderer adds to the preamble; a package TeX does not have is a
-- warning, and that call is left out of the PDF.
-- A shortcode no extension defines is left out, with a warning, as Quarto leaves it.

local here = pandoc.path.directory(PANDOC_SCRIPT_FILE)
local quarto_api = dofile(pandoc.path.join({here, "quarto_api.lua"}))
local api, state = quarto_api.new()

local handlers = {}

local function warn(message)
  io.stderr:write("[WARNING] " .. message .. "\n")
end

local function decode(text)
  return (text:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

local function load(files)
  _G.quarto = _G.quarto or api
  for _, file in ipairs(files) do
    local path = pandoc.utils.stringify(file)
    -- a file returns its shortcodes as a table, or defines them as global functions (an older style
    -- Quarto still reads): it runs in an environment of its own, whose new functions are its shortcodes
    local env = setmetatable({}, {__index = _G})
    local chunk, problem = loadfile(path, "t", env)
    local ok, result = false, problem
    -- while it loads, the file finds its modules as a filter does, and PANDOC_SCRIPT_FILE names the shortcode
    -- file, as in Quarto (downloadthis finds its helpers by it)
    state.script = path
    local searched, script_file = package.path, PANDOC_SCRIPT_FILE
    package.path = quarto_api.module_path(path)
    PANDOC_SCRIPT_FILE = path
    if chunk then ok, result = pcall(chunk) end
    package.path, PANDOC_SCRIPT_FILE = searched, script_file
    if not ok then
      warn("shortcodes in " .. path .. " could not be loaded: " .. tostring(result))
    else
      for _, defined in ipairs({type(result) == "table" and result or {}, env}) do
        for name, handler in pairs(defined) do
          if type(handler) == "function" and handlers[name] == nil then
            handlers[name] = {run = handler, script = path}
          end
        end
      end
    end
  end
end

local function call_of(span)
  if not span.classes:includes("quarto-shortcode") then
    return nil
  end
  local ok, call = pcall(pandoc.json.decode, decode(span.attributes["call"] or ""))
  return ok and call or nil
end

local metadata = nil
local undefined_as_text = false

-- The handler's result as blocks or inlines; nil when the call shows as its own text.
local function run(call)
  local handler = handlers[call.name]
  if handler == nil then  -- Quarto: "Shortcode 'fa' not found", and the call left out
    warn("shortcode {{< " .. call.name .. " >}} is defined by no extension here (Quarto: \"Shortcode '"
      .. call.name .. "' not found\"); it is left out, as Quarto leaves it.")
    -- (a site's navigation asks for it back as its text, to say once which calls it leaves out)
    return not undefined_as_text and pandoc.Inlines({}) or nil
  end
  local args = pandoc.List()
  for _, value in ipairs(call.args) do
    args:insert(pandoc.Inlines({pandoc.Str(value)}))
  end
  local kwargs = setmetatable({}, {__index = function() return pandoc.Inlines({}) end})
  for key, value in pairs(call.kwargs) do
    rawset(kwargs, key, pandoc.Inlines({pandoc.Str(value)}))
  end
  state.script, state.missing_package = handler.script, false
  local ok, result = pcall(handler.run, args, kwargs, metadata, call.raw, {})
  if not ok then
    warn("shortcode {{< " .. call.name .. " >}} failed: " .. tostring(result) .. "; left as text.")
    return nil
  end
  if state.missing_package then
    return pandoc.Inlines({})
  end
  if type(result) == "string" or type(result) == "number" then
    result = pandoc.Inlines(tostring(result))
  elseif type(result) == "table" and (pandoc.utils.type(result) == "table" or pandoc.utils.type(result) == "List") then
    -- a plain list of elements: inlines, or blocks
    local ok, inlines = pcall(pandoc.Inlines, result)
    result = ok and inlines or pandoc.Blocks(result)
  end
  return result or pandoc.Inlines({})
end

local function as_text(call)
  return pandoc.Inlines(call.text)
end

local function inline_result(result)
  local kind = pandoc.utils.type(result)
  if kind == "Block" or kind == "Blocks" then
    return pandoc.utils.blocks_to_inlines(kind == "Block" and {result} or result)
  end
  if kind == "Inline" then  -- one inline (a RawInline): a list of one, which a paragraph can be made of
    return pandoc.Inlines({result})
  end
  if kind ~= "Inlines" then  -- pandoc.Null() and the like: nothing
    return pandoc.Inlines({})
  end
  return result
end

local function resolve_span(span)
  local call = call_of(span)
  if call == nil then
    return nil
  end
  local result = run(call)
  if result == nil then
    return as_text(call)
  end
  return inline_result(result)
end

local function resolve_paragraph(para)
  local content = para.content:filter(function(inline) return inline.t ~= "Space" and inline.t ~= "SoftBreak" end)
  if #content ~= 1 or content[1].t ~= "Span" then
    return nil
  end
  local call = call_of(content[1])
  if call == nil then
    return nil
  end
  local rebuild = para.t == "Plain" and pandoc.Plain or pandoc.Para
  local result = run(call)
  if result == nil then
    return rebuild(as_text(call))
  end
  local kind = pandoc.utils.type(result)
  if kind == "Block" or kind == "Blocks" then
    return result
  end
  local inlines = inline_result(result)
  return #inlines > 0 and rebuild(inlines) or {}
end

function Pandoc(doc)
  local renderer = doc.meta["embedded-renderer"] or {}
  load(renderer["shortcode-files"] or {})
  metadata = doc.meta
  undefined_as_text = renderer["undefined-shortcodes-as-text"] == true
  state.locate(doc.meta)
  doc = doc:walk({Para = resolve_paragraph, Plain = resolve_paragraph})
  doc = doc:walk({Span = resolve_span})
  return quarto_api.place(doc, state)
end
