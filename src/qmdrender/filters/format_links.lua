-- "Other Formats" (format-links): links to the document's other renderings (its PDF, its slides),
-- which the writer lists in the renderer's metadata: one line at the top of the page, after the title.

function Pandoc(doc)
  local renderer = doc.meta["embedded-renderer"] or {}
  local links = renderer["format-links"]
  if not links or #links == 0 then return nil end
  local items = {}
  for _, link in ipairs(links) do
    local text, href = pandoc.utils.stringify(link.text), pandoc.utils.stringify(link.href)
    items[#items + 1] = {pandoc.Plain({pandoc.Link({pandoc.Str(text)}, href, "", pandoc.Attr("", {}, {download = ""}))})}
  end
  local title = pandoc.utils.stringify((renderer.words or {})["related-formats-title"] or "Other Formats")
  local block = pandoc.Div({pandoc.Div({pandoc.Plain(pandoc.Inlines(title))},
                                        pandoc.Attr("", {"format-links-title"})),
                            pandoc.BulletList(items)},
                           pandoc.Attr("", {"quarto-alternate-formats"}))
  doc.blocks:insert(1, block)
  return doc
end
