"""Pages and small endpoints: home, the query page, /ontology, /health, /openapi.json, editor assets.

The query page's editor is CodeMirror 5 with its SPARQL mode, served from the
installed ``djangocodemirror`` distribution (which ships CodeMirror's files;
Django itself is never imported), so nothing is fetched from another host.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request, send_from_directory, url_for

from lscp_kg.query_parameters import ParameterError
from lscp_kg.namespaces import ONTOLOGY_IRI, PREFIXES
from lscp_kg.scrutiny_partnerships import partnerships_in, resolve_partnership
from lscp_kg.sparql_terms import iri_term, values_block
from lscp_kg.service.editor import completions, run_on_page
from lscp_kg.service.errors import HttpError
from lscp_kg.service.formats import HTML, PAGE_FORMATS, choose_format
from lscp_kg.service.page_urls import entity_url
from lscp_kg.service.ontology_doc import ontology_documentation, ontology_triples, vocabularies
from lscp_kg.service.overview import chooser, partnership_overview
from lscp_kg.service.state import service_state
from lscp_kg.source_texts import sources_for

bp = Blueprint("pages", __name__)
EDITOR_FILES = ("lib/codemirror.js", "lib/codemirror.css", "mode/sparql/sparql.js", "addon/hint/show-hint.js",
                "addon/hint/show-hint.css", "LICENSE")


def codemirror_dir() -> Path | None:
    """CodeMirror's folder inside the installed djangocodemirror package (None if not installed)."""
    spec = importlib.util.find_spec("djangocodemirror")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "static" / "CodeMirror"
    return folder if (folder / "lib" / "codemirror.js").is_file() else None


def example_text(query) -> str:
    """A named query as an editor example: its text with its default parameters as a trailing VALUES clause.

    The defaults come from the query file, are turned into RDF terms by
    ``NamedQuery.bind`` and written by :func:`lscp_kg.sparql_terms.values_block`, so the text stays valid SPARQL.
    """
    try:
        bound = query.bind({}, service_state().kg.base_iri)
    except ParameterError:  # a required parameter with no default in this data: the text alone
        bound = {}
    lines = [line for line in query.sparql.splitlines() if not line.startswith("#+")]
    text = "\n".join(lines).strip() + "\n"
    if bound:
        text += values_block(bound) + "\n"
    return text


@bp.app_context_processor
def sparql_writer() -> dict:
    """Templates that put an IRI into query text (a 'see where' link) write it with the one writer."""
    return {"iri_term": iri_term}


def home_partnership(loaded: dict[str, str]) -> str | None:
    """The partnership whose overview the home page shows: ``?partnership=`` (an IRI, absolute or relative to the
    base; one not ``loaded`` is a page not found), else the only one loaded; None to choose among several (or none)."""
    asked = request.args.get("partnership", "").strip()
    if asked:
        try:
            return resolve_partnership(service_state().kg, asked)
        except ParameterError as error:
            raise HttpError(404, str(error)) from None
    return next(iter(loaded)) if len(loaded) == 1 else None


@bp.get("/")
def home():
    state = service_state()
    loaded = partnerships_in(state.kg)
    partnership = home_partnership(loaded)
    if partnership is None:
        return render_template("home_chooser.html", triples=len(state.kg),
                               chooser=chooser(loaded, url_for("pages.home"), request.args.get("q", "").strip()))
    sources = {d.iri for d in sources_for(state.kg).documents()}
    return render_template("index.html", triples=len(state.kg), overview=partnership_overview(partnership),
                           loaded=len(loaded), source_iris=sources)


@bp.get("/query")
def query_page():
    state = service_state()
    examples = [{"name": q.name, "title": q.title, "text": example_text(q)} for q in state.named_queries.values()]
    text = request.args.get("query")
    initial = text or (examples[0]["text"] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    answer = run_on_page(text) if text and text.strip() else {"status": 200}
    downloads = {fmt: url_for("sparql.endpoint", query=text, format=fmt) for fmt in
                 (("turtle", "jsonld", "ntriples", "rdfxml") if "graph_text" in answer else ("json", "csv", "tsv", "xml"))} \
        if text and "error" not in answer else {}
    return render_template("query_page.html", examples=examples, initial=initial, kg_base=state.kg.base_iri,
                           prefixes=PREFIXES, completions=completions(), answer=answer, downloads=downloads,
                           editor=codemirror_dir() is not None), answer["status"]


@bp.get("/vendor/codemirror/<path:filename>")
def codemirror_asset(filename: str):
    folder = codemirror_dir()
    if folder is None or filename not in EDITOR_FILES:
        abort(404)
    return send_from_directory(folder, filename, max_age=86400)


@bp.get("/ontology")
def ontology():
    state = service_state()
    fmt = choose_format(PAGE_FORMATS)
    if fmt is HTML:
        triples = ontology_triples(state.kg)
        page = render_template("ontology.html", doc=ontology_documentation(state.kg, state.cache, entity_url),
                               triples=len(triples), vocabularies=vocabularies(triples), ontology_iri=ONTOLOGY_IRI)
        response = Response(page, mimetype="text/html")
    else:
        triples = ontology_triples(state.kg)
        if fmt.kind == "dataset":
            triples = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ONTOLOGY_IRI)) for t in triples]
        response = Response(ox.serialize(triples, format=fmt.oxigraph, prefixes=fmt.prefixes(PREFIXES)), mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response


@bp.get("/health")
def health():
    state = service_state()
    counts = state.cache.get("health")
    if counts is None:  # counted once per app (a remote store is not asked each time)
        counts = state.cache["health"] = (len(state.kg), len(state.kg.named_graphs()))
    body = {"status": "ok", "triples": counts[0], "named_graphs": counts[1],
            "named_queries": len(state.named_queries), "workers": state.runner.size,
            "workers_replaced": state.runner.replaced, "workers_network_isolated": state.runner.network_isolated,
            "network_isolation": state.runner.isolation(), "fairness": state.runner.fairness.describe(),
            "warm_up": state.warm_up,
            "limits": state.limits.describe()}
    return Response(json.dumps(body), mimetype="application/json")


@bp.get("/openapi.json")
def openapi():
    return send_from_directory(Path(current_app.root_path) / "static", "openapi.json", mimetype="application/json")
