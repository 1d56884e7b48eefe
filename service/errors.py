"""Clear error answers: one exception for every refusal, rendered as text, JSON or HTML.

Blueprints raise :class:`HttpError` (or let Werkzeug raise its own 4xx); the
handler below answers with the message in the form the client asked for:
JSON under ``/api/``, text elsewhere, HTML for browsers, unless ``Accept``
says otherwise. Never a stack trace, never a bare HTML page for an API client,
and never a 500 for a query that failed (503: the worker could not answer).

>>> from flask import Flask
>>> app = Flask(__name__)
>>> register_error_handlers(app)
>>> @app.get("/fails")
... def fails():
...     raise HttpError(500, "The query failed: OSError: Network is unreachable.")
>>> answer = app.test_client().get("/fails", headers={"Accept": "application/json"})
>>> answer.status_code, answer.headers["Retry-After"]
(503, '2')
"""

from __future__ import annotations

import json

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from lscp_kg.backends import StoreError
from lscp_kg.service.formats import NotAcceptable, error_media_type


class HttpError(Exception):
    """A refusal with an HTTP status and a message meant for the person or program that asked."""

    def __init__(self, status: int, message: str, headers: dict | None = None, details: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, dict(headers or {})
        self.details = dict(details or {})  # more members of the JSON answer (a parameter's suggestions)


def one_value(key: str, usage: str) -> str:
    """The query parameter ``key``, given once and not blank (stripped); else 400 saying how to give it (``usage``)."""
    values = request.args.getlist(key)
    if len(values) != 1 or not values[0].strip():
        raise HttpError(400, f"Give exactly one {key!r} parameter: {usage}.")
    return values[0].strip()


def _preferred_error_type() -> str:
    if request.path.startswith(("/api/", "/openapi.json", "/health")):
        return "application/json"
    if request.path.startswith("/sparql"):
        return "text/plain"
    return "text/html"


def request_error_type() -> str:
    """The media type of an error answer to the current request."""
    return error_media_type(request.headers.get("Accept"), _preferred_error_type())


def error_response(status: int, message: str, headers: dict | None = None, details: dict | None = None) -> Response:
    """The error answer for the current request."""
    media_type = request_error_type()
    if media_type == "application/json":
        body = json.dumps({"error": message, "status": status, **(details or {})}, ensure_ascii=False) + "\n"
    elif media_type == "text/html":
        body = render_template("error.html", status=status, message=message)
    else:
        body = message + "\n"
    response = Response(body, status=status, mimetype=media_type)
    response.headers.update(headers or {})
    return response


def error_page_outside_a_request(app: Flask, status: int, message: str, headers: dict) -> tuple[list, bytes]:
    """The HTML error page and its headers (security headers included) for an answer written outside any
    request: the query watch's 503 to a browser whose query it stopped.

    >>> from flask import Flask
    >>> app = Flask(__name__, template_folder="templates")
    >>> @app.after_request
    ... def mark(response):
    ...     response.headers["X-Marked"] = "yes"
    ...     return response
    >>> app.jinja_loader = __import__("jinja2").DictLoader({"error.html": "<p>{{ status }}: {{ message }}</p>"})
    >>> headers, body = error_page_outside_a_request(app, 503, "Stopped <here>.", {"Retry-After": "2"})
    >>> body, dict(headers)["X-Marked"], dict(headers)["Retry-After"], dict(headers)["Content-Type"]
    (b'<p>503: Stopped &lt;here&gt;.</p>', 'yes', '2', 'text/html; charset=utf-8')
    """
    with app.test_request_context("/", headers={"Accept": "text/html"}):
        response = app.process_response(error_response(status, message, headers))
        return list(response.headers.items()), response.get_data()


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HttpError)
    def _http_error(error: HttpError):
        if error.status == 500:  # a query that failed in its worker (an I/O error, say): the service is not broken
            return error_response(503, f"{error.message} The service itself is running: please try again.",
                                  {"Retry-After": "2", **error.headers}, error.details)
        return error_response(error.status, error.message, error.headers, error.details)

    @app.errorhandler(NotAcceptable)
    def _not_acceptable(refusal: NotAcceptable):  # formats.choose_format and formats.refuse: the one 406
        return error_response(refusal.status, refusal.message, refusal.headers)

    @app.errorhandler(StoreError)
    def _store_error(error: StoreError):  # a remote store that failed a page's own queries
        return error_response(503, f"The store could not answer: {error}.", {"Retry-After": "5"})

    @app.errorhandler(HTTPException)
    def _werkzeug_error(error: HTTPException):
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return error_response(error.code or 500, error.description or error.name, headers)
