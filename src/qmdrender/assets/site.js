// A navbar that wraps onto a second line (many links, a narrow window) is taller than the space the page
// leaves for it: the page, its sidebar and its table of contents start under the navbar's real height.
(function () {
  var header = document.getElementById("quarto-header");
  if (!header || !header.classList.contains("site-navbar")) return;
  function fit() { document.documentElement.style.setProperty("--navbar-height", header.offsetHeight + "px"); }
  fit();
  window.addEventListener("resize", fit);
  window.addEventListener("load", fit);  // the logo's size is known once it has loaded
})();
// Site search (qmdrender/site.py): the index is search-index.js beside the site's root, loaded as a
// script (not fetched), so that it works from file:// as well as from a web server.
(function () {
  var root = window.QUARTO_SITE_ROOT || "";
  var input = document.getElementById("site-search-input");
  var box = document.getElementById("site-search-results");
  if (!input || !box) return;
  function load(done) {
    if (window.quartoSearchIndex) return done();
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = done;
    script.onerror = function () { box.hidden = false; box.textContent = "The search index (search-index.js) is missing."; };
    document.head.appendChild(script);
  }
  function escape(text) {
    return text.replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; });
  }
  function snippet(text, word) {
    var at = text.toLowerCase().indexOf(word);
    var start = Math.max(0, at - 60);
    var part = (start > 0 ? "…" : "") + text.slice(start, start + 160) + (text.length > start + 160 ? "…" : "");
    return escape(part).replace(new RegExp("(" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "ig"), "<mark>$1</mark>");
  }
  function search() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) { box.hidden = true; box.innerHTML = ""; return; }
    load(function () {
      var hits = (window.quartoSearchIndex || []).filter(function (entry) {
        var haystack = (entry.title + " " + entry.section + " " + entry.text).toLowerCase();
        return words.every(function (w) { return haystack.indexOf(w) >= 0; });
      }).slice(0, 20);
      box.hidden = false;
      if (!hits.length) { box.innerHTML = '<div class="search-no-results">No results for “' + escape(input.value) + '”</div>'; return; }
      box.innerHTML = hits.map(function (entry) {
        return '<a class="search-result" href="' + escape(root + entry.href) + '"><div class="search-result-title">' +
          escape(entry.title) + '</div>' + (entry.section ? '<div class="search-result-section">' + escape(entry.section) + '</div>' : "") +
          '<div class="search-result-text">' + snippet(entry.text, words[0]) + '</div></a>';
      }).join("");
    });
  }
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; search(); }
    if (event.key === "Enter") { var first = box.querySelector("a"); if (first) window.location.href = first.href; }
  });
  // a navbar's search is a magnifier button that opens the field, as Quarto's overlay; a textbox (a sidebar's, or
  // a navbar's with search: type: textbox) is always open. The keys f, s and / go to the field in both.
  var holder = input.closest(".navbar-search");
  var button = holder && holder.querySelector(".site-search-toggle");
  function open(on) {
    if (!button) { if (on) input.focus(); return; }
    holder.classList.toggle("open", on);
    button.setAttribute("aria-expanded", String(on));
    if (on) input.focus(); else box.hidden = true;
  }
  if (button) button.addEventListener("click", function () { open(!holder.classList.contains("open")); });
  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    var shortcut = ["f", "s", "/"].indexOf(event.key) >= 0 && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (!typing && shortcut) {
      event.preventDefault();
      open(true);
    }
    if (button && event.key === "Escape" && holder.classList.contains("open")) open(false);
  });
  if (button) {
    document.addEventListener("click", function (event) {
      if (holder.classList.contains("open") && !holder.contains(event.target)) open(false);
    });
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { open(true); input.value = query; search(); }
})();

// reader-mode: the navbar's switch hides the sidebar and the contents, and the choice is kept for the site
(function () {
  var toggle = document.querySelector(".quarto-reader-toggle");
  if (!toggle) return;
  function set(on) {
    document.body.classList.toggle("reader-mode", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    try { localStorage.setItem("quarto-reader-mode", on ? "1" : "0"); } catch (e) {}
  }
  var saved = null;
  try { saved = localStorage.getItem("quarto-reader-mode"); } catch (e) {}
  if (saved === "1") set(true);
  toggle.addEventListener("click", function () { set(!document.body.classList.contains("reader-mode")); });
})();
// Below 992px the navbar's entries and the sidebar fold away behind their buttons (site.css), as Quarto's do.
(function () {
  document.querySelectorAll(".navbar-toggler, .quarto-btn-toggle").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    button.addEventListener("click", function () {
      button.setAttribute("aria-expanded", String(target.classList.toggle("show")));
    });
  });
})();
// Sidebar sections open and close on their toggle (site.py marks the collapsed ones), or on a title that
// links nowhere, as Quarto's do.
(function () {
  function toggle(section) {
    var collapsed = section.classList.toggle("collapsed");
    var list = section.querySelector(":scope > ul.sidebar-section");
    if (list) list.classList.toggle("show", !collapsed);  // Bootstrap's .collapse shows it only then
    section.querySelectorAll(":scope > .sidebar-item-container > [aria-expanded]").forEach(function (control) {
      control.setAttribute("aria-expanded", String(!collapsed));
    });
  }
  document.querySelectorAll(".sidebar-section-toggle, .sidebar-section-title").forEach(function (control) {
    var section = control.closest(".sidebar-item-section");
    control.addEventListener("click", function () { toggle(section); });
    control.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(section); }
    });
  });
})();

// a title banner beside a sidebar (site.css): the sidebar and the contents start under the title block, as on
// Quarto's pages, and rise with it as the page scrolls
(function () {
  var block = document.querySelector("body.has-sidebar header#title-block-header");
  if (!block || !block.querySelector(".quarto-title-banner")) return;
  function place() {
    document.body.style.setProperty("--title-block-bottom", Math.max(0, block.getBoundingClientRect().bottom) + "px");
  }
  place();
  window.addEventListener("scroll", place, {passive: true});
  window.addEventListener("resize", place);
})();
