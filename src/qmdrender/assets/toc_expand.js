// The table of contents as Quarto shows it (toc-expand): its first levels open (one by default), the deeper
// ones opening for the section being read, whose entry is marked as the reader scrolls.
(function () {
  var toc = document.getElementById("TOC");
  if (!toc) return;
  // levels always shown (a large number: all of them); 0 (toc-expand: false): the first level, and deeper
  // entries only above the one being read, never its own (Quarto's data-toc-expanded="-1")
  var expand = window.QUARTO_TOC_EXPAND === undefined ? 1 : window.QUARTO_TOC_EXPAND;
  var depth = Math.max(1, expand);
  var links = Array.prototype.slice.call(toc.querySelectorAll("a[href^='#']"));
  var targets = links.map(function (a) {
    return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
  });
  var lists = Array.prototype.slice.call(toc.querySelectorAll("ul"));
  function level(list) {
    var n = 0;
    for (var e = list; e && e !== toc; e = e.parentElement) if (e.tagName === "UL") n++;
    return n;
  }
  var levels = lists.map(level);
  var pending = false;
  function update() {
    pending = false;
    var current = -1;
    targets.forEach(function (target, i) {
      if (target && target.getBoundingClientRect().top < window.innerHeight * 0.3) current = i;  // the last one reached
    });
    // as Quarto: the first entry before any section is reached, the last one once the page's end is in view
    if (window.innerHeight + window.pageYOffset >= document.body.offsetHeight) current = links.length - 1;
    if (current < 0 && links.length) current = 0;
    links.forEach(function (a, i) { a.classList.toggle("active", i === current); });
    var open = [];
    if (current >= 0) {
      for (var e = links[current].parentElement; e && e !== toc; e = e.parentElement) open.push(e);
      var own = links[current].parentElement.querySelector("ul");
      if (own && expand > 0) open.push(own);
    }
    lists.forEach(function (list, i) { list.hidden = levels[i] > depth && open.indexOf(list) < 0; });
  }
  window.addEventListener("scroll", function () {
    if (!pending) { pending = true; window.requestAnimationFrame(update); }
  }, { passive: true });
  update();
})();
