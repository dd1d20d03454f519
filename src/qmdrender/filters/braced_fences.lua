-- A fence that Quarto's engine leaves in the text as written (```{latex} in a Python document: another
-- language's cell, which the Jupyter engine does not run) is, in Quarto's reader, a code block whose class is
-- the braced tag itself: <pre class="{latex}">, which nothing highlights. Pandoc's attributes cannot hold the
-- braces, so the reader (qmdrender.document) writes the tag in an attribute, and the class is set here.
function CodeBlock(block)
  if block.classes:includes("qmd-braced") then
    block.classes = pandoc.List({block.attributes["data-braced"]})
    block.attributes["data-braced"] = nil
    return block
  end
end
