// Stepped line highlighting on slides (filters/line_highlights.lua marks the code and adds one empty
// fragment per step after it). Lines are pandoc's <span id="cbN-K">; steps are "1,3-5" lists.
(function () {
  function lines(spec, count) {
    var chosen = new Set();
    if (!spec.trim()) { for (var i = 1; i <= count; i++) chosen.add(i); return chosen; }
    spec.split(",").forEach(function (part) {
      var range = part.trim().split("-").map(Number);
      for (var n = range[0]; n <= (range.length > 1 ? range[1] : range[0]); n++) chosen.add(n);
    });
    return chosen;
  }
  function show(block) {
    var steps = block.getAttribute("data-code-highlight-steps").split("|");
    var fragments = [], node = block.nextElementSibling;
    while (node) {  // the step fragments follow the block, each alone or in a paragraph
      var fragment = node.classList.contains("code-highlight-step") ? node : node.querySelector(".code-highlight-step");
      if (!fragment) break;
      fragments.push(fragment);
      node = node.nextElementSibling;
    }
    var step = fragments.filter(function (f) { return f.classList.contains("visible"); }).length;
    var spans = block.querySelectorAll("code > span[id]");
    var spec = steps[Math.min(step, steps.length - 1)];
    var chosen = lines(spec, spans.length), every = !spec.trim();
    // as Quarto marks them: the code has-line-highlights while a step picks lines (a step of every line, "|",
    // shows the code plain), and those lines are highlight-line; decks' own rules for these classes
    // (".reveal div.sourceCode pre code.has-line-highlights > span:not(.highlight-line)") reach them
    block.querySelectorAll("pre > code").forEach(function (code) {
      code.classList.toggle("has-line-highlights", !every);
    });
    spans.forEach(function (span, index) { span.classList.toggle("highlight-line", !every && chosen.has(index + 1)); });
  }
  function update() { document.querySelectorAll("[data-code-highlight-steps]").forEach(show); }
  if (window.Reveal) {
    Reveal.on("ready", update);
    Reveal.on("fragmentshown", update);
    Reveal.on("fragmenthidden", update);
    Reveal.on("slidechanged", update);
  }
})();
