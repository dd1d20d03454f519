-- {{< video URL ... >}} (https://quarto.org/docs/authoring/videos.html). The shortcode reaches pandoc as
-- a link in a span of class quarto-video (markdown.py), which is what every non-HTML format shows ("a
-- simple link to the video", as Quarto renders it). In HTML this filter embeds the video instead: an
-- iframe for YouTube, Vimeo and Brightcove, a <video> element for a video file. Options: title, start
-- (seconds), aspect-ratio (1x1, 4x3, 16x9, 21x9; 16x9 by default), width and height.

local RATIOS = {["1x1"] = "1 / 1", ["4x3"] = "4 / 3", ["16x9"] = "16 / 9", ["21x9"] = "21 / 9"}

local function escape(text)
  return (text:gsub("&", "&amp;"):gsub("\"", "&quot;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

-- The player address of a video service's page, or nil for a video file.
local function player(url, start)
  local nocookie = url:match("youtube%-nocookie%.com/embed/([%w_-]+)")  -- YouTube's privacy-enhanced player
  if nocookie then
    return "https://www.youtube-nocookie.com/embed/" .. nocookie .. (start and ("?start=" .. start) or "")
  end
  local id = url:match("youtube%.com/embed/([%w_-]+)") or url:match("youtu%.be/([%w_-]+)")
    or url:match("youtube%.com/watch%?.*v=([%w_-]+)") or url:match("youtube%.com/shorts/([%w_-]+)")
  if id then
    return "https://www.youtube.com/embed/" .. id .. (start and ("?start=" .. start) or "")
  end
  -- an unlisted Vimeo video's hash (vimeo.com/ID/HASH, or ?h=HASH) is part of its player's address
  local hash = url:match("vimeo%.com/%d+/(%x+)") or url:match("vimeo%.com/video/%d+%?h=(%x+)")
  id = url:match("player%.vimeo%.com/video/(%d+)") or url:match("vimeo%.com/(%d+)")
  if id then
    return "https://player.vimeo.com/video/" .. id .. (hash and ("?h=" .. hash) or "") ..
      (start and ("#t=" .. start .. "s") or "")
  end
  if url:match("players%.brightcove%.net/") then
    return url
  end
  return nil
end

local function size(attributes)
  local width, height = attributes.width, attributes.height
  local ratio = RATIOS[attributes["aspect-ratio"] or "16x9"] or "16 / 9"
  local across, down = ratio:match("(%d+) / (%d+)")
  -- one side and an aspect-ratio: the other side follows from them, as Quarto sizes the player
  if attributes["aspect-ratio"] and width and not height and tonumber(width) then
    height = tostring(math.floor(tonumber(width) * tonumber(down) / tonumber(across) + 0.5))
  elseif attributes["aspect-ratio"] and height and not width and tonumber(height) then
    width = tostring(math.floor(tonumber(height) * tonumber(across) / tonumber(down) + 0.5))
  end
  if width or height then
    return (width and (" width=\"" .. escape(width) .. "\"") or "") ..
      (height and (" height=\"" .. escape(height) .. "\"") or "")
  end
  return " style=\"width:100%;aspect-ratio:" .. ratio .. ";height:auto\""
end

local function embedded(span)
  local attributes = span.attributes
  local url = attributes.src or ""
  local title = attributes.title and (" title=\"" .. escape(attributes.title) .. "\"") or ""
  local start = attributes.start and attributes.start:match("^%d+$")
  local address = player(url, start)
  if address then
    return "<div class=\"quarto-video\"><iframe data-external=\"1\" src=\"" .. escape(address) .. "\"" .. title ..
      size(attributes) .. " frameborder=\"0\" allow=\"accelerometer; autoplay; clipboard-write; encrypted-media; " ..
      "gyroscope; picture-in-picture\" allowfullscreen></iframe></div>"
  end
  local source = escape(url)  -- embedded in the page (a fragment would hide the file from pandoc)
  -- no fallback text inside: only a browser without <video> would show it, and Quarto writes none
  return "<div class=\"quarto-video\"><video controls preload=\"metadata\"" .. title .. size(attributes) ..
    "><source src=\"" .. source .. "\"></video></div>"
end

local function is_video(inline)
  return inline and inline.t == "Span" and inline.classes:includes("quarto-video")
end

return {
  {
    Para = function(para)  -- a video on a line of its own is a block, not an inline in a paragraph
      if #para.content == 1 and is_video(para.content[1]) then
        return pandoc.RawBlock("html", embedded(para.content[1]))
      end
    end,
  },
  {
    Span = function(span)
      if is_video(span) then
        return pandoc.RawInline("html", embedded(span))
      end
    end,
  },
}
