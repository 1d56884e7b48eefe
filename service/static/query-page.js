// The query page: the CodeMirror editor (when installed) with completion of prefixes, classes and
// properties, Ctrl+Enter to run, and the examples. The form itself works without this script: the
// server runs the query and writes the answer into the page (one renderer for tables, escaped).
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  if (!form) { return; }
  var textarea = document.getElementById("query");
  var status = document.getElementById("status");
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var words = JSON.parse(document.getElementById("completions").textContent);
  var editor = null;

  function run() {
    if (editor) { editor.save(); }
    status.textContent = "Running…";
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  // Completion: the word being typed (a prefixed name or a prefix) against the prefixes, classes and properties.
  function hint(cm) {
    var cursor = cm.getCursor();
    var line = cm.getLine(cursor.line);
    var start = cursor.ch;
    while (start > 0 && /[\w:.-]/.test(line.charAt(start - 1))) { start--; }
    var typed = line.slice(start, cursor.ch).toLowerCase();
    var atPrefixDeclaration = /^\s*prefix\s*$/i.test(line.slice(0, start));
    var list = words.filter(function (w) {
      var key = w.kind === "prefix" ? (atPrefixDeclaration ? w.display : w.text) : w.text;
      return key.toLowerCase().indexOf(typed) === 0 || (w.kind !== "prefix" && typed && w.text.toLowerCase().indexOf(":" + typed) > 0);
    }).slice(0, 60).map(function (w) {
      var text = w.kind === "prefix" && atPrefixDeclaration ? w.text.replace(/^PREFIX /, "") : w.text;
      return {text: text, displayText: w.display + (w.kind === "prefix" ? "  (declare)" : "")};
    });
    return {list: list, from: window.CodeMirror.Pos(cursor.line, start), to: window.CodeMirror.Pos(cursor.line, cursor.ch)};
  }

  if (window.CodeMirror) {
    // contenteditable input: screen readers read it, and the editor's scrolling box holds its focusable text.
    editor = window.CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, indentUnit: 2, viewportMargin: Infinity,
      inputStyle: "contenteditable",
      // Tab and Shift+Tab move the focus on, as everywhere else (no keyboard trap); Ctrl+] and Ctrl+[ indent.
      extraKeys: {"Ctrl-Enter": run, "Cmd-Enter": run, "Ctrl-Space": "autocomplete", "Tab": false, "Shift-Tab": false},
      hintOptions: {hint: hint, completeSingle: false}
    });
    var input = editor.getInputField();
    input.setAttribute("role", "textbox");
    input.setAttribute("aria-multiline", "true");
    input.setAttribute("aria-label", document.querySelector("label[for=query]").textContent + " (SPARQL)");
    input.setAttribute("aria-describedby", "query-help");
    editor.on("inputRead", function (cm, change) {
      if (change.text.length === 1 && /[\w:]/.test(change.text[0]) && cm.showHint) { cm.showHint(); }
    });
  } else {
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    });
  }

  document.getElementById("example").addEventListener("change", function (event) {
    var chosen = examples.filter(function (e) { return e.name === event.target.value; })[0];
    if (!chosen) { return; }
    if (editor) { editor.setValue(chosen.text); } else { textarea.value = chosen.text; }
  });
  form.addEventListener("submit", function () {
    if (editor) { editor.save(); }
    status.textContent = "Running…";
  });
}());
