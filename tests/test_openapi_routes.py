"""openapi.json describes every public route of the app, with its methods (issue 18: the description is
tested against the routes, so a new page or API cannot be left out)."""

from __future__ import annotations

import json
import re
from pathlib import Path

SPEC = Path(__file__).resolve().parent.parent / "service" / "static" / "openapi.json"


def _routes(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        found.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return found


def _normalised(path: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "{}", path)


def test_every_route_is_described_with_its_methods(app):
    described = {_normalised(path): set(operations) - {"parameters"}
                 for path, operations in json.loads(SPEC.read_text(encoding="utf-8"))["paths"].items()}
    missing = {path: methods - described.get(_normalised(path), set()) for path, methods in _routes(app).items()}
    assert {path: m for path, m in missing.items() if m} == {}


def test_nothing_is_described_that_the_app_does_not_serve(app):
    served = {_normalised(path) for path in _routes(app)}
    described = {_normalised(path) for path in json.loads(SPEC.read_text(encoding="utf-8"))["paths"]}
    assert described - served == set()
