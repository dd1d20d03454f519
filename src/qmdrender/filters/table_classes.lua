-- Bootstrap's table classes on a Markdown table
-- (https://quarto.org/docs/authoring/tables.html#using-bootstrap-classes): ": Caption {.striped .hover}"
-- asks for Bootstrap's .table-striped and .table-hover, as Quarto writes them; a theme's Bootstrap styles
-- them, and report.css does for the default look. Other classes stay as written.

local BOOTSTRAP = {striped = true, hover = true, bordered = true, borderless = true, sm = true, responsive = true,
                   ["responsive-sm"] = true, ["responsive-md"] = true, ["responsive-lg"] = true,
                   ["responsive-xl"] = true, ["responsive-xxl"] = true, primary = true, secondary = true,
                   success = true, danger = true, warning = true, info = true, light = true, dark = true}

function Table(tbl)
  local changed = false
  tbl.classes = tbl.classes:map(function(class)
    if BOOTSTRAP[class] then
      changed = true
      return "table-" .. class
    end
    return class
  end)
  return changed and tbl or nil
end
