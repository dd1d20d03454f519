// Listings (qmdrender/listings.py): a category in the margin's list, or on an item, shows only the items that
// have it ("All" shows every item again), and the address says which (#category=NAME), as Quarto's pages do.
(function () {
  function decode(value) {
    try { return decodeURIComponent(escape(atob(value))); } catch (error) { return value; }
  }
  function show(category) {
    document.querySelectorAll(".quarto-listing [data-categories]").forEach(function (item) {
      var names = (item.getAttribute("data-categories") || "").split(",").filter(Boolean).map(decode);
      item.style.display = !category || names.indexOf(category) !== -1 ? "" : "none";
    });
    document.querySelectorAll(".quarto-listing-category .category").forEach(function (entry) {
      var value = decode(entry.getAttribute("data-category") || "");
      entry.classList.toggle("active", value === (category || ""));
    });
  }
  function fromAddress() {
    var found = /category=([^&]*)/.exec(window.location.hash);
    show(found ? decodeURIComponent(found[1]) : "");
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
})();
