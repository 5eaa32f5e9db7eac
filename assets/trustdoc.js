/* trustdoc built-in behaviour: theme toggle, mobile navigation, copy buttons,
 * tabs, "On this page" highlighting and the decision guide.
 *
 * Everything here is an enhancement: every page is complete without it. No
 * dependencies and no network access; choices persist in localStorage only.
 */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  root.classList.add("js");

  function store(key, value) {
    try {
      if (value === null) {
        localStorage.removeItem(key);
      } else {
        localStorage.setItem(key, value);
      }
    } catch (e) {
      /* Storage can be disabled; the choice then lasts for this page only. */
    }
  }

  function load(key) {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function el(tag, attrs, text) {
    var node = doc.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        node.setAttribute(name, attrs[name]);
      });
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  /* ---------- Theme ---------- */

  var THEME_KEY = "trustdoc-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function effectiveTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") {
      return chosen;
    }
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function initTheme() {
    var button = doc.querySelector(".td-theme-toggle");
    if (!button) {
      return;
    }
    function sync() {
      var dark = effectiveTheme() === "dark";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.title = dark ? "Switch to light theme" : "Switch to dark theme";
    }
    button.hidden = false;
    sync();
    button.addEventListener("click", function () {
      var next = effectiveTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      store(THEME_KEY, next);
      sync();
    });
    if (darkQuery) {
      var onChange = function () {
        sync();
      };
      if (darkQuery.addEventListener) {
        darkQuery.addEventListener("change", onChange);
      } else if (darkQuery.addListener) {
        darkQuery.addListener(onChange);
      }
    }
    /* Keep several open tabs in step. */
    window.addEventListener("storage", function (event) {
      if (event.key === THEME_KEY) {
        if (event.newValue === "light" || event.newValue === "dark") {
          root.setAttribute("data-theme", event.newValue);
        } else {
          root.removeAttribute("data-theme");
        }
        sync();
      }
    });
  }

  /* ---------- Mobile navigation ---------- */

  function initNav() {
    var button = doc.querySelector(".td-menu-button");
    var sidebar = doc.getElementById("td-sidebar");
    var checkbox = doc.getElementById("td-nav-toggle");
    if (!button || !sidebar) {
      return;
    }
    if (checkbox) {
      checkbox.checked = false;
    }
    button.hidden = false;

    function setOpen(open, returnFocus) {
      doc.body.classList.toggle("td-nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var target = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector("a, summary");
        if (target) {
          target.scrollIntoView({ block: "center" });
          target.focus({ preventScroll: true });
        }
      } else if (returnFocus) {
        button.focus();
      }
    }

    function isOpen() {
      return doc.body.classList.contains("td-nav-open");
    }

    button.addEventListener("click", function () {
      setOpen(!isOpen(), false);
    });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        setOpen(false, true);
      }
    });
    doc.addEventListener("click", function (event) {
      if (isOpen() && !sidebar.contains(event.target) && !button.contains(event.target)) {
        setOpen(false, false);
      }
    });
    /* Following an in-page link from the drawer should reveal the page. */
    sidebar.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (link && isOpen()) {
        setOpen(false, false);
      }
    });
    /* Leaving the phone layout must not leave the page scroll-locked. */
    if (window.matchMedia) {
      var wide = window.matchMedia("(min-width: 800px)");
      var onWide = function () {
        if (wide.matches && isOpen()) {
          setOpen(false, false);
        }
      };
      if (wide.addEventListener) {
        wide.addEventListener("change", onWide);
      } else if (wide.addListener) {
        wide.addListener(onWide);
      }
    }
  }

  /* ---------- Copy buttons ---------- */

  var LANG_NAMES = {
    azurecli: "Azure CLI",
    "azurecli-interactive": "Azure CLI",
    azurepowershell: "Azure PowerShell",
    "azurepowershell-interactive": "Azure PowerShell",
    bash: "Bash",
    sh: "Shell",
    shell: "Shell",
    console: "Console",
    powershell: "PowerShell",
    ps1: "PowerShell",
    cmd: "Command prompt",
    json: "JSON",
    jsonc: "JSON",
    yaml: "YAML",
    yml: "YAML",
    toml: "TOML",
    xml: "XML",
    html: "HTML",
    css: "CSS",
    js: "JavaScript",
    javascript: "JavaScript",
    ts: "TypeScript",
    typescript: "TypeScript",
    python: "Python",
    py: "Python",
    rust: "Rust",
    rs: "Rust",
    go: "Go",
    csharp: "C#",
    cs: "C#",
    c: "C",
    cpp: "C++",
    java: "Java",
    sql: "SQL",
    kusto: "Kusto",
    dockerfile: "Dockerfile",
    bicep: "Bicep",
    terraform: "Terraform",
    hcl: "HCL",
    markdown: "Markdown",
    md: "Markdown",
    diff: "Diff",
    ini: "INI",
    text: "",
    txt: "",
    plaintext: "",
    output: "Output"
  };

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    /* Older browsers and plain-http pages: copy through a hidden textarea. */
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { readonly: "", "aria-hidden": "true", tabindex: "-1" });
      area.value = text;
      area.style.position = "fixed";
      area.style.top = "-1000px";
      area.style.opacity = "0";
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = doc.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      doc.body.removeChild(area);
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy failed"));
      }
    });
  }

  function initCopy() {
    var status = null;
    each(doc.querySelectorAll("pre.td-code"), function (pre) {
      if (pre.parentNode && pre.parentNode.classList && pre.parentNode.classList.contains("td-code-block")) {
        return;
      }
      if (!status) {
        status = el("div", { class: "td-visually-hidden", role: "status", "aria-live": "polite" });
        doc.body.appendChild(status);
      }
      var lang = (pre.getAttribute("data-lang") || "").toLowerCase();
      var label = Object.prototype.hasOwnProperty.call(LANG_NAMES, lang) ? LANG_NAMES[lang] : lang;
      var wrap = el("div", { class: "td-code-block" });
      var bar = el("div", { class: "td-code-bar" });
      if (label) {
        bar.appendChild(el("span", { class: "td-code-lang" }, label));
      }
      var button = el("button", { type: "button", class: "td-copy" });
      button.appendChild(doc.createTextNode("Copy"));
      button.appendChild(el("span", { class: "td-visually-hidden" }, label ? " " + label + " code" : " code"));
      bar.appendChild(button);
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(bar);
      wrap.appendChild(pre);
      var timer = null;
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.textContent.replace(/\n$/, "")).then(
          function () {
            button.firstChild.nodeValue = "Copied";
            button.classList.add("td-copied");
            status.textContent = "Code copied to the clipboard";
            clearTimeout(timer);
            timer = setTimeout(function () {
              button.firstChild.nodeValue = "Copy";
              button.classList.remove("td-copied");
              status.textContent = "";
            }, 2000);
          },
          function () {
            status.textContent = "Copying failed; select the code and copy it by hand";
          }
        );
      });
    });
  }

  /* ---------- Keyboard access to sideways-scrolling boxes ---------- */

  /* A box that scrolls must be focusable, or keyboard users cannot scroll it. */
  function markScrollable() {
    each(doc.querySelectorAll("pre.td-code, .td-content table, .td-tablist"), function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-td-scroll", "");
      } else if (!scrolls && box.hasAttribute("data-td-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-td-scroll");
      }
    });
  }

  /* Diagrams keep their drawn size; one wider than the column scrolls in its own box. The
   * classes drive the visual cue; the tab stop stays only while there is something to scroll. */
  function markDiagramEdges(box) {
    var max = box.scrollWidth - box.clientWidth;
    box.classList.toggle("td-at-start", box.scrollLeft <= 1);
    box.classList.toggle("td-at-end", box.scrollLeft >= max - 1);
  }

  function markDiagrams() {
    each(doc.querySelectorAll(".td-diagram-scroll"), function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("td-scrolls", scrolls);
      if (scrolls) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
      markDiagramEdges(box);
      if (!box.hasAttribute("data-td-edges")) {
        box.setAttribute("data-td-edges", "");
        box.addEventListener("scroll", function () {
          markDiagramEdges(box);
        }, { passive: true });
      }
    });
  }

  function initScrollable() {
    var pending = null;
    markScrollable();
    markDiagrams();
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        markScrollable();
        markDiagrams();
      }, 150);
    });
  }

  /* ---------- Tabs ---------- */

  var TAB_KEY = "trustdoc-tab:";
  var tabGroups = [];

  function selectInGroup(group, tabName, focus) {
    var found = false;
    group.tabs.forEach(function (tab, i) {
      var on = group.names[i] === tabName;
      if (on) {
        found = true;
      }
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      group.panels[i].hidden = !on;
      if (on && focus) {
        tab.focus();
      }
    });
    return found;
  }

  /* Selecting a tab selects the same tab in every group with the same set. */
  function selectTab(key, tabName, source, focus) {
    var anchor = source ? source.container.getBoundingClientRect().top : null;
    tabGroups.forEach(function (group) {
      if (group === source || (key && group.key === key)) {
        selectInGroup(group, tabName, focus && group === source);
      }
    });
    if (key) {
      store(TAB_KEY + key, tabName);
    }
    markScrollable();
    /* Keep the clicked tablist still while panels above it change height. */
    if (source && anchor !== null) {
      var shift = source.container.getBoundingClientRect().top - anchor;
      if (Math.abs(shift) > 1) {
        window.scrollBy(0, shift);
      }
    }
  }

  function initTabs() {
    var count = 0;
    each(doc.querySelectorAll(".td-tabs"), function (container) {
      var panels = [];
      each(container.children, function (child) {
        if (child.classList.contains("td-tab-panel")) {
          panels.push(child);
        }
      });
      if (panels.length === 0) {
        return;
      }
      count += 1;
      var key = (container.getAttribute("data-group") || "").trim().split(/\s+/).filter(Boolean).join(" ");
      var tablist = el("div", { role: "tablist", class: "td-tablist" });
      var group = { container: container, key: key, tabs: [], panels: panels, names: [] };
      panels.forEach(function (panel, i) {
        if (!panel.id) {
          panel.id = "td-tabpanel-" + count + "-" + (i + 1);
        }
        var title = panel.querySelector(".td-tab-title");
        var name = panel.getAttribute("data-tab") || String(i);
        var tab = el("button", {
          type: "button",
          role: "tab",
          class: "td-tab",
          id: panel.id + "-tab",
          "aria-controls": panel.id
        }, title ? title.textContent : name);
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tab.id);
        panel.tabIndex = 0;
        if (title) {
          /* The tab names the panel now; keep the heading for outlines and links. */
          title.classList.add("td-visually-hidden");
        }
        tablist.appendChild(tab);
        group.tabs.push(tab);
        group.names.push(name);
        tab.addEventListener("click", function () {
          selectTab(group.key, name, group, false);
        });
        tab.addEventListener("keydown", function (event) {
          var index = group.tabs.indexOf(tab);
          var next = null;
          if (event.key === "ArrowRight" || event.key === "ArrowDown") {
            next = (index + 1) % group.tabs.length;
          } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
            next = (index - 1 + group.tabs.length) % group.tabs.length;
          } else if (event.key === "Home") {
            next = 0;
          } else if (event.key === "End") {
            next = group.tabs.length - 1;
          }
          if (next !== null) {
            event.preventDefault();
            selectTab(group.key, group.names[next], group, true);
          }
        });
      });
      container.insertBefore(tablist, container.firstChild);
      container.classList.add("td-tabs-ready");
      tabGroups.push(group);
      var remembered = key ? load(TAB_KEY + key) : null;
      if (!remembered || !selectInGroup(group, remembered, false)) {
        selectInGroup(group, group.names[0], false);
      }
    });
    if (tabGroups.length > 0) {
      revealHashTarget();
      window.addEventListener("hashchange", revealHashTarget);
    }
  }

  /* A link to something inside a hidden panel opens that panel first. */
  function revealHashTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) {
      return;
    }
    /* `#tab/name` (or `#tab/name/condition`) selects that tab wherever it is offered. */
    if (id.indexOf("tab/") === 0) {
      var name = id.split("/")[1];
      tabGroups.forEach(function (group) {
        if (group.names.indexOf(name) >= 0) {
          selectTab(group.key, name, group, false);
        }
      });
      return;
    }
    var target = doc.getElementById(id);
    if (!target) {
      return;
    }
    var changed = false;
    tabGroups.forEach(function (group) {
      group.panels.forEach(function (panel, i) {
        if (panel.hidden && panel.contains(target)) {
          selectTab(group.key, group.names[i], null, false);
          changed = true;
        }
      });
    });
    if (changed) {
      target.scrollIntoView();
    }
  }

  /* ---------- On this page: mark the section being read ---------- */

  function initTocSpy() {
    var links = doc.querySelectorAll(".td-toc a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) {
      return;
    }
    var byId = {};
    var headings = [];
    each(links, function (link) {
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var heading = doc.getElementById(id);
      if (heading) {
        byId[id] = link;
        headings.push(heading);
      }
    });
    var visible = {};
    var current = null;
    function mark() {
      var best = null;
      headings.forEach(function (heading) {
        if (visible[heading.id]) {
          if (best === null) {
            best = heading;
          }
        }
      });
      if (best === null) {
        /* Between headings: the last one above the viewport top wins. */
        headings.forEach(function (heading) {
          if (heading.getBoundingClientRect().top < 120) {
            best = heading;
          }
        });
      }
      var link = best ? byId[best.id] : null;
      if (link === current) {
        return;
      }
      if (current) {
        current.classList.remove("td-toc-active");
        current.removeAttribute("aria-current");
      }
      if (link) {
        link.classList.add("td-toc-active");
        link.setAttribute("aria-current", "location");
      }
      current = link;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          visible[entry.target.id] = entry.isIntersecting;
        });
        mark();
      },
      { rootMargin: "-60px 0px -55% 0px" }
    );
    headings.forEach(function (heading) {
      observer.observe(heading);
    });
  }

  /* ---------- Decision guide ---------- */

  var POLICY_NAMES = {
    U: "Unique",
    A: "Any",
    P: "Priority",
    F: "First",
    C: "Collect",
    R: "Rule order",
    O: "Output order"
  };

  function asList(value) {
    if (value === null || value === undefined) {
      return [];
    }
    return Array.isArray(value) ? value : [value];
  }

  /* How a rule stands against the answers so far:
   * "excluded" (some answer contradicts it), "matched" (every condition it
   * has is answered and met) or "open" (consistent, waiting on answers). */
  function ruleState(rule, answers) {
    var when = rule.when || {};
    var open = false;
    var keys = Object.keys(when);
    for (var i = 0; i < keys.length; i += 1) {
      var allowed = asList(when[keys[i]]);
      if (allowed.length === 0) {
        continue; /* an empty list means "any answer" */
      }
      var given = answers[keys[i]];
      if (given === undefined) {
        open = true;
      } else if (allowed.indexOf(given) === -1) {
        return "excluded";
      }
    }
    return open ? "open" : "matched";
  }

  function priorityRank(data, model) {
    var list = asList(data.priority);
    var index = list.indexOf(model);
    return index === -1 ? list.length : index;
  }

  /* A rule whose `then` is "none" says, by design, that no model fits. */
  var NO_MODEL = "none";

  function modelName(data, id) {
    var models = data.models || {};
    if (Object.prototype.hasOwnProperty.call(models, id)) {
      return String(models[id]);
    }
    return id === NO_MODEL ? "no model" : String(id);
  }

  function answerLabel(answer) {
    return String(answer).replace(/_/g, " ");
  }

  function namesOf(data, ids) {
    return ids.map(function (id) {
      return modelName(data, id);
    }).join(", ");
  }

  /* One line per answered question, in question order: which outcomes that answer
   * ruled out among those still possible before it, and how many remain. */
  function narrowing(data, answers) {
    var lines = [];
    var partial = {};
    var before = evaluate(data, partial).possible;
    asList(data.inputs).forEach(function (input) {
      if (!Object.prototype.hasOwnProperty.call(answers, input.id)) {
        return;
      }
      partial[input.id] = answers[input.id];
      var after = evaluate(data, partial).possible;
      var removed = before.filter(function (id) {
        return after.indexOf(id) === -1;
      });
      var line = String(input.question) + " " + answerLabel(answers[input.id]) + ": ";
      if (removed.length > 0) {
        line += "rules out " + namesOf(data, removed);
      } else {
        line += "rules out nothing further";
      }
      line += after.length === 1 ? "; 1 option left." : "; " + after.length + " options left.";
      lines.push(line);
      before = after;
    });
    return lines;
  }

  function appendNarrowing(output, data, answers) {
    var lines = narrowing(data, answers);
    if (lines.length === 0) {
      return;
    }
    output.appendChild(el("span", { class: "td-guide-detail" }, "How your answers narrowed the choice:"));
    var list = el("span", { class: "td-guide-list td-guide-why" });
    lines.forEach(function (line) {
      list.appendChild(el("span", { class: "td-guide-item" }, line));
    });
    output.appendChild(list);
  }

  function uniqueOutputs(rules) {
    var seen = [];
    rules.forEach(function (rule) {
      asList(rule.then).forEach(function (model) {
        if (seen.indexOf(model) === -1) {
          seen.push(model);
        }
      });
    });
    return seen;
  }

  /* Decide what the table says for a partial set of answers. Returns
   * { done, hits: [{rule, model}], possible: [model ids], conflict }. */
  function evaluate(data, answers) {
    var policy = String(data.hit_policy || "U").toUpperCase().charAt(0);
    var rules = asList(data.rules);
    var matched = [];
    var alive = [];
    rules.forEach(function (rule) {
      var state = ruleState(rule, answers);
      if (state !== "excluded") {
        alive.push(rule);
        if (state === "matched") {
          matched.push(rule);
        }
      }
    });
    var possible = uniqueOutputs(alive);
    var result = { policy: policy, done: false, hits: [], possible: possible, conflict: false };
    function hitsOf(list) {
      var hits = [];
      list.forEach(function (rule) {
        asList(rule.then).forEach(function (model) {
          hits.push({ rule: rule, model: model });
        });
      });
      return hits;
    }

    if (policy === "F") {
      /* The first rule still in play decides, once it is fully matched. */
      if (alive.length > 0 && ruleState(alive[0], answers) === "matched") {
        result.done = true;
        result.hits = hitsOf([alive[0]]);
      }
    } else if (policy === "P") {
      /* The best-ranked output among rules still in play wins once a matched rule gives it. */
      var bestRank = Infinity;
      possible.forEach(function (model) {
        bestRank = Math.min(bestRank, priorityRank(data, model));
      });
      for (var i = 0; i < matched.length; i += 1) {
        var outs = asList(matched[i].then);
        for (var j = 0; j < outs.length; j += 1) {
          if (priorityRank(data, outs[j]) === bestRank) {
            result.done = true;
            result.hits = [{ rule: matched[i], model: outs[j] }];
            break;
          }
        }
        if (result.done) {
          break;
        }
      }
    } else if (policy === "U" || policy === "A") {
      if (matched.length > 0) {
        result.done = true;
        result.hits = hitsOf(policy === "U" ? matched : [matched[0]]);
        var outputs = uniqueOutputs(matched);
        /* U allows one match, A allows several that agree: anything else is a table bug. */
        result.conflict = (policy === "U" && matched.length > 1) || (policy === "A" && outputs.length > 1);
        if (result.conflict) {
          result.hits = hitsOf(matched);
        }
      }
    } else {
      /* C, R, O collect every match, so they are final when nothing is open. */
      result.done = alive.length === matched.length;
      var hits = hitsOf(matched);
      if (policy === "O") {
        hits.sort(function (a, b) {
          return priorityRank(data, a.model) - priorityRank(data, b.model);
        });
      }
      if (policy === "C") {
        var seen = [];
        hits = hits.filter(function (hit) {
          if (seen.indexOf(hit.model) !== -1) {
            return false;
          }
          seen.push(hit.model);
          return true;
        });
      }
      result.hits = hits;
    }
    return result;
  }

  function ruleLabel(rule) {
    return "rule " + String(rule.id);
  }

  /* <output> only takes phrasing content, so the result is built from spans. */
  function renderGuide(output, data, answers, answeredCount, questionCount) {
    var r = evaluate(data, answers);
    while (output.firstChild) {
      output.removeChild(output.firstChild);
    }
    output.classList.toggle("td-guide-final", r.done && r.hits.length > 0 && !r.conflict);
    var collect = r.policy === "C" || r.policy === "R" || r.policy === "O";

    if (answeredCount === 0) {
      output.appendChild(el("span", { class: "td-guide-detail" },
        "Answer the questions above to get a recommendation. " +
        r.possible.length + (r.possible.length === 1 ? " model is" : " models are") + " possible."));
      return;
    }
    if (r.possible.length === 0) {
      output.appendChild(el("span", { class: "td-guide-verdict" }, "No rule covers this combination of answers."));
      output.appendChild(el("span", { class: "td-guide-detail" }, "Check the decision table on this page, or change an answer."));
      return;
    }
    if (r.conflict) {
      output.appendChild(el("span", { class: "td-guide-verdict" }, "These answers match rules that disagree:"));
      var clash = el("span", { class: "td-guide-list" });
      r.hits.forEach(function (hit) {
        clash.appendChild(el("span", { class: "td-guide-item" }, modelName(data, hit.model) + " (" + ruleLabel(hit.rule) + ")"));
      });
      output.appendChild(clash);
      return;
    }
    if (r.done && !collect) {
      var hit = r.hits[0];
      var none = hit.model === NO_MODEL;
      var verdict = el("span", { class: "td-guide-verdict" }, none ? "" : "Recommended: ");
      verdict.appendChild(el("strong", null, none ? "No model fits these answers." : modelName(data, hit.model)));
      output.appendChild(verdict);
      var why = (none ? "Said so by " : "Chosen by ") + ruleLabel(hit.rule);
      if (r.policy === "F") {
        why += ", the first rule that matches";
      } else if (r.policy === "P") {
        why += ", the highest-priority match";
      }
      output.appendChild(el("span", { class: "td-guide-detail" }, why + "."));
      if (hit.rule.note) {
        output.appendChild(el("span", { class: "td-guide-detail" }, String(hit.rule.note)));
      }
      if (answeredCount < questionCount) {
        output.appendChild(el("span", { class: "td-guide-detail" }, "The remaining questions do not change this."));
      }
      appendNarrowing(output, data, answers);
      return;
    }
    if (collect && r.hits.length > 0) {
      output.appendChild(el("span", { class: "td-guide-verdict" },
        r.done ? (r.hits.length === 1 ? "Suitable model:" : "Suitable models:") : "Matches so far:"));
      var list = el("span", { class: "td-guide-list" });
      r.hits.forEach(function (h) {
        var item = el("span", { class: "td-guide-item" });
        item.appendChild(el("strong", null, modelName(data, h.model)));
        item.appendChild(doc.createTextNode(" (" + ruleLabel(h.rule) + ")"));
        if (h.rule.note) {
          item.appendChild(doc.createTextNode(": " + String(h.rule.note)));
        }
        list.appendChild(item);
      });
      output.appendChild(list);
      if (r.done) {
        appendNarrowing(output, data, answers);
        return;
      }
    }
    if (r.done) {
      /* Collect policies with nothing matched and nothing open. */
      output.appendChild(el("span", { class: "td-guide-verdict" }, "No model matches these answers."));
      return;
    }
    var names = r.possible.map(function (id) {
      return modelName(data, id);
    });
    var count = r.possible.length;
    output.appendChild(el("span", { class: collect && r.hits.length > 0 ? "td-guide-detail" : "td-guide-verdict" },
      count === 1 ? "1 model still possible: " + names[0] + "." : count + " models still possible: " + names.join(", ") + "."));
    output.appendChild(el("span", { class: "td-guide-detail" }, "Answer the remaining questions to narrow it down."));
  }

  function initGuides() {
    each(doc.querySelectorAll("form.td-decision-guide"), function (form) {
      var script = form.querySelector("script.td-guide-data");
      var output = form.querySelector("output.td-guide-result");
      if (!script || !output) {
        return;
      }
      var data;
      try {
        data = JSON.parse(script.textContent);
      } catch (e) {
        output.textContent = "The guide's data could not be read; use the decision table instead.";
        return;
      }
      if (!data || typeof data !== "object") {
        return;
      }
      var inputs = asList(data.inputs);
      var policy = String(data.hit_policy || "U").toUpperCase().charAt(0);
      if (POLICY_NAMES[policy]) {
        form.setAttribute("data-hit-policy", POLICY_NAMES[policy]);
      }

      function current() {
        var answers = {};
        var answered = 0;
        inputs.forEach(function (input) {
          var checked = null;
          each(form.querySelectorAll('input[type="radio"]'), function (radio) {
            if (radio.name === String(input.id) && radio.checked) {
              checked = radio.value;
            }
          });
          if (checked !== null) {
            answers[input.id] = checked;
            answered += 1;
          }
        });
        return { answers: answers, answered: answered };
      }

      function update() {
        var state = current();
        renderGuide(output, data, state.answers, state.answered, inputs.length);
      }

      var reset = el("button", { type: "button", class: "td-guide-reset" }, "Reset answers");
      reset.addEventListener("click", function () {
        form.reset();
        update();
        var first = form.querySelector('input[type="radio"]');
        if (first) {
          first.focus();
        }
      });
      output.parentNode.insertBefore(reset, output.nextSibling);
      form.addEventListener("change", update);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
      update();
    });
  }

  function start() {
    initTheme();
    initNav();
    initCopy();
    initTabs();
    initTocSpy();
    initGuides();
    initScrollable();
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  /* Exposed for tests run in a browser; not an API. */
  window.trustdocEvaluateGuide = evaluate;
  window.trustdocNarrowGuide = narrowing;
})();
