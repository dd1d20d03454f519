-- Runs after every other filter: the renderer's own metadata (where the document is, the callout
-- palette) was for the filters, not for the reader, so it leaves the document here.
function Meta(meta)
  meta["embedded-renderer"] = nil
  return meta
end
