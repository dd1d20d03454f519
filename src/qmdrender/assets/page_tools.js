// Code tools on HTML pages, as Quarto offers them: a copy button on each code block (code-copy: hover
// shows it when the pointer is over the block, true always; written into the page in Quarto's markup by
// formats/code_copy.py, made here for a block written without one) and the code-tools menu ("</> Code": show
// or hide all folded code, view the document's source). Settings come from #page-tools-config.
(function () {
  var config = JSON.parse(document.getElementById("page-tools-config").textContent);
  var deck = !!document.querySelector(".reveal .slides");
  var words = config.copyWords || ["Copy to Clipboard", "Copied!"];  // in the document's language
  function wire(button, block) {  // the button copies its block's code (without annotations' numbers)
    var show = function (copied) {  // the icon (CSS, formats/code_copy.py) turns to a checked clipboard
      button.classList.toggle("code-copy-button-checked", copied);
      button.title = copied ? words[1] : words[0];
    };
    button.addEventListener("click", function () {
      var code = block.querySelector("code") || block;
      var copy = code.cloneNode(true);  // without code annotations' numbers (code_annotations.js)
      copy.querySelectorAll(".code-annotation-anchor, .code-copy-button").forEach(function (e) { e.remove(); });
      var text = copy.textContent;
      var done = function () {
        show(true);
        setTimeout(function () { show(false); }, 1500);
      };
      var fallback = function () {  // no clipboard API, or no permission for it: the older way
        var area = document.createElement("textarea");
        area.value = text;
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
        done();
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    });
    return show;
  }
  function copyButtons() {
    // the buttons the page was written with (formats/code_copy.py), in Quarto's markup
    document.querySelectorAll("button.code-copy-button").forEach(function (button) {
      var scaffold = button.closest(".code-copy-outer-scaffold");
      wire(button, scaffold ? scaffold.querySelector("div.sourceCode, pre") : button.closest("pre"));
    });
    // and one for a block written without it (an author's own template, a dashboard's card)
    document.querySelectorAll("div.sourceCode, pre.sourceCode:not(div.sourceCode pre)").forEach(function (block) {
      if (block.closest(".code-copy-outer-scaffold") || block.querySelector(".code-copy-button")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "code-copy-button" + (config.copy === "hover" ? " on-hover" : "");
      button.setAttribute("aria-label", words[0]);
      button.innerHTML = '<i class="bi"></i>';
      wire(button, block)(false);
      if (deck) {
        var pre = block.matches("pre") ? block : block.querySelector("pre") || block;
        pre.classList.add("code-with-copy");
        pre.appendChild(button);
      } else {  // a page: Quarto's scaffold, the block and its button side by side in it, the code marked
        var scaffold = document.createElement("div");
        scaffold.className = "code-copy-outer-scaffold";
        block.parentNode.insertBefore(scaffold, block);
        scaffold.appendChild(block);
        scaffold.appendChild(button);
        (block.matches("pre") ? block : block.querySelector("pre") || block).classList.add("code-with-copy");
      }
    });
  }
  function codeTools() {
    // the button or menu the page was written with (formats/html.py: beside the title, as Quarto writes it),
    // else one made here; either way its entries are wired here
    var tools = config.tools;
    var menu = document.querySelector("details.code-tools-menu");
    if (!menu) {
      var toggle = tools.toggle && document.querySelector("details.code-fold");  // only where code is folded
      if (!toggle && !tools.source) return;  // nothing folded and no source to show: none, as in Quarto
      menu = document.createElement("details");
      menu.className = "code-tools-menu";
      var summary = document.createElement("summary");
      summary.className = "btn code-tools-button";  // Quarto's classes, which its rules and authors' address
      var icon = document.createElement("i");
      icon.className = "bi";
      summary.appendChild(icon);
      if (tools.caption !== "none") summary.appendChild(document.createTextNode(" " + (tools.caption || "Code")));
      menu.appendChild(summary);
      if (toggle) {
        var list = document.createElement("ul");
        list.className = "code-tools-items";
        var item = function (action, label) {
          var entry = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.setAttribute("data-code-tools", action);
          button.textContent = label;
          entry.appendChild(button);
          list.appendChild(entry);
        };
        summary.classList.add("dropdown-toggle");  // a menu: Quarto's caret after the caption
        item("show", "Show All Code");
        item("hide", "Hide All Code");
        if (tools.source) item("source", "View Source");
        menu.appendChild(list);
      } else {  // the button alone shows the source
        summary.id = "quarto-code-tools-source";
        summary.setAttribute("data-code-tools", "source");
      }
      // at the right of the page's title, as Quarto places its "Code" button; after the first element without one
      var heading = document.querySelector("header#title-block-header h1.title");
      if (heading) {
        menu.classList.add("in-title");
        heading.parentNode.insertBefore(menu, heading);
      } else {
        var first = document.body.firstElementChild;
        first.parentNode.insertBefore(menu, first.nextSibling);
      }
    }
    var actions = {
      show: function () { document.querySelectorAll("details.code-fold").forEach(function (d) { d.open = true; }); },
      hide: function () { document.querySelectorAll("details.code-fold").forEach(function (d) { d.open = false; }); },
      source: function () {
        if (typeof tools.source === "string") { window.location.href = tools.source; return; }  // an address
        var dialog = document.getElementById("code-tools-source");
        if (dialog.showModal) { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
      }
    };
    menu.querySelectorAll("[data-code-tools]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();  // the lone button's summary opens nothing: it shows the source
        actions[button.getAttribute("data-code-tools")]();
        menu.open = false;
      });
    });
  }
  function anchors() {  // anchor-sections: a link to each section heading, shown on hover (its "#" is CSS)
    document.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id], section[id] > h2, section[id] > h3, " +
                              "section[id] > h4, section[id] > h5, section[id] > h6")
      .forEach(function (heading) {
        var id = heading.id || heading.parentElement.id;
        if (!id || heading.closest("nav, header") || heading.querySelector(".anchor-section")) return;
        var link = document.createElement("a");
        link.className = "anchor-section";
        link.href = "#" + id;
        link.setAttribute("aria-label", "Link to this section");
        heading.appendChild(link);
      });
  }
  if (config.copy) copyButtons();
  if (config.tools) codeTools();
  if (config.anchors) anchors();
})();
