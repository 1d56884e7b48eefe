/* lscp-kg explorer: the details panel and the tooltips. Every label and quote is put in
 * the page as text (textContent, never innerHTML), so data can never become markup. */
(function () {
  "use strict";

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function link(text, href, className) {
    var a = element("a", text, className);
    a.href = href;
    return a;
  }

  function kindLine(node) {
    return node.type_label + (node.role ? " · " + node.role : "") + (node.group_label ? " · " + node.group_label : "");
  }

  /* Each quote with its lines, linked to them in the source when there is a service. */
  function quotes(sources, box) {
    (sources || []).forEach(function (source) {
      var quote = element("blockquote", source.quote);
      if (source.lines) {
        var cite = element("cite", null);
        var where = "lines " + source.lines;
        cite.appendChild(source.href ? link(where, source.href, "lines") : element("span", where, "lines"));
        quote.appendChild(document.createTextNode(" "));
        quote.appendChild(cite);
      }
      box.appendChild(quote);
    });
  }

  function markList(node, marks) {
    var list = element("ul", null, "node-marks");
    node.marks.forEach(function (key) {
      var mark = marks[key];
      if (!mark) return;
      var item = element("li", null);
      item.appendChild(element("span", mark.symbol, "mark-swatch mark-" + key));
      item.appendChild(document.createTextNode(" " + mark.label));
      list.appendChild(item);
    });
    return list;
  }

  function nodeTooltip(node, marks) {
    var box = element("div", null, "tip");
    box.appendChild(element("strong", node.full_label));
    box.appendChild(element("div", kindLine(node), "tip-kind"));
    if (node.marks.length) box.appendChild(markList(node, marks));
    (node.sources || []).slice(0, 2).forEach(function (s) {
      box.appendChild(element("blockquote", (s.lines ? "[" + s.lines + "] " : "") + s.quote));
    });
    return box;
  }

  function edgeTooltip(edge, nodesById) {
    var box = element("div", null, "tip");
    var from = nodesById.get(edge.from), to = nodesById.get(edge.to);
    box.appendChild(element("strong", (from ? from.full_label : "") + " " + edge.label + " " + (to ? to.full_label : "")));
    (edge.sources || []).slice(0, 2).forEach(function (s) {
      box.appendChild(element("blockquote", (s.lines ? "[" + s.lines + "] " : "") + s.quote));
    });
    return box;
  }

  /* Identifiers for integrators, behind a disclosure (pages for people show names, not IRIs). */
  function technical(rows) {
    var box = element("details", null, "technical");
    box.appendChild(element("summary", "Technical details"));
    rows.forEach(function (row) { box.appendChild(element("p", row[0] + ": " + row[1], "iri")); });
    return box;
  }

  function button(text, action, key) {
    var b = element("button", text);
    b.type = "button";
    b.dataset.action = action;
    if (key) b.setAttribute("aria-keyshortcuts", key);
    return b;
  }

  /* The panel for a node: what it is, its partnership, its quotes, and what can be done to it. */
  function showNode(details, node, marks, context) {
    details.replaceChildren();
    details.dataset.selected = node.id;
    details.appendChild(element("h2", node.full_label));
    details.appendChild(element("p", kindLine(node), "kind"));
    if (node.partnerships && node.partnerships.length) {
      details.appendChild(element("p", (node.partnerships.length > 1 ? "Partnerships: " : "Partnership: ") +
        node.partnerships.join("; "), "partnership"));
    }
    if (node.hub) details.appendChild(element("p", "A hub: shown, but not followed when a neighbourhood is drawn.", "hint"));
    if (node.marks.length) details.appendChild(markList(node, marks));
    var actions = element("div", null, "actions");
    actions.appendChild(button(context.expanded ? "Collapse" : "Expand", context.expanded ? "collapse" : "expand", "E"));
    actions.appendChild(button("Hide", "hide", "H"));
    var depthLabel = element("label", "Focus depth ");
    var depth = element("select", null);
    depth.id = "focus-depth";
    [1, 2, 3].forEach(function (d) {
      var option = element("option", String(d));
      option.value = String(d);
      if (d === context.depth) option.selected = true;
      depth.appendChild(option);
    });
    depthLabel.appendChild(depth);
    actions.appendChild(depthLabel);
    actions.appendChild(button("Focus", "focus", "F"));
    if (context.focused) actions.appendChild(button("Show all again", "unfocus"));
    details.appendChild(actions);
    if (node.sources && node.sources.length) details.appendChild(element("h3", "In the source"));
    quotes(node.sources, details);
    if (node.href) details.appendChild(link("Open its full page", node.href, "open-page"));
    details.appendChild(technical([["Identifier", node.id]]));
  }

  function showEdge(details, edge, nodesById) {
    details.replaceChildren();
    delete details.dataset.selected;
    var from = nodesById.get(edge.from), to = nodesById.get(edge.to);
    details.appendChild(element("h2", (from ? from.full_label : edge.from) + " " + edge.label + " " +
      (to ? to.full_label : edge.to)));
    details.appendChild(element("p", "Relation: " + edge.label, "kind"));
    details.appendChild(technical([["Property", edge.relation]]));
    if (edge.sources && edge.sources.length) details.appendChild(element("h3", "In the source"));
    quotes(edge.sources, details);
  }

  /* Our own tooltips (text only), beside the pointer. */
  function installTooltips(network, container, nodesById, edges, marks) {
    var tip = element("div", null, "explorer-tip");
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    container.appendChild(tip);
    function show(content, pointer) {
      tip.replaceChildren(content);
      tip.style.left = Math.min(pointer.x + 14, Math.max(0, container.clientWidth - 300)) + "px";
      tip.style.top = (pointer.y + 14) + "px";
      tip.hidden = false;
    }
    function hide() { tip.hidden = true; }
    network.on("hoverNode", function (p) { show(nodeTooltip(nodesById.get(p.node), marks), p.pointer.DOM); });
    network.on("hoverEdge", function (p) { show(edgeTooltip(edges.get(p.edge), nodesById), p.pointer.DOM); });
    network.on("blurNode", hide);
    network.on("blurEdge", hide);
    network.on("dragStart", hide);
    network.on("click", hide);  // the details panel says it now; the tip would only cover the picture
    network.on("zoom", hide);
    container.addEventListener("mouseleave", hide);
  }

  /* ---- the details: beside the picture, or on a phone a sheet over it ---------------------------- */
  var HINT = "Click a node or an edge (or move to one with the arrow keys) to read about it here; " +
             "double-click a node to expand it.";
  function narrow() { return !!(window.matchMedia && window.matchMedia("(max-width: 40rem)").matches); }
  function panel() { return document.getElementById("details-panel"); }

  /* Open the details; on a phone, as a sheet over the picture with the focus in it (moveFocus). */
  function openDetails(moveFocus) {
    var box = panel();
    box.open = true;
    if (!narrow() || !moveFocus) return;
    var heading = box.querySelector("#details h2");
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }

  function clearDetails(details) {
    details.replaceChildren(element("p", HINT, "hint"));
    delete details.dataset.selected;
    if (narrow()) panel().open = false;
  }

  /* The sheet's close button and Escape: the sheet closes and the focus goes back to the picture. */
  function installSheet(details, container) {
    var box = panel(), close = document.getElementById("details-close");
    function shut() { box.open = false; container.focus({ preventScroll: true }); }
    function layout() { box.classList.toggle("as-sheet", narrow()); }
    layout();
    if (window.matchMedia) window.matchMedia("(max-width: 40rem)").addEventListener("change", layout);
    if (close) close.addEventListener("click", shut);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && box.classList.contains("as-sheet")) { event.preventDefault(); shut(); }
    });
  }

  window.lscpPanel = { element: element, nodeTooltip: nodeTooltip, edgeTooltip: edgeTooltip, showNode: showNode,
                       showEdge: showEdge, kindLine: kindLine, installTooltips: installTooltips, narrow: narrow,
                       openDetails: openDetails, clearDetails: clearDetails, installSheet: installSheet };
})();
