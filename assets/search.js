/* trustdoc search box: queries the Pagefind index in pagefind/ (built by `trustdoc build`)
   and lists the results as links with their excerpts. Keyboard: type to search, Enter opens
   the first result, Down/Up move through the results, Escape clears. The result count is
   announced through a polite live region. */
(function () {
  "use strict";
  var box = document.querySelector("[data-td-search]");
  if (!box) return;
  var input = box.querySelector("input");
  var status = box.querySelector("[role=status]");
  var list = box.querySelector("ol");
  var root = new URL(box.getAttribute("data-td-search") || "./", document.baseURI);
  box.hidden = false;
  if (location.protocol === "file:") {
    input.disabled = true;
    status.textContent = "Search needs the site to be served over HTTP; it cannot read its index from a file:// page.";
    status.classList.add("td-search-note");
    return;
  }

  var engine = null;
  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: root.pathname }))
          .then(function () { return pf.init(); })
          .then(function () { return pf; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  /* Pagefind excerpts are escaped text with <mark> around the hits: copy only text and
     marks into the page (a template's content is inert, nothing in it runs). */
  function excerptNodes(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    var frag = document.createDocumentFragment();
    t.content.childNodes.forEach(function (n) {
      if (n.nodeType === 3) frag.appendChild(document.createTextNode(n.textContent));
      else if (n.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = n.textContent;
        frag.appendChild(m);
      } else frag.appendChild(document.createTextNode(n.textContent || ""));
    });
    return frag;
  }

  function show(query, results) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.className = "td-search-link";
      a.textContent = (r.meta && r.meta.title) || r.url;
      var p = document.createElement("p");
      p.className = "td-search-excerpt";
      p.appendChild(excerptNodes(r.excerpt || ""));
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    status.textContent = results.length === 0
      ? "No pages found for \u201c" + query + "\u201d."
      : results.length + (results.length === 1 ? " page" : " pages") + " found for \u201c" + query + "\u201d.";
  }

  var seq = 0;
  var timer = 0;
  function run() {
    var query = input.value.trim();
    var mine = ++seq;
    if (!query) {
      list.textContent = "";
      list.hidden = true;
      status.textContent = "";
      return;
    }
    load()
      .then(function (pf) { return pf.search(query); })
      .then(function (found) {
        return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }));
      })
      .then(function (results) { if (mine === seq) show(query, results); })
      .catch(function () {
        if (mine === seq) status.textContent = "Search is not available: its index could not be loaded.";
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  input.addEventListener("keydown", function (e) {
    var all = links();
    if (e.key === "ArrowDown" && all.length) { e.preventDefault(); all[0].focus(); }
    else if (e.key === "Enter" && all.length) { e.preventDefault(); location.href = all[0].href; }
    else if (e.key === "Escape") { input.value = ""; run(); }
  });
  list.addEventListener("keydown", function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i >= 0 && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
    else if (e.key === "ArrowUp" && i > 0) { e.preventDefault(); all[i - 1].focus(); }
    else if (e.key === "ArrowUp" && i === 0) { e.preventDefault(); input.focus(); }
    else if (e.key === "Escape") { e.preventDefault(); input.value = ""; run(); input.focus(); }
  });
})();
