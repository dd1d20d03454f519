-- The appendix at the end of an HTML page, as Quarto builds it (appendix-style: default, plain or none):
-- the sections marked {.appendix}, the references citeproc wrote (when the document did not place them
-- itself), the footnotes, "Reuse" (license), "Copyright" and "Citation", each under its heading, in a
-- div#quarto-appendix. It runs after citeproc. Footnotes are written by pandoc's writer after the body,
-- so the filter leaves a marker where they belong and formats/html.py moves them there. A book's chapter has
-- no appendix (Quarto never builds one in a book): its footnotes, references and appendix sections stay as
-- pandoc writes them.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

local FOOTNOTES_MARKER = "<!-- quarto-appendix-footnotes -->"

local function heading(text)
  -- unlisted: the appendix is not in the table of contents
  return pandoc.Header(2, pandoc.Inlines(text), pandoc.Attr("", {"anchored", "quarto-appendix-heading", "unlisted"}))
end

local function part(id, title, blocks)
  local content = pandoc.Blocks({heading(title)})
  content:insert(pandoc.Div(blocks, pandoc.Attr("", {"quarto-appendix-contents"})))
  return pandoc.Div(content, pandoc.Attr(id, {"quarto-appendix-contents"}))
end

-- the license as qmdrender/rights.py hands it over: {text, url} (a Creative Commons name already resolved)
local function license_blocks(value)
  local kind = pandoc.utils.type(value)
  if kind == "table" or kind == "Meta" or kind == "Object" then  -- {text: ..., url: ...}
    local text, url = pandoc.utils.stringify(value.text or value.type or ""), pandoc.utils.stringify(value.url or "")
    if url ~= "" then
      return {pandoc.Plain({pandoc.Link(pandoc.Inlines(text ~= "" and text or url), url, "", {rel = "license"})})}
    end
    return {pandoc.Plain(pandoc.Inlines(text))}
  end
  return {pandoc.Plain(pandoc.Inlines(pandoc.utils.stringify(value)))}
end

local function copyright_text(value)
  local kind = pandoc.utils.type(value)
  if kind == "table" or kind == "Meta" or kind == "Object" then  -- {holder: ..., year: ...}
    local holder, year = pandoc.utils.stringify(value.holder or ""), pandoc.utils.stringify(value.year or "")
    if value.statement then return pandoc.utils.stringify(value.statement) end
    return ("© " .. year .. " " .. holder):gsub("%s+", " ")
  end
  return pandoc.utils.stringify(value)
end

function Pandoc(doc)
  local renderer = doc.meta["embedded-renderer"] or {}
  local style = pandoc.utils.stringify(doc.meta["appendix-style"] or "default")
  if not common.html or FORMAT == "revealjs" or style == "none" then
    return nil
  end
  local words = renderer.words or {}
  local function word(key, fallback) return pandoc.utils.stringify(words[key] or fallback) end

  local in_book = doc.meta["book-chapter"] ~= nil
  local book = doc.meta["book-chapter"] or {}
  local references_elsewhere = book["references-elsewhere"] == true
  local hidden_references = false
  local body, appendix = pandoc.Blocks({}), pandoc.Blocks({})
  local collecting = nil  -- the level of the appendix section being collected
  local blocks = doc.blocks
  for index, block in ipairs(blocks) do
    if block.t == "Header" and collecting and block.level <= collecting and not block.classes:includes("appendix") then
      collecting = nil
    end
    if block.t == "Header" and block.classes:includes("appendix") and not in_book then
      collecting = block.level
      block.classes:insert("anchored")
      block.classes:insert("quarto-appendix-heading")
      block.classes:insert("unlisted")
    end
    local generated_refs = block.t == "Div" and block.identifier == "refs" and index == #blocks
      and not (index > 1 and blocks[index - 1].t == "Header")
    if collecting then
      appendix:insert(block)
    elseif generated_refs and references_elsewhere then  -- a book chapter: the book's references page lists it
      -- (around the list: pandoc writes the bibliography's own attributes itself)
      body:insert(pandoc.Div({block}, pandoc.Attr("", {"quarto-chapter-references"}, {style = "display: none"})))
      hidden_references = true
    elseif generated_refs and not in_book then  -- citeproc's list at the end: the appendix's References
      appendix:insert(part("quarto-bibliography", word("section-title-references", "References"), {block}))
    else
      body:insert(block)
    end
  end
  if in_book then  -- nothing moved: only a chapter's references listed elsewhere were hidden
    doc.blocks = body
    return hidden_references and doc or nil
  end
  local has_notes = false  -- notes pandoc writes at the end of the document (not per section, block or margin)
  local location = pandoc.utils.stringify(doc.meta["reference-location"] or "document")
  if location == "document" then
    doc:walk({Note = function() has_notes = true end})
  end
  if has_notes then
    appendix:insert(pandoc.RawBlock("html", FOOTNOTES_MARKER))
  end
  if doc.meta.license then
    appendix:insert(part("quarto-reuse", word("section-title-reuse", "Reuse"), license_blocks(doc.meta.license)))
  end
  if doc.meta.copyright then
    appendix:insert(part("quarto-copyright", word("section-title-copyright", "Copyright"),
                         {pandoc.Plain(pandoc.Inlines(copyright_text(doc.meta.copyright)))}))
  end
  if doc.meta.citation and doc.meta.citation ~= false then  -- formats/citation_appendix.py writes it here
    appendix:insert(pandoc.RawBlock("html", "<!-- quarto-appendix-citation -->"))
  end
  if #appendix == 0 then
    if hidden_references then
      doc.blocks = body
      return doc
    end
    return nil
  end
  body:insert(pandoc.Div(appendix, pandoc.Attr("quarto-appendix", {style})))
  doc.blocks = body
  return doc
end
