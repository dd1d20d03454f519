-- Cross-references as Quarto documents them: figures (fig-), tables (tbl-), listings (lst-),
-- equations (eq-) and sections (sec-) are numbered in document order, captions read "Figure 1: ...",
-- and @fig-x becomes a link "Figure 1" ([-@fig-x]: "1"; @Fig-x: capitalised). In LaTeX the floats
-- are real figure/table/codelisting environments with \label, and references use \ref, so LaTeX
-- numbers them. A caption without a label has no number on a page, but LaTeX numbers it as it numbers every
-- \caption (Quarto leaves such a figure to pandoc, whose \caption LaTeX counts), so the PDF's numbers may run
-- ahead of the page's, as in Quarto's PDFs.
-- An unknown reference is a warning and shows as "?@fig-x", as in Quarto.

local KINDS = {fig = true, tbl = true, lst = true, eq = true, sec = true}
-- kind -> the name of its word in the document's language (qmdrender/language.py, via the metadata)
local WORD_NAMES = {fig = "crossref-fig-title", tbl = "crossref-tbl-title", lst = "crossref-lst-title",
                    eq = "crossref-eq-prefix", sec = "crossref-sec-prefix", ch = "crossref-ch-prefix",
                    app = "crossref-apx-prefix"}

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local latex = common.latex
local page = FORMAT:match("html") ~= nil  -- an HTML page (not a deck): floats in Quarto's float markup
local numbers = {}      -- id -> {kind=, number=}
local titles, prefixes, delim = {}, {}, ":"
-- crossref: custom: float kinds (key -> {env = LaTeX environment, spaced = space before the number, list =
-- the "List of ..." title}), and each kind's numbering style (crossref: labels, fig-labels ...: "arabic",
-- "roman", "roman i", "alpha a", "alpha A")
local custom, styles = {}, {}
local appendix_delim = "\u{2014}"  -- between "Appendix A" and an appendix's title
-- In a book (books.py): this page's chapter number ("" when unnumbered), whether it is an appendix, and
-- whether this is the whole book in one document (the PDF), where level-1 headings are the chapters.
local chapter, appendix, combined = nil, false, false
local home = false  -- the book's home page: its title block is the book's, without a chapter number
local math_method = "mathjax"  -- an HTML page's html-math-method (writing.py): how an equation is numbered
local table_caption_location = "top"  -- tbl-cap-location (or cap-location): top, bottom or margin
local figure_caption_top = false  -- fig-cap-location: top (a PDF's figures; figures.lua places a page's)

local function kind_of(id)
  local kind = id and id:match("^(%a+)%-")
  return kind and KINDS[kind] and kind or nil
end

-- A div that is a float: its label's kind (fig, tbl, a custom kind), or nil. A tabset keeps its label and stays a
-- tabset, the floats in its tabs numbered as they stand, as Quarto reads ::: {.panel-tabset #fig-x}.
local function float_kind(div)
  if div.classes:includes("panel-tabset") then return nil end
  return kind_of(div.identifier)
end

local function stringify(value) return value and pandoc.utils.stringify(value) or nil end

local function configure(meta)
  common.read_reference_options(meta)
  local words = (meta["embedded-renderer"] or {}).words or {}
  local options = meta.crossref or {}
  for kind, name in pairs(WORD_NAMES) do
    local word = stringify(words[name]) or ""
    titles[kind] = stringify(options[kind .. "-title"]) or word
    prefixes[kind] = stringify(options[kind .. "-prefix"]) or word
  end
  for kind in pairs(KINDS) do styles[kind] = stringify(options[kind .. "-labels"]) or stringify(options.labels) end
  styles.subref = stringify(options["subref-labels"]) or "alpha a"  -- sub-figures and sub-tables: (a), (i) ...
  for _, entry in ipairs(options.custom or {}) do
    local key = stringify(entry.key)
    if key and key:match("^%a+$") and (stringify(entry.kind) or "float") == "float" then
      local word = stringify(entry["reference-prefix"]) or key
      KINDS[key] = true
      prefixes[key], titles[key] = word, stringify(entry["caption-prefix"]) or word
      custom[key] = {env = stringify(entry["latex-env"]) or key, spaced = entry["space-before-numbering"] ~= false,
                     list = stringify(entry["latex-list-of-description"]) or word}
      styles[key] = stringify(options.labels)
    end
  end
  delim = stringify(options["title-delim"]) or ":"
  appendix_delim = stringify(options["appendix-delim"]) or "\u{2014}"
  local book = meta["book-chapter"]
  if book then
    chapter = stringify(book.number) or ""
    appendix = book.appendix == true
    home = book.home == true
  end
  combined = meta["book-combined"] == true
  local renderer = meta["embedded-renderer"] or {}
  math_method = stringify(renderer["html-math-method"]) or "mathjax"
  local location = stringify(renderer["tbl-cap-location"])
  if location == "bottom" or location == "margin" then table_caption_location = location end
  figure_caption_top = stringify(renderer["fig-cap-location"]) == "top"
end

-- "2.3" in chapter 2 of a book, "3" elsewhere.
local function in_chapter(n)
  if chapter and chapter ~= "" then return chapter .. "." .. n end
  return tostring(n)
end

local latex_of = common.latex_of

-- The text of an attribute written after display maths, as the author typed it: pandoc's smart quotes
-- ("alt=\"Einstein's law\"") made Quoted inlines and curly apostrophes of it.
local function typed_text(inline)
  if inline.t == "Str" then return (inline.text:gsub("\u{2019}", "'"):gsub("\u{2018}", "'")) end
  if inline.t == "Space" or inline.t == "SoftBreak" then return " " end
  if inline.t == "Quoted" then
    local mark = inline.quotetype == "DoubleQuote" and '"' or "'"
    local inner = {}
    for _, part in ipairs(inline.content) do inner[#inner + 1] = typed_text(part) end
    return mark .. table.concat(inner) .. mark
  end
  return nil
end

-- "$$ x $$ {#eq-x}": display maths, then (after spaces or a line break) the attribute as text, which may
-- hold more than the id ({#eq-x alt="..."}). Anywhere in a paragraph, as Quarto accepts it: returns the
-- label, the index of the attribute's last inline and any text glued to the attribute ("{#eq-x}." leaves ".").
local function equation_at(inlines, i)
  local math = inlines[i]
  if not math or math.t ~= "Math" or math.mathtype ~= "DisplayMath" then return nil end
  local j = i + 1
  while inlines[j] and (inlines[j].t == "Space" or inlines[j].t == "SoftBreak") do j = j + 1 end
  if not (inlines[j] and inlines[j].t == "Str" and inlines[j].text:sub(1, 5) == "{#eq-") then return nil end
  local text, k = "", j
  while inlines[k] do
    local part = typed_text(inlines[k])
    if not part then return nil end
    text = text .. part
    if inlines[k].t == "Str" and part:find("}", 1, true) then break end
    k = k + 1
  end
  local id, _, rest = text:match("^{#(eq%-[%w_:.-]-)([%s}].-)}(.*)$")
  if not id then id, rest = text:match("^{#(eq%-[%w_:.-]-)}(.*)$") end
  if id then return id, k, rest end
  return nil
end

-- The labelled equations of a paragraph, in order: {start=, stop=, id=, rest=}.
local function equations_in(para)
  local found = {}
  if para.t ~= "Para" and para.t ~= "Plain" then return found end
  local i = 1
  while i <= #para.content do
    local id, stop, rest = equation_at(para.content, i)
    if id then
      found[#found + 1] = {start = i, stop = stop, id = id, rest = rest}
      i = stop + 1
    else
      i = i + 1
    end
  end
  return found
end

-- Pass 1: number everything in document order ----------------------------------------------------

local function roman(n)
  local text = ""
  for _, pair in ipairs({{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
                         {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}}) do
    while n >= pair[1] do text, n = text .. pair[2], n - pair[1] end
  end
  return text
end

-- The n-th label of a kind in its numbering style: 3, III, iii, c or C.
local function styled(kind, n)
  local style = styles[kind] or "arabic"
  local first = style:match("^alpha%s*(%a?)$")
  if first then return string.char((first ~= "" and first or "a"):byte() + n - 1) end
  if style == "roman i" then return roman(n):lower() end
  if style:match("^roman") then return roman(n) end
  return tostring(n)
end

-- A float label used twice (a figure copied onto three slides) numbers each of its floats, as Quarto does; a
-- reference takes the last. A sub-float was numbered with its float already.
local float_numbers, floats_written = {}, {}  -- label -> its floats' numbers; how many captions written

local function count(counters, id, kind)
  if numbers[id] and numbers[id].sub then return end
  counters[kind] = (counters[kind] or 0) + 1
  local number = in_chapter(styled(kind, counters[kind]))
  float_numbers[id] = float_numbers[id] or {}
  table.insert(float_numbers[id], number)
  numbers[id] = {kind = kind, number = number}
end

local function float_number(id)  -- the number of the label's next float captioned
  local list = float_numbers[id]
  if not list or #list < 2 then return numbers[id].number end
  floats_written[id] = (floats_written[id] or 0) + 1
  return list[floats_written[id]] or list[#list]
end

-- An equation label used twice (an author's slip, common in long notes) numbers each of its equations, as
-- Quarto does, so the ones after it keep their numbers; a reference takes the last, as Quarto's index does.
local equation_numbers, equations_written = {}, {}  -- eq- label -> its equations' numbers; how many written

local function count_equation(counters, id)
  counters.eq = counters.eq + 1
  local number = in_chapter(styled("eq", counters.eq))
  equation_numbers[id] = equation_numbers[id] or {}
  table.insert(equation_numbers[id], number)
  numbers[id] = {kind = "eq", number = number}
end

local function equation_number(id)  -- the number of the label's next equation written
  equations_written[id] = (equations_written[id] or 0) + 1
  local list = equation_numbers[id]
  return list[equations_written[id]] or list[#list]
end

-- The tables a float holds, in order: Markdown or DataFrame tables, and tables in raw HTML.
local function is_html_table(raw) return raw.format == "html" and raw.text:find("<table") ~= nil end

-- A captioned table with an id of any kind is a numbered table, as Quarto reads tables (a Markdown table's
-- ": Caption {#mine}", a pandas Styler's <table id="T_1a2b"> with set_caption): its id and caption, or nil.
local function captioned_html_table(raw)
  if not is_html_table(raw) then return nil end
  local id, caption = raw.text:match('<table[^>]-%sid="([^"]+)"[^>]*>%s*<caption[^>]*>(.-)</caption>')
  if id and caption:match("%S") then return id, caption end
  return nil
end

-- an HTML table's text without its (first) caption, which its float shows instead
local function without_html_caption(text)
  return (text:gsub("%s*<caption[^>]*>.-</caption>", "", 1))
end

local function captioned_table_id(tbl)
  if tbl.identifier ~= "" and pandoc.utils.stringify(tbl.caption.long) ~= "" then return tbl.identifier end
  return nil
end

local in_floats = {}  -- the ids of tables that a figure or table float holds: its content, not floats of their own

local function tables_in(blocks)
  local found = 0
  blocks:walk({Table = function() found = found + 1 end,
               RawBlock = function(raw) if is_html_table(raw) then found = found + 1 end end})
  return found
end

-- The chapter number ``steps`` after ``number`` ("2" → "3"; an appendix's "A" → "B").
local function next_chapter(number, steps)
  local value = tonumber(number)
  if value then return tostring(value + steps) end
  if #number == 1 then return string.char(number:byte() + steps) end
  return number
end

-- A book chapter without a title takes its first heading, of any level, as its title, as Quarto's books do
-- (a chapter that starts with "## Perception" is chapter 2 "Perception", its other "##" sections 2.1 ...):
-- the heading leaves the text for the title block (so the contents do not list it), an empty anchor keeping its
-- id, which references to the chapter's section resolve to the chapter. Returns that heading.
local function promote_chapter_heading(doc)
  if not chapter or home or doc.meta.title then return nil end
  for i, block in ipairs(doc.blocks) do
    if block.t == "Header" then
      doc.meta.title = block.content
      doc.blocks:remove(i)
      if block.identifier ~= "" then doc.blocks:insert(i, pandoc.Div({}, pandoc.Attr(block.identifier))) end
      return block
    end
  end
  return nil
end

local function number_all(doc)
  local title_heading = promote_chapter_heading(doc)
  if title_heading and kind_of(title_heading.identifier) == "sec" then
    numbers[title_heading.identifier] = {kind = "sec", number = chapter ~= "" and chapter or nil,
                                         text = pandoc.utils.stringify(title_heading.content), chapter = true,
                                         appendix = appendix}
  end
  local counters = {fig = 0, tbl = 0, lst = 0, eq = 0}
  local in_appendices = false  -- the whole book in one document: past its \appendix
  local sections = {0, 0, 0, 0, 0, 0}
  -- "#" headings seen in a book chapter, and the number of the last one. A chapter titled in its front matter
  -- has its number in the title block, so its first "#" heading counts on from it, as Quarto numbers them.
  local level_one, current = (chapter and doc.meta.title and not home) and 1 or 0, nil
  local top = 6
  doc.blocks:walk({Header = function(h) if h.level < top then top = h.level end end})
  local numbered = doc.meta["number-sections"]
  local depth = tonumber(stringify(doc.meta["number-depth"]) or "") or 6  -- number-depth: deeper ones unnumbered
  doc.blocks = doc.blocks:walk({
    traverse = "topdown",
    Header = function(h)
      local hidden = nil  -- the number a reference shows when the page does not show its sections' numbers
      if chapter then  -- a book chapter: "#" is the chapter ("2"), "##" its sections ("2.1")
        if numbered and chapter ~= "" and not h.classes:includes("unnumbered") and h.level <= depth then
          if h.level == 1 then  -- a second "#" in a chapter counts on from it ("3"), as Quarto numbers them
            level_one = level_one + 1
            current = level_one == 1 and chapter or next_chapter(chapter, level_one - 1)
            h.attributes["number"] = current
            if appendix and level_one == 1 then  -- shown as "Appendix A — Data" (section_numbers.lua)
              h.attributes["number-label"] = titles.app .. " " .. chapter
              h.attributes["number-delim"] = appendix_delim
            end
            for i = 2, 6 do sections[i] = 0 end
          else
            sections[h.level] = sections[h.level] + 1
            for i = h.level + 1, 6 do sections[i] = 0 end
            local parts = {current or chapter}
            for i = 2, h.level do parts[#parts + 1] = tostring(sections[i]) end
            h.attributes["number"] = table.concat(parts, ".")
          end
        end
      elseif not h.classes:includes("unnumbered") then
        -- Counted whether or not the numbers are shown: a reference to an unnumbered page's section is
        -- "Section 4" all the same, as Quarto's page counts its sections (a book's are referred to by name).
        local level = h.level - top + 1
        sections[level] = sections[level] + 1
        for i = level + 1, 6 do sections[i] = 0 end
        local parts = {}
        for i = 1, level do parts[#parts + 1] = tostring(sections[i]) end
        -- number-depth counts the heading's own level, as Quarto's does: with "##" sections at the top and
        -- number-depth: 4, a "#####" heading is unnumbered though its number would have four parts
        if numbered and h.level <= depth then h.attributes["number"] = table.concat(parts, ".") end
        hidden = table.concat(parts, ".")
      end
      if kind_of(h.identifier) == "sec" then
        numbers[h.identifier] = {kind = "sec", number = h.attributes["number"], hidden = hidden,
                                 text = pandoc.utils.stringify(h.content),
                                 chapter = h.level == 1 and (chapter ~= nil or combined),
                                 appendix = appendix or in_appendices}
      end
      return h
    end,
    Div = function(div)
      local kind = float_kind(div)
      if kind and kind ~= "sec" and kind ~= "eq" then
        count(counters, div.identifier, kind)
        if kind == "tbl" and div.attributes["tbl-subcap"] then  -- tbl-subcap: each table in it is (a), (b) ...
          for n = 1, tables_in(div.content) do
            numbers[div.identifier .. "-" .. n] = {kind = "tbl", sub = true, number = numbers[div.identifier].number
                                                   .. " (" .. styled("subref", n) .. ")"}
          end
        end
        local letter = 0
        local function sub_float(element)  -- a sub-figure, or a captioned table in a table float: 2 (a), 2 (b)
          letter = letter + 1
          if element.identifier ~= "" then
            numbers[element.identifier] = {kind = kind, number = numbers[div.identifier].number ..
                                           " (" .. styled("subref", letter) .. ")", sub = true}
          end
        end
        div.content:walk({
          Table = function(tbl) if tbl.identifier ~= "" then in_floats[tbl.identifier] = true end end,
          RawBlock = function(raw)
            if not is_html_table(raw) then return end
            for id in raw.text:gmatch('<table[^>]-%sid="([^"]+)"') do in_floats[id] = true end
          end,
        })
        div.content:walk({Figure = sub_float,
                          Table = kind == "tbl" and function(tbl)
                            if kind_of(tbl.identifier) == "tbl" then sub_float(tbl) end
                          end or nil})
      end
    end,
    Figure = function(figure)
      if kind_of(figure.identifier) == "fig" then count(counters, figure.identifier, "fig") end
    end,
    Table = function(tbl)
      local id = kind_of(tbl.identifier) == "tbl" and tbl.identifier or captioned_table_id(tbl)
      if id and not in_floats[id] then count(counters, id, "tbl") end
    end,
    CodeBlock = function(code)
      if kind_of(code.identifier) == "lst" then count(counters, code.identifier, "lst") end
    end,
    RawBlock = function(raw)
      if combined and raw.format == "latex" and raw.text:match("\\appendix") then in_appendices = true end
      local id = captioned_html_table(raw)
      if id and not in_floats[id] then count(counters, id, "tbl") end
    end,
    Para = function(para)
      for _, found in ipairs(equations_in(para)) do count_equation(counters, found.id) end
    end,
    Plain = function(plain)
      for _, found in ipairs(equations_in(plain)) do count_equation(counters, found.id) end
    end,
  })
end

-- Pass 2: captions and floats ----------------------------------------------------------------------

-- "Table 1:" before a caption; "Table 1" alone for a float without one (as in the PDF, where LaTeX writes it)
local function caption_prefix(id, uncaptioned)
  local entry = numbers[id]
  local number = entry.sub and entry.number or float_number(id)
  local after = uncaptioned and "" or delim
  if custom[entry.kind] and not custom[entry.kind].spaced then  -- "Figure S1:"
    return pandoc.Inlines({pandoc.Str(titles[entry.kind] .. number .. after)})
  end
  -- a no-break space, as in references: "Figure" and its number stay on one line
  return pandoc.Inlines({pandoc.Str(titles[entry.kind] .. "\u{a0}" .. number .. after)})
end

local function with_prefix(id, inlines)
  local result = caption_prefix(id, not inlines or #inlines == 0)
  if inlines and #inlines > 0 then
    result:insert(pandoc.Space())
    result:extend(inlines)
  end
  return result
end

local function caption_inlines(blocks)
  local inlines = pandoc.Inlines({})
  for _, block in ipairs(blocks or {}) do
    if block.content then inlines:extend(block.content) end
  end
  return inlines
end

-- Split a float div: its last paragraph (if it is not a figure or a table) is the caption.
local function split_caption(div)
  local content = pandoc.Blocks({table.unpack(div.content)})
  local last = content[#content]
  if last and (last.t == "Para" or last.t == "Plain") and
      not (#last.content == 1 and last.content[1].t == "Image") then
    content:remove(#content)
    return content, last.content
  end
  return content, pandoc.Inlines({})
end

local function sub_figures_for_latex(blocks)
  -- Nested figure environments are not allowed: sub-figures become a centred image and a caption line.
  return blocks:walk({Figure = function(figure)
    local number = numbers[figure.identifier]
    local label = number and ("(" .. number.number:match("%((%w+)%)$") .. ") ") or ""
    local body = pandoc.Blocks(figure.content)
    local caption = caption_inlines(figure.caption.long)
    body:insert(pandoc.Plain({pandoc.RawInline("latex", "\\par\\smallskip{\\small " .. label ..
                                               latex_of(caption) .. "}")}))
    return pandoc.Div(body, pandoc.Attr("", {"subfigure"}))
  end})
end

-- A float's layout attributes go on its body, where layout.lua (run next) arranges the blocks.
local function body(div, content)
  local layout = {}
  for _, key in ipairs({"layout", "layout-ncol", "layout-nrow"}) do
    if div.attributes[key] then layout[key] = div.attributes[key]; div.attributes[key] = nil end
  end
  if next(layout) == nil then return content end
  return pandoc.Blocks({pandoc.Div(content, pandoc.Attr("", {"float-body"}, layout))})
end

-- A LaTeX figure environment: its content centred, the caption and label under it (above it with
-- fig-cap-location: top, as Quarto places a PDF's caption, the caption package's skip then under it).
local function latex_figure(environment, position, caption, id, content)
  local captioned = (figure_caption_top and "\\captionsetup{position=top}" or "") .. "\\caption{" ..
    latex_of(caption) .. "}\\label{" .. id .. "}"
  local blocks = pandoc.Blocks({pandoc.RawBlock("latex", "\\begin{" .. environment .. "}[" .. position ..
                                                "]\n\\centering" .. (figure_caption_top and ("\n" .. captioned) or ""))})
  blocks:extend(content)
  blocks:insert(pandoc.RawBlock("latex", (figure_caption_top and "" or (captioned .. "\n")) .. "\\end{" ..
                                environment .. "}"))
  return blocks
end

local function figure_div(div)
  local content, caption = split_caption(div)
  local id = div.identifier
  local environment = div.attributes["fig-env"]  -- fig-env: e.g. figure* across two columns
  -- fig-pos: LaTeX's placement. [H] (float package) keeps a figure in place; another environment (figure*
  -- spans both columns) takes [tp], since figures default to H here and a figure* placed H is lost
  local position = div.attributes["fig-pos"] or (environment and "tp" or "H")
  environment = environment or "figure"
  div.attributes["fig-pos"], div.attributes["fig-env"] = nil, nil
  if latex then
    content = body(div, sub_figures_for_latex(content))
    return latex_figure(environment, position, caption, id, content)
  end
  content = content:walk({Figure = function(figure)
    local number = numbers[figure.identifier]
    if number then
      local letter = number.number:match("%((%w+)%)$")
      local long = caption_inlines(figure.caption.long)
      long:insert(1, pandoc.Str("(" .. letter .. ")"))
      long:insert(2, pandoc.Space())
      figure.caption = {long = {pandoc.Plain(long)}}
      if FORMAT:match("html") then  -- a page's: figures.lua writes Quarto's sub-float markup for it
        figure.classes:insert("quarto-subfloat")
      end
    end
    return figure
  end})
  content = body(div, content)
  -- the author's own classes stay on the float ({.border}); a column ({.column-margin}, {.aside}) is a div
  -- around it, which margins.lua places as it places any margin content
  local classes, columns = pandoc.List({"quarto-float", "quarto-figure"}), pandoc.List({})
  for _, class in ipairs(div.classes) do
    if class:match("^column%-") or class == "aside" then columns:insert(class) else classes:insert(class) end
  end
  local figure = pandoc.Figure(content, {long = {pandoc.Plain(with_prefix(id, caption))}},
                               pandoc.Attr(id, classes, div.attributes))
  return #columns > 0 and pandoc.Div({figure}, pandoc.Attr("", columns)) or figure
end

-- A float of a crossref: custom: kind (::: {#vid-x} ... caption :::): its caption under it ("Video 1: ..."),
-- or in LaTeX the kind's float environment (latex_preamble declares it with \newfloat), numbered by LaTeX.
local function custom_div(div)
  local content, caption = split_caption(div)
  local id, kind = div.identifier, kind_of(div.identifier)
  if latex then
    local blocks = pandoc.Blocks({pandoc.RawBlock("latex", "\\begin{" .. custom[kind].env .. "}[H]\n\\centering")})
    blocks:extend(body(div, content))
    blocks:insert(pandoc.RawBlock("latex", "\\caption{" .. latex_of(caption) .. "}\\label{" .. id .. "}\n\\end{" ..
                                  custom[kind].env .. "}"))
    return blocks
  end
  return pandoc.Figure(body(div, content), {long = {pandoc.Plain(with_prefix(id, caption))}},
                       pandoc.Attr(id, {"quarto-float", "quarto-float-" .. kind}, div.attributes))
end

-- What LaTeX needs for the custom kinds: a float environment each (float's \newfloat), named as the
-- captions and the "List of ..." title name it, numbered in the kind's style.
local LATEX_COUNTERS = {arabic = "arabic", roman = "Roman", ["roman i"] = "roman", ["roman I"] = "Roman",
                        ["alpha a"] = "alph", ["alpha A"] = "Alph"}

local function latex_preamble()
  local lines = {}
  for kind, style in pairs(styles) do
    local counter = LATEX_COUNTERS[style or "arabic"]
    local name = ({fig = "figure", tbl = "table", lst = "codelisting", eq = "equation"})[kind] or
      (custom[kind] and custom[kind].env)
    if name and counter and counter ~= "arabic" then
      lines[#lines + 1] = "\\AtBeginDocument{\\renewcommand{\\the" .. name .. "}{\\" .. counter .. "{" .. name .. "}}}"
    end
  end
  local kinds = {}
  for kind in pairs(custom) do kinds[#kinds + 1] = kind end
  table.sort(kinds)
  for _, kind in ipairs(kinds) do
    local entry = custom[kind]
    local spacing = entry.spaced and "" or  -- "Figure S1": the caption package's label without its space
      "\\captionsetup[" .. entry.env .. "]{labelformat=quartonospace}"
    table.insert(lines, 1, "\\newfloat{" .. entry.env .. "}{h}{lo" .. entry.env .. "}\\floatname{" .. entry.env ..
                 "}{" .. latex_of(pandoc.Inlines({pandoc.Str(titles[kind])})) .. "}" .. spacing ..
                 "\\providecommand{\\listof" .. entry.env .. "s}{\\listof{" .. entry.env .. "}{List of " ..
                 latex_of(pandoc.Inlines({pandoc.Str(entry.list)})) .. "s}}")
  end
  if #kinds > 0 then
    table.insert(lines, 1, "\\usepackage{float}\\DeclareCaptionLabelFormat{quartonospace}{#1#2}")
  end
  return table.concat(lines, "\n")
end

-- ``joiner`` goes between the float's caption and the table's own (a line break; after "Table 1" alone, the
-- title delimiter: "Table 1: This is a caption.", as Quarto reads a raw table's caption into the float's)
local function inject_html_caption(html, caption_html, joiner)
  local replaced, count = html:gsub("(<table[^>]*>)%s*<caption[^>]*>", function(open)
    return open .. "<caption>" .. caption_html .. (joiner or "<br>")
  end, 1)
  if count == 0 then
    replaced, count = html:gsub("(<table[^>]*>)", "%1<caption>" .. caption_html .. "</caption>", 1)
  end
  return replaced, count
end

local function laid_out(div)
  return div.attributes["layout"] or div.attributes["layout-ncol"] or div.attributes["layout-nrow"]
end

-- A LaTeX table float around ``content``, captioned and labelled at the top.
-- (a raw LaTeX table inside, as a cell prints one, loses its own table environment, as in Quarto: LaTeX cannot
-- put a table float inside the float)
local function latex_table_float(id, caption, content)
  local blocks = pandoc.Blocks({pandoc.RawBlock("latex", "\\begin{table}[H]\n\\centering\n\\caption{" ..
                                                latex_of(caption) .. "}\\label{" .. id .. "}")})
  blocks:extend(pandoc.Blocks(content):walk({RawBlock = function(raw)
    if raw.format ~= "latex" and raw.format ~= "tex" then return nil end
    local text = raw.text:gsub("\\begin{table}%s*%b[]", ""):gsub("\\begin{table}", ""):gsub("\\end{table}", "")
    raw.text = text
    return raw
  end}))
  blocks:insert(pandoc.RawBlock("latex", "\\end{table}"))
  return blocks
end

-- "Table 1: caption" as a line of its own above a float's content (HTML).
local function table_caption_line(id, caption)
  return pandoc.Div({pandoc.Plain(with_prefix(id, caption))}, pandoc.Attr("", {"table-caption"}))
end

-- A page's table float in Quarto's markup (common.quarto_float): its caption above the table (under it with
-- tbl-cap-location: bottom; in the margin beside it with margin), the table without a caption of its own.
local function page_table_float(id, caption, content, attributes, classes, sub)
  local location = attributes["tbl-cap-location"] or table_caption_location
  attributes["tbl-cap-location"] = nil
  local figure_classes = {}
  if location == "margin" then location, figure_classes = "top", {"margin-caption"} end  -- report.css places it
  return common.quarto_float({id = id, kind = "tbl", sub = sub, caption = {pandoc.Plain(caption)}, content = content,
                              location = location, classes = classes, figure_classes = figure_classes,
                              attributes = attributes})
end

-- Sub-tables: the float's caption above its tables, each with its own "(a) subcaption", from tbl-subcap
-- (a cell's) or from the tables' own captions and ids (": First {#tbl-first}" inside ::: {#tbl-panel});
-- in LaTeX one table environment whose tables are laid out (layout.lua makes each a tabular) under their
-- subcaption lines.
local function sub_tables(div, subcaptions)
  local texts = subcaptions and pandoc.json.decode(subcaptions) or {}
  local id = div.identifier
  div.attributes["tbl-subcap"] = nil
  local content, caption = split_caption(div)
  local made = 0
  local function subcaption(tbl)
    made = made + 1
    local inlines = pandoc.Inlines({pandoc.Str("(" .. styled("subref", made) .. ")")})
    local own = tbl and numbers[tbl.identifier] and numbers[tbl.identifier].sub
    local text = own and caption_inlines(tbl.caption.long) or nil
    if text and #text > 0 then
      inlines:insert(pandoc.Space())
      inlines:extend(text)
    elseif not own and texts[made] and texts[made] ~= "" then
      inlines:insert(pandoc.Space())
      inlines:extend(pandoc.utils.blocks_to_inlines(pandoc.read(texts[made], "markdown").blocks))
    end
    return inlines, own and tbl.identifier or (id .. "-" .. made)
  end
  content = content:walk({
    Table = function(tbl)
      local inlines, sub_id = subcaption(tbl)
      if latex then  -- the subcaption is a line above the tabular (a caption in a minipage is an error)
        tbl.identifier, tbl.caption = "", {long = {}}
        return pandoc.Div({pandoc.RawBlock("latex", "{\\centering\\small\\phantomsection\\label{" .. sub_id ..
                                                    "}" .. latex_of(inlines) .. "\\par}"), tbl})
      end
      if page then
        tbl.identifier, tbl.caption = "", {long = {}}
        return page_table_float(sub_id, inlines, {tbl}, {}, {}, true)
      end
      tbl.identifier, tbl.caption = sub_id, {long = {pandoc.Plain(inlines)}}
      return tbl
    end,
    RawBlock = function(raw)
      if not is_html_table(raw) then return nil end
      local inlines, sub_id = subcaption()
      if page then return page_table_float(sub_id, inlines, {raw}, {}, {}, true) end
      local html = inject_html_caption(raw.text, common.html_of(inlines))
      return pandoc.Div({pandoc.RawBlock("html", html)}, pandoc.Attr(sub_id, {"quarto-subfloat"}))
    end,
  })
  if latex then
    if not laid_out(div) then div.attributes["layout-ncol"] = "1" end
    return latex_table_float(id, caption, body(div, content))
  end
  content = body(div, content)
  if page then return page_table_float(id, with_prefix(id, caption), content, div.attributes, div.classes) end
  content:insert(1, table_caption_line(id, caption))
  return pandoc.Div(content, pandoc.Attr(id, {"quarto-float", "quarto-table"}))
end

local function table_div(div)
  local has_sub_tables = false
  div.content:walk({Table = function(tbl)
    if numbers[tbl.identifier] and numbers[tbl.identifier].sub then has_sub_tables = true end
  end})
  if div.attributes["tbl-subcap"] or has_sub_tables then return sub_tables(div, div.attributes["tbl-subcap"]) end
  local content, caption = split_caption(div)
  local side_by_side = laid_out(div)
  content = body(div, content)
  local id = div.identifier
  local has_table = false
  content:walk({Table = function() has_table = true end})
  if page then
    -- the float's caption above the tables, which keep their own (a panel of two captioned tables, as Quarto
    -- shows it); without one, the first table's caption is the float's
    local first = true
    content = content:walk({Table = function(tbl)
      if not first then return nil end
      first = false
      if #caption > 0 then return nil end
      caption = caption_inlines(tbl.caption.long)
      tbl.caption = {long = {}}
      return tbl
    end})
    if first and #caption == 0 then  -- an HTML table a cell printed (knitr's kable): its own caption, as Quarto
      content = content:walk({RawBlock = function(raw)  -- reads the table and takes it
        if #caption > 0 or not is_html_table(raw) then return nil end
        local inner = raw.text:match("<table.-<caption[^>]*>(.-)</caption>")
        if not (inner and inner:match("%S")) then return nil end
        caption = caption_inlines(pandoc.read(inner, "html").blocks)
        raw.text = without_html_caption(raw.text)
        return raw
      end})
    end
    return page_table_float(id, with_prefix(id, caption), content, div.attributes, div.classes)
  end
  -- a real table (a Markdown or a DataFrame table) carries its own caption; tables laid out side by side
  -- in LaTeX are tabulars in minipages, so there the float is a table environment around them
  if has_table and not (latex and side_by_side) then
    local done = false
    content = content:walk({Table = function(tbl)
      if done then return nil end
      done = true
      tbl.identifier = id
      -- the float's caption, or else the table's own (": Caption" under it), as on a page
      if #caption == 0 then caption = caption_inlines(tbl.caption.long) end
      if latex then
        tbl.caption = {long = {pandoc.Plain(caption)}}
      else
        tbl.caption = {long = {pandoc.Plain(with_prefix(id, caption))}}
      end
      return tbl
    end})
    if latex then return pandoc.Div(content, pandoc.Attr("", {"quarto-float", "quarto-table"})) end
    -- the float's own classes and attributes (a style for the table's text) stay on it, as Quarto keeps them
    local classes = pandoc.List({"quarto-float", "quarto-table"})
    classes:extend(div.classes)
    return pandoc.Div(content, pandoc.Attr(id .. "-float", classes, div.attributes))
  end
  if latex then
    return latex_table_float(id, caption, content)
  end
  local caption_html = common.html_of(with_prefix(id, caption))
  local injected = false
  content = content:walk({RawBlock = function(raw)
    if injected or raw.format ~= "html" then return nil end
    local html, count = inject_html_caption(raw.text, caption_html,
                                            (not caption or #caption == 0) and (delim .. " ") or nil)
    if count > 0 then injected = true; raw.text = html end
    return raw
  end})
  if not injected then  -- no HTML table to caption: a caption line above the content
    content:insert(1, table_caption_line(id, caption))
  end
  return pandoc.Div(content, pandoc.Attr(id, {"quarto-float", "quarto-table"}))
end

-- A captioned HTML table a cell printed (a pandas Styler's set_caption), numbered as Quarto numbers it: on a
-- page a table float around it (the <style> before it stays outside), elsewhere "Table 1:" in its caption.
local function captioned_output_table(raw)
  local id, caption_html = captioned_html_table(raw)
  if not (id and numbers[id] and numbers[id].kind == "tbl") or in_floats[id] then return nil end
  local caption = with_prefix(id, caption_inlines(pandoc.read(caption_html, "html").blocks))
  if page then
    local at = raw.text:find("<table", 1, true)
    local before = raw.text:sub(1, at - 1)
    local html = without_html_caption(raw.text:sub(at))
    local blocks = pandoc.Blocks({})
    if before:match("%S") then blocks:insert(pandoc.RawBlock("html", before)) end
    blocks:insert(page_table_float(id, caption, {pandoc.RawBlock("html", html)}, {}, {}))
    return blocks
  end
  raw.text = raw.text:gsub("(<caption[^>]*>).-(</caption>)",
                           function(open, close) return open .. common.html_of(caption) .. close end, 1)
  return raw
end

local function listing(code)
  local id = code.identifier
  local caption = pandoc.Inlines({})
  if code.attributes["lst-cap"] then
    caption = pandoc.read(code.attributes["lst-cap"], "markdown").blocks[1].content
    code.attributes["lst-cap"] = nil
  end
  code.identifier = ""
  if page then  -- Quarto's float markup, its caption above the code, at the left; the code's classes on it too
    local classes = pandoc.List(code.classes):filter(function(class) return class ~= "listing" end)
    classes:insert("listing")
    return common.quarto_float({id = id, kind = "lst", caption = {pandoc.Plain(with_prefix(id, caption))},
                                content = {code}, location = "top", align = "left", classes = classes})
  end
  if latex then
    return {pandoc.RawBlock("latex", "\\begin{codelisting}[H]\n\\caption{" .. latex_of(caption) .. "}\\label{" ..
                            id .. "}"), code, pandoc.RawBlock("latex", "\\end{codelisting}")}
  end
  return pandoc.Div({pandoc.Div({pandoc.Plain(with_prefix(id, caption))}, pandoc.Attr("", {"listing-caption"})),
                     code}, pandoc.Attr(id, {"quarto-float", "quarto-listing"}))
end

local function numbered_block(math, id)
  if common.typst then  -- centred, its number at the right margin, as LaTeX sets an equation
    local body = pandoc.write(pandoc.Pandoc({pandoc.Plain({math})}), "typst"):gsub("%s+$", "")
    return pandoc.Div({pandoc.RawBlock("typst", "#grid(columns: (1fr, auto, 1fr), align: horizon, [], [" .. body ..
                                       "], align(right)[(" .. equation_number(id) .. ")])")},
                      pandoc.Attr(id, {"quarto-equation"}))
  end
  return pandoc.Div({pandoc.Para({math, pandoc.Span({pandoc.Str("(" .. equation_number(id) .. ")")},
                                                   pandoc.Attr("", {"equation-number"}))})},
                    pandoc.Attr(id, {"quarto-equation"}))
end

-- A numbered equation in an HTML page, where it stands in its paragraph, as Quarto writes it: the number
-- is part of the maths, a \tag MathJax sets at the right margin (with MathML or plain maths, after a
-- \qquad), and a span carries the label.
local function numbered_inline(math, id)
  local number = equation_number(id)
  local text = math.text:gsub("%s+$", "")
  local tags = math_method == "mathjax" or math_method == "katex"  -- both typeset \tag; MathML and plain do not
  text = text .. (tags and (" \\tag{" .. number .. "}") or (" \\qquad(" .. number .. ")"))
  return pandoc.Span({pandoc.Math(math.mathtype, text)}, pandoc.Attr(id))
end

-- A paragraph with labelled equations: in LaTeX each becomes an equation environment where it stands
-- (the paragraph goes on around it, as LaTeX sets display maths), in HTML a numbered equation where it
-- stands; elsewhere (Word, Typst) the paragraph is split around each numbered equation block.
local function with_equations(para, found)
  local inlines = para.content
  local blocks, pending, at = pandoc.Blocks({}), pandoc.Inlines({}), 1
  local function flush()
    while #pending > 0 and (pending[#pending].t == "Space" or pending[#pending].t == "SoftBreak") do
      pending:remove(#pending)
    end
    while #pending > 0 and (pending[1].t == "Space" or pending[1].t == "SoftBreak") do pending:remove(1) end
    if #pending > 0 then blocks:insert(pandoc.Para(pending)) end
    pending = pandoc.Inlines({})
  end
  for _, eq in ipairs(found) do
    for i = at, eq.start - 1 do pending:insert(inlines[i]) end
    local math = inlines[eq.start]
    if latex then
      -- trimmed, and no blank line inside: TeX ends the paragraph there ("Missing $ inserted")
      local text = math.text:gsub("^%s+", ""):gsub("%s+$", ""):gsub("\n%s*\n", "\n")
      pending:insert(pandoc.RawInline("latex", "\\begin{equation}\\label{" .. eq.id .. "}\n" .. text ..
                                      "\n\\end{equation}"))
    elseif common.html then
      pending:insert(numbered_inline(math, eq.id))
    else
      flush()
      blocks:insert(numbered_block(math, eq.id))
    end
    if eq.rest ~= "" then pending:insert(pandoc.Str(eq.rest)) end
    at = eq.stop + 1
  end
  for i = at, #inlines do pending:insert(inlines[i]) end
  if latex or common.html then
    para.content = pending
    return para
  end
  flush()
  return blocks
end

local function unnumbered_latex_figure(figure)
  -- A figure without a fig- label: on a page its caption has no number; LaTeX numbers it ("Figure 2.1:
  -- file_directory" in a Quarto book's PDF), as pandoc's figure, which Quarto leaves it, is numbered.
  local blocks = pandoc.Blocks({pandoc.RawBlock("latex", "\\begin{figure}[H]\n\\centering")})
  blocks:extend(figure.content)
  local caption = caption_inlines(figure.caption.long)
  if #caption > 0 then
    blocks:insert(pandoc.RawBlock("latex", "\\caption{" .. latex_of(caption) .. "}"))
  end
  blocks:insert(pandoc.RawBlock("latex", "\\end{figure}"))
  return blocks
end

-- References ------------------------------------------------------------------------------------------

local function reference(citation)
  local lookup = common.label_of(citation.id)
  local entry = numbers[lookup]
  if not entry then return common.unresolved(citation.id) end
  local kind = kind_of(lookup)
  local label = entry.number
  -- unnumbered sections: their count on a page (Quarto's), their title in print (LaTeX has no number for them)
  if kind == "sec" and not label then label = (not latex and not common.typst and entry.hidden) or entry.text end
  -- LaTeX numbers floats and numbered sections itself; sub-figures and unnumbered sections are links
  local use_ref = latex and not entry.sub and not (kind == "sec" and not entry.number)
  local target = entry.sub and (lookup:gsub("%-%d+$", "")) or lookup  -- a sub-figure links to its float
  if entry.chapter and not entry.number then  -- an unnumbered chapter is referred to by its title
    return {pandoc.Link({pandoc.Str(entry.text)}, "#" .. target, "", pandoc.Attr("", {"quarto-xref"}))}
  end
  local word = prefixes[kind]
  if entry.chapter then word = (entry.appendix and titles.app or titles.ch) end  -- "Chapter 2", "Appendix A"
  return common.reference(citation, word, label, target, use_ref, not custom[kind] or custom[kind].spaced)
end

-- This chapter's labels, for the other chapters' references (common.index_block).
local function index_block()
  local entries = {}
  for id, entry in pairs(numbers) do
    local word = prefixes[entry.kind]
    if entry.chapter then word = entry.number and (entry.appendix and titles.app or titles.ch) or "" end
    entries[id] = {number = entry.number or "", text = entry.text or "", word = word,
                   target = entry.sub and (id:gsub("%-%d+$", "")) or id}
  end
  return common.index_block(entries)
end

local function Cite(cite)
  local has_crossref = false
  for _, citation in ipairs(cite.citations) do
    if kind_of(common.label_of(citation.id)) then has_crossref = true end
  end
  if not has_crossref then return nil end
  -- a bibliographic citation in the same group as a cross-reference ("@eq-x [@smith]" is one group): Quarto's
  -- reference takes the group's place and the citation is gone; said here, so it is not lost unseen
  local references = pandoc.List({})
  for _, citation in ipairs(cite.citations) do
    if kind_of(common.label_of(citation.id)) then
      references:insert(citation)
    else
      io.stderr:write("warning: the citation @" .. citation.id .. " is in one group with a cross-reference, "
                      .. "so Quarto leaves it out, and so does the embedded renderer; cite it apart "
                      .. "(\"@eq-x, [@" .. citation.id .. "]\") to show it\n")
    end
  end
  return common.joined_references(references, function(citation)
    if chapter and not latex and not numbers[common.label_of(citation.id)] then return common.pending(citation) end
    return reference(citation)
  end)
end

-- A float div's caption given as its attribute (::: {#fig-elephant fig-cap="An elephant"}), as Quarto takes
-- it: the div's last paragraph, where a caption written inside it stands.
local function captioned_by_attribute(div)
  local kind = float_kind(div)
  local caption = kind and div.attributes[kind .. "-cap"]
  if not caption then return nil end
  div.attributes[kind .. "-cap"] = nil
  div.content:insert(pandoc.Para(pandoc.utils.blocks_to_inlines(pandoc.read(caption, "markdown").blocks)))
  return div
end

-- An image labelled as a table (![Caption](table.png){#tbl-x}, Quarto's way to show a table as a picture): a table
-- float holding the image, its caption the float's.
local function image_as_table(figure)
  if kind_of(figure.identifier) ~= "tbl" then return nil end
  local content = figure.content:walk({Plain = function(plain) return pandoc.Para(plain.content) end})
  content:insert(pandoc.Para(caption_inlines(figure.caption.long)))
  return pandoc.Div(content, pandoc.Attr(figure.identifier, figure.classes, figure.attributes))
end

function Pandoc(doc)
  configure(doc.meta)
  doc.blocks = doc.blocks:walk({Div = captioned_by_attribute, Figure = image_as_table})
  number_all(doc)
  doc.blocks = doc.blocks:walk({
    traverse = "topdown",
    Div = function(div)
      local kind = float_kind(div)
      if kind == "fig" then return figure_div(div), false end
      if kind == "tbl" then return table_div(div), false end
      if custom[kind] then return custom_div(div), false end
      return nil
    end,
    Figure = function(figure)
      if kind_of(figure.identifier) == "fig" then
        if not latex then
          figure.caption = {long = {pandoc.Plain(with_prefix(figure.identifier,
                                                             caption_inlines(figure.caption.long)))}}
          figure.classes:insert("quarto-float")
        end
        if latex and figure_caption_top then  -- pandoc's LaTeX figure has its caption under the image
          return latex_figure("figure", figure.attributes["fig-pos"] or "H", caption_inlines(figure.caption.long),
                              figure.identifier, figure.content)
        end
        return figure
      elseif latex then
        return unnumbered_latex_figure(figure)
      end
    end,
    Table = function(tbl)
      local number = numbers[tbl.identifier]
      if number and number.kind == "tbl" and not number.sub and not latex then
        local caption = with_prefix(tbl.identifier, caption_inlines(tbl.caption.long))
        if page then
          local id, location = tbl.identifier, tbl.attributes["tbl-cap-location"]
          tbl.identifier, tbl.caption, tbl.attributes["tbl-cap-location"] = "", {long = {}}, nil
          return page_table_float(id, caption, {tbl}, {["tbl-cap-location"] = location}, {})
        end
        tbl.caption = {long = {pandoc.Plain(caption)}}
      end
      return tbl
    end,
    CodeBlock = function(code)
      if kind_of(code.identifier) == "lst" then return listing(code) end
    end,
    RawBlock = captioned_output_table,
    Para = function(para)
      local found = equations_in(para)
      if #found > 0 then return with_equations(para, found) end
    end,
    Plain = function(plain)
      local found = equations_in(plain)
      if #found > 0 then return with_equations(plain, found) end
    end,
  })
  doc = doc:walk({Cite = Cite})
  if latex then common.append_latex_header(doc.meta, latex_preamble()) end
  if chapter and not latex then
    doc.blocks:insert(index_block())
    if doc.meta.title and chapter ~= "" and not home then  -- "2  Results" in the title block, as Quarto's
      local title
      if appendix then  -- "Appendix C — Data" (crossref: appendix-title, appendix-delim)
        title = pandoc.Inlines({pandoc.Span({pandoc.Str(titles.app), pandoc.Space(), pandoc.Str(chapter)},
                                            pandoc.Attr("", {"chapter-number"})),
                                pandoc.Space(), pandoc.Str(appendix_delim), pandoc.Space()})
      elseif doc.meta["number-sections"] then
        title = pandoc.Inlines({pandoc.Span({pandoc.Str(chapter)}, pandoc.Attr("", {"chapter-number"})),
                                pandoc.Str("\u{00A0}"), pandoc.Space()})  -- "2&nbsp; Results", as Quarto
      else  -- the chapter's own number-sections: false shows its title bare (its number stays in the sidebar),
        -- and in the browser's title, as Quarto's
        title = pandoc.Inlines({})
        if stringify(doc.meta.pagetitle) == chapter .. "\u{00A0} " .. stringify(doc.meta.title) then
          doc.meta.pagetitle = stringify(doc.meta.title)
        end
      end
      title:insert(pandoc.Span(pandoc.Inlines(doc.meta.title), pandoc.Attr("", {"chapter-title"})))
      doc.meta.title = title
    end
  end
  return doc
end
