// Every page: on a narrow screen the header navigation folds behind a "Menu" button (aria-expanded).
// Without this script the navigation simply wraps, and nothing is hidden.
(function () {
  "use strict";
  var header = document.querySelector("header.site");
  var button = header && header.querySelector("button.menu");
  var nav = header && header.querySelector("nav");
  if (!button || !nav) { return; }
  header.classList.add("js-menu");
  nav.dataset.collapsed = "true";
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.dataset.collapsed = open ? "false" : "true";
  });
}());
