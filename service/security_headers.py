"""The one place that sets security headers, and the sanitiser for HTML built from the data.

:func:`register_security_headers` adds, to every response of every blueprint
(error pages included), ``X-Content-Type-Options: nosniff``, CORS for browser
integrators on the machine paths, and to every ``text/html`` response the
:data:`CONTENT_SECURITY_POLICY`, the one policy of every page (no module sets another). An XML answer that would be malformed (a control
character in the data) becomes a 406 that suggests another format
(:func:`formats.xml_refusal`), before the headers are set.

>>> from flask import Flask
>>> app = Flask(__name__)
>>> register_security_headers(app, ("*",))
>>> response = app.test_client().get("/no-such-page")
>>> response.status_code, response.headers["Content-Security-Policy"].split(";")[0]
(404, "default-src 'none'")
"""

from __future__ import annotations

import nh3
from flask import Flask, request

from lscp_kg.service.errors import error_response
from lscp_kg.service.formats import XML_MEDIA_TYPES, xml_refusal

#: The one policy of every HTML answer (pages, network views, errors): scripts, styles, images and data from the
#: service itself only, no inline script; images may be data: URLs (the explorer's PNG export), fetches go to the
#: service (the explorer's neighbours); a page may be framed by the service's own pages only.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'self'")
CORS_PATHS = ("/sparql", "/api/", "/openapi.json", "/id/", "/entity", "/ontology", "/health", "/scrutiny")


def _cors(response, origins: tuple[str, ...]) -> None:
    origin = request.headers.get("Origin")
    allowed = "*" if "*" in origins else (origin if origin in origins else None)
    if not allowed:
        return
    response.headers["Access-Control-Allow-Origin"] = allowed
    response.headers["Access-Control-Expose-Headers"] = "X-Truncated, X-Row-Cap, Content-Type"
    if allowed != "*":
        response.vary.add("Origin")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"


def register_security_headers(app: Flask, origins: tuple[str, ...]) -> None:
    """CORS on the machine paths, ``nosniff`` everywhere, the content security policy on every HTML page."""

    @app.after_request
    def _headers(response):
        # XML that would be malformed is refused, whichever endpoint made it (files sent as they are, such as
        # static assets under the server's file wrapper, have no body to read here)
        if response.mimetype in XML_MEDIA_TYPES and not response.is_streamed and not response.direct_passthrough:
            refusal = xml_refusal(response.get_data(), response.mimetype)
            if refusal:
                response = error_response(406, refusal, {"Vary": "Accept"})
        if request.path.startswith(CORS_PATHS):
            _cors(response, origins)
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY  # one policy, set here only
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


#: What generated documentation (pyLODE) may keep: structure, links and classes, no script, no style, no form.
HTML_TAGS = {"a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "code", "dd", "details", "div",
             "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
             "i", "li", "main", "nav", "ol", "p", "pre", "section", "small", "span", "strong", "sub", "summary",
             "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
HTML_ATTRIBUTES = {"*": {"id", "class", "title", "lang", "dir"}, "a": {"href"}, "td": {"colspan", "rowspan"},
                   "th": {"colspan", "rowspan", "scope"}}


def sanitise_html(html: str) -> str:
    """HTML from a generator fed with the data, with everything but its structure taken out (nh3's allow-list).

    Tags, ids, classes and links within the page or the site stay; scripts, styles,
    event handlers, ``javascript:`` and links to other hosts go (their text stays, escaped).

    >>> sanitise_html('<h2 id="t" class="x">A <script>alert(1)</script><img src=x onerror=alert(1)></h2>')
    '<h2 id="t" class="x">A </h2>'
    >>> sanitise_html('<a href="#Seat" onclick="x()">Seat</a> <a href="javascript:alert(1)">j</a> <a href="https://evil.example/">e</a>')
    '<a href="#Seat">Seat</a> <a>j</a> <a>e</a>'
    >>> sanitise_html('<p>&lt;script&gt; stays text</p>')
    '<p>&lt;script&gt; stays text</p>'
    """

    def same_site(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return value if value.startswith(("#", "/")) and not value.startswith("//") else None
        return value

    return nh3.clean(html, tags=HTML_TAGS, clean_content_tags={"script", "style"}, attributes=HTML_ATTRIBUTES,
                     attribute_filter=same_site, link_rel=None, url_schemes=set())
