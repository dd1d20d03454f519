// Code annotations (filters/code_annotations.lua): the annotation numbers at the ends of their lines, as
// Quarto shows them; the first line of each run of lines with the same number carries it. The list below
// the code keeps the explanations; hovering a number shows its explanation as a tooltip too.
(function () {
  var style = document.createElement("style");
  style.textContent =
    ".code-annotation-anchor { display: inline-block; min-width: 1.3em; margin-left: 0.8em; padding: 0 0.25em;" +
    " border-radius: 0.65em; font-size: 0.8em; line-height: 1.3em; text-align: center; color: #fff;" +
    " background: #6c757d; font-family: sans-serif; user-select: none; cursor: help; }" +
    " .code-annotations ol { margin-top: 0.3em; } .code-annotations-hidden { display: none; }";
  document.head.appendChild(style);

  function explanation(block, number) {
    var list = block.nextElementSibling;
    if (!list || !list.classList.contains("code-annotations")) return "";
    var items = list.querySelectorAll(":scope > ol > li");
    var start = parseInt(list.querySelector("ol").getAttribute("start") || "1", 10);
    var item = items[number - start];
    return item ? item.textContent.trim() : "";
  }

  function mark() {
  document.querySelectorAll("[data-code-annotations]").forEach(function (block) {
    var lines = block.querySelectorAll("code > span[id]");
    var previous = null;
    block.getAttribute("data-code-annotations").split(" ").forEach(function (pair) {
      var parts = pair.split(":"), line = parseInt(parts[0], 10), number = parts[1];
      var target = lines[line - 1];
      if (!target || number === previous) { previous = number; return; }
      previous = number;
      var anchor = document.createElement("span");
      anchor.className = "code-annotation-anchor";
      anchor.textContent = number;
      anchor.setAttribute("data-annotation", number);
      anchor.title = explanation(block, parseInt(number, 10));
      target.appendChild(anchor);
    });
  });
  }
  // the script sits after the first annotated block: the others are parsed later
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark); else mark();
})();
