/* lscp-kg explorer: labels readable at every zoom. vis-network draws a label only when it is at least
 * drawThreshold px on screen, so zoomed out (after Fit) it would draw none. The labels that matter most
 * keep a readable size on screen: every label when few nodes are shown; otherwise the selected node, the
 * highlighted entities, then the bodies and the partnership, at most MAX_KEPT of them (what an expansion
 * brought is highlighted instead: thirty new labels at once would cover each other). The other labels
 * are not drawn while the picture is zoomed out, where they would cover each other, and appear as one
 * zooms in. */
(function () {
  "use strict";

  var MAX_KEPT = 40, ALL_WHEN = 30, READABLE = 14;  // labels kept; "few nodes"; px on screen
  var CROWDED_BELOW = 1.25;  // zoom under which, with many nodes, only the kept labels are drawn

  /* The order in which labels are kept: lower first; 9: not kept when many nodes are shown. */
  function rank(node, selected) {
    if (node.id === selected) return 0;
    if (node.marks.indexOf("highlighted") >= 0) return 1;
    if (node.importance === "important" || node.type === "body" || node.type === "subgroup" ||
        node.type === "partnership") return 3;
    return 9;
  }

  /* The ids whose labels are kept readable, of the shown ``ids``. */
  function kept(ids, nodesById, selected) {
    if (ids.length <= ALL_WHEN) return new Set(ids);
    var ranked = ids.map(function (id) { return [rank(nodesById.get(id), selected), id]; })
      .filter(function (r) { return r[0] < 9; })
      .sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : 1); });
    return new Set(ranked.slice(0, MAX_KEPT).map(function (r) { return r[1]; }));
  }

  function install(explorer, nodesById) {
    var network = explorer.network, nodes = explorer.nodes, options = explorer.data.options;
    var width = options.nodes.widthConstraint.maximum, enlarged = new Map(), lastScale = null;
    explorer.fresh = new Set();  // what the last expansion brought (explorer.js)

    function baseSize(node) {
      var group = options.groups[node.group];
      return (node.font && node.font.size) || (group && group.font && group.font.size) || options.nodes.font.size;
    }
    function sized(id, size, base) {  // size 0: a label vis-network does not draw
      return { id: id, font: { size: size }, widthConstraint: { maximum: size ? width * size / base : width } };
    }

    explorer.updateLabels = function () {
      var scale = network.getScale(), ids = explorer.nodeView.getIds(), shownIds = new Set(ids), changes = [];
      var keep = kept(ids, nodesById, explorer.selectedNode());
      lastScale = scale;
      var crowded = ids.length > ALL_WHEN && scale < CROWDED_BELOW;
      ids.forEach(function (id) {
        var base = baseSize(nodesById.get(id)), had = enlarged.has(id) ? enlarged.get(id) : null;
        var want = keep.has(id) ? (base * scale < READABLE ? READABLE / scale : null) : (crowded ? 0 : null);
        if (want === had || (want && had && Math.abs(want - had) / had < 0.02)) return;
        if (want === null) enlarged.delete(id); else enlarged.set(id, want);
        changes.push(sized(id, want === null ? base : want, base));
      });
      enlarged.forEach(function (size, id) {  // no longer shown: back to its own size
        if (shownIds.has(id)) return;
        enlarged.delete(id);
        if (nodes.get(id)) changes.push(sized(id, baseSize(nodesById.get(id)), baseSize(nodesById.get(id))));
      });
      if (changes.length) nodes.update(changes);
    };
    network.on("afterDrawing", function () {  // a zoom, a fit or an animation changed the scale
      if (lastScale === null || Math.abs(network.getScale() - lastScale) / lastScale > 0.02) explorer.updateLabels();
    });

    /* The labels vis-network draws now (its own test of a label's size on screen), for people and tests. */
    explorer.drawnLabels = function () {
      return explorer.nodeView.getIds().filter(function (id) {
        var drawn = network.body.nodes[id];
        return drawn && drawn.labelModule.visible();
      }).map(function (id) { return nodesById.get(id).label; });
    };
  }

  window.lscpLabels = { install: install, kept: kept };
})();
