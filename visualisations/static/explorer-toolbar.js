/* lscp-kg explorer: the toolbar and the search. Zoom, fit and reset; the layout (as drawn, vis-network's
 * hierarchical layout, or a live force-directed one that stops once stable); following hubs;
 * exports of the picture and of what is on screen; the link that reopens the picture. */
(function () {
  "use strict";

  function install(explorer) {
    var X = window.lscpExport, data = explorer.data, state = explorer.state, network = explorer.network;
    var nodes = explorer.nodes, container = explorer.container, positions = explorer.positions;
    var refresh = explorer.refresh, startingView = explorer.startingView, status = explorer.status;
    document.getElementById("zoom-in").addEventListener("click", function () { explorer.zoom(1.25); });
    document.getElementById("zoom-out").addEventListener("click", function () { explorer.zoom(0.8); });
    document.getElementById("fit").addEventListener("click", explorer.fit);
    var layoutChooser = document.getElementById("layout");
    explorer.layout = function (name) {
      state.layout = name === "computed" ? null : name;
      layoutChooser.value = name;
      if (name === "hierarchical") {
        network.setOptions({ physics: { enabled: false }, layout: { hierarchical: { enabled: true, direction: "DU",
          sortMethod: "directed", nodeSpacing: 230, levelSeparation: 180 } } });
      } else {
        network.setOptions({ layout: { hierarchical: { enabled: false } }, physics: { enabled: false } });
        nodes.update(Object.keys(positions).map(function (id) { return { id: id, x: positions[id].x, y: positions[id].y }; }));
        if (name === "force") {
          network.once("stabilized", function () { network.setOptions({ physics: { enabled: false } }); explorer.fit(); });
          network.setOptions({ physics: { enabled: true, solver: "forceAtlas2Based", stabilization: { iterations: 250, fit: true },
            forceAtlas2Based: { gravitationalConstant: -160, springLength: 200, avoidOverlap: 0.8 } } });
          network.stabilize(250);
        }
      }
      explorer.fit();
    };
    layoutChooser.addEventListener("change", function () { explorer.layout(layoutChooser.value); refresh(true); });
    var hubs = document.getElementById("follow-hubs");
    hubs.checked = state.hubs;
    hubs.addEventListener("change", function () {
      state.hubs = hubs.checked;
      refresh(true);
      if (data.view.name === "entity" && data.api.neighbours) window.location.reload();  // the neighbourhood itself changes
    });
    document.getElementById("reset").addEventListener("click", function () {
      Object.assign(state, { expand: [], hide: [], focus: null, focus_depth: 1, hide_kinds: state.default_hide_kinds.slice(),
                             hide_relations: [], layout: null });
      explorer.resetFilters();
      explorer.layout("computed");
      refresh(true);
      startingView();
    });
    X.install(explorer);  // the export buttons (explorer-export.js)
    document.getElementById("copy-link").addEventListener("click", function () {
      var url = window.location.href;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () { status("Link copied: it reopens this picture."); },
                                                function () { status("The address bar holds this picture's link."); });
      } else {
        status("The address bar holds this picture's link.");
      }
    });

    /* Find a shown node by name. A name two nodes share is offered with their partnerships beside it, and a
       name that still fits two is never picked silently. */
    function displayName(node, counts) {
      var parts = node.partnerships || [];
      return counts[node.full_label] > 1 && parts.length ? node.full_label + " (" + parts.join(", ") + ")" : node.full_label;
    }
    function nameCounts() {
      var counts = {};
      explorer.nodes.forEach(function (node) { counts[node.full_label] = (counts[node.full_label] || 0) + 1; });
      return counts;
    }
    var names = document.getElementById("node-names"), search = document.getElementById("search");
    search.addEventListener("focus", function () {  // the names' list, made when first wanted (not before the first frame)
      if (names.children.length) return;
      var counts = nameCounts(), seen = new Set(), options = document.createDocumentFragment();
      explorer.nodes.forEach(function (node) {
        var shown = displayName(node, counts);
        if (seen.has(shown)) return;
        seen.add(shown);
        var option = document.createElement("option");
        option.value = shown;
        options.appendChild(option);
      });
      names.appendChild(options);
    });
    var searchStatus = document.getElementById("search-status");
    document.getElementById("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var wanted = document.getElementById("search").value.trim().toLowerCase();
      if (!wanted) return;
      var counts = nameCounts(), found = null, bestRank = 4, tied = 0;
      explorer.nodeView.forEach(function (n) {  // exact name, then a name that starts so, then one that contains it; shortest first
        var shown = displayName(n, counts).toLowerCase(), name = n.full_label.toLowerCase(), at = name.indexOf(wanted);
        var rank = shown === wanted ? -1 : name === wanted ? 0 : at === 0 ? 1 : at > 0 ? 2 : 4;
        if (rank < bestRank || (rank === bestRank && rank < 4 && n.full_label.length < found.full_label.length)) {
          found = n;
          bestRank = rank;
          tied = 1;
        } else if (rank === bestRank && rank === 0) {
          tied += 1;
        }
      });
      if (!found) {
        searchStatus.textContent = "No shown node matches “" + wanted + "”.";
        delete container.dataset.selected;
        return;
      }
      if (bestRank === 0 && tied > 1) {
        searchStatus.textContent = tied + " shown nodes are called “" + found.full_label + "”: choose one from the list, "
          + "where each has its partnership beside it.";
        delete container.dataset.selected;
        return;
      }
      explorer.select(found.id);
      network.focus(found.id, { scale: Math.max(network.getScale(), 1.1), animation: false });
      searchStatus.textContent = "Found: " + displayName(found, counts);
    });
  }

  window.lscpToolbar = { install: install };
})();
