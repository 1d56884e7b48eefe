/* lscp-kg explorer: export the current picture (PNG from the canvas, SVG drawn here from the
 * node positions) and the current subgraph (GraphML for Gephi or yEd, JSON). Text is added
 * as DOM text and serialised by the browser, so a label can never become markup. */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns";

  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  /* The canvas as drawn, on a white ground, at its own size. */
  function png(container, done) {
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var context = out.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(canvas, 0, 0);
    out.toBlob(function (blob) { done(blob, out.width, out.height); }, "image/png");
  }

  function svgElement(tag, attributes, parent) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, String(attributes[key])); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function shapeFor(node, p, r, parent) {
    var fill = node.color.background, stroke = node.color.border;
    var common = { fill: fill, stroke: stroke, "stroke-width": node.borderWidth || 1 };
    if (node.shapeProperties && node.shapeProperties.borderDashes) common["stroke-dasharray"] = "6 3";
    if (node.shape === "square") return svgElement("rect", Object.assign({ x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r }, common), parent);
    var points = null;
    if (node.shape === "diamond") points = [[0, -r], [r, 0], [0, r], [-r, 0]];
    if (node.shape === "triangle") points = [[0, -r], [r, r * 0.8], [-r, r * 0.8]];
    if (node.shape === "triangleDown") points = [[0, r], [r, -r * 0.8], [-r, -r * 0.8]];
    if (node.shape === "star" || node.shape === "hexagon") {
      points = [];
      var corners = node.shape === "star" ? 10 : 6;
      for (var i = 0; i < corners; i++) {
        var radius = node.shape === "star" && i % 2 ? r * 0.45 : r, angle = -Math.PI / 2 + i * 2 * Math.PI / corners;
        points.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
      }
    }
    if (points) {
      return svgElement("polygon", Object.assign({ points: points.map(function (q) { return (p.x + q[0]).toFixed(1) + "," + (p.y + q[1]).toFixed(1); }).join(" ") }, common), parent);
    }
    return svgElement("circle", Object.assign({ cx: p.x, cy: p.y, r: r }, common), parent);
  }

  /* The picture as SVG, the size of the drawing area, from the positions vis-network drew. */
  function svg(network, container, nodes, edges, minLabelPx) {
    var width = container.clientWidth, height = container.clientHeight, scale = network.getScale();
    var root = svgElement("svg", { xmlns: SVG_NS, width: width, height: height, viewBox: "0 0 " + width + " " + height,
                                   "font-family": "sans-serif" });
    svgElement("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }, root);
    var marker = svgElement("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6,
                                        markerHeight: 6, orient: "auto-start-reverse" }, svgElement("defs", {}, root));
    svgElement("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#8a8a8a" }, marker);
    var positions = network.getPositions(nodes.map(function (n) { return n.id; }));
    var at = {};
    nodes.forEach(function (n) { if (positions[n.id]) at[n.id] = network.canvasToDOM(positions[n.id]); });
    var edgeGroup = svgElement("g", { class: "edges" }, root);
    edges.forEach(function (e) {
      var a = at[e.from], b = at[e.to];
      if (!a || !b) return;
      var line = svgElement("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
                                      stroke: "#8a8a8a", "stroke-width": 1, "marker-end": "url(#arrow)" }, edgeGroup);
      if (e.dashes) line.setAttribute("stroke-dasharray", "5 4");
      svgElement("title", {}, line).textContent = e.label;
    });
    var nodeGroup = svgElement("g", { class: "nodes" }, root);
    nodes.forEach(function (n) {
      var p = at[n.id];
      if (!p) return;
      var group = svgElement("g", { class: "node" }, nodeGroup);
      svgElement("title", {}, group).textContent = n.full_label;
      shapeFor(n, p, Math.max(3, (n.size || 14) * scale), group);
      var fontPx = (n.font && n.font.size ? n.font.size : 15) * scale;
      if (fontPx >= minLabelPx) {
        var text = svgElement("text", { x: p.x.toFixed(1), y: (p.y + (n.size || 14) * scale + fontPx).toFixed(1),
                                        "text-anchor": "middle", "font-size": fontPx.toFixed(1), fill: "#1b1b1b" }, group);
        text.textContent = n.label;
      }
    });
    return new XMLSerializer().serializeToString(root);
  }

  function quoteText(sources) {
    return (sources || []).map(function (s) { return (s.lines ? "[" + s.lines + "] " : "") + s.quote; }).join("\n\n");
  }

  /* The subgraph on screen as GraphML: node ids are the IRIs, attributes as lscp-kg export graphml writes them. */
  function graphml(nodes, edges) {
    var doc = document.implementation.createDocument(GRAPHML_NS, "graphml", null);
    var root = doc.documentElement;
    var keys = [["label", "node"], ["type", "node"], ["iri", "node"], ["quote", "node"],
                ["relation", "edge"], ["label", "edge"], ["quote", "edge"]];
    keys.forEach(function (k) {
      var key = doc.createElementNS(GRAPHML_NS, "key");
      key.setAttribute("id", k[1] + "_" + k[0]);
      key.setAttribute("for", k[1]);
      key.setAttribute("attr.name", k[0]);
      key.setAttribute("attr.type", "string");
      root.appendChild(key);
    });
    var graph = doc.createElementNS(GRAPHML_NS, "graph");
    graph.setAttribute("edgedefault", "directed");
    root.appendChild(graph);
    function datum(parent, key, value) {
      var d = doc.createElementNS(GRAPHML_NS, "data");
      d.setAttribute("key", key);
      d.textContent = value;
      parent.appendChild(d);
    }
    nodes.forEach(function (n) {
      var node = doc.createElementNS(GRAPHML_NS, "node");
      node.setAttribute("id", n.id);
      datum(node, "node_label", n.full_label);
      datum(node, "node_type", n.type);
      datum(node, "node_iri", n.id);
      datum(node, "node_quote", quoteText(n.sources));
      graph.appendChild(node);
    });
    edges.forEach(function (e) {
      var edge = doc.createElementNS(GRAPHML_NS, "edge");
      edge.setAttribute("source", e.from);
      edge.setAttribute("target", e.to);
      datum(edge, "edge_relation", e.relation);
      datum(edge, "edge_label", e.label);
      datum(edge, "edge_quote", quoteText(e.sources));
      graph.appendChild(edge);
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc) + "\n";
  }

  function json(view, nodes, edges, positions, state) {
    return JSON.stringify({
      view: view, state: state,
      nodes: nodes.map(function (n) {
        return { id: n.id, label: n.full_label, type: n.type, kind: n.type_label, marks: n.marks,
                 partnerships: n.partnerships, sources: n.sources, x: positions[n.id] && positions[n.id].x,
                 y: positions[n.id] && positions[n.id].y };
      }),
      edges: edges.map(function (e) {
        return { from: e.from, to: e.to, relation: e.relation, label: e.label, sources: e.sources };
      })
    }, null, 1) + "\n";
  }

  window.lscpExport = { download: download, png: png, svg: svg, graphml: graphml, json: json };
})();
