// Result tables (progressive enhancement: the server's table is complete without this script):
// a filter box and sortable columns (buttons in the headings, aria-sort) that order numbers by value ("seat 2"
// before "seat 10"). Copying an identifier is offered once per answer, in its technical details (copy-identifier).
(function () {
  "use strict";
  function cellKey(cell) {
    var text = cell.dataset.sort || cell.textContent.trim().toLowerCase();
    var number = Number(text);
    return {text: text, number: text !== "" && !isNaN(number) ? number : null};
  }

  function compare(a, b) {
    if (a.number !== null && b.number !== null) { return a.number - b.number; }
    return a.text.localeCompare(b.text, undefined, {numeric: true, sensitivity: "base"});
  }

  function enhance(table, index) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var wrap = table.closest(".table-wrap") || table;

    var tools = document.createElement("div");
    tools.className = "table-tools";
    var label = document.createElement("label");
    label.htmlFor = "table-filter-" + index;
    label.textContent = "Filter rows";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "table-filter-" + index;
    input.setAttribute("aria-describedby", "table-count-" + index);
    var count = document.createElement("span");
    count.id = "table-count-" + index;
    count.className = "muted";
    count.setAttribute("role", "status");
    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(count);
    wrap.parentNode.insertBefore(tools, wrap);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !match;
        if (match) { shown++; }
      });
      count.textContent = words.length ? shown + " of " + rows.length + " rows match" : "";
    });

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var order = compare(cellKey(a.cells[column]), cellKey(b.cells[column]));
          return ascending ? order : -order;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // "Copy" beside an identifier in the technical details: the text of the element it names.
  function offerCopy(button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copies).textContent.trim();
      navigator.clipboard.writeText(text).then(function () { button.textContent = "Copied"; },
                                               function () { button.textContent = "Copy failed"; });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.results[data-enhance]"), enhance);
  Array.prototype.forEach.call(document.querySelectorAll("button.copy-identifier[data-copies]"), offerCopy);
}());
