"""Find by name: ``/search?q=`` (a page), ``/api/search`` (JSON), and the pages that let a form take a name.

Both use :func:`lscp_kg.search.search`, the one search. A hit links to its
entity page (:func:`page_urls.entity_url`), its network view, and the named
questions whose parameter takes its kind (the parameter's ``class:``). Wherever
names are listed (hits, pickers, the choices of an ambiguous name) an entity
whose name is not unique is shown by its display name, with its partnerships
beside it ("Operational team (Eastshire)").

``/api/search?q=&kind=&partnership=&limit=``: ``kind`` and ``partnership``
may be repeated (CURIEs or IRIs; a partnership may be relative to the base),
``limit`` is 1-100 (default 20). Bad values answer 400 saying which and why.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, render_template, request, url_for

from lscp_kg.query_binding import NamedQuery
from lscp_kg.query_parameters import ParameterError
from lscp_kg.name_resolution import kinds_in_words, looks_like_iri, resolve_value
from lscp_kg.namespaces import PREFIXES
from lscp_kg.search import index_for, search
from lscp_kg.search_hits import Hit
from lscp_kg.search_index import ANY_KIND, MAX_LIMIT, MAX_QUERY_LENGTH
from lscp_kg.service.errors import HttpError
from lscp_kg.service.explore import network
from lscp_kg.service.page_urls import entity_url
from lscp_kg.service.state import service_state

bp = Blueprint("search", __name__)
DEFAULT_LIMIT = 20
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _class_iri(text: str) -> str:
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    if _ABSOLUTE.match(text):
        return text
    raise HttpError(400, f"parameter 'kind': {text!r} is not a class; give a CURIE such as lscp:Body "
                         f"(prefixes {', '.join(sorted(PREFIXES))}) or an absolute IRI.")


def _given_once(*keys: str) -> None:
    for key in keys:
        if len(request.args.getlist(key)) > 1:
            raise HttpError(400, f"parameter {key!r}: given {len(request.args.getlist(key))} times; give it once.")


def _words(require_q: bool) -> str:
    """``?q=``: the words to look for (required by the API), at most MAX_QUERY_LENGTH characters."""
    text = request.args.get("q", "")
    if require_q and not text:
        raise HttpError(400, "parameter 'q' is required: the words to look for, e.g. /api/search?q=partnership+group")
    if len(text) > MAX_QUERY_LENGTH:
        raise HttpError(400, f"parameter 'q': at most {MAX_QUERY_LENGTH} characters (this one has {len(text)}).")
    return text


def _limit() -> int:
    """``?limit=``: a whole number from 1 to MAX_LIMIT (default DEFAULT_LIMIT)."""
    raw_limit = request.args.get("limit", str(DEFAULT_LIMIT)).strip()
    if not re.fullmatch(r"\d{1,6}", raw_limit) or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise HttpError(400, f"parameter 'limit': a whole number from 1 to {MAX_LIMIT}, not {raw_limit[:40]!r}.")
    return int(raw_limit)


def _listed(key: str) -> list[str]:
    """A parameter's values, repeated or comma-separated, each stripped, empty ones left out."""
    return [v.strip() for value in request.args.getlist(key) for v in value.split(",") if v.strip()]


def search_arguments(require_q: bool) -> tuple[str, list[str], list[str], int]:
    """The search's query-string arguments, checked: 400 with a clear message for a bad one."""
    _given_once("q", "limit")
    text = _words(require_q)
    limit = _limit()
    kinds = [_class_iri(k) for k in _listed("kind")]
    base = service_state().kg.base_iri
    owners = [p if _ABSOLUTE.match(p) else base + p.lstrip("/") for p in _listed("partnership")]
    return text, kinds, owners, limit


def questions_for(hit: Hit) -> list[dict]:
    """The named questions with a parameter that takes this entity's kind, each with its page for it."""
    state, found = service_state(), []
    relative = hit.iri[len(state.kg.base_iri):] if hit.iri.startswith(state.kg.base_iri) else hit.iri
    for query in state.named_queries.values():
        for param in query.parameters:
            if param.type == "iri" and (hit.classes.intersection(param.classes) or set(param.classes) & set(ANY_KIND)):
                found.append({"name": query.name, "title": query.title, "parameter": param.name,
                              "page": url_for("queries.page", name=query.name, **{param.name: relative})})
                break
    return found


def network_url(iri: str) -> str | None:
    """The entity's network view, if the network draws it."""
    try:
        return url_for("explore.view", name="entity", iri=iri) if iri in network() else None
    except Exception:  # noqa: BLE001 - a page never fails because the network could not be drawn
        return None


def described(hit: Hit) -> dict:
    """A hit with its links (the JSON of /api/search, and what the page shows)."""
    return {**hit.to_json(), "page": entity_url(hit.iri), "network": network_url(hit.iri),
            "questions": questions_for(hit)}


@bp.get("/api/search")
def api():
    text, kinds, owners, limit = search_arguments(require_q=True)
    result = search(service_state().kg, text, kinds, owners, limit)
    document = {"query": text, "closest": result.closest, "hits": [described(h) for h in result.hits]}
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/json")


@bp.get("/search")
def page():
    text, kinds, owners, limit = search_arguments(require_q=False)
    state = service_state()
    result = search(state.kg, text, kinds, owners, limit) if text.strip() else None
    hits = [described(h) for h in result.hits] if result else []
    return render_template("search.html", q=text, hits=hits, closest=bool(result and result.closest),
                           searched=result is not None, partnerships=index_for(state.kg).partnerships(),
                           chosen_partnerships=owners)


def rerun_url(query: NamedQuery, values: dict, name: str, iri: str) -> str:
    """The question's page with one parameter set to an entity (relative to the base where it can be)."""
    base = service_state().kg.base_iri
    arguments = {k: v for k, v in values.items() if v not in (None, "")}
    arguments[name] = iri[len(base):] if iri.startswith(base) else iri
    return url_for("queries.page", name=query.name, **arguments)


def choices_page(query: NamedQuery, raw: dict, problem: ParameterError):
    """The candidates for a parameter (a name that fits several, or a choice the form asks for)."""
    param = next(p for p in query.parameters if p.name == problem.parameter)
    asked = raw.get(param.name, "")
    wanted = kinds_in_words(index_for(service_state().kg), param.classes)
    return render_template("search_choices.html", query=query, param=param, asked=asked, problem=problem, wanted=wanted,
                           choices=[{**s, "href": rerun_url(query, raw, param.name, s["iri"])} for s in problem.suggestions],
                           form=url_for("queries.page", name=query.name))


def picker_value(raw, param=None) -> dict:
    """What a picker shows for its current value: the label of the entity it stands for (an IRI of the graph,
    or a name that resolves to one entity of the parameter's kind), else the text as typed."""
    text = "" if raw is None else str(raw)
    if not text:
        return {"text": "", "iri": ""}
    kg = service_state().kg
    if param is not None:
        try:
            iri = resolve_value(kg, param, text).value
        except ParameterError:
            return {"text": text, "iri": ""}
    elif looks_like_iri(text):
        iri = text if _ABSOLUTE.match(text) or ":" in text.split("/")[0] else kg.base_iri + text.lstrip("/")
    else:
        return {"text": text, "iri": ""}
    hit = index_for(kg).entity(iri)
    if hit is None:
        return {"text": text, "iri": ""}
    return {"text": hit.display, "iri": iri[len(kg.base_iri):] if iri.startswith(kg.base_iri) else iri}


def display_name(iri: str, label: str) -> str:
    """The name to list an entity by: its display name (with its partnerships when the name is not unique),
    else the label given."""
    hit = index_for(service_state().kg).entity(iri) if iri else None
    return hit.display if hit is not None else label


@bp.app_context_processor
def picker_helpers() -> dict:
    return {"picker_value": picker_value, "rerun_url": rerun_url, "search_api": url_for("search.api"),
            "display_name": display_name}
