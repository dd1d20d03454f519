-- reveal.js: footnotes of a section's title slide that has text of its own ("# Part" followed by a paragraph
-- before the next slide), at its foot as Quarto shows them. Pandoc 3.9 writes each slide's notes at the end
-- of the slide (--reference-location=section), but leaves out those of such a slide; its numbers in the text
-- stay. This filter writes the slide's notes as pandoc writes any slide's (an end-of-section aside with the
-- notes' document-order numbers), which formats/revealjs.py then shapes as Quarto's.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local function notes_aside(notes, count)
  local items = {}
  for _, note in ipairs(notes) do
    -- (the deck's maths method; a fragment, not a page)
    local text = pandoc.write(pandoc.Pandoc(note.content), "html",
                              {html_math_method = PANDOC_WRITER_OPTIONS.html_math_method}):gsub("%s+$", "")
    items[#items + 1] = ('<li id="fn%d">%s</li>'):format(note.number, text)
  end
  return pandoc.RawBlock("html", ('<aside id="footnotes-section-slide-%d" class="footnotes footnotes-end-of-section" '
    .. 'role="doc-footnote"><hr /><ol start="%d">%s</ol></aside>'):format(count, notes[1].number,
                                                                          table.concat(items)))
end

function Pandoc(doc)
  if FORMAT ~= "revealjs" or PANDOC_WRITER_OPTIONS.reference_location ~= "end-of-section" then return nil end
  local level = common.slide_level()
  local blocks, pending, numbered, asides = pandoc.Blocks({}), {}, 0, 0
  local section_slide = false  -- the blocks being read are a section title slide's own text
  local function close()
    if #pending > 0 then
      asides = asides + 1
      blocks:insert(notes_aside(pending, asides))
    end
    pending = {}
  end
  for _, block in ipairs(doc.blocks) do
    local starts = (block.t == "Header" and block.level <= level) or block.t == "HorizontalRule"
    if starts then
      close()
      section_slide = block.t == "Header" and block.level < level
    end
    -- every note counts, in document order, as pandoc numbers them
    pandoc.Blocks({block}):walk({Note = function(note)
      numbered = numbered + 1
      if section_slide and not starts then pending[#pending + 1] = {number = numbered, content = note.content} end
    end})
    blocks:insert(block)
  end
  close()
  doc.blocks = blocks
  return doc
end
