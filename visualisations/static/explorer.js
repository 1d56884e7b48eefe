/* lscp-kg network explorer: draws the view's JSON with vis-network.
 * Every label and quote goes into the page as text (textContent, never
 * innerHTML), tooltips included, so data can never become markup or script. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var container = document.getElementById("network");
  var started = performance.now();

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function nodeTooltip(node) {
    var box = element("div", null, "tip");
    box.appendChild(element("strong", node.full_label));
    box.appendChild(element("div", node.type_label + (node.role ? " · " + node.role : "") +
      (node.group_label ? " · " + node.group_label : ""), "tip-kind"));
    if (node.dead_end) box.appendChild(element("div", "Accountability stops here: not a lead representative.", "tip-warning"));
    if (node.quote) box.appendChild(element("blockquote", node.quote));
    return box;
  }

  function edgeTooltip(edge) {
    var box = element("div", null, "tip");
    box.appendChild(element("strong", edge.label));
    box.appendChild(element("div", edge.relation, "tip-kind"));
    if (edge.quote) box.appendChild(element("blockquote", edge.quote));
    return box;
  }

  var hiddenNodeTypes = new Set();
  var hiddenRelations = new Set();
  var nodes = new vis.DataSet(data.nodes.map(function (node) {
    return Object.assign({}, node, { title: nodeTooltip(node) });
  }));
  var edges = new vis.DataSet(data.edges.map(function (edge) {
    return Object.assign({}, edge, { title: edgeTooltip(edge) });
  }));
  var nodeView = new vis.DataView(nodes, { filter: function (node) { return !hiddenNodeTypes.has(node.type); } });
  var edgeView = new vis.DataView(edges, { filter: function (edge) { return !hiddenRelations.has(edge.relation); } });
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  network.fit({ animation: false });

  var explorer = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
                   firstRenderMs: null };
  window.lscpExplorer = explorer;

  network.once("afterDrawing", function () {
    network.fit({ animation: false });  // again, now that the page around the picture has its final size
    explorer.firstRenderMs = performance.now() - started;  // from this script's start
    explorer.renderedAt = performance.now();                 // from the start of navigation
    container.dataset.state = "rendered";
    container.dataset.nodeCount = String(nodeView.length);
  });

  /* Details of a node beside the picture. */
  var details = document.getElementById("details");
  function showDetails(node) {
    details.replaceChildren();
    details.appendChild(element("h2", node.full_label));
    details.appendChild(element("p", node.type_label + (node.role ? " · " + node.role : ""), "kind"));
    details.appendChild(element("p", node.id, "iri"));
    if (node.quote) details.appendChild(element("blockquote", node.quote));
    if (node.href) {
      var link = element("a", "Open its page");
      link.href = node.href;
      details.appendChild(link);
    }
  }

  network.on("click", function (params) {
    if (!params.nodes.length) return;
    var node = nodes.get(params.nodes[0]);
    showDetails(node);
    if (node.href) window.location.assign(node.href);
  });

  /* Legend, doubling as the filters. */
  function legendEntry(fieldset, label, count, symbol, colour, hidden, key) {
    var row = element("label", null, "legend-row");
    var box = element("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.key = key;
    box.addEventListener("change", function () {
      if (box.checked) hidden.delete(key); else hidden.add(key);
      nodeView.refresh();
      edgeView.refresh();
      container.dataset.nodeCount = String(nodeView.length);
    });
    row.appendChild(box);
    var swatch = element("span", symbol, "swatch");
    if (colour) swatch.style.color = colour;
    row.appendChild(swatch);
    row.appendChild(element("span", label + " (" + count + ")"));
    fieldset.appendChild(row);
  }
  var SYMBOLS = { dot: "●", square: "■", diamond: "◆", triangle: "▲", triangleDown: "▼", star: "★", hexagon: "⬢" };
  var nodeTypes = document.getElementById("node-types");
  data.legend.nodes.forEach(function (entry) {
    legendEntry(nodeTypes, entry.label, entry.count, SYMBOLS[entry.shape] || "●", entry.color, hiddenNodeTypes, entry.type);
  });
  var edgeTypes = document.getElementById("edge-types");
  data.legend.edges.forEach(function (entry) {
    legendEntry(edgeTypes, entry.label, entry.count, "→", null, hiddenRelations, entry.relation);
  });

  /* Search by name. */
  var names = document.getElementById("node-names");
  var seen = new Set();
  data.nodes.forEach(function (node) {
    if (seen.has(node.full_label)) return;
    seen.add(node.full_label);
    var option = document.createElement("option");
    option.value = node.full_label;
    names.appendChild(option);
  });
  var status = document.getElementById("search-status");
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = document.getElementById("search").value.trim().toLowerCase();
    if (!wanted) return;
    var found = null, bestRank = 4;
    nodeView.forEach(function (n) {  // exact name, then a name that starts so, then one that contains it; shortest first
      var name = n.full_label.toLowerCase(), at = name.indexOf(wanted);
      var rank = name === wanted ? 0 : at === 0 ? 1 : at > 0 ? 2 : 4;
      if (rank < bestRank || (rank === bestRank && rank < 4 && n.full_label.length < found.full_label.length)) {
        found = n;
        bestRank = rank;
      }
    });
    if (!found) {
      status.textContent = "No shown node matches “" + wanted + "”.";
      delete container.dataset.selected;
      return;
    }
    network.selectNodes([found.id]);
    network.focus(found.id, { scale: 1.2, animation: false });
    container.dataset.selected = found.id;
    status.textContent = "Found: " + found.full_label;
    showDetails(found);
  });
})();
