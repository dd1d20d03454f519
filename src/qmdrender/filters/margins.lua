-- Margin content (https://quarto.org/docs/authoring/article-layout.html): .column-margin and .aside
-- divs and spans go to the right margin, and so do footnotes with reference-location: margin and
-- captions with cap-location (fig-/tbl-cap-location): margin.
-- HTML: classes that report.css floats into the margin column on wide screens (inline, boxed, when
-- the window is narrow); a deck's aside is an <aside> at the slide's foot. LaTeX: \marginpar, the closest
-- equivalent; content that LaTeX cannot put in a margin paragraph (a figure, a table, verbatim code) stays
-- in the text.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local latex = common.latex
-- A Beamer frame has no margin paragraphs (\marginpar there is "Not in outer par mode"): an aside stays
-- on its slide, in the text, and notes stay footnotes.
local beamer = FORMAT:match("beamer") ~= nil

local MARGIN = {["column-margin"] = true, aside = true}
local notes_in_margin, captions_in_margin = {}, {}
local note_number = 0

local function in_margin(element)
  return common.has_class_in(element, MARGIN)
end

-- A float (figure, table) cannot go in a margin paragraph, nor can verbatim code (a cell's output).
local function has_float(blocks)
  local found = false
  pandoc.Blocks(blocks):walk({
    Figure = function() found = true end, Table = function() found = true end,
    Image = function() found = true end, CodeBlock = function() found = true end,
    Div = function(div) if div.identifier:match("^fig%-") or div.identifier:match("^tbl%-") then found = true end end,
    RawBlock = function(raw) if raw.text:match("\\begin{figure}") or raw.text:match("\\begin{table}") then found = true end end,
  })
  return found
end

local function margin_par(blocks)
  local body = pandoc.write(pandoc.Pandoc(blocks), "latex"):gsub("%s+$", "")
  return "\\marginpar{\\footnotesize\\raggedright " .. body .. "}"
end

local function Div(div)
  if not in_margin(div) then return nil end
  if beamer then return div.content end
  if FORMAT == "revealjs" and div.classes:includes("aside") then
    -- Quarto writes a slide's aside as an <aside> element (slides.css puts it at the slide's foot), which
    -- decks' own rules (".reveal aside") style
    div.classes = div.classes:filter(function(name) return name ~= "aside" end)
    return {pandoc.RawBlock("html", "<aside>"), div, pandoc.RawBlock("html", "</aside>")}
  end
  if latex then
    if has_float(div.content) then return div.content end
    return pandoc.RawBlock("latex", margin_par(div.content))
  end
  div.classes:insert("margin-note")
  return div
end

local function Span(span)
  if not in_margin(span) then return nil end
  if beamer then return span.content end
  if latex then
    return pandoc.RawInline("latex", margin_par({pandoc.Plain(span.content)}))
  end
  span.classes:insert("margin-note")
  return span
end

-- reference-location: margin: a note becomes its number in the text and a numbered margin note. On a page, as
-- Quarto writes it: the number links to the note, which follows the block that refers to it in Quarto's margin
-- container (notes_after).
local margin_notes = {}
local NOTE_LINK = '<a href="#fn%s" class="footnote-ref" id="fnref%s" role="doc-noteref"><sup>%s</sup></a>'

local function Note(note)
  if not notes_in_margin.on or beamer then return nil end
  note_number = note_number + 1
  local number = tostring(note_number)
  if latex then
    local text = pandoc.write(pandoc.Pandoc(note.content), "latex"):gsub("%s+$", "")
    return {pandoc.RawInline("latex", "\\textsuperscript{" .. number .. "}\\marginpar{\\footnotesize\\raggedright " ..
                             "\\textsuperscript{" .. number .. "}~" .. text .. "}")}
  end
  if common.html then
    margin_notes[number] = note.content
    return pandoc.RawInline("html", NOTE_LINK:format(number, number, number))
  end
  local content = pandoc.Inlines({pandoc.Superscript({pandoc.Str(number)}), pandoc.Space()})
  content:extend(pandoc.utils.blocks_to_inlines(note.content))
  return {pandoc.Superscript({pandoc.Str(number)}),
          pandoc.Span(content, pandoc.Attr("", {"margin-note", "margin-footnote"}))}
end

-- Notes in Quarto's margin container (one for the notes of one block, as Quarto adds a block's later notes to
-- the container its first made): each its number, a no-break space, its text.
local function margin_container(numbers)
  local notes = pandoc.Blocks({})
  for _, number in ipairs(numbers) do
    local content = pandoc.Blocks(margin_notes[number])
    margin_notes[number] = nil
    local lead = pandoc.Inlines({pandoc.Superscript({pandoc.Str(number)}), pandoc.Str("\u{A0}")})
    if content[1] and (content[1].t == "Para" or content[1].t == "Plain") then
      lead:extend(content[1].content)
      content[1] = pandoc.Para(lead)
    else
      content:insert(1, pandoc.Para(lead))
    end
    notes:insert(pandoc.Div(content, pandoc.Attr("fn" .. number)))
  end
  return pandoc.Div(notes, pandoc.Attr("", {"no-row-height", "column-margin", "column-container", "margin-note"}))
end

local function note_numbers(element, found)
  element:walk({RawInline = function(raw)
    local number = raw.format == "html" and raw.text:match('^<a href="#fn(%d+)" class="footnote%-ref"')
    if number and margin_notes[number] then found[#found + 1] = number end
  end})
  return found
end

-- The notes referred to inside a list, a table or a block quote follow the outermost one, as Quarto's margin
-- container for them does (a bullet's note sits beside the list's end, not inside the item; a quote's after the
-- quote); the walk goes from the outside in and does not enter a block it has placed the notes of.
local function after_list(list)
  local numbers = note_numbers(list, {})
  if #numbers == 0 then return nil end
  return pandoc.Blocks({list, margin_container(numbers)}), false
end

local function notes_after_lists(doc)
  if next(margin_notes) == nil then return nil end
  return doc:walk({traverse = "topdown", BulletList = after_list, OrderedList = after_list, Table = after_list,
                   BlockQuote = after_list})
end

-- Each block that refers to margin notes (a paragraph, a heading) followed by them.
local function notes_after(blocks)
  if next(margin_notes) == nil then return nil end
  local result, changed = pandoc.Blocks({}), false
  for _, block in ipairs(blocks) do
    result:insert(block)
    if block.t == "Para" or block.t == "Plain" or block.t == "Header" or block.t == "LineBlock" then
      local numbers = note_numbers(block, {})
      if #numbers > 0 then
        result:insert(margin_container(numbers))
        changed = true
      end
    end
  end
  return changed and result or nil
end

-- cap-location: margin (HTML): a class on the float; report.css moves its caption to the margin.
local function caption_class(element, kind)
  if latex or not captions_in_margin[kind] then return nil end
  element.classes:insert("margin-caption")
  return element
end

-- pandoc's pause (". . ."): a paragraph of three spaced dots
local function is_pause(block)
  if block.t ~= "Para" or #block.content ~= 5 then return false end
  for index, inline in ipairs(block.content) do
    local dot = index % 2 == 1
    if (dot and not (inline.t == "Str" and inline.text == ".")) or (not dot and inline.t ~= "Space") then
      return false
    end
  end
  return true
end

-- A slide's blocks with its asides last. Its pauses become the fragment divs pandoc would make of them
-- (each holds what follows it up to the next pause), so that the asides close the slide outside them.
local function slide_with_asides_last(blocks)
  local kept, asides = pandoc.Blocks({}), pandoc.Blocks({})
  local fragment = nil
  for _, block in ipairs(blocks) do
    if block.t == "Div" and block.classes:includes("aside") then
      asides:insert(block)
    elseif is_pause(block) then
      fragment = pandoc.Div({}, pandoc.Attr("", {"fragment"}))
      kept:insert(fragment)
    elseif fragment then
      fragment.content:insert(block)
    else
      kept:insert(block)
    end
  end
  kept:extend(asides)
  return kept
end

-- A deck's top-level asides go to the end of their slide, after its fragments, as Quarto's deck has them: an
-- aside written before a ". . ." pause is not held back by it, and where an aside follows the text (center:
-- true, a scrollable slide) it comes last. A slide runs from its heading to the next heading of slide level or
-- above, or to a horizontal rule.
local function asides_last(doc)
  if FORMAT ~= "revealjs" then return nil end
  local level = common.slide_level()
  local blocks, slide = pandoc.Blocks({}), pandoc.Blocks({})
  local function close_slide()
    local has_aside = false
    for _, block in ipairs(slide) do
      if block.t == "Div" and block.classes:includes("aside") then has_aside = true end
    end
    blocks:extend(has_aside and slide_with_asides_last(slide) or slide)
    slide = pandoc.Blocks({})
  end
  for _, block in ipairs(doc.blocks) do
    if (block.t == "Header" and block.level <= level) or block.t == "HorizontalRule" then
      close_slide()
      blocks:insert(block)
    else
      slide:insert(block)
    end
  end
  close_slide()
  doc.blocks = blocks
  return doc
end

-- A callout's margin notes (asides, margin footnotes and citations, .column-margin) in one margin column
-- container in front of the callout (a list's notes: after it), as Quarto moves them out of it: beside the
-- callout's top, at the page's margin (inside, the callout's padding would pull them in from it).
local function callout_margin_notes(div)
  -- (a page's margin only: a deck keeps its asides on the slide, other formats have no margin column)
  if not common.html or FORMAT == "revealjs" or not div.classes:includes("callout") then return nil end
  local notes, after = pandoc.Blocks({}), pandoc.Blocks({})
  local function is_note(element) return element.classes:includes("margin-note") end
  local LISTS = {BulletList = true, OrderedList = true, Table = true, BlockQuote = true}
  local content = pandoc.Blocks(div.content):walk({
    Span = function(span)
      if is_note(span) then notes:insert(pandoc.Para(span.content)); return {} end
    end,
    -- the notes of a list (a table, a quote) in the callout, which follow the list, follow the callout, as
    -- Quarto places them (its 8032 test); the others go in front of it
    Blocks = function(blocks)
      local kept, changed = pandoc.Blocks({}), false
      for index, block in ipairs(blocks) do
        if block.t == "Div" and is_note(block) then
          local previous = blocks[index - 1]
          if previous and LISTS[previous.t] then after:extend(block.content) else notes:extend(block.content) end
          changed = true
        else
          kept:insert(block)
        end
      end
      return changed and kept or nil
    end,
  })
  if #notes == 0 and #after == 0 then return nil end
  div.content = content
  local result = {}
  local classes = {"column-margin", "column-container", "margin-note"}
  if #notes > 0 then result[#result + 1] = pandoc.Div(notes, pandoc.Attr("", classes)) end
  result[#result + 1] = div
  if #after > 0 then result[#result + 1] = pandoc.Div(after, pandoc.Attr("", classes)) end
  return result
end

return {
  {Pandoc = asides_last},
  {
    Meta = function(meta)
      local renderer = meta["embedded-renderer"] or {}
      local function value(from, key) return from[key] and pandoc.utils.stringify(from[key]) or "" end
      notes_in_margin.on = value(meta, "reference-location") == "margin"
      captions_in_margin.fig = value(renderer, "fig-cap-location") == "margin"
      captions_in_margin.tbl = value(renderer, "tbl-cap-location") == "margin"
    end,
  },
  {Div = Div, Span = Span, Note = Note},
  {Pandoc = notes_after_lists},
  {Blocks = notes_after},
  {Pandoc = function(doc)  -- a note referred to from where no block follows (a term's text): at the end, not lost
    local left = {}
    for number in pairs(margin_notes) do left[#left + 1] = tonumber(number) end
    if #left == 0 then return nil end
    table.sort(left)
    for _, number in ipairs(left) do doc.blocks:insert(margin_container({tostring(number)})) end
    return doc
  end},
  {
    Figure = function(figure) return caption_class(figure, "fig") end,
    Div = function(div)
      if div.identifier:match("^tbl%-") or div.classes:includes("quarto-table") then
        return caption_class(div, "tbl")
      end
    end,
    Table = function(tbl) return caption_class(tbl, "tbl") end,
  },
  {Div = callout_margin_notes},
}
