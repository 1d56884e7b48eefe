/* lscp-kg explorer: export the current picture for a report (PNG at a chosen size, SVG with its labels
 * as text, an A4 PDF rendered by the service from that SVG: each with the view's title, the partnership,
 * the dates, a key and a source note, laid out by explorer-picture.js) and the current subgraph (GraphML
 * for Gephi or yEd, JSON). Text is added as DOM text and serialised by the browser, so a label can never
 * become markup. */
(function () {
  "use strict";

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


  /* ---- the picture for a report ------------------------------------------------------ */
  var SIZES = { "1600x1200": [1600, 1200], "2400x1800": [2400, 1800], "a4-150": [1754, 1240], "a4-300": [3508, 2480] };
  var PDF_SIZE = [1684, 1190];  // A4 landscape's proportions; the service puts it on the page
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"];

  /* "2025-03-03" as "3 March 2025"; "2024-06" as "June 2024"; anything else as written. */
  function longDate(value) {
    var parts = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(value || "");
    if (!parts) return value;
    var month = MONTHS[parseInt(parts[2], 10) - 1] + " " + parts[1];
    return parts[3] ? parseInt(parts[3], 10) + " " + month : month;
  }
  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" + String(now.getDate()).padStart(2, "0");
  }
  function listed(words) {
    return words.length < 2 ? words.join("") : words.slice(0, -1).join(", ") + " and " + words[words.length - 1];
  }

  /* What the service says the view is of (its partnership, their sources and dates), asked once. */
  function contextOf(data) {
    if (!data.api || !data.api.neighbours) return Promise.resolve({ partnerships: [] });
    var url = data.api.neighbours.replace("/api/explore/neighbours", "/api/explore/export-context");
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("the service answered " + r.status);
      return r.json();
    }).catch(function () { return { partnerships: [] }; });
  }

  /* The title block, key and source note of a picture. */
  function metaOf(data, context, picture, styled) {
    var drawnOn = longDate(today()), partnerships = context.partnerships;
    var names = partnerships.map(function (p) { return p.name; });
    var dates = [];
    partnerships.forEach(function (p) {
      p.sources.forEach(function (s) {
        if (s.dates.length) {
          dates.push((s.title || "the source") + " (" + s.dates.map(function (d) { return d.kind + " " + longDate(d.date); }).join(", ") + ")");
        }
      });
    });
    var links = [];
    partnerships.forEach(function (p) { p.sources.forEach(function (s) { links.push(s.href); }); });
    var kinds = [], seen = new Set();
    picture.nodes.forEach(function (n) {
      if (seen.has(n.type)) return;
      seen.add(n.type);
      var style = styled(n);
      kinds.push({ type: n.type, label: n.type_label, shape: style.shape, color: style.color.background, border: style.color.background });
    });
    var order = data.legend.nodes.map(function (k) { return k.type; });
    kinds.sort(function (a, b) { return (order.indexOf(a.type) + 1 || 999) - (order.indexOf(b.type) + 1 || 999); });
    return {
      title: data.view.title,
      partnership: names.length ? listed(names) : "Partnership not recorded in this file",
      dated: "Drawn on " + drawnOn + (dates.length ? " from " + listed(dates) + "."
                                                      : ". The published arrangements give no date of their own."),
      note: "Source: " + (names.length ? listed(names.map(function (n) { return n + "'s"; })) : "the partnership's") +
            " published arrangements; generated by lscp-kg on " + drawnOn + (links.length ? "; " + links.join(" ") : ""),
      kinds: kinds,
      marks: (data.marks || []).filter(function (m) {  // a node is drawn with its first mark's border
        return picture.nodes.some(function (n) { return n.marks && n.marks[0] === m.mark; });
      })
    };
  }

  function install(explorer) {
    var data = explorer.data, network = explorer.network, status = explorer.status, P = window.lscpPicture;
    var context = null;
    function ready() { return context || (context = contextOf(data)); }
    function picture(size) {
      var shown = explorer.onScreen(), at = network.getPositions(shown.nodes.map(function (n) { return n.id; }));
      shown.nodes = shown.nodes.filter(function (n) { return at[n.id]; }).map(function (n) { return Object.assign(n, at[n.id]); });
      return ready().then(function (found) {
        var meta = metaOf(data, found, shown, explorer.styled);
        var drawn = P.layout(shown, meta, size[0], size[1], P.measurer());
        drawn.meta = meta;
        return drawn;
      });
    }
    var chooser = document.getElementById("export-size");
    document.querySelectorAll("[data-export]").forEach(function (b) {
      if (b.dataset.export === "pdf" && !(data.api && data.api.neighbours)) b.hidden = true;  // a file: no service to make it
      b.addEventListener("click", function () {
        var kind = b.dataset.export, name = data.view.name + "." + kind;
        var size = kind === "pdf" ? PDF_SIZE : SIZES[chooser ? chooser.value : "1600x1200"] || SIZES["1600x1200"];
        function done(blob, drawn) {
          var extra = drawn ? { width: drawn.width, height: drawn.height, labelled: drawn.placed, dropped: drawn.dropped } : {};
          explorer.lastExport = Object.assign({ kind: kind, bytes: blob.size }, extra);
          download(name, blob);
          var left = drawn && drawn.dropped.length ? "; " + drawn.dropped.length + " names left out where they would overlap" : "";
          status("Exported " + name + (drawn && kind === "png" ? " (" + drawn.width + " × " + drawn.height + " pixels" + left + ")" : left ? " (" + left.slice(2) + ")" : "") + ".");
        }
        function failed(error) { status("Could not export " + name + ": " + error.message); }
        if (kind === "graphml" || kind === "json") {
          var shown = explorer.onScreen();
          if (kind === "graphml") done(new Blob([graphml(shown.nodes, shown.edges)], { type: "application/graphml+xml" }));
          else done(new Blob([json(data.view, shown.nodes, shown.edges, network.getPositions(), explorer.state)], { type: "application/json" }));
          return;
        }
        status("Drawing " + name + "…");
        picture(size).then(function (drawn) {
          if (kind === "png") return new Promise(function (resolve) { P.toCanvas(drawn).toBlob(function (blob) { resolve(done(blob, drawn)); }, "image/png"); });
          var svgText = P.toSvg(drawn, drawn.meta.title);
          if (kind === "svg") return done(new Blob([svgText], { type: "image/svg+xml" }), drawn);
          if (!data.api || !data.api.neighbours) throw new Error("a PDF is made by the service; open this view from it");
          var url = data.api.neighbours.split("/api/explore/neighbours")[0] + "/explore/export.pdf?name=" + encodeURIComponent(data.view.name);
          return fetch(url, { method: "POST", headers: { "Content-Type": "image/svg+xml", Accept: "application/pdf" }, body: svgText })
            .then(function (r) {
              if (!r.ok) return r.text().then(function () { throw new Error("the service answered " + r.status); });
              return r.blob().then(function (blob) { done(blob, drawn); });
            });
        }).catch(failed);
      });
    });
  }

  window.lscpExport = { download: download, graphml: graphml, json: json, install: install };
})();
