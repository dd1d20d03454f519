// The lightbox (filters/lightbox.lua marks the images): a click shows the image over the page with
// its caption; Escape, a click or the close button closes it.
(function () {
  var overlay = document.createElement("div");
  overlay.className = "lightbox-overlay";
  overlay.innerHTML = '<button type="button" class="lightbox-close" aria-label="Close">×</button>' +
    '<figure><img alt=""><figcaption></figcaption></figure>';
  overlay.hidden = true;
  document.body.appendChild(overlay);
  function close() { overlay.hidden = true; }
  overlay.addEventListener("click", close);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
  document.querySelectorAll("img.lightbox-image").forEach(function (image) {
    image.addEventListener("click", function () {
      var figure = image.closest("figure");
      var caption = figure && figure.querySelector("figcaption");
      overlay.querySelector("img").src = image.src;
      overlay.querySelector("img").alt = image.alt;
      overlay.querySelector("figcaption").textContent = caption ? caption.textContent : image.alt;
      overlay.hidden = false;
    });
  });
})();
