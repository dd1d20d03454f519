// The table of contents and margin content share the right-hand column, as in Quarto: the contents
// stay there, and fade out while a margin note, margin caption or margin figure is beside them, so
// neither covers the other (Quarto hides its table of contents the same way).
// Under a title banner (title-block-banner) the contents start below it, as Quarto's margin column does: the
// fixed contents keep their place from the stylesheet once the banner has scrolled away.
(function () {
  var toc = document.getElementById("TOC"), banner = document.querySelector(".quarto-title-banner");
  if (!toc || !banner) return;
  function place() {
    toc.style.top = "";
    var style = getComputedStyle(toc);
    if (style.position !== "fixed") return;  // narrow screens: the contents are in the page's flow
    var below = banner.getBoundingClientRect().bottom + parseFloat(getComputedStyle(banner).marginBottom);
    if (below > parseFloat(style.top)) toc.style.top = below + "px";
  }
  window.addEventListener("scroll", place, { passive: true });
  window.addEventListener("resize", place);
  place();
})();
(function () {
  var toc = document.getElementById("TOC");
  if (!toc) return;
  var selector = ".margin-note, .margin-caption > figcaption, .margin-caption > caption, .margin-caption .table-caption";
  var notes = Array.prototype.slice.call(document.querySelectorAll(selector));
  if (!notes.length) return;
  function update() {
    var box = toc.getBoundingClientRect(), covered = false;
    if (getComputedStyle(toc).position === "fixed") {  // wide screens only: narrow ones stack everything
      covered = notes.some(function (note) {
        var r = note.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom && r.right > box.left && r.left < box.right;
      });
    }
    toc.classList.toggle("toc-beside-margin", covered);
  }
  window.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
})();
