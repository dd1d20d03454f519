-- The part of Quarto's Lua API (https://quarto.org/docs/extensions/lua-api.html) that extensions'
-- shortcodes and filters call: quarto.doc.is_format, add_html_dependency, use_latex_package,
-- include_text, quarto.log, quarto.utils.resolve_path, quarto.json, quarto.doc.input_file,
-- quarto.project.directory, quarto.metadata.get, quarto.variables.get, and the constructors
-- quarto.Callout, quarto.Tabset and quarto.Tab.
-- shortcodes.lua and the wrapper user_filters.py writes around a document's own filters load it with:
--   local quarto_api = dofile(pandoc.path.join({<this folder>, "quarto_api.lua"}))
--   local api, state = quarto_api.new()
-- ``state`` collects what the calls ask for, for the caller to place (quarto_api.place): ``head``,
-- ``before_body`` and ``after_body`` (HTML, or LaTeX text for the body), ``header_lines`` (LaTeX preamble), and
-- ``missing_package`` (a LaTeX package TeX lacks was asked for since the caller last reset it).
-- ``state.script`` is the Lua file running (quarto.utils.resolve_path is relative to it).

local here = pandoc.path.directory(debug.getinfo(1, "S").source:sub(2))
local common = dofile(pandoc.path.join({here, "common.lua"}))
local custom_nodes = dofile(pandoc.path.join({here, "custom_nodes.lua"}))

local quarto_api = {}

local function warn(message)
  io.stderr:write("[WARNING] " .. message .. "\n")
end

local function escape_attribute(text)
  return (text:gsub("&", "&amp;"):gsub('"', "&quot;"):gsub("<", "&lt;"))
end

-- ' name="value"' for each entry of a table, in the order of the names (a page is the same on every render)
local function html_attributes(attributes)
  local names = {}
  for name in pairs(attributes) do names[#names + 1] = tostring(name) end
  table.sort(names)
  local text = ""
  for _, name in ipairs(names) do
    text = text .. " " .. name .. '="' .. escape_attribute(tostring(attributes[name])) .. '"'
  end
  return text
end

function quarto_api.is_format(name)
  name = tostring(name or "")
  local html_js = FORMAT:match("^html") or FORMAT == "revealjs"
  local aliases = {
    ["html"] = FORMAT:match("^html") or FORMAT == "revealjs" or FORMAT:match("^epub"),
    ["html:js"] = html_js, ["js"] = html_js,
    ["latex"] = common.latex, ["pdf"] = common.latex, ["tex"] = common.latex,
    ["beamer"] = FORMAT == "beamer", ["revealjs"] = FORMAT == "revealjs",
    ["markdown"] = FORMAT:match("markdown") or FORMAT == "gfm" or FORMAT == "commonmark",
    ["ipynb"] = FORMAT == "ipynb", ["docx"] = FORMAT == "docx", ["pptx"] = FORMAT == "pptx", ["typst"] = FORMAT == "typst",
    ["html5"] = FORMAT:match("^html") ~= nil, ["slides"] = FORMAT == "revealjs" or FORMAT == "beamer" or FORMAT == "pptx",
    -- GitHub Markdown is pandoc's CommonMark writer with GitHub's extensions (FORMAT "commonmark"), as in Quarto
    ["gfm"] = quarto_api.output_format == "gfm",
  }
  if aliases[name] ~= nil then
    return aliases[name] and true or false
  end
  return FORMAT == name
end

local function as_blocks(value)
  if value == nil then return pandoc.Blocks({}) end
  if type(value) == "string" then return pandoc.Blocks({pandoc.Plain(pandoc.Inlines(value))}) end
  if value.t == "Inlines" or (value[1] and pandoc.utils.type(value[1]) == "Inline") then
    return pandoc.Blocks({pandoc.Plain(value)})
  end
  return pandoc.Blocks(value.t and {value} or value)
end

-- Quarto's constructors of its own elements (https://quarto.org/docs/extensions/lua-api.html#custom-ast-nodes)
-- build the Markdown a writer would: a ``.callout-<type>`` div, a ``.panel-tabset`` div of headed tabs,
-- which the renderer's filters (run after an extension's) then draw as they draw written ones.
local function callout(options)
  local attributes = {}
  for _, key in ipairs({"appearance", "collapse", "icon"}) do
    if options[key] ~= nil then attributes[key] = tostring(options[key]) end
  end
  local content = as_blocks(options.content)
  if type(options.title) == "string" then
    attributes.title = options.title
  elseif options.title ~= nil then
    content:insert(1, pandoc.Header(2, pandoc.Inlines(options.title)))
  end
  local classes = {"callout-" .. tostring(options.type or "note")}
  return pandoc.Div(content, pandoc.Attr(options.id or "", classes, attributes))
end

local function tab(options)
  return {title = options.title, content = options.content}
end

local function tabset(options)
  local level = options.level or 2
  local blocks = pandoc.Blocks({})
  for _, item in ipairs(options.tabs or {}) do
    local title = type(item.title) == "string" and pandoc.Inlines(item.title) or pandoc.Inlines(item.title or {})
    blocks:insert(pandoc.Header(level, title, pandoc.Attr("", item.active and {"active"} or {})))
    blocks:extend(as_blocks(item.content))
  end
  local attr = options.attr or pandoc.Attr()
  if not attr.classes:includes("panel-tabset") then attr.classes:insert("panel-tabset") end
  return pandoc.Div(blocks, attr)
end

local function log(...)
  local parts = {}
  for _, value in ipairs({...}) do
    -- text as it is; an element or a table as pandoc shows it (an empty Div is "Div ("refs",[],[]) []", not "")
    parts[#parts + 1] = type(value) == "string" and value or tostring(value)
  end
  warn(table.concat(parts, " "))
end

-- pandoc 3 has no Null element; Quarto keeps pandoc.Null() for extensions that still return it (an empty
-- list: nothing in its place), and so does this API
if pandoc.Null == nil then
  pandoc.Null = function() return {} end
end

-- quarto.base64 (Quarto 1.4): standard Base64 with "=" padding, as extensions embed files with it
local BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function base64_encode(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = {}
    for k = 3, 0, -1 do
      local index = math.floor(n / 64 ^ k) % 64 + 1
      chars[#chars + 1] = BASE64:sub(index, index)
    end
    if not b then chars[3], chars[4] = "=", "=" elseif not c then chars[4] = "=" end
    out[#out + 1] = table.concat(chars)
  end
  return table.concat(out)
end

local base64_decode = common.base64_decode

-- A dependency's stylesheet for the page's head: a link to it, or, when it names local files that are not there
-- (quarto-ext/fontawesome 1.1.0 names a font one folder too high), its text with those emptied and the others
-- named from its folder, said in a warning: the page embeds what its CSS uses and pandoc stops at a missing
-- file, where Quarto's page links the stylesheet and the browser draws nothing for it
-- (qmdrender.themes.with_local_urls does the same for a document's own css).
local function stylesheet_html(path, attributes)
  local link = '<link rel="stylesheet" href="' .. escape_attribute(path) .. '"' .. attributes .. ">"
  local file = io.open(path, "rb")
  if not file then
    return link
  end
  local text = file:read("a")
  file:close()
  local folder, missing = pandoc.path.directory(path), {}
  local function located(quote, target)
    if target:match("^%a[%w+.-]*:") or target:match("^/") or target:match("^#") then
      return nil  -- data:, a web address, the site's root or an SVG fragment: as written
    end
    local name, rest = target:match("^([^?#]*)(.*)$")
    if name == "" then
      return nil
    end
    local full = pandoc.path.normalize(pandoc.path.join({folder, name}))
    local found = io.open(full, "rb")
    if found then
      found:close()
      return 'url("' .. full .. rest .. '")'
    end
    missing[#missing + 1] = target
    return 'url("data:,")'
  end
  local copy = text:gsub("url%(%s*([\"']?)([^\"')]-)%1%s*%)", located)
  if #missing == 0 then
    return link
  end
  warn("the stylesheet " .. path .. " refers to " .. table.concat(missing, ", ")
       .. ", which " .. (#missing == 1 and "does" or "do") .. " not exist; left out (the rest of it applies).")
  return "<style" .. attributes .. ">\n" .. copy .. "\n</style>"
end

-- A new API and the state its calls fill.
function quarto_api.new()
  local state = {head = {}, before_body = {}, after_body = {}, header_lines = {}, linked = {},
                 missing_package = false, script = nil}

  -- a dependency's files (paths relative to the Lua file that names them) with their attributes
  local function dependency_entries(dependency, key, script)
    local entries = {}
    for _, entry in ipairs(dependency[key] or {}) do
      local path = type(entry) == "table" and (entry.path or entry.href) or entry
      if path then
        if not pandoc.path.is_absolute(path) then
          path = pandoc.path.join({pandoc.path.directory(script or "."), path})
        end
        local attribs = type(entry) == "table" and type(entry.attribs) == "table" and entry.attribs or {}
        local after_body = type(entry) == "table" and entry.afterBody
        entries[#entries + 1] = {path = path, attribs = attribs, after_body = after_body}
      end
    end
    return entries
  end

  local function add_html_dependency(dependency)
    if not common.html or state.linked[dependency.name or ""] then
      return
    end
    state.linked[dependency.name or ""] = true
    local names = {}
    for name in pairs(dependency.meta or {}) do names[#names + 1] = tostring(name) end
    table.sort(names)  -- in one order, so that a page is the same on every render
    for _, name in ipairs(names) do
      state.head[#state.head + 1] = '<meta name="' .. escape_attribute(name) .. '" content="'
        .. escape_attribute(tostring(dependency.meta[name])) .. '">'
    end
    for _, link in ipairs(dependency.links or {}) do
      state.head[#state.head + 1] = "<link" .. html_attributes(link) .. ">"
    end
    for _, entry in ipairs(dependency_entries(dependency, "stylesheets", state.script)) do
      state.head[#state.head + 1] = stylesheet_html(entry.path, html_attributes(entry.attribs))
    end
    for _, entry in ipairs(dependency_entries(dependency, "scripts", state.script)) do
      -- pandoc writes a script's text into the page, and a script written in cannot be deferred: a
      -- deferred one goes after the body, where it runs at the moment defer would run it (the page is read)
      local late = entry.after_body or (entry.attribs.defer ~= nil and entry.attribs.defer ~= false)
      local where = late and state.after_body or state.head
      where[#where + 1] = '<script src="' .. escape_attribute(entry.path) .. '"' .. html_attributes(entry.attribs)
        .. "></script>"
    end
    if dependency.head then
      state.head[#state.head + 1] = dependency.head
    end
  end

  local function use_latex_package(name, options)
    if not common.latex then
      return
    end
    local ok, found = pcall(pandoc.pipe, "kpsewhich", {name .. ".sty"}, "")
    -- a project's own copy of a package (fontawesome5.sty beside the document) loads its companions from
    -- TeX's tree: without them xelatex stops, so the copy counts only with every package it requires
    found = ok and found:gsub("%s+$", "") or ""
    if ok and not found:match("^/") and not found:match("^%a:[\\/]") then
      local file = io.open(found, "r")
      local text = file and file:read("a") or ""
      if file then file:close() end
      for _, required in text:gmatch("\\RequirePackage%s*(%[?[^%]{]*%]?)%s*{([^}]+)}") do
        for part in required:gmatch("[^,%s]+") do
          if not pcall(pandoc.pipe, "kpsewhich", {part .. ".sty"}, "") then ok, found = false, part end
        end
      end
    end
    if not ok then
      local which = found ~= "" and found ~= name and (" (the project's copy needs " .. found .. ".sty)") or ""
      warn("the LaTeX package " .. name .. " (asked for by an extension) is not installed" .. which .. "; what "
        .. "asked for it is left out of the PDF (install the TeX package that has " .. name .. ".sty).")
      state.missing_package = true
      return
    end
    state.header_lines[#state.header_lines + 1] =
      "\\usepackage" .. (options and ("[" .. options .. "]") or "") .. "{" .. name .. "}"
  end

  local function include_text(location, text)
    if location == "in-header" and common.latex then
      state.header_lines[#state.header_lines + 1] = text
    elseif location == "in-header" and common.html then
      state.head[#state.head + 1] = text
    elseif location == "after-body" then
      state.after_body[#state.after_body + 1] = text
    elseif common.html or common.latex then
      state.before_body[#state.before_body + 1] = text
    end
  end

  local function resolve_path(path)
    return pandoc.path.join({pandoc.path.directory(state.script or "."), path})
  end

  local api = {
    doc = {
      is_format = quarto_api.is_format, isFormat = quarto_api.is_format,
      add_html_dependency = add_html_dependency, addHtmlDependency = add_html_dependency,
      use_latex_package = use_latex_package, useLatexPackage = use_latex_package,
      include_text = include_text, includeText = include_text,
      include_file = function(location, path)
        local file = io.open(resolve_path(path), "r")
        if file then include_text(location, file:read("a")) file:close() end
      end,
      has_bootstrap = function() return FORMAT:match("^html") ~= nil end,
      input_file = nil, output_file = nil,
      -- pages embed what they use, so there is nothing to copy beside them
      add_format_resource = function() end, addFormatResource = function() end,
      attach_to_dependency = function() end, add_resource = function() end,
      cite_method = function() return "citeproc" end, pdf_engine = function() return "xelatex" end,
    },
    format = {
      is_html_output = function() return common.html end, isHtmlOutput = function() return common.html end,
      is_latex_output = function() return common.latex end, isLatexOutput = function() return common.latex end,
      is_revealjs_output = function() return FORMAT == "revealjs" end,
      is_beamer_output = function() return FORMAT == "beamer" end,
      is_typst_output = function() return common.typst end,
      is_docx_output = function() return FORMAT == "docx" end,
      is_ipynb_output = function() return FORMAT == "ipynb" end,
    },
    shortcode = {
      read_arg = function(args, n)
        local arg = args[n or 1]
        return arg and pandoc.utils.stringify(arg) or nil
      end,
      error_output = function(name, message, context)
        local text = "?" .. tostring(name) .. ":" .. tostring(message)
        return context == "block" and pandoc.Para({pandoc.Strong({pandoc.Str(text)})}) or pandoc.Strong({pandoc.Str(text)})
      end,
    },
    json = {encode = pandoc.json.encode, decode = pandoc.json.decode},
    log = {output = log, warning = log, error = log, info = function() end, debug = function() end,
           setloglevel = function() end},
    utils = {
      resolve_path = resolve_path, resolvePath = resolve_path,
      string_to_inlines = function(text) return pandoc.utils.blocks_to_inlines(pandoc.read(text, "markdown").blocks) end,
      string_to_blocks = function(text) return pandoc.read(text, "markdown").blocks end,
      dump = function(value) log(tostring(value)) end,
      as_inlines = function(value) return pandoc.Inlines(value or {}) end,
      as_blocks = function(value) return pandoc.Blocks(value or {}) end,
    },
    project = {profile = pandoc.List({})},  -- profile: the active profiles, as quarto.project.profile lists them
    base64 = {encode = base64_encode, decode = base64_decode},
    -- quarto.brand (Quarto 1.8): whether the document has a light or dark brand, and its colours by mode (the
    -- renderer's metadata brings them: brand-colors); its fonts and logos are not given to filters here
    brand = {
      has_mode = function(mode)
        return state.brand_colors()[tostring(mode or "light")] ~= nil
      end,
      get_color = function(mode, name)
        local colours = state.brand_colors()[tostring(mode or "light")]
        local value = colours and colours[tostring(name)]
        return value ~= nil and pandoc.utils.stringify(value) or nil
      end,
      get_typography = function() return nil end, get_logo = function() return nil end,
    },
    version = {1, 6, 0},
    Callout = callout, Tabset = tabset, Tab = tab,
  }
  -- Quarto's own brand module, which extensions require by name (require("modules/brand/brand")): the same
  -- answers as quarto.brand, its colours and fonts unknown, so that a colour given by value is used as it is
  api.brand.get_color_css = api.brand.get_color
  package.preload["modules/brand/brand"] = package.preload["modules/brand/brand"] or function()
    local none = function() return nil end
    return {get_color = api.brand.get_color, get_color_css = api.brand.get_color,
            get_background_color = function(mode) return api.brand.get_color(mode, "background") end,
            get_typography = none, get_logo = none, has_mode = api.brand.has_mode}
  end
  -- every function also under its camelCase name (quarto.doc.hasBootstrap, quarto.format.isRevealjsOutput),
  -- the older spellings Quarto keeps and extensions still call
  for _, part in ipairs({api.doc, api.format, api.utils, api.shortcode}) do
    local aliases = {}
    for name, value in pairs(part) do
      if type(value) == "function" and name:find("_") then
        aliases[(name:gsub("_(%l)", string.upper))] = value
      end
    end
    for name, value in pairs(aliases) do
      if part[name] == nil then part[name] = value end
    end
  end
  -- quarto.metadata.get("a.b") and quarto.variables.get("a.b") (_variables.yml): a value by its dotted key
  local function lookup(root, key)
    local value = root
    for part in tostring(key):gmatch("[^.]+") do
      if type(value) ~= "table" then return nil end
      value = value[part]
    end
    return value
  end
  api.metadata = {get = function(key) return lookup(state.meta or {}, key) end}
  api.variables = {get = function(key)
    return lookup(((state.meta or {})["embedded-renderer"] or {}).variables or {}, key)
  end}
  -- the document and project, once the caller knows them (from the renderer's metadata)
  function state.brand_colors()
    local renderer = state.meta and state.meta["embedded-renderer"] or {}
    return renderer["brand-colors"] or {}
  end
  function state.locate(meta)
    state.meta = meta
    local renderer = meta and meta["embedded-renderer"] or {}
    if renderer.format then quarto_api.output_format = pandoc.utils.stringify(renderer.format) end
    if renderer["input-file"] then api.doc.input_file = pandoc.utils.stringify(renderer["input-file"]) end
    if renderer["project-root"] then api.project.directory = pandoc.utils.stringify(renderer["project-root"]) end
    if renderer["project-offset"] then api.project.offset = pandoc.utils.stringify(renderer["project-offset"]) end
    local profiles = renderer.profiles and pandoc.utils.stringify(renderer.profiles) or ""
    for name in profiles:gmatch("[^,]+") do api.project.profile:insert(name) end
  end
  return api, state
end

local function raw_format()
  return common.html and "html" or (common.latex and "latex" or nil)
end

-- Where an HTML page's parts go: the renderer moves each marked part to its place in the page (writing.py's
-- placed_extension_html), as Quarto places a dependency in the head and included text before or after the
-- body; pandoc embeds the files they link to on the way.
local HTML_PARTS = {{"head", "head"}, {"before_body", "before-body"}, {"after_body", "after-body"}}

local function html_parts(state)
  local parts = {}
  for _, part in ipairs(HTML_PARTS) do
    local lines = state[part[1]]
    if #lines > 0 then
      parts[#parts + 1] = "<!-- embedded-renderer:" .. part[2] .. " -->\n" .. table.concat(lines, "\n")
        .. "\n<!-- /embedded-renderer:" .. part[2] .. " -->"
      state[part[1]] = {}
    end
  end
  return parts
end

-- What the calls asked for, placed in the document. HTML: one raw block of marked parts, where it makes no
-- slide of its own (common.insert_without_slide). LaTeX:
-- text before and after the body; preamble lines appended to the file the renderer adds to the preamble.
function quarto_api.place(doc, state)
  local raw = raw_format()
  if raw == "html" then
    local parts = html_parts(state)
    if #parts > 0 then
      common.insert_without_slide(doc.blocks, {pandoc.RawBlock("html", table.concat(parts, "\n"))})
    end
  elseif raw == "latex" then
    if #state.before_body > 0 then
      doc.blocks:insert(1, pandoc.RawBlock("latex", table.concat(state.before_body, "\n")))
    end
    if #state.after_body > 0 then
      doc.blocks:insert(pandoc.RawBlock("latex", table.concat(state.after_body, "\n")))
    end
    state.before_body, state.after_body = {}, {}
  end
  if #state.header_lines > 0 then
    common.append_latex_header(doc.meta, table.concat(state.header_lines, "\n"))
    state.header_lines = {}
  end
  return doc
end

-- Where a Lua file of an extension (a filter, a shortcode file) finds the modules it requires: beside it, and
-- by their whole path (require(quarto.utils.resolve_path("_modules/helpers.lua"):gsub("%.lua$", "")), as the
-- comic deck theme and iconify load theirs), before pandoc's own places.
function quarto_api.module_path(path)
  return pandoc.path.join({pandoc.path.directory(path), "?.lua"}) .. ";?.lua;" .. package.path
end

-- The filters of the Lua file ``path`` (a document's own filter, or an extension's), run as Quarto runs
-- them: with ``quarto`` (this API) and ``PANDOC_SCRIPT_FILE`` (the file itself) set, whether the file
-- returns its filters or defines them as global functions; a last pass places what they asked for.
function quarto_api.run_filter(path)
  local api, state = quarto_api.new()
  state.script = path
  _G.quarto = api
  PANDOC_SCRIPT_FILE = path
  package.path = quarto_api.module_path(path)
  local existing = {}
  for name in pairs(_G) do existing[name] = true end
  local chunk, problem = loadfile(path)
  if chunk == nil then
    error(problem)
  end
  local result = chunk()
  local filters
  if type(result) == "table" and #result > 0 then
    filters = result
  elseif type(result) == "table" then
    filters = {result}
  else  -- global functions named after elements (Para, Div, Meta, Pandoc ...)
    local found = {}
    for name, value in pairs(_G) do
      if not existing[name] and type(value) == "function" then found[name] = value end
    end
    filters = {found}
  end
  for index, filter in ipairs(filters) do  -- Tabset and Callout functions: Quarto's custom nodes
    if type(filter) == "table" then filters[index] = custom_nodes.wrap(filter, {tabset = tabset, callout = callout}) end
  end
  table.insert(filters, 1, {Meta = function(meta) state.locate(meta) end})
  filters[#filters + 1] = {Pandoc = function(doc) return quarto_api.place(doc, state) end}
  return filters
end

return quarto_api
