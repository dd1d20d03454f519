-- ::: {.panel-tabset}: each heading of the first heading level inside starts a tab. HTML gets real,
-- keyboard-accessible tabs (ARIA tablist, arrow keys, a few lines of inline JavaScript, no CDN);
-- other formats get the headings and their content one after another.

local common = dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "common.lua"}))
local html = common.html
local count = 0

local SCRIPT = [[
<script>
document.querySelectorAll('.panel-tabset').forEach(function (set) {
  var tabs = Array.prototype.slice.call(set.querySelectorAll(':scope > [role=tablist] > [role=tab]'));
  function select(tab) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      var pane = document.getElementById(t.getAttribute('aria-controls'));
      pane.hidden = !on;
      pane.classList.toggle('active', on);
    });
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener('click', function () { select(tab); });
    tab.addEventListener('keydown', function (e) {
      var next = {ArrowRight: 1, ArrowLeft: -1}[e.key];
      if (e.key === 'Home') next = -i; else if (e.key === 'End') next = tabs.length - 1 - i;
      if (next === undefined) return;
      var target = tabs[(i + next + tabs.length) % tabs.length];
      select(target); target.focus(); e.preventDefault();
    });
  });
});
</script>]]

local function split(div)
  local level = 7
  for _, block in ipairs(div.content) do
    if block.t == "Header" and block.level < level then level = block.level end
  end
  local tabs, current, before = {}, nil, pandoc.Blocks({})
  for _, block in ipairs(div.content) do
    if block.t == "Header" and block.level == level then
      current = {title = block.content, blocks = pandoc.Blocks({}), active = block.classes:includes("active")}
      table.insert(tabs, current)
    elseif current then
      current.blocks:insert(block)
    else
      before:insert(block)  -- what comes before the first tab's heading (a cell's code) stays, above the tabs
    end
  end
  return tabs, before
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
  local buttons, panels = {}, pandoc.Blocks({})
  for i, tab in ipairs(tabs) do
    local id = "tabset-" .. count .. "-" .. i
    local title = common.html_of(tab.title)
    local on = i == chosen
    table.insert(buttons, '<button type="button" role="tab" id="' .. id .. '-tab" aria-controls="' .. id ..
                 '" aria-selected="' .. (on and "true" or "false") .. '" tabindex="' .. (on and "0" or "-1") ..
                 '">' .. title .. "</button>")
    local attributes = {role = "tabpanel", ["aria-labelledby"] = id .. "-tab", tabindex = "0"}
    if not on then attributes.hidden = "hidden" end
    panels:insert(pandoc.Div(tab.blocks, pandoc.Attr(id, on and {"tab-pane", "active"} or {"tab-pane"}, attributes)))
  end
  local blocks = pandoc.Blocks(before)
  blocks:insert(pandoc.RawBlock("html", '<div role="tablist" class="tablist">' .. table.concat(buttons) .. "</div>"))
  blocks:extend(panels)
  return pandoc.Div(blocks, pandoc.Attr(div.identifier, div.classes, div.attributes))
end

function Pandoc(doc)
  doc = doc:walk({Div = tabset})
  if html and count > 0 then doc.blocks:insert(pandoc.RawBlock("html", SCRIPT)) end
  return doc
end
