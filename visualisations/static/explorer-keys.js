/* lscp-kg explorer: the keyboard. With the picture focused, the arrow keys move the
 * selection to the nearest shown node in that direction; Enter or Space selects,
 * E expands (or collapses), H hides, F focuses; + and - zoom, 0 fits; Shift+arrows pan. */
(function () {
  "use strict";

  var DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

  /* The shown node nearest to `from` within 60 degrees either side of the direction. */
  function nearest(positions, from, direction) {
    var origin = positions[from], best = null, bestScore = Infinity;
    Object.keys(positions).forEach(function (id) {
      if (id === from) return;
      var dx = positions[id].x - origin.x, dy = positions[id].y - origin.y;
      var along = dx * direction[0] + dy * direction[1], across = Math.abs(dx * direction[1] - dy * direction[0]);
      if (along <= 0 || across > along * 1.8) return;
      var score = along + 2 * across;
      if (score < bestScore) { bestScore = score; best = id; }
    });
    return best;
  }

  /* The shown node closest to the centre of the drawing area (where a keyboard user starts). */
  function central(network, positions) {
    var centre = network.getViewPosition(), best = null, bestDistance = Infinity;
    Object.keys(positions).forEach(function (id) {
      var d = Math.pow(positions[id].x - centre.x, 2) + Math.pow(positions[id].y - centre.y, 2);
      if (d < bestDistance) { bestDistance = d; best = id; }
    });
    return best;
  }

  function install(container, explorer) {
    container.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var network = explorer.network, key = event.key, selected = explorer.selectedNode();
      var positions = network.getPositions(explorer.nodeView.getIds());
      if (DIRECTIONS[key] && event.shiftKey) {
        var view = network.getViewPosition(), step = 80 / network.getScale();
        network.moveTo({ position: { x: view.x + DIRECTIONS[key][0] * step, y: view.y + DIRECTIONS[key][1] * step } });
      } else if (DIRECTIONS[key]) {
        var target = selected && positions[selected] ? nearest(positions, selected, DIRECTIONS[key]) : central(network, positions);
        if (target) explorer.select(target, { keyboard: true });
      } else if ((key === "Enter" || key === " ") && !selected) {
        var start = central(network, positions);
        if (start) explorer.select(start, { keyboard: true });
      } else if (key === "Enter" || key === " ") {
        explorer.select(selected, { keyboard: true });
      } else if ((key === "e" || key === "E") && selected) {
        explorer.toggleExpand(selected);
      } else if ((key === "h" || key === "H") && selected) {
        explorer.hide(selected);
      } else if ((key === "f" || key === "F") && selected) {
        explorer.focusOn(selected, explorer.focusDepth());
      } else if (key === "+" || key === "=") {
        explorer.zoom(1.25);
      } else if (key === "-") {
        explorer.zoom(0.8);
      } else if (key === "0") {
        explorer.fit();
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  window.lscpKeys = { install: install, nearest: nearest };
})();
