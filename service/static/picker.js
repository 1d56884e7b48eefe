// Type-ahead pickers for the IRI parameters of a question's form (service/templates/_picker.html).
// The ARIA combobox pattern: type, then ArrowDown/ArrowUp to move through the names, Enter to choose,
// Escape to close the list. The form sends the chosen entity's IRI; what is typed without choosing is
// sent as it is (a name or an IRI), and the server resolves it. Names are shown as text, never as markup.
(function () {
  "use strict";
  if (window.lscpPickers) { return; }
  window.lscpPickers = true;
  var DELAY = 150;

  function setUp(root, number) {
    var input = root.querySelector("input[role=combobox]");
    var list = root.querySelector("[role=listbox]");
    var status = root.querySelector("[data-picker-status]");
    var kinds = (root.getAttribute("data-kinds") || "").split(",").filter(Boolean);
    var hidden = document.createElement("input");
    var options = [], active = -1, timer = null, asked = 0;
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.getAttribute("data-iri") || input.value;
    input.removeAttribute("name");
    root.appendChild(hidden);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(index) {
      options.forEach(function (option, i) { option.element.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function choose(index) {
      var hit = options[index].hit;
      input.value = hit.display || hit.label;
      hidden.value = hit.iri;
      close();
      status.textContent = "Chosen: " + (hit.display || hit.label) + " (" + hit.kind + ")";
    }
    function show(hits) {
      list.textContent = "";
      options = hits.map(function (hit, i) {
        var element = document.createElement("li");
        var kind = document.createElement("span");
        element.id = "picker-" + number + "-option-" + i;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        // a name another entity also has is shown with its partnerships: "Operational team (Northshire)"
        element.appendChild(document.createTextNode(hit.display || hit.label));
        kind.className = "picker-kind";
        kind.textContent = " " + hit.kind + (hit.partnerships.length ? " · " + hit.partnerships.map(function (p) { return p.label; }).join("; ") : "");
        element.appendChild(kind);
        element.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(element);
        return {element: element, hit: hit};
      });
      active = -1;
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      status.textContent = options.length ? options.length + " matching name" + (options.length === 1 ? "" : "s") +
        ": use the arrow keys to go through them, Enter to choose." : "No matching name.";
    }
    function lookUp() {
      var text = input.value.trim();
      var mine = ++asked;
      if (!text || text.length > 200) { show([]); close(); return; }
      var query = "q=" + encodeURIComponent(text) + "&limit=10" +
        kinds.map(function (kind) { return "&kind=" + encodeURIComponent(kind); }).join("");
      fetch(root.getAttribute("data-search") + "?" + query, {headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {hits: []}; })
        .then(function (answer) { if (mine === asked && document.activeElement === input) { show(answer.hits || []); } })
        .catch(function () { status.textContent = "The list of names could not be fetched; type a name and run the question."; });
    }
    input.addEventListener("input", function () {
      hidden.value = input.value;
      clearTimeout(timer);
      timer = setTimeout(lookUp, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { if (options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { lookUp(); } return event.preventDefault(); }
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        mark(next >= options.length ? 0 : next < 0 ? options.length - 1 : next);
        event.preventDefault();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), setUp);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
