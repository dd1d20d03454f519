// A dashboard's page links (navbar) and tabsets: a link shows its page or pane and hides the others; the page in
// the address (#page-2) is shown when the dashboard opens.
(function () {
  function show(link) {
    var target = document.querySelector(link.getAttribute("data-target"));
    if (!target) return;
    var group = link.closest("ul");
    group.querySelectorAll(".nav-link").forEach(function (other) {
      other.classList.toggle("active", other === link);
      var pane = document.querySelector(other.getAttribute("data-target"));
      if (pane) { pane.classList.toggle("active", other === link); pane.classList.toggle("inactive", other !== link); }
    });
    window.dispatchEvent(new Event("resize"));  // a plot in a pane now shown fits its card
  }
  document.querySelectorAll(".dashboard-header .nav-link, .tabset .nav-tabs .nav-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(link);
      if (link.closest(".dashboard-header")) history.replaceState(null, "", link.getAttribute("data-target"));
    });
  });
  // expandable: a button on each card shows it over the whole dashboard, and again (or Escape) puts it back
  if (document.querySelector(".dashboard-content[data-expandable]")) {
    document.querySelectorAll(".dashboard-page .card:not(.value-box)").forEach(function (card) {
      var button = document.createElement("button");
      button.className = "card-expand";
      button.type = "button";
      button.title = "Expand";
      button.setAttribute("aria-label", "Expand");
      button.addEventListener("click", function () {
        var expanded = card.classList.toggle("card-expanded");
        button.title = expanded ? "Close" : "Expand";
        document.body.classList.toggle("card-is-expanded", expanded);
        window.dispatchEvent(new Event("resize"));
      });
      card.appendChild(button);
    });
    document.addEventListener("keydown", function (event) {
      var open = document.querySelector(".card-expanded > .card-expand");
      if (event.key === "Escape" && open) open.click();
    });
  }
  var start = window.location.hash && document.querySelector('.dashboard-header .nav-link[data-target="' +
                                                            window.location.hash + '"]');
  if (start) show(start);
})();
