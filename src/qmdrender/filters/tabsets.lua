-- ::: {.panel-tabset}: each heading of the first heading level inside starts a tab. HTML gets Quarto's markup,
-- which authors' stylesheets and scripts address (.nav-tabs, .tab-content, .tab-pane; in a deck Quarto's tabby
-- list, .panel-tabset-tabby): a list of tab links over the panes, keyboard-accessible (ARIA roles, arrow keys,
-- a few lines of inline JavaScript, no CDN). Tabsets with the same group="..." switch together, and the choice is
-- remembered for the next page, as in Quarto. Other formats get the headings and their content one after another.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local html = common.html
local deck = FORMAT == "revealjs"
local count = 0
local responsive = true  -- fig-responsive (figures.lua makes the page's other images img-fluid alike)

local SCRIPT = [[
<script>
(function () {
  var KEY = 'quarto-persistent-tabsets-data';  // Quarto's: the tab each group last showed
  var sets = Array.prototype.slice.call(document.querySelectorAll('.panel-tabset'));
  function tabsOf(set) {
    return Array.prototype.slice.call(set.querySelectorAll(':scope > [role=tablist] [role=tab]'));
  }
  function select(set, tab) {
    tabsOf(set).forEach(function (t) {
      var on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      t.classList.toggle('active', on);
      var pane = document.getElementById(t.getAttribute('aria-controls'));
      pane.hidden = !on;
      pane.classList.toggle('active', on);
    });
  }
  function choose(group, title) {  // every tabset of the group shows the tab of that title
    sets.forEach(function (set) {
      if (set.getAttribute('data-group') !== group) return;
      tabsOf(set).forEach(function (t) { if (t.textContent.trim() === title) select(set, t); });
    });
  }
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { saved = {}; }
  sets.forEach(function (set) {
    var tabs = tabsOf(set);
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function (e) {
        e.preventDefault();
        var group = set.getAttribute('data-group');
        if (group) {
          choose(group, tab.textContent.trim());
          saved[group] = tab.textContent.trim();
          try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch (err) { /* private mode */ }
        } else {
          select(set, tab);
        }
      });
      tab.addEventListener('keydown', function (e) {
        var next = {ArrowRight: 1, ArrowLeft: -1}[e.key];
        if (e.key === 'Home') next = -i; else if (e.key === 'End') next = tabs.length - 1 - i;
        if (next === undefined) return;
        var target = tabs[(i + next + tabs.length) % tabs.length];
        target.click(); target.focus(); e.preventDefault();
      });
    });
  });
  Object.keys(saved).forEach(function (group) { choose(group, saved[group]); });
})();
</script>]]

local function split(div)
  local level = 7
  for _, block in ipairs(div.content) do
    if block.t == "Header" and block.level < level then level = block.level end
  end
  local tabs, current, before = {}, nil, pandoc.Blocks({})
  for _, block in ipairs(div.content) do
    if block.t == "Header" and block.level == level then
      current = {title = block.content, blocks = pandoc.Blocks({}), active = block.classes:includes("active"),
                 attr = block.attr}
      table.insert(tabs, current)
    elseif current then
      current.blocks:insert(block)
    else
      before:insert(block)  -- what comes before the first tab's heading (a cell's code) stays, above the tabs
    end
  end
  return tabs, before
end

-- A tab's link: Bootstrap's nav link on a page, tabby's on a slide (roles as tabby sets them when the deck runs)
local function tab_link(id, title, on)
  local aria = ' role="tab" aria-controls="' .. id .. '" aria-selected="' .. (on and "true" or "false") ..
               '" tabindex="' .. (on and "0" or "-1") .. '"'
  if deck then
    return '<li role="presentation"><a ' .. (on and "data-tabby-default " or "") .. 'href="#' .. id .. '" id="' ..
           id .. '-tab"' .. aria .. '>' .. title .. "</a></li>"
  end
  return '<li class="nav-item" role="presentation"><a class="nav-link' .. (on and " active" or "") .. '" id="' .. id ..
         '-tab" data-bs-toggle="tab" data-bs-target="#' .. id .. '"' .. aria .. ' href="">' .. title .. "</a></li>"
end

local function tabset(div)
  if not div.classes:includes("panel-tabset") then return nil end
  if not html then return div.content end
  local tabs, before = split(div)
  if #tabs == 0 then return div.content end
  count = count + 1
  local chosen = 1  -- the first tab, or the one whose heading is marked {.active}, as in Quarto
  for i, tab in ipairs(tabs) do
    if tab.active then chosen = i break end
  end
  local links, panes = {}, pandoc.Blocks({})
  for i, tab in ipairs(tabs) do
    local id = "tabset-" .. count .. "-" .. i
    local on = i == chosen
    -- the title is HTML from here on: its images take Quarto's img-fluid now, as the page's others do later
    local title = (not deck and responsive) and tab.title:walk({Image = common.responsive_image}) or tab.title
    table.insert(links, tab_link(id, common.html_of(title), on))
    -- the pane takes the heading's classes and attributes, as Quarto's does
    local classes = deck and pandoc.List({}) or pandoc.List({"tab-pane"})
    for _, class in ipairs(tab.attr.classes) do if class ~= "active" then classes:insert(class) end end
    if on and not deck then classes:insert("active") end
    local attributes = {role = "tabpanel", ["aria-labelledby"] = id .. "-tab"}
    for name, value in pairs(tab.attr.attributes) do attributes[name] = value end
    if not on then attributes.hidden = "hidden" end
    panes:insert(pandoc.Div(tab.blocks, pandoc.Attr(id, classes, attributes)))
  end
  local list = deck and ('<ul id="tabset-' .. count .. '" class="panel-tabset-tabby" role="tablist">')
               or '<ul class="nav nav-tabs" role="tablist">'
  local blocks = pandoc.Blocks(before)
  blocks:insert(pandoc.RawBlock("html", list .. table.concat(links) .. "</ul>"))
  -- the panes' box has the tabset's own classes and attributes, tab-content in place of panel-tabset
  local box = div.classes:map(function(class) return class == "panel-tabset" and "tab-content" or class end)
  blocks:insert(pandoc.Div(panes, pandoc.Attr("", box, div.attributes)))
  return pandoc.Div(blocks, pandoc.Attr(div.identifier, div.classes, div.attributes))
end

function Pandoc(doc)
  responsive = (doc.meta["embedded-renderer"] or {})["fig-responsive"] ~= false
  doc = doc:walk({Div = tabset})
  if html and count > 0 then doc.blocks:insert(pandoc.RawBlock("html", SCRIPT)) end
  return doc
end
