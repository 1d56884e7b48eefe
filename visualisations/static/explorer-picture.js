/* lscp-kg explorer: the picture for a report. One layout at the size asked for (title, partnership,
 * dates, the nodes and edges fitted to the page from the network's positions, a key of the kinds shown
 * and a source note), drawn either as SVG (labels as <text>) or on a canvas (PNG): the same items both
 * ways. Labels are placed before drawing, most important first; a label whose box would overlap another
 * label or a node is moved round its node, and left out if it fits nowhere. */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var INK = "#1b1b1b", EDGE = "#8a8a8a", QUIET = "#505a5f";
  var CHAR_WIDTH = 0.6;  // of the font size: no sans-serif line is wider than this per character on average
  var LINE = 1.25, BOX_BOTTOM = 1.3;  // line height, and a line's box below its top (descenders included)

  /* The corners of a node's shape around (0, 0), as vis-network draws it; null for a circle. */
  function shapePoints(shape, r) {
    if (shape === "square") return [[-r, -r], [r, -r], [r, r], [-r, r]];
    if (shape === "diamond") return [[0, -r], [r, 0], [0, r], [-r, 0]];
    if (shape === "triangle") return [[0, -r], [r, r * 0.8], [-r, r * 0.8]];
    if (shape === "triangleDown") return [[0, r], [r, -r * 0.8], [-r, -r * 0.8]];
    if (shape === "star" || shape === "hexagon") {
      var points = [], corners = shape === "star" ? 10 : 6;
      for (var i = 0; i < corners; i++) {
        var radius = shape === "star" && i % 2 ? r * 0.45 : r, angle = -Math.PI / 2 + i * 2 * Math.PI / corners;
        points.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
      }
      return points;
    }
    return null;
  }

  /* Words in lines of at most `most` characters (a longer word keeps a line to itself). */
  function wrap(text, most) {
    var lines = [], line = "";
    String(text).split(/\s+/).filter(Boolean).forEach(function (word) {
      if (line && (line + " " + word).length > most) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines.length ? lines : [""];
  }

  function overlaps(a, b, gap) {
    return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
  }

  /* Greedy placement: each label (in the order given, most important first) takes the first place round its
   * node where its box stays inside `area` and clear of every placed label and every other node, its words
   * wrapped as given (`lines`) or else more narrowly (`narrower`, if any); else none.
   * `widthOf(line, px)` measures a line. Returns {placed: [{label, box, lines, px}], dropped: [label]}. */
  function placeLabels(labels, nodes, area, widthOf, gap) {
    var placed = [], dropped = [], taken = [];
    function place(label, lines) {
      var w = Math.max.apply(null, lines.map(function (l) { return widthOf(l, label.px); }));
      var h = (lines.length - 1) * LINE * label.px + BOX_BOTTOM * label.px, r = label.r, c = label.at, s = gap + 1;
      var places = [[c.x - w / 2, c.y + r + s], [c.x - w / 2, c.y - r - s - h], [c.x + r + s, c.y - h / 2],
                    [c.x - r - s - w, c.y - h / 2], [c.x + r * 0.7, c.y + r + s], [c.x - r * 0.7 - w, c.y + r + s],
                    [c.x + r * 0.7, c.y - r - s - h], [c.x - r * 0.7 - w, c.y - r - s - h]];
      for (var i = 0; i < places.length; i++) {
        var at = { x: places[i][0], y: places[i][1], w: w, h: h };
        if (at.x < area.x || at.y < area.y || at.x + w > area.x + area.w || at.y + h > area.y + area.h) continue;
        if (taken.some(function (t) { return overlaps(at, t, gap); })) continue;
        if (nodes.some(function (n) { return n.id !== label.id && overlaps(at, n.box, 0); })) continue;
        return at;
      }
      return null;
    }
    labels.forEach(function (label) {
      var box = null, choices = [label.lines].concat(label.narrower ? [label.narrower] : []);
      for (var i = 0; i < choices.length && !box; i++) {  // as wrapped, then narrower and taller
        box = place(label, choices[i]);
        if (box) label.lines = choices[i];
      }
      if (!box) { dropped.push(label); return; }
      taken.push(box);
      placed.push({ label: label, box: box });
    });
    return { placed: placed, dropped: dropped };
  }

  function important(n) {
    return (n.marks || []).indexOf("highlighted") >= 0 || (n.font && n.font.size >= 20) || n.hub;
  }

  /* The items of the picture: {width, height, items, dropped}. `meta`: title, partnership, dated, note, kinds, marks. */
  function layout(picture, meta, width, height, widthOf) {
    var u = Math.min(width / 1600, height / 1200), m = 40 * u, items = [], legendWidth = 320 * u;
    function text(x, y, words, px, extra) { items.push(Object.assign({ kind: "text", x: x, y: y, text: words, px: px, fill: INK, anchor: "start" }, extra || {})); }
    items.push({ kind: "rect", x: 0, y: 0, w: width, h: height, fill: "#ffffff", background: true });
    var y = m + 30 * u;
    wrap(meta.title, Math.floor((width - 2 * m) / (CHAR_WIDTH * 30 * u))).forEach(function (line) {
      text(m, y, line, 30 * u, { weight: "bold", group: "heading" }); y += 38 * u; });
    text(m, y, meta.partnership, 19 * u, { group: "heading" }); y += 26 * u;
    wrap(meta.dated, Math.floor((width - 2 * m) / (CHAR_WIDTH * 15 * u))).forEach(function (line) {
      text(m, y, line, 15 * u, { fill: QUIET, group: "heading" }); y += 20 * u; });
    var top = y + 10 * u;
    var noteLines = wrap(meta.note, Math.floor((width - 2 * m) / (CHAR_WIDTH * 13 * u)));
    var bottom = height - m - (noteLines.length + 1) * 18 * u;  // a line kept for saying how many names were left out
    var area = { x: m, y: top, w: width - 2 * m - legendWidth - m / 2, h: bottom - 14 * u - top };

    /* nodes fitted into the area from the positions the explorer drew */
    var xs = picture.nodes.map(function (n) { return n.x; }), ys = picture.nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs), minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var padX = 110 * u, padY = 50 * u;
    var scale = Math.min((area.w - 2 * padX) / Math.max(maxX - minX, 1), (area.h - 2 * padY) / Math.max(maxY - minY, 1), 2.5 * u);
    var offX = area.x + (area.w - (maxX - minX) * scale) / 2, offY = area.y + (area.h - (maxY - minY) * scale) / 2;
    var at = {}, drawn = picture.nodes.map(function (n) {
      var r = Math.max(9, Math.min(30, (n.size || 14))) * u, c = { x: offX + (n.x - minX) * scale, y: offY + (n.y - minY) * scale };
      at[n.id] = { c: c, r: r };
      return { id: n.id, node: n, c: c, r: r, box: { x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r } };
    });
    picture.edges.forEach(function (e) {
      var a = at[e.from], b = at[e.to];
      if (!a || !b || e.from === e.to) return;
      var dx = b.c.x - a.c.x, dy = b.c.y - a.c.y, length = Math.sqrt(dx * dx + dy * dy) || 1, ux = dx / length, uy = dy / length;
      var end = { x: b.c.x - ux * (b.r + 2 * u), y: b.c.y - uy * (b.r + 2 * u) }, head = 9 * u;
      items.push({ kind: "line", x1: a.c.x + ux * a.r, y1: a.c.y + uy * a.r, x2: end.x - ux * head * 0.8, y2: end.y - uy * head * 0.8,
                   stroke: EDGE, width: 1.2 * u, dash: e.dashes ? [5 * u, 4 * u] : null, title: e.label, group: "edges" });
      items.push({ kind: "polygon", points: [[end.x, end.y], [end.x - ux * head - uy * head / 2, end.y - uy * head + ux * head / 2],
                                              [end.x - ux * head + uy * head / 2, end.y - uy * head - ux * head / 2]], fill: EDGE, group: "edges" });
    });
    drawn.forEach(function (d) {
      var n = d.node, points = shapePoints(n.shape, d.r);
      items.push({ kind: "shape", points: points && points.map(function (p) { return [d.c.x + p[0], d.c.y + p[1]]; }), cx: d.c.x, cy: d.c.y,
                   r: d.r, fill: n.color.background, stroke: n.color.border, width: Math.max(1, (n.borderWidth || 1)) * u,
                   dash: n.shapeProperties && n.shapeProperties.borderDashes ? [6 * u, 3 * u] : null, title: n.full_label, node: n.id,
                   group: "nodes" });
    });

    /* labels: the highlighted, the large and the hubs first, then the most connected, then by name */
    var degree = {};
    picture.edges.forEach(function (e) { degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1; });
    var labels = drawn.map(function (d) {
      var big = important(d.node), px = (big ? 16 : 14) * u;
      return { id: d.id, at: d.c, r: d.r, px: px, bold: (d.node.marks || []).indexOf("highlighted") >= 0, rank: big ? 0 : 1, degree: degree[d.id] || 0,
               name: d.node.full_label, lines: wrap(d.node.full_label, 24), narrower: wrap(d.node.full_label, 13) };
    }).sort(function (a, b) { return a.rank - b.rank || b.degree - a.degree || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
    var result = placeLabels(labels, drawn, { x: m / 2, y: top, w: area.w + m / 2, h: area.h }, widthOf, 3 * u);
    result.placed.forEach(function (p) {  // on a light ground, so that an edge passing behind leaves it readable
      items.push({ kind: "rect", x: p.box.x, y: p.box.y, w: p.box.w, h: p.box.h, fill: "#ffffff", opacity: 0.8, label: p.label.id, group: "labels" });
      p.label.lines.forEach(function (line, i) {
        text(p.box.x + p.box.w / 2, p.box.y + i * LINE * p.label.px + p.label.px, line, p.label.px,
             { anchor: "middle", weight: p.label.bold ? "bold" : null, label: p.label.id, group: "labels" });
      });
    });

    /* the key: each kind of node shown, with its shape and colour */
    var lx = width - m - legendWidth + 10 * u, ly = top + 18 * u;
    function wrapped(words, x) {  // a key entry in the key's width, line under line
      var lines = wrap(words, Math.floor((width - m - x) / (CHAR_WIDTH * 15 * u)));
      lines.forEach(function (line, i) { text(x, ly + i * 19 * u, line, 15 * u, { group: "legend" }); });
      ly += (lines.length - 1) * 19 * u;
    }
    text(lx, ly, "Key", 18 * u, { weight: "bold", group: "legend" });
    ly += 14 * u;
    meta.kinds.forEach(function (kind) {
      ly += 26 * u;
      var r = 8 * u, points = shapePoints(kind.shape, r);
      items.push({ kind: "shape", points: points && points.map(function (p) { return [lx + r + p[0], ly - 5 * u + p[1]]; }),
                   cx: lx + r, cy: ly - 5 * u, r: r, fill: kind.color, stroke: kind.border || INK, width: u, group: "legend" });
      wrapped(kind.label, lx + 2 * r + 10 * u);
    });
    (meta.marks || []).forEach(function (mark) {  // the borders of marked nodes
      ly += 26 * u;
      items.push({ kind: "shape", points: shapePoints("square", 7 * u).map(function (p) { return [lx + 8 * u + p[0], ly - 5 * u + p[1]]; }),
                   fill: "#ffffff", stroke: mark.color, width: 3 * u, dash: mark.dashes ? [4 * u, 2 * u] : null, group: "legend" });
      wrapped("Border: " + mark.label.charAt(0).toLowerCase() + mark.label.slice(1), lx + 26 * u);
    });
    ly += 34 * u;
    items.push({ kind: "line", x1: lx, y1: ly - 5 * u, x2: lx + 28 * u, y2: ly - 5 * u, stroke: EDGE, width: 1.2 * u, group: "legend" });
    text(lx + 36 * u, ly, "a relation (arrow: its direction)", 15 * u, { group: "legend" });
    if (result.dropped.length) {
      noteLines.unshift(result.dropped.length + " of " + labels.length + " names are left out where they would overlap others; " +
                        "the explorer and its text list every node.");
    }
    var noteY = height - m - (noteLines.length - 1) * 18 * u;
    noteLines.forEach(function (line, i) { text(m, noteY + i * 18 * u, line, 13 * u, { fill: QUIET, group: "note" }); });
    return { width: width, height: height, items: items, placed: result.placed.length, dropped: result.dropped.map(function (l) { return l.name; }) };
  }

  function svgElement(tag, attributes, parent) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (key) {
      if (attributes[key] !== null && attributes[key] !== undefined) node.setAttribute(key, String(attributes[key]));
    });
    if (parent) parent.appendChild(node);
    return node;
  }
  function n1(v) { return Number(v).toFixed(1); }
  function dashes(item) { return item.dash ? item.dash.map(n1).join(" ") : null; }

  /* The picture as an SVG document (text added as DOM text, so a label never becomes markup). */
  function toSvg(picture, title) {
    var root = svgElement("svg", { xmlns: SVG_NS, width: picture.width, height: picture.height, role: "img", "aria-label": title,
                                   viewBox: "0 0 " + picture.width + " " + picture.height, "font-family": "sans-serif" });
    svgElement("title", {}, root).textContent = title;
    var groups = {}, labelGroups = {};
    function groupOf(name) { return name ? (groups[name] = groups[name] || svgElement("g", { class: name }, root)) : root; }
    ["edges", "nodes", "labels", "heading", "legend", "note"].forEach(groupOf);
    picture.items.forEach(function (item) {
      var parent = groupOf(item.group), made;
      if (item.label) parent = labelGroups[item.label] = labelGroups[item.label] || svgElement("g", { class: "label", "data-node": item.label }, parent);
      if (item.kind === "rect") {
        made = svgElement("rect", { x: n1(item.x), y: n1(item.y), width: n1(item.w), height: n1(item.h), fill: item.fill,
                                    opacity: item.opacity }, item.background ? null : parent);
        if (item.background) root.insertBefore(made, root.children[1]);  // under everything, after the title
      }
      if (item.kind === "line") {
        made = svgElement("line", { x1: n1(item.x1), y1: n1(item.y1), x2: n1(item.x2), y2: n1(item.y2), stroke: item.stroke,
                                    "stroke-width": n1(item.width), "stroke-dasharray": dashes(item) }, parent);
      }
      if (item.kind === "polygon") made = svgElement("polygon", { points: item.points.map(function (p) { return n1(p[0]) + "," + n1(p[1]); }).join(" "), fill: item.fill }, parent);
      if (item.kind === "shape") {
        if (item.node) parent = svgElement("g", { class: "node", "data-node": item.node }, parent);
        var paint = { fill: item.fill, stroke: item.stroke, "stroke-width": n1(item.width), "stroke-dasharray": dashes(item) };
        made = item.points ? svgElement("polygon", Object.assign({ points: item.points.map(function (p) { return n1(p[0]) + "," + n1(p[1]); }).join(" ") }, paint), parent)
                           : svgElement("circle", Object.assign({ cx: n1(item.cx), cy: n1(item.cy), r: n1(item.r) }, paint), parent);
        if (item.node) parent.insertBefore(svgElement("title", {}, null), made).textContent = item.title;
      }
      if (item.kind === "text") {
        made = svgElement("text", { x: n1(item.x), y: n1(item.y), "font-size": n1(item.px), "font-weight": item.weight,
                                    "text-anchor": item.anchor, fill: item.fill }, parent);
        made.textContent = item.text;
      }
      if (item.kind === "line" && item.title) svgElement("title", {}, made).textContent = item.title;
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root) + "\n";
  }

  /* The picture on a canvas of its own size (fillText draws text, never markup). */
  function toCanvas(picture) {
    var canvas = document.createElement("canvas");
    canvas.width = picture.width;
    canvas.height = picture.height;
    var c = canvas.getContext("2d");
    picture.items.forEach(function (item) {
      c.setLineDash([]);
      if (item.kind === "rect") { c.globalAlpha = item.opacity || 1; c.fillStyle = item.fill; c.fillRect(item.x, item.y, item.w, item.h); c.globalAlpha = 1; }
      if (item.kind === "line") {
        c.strokeStyle = item.stroke; c.lineWidth = item.width;
        if (item.dash) c.setLineDash(item.dash);
        c.beginPath(); c.moveTo(item.x1, item.y1); c.lineTo(item.x2, item.y2); c.stroke();
      }
      if (item.kind === "polygon" || item.kind === "shape") {
        c.beginPath();
        if (item.points) {
          item.points.forEach(function (p, i) { if (i) c.lineTo(p[0], p[1]); else c.moveTo(p[0], p[1]); });
          c.closePath();
        } else {
          c.arc(item.cx, item.cy, item.r, 0, 2 * Math.PI);
        }
        c.fillStyle = item.fill; c.fill();
        if (item.stroke) {
          c.strokeStyle = item.stroke; c.lineWidth = item.width;
          if (item.dash) c.setLineDash(item.dash);
          c.stroke();
        }
      }
      if (item.kind === "text") {
        c.font = (item.weight === "bold" ? "bold " : "") + item.px.toFixed(1) + "px sans-serif";
        c.fillStyle = item.fill; c.textAlign = item.anchor === "middle" ? "center" : "left"; c.textBaseline = "alphabetic";
        c.fillText(item.text, item.x, item.y);
      }
    });
    return canvas;
  }

  /* A line's width: what the browser measures, or the per-character bound if that is wider. */
  function measurer() {
    var c = document.createElement("canvas").getContext("2d");
    return function (line, px) {
      c.font = "bold " + px.toFixed(1) + "px sans-serif";
      return Math.max(c.measureText(line).width, CHAR_WIDTH * px * line.length);
    };
  }

  window.lscpPicture = { layout: layout, toSvg: toSvg, toCanvas: toCanvas, measurer: measurer, placeLabels: placeLabels,
                         wrap: wrap, CHAR_WIDTH: CHAR_WIDTH, LINE: LINE, BOX_BOTTOM: BOX_BOTTOM };
})();
