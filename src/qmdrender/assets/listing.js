// Listings (qmdrender/listings.py): a category in the margin's list, or on an item, shows only the items that
// have it ("All" shows every item again), and the address says which (#category=NAME), as Quarto's pages do.
(function () {
  function decode(value) {
    try { return decodeURIComponent(escape(atob(value))); } catch (error) { return value; }
  }
  function show(category, unmarked) {
    document.querySelectorAll(".quarto-listing [data-categories]").forEach(function (item) {
      var names = (item.getAttribute("data-categories") || "").split(",").filter(Boolean).map(decode);
      item.classList.toggle("listing-category-out", !!category && names.indexOf(category) === -1);
    });
    document.querySelectorAll(".quarto-listing[data-page-size]").forEach(function (listing) { paginate(listing, 0); });
    document.querySelectorAll(".quarto-listing-category .category").forEach(function (entry) {
      var value = decode(entry.getAttribute("data-category") || "");
      entry.classList.toggle("active", !unmarked && value === (category || ""));
    });
  }
  function fromAddress() {
    var found = /category=([^&]*)/.exec(window.location.hash);
    // no category asked for: all items, and no entry marked ("All" too is plain until chosen, as Quarto's)
    show(found ? decodeURIComponent(found[1]) : "", !found);
  }
  document.addEventListener("click", function (event) {
    var entry = event.target.closest(".quarto-listing-category .category, .listing-category");
    if (!entry) return;
    event.preventDefault();
    var value = entry.hasAttribute("data-category") ? decode(entry.getAttribute("data-category"))
      : entry.textContent.trim();
    history.replaceState(null, "", value ? "#category=" + encodeURIComponent(value) : window.location.pathname);
    show(value);
  });
  window.addEventListener("hashchange", fromAddress);
  // the listing may come after this script in the page (a site puts it in place once the page is written)
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fromAddress);
  else fromAddress();
  window.quartoListingCategory = function (value) { show(decode(value)); };

  // sort-ui and filter-ui: the menu orders a listing's items, the box keeps those whose text has the words
  function items(listing) {
    return Array.prototype.slice.call(listing.querySelectorAll("[data-index]"));
  }
  function key(item, field) {
    if (field === "index") return Number(item.getAttribute("data-index"));
    if (field === "listing-date-sort") return item.getAttribute("data-listing-date-sort") || "";
    var found = item.querySelector("." + field);
    return found ? found.textContent.trim().toLowerCase() : "";
  }
  document.addEventListener("change", function (event) {
    var menu = event.target.closest(".quarto-listing-sort select");
    if (!menu) return;
    var listing = menu.closest(".quarto-listing"), chosen = menu.options[menu.selectedIndex];
    var field = chosen.value, descending = chosen.getAttribute("data-direction") === "desc";
    var list = items(listing).sort(function (a, b) {
      var x = key(a, field), y = key(b, field), order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    list.forEach(function (item) { item.parentNode.appendChild(item); });
    paginate(listing, 0);
  });
  document.addEventListener("input", function (event) {
    var box = event.target.closest(".quarto-listing-filter input");
    if (!box) return;
    var listing = box.closest(".quarto-listing"), words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items(listing).forEach(function (item) {
      var text = item.textContent.toLowerCase();
      var keep = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.classList.toggle("listing-filtered-out", !keep);
      shown += keep && !item.classList.contains("listing-category-out") ? 1 : 0;
    });
    var none = listing.querySelector(".listing-no-matching");
    if (none) none.classList.toggle("d-none", shown > 0);
    paginate(listing, 0);
  });

  // page-size: the items a listing shows at once (Quarto's 25, 18 in a grid, 30 in a table), with page links
  function paginate(listing, page) {
    var size = Number(listing.getAttribute("data-page-size")) || 0;
    var all = items(listing).filter(function (item) {  // what the category and the filter box both keep
      return !item.classList.contains("listing-filtered-out") && !item.classList.contains("listing-category-out");
    });
    var nav = listing.querySelector(".listing-pagination");
    items(listing).forEach(function (item) { item.classList.remove("listing-other-page"); });
    if (nav) nav.remove();
    if (!size || all.length <= size) return;
    var pages = Math.ceil(all.length / size);
    page = Math.max(0, Math.min(page, pages - 1));
    all.forEach(function (item, index) {
      item.classList.toggle("listing-other-page", Math.floor(index / size) !== page);
    });
    nav = document.createElement("nav");
    nav.className = "listing-pagination";
    var list = document.createElement("ul");
    list.className = "pagination";
    function link(label, target, state) {
      var entry = document.createElement("li"), anchor = document.createElement("a");
      entry.className = "page-item" + (state ? " " + state : "");
      anchor.className = "page-link";
      anchor.href = "#";
      anchor.textContent = label;
      anchor.addEventListener("click", function (event) {
        event.preventDefault();
        if (!state) paginate(listing, target);
      });
      entry.appendChild(anchor);
      list.appendChild(entry);
    }
    link("\u2039", page - 1, page === 0 ? "disabled" : "");
    for (var number = 0; number < pages; number++) link(String(number + 1), number, number === page ? "active" : "");
    link("\u203A", page + 1, page === pages - 1 ? "disabled" : "");
    nav.appendChild(list);
    listing.appendChild(nav);
  }
  function paginateAll() {
    document.querySelectorAll(".quarto-listing[data-page-size]").forEach(function (listing) { paginate(listing, 0); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", paginateAll);
  else paginateAll();
})();
