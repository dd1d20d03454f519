-- Theorems and proofs (https://quarto.org/docs/authoring/cross-references.html#theorems-and-proofs).
-- A div labelled #thm-, #lem-, #cor-, #prp-, #cnj-, #def-, #exm-, #exr-, #sol- or #rem- is numbered per
-- kind in document order and titled "Theorem 1 (Name)": the name is its name="..." attribute or a heading
-- that opens the div. @thm-x becomes "Theorem 1", linked (@Thm-x capitalised, [-@thm-x] the number
-- alone). The unnumbered .proof, .remark and .solution divs start with "Proof." in italics.
-- HTML: divs with Quarto's classes; LaTeX: the amsthm environments the report preamble declares, with
-- \label, referenced with \ref, so LaTeX prints the same numbers (one counter per kind, as in the HTML).
-- In a book the numbers are the chapter's ("Theorem 4.2"), and a reference to another chapter's theorem is
-- resolved when the book is assembled (site.py), as crossref.lua's are; the whole book's PDF numbers
-- them within its chapters.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local latex = common.latex

-- prefix -> environment (declared in latex_preamble.tex), printed name
local KINDS = {
  thm = {"theorem", "Theorem"}, lem = {"lemma", "Lemma"},
  cor = {"corollary", "Corollary"}, prp = {"proposition", "Proposition"},
  cnj = {"conjecture", "Conjecture"}, def = {"definition", "Definition"},
  exm = {"example", "Example"}, exr = {"exercise", "Exercise"},
  sol = {"solution", "Solution"}, rem = {"remark", "Remark"},
}
local PROOFS = {proof = "Proof", remark = "Remark", solution = "Solution"}

local numbers = {}  -- id -> number (text)
local chapter = nil  -- this page's chapter number in a book ("" when unnumbered; common.book_chapter)
local names = {}    -- prefix -> printed name (crossref.<prefix>-title / -prefix may change it)

local function kind_of(id)
  local prefix = id and id:match("^(%a+)%-")
  return prefix and KINDS[prefix] and prefix or nil
end

local function configure(meta)
  common.read_reference_options(meta)
  chapter = common.book_chapter(meta)
  if latex and meta["book-combined"] == true then  -- numbered within the chapters (latex_preamble.tex)
    common.append_latex_header(meta, "\\def\\reporttheoremswithin{chapter}")
  end
  local crossref = meta.crossref or {}
  local words = (meta["embedded-renderer"] or {}).words or {}  -- the document's language (language.py)
  for prefix, kind in pairs(KINDS) do
    local title = crossref[prefix .. "-title"] or words["crossref-" .. prefix .. "-title"]
    names[prefix] = title and pandoc.utils.stringify(title) or kind[2]
  end
  for class in pairs(PROOFS) do
    local word = words["environment-" .. class .. "-title"]
    if word then PROOFS[class] = pandoc.utils.stringify(word) end
  end
end

-- The div's name: its name attribute, or the text of a heading that opens it (then removed).
local function take_name(div)
  if div.attributes["name"] then
    local parsed = pandoc.read(div.attributes["name"], "markdown").blocks[1]
    div.attributes["name"] = nil
    return pandoc.Inlines(parsed and parsed.content or {})
  end
  local first = div.content[1]
  if first and first.t == "Header" then
    div.content:remove(1)
    return first.content
  end
  return nil
end

-- The title inlines go at the start of the first paragraph, as Quarto writes them.
local function with_title(content, title)
  local first = content[1]
  if first and (first.t == "Para" or first.t == "Plain") then
    local inlines = pandoc.Inlines({title, pandoc.Space()})
    inlines:extend(first.content)
    content[1] = pandoc.Para(inlines)
  else
    content:insert(1, pandoc.Para({title}))
  end
  return content
end

local function theorem(div, prefix)
  local id = div.identifier
  local name = take_name(div)
  local kind = KINDS[prefix]
  if latex then
    local open = "\\begin{" .. kind[1] .. "}" .. (name and ("[" .. common.latex_of(name) .. "]") or "") ..
                 "\\label{" .. id .. "}"
    local blocks = pandoc.Blocks({pandoc.RawBlock("latex", open)})
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock("latex", "\\end{" .. kind[1] .. "}"))
    return blocks
  end
  -- a labelled solution or remark is titled with the proof kind's word ("Anmerkung 1"), as Quarto titles it;
  -- a reference to it says crossref-rem-title ("Remark 1", which Quarto has in English only)
  local word = PROOFS[kind[1]] or names[prefix]
  local label = pandoc.Inlines({pandoc.Str(word), pandoc.Space(), pandoc.Str(numbers[id])})
  local named = pandoc.Inlines({})
  if name then
    named:extend({pandoc.Space(), pandoc.Str("(")})
    named:extend(name)
    named:insert(pandoc.Str(")"))
  end
  -- Quarto 1.8's markup, which authors' rules address: a theorem-like div is ".theorem" and its kind
  -- (".theorem .definition"; a theorem ".theorem" alone), its title a bold ".theorem-title"; a labelled solution
  -- or remark is a proof's kind (".proof .solution"), its title "*Solution 1* (name). " as a proof's
  local title
  if PROOFS[kind[1]] then
    local inlines = pandoc.Inlines({pandoc.Emph(label)})
    inlines:extend(named)
    inlines:insert(pandoc.Str("."))
    title = pandoc.Span(inlines, pandoc.Attr("", {"proof-title"}))
    div.classes:extend({"proof", kind[1]})
  else
    label:extend(named)
    title = pandoc.Span({pandoc.Strong(label)}, pandoc.Attr("", {"theorem-title"}))
    div.classes:insert("theorem")
    if kind[1] ~= "theorem" then div.classes:insert(kind[1]) end
  end
  div.content = with_title(div.content, title)
  return div
end

local function proof(div, class)
  local name = take_name(div)
  local heading = pandoc.Inlines({pandoc.Str(PROOFS[class])})
  if name then
    heading:extend({pandoc.Space(), pandoc.Str("(")})
    heading:extend(name)
    heading:insert(pandoc.Str(")"))
  end
  if latex then
    local environment = class == "proof" and "proof" or ("quarto" .. class)
    local blocks = pandoc.Blocks({pandoc.RawBlock("latex", "\\begin{" .. environment .. "}[" ..
                                                  common.latex_of(heading) .. "]")})
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock("latex", "\\end{" .. environment .. "}"))
    return blocks
  end
  -- as Quarto writes it: the word in italics, a name after it upright: "*Proof* (Of the lemma)."
  local title = pandoc.Inlines({pandoc.Emph({pandoc.Str(PROOFS[class])})})
  if name then
    title:extend({pandoc.Space(), pandoc.Str("(")})
    title:extend(name)
    title:insert(pandoc.Str(")"))
  end
  title:insert(pandoc.Str("."))
  div.content = with_title(div.content, pandoc.Span(title, pandoc.Attr("", {"proof-title"})))
  if not div.classes:includes("proof") then div.classes:insert("proof") end  -- a remark is a proof's kind (Quarto)
  return div
end

local function reference(citation)
  local lookup = common.label_of(citation.id)
  local number = numbers[lookup]
  if not number then
    if chapter and not latex then return common.pending(citation) end  -- another chapter's, perhaps
    return common.unresolved(citation.id)
  end
  return common.reference(citation, names[kind_of(lookup)], number, lookup, latex)
end

-- A citation group of theorem references only; anything else is left to crossref.lua and citeproc.
local function Cite(cite)
  for _, citation in ipairs(cite.citations) do
    if not kind_of(common.label_of(citation.id)) then return nil end
  end
  return common.joined_references(cite.citations, reference)
end

function Pandoc(doc)
  configure(doc.meta)
  local counters = {}
  doc.blocks:walk({Div = function(div)
    local prefix = kind_of(div.identifier)
    if prefix then
      counters[prefix] = (counters[prefix] or 0) + 1
      local within = chapter and chapter ~= "" and not latex
      numbers[div.identifier] = (within and (chapter .. ".") or "") .. counters[prefix]
    end
  end})
  doc.blocks = doc.blocks:walk({Div = function(div)
    local prefix = kind_of(div.identifier)
    if prefix then
      return theorem(div, prefix)
    end
    for class in pairs(PROOFS) do
      if div.classes:includes(class) then
          return proof(div, class)
      end
    end
  end})
  doc = doc:walk({Cite = Cite})
  if chapter and not latex then
    local entries = {}
    for id, number in pairs(numbers) do
      entries[id] = {number = number, text = "", word = names[kind_of(id)], target = id}
    end
    doc.blocks:insert(common.index_block(entries))
  end
  return doc
end
