-- number-sections in HTML: show the numbers crossref.lua gave each heading (numbered from the
-- document's top heading level, as Quarto shows them: "##" headings get "1", "1.1", not "0.1"). An
-- appendix's chapter heading reads "Appendix A — Data" (number-label and number-delim, from crossref.lua).
function Header(h)
  local number = h.attributes["number"]
  if not number then return nil end
  local label, delim = h.attributes["number-label"], h.attributes["number-delim"]
  h.attributes["number-label"], h.attributes["number-delim"] = nil, nil
  if delim then
    table.insert(h.content, 1, pandoc.Space())
    table.insert(h.content, 1, pandoc.Str(delim))
  end
  table.insert(h.content, 1, pandoc.Space())
  table.insert(h.content, 1, pandoc.Span({pandoc.Str(label or number)}, pandoc.Attr("", {"header-section-number"})))
  return h
end
