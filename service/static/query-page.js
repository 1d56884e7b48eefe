// The query page: CodeMirror editor (when installed), examples, results as a table, downloads, shareable URL.
// Everything is fetched from this service; results are written with textContent, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  if (!form) { return; }
  var textarea = document.getElementById("query");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var endpoint = form.dataset.endpoint;
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  var editor = null;
  if (window.CodeMirror) {
    // contenteditable input: screen readers read it, and the editor's scrolling box holds its focusable text.
    editor = window.CodeMirror.fromTextArea(textarea, {mode: "application/sparql-query", lineNumbers: true,
                                                       indentUnit: 2, viewportMargin: Infinity,
                                                       inputStyle: "contenteditable"});
    var input = editor.getInputField();
    input.setAttribute("role", "textbox");
    input.setAttribute("aria-multiline", "true");
    input.setAttribute("aria-label", document.querySelector("label[for=query]").textContent + " (SPARQL)");
  }

  function getQuery() { return editor ? editor.getValue() : textarea.value; }
  function setQuery(text) { if (editor) { editor.setValue(text); } else { textarea.value = text; } }

  var plainPath = /^[A-Za-z0-9._~!$&'()*+,;=:@\/-]+$/;
  function entityHref(iri) {
    var local = form.dataset.kgBase + "id/";
    if (iri.indexOf(local) === 0 && plainPath.test(iri.slice(local.length))) {
      return form.dataset.idPath + iri.slice(local.length);
    }
    return form.dataset.entity + "?iri=" + encodeURIComponent(iri);
  }

  // An IRI as a person reads it: id/... under the graph's base, prefix:name for the usual vocabularies.
  function shortIri(iri) {
    if (iri.indexOf(form.dataset.kgBase + "id/") === 0) { return iri.slice(form.dataset.kgBase.length); }
    for (var prefix in prefixes) {
      var local = iri.slice(prefixes[prefix].length);
      if (iri.indexOf(prefixes[prefix]) === 0 && /^[A-Za-z_][\w.-]*$/.test(local)) { return prefix + ":" + local; }
    }
    return iri;
  }

  function cell(binding, label) {
    var td = document.createElement("td");
    if (!binding) { return td; }
    if (binding.type === "uri") {
      var a = document.createElement("a");
      a.href = entityHref(binding.value);
      a.title = binding.value;
      a.textContent = label || shortIri(binding.value);
      td.appendChild(a);
    } else {
      td.textContent = binding.type === "bnode" ? "_:" + binding.value : String(binding.value);
      if (td.textContent.length > 120) { td.className = "long"; }
    }
    return td;
  }

  function renderTable(doc, truncated) {
    results.textContent = "";
    if (typeof doc.boolean === "boolean") {
      var p = document.createElement("p");
      p.className = "answer";
      p.textContent = "Answer: " + (doc.boolean ? "yes" : "no");
      results.appendChild(p);
      return;
    }
    var vars = doc.head.vars || [];
    // A column "xLabel" becomes the text of column x's links.
    var columns = vars.filter(function (v) { return !(/Label$/.test(v) && vars.indexOf(v.slice(0, -5)) >= 0); });
    var rows = doc.results.bindings;
    var note = document.createElement("p");
    note.className = "muted";
    note.textContent = rows.length + (rows.length === 1 ? " row" : " rows") + (truncated ? " (cut at the row cap: more exist)" : "");
    results.appendChild(note);
    var table = document.createElement("table");
    table.className = "results";
    var head = table.createTHead().insertRow();
    columns.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      columns.forEach(function (v) {
        var label = row[v + "Label"] ? row[v + "Label"].value : null;
        tr.appendChild(cell(row[v], vars.indexOf(v + "Label") >= 0 ? label : null));
      });
    });
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.appendChild(table);
    results.appendChild(wrap);
  }

  function setDownloads(query, graph) {
    var formats = graph ? ["turtle", "jsonld", "ntriples", "rdfxml"] : ["json", "csv", "tsv", "xml"];
    var links = downloads.querySelectorAll("a[data-format]");
    formats.forEach(function (f, i) {
      links[i].dataset.format = f;
      links[i].textContent = f.toUpperCase();
      links[i].href = endpoint + "?" + new URLSearchParams({query: query, format: f}).toString();
      links[i].setAttribute("download", "results." + f);
    });
    document.getElementById("share").href = window.location.href;
    downloads.hidden = false;
  }

  function run() {
    var query = getQuery();
    var url = new URL(window.location.href);
    url.search = new URLSearchParams({query: query}).toString();
    window.history.replaceState(null, "", url.toString());
    status.textContent = "Running…";
    results.textContent = "";
    var started = Date.now();
    fetch(endpoint, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: new URLSearchParams({query: query}).toString()
    }).then(function (response) {
      return response.text().then(function (text) {
        var seconds = ((Date.now() - started) / 1000).toFixed(2);
        if (!response.ok) {
          status.textContent = "Error " + response.status + " after " + seconds + " s";
          var pre = document.createElement("pre");
          pre.className = "error";
          pre.textContent = text;
          results.appendChild(pre);
          downloads.hidden = true;
          return;
        }
        var type = response.headers.get("Content-Type") || "";
        var truncated = response.headers.get("X-Truncated") === "true";
        status.textContent = "Done in " + seconds + " s";
        if (type.indexOf("json") >= 0) {
          renderTable(JSON.parse(text), truncated);
          setDownloads(query, false);
        } else {
          var out = document.createElement("pre");
          out.className = "rdf";
          out.textContent = text;
          results.appendChild(out);
          setDownloads(query, true);
        }
      });
    }).catch(function (error) {
      status.textContent = "The request failed: " + error;
    });
  }

  document.getElementById("example").addEventListener("change", function (event) {
    var chosen = examples.filter(function (e) { return e.name === event.target.value; })[0];
    if (chosen) { setQuery(chosen.text); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  if (form.dataset.autorun === "true") { run(); }
}());
