/* lscp-kg explorer: pick a node by name. Each <select class="node-picker"> (every node of
 * the network, grouped by kind: it works without JavaScript) becomes an ARIA 1.2 combobox:
 * type part of a name, move through the matches with the arrow keys, Enter or a click
 * chooses; the select keeps the chosen IRI, so the form submits as before. A name that is
 * not unique is listed with its partnerships beside it (the server's option text); a name
 * typed that fits several is never picked silently: the list shows them all. */
(function () {
  "use strict";

  var MAX_SHOWN = 40;

  // A name without the partnerships shown beside a name that is not unique: "Operational team (Northshire)".
  function withoutOwner(label) { return label.replace(/\s*\([^()]*\)$/, ""); }

  function enhance(select, number) {
    var options = [];
    Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
      if (!option.value) return;
      options.push({ iri: option.value, label: option.textContent, kind: option.parentNode.label || "" });
    });
    var label = document.querySelector('label[for="' + select.id + '"]');
    var input = document.createElement("input");
    var list = document.createElement("ul");
    input.id = select.id + "-name";
    input.type = "text";
    input.className = "picker-input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-list");
    list.id = select.id + "-list";
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    if (label) { label.htmlFor = input.id; list.setAttribute("aria-labelledby", label.id || (label.id = select.id + "-label")); }
    var chosen = select.selectedOptions[0];
    if (chosen && chosen.value) input.value = chosen.textContent;
    var wrapper = document.createElement("span");
    wrapper.className = "picker";
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(select);
    select.hidden = true;
    select.tabIndex = -1;
    select.required = false;  // the combobox checks the choice (a hidden control cannot show the message)
    var matches = [], active = -1;

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function choose(match) {
      select.value = match.iri;
      input.value = match.label;
      input.setCustomValidity("");
      close();
    }
    function mark(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) { item.setAttribute("aria-selected", String(i === index)); });
      if (index >= 0 && list.children[index]) {
        input.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      }
    }
    function open(only) {
      var wanted = input.value.trim().toLowerCase();
      matches = Array.isArray(only) ? only.slice()
        : options.filter(function (o) { return !wanted || o.label.toLowerCase().indexOf(wanted) >= 0; });
      matches.sort(function (a, b) {
        var x = a.label.toLowerCase().indexOf(wanted) === 0 ? 0 : 1, y = b.label.toLowerCase().indexOf(wanted) === 0 ? 0 : 1;
        return x - y || a.label.length - b.label.length;
      });
      matches = matches.slice(0, MAX_SHOWN);
      list.replaceChildren();
      matches.forEach(function (match, i) {
        var item = document.createElement("li");
        item.id = select.id + "-option-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = match.label;
        var kind = document.createElement("span");
        kind.className = "picker-kind";
        kind.textContent = " · " + match.kind;
        item.appendChild(kind);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(match); });
        list.appendChild(item);
      });
      list.hidden = matches.length === 0;
      input.setAttribute("aria-expanded", String(!list.hidden));
      mark(-1);
    }
    input.addEventListener("input", function () { select.value = ""; input.setCustomValidity(""); open(); });
    input.addEventListener("focus", function () { open(); });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { if (list.hidden) open(); mark(Math.min(active + 1, matches.length - 1)); }
      else if (event.key === "ArrowUp") mark(Math.max(active - 1, 0));
      else if (event.key === "Enter" && !list.hidden && active >= 0) choose(matches[active]);
      else if (event.key === "Enter" && !list.hidden && matches.length === 1) choose(matches[0]);
      else if (event.key === "Escape") close();
      else return;
      event.preventDefault();
    });
    if (select.form) {
      select.form.addEventListener("submit", function (event) {
        if (!select.value) {
          var typed = input.value.trim().toLowerCase();
          var exact = options.filter(function (o) { return o.label.toLowerCase() === typed; });
          if (!exact.length) {  // "Operational team" names each "Operational team (Northshire)" shown with its partnership
            exact = options.filter(function (o) { return withoutOwner(o.label).toLowerCase() === typed; });
          }
          if (exact.length === 1) { select.value = exact[0].iri; return; }
          event.preventDefault();
          if (exact.length > 1) {  // never a silent pick: list them all, each with its partnership
            input.setCustomValidity(exact.length + " have this name: choose one from the list.");
            input.reportValidity();
            open(exact);
            return;
          }
          input.setCustomValidity("Choose a name from the list.");
          input.reportValidity();
        }
      });
    }
    return number;
  }

  Array.prototype.forEach.call(document.querySelectorAll("select.node-picker"), enhance);
})();
