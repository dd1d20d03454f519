-- A "How this report was made" panel: a ::: {.provenance} block holding a heading and a two-column
-- table (helpers.provenance writes one; anyone may write one by hand). The renderer adds the rows that
-- only it knows: the parameters the run used (defaults and -P values), when it rendered the document,
-- and whether the cells ran in this render or a stored (frozen) execution was reused, and from when.
-- The panel then moves to the end of the document: a collapsed <details> in HTML, a small table in a
-- PDF, a final slide in reveal.js and Beamer.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local DEFAULT_TITLE = "How this report was made"

local function text(value)
  return value and pandoc.utils.stringify(value) or nil
end

local function row(label, value)
  return pandoc.Row({pandoc.Cell(pandoc.Plain({pandoc.Str(label)})),
                     pandoc.Cell(pandoc.Plain(pandoc.Inlines(value)))})
end

local function parameters_row(parameters)
  local shown = pandoc.Inlines({})
  for number, parameter in ipairs(parameters or {}) do
    if number > 1 then shown:extend({pandoc.Str(";"), pandoc.Space()}) end
    -- the value is a code span (written so by the renderer): its inlines are shown as they are
    shown:extend({pandoc.Str(text(parameter.name)), pandoc.Space(), pandoc.Str("="), pandoc.Space()})
    shown:extend(pandoc.Inlines(parameter.value))
  end
  return #shown > 0 and row("Parameters", shown) or nil
end

local function renderer_rows(meta)
  local renderer = meta["embedded-renderer"] or {}
  local execution = renderer.execution or {}
  local rows = {parameters_row(renderer.parameters)}
  table.insert(rows, row("Rendered", {pandoc.Str(text(renderer.rendered) .. " by the embedded renderer")}))
  local executed = text(execution.executed)
  if execution.reused then
    local from = executed and (" from " .. executed) or " (made before executions were timed)"
    table.insert(rows, row("Execution", {pandoc.Str("reused a stored (frozen) execution" .. from ..
                                                    "; no cell ran in this render")}))
  elseif executed then
    table.insert(rows, row("Execution", {pandoc.Str("the cells ran during this render, at " .. executed)}))
  else
    table.insert(rows, row("Execution", {pandoc.Str("no cell ran")}))
  end
  return rows
end

-- The panel's parts: its title (from its first heading) and everything else, with the renderer's rows.
local function parts(div, meta)
  local title, content = pandoc.Inlines({pandoc.Str(DEFAULT_TITLE)}), pandoc.Blocks({})
  local added = false
  for _, block in ipairs(div.content) do
    if block.t == "Header" and #content == 0 and not added then
      title = block.content
    else
      if block.t == "Table" and not added and block.bodies[1] then
        for _, extra in ipairs(renderer_rows(meta)) do block.bodies[1].body:insert(extra) end
        added = true
      end
      content:insert(block)
    end
  end
  if not added then
    local rows = renderer_rows(meta)
    local tbl = pandoc.Table({long = {}}, {{pandoc.AlignLeft, 0}, {pandoc.AlignLeft, 0}}, pandoc.TableHead({}),
      {{attr = pandoc.Attr(), body = rows, head = {}, row_head_columns = 0}}, pandoc.TableFoot())
    content:insert(tbl)
  end
  return title, content
end

local function shaped(title, content)
  local heading = pandoc.Header(2, title, pandoc.Attr("how-this-report-was-made", {"unnumbered", "unlisted"}))
  if FORMAT:match("revealjs") then
    return {heading, pandoc.Div(content, pandoc.Attr("", {"provenance"}))}
  end
  if common.html then
    local summary = common.html_of(title)
    return {pandoc.RawBlock("html", '<details class="provenance"><summary>' .. summary .. "</summary>"),
            pandoc.Div(content, pandoc.Attr("", {"provenance"})), pandoc.RawBlock("html", "</details>")}
  end
  if common.latex then
    local size = FORMAT:match("beamer") and "\\scriptsize" or "\\footnotesize"
    return {heading, pandoc.RawBlock("latex", "\\begingroup" .. size), table.unpack(content),
            pandoc.RawBlock("latex", "\\endgroup")}
  end
  return {heading, table.unpack(content)}
end

function Pandoc(doc)
  local panel
  doc.blocks = doc.blocks:walk({
    Div = function(div)
      if div.classes:includes("provenance") and not panel then
        panel = div
        return {}
      end
    end,
  })
  if not panel then return nil end
  local title, content = parts(panel, doc.meta)
  doc.blocks:extend(shaped(title, content))
  return doc
end
