// A source page: a fragment such as #L144-L149 marks those lines and scrolls to the first.
// (The server marks ?lines=144-149 itself; a single #L144 is marked by CSS :target.)
(function () {
  "use strict";
  function mark() {
    var found = /^#L(\d+)(?:-L?(\d+))?$/.exec(window.location.hash);
    if (!found) { return; }
    var start = parseInt(found[1], 10), end = parseInt(found[2] || found[1], 10);
    if (end < start) { var t = start; start = end; end = t; }
    Array.prototype.forEach.call(document.querySelectorAll(".source-text .line.marked"), function (line) {
      line.classList.remove("marked");
    });
    for (var n = start; n <= end; n++) {
      var line = document.getElementById("L" + n);
      if (line) { line.classList.add("marked"); }
    }
    var first = document.getElementById("L" + start);
    if (first) { first.scrollIntoView({block: "start"}); }
  }
  window.addEventListener("hashchange", mark);
  if (/^#L\d+-L?\d+$/.test(window.location.hash)) { mark(); }
}());
