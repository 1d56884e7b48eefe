/* lscp-kg explorer: the view's state (what is expanded, hidden, focused, filtered) and the
 * picture it gives, by the same rules as visualisations/view_state.py on the server:
 * the view's nodes plus each expanded node's neighbours; without the hidden nodes; with a
 * focus, only what lies within its depth (hubs shown but not followed), plus what the
 * expanded nodes that are kept brought. The state lives in the URL's query string. */
(function () {
  "use strict";

  var LIST_KEYS = ["expand", "hide"];
  var STATE_KEYS = ["expand", "hide", "focus", "focus_depth", "hubs", "hide_kinds", "hide_relations", "layout"];

  function adjacency(edges) {
    var next = new Map();
    function link(a, b) {
      if (a === b) return;
      if (!next.has(a)) next.set(a, new Set());
      next.get(a).add(b);
    }
    edges.forEach(function (edge) { link(edge.from, edge.to); link(edge.to, edge.from); });
    return next;
  }

  /* Every node within depth steps of a start; a hub (other than a start) ends a walk. */
  function around(nodesById, next, starts, depth, followHubs, within) {
    var seen = new Set(), frontier = [];
    starts.forEach(function (s) { if (nodesById.has(s) && (!within || within.has(s))) { seen.add(s); frontier.push(s); } });
    for (var step = 0; step < depth; step++) {
      var following = [];
      frontier.forEach(function (node) {
        if (!followHubs && nodesById.get(node).hub && starts.indexOf(node) < 0) return;
        (next.get(node) || new Set()).forEach(function (other) {
          if (!seen.has(other) && (!within || within.has(other))) { seen.add(other); following.push(other); }
        });
      });
      frontier = following;
    }
    return seen;
  }

  /* The ids the picture shows: base nodes, expansions in order, minus hidden, then the focus. */
  function visible(nodesById, next, base, brought, state) {
    var loaded = new Set(base);
    state.expand.forEach(function (node) {
      if (loaded.has(node) && brought[node]) brought[node].forEach(function (n) { loaded.add(n); });
    });
    var present = new Set();
    loaded.forEach(function (n) { if (state.hide.indexOf(n) < 0 && nodesById.has(n)) present.add(n); });
    if (!state.focus || !present.has(state.focus)) return present;
    var kept = around(nodesById, next, [state.focus], state.focus_depth, state.hubs, present);
    state.expand.forEach(function (node) {
      if (kept.has(node) && brought[node]) brought[node].forEach(function (n) { if (present.has(n)) kept.add(n); });
    });
    return kept;
  }

  /* Positions for new nodes around an expanded one (the same ring as neighbourhood.ring). */
  function ring(centre, count) {
    var radius = 150 + 10 * count, out = [];
    for (var i = 0; i < count; i++) {
      out.push({ x: Math.round((centre.x + radius * Math.cos(2 * Math.PI * i / count)) * 10) / 10,
                 y: Math.round((centre.y + radius * Math.sin(2 * Math.PI * i / count)) * 10) / 10 });
    }
    return out;
  }

  function fromUrl(search, serverState) {
    var params = new URLSearchParams(search);
    var state = Object.assign({}, serverState);
    LIST_KEYS.forEach(function (key) { if (params.has(key)) state[key] = params.getAll(key).filter(Boolean); });
    if (params.has("focus")) state.focus = params.get("focus") || null;
    if (params.has("focus_depth")) state.focus_depth = Math.max(1, Math.min(5, parseInt(params.get("focus_depth"), 10) || 1));
    if (params.has("hubs")) state.hubs = ["1", "true", "yes"].indexOf(params.get("hubs")) >= 0;
    if (params.has("hide_kinds")) state.hide_kinds = params.getAll("hide_kinds").filter(Boolean);
    if (params.has("hide_relations")) state.hide_relations = params.getAll("hide_relations").filter(Boolean);
    if (params.has("layout")) state.layout = params.get("layout") || null;
    return state;
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; });
  }

  /* The query string of the view's own parameters followed by its state (as ViewState.query writes it). */
  function toQuery(search, state) {
    var params = new URLSearchParams(search), out = new URLSearchParams();
    params.forEach(function (value, key) { if (STATE_KEYS.indexOf(key) < 0) out.append(key, value); });
    state.expand.forEach(function (n) { out.append("expand", n); });
    state.hide.forEach(function (n) { out.append("hide", n); });
    if (state.focus) out.append("focus", state.focus);
    if (state.focus && state.focus_depth !== 1) out.append("focus_depth", String(state.focus_depth));
    if (state.hubs) out.append("hubs", "1");
    if (!sameSet(state.hide_kinds, state.default_hide_kinds)) {
      if (state.hide_kinds.length) state.hide_kinds.forEach(function (k) { out.append("hide_kinds", k); });
      else out.append("hide_kinds", "");
    }
    state.hide_relations.forEach(function (r) { out.append("hide_relations", r); });
    if (state.layout) out.append("layout", state.layout);
    var text = out.toString();
    return text ? "?" + text : "";
  }

  /* The kinds an expansion switches on in the legend: those of the nodes it brought that are not
   * hidden one by one (so that expanding never looks as if it did nothing). */
  function kindsToShow(broughtNodes, hiddenKinds, hiddenNodes) {
    var kinds = [];
    broughtNodes.forEach(function (n) {
      if (n && hiddenKinds.has(n.type) && hiddenNodes.indexOf(n.id) < 0 && kinds.indexOf(n.type) < 0) kinds.push(n.type);
    });
    return kinds.sort();
  }

  /* "seat" -> "seats", "body" -> "bodies", "person" -> "people"; legislation and guidance stay as they are. */
  function plural(kind, count) {
    var word = kind.toLowerCase();
    if (count === 1 || word === "legislation" || word === "guidance") return word;
    if (word === "person") return "people";
    if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + "ies";
    return word + "s";
  }

  /* What an expansion brought, counted by kind, most first: "Added 30: 23 seats, 7 posts, around Partnership
   * Group (highlighted)." ``others``: nodes a kind ticked on for it showed besides (``kinds``, by name). */
  function expansionSummary(name, added, neighbourCount, others, kinds) {
    var also = others ? " Ticking " + kinds.join(" and ") + " in the legend also shows " + others + " other node" +
      (others === 1 ? "" : "s") + " of " + (kinds.length === 1 ? "that kind" : "those kinds") + "." : "";
    if (!added.length) {
      return "Nothing to add around " + name + ": " + (neighbourCount ? "its " + neighbourCount + " neighbour" +
        (neighbourCount === 1 ? " is" : "s are") + " already shown, or hidden one by one." : "it has no neighbours.") + also;
    }
    var counts = new Map();
    added.forEach(function (n) { counts.set(n.type_label, (counts.get(n.type_label) || 0) + 1); });
    var parts = Array.from(counts).sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); })
      .map(function (kv) { return kv[1] + " " + plural(kv[0], kv[1]); });
    return "Added " + added.length + ": " + parts.join(", ") + ", around " + name + " (highlighted)." + also;
  }

  window.lscpState = { adjacency: adjacency, around: around, visible: visible, ring: ring,
                       fromUrl: fromUrl, toQuery: toQuery, kindsToShow: kindsToShow, plural: plural,
                       expansionSummary: expansionSummary };
})();
