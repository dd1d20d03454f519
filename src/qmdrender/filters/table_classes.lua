-- Bootstrap's table classes. A Markdown table's own ": Caption {.striped .hover}"
-- (https://quarto.org/docs/authoring/tables.html#using-bootstrap-classes) asks for .table-striped and
-- .table-hover; other classes stay as written; report.css draws them in the default look. On a page with
-- Bootstrap (a theme: qmd-bootstrap, from formats/html.py) tables are classed as Quarto's pages have them:
-- every Markdown table is a ".caption-top .table" (its caption above it, where Bootstrap would put it below);
-- one a cell made (a computational table: in a cell's output, a pandas DataFrame, statsmodels' summary,
-- scikit-learn's parameters, any HTML table a cell printed) is also ".table-sm .table-striped .small", after
-- its own classes, and a DataFrame loses pandas' border="1", its rows' alignment and its <style scoped>, so
-- that Bootstrap draws them as in Quarto (Coding for Economists' pages, Quarto 1.9).

local BOOTSTRAP = {striped = true, hover = true, bordered = true, borderless = true, sm = true, responsive = true,
                   ["responsive-sm"] = true, ["responsive-md"] = true, ["responsive-lg"] = true,
                   ["responsive-xl"] = true, ["responsive-xxl"] = true, primary = true, secondary = true,
                   success = true, danger = true, warning = true, info = true, light = true, dark = true}
local MARKDOWN = {"caption-top", "table"}
local COMPUTATIONAL = {"caption-top", "table", "table-sm", "table-striped", "small"}

-- a caption's Bootstrap name as Bootstrap's class (striped: table-striped); any other class as written
local function bootstrap_name(class)
  return BOOTSTRAP[class] and ("table-" .. class) or class
end

local function with_classes(classes, computational)
  local result = pandoc.List({})
  for _, class in ipairs(classes) do
    class = bootstrap_name(class)
    if not result:includes(class) then result:insert(class) end
  end
  for _, class in ipairs(computational and COMPUTATIONAL or MARKDOWN) do  -- after the table's own, as Quarto's
    if not result:includes(class) then result:insert(class) end
  end
  return result
end

-- an HTML table a cell printed, as Quarto classes it once it has read it: its own classes, then Bootstrap's
local function html_table(attributes)
  local own = attributes:match('%sclass="([^"]*)"')
  if own and (" " .. own .. " "):find(" table ", 1, true) then return nil end  -- classed already
  local classes = table.concat(COMPUTATIONAL, " ")
  if own then
    return "<table" .. attributes:gsub('(%sclass=")([^"]*)"', "%1%2 " .. classes .. '"', 1) .. ">"
  end
  return '<table class="' .. classes .. '"' .. attributes .. ">"
end

local function output_tables(raw)
  if raw.format ~= "html" or not raw.text:find("<table", 1, true) then return nil end
  raw.text = raw.text:gsub("<table(%f[%s>][^>]*)>", html_table)
  return raw
end

-- pandas' <table border="1" class="dataframe">, as Quarto's pages class it
local function dataframe(raw)
  if raw.format ~= "html" or not raw.text:find('class="dataframe', 1, true) then return nil end
  -- (pandas' own <style scoped> before the table goes too, as Quarto drops it: Bootstrap aligns the table)
  raw.text = raw.text:gsub('<style scoped>.-</style>%s*(<table[^>]*class="dataframe)', "%1"):gsub(
    '<table border="1" class="dataframe', '<table class="dataframe'):gsub(
    '<table class="dataframe', '<table class="dataframe ' .. table.concat(COMPUTATIONAL, " ")):gsub(
    '<tr style="text%-align: right;">', "<tr>")
  return raw
end

-- an HTML table written in the text, classed as Quarto classes it once it has read it into a table: its own
-- Bootstrap names as Bootstrap's classes (class="striped": table-striped), and with ``bootstrap`` a Markdown
-- table's classes after them; one marked data-quarto-disable-processing="true" stays as written
local function text_tables(bootstrap)
  return function(raw)
    if raw.format ~= "html" or not raw.text:find("<table", 1, true) then return nil end
    raw.text = raw.text:gsub("<table(%f[%s>][^>]*)>", function(attributes)
      if attributes:find('data%-quarto%-disable%-processing="true"') then return nil end
      local own = attributes:match('%sclass="([^"]*)"')
      local names = pandoc.List({})
      for class in (own or ""):gmatch("%S+") do names:insert(class) end
      if names:includes("table") then return nil end  -- classed by its author, or a cell's, already
      local classes = table.concat(bootstrap and with_classes(names, false) or names:map(bootstrap_name), " ")
      if classes == "" then return nil end
      if own then
        return "<table" .. attributes:gsub('(%sclass=")[^"]*"', function(start) return start .. classes .. '"' end,
                                            1) .. ">"
      end
      return '<table class="' .. classes .. '"' .. attributes .. ">"
    end)
    return raw
  end
end

-- ".responsive" (and ".responsive-md" ...): Bootstrap scrolls a wide table sideways in a div of that class
-- around it, as Quarto wraps it (on the table itself the class does nothing: a table does not scroll)
local function responsive(tbl)
  local wrapper
  tbl.classes = tbl.classes:filter(function(class)
    if class:match("^table%-responsive") then wrapper = wrapper or class; return false end
    return true
  end)
  if not wrapper then return tbl end
  return pandoc.Div({tbl}, pandoc.Attr("", {wrapper}))
end

local function classed(block, computational)
  return block:walk({
    Table = function(tbl)
      tbl.classes = with_classes(tbl.classes, computational)
      return responsive(tbl)
    end,
    RawBlock = computational and output_tables or text_tables(true),
  })
end

function Pandoc(doc)
  if FORMAT == "revealjs" or not doc.meta["qmd-bootstrap"] then  -- no Bootstrap: only the caption's names
    return doc:walk({Table = function(tbl)
      tbl.classes = tbl.classes:map(bootstrap_name)
      return responsive(tbl)
    end, RawBlock = text_tables(false)})
  end
  -- a cell's tables first (computational), then every other table (and a cell's, already classed, unchanged)
  doc = doc:walk({Div = function(div)
    if (div.classes:includes("cell") or div.classes:includes("cell-output-display"))
        and not div.classes:includes("plain") then
      return classed(div, true)
    end
  end, RawBlock = dataframe})
  return classed(doc, false)
end
