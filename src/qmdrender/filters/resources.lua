-- Images resolve as in Quarto: relative paths against the document's folder (then its resource-path
-- folders), "/path" against the project root. A missing image is a warning naming the file; a page keeps
-- it as written, as Quarto does, and print formats show a note in its place, so one missing picture never
-- costs the whole render. For LaTeX, an image it cannot
-- include (SVG, GIF, WebP) is replaced by the PDF or PNG the writer converted it to (qmdrender/images.py).
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local document_dir, project_root
local resource_folders = {}  -- the document's resource-path, after its own folder
local converted = {}

local function exists(path)  -- a file (a folder opens too, but reading it fails)
  local handle = io.open(path, "rb")
  if not handle then return false end
  local _, problem = handle:read(0)
  handle:close()
  return problem == nil
end

local function is_url(src)
  return src:match("^%a[%w+.-]*:") ~= nil
end

local function resolve(src, decoded)
  if is_url(src) then return src end
  local path = src
  if src:sub(1, 1) == "/" and not exists(src) and (project_root or document_dir) then
    -- from the project's root; a document outside a project is its own project, as Quarto takes it
    path = pandoc.path.join({project_root or document_dir, src:sub(2)})
  elseif not pandoc.path.is_absolute(src) then
    path = pandoc.path.join({document_dir, src})
  end
  if exists(path) then return path end
  for _, folder in ipairs(resource_folders) do  -- resource-path: more folders to look in, as Quarto does
    local there = pandoc.path.join({folder, src})
    if not pandoc.path.is_absolute(src) and exists(there) then return there end
  end
  -- pandoc's reader writes some characters of a link as %XX ("marker_^.png" becomes "marker_%5E.png");
  -- the file has them as they are, and pandoc finds it so
  if not decoded and src:find("%%%x%x") then
    return resolve((src:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end)), true)
  end
  return nil
end

local media_dir  -- LaTeX: where a remote image is saved for xelatex (the writer's work folder)
local fetched = 0
local extensions = {["image/png"] = "png", ["image/jpeg"] = "jpg", ["application/pdf"] = "pdf"}

-- LaTeX cannot include an address: the image is fetched and saved as a file, as pandoc does when it makes
-- a PDF itself; when it cannot be fetched (offline) the reader sees its description, as with pandoc.
local function remote_for_latex(el)
  local ok, mime, contents = pcall(pandoc.mediabag.fetch, el.src)
  local extension = ok and mime and extensions[mime:gsub(";.*", "")]
  if extension and media_dir then
    fetched = fetched + 1
    local path = pandoc.path.join({media_dir, "remote-image-" .. fetched .. "." .. extension})
    local file = io.open(path, "wb")
    if file then
      file:write(contents)
      file:close()
      el.src = path
      return el
    end
  end
  local shown = #el.caption > 0 and el.caption or pandoc.Inlines({pandoc.Str(el.src)})
  io.stderr:write("warning: could not fetch " .. el.src:sub(1, 200) .. " for the PDF (the embedded renderer "
    .. "works offline); its description is shown instead\n")
  return pandoc.Emph(shown)
end

-- LaTeX: a file whose name has characters TeX reads as markup (^, #, %, a space ...) is included through a
-- copy with a plain name in the writer's work folder.
local copied = 0
local function plain_named(path)
  if not media_dir or not path:find("[^%w%._%-/]") then return path end
  local source = io.open(path, "rb")
  if not source then return path end
  local contents = source:read("a")
  source:close()
  copied = copied + 1
  local target = pandoc.path.join({media_dir, "image-" .. copied .. (path:match("%.%w+$") or "")})
  local file = io.open(target, "wb")
  if not file then return path end
  file:write(contents)
  file:close()
  return target
end

-- An image named without an extension (![](elephant)) is the file of the format's extension, as Quarto looks
-- for it: png for pages, Word and most formats, pdf for LaTeX, svg for Typst, or the document's
-- default-image-extension ("" leaves the name as it is).
local default_extension = common.latex and "pdf" or common.typst and "svg" or "png"

local function with_extension(src)
  if default_extension == "" or is_url(src) or pandoc.path.filename(src):find(".", 1, true) then return src end
  return src .. "." .. default_extension
end

-- A file that Git LFS left as its pointer (a clone without `git lfs pull`): a few lines of text where the image
-- should be, which no reader can show; said once per file.
local LFS_POINTER = "version https://git-lfs.github.com/spec/v1"
local said_lfs = {}

local function lfs_pointer(path, src)
  if said_lfs[path] then return true end
  local file = io.open(path, "rb")
  if not file then return false end
  local start = file:read(#LFS_POINTER)
  file:close()
  if start ~= LFS_POINTER then return false end
  said_lfs[path] = true
  io.stderr:write("warning: image " .. src .. " is a Git LFS pointer, not the image (the repository's large "
    .. "files were not fetched: run `git lfs pull`); " .. (common.html and "readers will see no image\n"
                                                             or "shown as a note\n"))
  return true
end

-- "a/b/../c" as "a/c": the form qmdrender/images.py names a converted image by ("../figures/x.svg" from a
-- chapter's folder)
local function collapsed(path)
  local parts = {}
  for _, part in ipairs(pandoc.path.split(path)) do
    if part == ".." and #parts > 0 and parts[#parts] ~= ".." and parts[#parts] ~= "/" then
      table.remove(parts)
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return pandoc.path.join(parts)
end

local function Image(el)
  if el.src == "" then  -- an image without a file (an extension's empty logo slot): nothing to show or embed
    if common.html then
      el.attributes["data-external"] = "1"  -- as Quarto writes it: <img src="">, which shows nothing
      return el
    end
    io.stderr:write("warning: an image without a file name is left out\n")
    return {}
  end
  if common.latex and is_url(el.src) then
    return remote_for_latex(el)
  end
  local named = with_extension(el.src)
  local found = resolve(named) or (named ~= el.src and resolve(el.src))  -- or a file without an extension itself
  if found and lfs_pointer(found, el.src) and not common.html then  -- LaTeX, Typst, Word would stop on it
    return pandoc.Emph({pandoc.Str("[image not fetched (Git LFS): " .. el.src .. "]")})
  end
  if found and common.markdown then return nil end  -- a Markdown file links it as written (published beside it)
  if found then
    found = converted[found] or converted[pandoc.path.normalize(found)] or converted[collapsed(found)] or found
    el.src = common.latex and plain_named(found) or found
    return el
  end
  -- a page keeps the image as Quarto writes it (the browser shows its alternative text); a PDF, Typst or
  -- Word file, which could not be made with it, shows a note in its place
  io.stderr:write("warning: image " .. el.src .. " not found (looked beside the document"
    .. (project_root and " and in the project root" or "") .. ")"
    .. (common.html and "; the page links to it as written\n" or "; shown as a note\n"))
  if common.html then
    el.attributes["data-external"] = "1"  -- pandoc, which embeds the page's images, would stop on an absolute one
    return el
  end
  return pandoc.Emph({pandoc.Str("[missing image: " .. el.src .. "]")})
end

-- A slide's background file (## Slide {background-image="/img/bg.png"}, and the deck's
-- title-slide-attributes), resolved as an image is; a missing one is a warning and no background, where
-- pandoc, which embeds it, would stop the whole render.
local BACKGROUNDS = {"background-image", "data-background-image", "background-video", "data-background-video"}

local function background(attributes, where)
  for _, key in ipairs(BACKGROUNDS) do
    local value = attributes[key]
    if value and value ~= "" and not is_url(value) then
      local found = resolve(value)
      if not found then
        io.stderr:write("warning: " .. where .. " " .. key .. " " .. value .. " not found (looked beside the "
          .. "document" .. (project_root and " and in the project root" or "") .. "); left out\n")
      end
      attributes[key] = found
    end
  end
end

local function Header(header)
  background(header.attributes, "slide")
  return header
end

local function Div(div)  -- a slide written as a section div (::: {.slide background-image=...})
  background(div.attributes, "slide")
  return div
end

-- An <iframe> of a web page (a video player, a live site) stays a link to it: pages and decks embed their
-- resources, and pandoc leaves an element marked data-external alone (it would fetch the page, and
-- offline say it cannot), as Quarto's pages, which link their frames, show it. A frame of a local page (a
-- course site's deck, a widget saved as HTML) stays a link too unless the author asked for embed-resources:
-- Quarto links it, and embedding would copy a whole deck into the page and break the deck's own links.
local embed_frames = false

local function raw_html(raw)
  if raw.format ~= "html" then return nil end
  local text = raw.text:gsub("<iframe(%s[^>]-src%s*=%s*[\"']?)([^\"'%s>]*)", function(before, src)
    if before:find("data%-external") then return nil end
    local scheme = src:match("^(%a[%w+.-]*:)")
    local remote = (scheme and scheme:lower():match("^https?:$")) or src:sub(1, 2) == "//"
    local local_page = not scheme and src ~= "" and not embed_frames
    if not remote and not local_page then return nil end
    return '<iframe data-external="1"' .. before .. src
  end)
  -- an <img> written in HTML with a path from the project root (src="/images/logo.png"), as Quarto's sites
  -- resolve it; pandoc, embedding it, would read it from the file system's root and stop
  text = text:gsub("(<img%s[^>]-src%s*=%s*)([\"'])(/[^/\"'][^\"']*)%2", function(before, quote, src)
    local found = resolve(src)
    if found then
      lfs_pointer(found, src)
      return before .. quote .. found .. quote
    end
    io.stderr:write("warning: image " .. src .. " not found (looked in the project root); the page links to it "
      .. "as written\n")
    return before:gsub("^<img", '<img data-external="1"') .. quote .. src .. quote
  end)
  if text == raw.text then return nil end
  raw.text = text
  return raw
end

local function chapter_folder(block)
  return block.t == "RawBlock" and block.format == "html"
    and block.text:match("^<!%-%- qmd%-chapter%-folder: (.+) %-%->$") or nil
end

function Pandoc(doc)
  local meta = doc.meta["embedded-renderer"] or {}
  document_dir = meta["document-dir"] and pandoc.utils.stringify(meta["document-dir"]) or "."
  project_root = meta["project-root"] and pandoc.utils.stringify(meta["project-root"]) or nil
  for _, folder in ipairs(meta["resource-path"] or {}) do
    resource_folders[#resource_folders + 1] = pandoc.utils.stringify(folder)
  end
  media_dir = meta["media-dir"] and pandoc.utils.stringify(meta["media-dir"]) or nil
  if meta["default-image-extension"] ~= nil then
    default_extension = pandoc.utils.stringify(meta["default-image-extension"])
  end
  embed_frames = meta["embed-frames"] == true
  for source, target in pairs(meta["converted-images"] or {}) do
    converted[source] = pandoc.utils.stringify(target)
  end
  -- a file named from the project root in the front matter ("course-logo: /files/img/logo.png"), which a
  -- page's own partial puts in an <img>: found there, as Quarto finds it (pandoc looked for it at the disk's root)
  if common.html and project_root then
    for key, value in pairs(doc.meta) do
      local kind = pandoc.utils.type(value)
      if key ~= "embedded-renderer" and (kind == "string" or kind == "Inlines") then
        local text = pandoc.utils.stringify(value)
        local found = text:match("^/[^%s]+%.%w+$") and not exists(text) and
          pandoc.path.join({project_root, text:sub(2)})
        if found and exists(found) then doc.meta[key] = pandoc.MetaString(found) end
      end
    end
  end
  local title_slide = doc.meta["title-slide-attributes"]  -- a mapping (a plain table, or a MetaMap)
  if type(title_slide) == "table" and (title_slide.t == nil or title_slide.t == "MetaMap") then
    local plain = {}
    for key, value in pairs(title_slide) do plain[key] = pandoc.utils.stringify(value) end
    background(plain, "title-slide-attributes:")
    for _, key in ipairs(BACKGROUNDS) do
      if title_slide[key] ~= nil then title_slide[key] = plain[key] and pandoc.MetaString(plain[key]) or nil end
    end
    doc.meta["title-slide-attributes"] = title_slide
  end
  local walkers = {Image = Image, Header = Header, Div = Div}
  if common.html then walkers.RawBlock, walkers.RawInline = raw_html, raw_html end
  -- a book's PDF: each chapter's images resolve from the chapter's folder, named by a marker line before it
  -- (qmdrender/images.py, chapter_folder_marker)
  if not doc.blocks:find_if(chapter_folder) then return doc:walk(walkers) end
  local walked = pandoc.Blocks({})
  for _, block in ipairs(doc.blocks) do
    local folder = chapter_folder(block)
    if folder then document_dir = folder else walked:insert(block:walk(walkers)) end
  end
  doc.blocks = walked
  return doc
end
