-- reveal.js: a list in a block quote is a quoted list, as Quarto shows it. Pandoc's slide writers read a
-- block quote holding only a list as "make this list the opposite of incremental" and drop the quote
-- (https://pandoc.org/MANUAL.html#incremental-lists); Quarto keeps the quote and the list as written.

function BlockQuote(quote)
  local only = #quote.content == 1 and quote.content[1]
  if not only or not (only.t == "BulletList" or only.t == "OrderedList" or only.t == "DefinitionList") then
    return nil
  end
  return {pandoc.RawBlock("html", "<blockquote>"), only, pandoc.RawBlock("html", "</blockquote>")}
end
