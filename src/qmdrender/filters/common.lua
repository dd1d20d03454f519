-- What every filter shares: which output family pandoc writes, and inlines as LaTeX source.
-- A filter loads it with:
--   local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local common = {}

-- LaTeX and Beamer write LaTeX; HTML and reveal.js write HTML.
common.latex = (FORMAT:match("latex") or FORMAT:match("beamer")) ~= nil
common.html = (FORMAT:match("html") or FORMAT:match("revealjs")) ~= nil
common.typst = FORMAT == "typst"
-- Markdown as the output (gfm is pandoc's CommonMark writer with GitHub's extensions here, as in Quarto)
common.markdown = FORMAT == "gfm" or FORMAT:match("^commonmark") ~= nil or FORMAT:match("^markdown") ~= nil

-- Inserts ``inserted`` (blocks for the page's head, which the renderer moves there: quarto_api.lua) where
-- they make no slide of their own in a deck: after the first heading (what comes before it may still be
-- taken out, as content for other formats is), or in a deck without headings after the first block that is
-- not a rule.
function common.insert_without_slide(blocks, inserted)
  local at = 1
  while blocks[at] and blocks[at].t == "HorizontalRule" do at = at + 1 end
  for index, block in ipairs(blocks) do
    if block.t == "Header" then at = index break end
  end
  for offset, block in ipairs(inserted) do blocks:insert(math.min(at + offset, #blocks + 1), block) end
end

-- Inlines as LaTeX source (a caption or a callout title inside a raw LaTeX block).
function common.latex_of(inlines)
  return (pandoc.write(pandoc.Pandoc({pandoc.Plain(inlines)}), "latex"):gsub("%s+$", ""))
end

-- Inlines as HTML source (a caption put into a table's HTML, a tab's button), their maths written as the page
-- writes it (MathJax's \( \) or MathML: the run's html-math-method), not pandoc's plain-text default.
function common.html_of(inlines)
  local options = {html_math_method = PANDOC_WRITER_OPTIONS and PANDOC_WRITER_OPTIONS.html_math_method or "mathjax"}
  return (pandoc.write(pandoc.Pandoc({pandoc.Plain(inlines)}), "html", options):gsub("%s+$", ""))
end

-- Whether an element (a Div, a Span) has any of the classes that ``set`` holds as keys.
function common.has_class_in(element, set)
  for _, class in ipairs(element.classes) do
    if set[class] then return true end
  end
  return false
end

-- "@Fig-x" refers to fig-x (the capital asks for a capitalised word): the label to look up.
function common.label_of(id)
  return id:sub(1, 1):lower() .. id:sub(2)
end

-- A group of cross-references, each made by `reference`, joined by ", " as Quarto joins them (its ref-delim).
function common.joined_references(citations, reference)
  local result = pandoc.Inlines({})
  for i, citation in ipairs(citations) do
    if i > 1 then result:extend({pandoc.Str(","), pandoc.Space()}) end
    result:extend(reference(citation))
  end
  return result
end

-- An unknown label: a warning, and "?@label" in bold where the reference stands, as in Quarto.
function common.unresolved(id)
  io.stderr:write("warning: unresolved cross-reference @" .. id .. "\n")
  return {pandoc.Strong({pandoc.Str("?@" .. id)})}
end

-- A reference to a label this chapter does not have, in an HTML book: a link the book's assembly
-- (site.py) resolves against the other chapters' indexes (or reports as unresolved).
function common.pending(citation)
  local mode = citation.mode == "SuppressAuthor" and "bare" or "word"
  return {pandoc.RawInline("html", '<a class="quarto-xref quarto-xref-pending" data-xref="' ..
                           common.label_of(citation.id) .. '" data-mode="' .. mode .. '" data-capital="' ..
                           (citation.id:sub(1, 1):match("%u") and "1" or "0") .. '">?@' .. citation.id .. "</a>")}
end

-- A chapter's labels as JSON (label -> {number, text, word, target}), for the other chapters' references:
-- site.py reads every such block of a page.
function common.index_block(entries)
  local json = pandoc.json.encode(entries):gsub("</", "<\\/")
  return pandoc.RawBlock("html", '<script type="application/json" class="quarto-xref-index">' .. json ..
                         "</script>")
end

-- This page's chapter in a book (books.py): its number ("" when unnumbered), or nil outside a book.
function common.book_chapter(meta)
  local book = meta["book-chapter"]
  return book and (book.number and pandoc.utils.stringify(book.number) or "") or nil
end

-- Adds ``text`` to the file the renderer puts in a LaTeX document's preamble (writing.py), where there is one.
function common.append_latex_header(meta, text)
  local header = (meta["embedded-renderer"] or {})["latex-header-file"]
  if text == "" or not header then return end
  local file = io.open(pandoc.utils.stringify(header), "a")
  file:write(text .. "\n")
  file:close()
end

-- One resolved reference: "Figure 1" ("@Fig-x" capitalises the word; "[-@fig-x]" gives the label
-- alone; "[Condition @eq-x]" says its own word, "Condition 3", as Quarto writes a prefix). With use_ref (LaTeX
-- numbers the target itself) it is \ref{label}; otherwise a link to #target. ``spaced`` false joins the word
-- and the number without a space ("Figure S1").
-- crossref: ref-hyperlink: false: a reference is its text, not a link to what it names (read_reference_options)
common.hyperlinked = true

function common.read_reference_options(meta)
  local crossref = meta.crossref
  common.hyperlinked = not (type(crossref) == "table" and crossref["ref-hyperlink"] == false)
end

function common.reference(citation, word, label, target, use_ref, spaced)
  if citation.id:sub(1, 1):match("%u") then word = word:sub(1, 1):upper() .. word:sub(2) end
  local suppress = citation.mode == "SuppressAuthor"
  if citation.prefix and #citation.prefix > 0 then
    word, suppress = pandoc.utils.stringify(citation.prefix), false
  end
  local space = spaced == false and "" or nil
  if use_ref then
    local ref = "\\ref{" .. common.label_of(citation.id) .. "}"
    return {pandoc.RawInline("latex", suppress and ref or (word .. (space or "~") .. ref))}
  end
  local text = pandoc.Str(suppress and label or (word .. (space or "\u{a0}") .. label))
  if not common.hyperlinked then return {text} end
  return {pandoc.Link({text}, "#" .. target, "", pandoc.Attr("", {"quarto-xref"}))}
end

-- A deck's slide level: the heading level that starts a slide (pandoc's --slide-level: reveal.js has Quarto's
-- 2). Without one (Beamer, PowerPoint), pandoc's own rule on the document's blocks: the highest level of a
-- heading followed straight by something other than a heading or a rule (6 when none is).
function common.slide_level(blocks)
  local given = tonumber(PANDOC_WRITER_OPTIONS and PANDOC_WRITER_OPTIONS.slide_level)
  if given or not blocks then return given or 2 end
  local level = 6
  for i = 1, #blocks - 1 do
    local block, next_block = blocks[i], blocks[i + 1]
    if block.t == "Header" and block.level < level and next_block.t ~= "Header"
        and next_block.t ~= "HorizontalRule" then
      level = block.level
    end
  end
  return level
end

-- An image on an HTML page is Bootstrap's responsive img-fluid unless its height is set, as Quarto's
-- fig-responsive makes it (figures.lua for the page's images, tabsets.lua for a tab title's).
function common.responsive_image(img)
  if not img.attributes["height"] and not img.attributes["data-no-responsive"]
      and not img.classes:includes("img-fluid") then
    img.classes:insert("img-fluid")
  end
  return img
end

-- A page's cross-referenced float (a figure, a table, a listing) in Quarto's markup, which Quarto's rules and
-- authors' stylesheets address: div#ID.quarto-float.quarto-figure.quarto-figure-ALIGN.anchored (the author's
-- classes after) around figure.quarto-float.quarto-float-KIND (a sub-float's quarto-subfloat-KIND), the content
-- in a div the caption describes, the caption figcaption.quarto-float-caption-LOCATION.quarto-float-caption.
-- quarto-float-KIND above or under it. The caption's id ends in Quarto's fixed suffix, so that it cannot be an
-- id the author wrote. ``float`` holds id, kind (fig, tbl, lst), sub, caption (blocks), content (blocks),
-- location (top, bottom), align, classes (the outer div's), figure_classes (the figure's), attributes.
common.FIGCAPTION_SUFFIX = "-caption-0ceaefa1-69ba-4598-a22c-09a6ac19f8ca"

function common.quarto_float(float)
  local float_kind = (float.sub and "quarto-subfloat-" or "quarto-float-") .. float.kind
  local caption_id = float.id .. common.FIGCAPTION_SUFFIX
  local classes = pandoc.List({"quarto-float", "quarto-figure", "quarto-figure-" .. (float.align or "center"),
                               "anchored"})
  classes:extend(float.classes or {})
  local figure = {"quarto-float", float_kind}
  for _, class in ipairs(float.figure_classes or {}) do figure[#figure + 1] = class end
  local caption = pandoc.Blocks({pandoc.RawBlock("html", '<figcaption class="quarto-float-caption-' .. float.location ..
    (float.sub and " quarto-subfloat-caption " or " quarto-float-caption ") .. float_kind .. '" id="' .. caption_id ..
    '">')})
  caption:extend(float.caption or {})
  caption:insert(pandoc.RawBlock("html", "</figcaption>"))
  local blocks = pandoc.Blocks({pandoc.RawBlock("html", '<figure class="' .. table.concat(figure, " ") .. '">')})
  if float.location == "top" then blocks:extend(caption) end
  blocks:insert(pandoc.Div(float.content, pandoc.Attr("", {}, {["aria-describedby"] = caption_id})))
  if float.location ~= "top" then blocks:extend(caption) end
  blocks:insert(pandoc.RawBlock("html", "</figure>"))
  return pandoc.Div(blocks, pandoc.Attr(float.id, classes, float.attributes or {}))
end

-- Base64 text decoded (Quarto's quarto.base64.decode, and data-qmd-base64 attributes: html_markdown.lua).
local BASE64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

function common.base64_decode(text)
  text = text:gsub("[^%w%+/=]", "")
  local out = {}
  for i = 1, #text, 4 do
    local n, pad = 0, 0
    for k = 0, 3 do
      local char = text:sub(i + k, i + k)
      local index = (char == "" or char == "=") and 0 or (BASE64_DIGITS:find(char, 1, true) - 1)
      if char == "" or char == "=" then pad = pad + 1 end
      n = n * 64 + index
    end
    local bytes = string.char(math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    out[#out + 1] = bytes:sub(1, 3 - pad)
  end
  return table.concat(out)
end

return common
