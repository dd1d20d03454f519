-- A code block's file name (```{.python filename="app.py"}, or the cell option filename:), as Quarto shows
-- it: in HTML a header bar above the code (div.code-with-filename > div.code-with-filename-file), in the
-- other formats the name in bold above the block.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))

function CodeBlock(code)
  local name = code.attributes["filename"]
  if not name or name == "" then return nil end
  code.attributes["filename"] = nil
  local header
  if common.html then
    header = pandoc.Div({pandoc.Plain({pandoc.RawInline("html", "<pre>"), pandoc.Strong({pandoc.Str(name)}),
                                       pandoc.RawInline("html", "</pre>")})},
                       pandoc.Attr("", {"code-with-filename-file"}))
  else
    header = pandoc.Plain({pandoc.Strong({pandoc.Code(name)})})
  end
  -- (the name on the holder too, as Quarto's markup has it: authors' rules and scripts select by it)
  return pandoc.Div({header, code}, pandoc.Attr("", {"code-with-filename"}, common.html and {["data-filename"] = name}
                                                                            or {}))
end
