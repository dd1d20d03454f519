-- number-sections in HTML: show the numbers crossref.lua gave each heading (numbered from the
-- document's top heading level, as Quarto shows them: "##" headings get "1", "1.1", not "0.1").
function Header(h)
  local number = h.attributes["number"]
  if not number then return nil end
  table.insert(h.content, 1, pandoc.Space())
  table.insert(h.content, 1, pandoc.Span({pandoc.Str(number)}, pandoc.Attr("", {"header-section-number"})))
  return h
end
