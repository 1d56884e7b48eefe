/* lscp-kg explorer: the legend, doubling as the filters. A ticked kind of node or relation is drawn;
 * unticking one hides it and writes it to the URL (state.hide_kinds, state.hide_relations). A kind
 * first met in an expansion gets its row then. */
(function () {
  "use strict";

  function install(legend, state, hiddenKinds, hiddenRelations, refresh, styled) {
    var P = window.lscpPanel, kinds = document.getElementById("node-types"), relations = document.getElementById("edge-types");
    var labels = {};

    function entry(fieldset, label, count, symbol, colour, hidden, key, stateKey) {
      var row = P.element("label", null, "legend-row"), box = P.element("input");
      box.type = "checkbox";
      box.checked = !hidden.has(key);
      box.dataset.key = key;
      box.addEventListener("change", function () {
        if (box.checked) hidden.delete(key); else hidden.add(key);
        state[stateKey] = Array.from(hidden);
        refresh(true);
      });
      row.appendChild(box);
      var swatch = P.element("span", colour ? null : symbol, "swatch" + (colour ? " shape-" + symbol : ""));
      swatch.setAttribute("aria-hidden", "true");
      if (colour) swatch.style.backgroundColor = colour;  // a shape, not a character: nothing to read
      row.appendChild(swatch);
      row.appendChild(P.element("span", label + (count === null ? "" : " (" + count + ")")));
      fieldset.appendChild(row);
    }

    legend.nodes.forEach(function (kind) {
      labels[kind.type] = kind.label;
      entry(kinds, kind.label, kind.count, kind.shape, kind.color, hiddenKinds, kind.type, "hide_kinds");
    });
    legend.edges.forEach(function (relation) {
      entry(relations, relation.label, relation.count, "→", null, hiddenRelations, relation.relation, "hide_relations");
    });

    return {
      labels: labels,
      /* A kind of node the view had none of, brought by an expansion. */
      addKind: function (node) {
        if (labels[node.type]) return;
        labels[node.type] = node.type_label;
        var style = styled(node);
        entry(kinds, node.type_label, null, style.shape, style.color.background, hiddenKinds, node.type, "hide_kinds");
      },
      /* The boxes as the hidden kinds now are (after an expansion or a reset). */
      tick: function () {
        kinds.querySelectorAll("input").forEach(function (b) { b.checked = !hiddenKinds.has(b.dataset.key); });
      }
    };
  }

  window.lscpLegend = { install: install };
})();
