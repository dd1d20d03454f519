-- fig-align on figures and images (Quarto's cell option and image attribute): left, center or right;
-- a captioned image in Quarto's figure markup in HTML; a fragment's classes on a slide's figure; fig-alt as
-- the image's alternative text.
local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local html, latex = common.html, common.latex
local default_align = nil  -- the document's fig-align, for figures that do not set their own

local function alignment(el)
  local image
  el:walk({Image = function(img) image = image or img end})
  return image and (image.attributes["fig-align"] or default_align)
end

-- reveal.js: a captioned image marked .fragment appears with its caption, as in Quarto: the fragment's
-- classes (and data-fragment-index) go from the image to the figure around it.
local FRAGMENT_CLASS = {fragment = true, grow = true, shrink = true, strike = true, ["semi-fade-out"] = true,
                        ["current-visible"] = true, ["custom"] = true}

local function fragment_to_figure(el)
  local seen = false
  el.content = el.content:walk({Image = function(image)  -- the figure's (first) image
    if seen then return nil end
    seen = true
    if not image.classes:includes("fragment") then return nil end
    image.classes = image.classes:filter(function(class)
      if FRAGMENT_CLASS[class] or class:match("^fade") or class:match("^highlight") then
        el.classes:insert(class)
        return false
      end
      return true
    end)
    if image.attributes["data-fragment-index"] then
      el.attributes["data-fragment-index"] = image.attributes["data-fragment-index"]
      image.attributes["data-fragment-index"] = nil
    end
    return image
  end})
end

-- An HTML page's image without a height is Bootstrap's responsive img-fluid, as Quarto's fig-responsive (on by
-- default) makes it (its rules and authors' address it; formats/bootstrap_markup.py marks figures as Quarto's
-- page post-processor does). Not on slides, whose pages are not Bootstrap's.
local page = FORMAT:match("html") ~= nil
local responsive = true

local function responsive_image(img)
  return (page and responsive) and common.responsive_image(img) or img
end

-- fig-alt (an image's attribute, or a cell's option): the image's alternative text, which a figure's
-- caption would otherwise be, as Quarto writes it.
function Image(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.attributes["fig-alt"] = nil
    img.caption = pandoc.Inlines(alt)
  end
  return responsive_image(img)
end

-- HTML: a captioned image (not a cross-referenced float) as Quarto writes it, in a div that names its
-- alignment (center unless fig-align says otherwise), the image in a paragraph that the alignment centres
-- and the caption under it: <div class="quarto-figure quarto-figure-center"><figure><p><img></p>
-- <figcaption>.
local ALIGNMENTS = {left = true, center = true, right = true}

local function quarto_figure(el, align)
  el.content = el.content:map(function(block)
    return block.t == "Plain" and pandoc.Para(block.content) or block
  end)
  return pandoc.Div({el}, pandoc.Attr("", {"quarto-figure", "quarto-figure-" .. (ALIGNMENTS[align] and align or
                                                                                   "center")}))
end

-- An HTML page's cross-referenced figure (#fig-...) in Quarto's float markup (common.quarto_float): the
-- alignment as fig-align says, the caption under it (above with fig-cap-location: top).
local caption_location = "bottom"
local FLOAT_MARKERS = {["quarto-float"] = true, ["quarto-figure"] = true, ["quarto-subfloat"] = true}

local function float_markup(el, align)
  local classes, figure_classes = pandoc.List({}), {}
  for _, class in ipairs(el.classes) do
    if class == "margin-caption" then figure_classes[1] = class  -- report.css moves the figure's own caption
    elseif not FLOAT_MARKERS[class] then classes:insert(class) end
  end
  -- an image of its own is the div's content, not a paragraph's (Quarto's markup)
  local content = el.content:map(function(block)
    local only = block.t == "Para" and #block.content == 1 and block.content[1]
    if only and (only.t == "Image" or (only.t == "Link" and #only.content == 1 and only.content[1].t == "Image")) then
      return pandoc.Plain(block.content)
    end
    return block
  end)
  return common.quarto_float({id = el.identifier, kind = "fig", sub = el.classes:includes("quarto-subfloat"),
                              caption = el.caption.long or {}, content = content, location = caption_location,
                              align = ALIGNMENTS[align] and align or "center", classes = classes,
                              figure_classes = figure_classes, attributes = el.attributes})
end

function Figure(el)
  if FORMAT == "revealjs" then fragment_to_figure(el) end
  local align = alignment(el)
  if html and el.identifier == "" and not el.classes:includes("quarto-float") then
    return quarto_figure(el, align)
  end
  if page and el.identifier:match("^fig%-") then return float_markup(el, align) end
  if not align or align == "default" then return el end
  if html then
    el.attributes.style = "text-align: " .. align .. ";"
  elseif latex and align ~= "center" then
    local command = align == "left" and "\\raggedright" or "\\raggedleft"
    table.insert(el.content, 1, pandoc.RawBlock("latex", command))
  end
  return el
end

function Para(el)
  if #el.content ~= 1 or el.content[1].t ~= "Image" then return nil end
  local align = el.content[1].attributes["fig-align"]
  if not align or align == "default" then return nil end
  if html then  -- an aligned image without a caption: a figure of Quarto's classes around its paragraph, as Quarto
    -- writes it (its stylesheet aligns it; a slide's auto-stretch takes it as a figure), the image with the
    -- same classes (authors' rules address img.quarto-figure-center)
    local side = ALIGNMENTS[align] and align or "center"
    local image = el.content[1]
    image.attributes["fig-align"] = nil
    image.classes:extend({"quarto-figure", "quarto-figure-" .. side})
    local figure = {pandoc.RawBlock("html", "<figure>"), pandoc.Para(el.content), pandoc.RawBlock("html", "</figure>")}
    return pandoc.Div(figure, pandoc.Attr("", {"quarto-figure", "quarto-figure-" .. side}))
  elseif latex then
    local env = ({left = "flushleft", center = "center", right = "flushright"})[align] or "center"
    return {pandoc.RawBlock("latex", "\\begin{" .. env .. "}"), pandoc.Plain(el.content),
            pandoc.RawBlock("latex", "\\end{" .. env .. "}")}
  end
end

function Meta(meta)
  local renderer = meta["embedded-renderer"] or {}
  local align = renderer["fig-align"] and pandoc.utils.stringify(renderer["fig-align"]) or ""
  if align ~= "" then default_align = align end
  if renderer["fig-responsive"] == false then responsive = false end
  local location = renderer["fig-cap-location"] and pandoc.utils.stringify(renderer["fig-cap-location"])
  if location == "top" then caption_location = "top" end
end

-- the metadata first (the document's defaults), then the images and figures
return {{Meta = Meta}, {Image = Image, Figure = Figure, Para = Para}}
