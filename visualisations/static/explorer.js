/* lscp-kg network explorer: draws the view's JSON with vis-network and wires the controls.
 * A click selects (details beside the picture), a double-click expands; the panel hides and
 * focuses; the legend filters; the toolbar zooms, lays out and exports. Every change is
 * written to the URL (explorer-state.js), so a link reopens the same picture. */
(function () {
  "use strict";

  var S = window.lscpState, P = window.lscpPanel;
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var container = document.getElementById("network");
  var details = document.getElementById("details");
  var started = performance.now();

  /* Fields the page leaves out when empty (network_data.OMITTED_WHEN), put back. */
  function complete(n) {
    if (n.full_label === undefined) n.full_label = n.label;
    ["role", "group_label"].forEach(function (k) { if (n[k] === undefined) n[k] = ""; });
    if (!n.partnerships) n.partnerships = [];
    if (!n.marks) n.marks = [];
    if (n.href === undefined) n.href = null;
    n.hub = !!n.hub;
    if (n.base === undefined) n.base = true;
    return n;
  }
  data.nodes.forEach(complete);
  if (data.universe) data.universe.nodes.forEach(complete);
  function withId(edge) { edge.id = edge.from + "|" + edge.relation + "|" + edge.to; return edge; }
  data.edges.forEach(withId);
  if (data.universe) data.universe.edges.forEach(withId);
  var marks = {};
  (data.marks || []).forEach(function (m) { marks[m.mark] = m; });
  var nodesById = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  var universe = data.universe ? new Map(data.universe.nodes.map(function (n) { return [n.id, n]; })) : null;
  var base = data.nodes.filter(function (n) { return n.base; }).map(function (n) { return n.id; });
  var brought = Object.assign({}, data.brought);
  var next = S.adjacency(data.edges);
  var positions = {};
  data.nodes.forEach(function (n) { positions[n.id] = { x: n.x, y: n.y }; });
  var state = S.fromUrl(window.location.search, data.state);
  var shown = new Set(), hiddenKinds = new Set(state.hide_kinds), hiddenRelations = new Set(state.hide_relations);

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  function drawn(id) { return shown.has(id) && !hiddenKinds.has(nodesById.get(id).type); }
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return drawn(n.id); } });
  // only edges between drawn nodes: vis-network would build (and keep) an object for every other edge too
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hiddenRelations.has(e.relation) && drawn(e.from) && drawn(e.to); } });
  document.querySelector(".toolbar").hidden = false;
  shown = S.visible(nodesById, next, base, brought, state);  // before drawing: the network starts with its nodes
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var explorer = window.lscpExplorer = { network: network, nodes: nodes, edges: edges, nodeView: nodeView,
                                         edgeView: edgeView, state: state, firstRenderMs: null, lastExport: null };

  /* A node with its kind's style filled in (vis-network reads it from the group). */
  function styled(n) {
    var g = data.options.groups[n.group] || {};
    return Object.assign({}, g, n, { color: n.color || g.color, font: n.font || g.font, size: n.size || g.size });
  }
  explorer.styled = styled;
  function status(text) { document.getElementById("toolbar-status").textContent = text; }
  function shownIds() { return nodeView.getIds(); }

  /* ---- the picture for the state ------------------------------------------------------ */
  function refresh(changed) {
    shown = S.visible(nodesById, next, base, brought, state);
    nodeView.refresh();
    edgeView.refresh();
    var ids = new Set(shownIds());
    document.getElementById("counts").textContent = ids.size + " nodes, " + edgeView.length + " edges shown.";
    container.dataset.nodeCount = String(ids.size);
    container.setAttribute("aria-label", data.view.title + ": network of " + ids.size + " nodes");
    var unhide = document.getElementById("unhide");
    unhide.hidden = !state.hide.length;
    unhide.textContent = "Show the " + state.hide.length + " hidden node" + (state.hide.length === 1 ? "" : "s");
    if (explorer.updateLabels) explorer.updateLabels();
    if (changed) {
      var query = S.toQuery(window.location.search, state);
      window.history.replaceState(null, "", window.location.pathname + query + window.location.hash);
      var stale = document.getElementById("text-stale");
      stale.hidden = false;
      var again = document.getElementById("text-refresh");
      if (data.api.neighbours) again.href = window.location.href; else again.remove();
    }
  }

  /* The whole picture; explorer-labels.js keeps the labels that matter readable at that zoom. */
  function startingView() {
    network.fit({ nodes: shownIds(), animation: false });
    explorer.updateLabels();
  }
  explorer.fit = function () { network.fit({ nodes: shownIds(), animation: false }); explorer.updateLabels(); };
  explorer.zoom = function (factor) { network.moveTo({ scale: network.getScale() * factor, animation: false }); };

  /* ---- select, expand, hide, focus ------------------------------------------------------ */
  var selected = null;
  explorer.selectedNode = function () { return selected && shown.has(selected) ? selected : null; };
  explorer.focusDepth = function () {
    var chooser = document.getElementById("focus-depth");
    return chooser ? parseInt(chooser.value, 10) : state.focus_depth;
  };
  explorer.select = function (id, how) {
    var node = nodesById.get(id);
    if (!node) return;
    selected = id;
    if (shown.has(id) && nodeView.get(id)) network.selectNodes([id]);
    container.dataset.selected = id;
    P.showNode(details, node, marks, { expanded: state.expand.indexOf(id) >= 0, depth: state.focus_depth,
                                       focused: !!state.focus });
    P.openDetails(!(how && how.keyboard));
    explorer.updateLabels();
    if (how && how.keyboard) {
      var p = network.canvasToDOM(network.getPosition(id));
      if (p.x < 0 || p.y < 0 || p.x > container.clientWidth || p.y > container.clientHeight) {
        network.moveTo({ position: network.getPosition(id), animation: false });
      }
    }
  };

  function neighboursOf(id) {
    if (data.api.neighbours) {
      return fetch(data.api.neighbours + (data.api.neighbours.indexOf("?") < 0 ? "?" : "&") + "iri=" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error("the service answered " + r.status); return r.json(); });
    }
    var pool = data.universe ? data.universe.edges : edges.get();
    var incident = pool.filter(function (e) { return (e.from === id || e.to === id) && e.from !== e.to; });
    var ids = new Set(incident.map(function (e) { return e.from === id ? e.to : e.from; }));
    return Promise.resolve({ neighbours: Array.from(ids).sort(), edges: incident,
      nodes: Array.from(ids).map(function (n) { return nodesById.get(n) || (universe && universe.get(n)); }).filter(Boolean) });
  }

  function integrate(id, answer) {
    var fresh = answer.nodes.map(complete).filter(function (n) { return !nodesById.has(n.id); }).sort(function (a, b) {
      var x = a.full_label.toLowerCase(), y = b.full_label.toLowerCase();
      return x < y ? -1 : x > y ? 1 : (a.id < b.id ? -1 : 1);
    });
    var centre = network.getPosition(id);
    S.ring(centre, fresh.length).forEach(function (p, i) {
      var node = Object.assign({}, fresh[i], { x: p.x, y: p.y, base: false });
      nodesById.set(node.id, node);
      positions[node.id] = p;
      addLegendKind(node);
      nodes.add(node);
    });
    var added = answer.edges.map(withId).filter(function (e) { return !edges.get(e.id); });
    edges.add(added);
    added.forEach(function (e) {
      [[e.from, e.to], [e.to, e.from]].forEach(function (pair) {
        if (!next.has(pair[0])) next.set(pair[0], new Set());
        next.get(pair[0]).add(pair[1]);
      });
    });
    brought[id] = answer.neighbours;
  }

  /* Expanding shows what it brought: their kinds ticked in the legend, the new nodes highlighted and
   * in view, and a count by kind in the status. */
  explorer.expand = function (id) {
    var before = new Set(shownIds());
    var ready = brought[id] ? Promise.resolve() : neighboursOf(id).then(function (answer) { integrate(id, answer); });
    return ready.then(function () {
      if (state.expand.indexOf(id) < 0) state.expand.push(id);
      var ticked = S.kindsToShow(brought[id].map(function (n) { return nodesById.get(n); }), hiddenKinds, state.hide);
      ticked.forEach(function (kind) { hiddenKinds.delete(kind); });
      if (ticked.length) {
        state.hide_kinds = Array.from(hiddenKinds);
        tickLegend();
      }
      refresh(true);
      var added = shownIds().filter(function (n) { return !before.has(n); });
      var around = new Set(brought[id]), mine = added.filter(function (n) { return around.has(n); });
      markFresh(mine);
      explorer.lastExpansion = { node: id, added: added, neighbours: mine, kinds: ticked };
      status(S.expansionSummary(nodesById.get(id).full_label, mine.map(function (n) { return nodesById.get(n); }),
                                brought[id].length, added.length - mine.length,
                                ticked.map(function (k) { return kindLabels[k] || k; })));
      if (mine.length) { network.fit({ nodes: [id].concat(mine), animation: false }); explorer.updateLabels(); }
      if (selected === id) explorer.select(id);
    }).catch(function (error) { status("Could not expand: " + error.message); });
  };
  var HIGHLIGHT = { enabled: true, color: "rgba(255, 191, 71, 0.95)", size: 16, x: 0, y: 0 };
  function markFresh(ids) {
    var undo = Array.from(explorer.fresh).filter(function (n) { return nodes.get(n); }).map(function (n) {
      return { id: n, shadow: nodesById.get(n).shadow || { enabled: false }, borderWidth: nodesById.get(n).borderWidth || 1 };
    });
    explorer.fresh = new Set(ids);
    nodes.update(undo.concat(ids.map(function (n) { return { id: n, shadow: HIGHLIGHT, borderWidth: 3 }; })));
    explorer.updateLabels();
  }
  explorer.toggleExpand = function (id) {
    if (state.expand.indexOf(id) < 0) return explorer.expand(id);
    state.expand = state.expand.filter(function (n) { return n !== id; });
    refresh(true);
    explorer.select(id);
    return Promise.resolve();
  };
  explorer.hide = function (id) {
    if (state.hide.indexOf(id) < 0) state.hide.push(id);
    if (selected === id) { selected = null; network.unselectAll(); delete container.dataset.selected; }
    refresh(true);
    status("Hidden: " + nodesById.get(id).full_label + ".");
  };
  explorer.focusOn = function (id, depth) {
    state.focus = id;
    state.focus_depth = depth || 1;
    refresh(true);
    explorer.fit();
    explorer.select(id);
    status("Focused on " + nodesById.get(id).full_label + " to depth " + state.focus_depth + ".");
  };
  document.getElementById("unhide").addEventListener("click", function () { state.hide = []; refresh(true); });
  var showAll = document.getElementById("show-all");  // a bounded view: expand its entities here, keeping the picture
  if (showAll) showAll.addEventListener("click", function (event) {
    var ids = new URL(showAll.href).searchParams.getAll("expand").filter(function (id) { return state.expand.indexOf(id) < 0; });
    event.preventDefault();
    showAll.parentNode.hidden = true;
    ids.reduce(function (chain, id) { return chain.then(function () { return explorer.expand(id); }); }, Promise.resolve());
  });
  explorer.unfocus = function () { state.focus = null; state.focus_depth = 1; refresh(true); explorer.fit(); };

  details.addEventListener("click", function (event) {
    var action = event.target.dataset && event.target.dataset.action, id = details.dataset.selected;
    if (!action || !id) return;
    if (action === "expand" || action === "collapse") explorer.toggleExpand(id);
    if (action === "hide") explorer.hide(id);
    if (action === "focus") explorer.focusOn(id, explorer.focusDepth());
    if (action === "unfocus") explorer.unfocus();
  });

  explorer.clearSelection = function () {
    selected = null;
    network.unselectAll();
    delete container.dataset.selected;
    P.clearDetails(details);
    explorer.updateLabels();
  };
  network.on("click", function (params) {
    if (params.nodes.length) explorer.select(params.nodes[0]);
    else if (params.edges.length) { P.showEdge(details, edges.get(params.edges[0]), nodesById); P.openDetails(true); }
    else if (selected) explorer.clearSelection();
  });
  container.addEventListener("keydown", function (event) {  // Escape: nothing selected any more
    if (event.key === "Escape" && selected) { explorer.clearSelection(); event.preventDefault(); }
  });
  network.on("doubleClick", function (params) { if (params.nodes.length) explorer.toggleExpand(params.nodes[0]); });

  P.installTooltips(network, container, nodesById, edges, marks);

  /* ---- legend, doubling as the filters (explorer-legend.js) ---------------------------------------- */
  var legend = window.lscpLegend.install(data.legend, state, hiddenKinds, hiddenRelations, refresh, styled);
  function addLegendKind(node) { legend.addKind(node); }
  function tickLegend() { legend.tick(); }
  var kindLabels = legend.labels;

  /* ---- the toolbar (explorer-toolbar.js) and the keyboard (explorer-keys.js) ---------------------------- */
  explorer.resetFilters = function () {
    hiddenKinds.clear();
    state.default_hide_kinds.forEach(function (k) { hiddenKinds.add(k); });
    hiddenRelations.clear();
    tickLegend();
    markFresh([]);
    document.querySelectorAll("#edge-types input").forEach(function (b) { b.checked = true; });
  };
  explorer.onScreen = function () {
    var list = nodeView.get(), ids = new Set(list.map(function (n) { return n.id; }));
    var full = list.map(function (n) { return Object.assign(styled(nodesById.get(n.id)), { x: n.x, y: n.y }); });
    return { nodes: full, edges: edgeView.get().filter(function (e) { return ids.has(e.from) && ids.has(e.to); }) };
  };
  Object.assign(explorer, { data: data, container: container, positions: positions, refresh: refresh,
                            startingView: startingView, status: status });
  window.lscpLabels.install(explorer, nodesById);
  window.lscpToolbar.install(explorer);
  P.installSheet(details, container);
  window.lscpKeys.install(container, explorer);
  if (P.narrow()) {
    document.getElementById("controls-panel").open = false;
    document.getElementById("details-panel").open = false;
  }
  document.getElementById("text-details").open = false;

  /* ---- first frame ------------------------------------------------------ */
  refresh(false);
  state.expand.filter(function (id) { return !brought[id]; }).reduce(function (chain, id) {  // a file: expand from its copy
    return chain.then(function () { return nodesById.has(id) ? explorer.expand(id) : null; });
  }, Promise.resolve());
  if (state.layout) explorer.layout(state.layout);
  startingView();
  network.once("afterDrawing", function () {
    explorer.firstRenderMs = performance.now() - started;  // from this script's start
    explorer.renderedAt = performance.now();                 // from the start of navigation
    startingView();  // again, now that the page around the picture has its final size
    container.dataset.state = "rendered";
  });
})();
