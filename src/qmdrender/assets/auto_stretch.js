// Quarto's auto-stretch for reveal.js decks (https://quarto.org/docs/presentations/revealjs/advanced.html#stretch):
// on a slide with a single image, the image gets reveal.js's .r-stretch and fills the height the slide's
// other content leaves, whatever its own size. reveal.js only stretches direct children of a slide, so the
// image (and its caption, as p.caption) is lifted out of its paragraph, figure or cell output; a cell's code
// stays before it. Left alone, as in Quarto: slides marked .nostretch (or scrollable), the title slide, a
// slide with an aside, an image with a height, one inside a link, a fragment, a layout (columns, stacks,
// panels, callouts, tables), an author's own div (a scroll box: only .stretch opts one in) or a sentence,
// and .absolute or .nostretch images. auto-stretch: false leaves this script out.
(function () {
  var BLOCKED = ".columns, .column, .r-stack, .r-hstack, .r-vstack, .quarto-layout-panel, [class*='panel-'], " +
    ".callout, table, a, .absolute, .nostretch, aside, .footer, .fragment";
  var MEDIA = "img, svg, video, iframe, canvas, table, ul, ol, blockquote";
  var FLOATS = "figure.quarto-float, div.quarto-float, div.quarto-figure";
  // the blocks the renderer writes around an image (a paragraph, a figure, a cell's output); any other div
  // is the author's, and its image keeps its size unless the div says .stretch
  var IMAGE_BLOCKS = "p, figure, div.quarto-figure, div.cell, div.cell-output, div.cell-output-display, " +
    "div.quarto-float, div.stretch, div.r-stretch";

  function stretchable(slide) {
    if (slide.classList.contains("quarto-title-block") || slide.classList.contains("nostretch") ||
        slide.classList.contains("scrollable")) return null;
    if (slide.querySelector("aside:not(.notes), div.aside") !== null) return null;  // asides sit at the foot
    var images = Array.prototype.filter.call(slide.querySelectorAll("img"),
                                             function (img) { return !img.closest(".notes"); });
    if (images.length !== 1) return null;
    var img = images[0];
    if (img.hasAttribute("height") || img.style.height) return null;
    for (var node = img; node !== slide; node = node.parentElement) {
      if (node.matches(BLOCKED)) return null;
    }
    return img;
  }

  function onlyTheImage(top, img) {  // the slide's block holds the image, its caption and a cell's code only
    if (top === img) return true;
    var rest = top.cloneNode(true);
    rest.querySelectorAll("img, figcaption, pre, div.sourceCode").forEach(function (n) { n.remove(); });
    return rest.textContent.trim() === "" && rest.querySelector(MEDIA) === null;
  }

  function stretch(slide) {
    var img = stretchable(slide);
    if (img === null) return;
    var top = img;
    while (top.parentElement !== slide) top = top.parentElement;
    if (top !== img && !top.matches(IMAGE_BLOCKS)) return;
    if (!onlyTheImage(top, img)) return;
    img.classList.add("r-stretch");
    if (top === img) return;
    // the block's first caption goes under the image, as Quarto takes it (an image's own caption inside a
    // labelled figure's div, before the figure's "Figure 1")
    var caption = top.querySelector("figcaption");
    // the figure's alignment goes with the image, as Quarto writes it ("r-stretch quarto-figure-center"), so
    // that a deck's "img.quarto-figure-center + p.caption" rules reach the caption under it
    var aligned = img.closest(".quarto-figure-left, .quarto-figure-center, .quarto-figure-right");
    if (aligned !== null && top.contains(aligned)) {
      img.classList.add(["left", "center", "right"].map(function (side) { return "quarto-figure-" + side; })
        .filter(function (name) { return aligned.classList.contains(name); })[0]);
    }
    var emptied = img.parentElement;
    var after = top.nextSibling;
    slide.insertBefore(img, after);
    if (caption !== null) {
      var text = document.createElement("p");
      text.className = "caption";
      text.innerHTML = caption.innerHTML;
      slide.insertBefore(text, after);
      caption.remove();
    }
    // the wrappers the image left (paragraph, figure, output) go when nothing is left in them
    while (emptied !== slide && emptied.textContent.trim() === "" && emptied.querySelector(MEDIA + ", pre") === null) {
      var parent = emptied.parentElement;
      emptied.remove();
      emptied = parent;
    }
    // and the figure it came from goes with what captions it had left, as Quarto removes it
    var float = top.matches(FLOATS) ? top : top.querySelector(FLOATS);
    if (float !== null && float.isConnected && float.querySelector(MEDIA + ", pre") === null) float.remove();
  }

  document.querySelectorAll(".reveal .slides section").forEach(function (section) {
    if (section.querySelector("section") === null) stretch(section);
  });
  function layout() { Reveal.layout(); }
  if (Reveal.isReady()) layout(); else Reveal.on("ready", layout);
})();
