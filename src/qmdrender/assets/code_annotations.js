// Code annotations (filters/code_annotations.lua), in Quarto's markup: each annotation's number at the right
// of the first line of its run (a.code-annotation-anchor before the line, as Quarto writes it), its
// explanation from Quarto's grid below the code (dl.code-annotation-container-grid) as the number's tooltip.
(function () {
  // the grid's entry for the number: found by the cell it names (the grid follows the whole cell, its div and
  // outputs), else in a grid right after the block
  function explanation(block, cell, number) {
    var term = null;
    document.querySelectorAll("dl.code-annotation-container-grid dt").forEach(function (dt) {
      if (!term && cell && dt.getAttribute("data-target-cell") === cell &&
          dt.getAttribute("data-target-annotation") === number) term = dt;
    });
    var list = (block.closest(".code-copy-outer-scaffold") || block).nextElementSibling;  // past a copy button's
    if (!term && list && list.classList.contains("code-annotation-container-grid")) {
      term = list.querySelector('dt[data-target-annotation="' + number + '"]');
    }
    var text = term && term.nextElementSibling;
    return text && text.tagName === "DD" ? text.textContent.trim() : "";
  }

  function mark() {
    document.querySelectorAll("pre[data-code-annotations], div[data-code-annotations]").forEach(function (block) {
      var holder = block.closest("div.sourceCode") || block;
      var cell = holder.id || block.id || "";
      var lines = block.querySelectorAll("code > span[id]");
      var previous = null;
      block.getAttribute("data-code-annotations").split(" ").forEach(function (pair) {
        var parts = pair.split(":"), line = parseInt(parts[0], 10), number = parts[1];
        var target = lines[line - 1];
        if (!target || number === previous) { previous = number; return; }
        previous = number;
        target.classList.add("code-annotation-target");
        var anchor = document.createElement("a");
        anchor.className = "code-annotation-anchor";
        anchor.textContent = number;
        anchor.setAttribute("data-target-cell", cell);
        anchor.setAttribute("data-target-annotation", number);
        anchor.title = explanation(holder, cell, number);
        target.parentNode.insertBefore(anchor, target);
      });
    });
  }
  // the script sits after the first annotated block: the others are parsed later
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark); else mark();
})();
