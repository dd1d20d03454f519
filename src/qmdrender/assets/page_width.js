// The page's width without its scrollbar (100vw counts it, Quarto's grid does not), for the stylesheets that
// share the width out as that grid does: a site's sidebar layouts (site.css), the screen-wide columns (report.css).
(function () {
  var page = document.documentElement;
  function measure() { page.style.setProperty("--page-width", page.clientWidth + "px"); }
  measure();
  window.addEventListener("resize", measure);
  window.addEventListener("load", measure);  // the page may have grown a scrollbar by then
})();
