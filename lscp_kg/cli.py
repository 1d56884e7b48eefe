"""The ``lscp-kg`` command line.

Every command that loads the graph takes ``--data PATH`` (repeatable: a
Turtle/TriG file or a folder of them, added to the shipped data),
``--base IRI`` (the base for relative entity IRIs; ``LSCP_KG_BASE``) and the
store options (:func:`store_options`): ``--store-path DIR`` for an on-disk
embedded store, or ``--store sparql+http://host:port/path`` for a remote
SPARQL store that ``lscp-kg publish`` loaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from .backends import StoreError, StoreSettings, store_settings
from .namespaces import DEFAULT_BASE_IRI
from .service.limits import Limits, ServerOptions
from .store import DataFileError, KnowledgeGraph, load_knowledge_graph

data_option = click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
                           help="Extra Turtle/TriG or authoring YAML file, or folder (repeatable).")
base_option = click.option("--base", "base_iri", default=DEFAULT_BASE_IRI, envvar="LSCP_KG_BASE", show_default=True,
                           help="Base IRI for the entity IRIs of the data.")


STORE_SETTINGS = "lscp_kg.store_settings"


def _remember_store_option(ctx: click.Context, param: click.Parameter, value):
    ctx.meta.setdefault(STORE_SETTINGS, {})[param.name] = value
    return value


def store_options(command):
    """``--store``, ``--store-update`` and ``--store-path``: where the graph lives.

    They reach :func:`load_or_exit` through the click context, so a command
    only adds this decorator; its signature does not change.
    """
    options = [
        click.option("--store", "store", metavar="URL", envvar="LSCP_KG_STORE", expose_value=False,
                     callback=_remember_store_option,
                     help="A remote SPARQL 1.1 store holding the published graph: sparql+http://host:port/path "
                          "(its query endpoint; credentials from LSCP_KG_STORE_USER / LSCP_KG_STORE_PASSWORD)."),
        click.option("--store-update", "store_update", metavar="URL", envvar="LSCP_KG_STORE_UPDATE",
                     expose_value=False, callback=_remember_store_option,
                     help="The store's update endpoint, if not the --store URL (publish only)."),
        click.option("--store-path", "store_path", metavar="DIR", envvar="LSCP_KG_STORE_PATH", expose_value=False,
                     callback=_remember_store_option, type=click.Path(path_type=Path, file_okay=False),
                     help="Keep the embedded store on disk in DIR: built once (again when the data changes), "
                          "then reopened fast."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load_or_exit(data: tuple[Path, ...], base_iri: str, settings: StoreSettings | None = None) -> KnowledgeGraph:
    """Load the graph for a command, or print a clear message and exit 2.

    Where it lives comes from ``settings``, else from the command's
    :func:`store_options`; a remote store is asked once, so that a wrong
    address, refused credentials or another base IRI stop the command now.
    """
    if settings is None:
        context = click.get_current_context(silent=True)
        chosen = context.meta.get(STORE_SETTINGS, {}) if context else {}
    try:
        if settings is None:
            settings = store_settings(**chosen)
        kg = load_knowledge_graph(data, base_iri=base_iri, settings=settings)
        note = kg.backend.check_base_iri(kg.base_iri)
        if note:
            click.echo(f"note: {note}", err=True)
        return kg
    except (DataFileError, ValueError, StoreError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


class _Commands(click.Group):
    """Every command: a remote store that fails mid-command gets a clear message, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StoreError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)


@click.group(cls=_Commands)
@click.version_option(package_name="lscp-kg")
def main() -> None:
    """Knowledge graph of safeguarding children partnership arrangements."""


# The authoring format: `build` compiles partnership YAML to TriG, `new` starts one from its page.
from .authoring.commands import build as _build, new as _new  # noqa: E402

main.add_command(_build, "build")
main.add_command(_new, "new")
main.add_command(__import__("lscp_kg.coverage_cli", fromlist=["command"]).command(), "coverage")


@main.command()
@data_option
@base_option
@store_options
def validate(data: tuple[Path, ...], base_iri: str) -> None:
    """Check SHACL conformance and the provenance of every fact."""
    from .validation import validate_graph

    report = validate_graph(load_or_exit(data, base_iri))
    click.echo(report.as_text())
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@data_option
@base_option
@store_options
def query(sparql: str, fmt: str, data: tuple[Path, ...], base_iri: str) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) and print the result."""
    from .results import render_cli_result

    kg = load_or_exit(data, base_iri)
    try:
        result = kg.query(sparql)
        click.echo(render_cli_result(result, fmt), nl=False)
    except SyntaxError as error:
        click.echo(f"error: SPARQL syntax: {error}", err=True)
        sys.exit(2)


EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                  "jsonld": ox.RdfFormat.JSON_LD}


@main.command()
@click.option("--format", "fmt", type=click.Choice(sorted([*EXPORT_FORMATS, "graphml"])), default="trig", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File to write (default: standard output).")
@data_option
@base_option
@store_options
def export(fmt: str, output: Path | None, data: tuple[Path, ...], base_iri: str) -> None:
    """Write the whole graph, provenance included.

    TriG, N-Quads and JSON-LD keep each fact in the named graph of its source
    passage; Turtle has no named graphs, so each fact is also written as an
    rdf:Statement with prov:wasDerivedFrom its passage. GraphML is the networkx
    projection (typed nodes, relations with their quotes) for Gephi or yEd.
    """
    from .export import export_graph

    if fmt == "graphml":
        from .visualisations.projection import graphml_bytes

        payload = graphml_bytes(load_or_exit(data, base_iri))
    else:
        payload = export_graph(load_or_exit(data, base_iri), EXPORT_FORMATS[fmt])
    if output:
        output.write_bytes(payload)
    else:
        sys.stdout.buffer.write(payload)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("--as-of", "asof", metavar="YYYY-MM-DD", help="Judge the arrangements as they stood on this date (default: today).")
@click.option("-v", "--verbose", is_flag=True, help="Text format: full quotes and citations.")
@click.option("--partnership", metavar="IRI", help="Only this partnership (IRI, absolute or relative to the base); default: every partnership, one section each.")
@data_option
@base_option
@store_options
def scrutinise(fmt: str, asof: str | None, verbose: bool, partnership: str | None, data: tuple[Path, ...], base_iri: str) -> None:
    """Check the arrangements against statute and guidance, and against themselves.

    Findings are reported, not treated as errors: the exit code is 0 whatever
    is found, and non-zero only when the data or the date cannot be read.
    """
    import json

    from .named_queries import ParameterError
    from .scrutiny import parse_asof, run_scrutiny
    from .scrutiny_render import render_html, render_text

    try:
        asof = parse_asof(asof)
    except ParameterError as error:
        raise click.BadParameter(str(error).split(": ", 1)[-1], param_hint="--as-of") from None
    kg = load_or_exit(data, base_iri)
    try:
        report = run_scrutiny(kg, asof, partnership=partnership)
    except ParameterError as error:
        raise click.BadParameter(str(error).split(": ", 1)[-1], param_hint="--partnership") from None
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    elif fmt == "html":
        click.echo(render_html(report), nl=False)
    else:
        click.echo(render_text(report, verbose=verbose), nl=False)


@main.command()
@click.argument("view")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False), help="HTML file to write.")
@click.option("--iri", help="entity view: the entity (IRI, absolute or relative to the base).")
@click.option("--depth", default="1", show_default=True, help="entity view: how many steps around the entity (1-3).")
@click.option("--from", "source", help="path view: the first entity.")
@click.option("--to", "target", help="path view: the second entity.")
@click.option("--body", help="seats view: the body (default: the body with most seats).")
@click.option("--service-url", help="Link nodes to the entity pages of a running service, e.g. http://127.0.0.1:5000 (default: no links).")
@data_option
@base_option
@store_options
def visualise(view: str, output: Path, iri, depth, source, target, body, service_url, data, base_iri) -> None:
    """Write a network view as one HTML file that opens from disk with no network.

    VIEW: structure, accountability, reporting, seats, priorities, legislation,
    report-path, entity (--iri, --depth) or path (--from, --to).
    """
    from .visualisations.projection import project
    from .visualisations.render import render_page
    from .visualisations.views import ViewError, build_view, view_parameters

    kg = load_or_exit(data, base_iri)
    raw = {"iri": iri, "depth": depth if view == "entity" else None, "from": source, "to": target, "body": body}
    try:
        network = project(kg)
        drawn = build_view(network, view, **view_parameters(view, raw, kg.base_iri))
    except ViewError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    output.write_text(render_page(drawn, kg.base_iri, standalone=True, service_url=service_url or None,
                                  projection=network), encoding="utf-8")
    click.echo(f"wrote {output}: {drawn.title} ({drawn.graph.number_of_nodes()} nodes, {drawn.graph.number_of_edges()} edges)")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@data_option
@base_option
@store_options
def analyse(fmt: str, data: tuple[Path, ...], base_iri: str) -> None:
    """Network analyses: broken accountability chains, reporting cycles, bodies with no
    reporting line, posts with no holder, organisations with most seats, centrality."""
    import json

    from .visualisations.analysis import analyse as run_analyses
    from .visualisations.analysis import as_text
    from .visualisations.projection import project

    report = run_analyses(project(load_or_exit(data, base_iri)))
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if fmt == "json" else as_text(report))


LIMITS, SERVER_OPTIONS = Limits(), ServerOptions()  # the one place of the limits' defaults


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, type=click.IntRange(0, 65535), show_default=True, help="Port (0: any free port).")
@click.option("--workers", default=LIMITS.workers, type=click.IntRange(1, 256), show_default=True,
              help="Server processes (each answers one request at a time; a quarter of them, at least one, never "
                   "run a query). Default: 2 x cores + 1.")
@click.option("--time-limit", default=LIMITS.time_limit, type=click.FloatRange(0.1, 3600), show_default=True,
              help="Seconds a query (or scrutiny report) may run before it is stopped (503).")
@click.option("--row-cap", default=LIMITS.row_cap, type=click.IntRange(1), show_default=True,
              help="Most rows or triples in one answer (X-Truncated: true past it).")
@click.option("--max-request-bytes", default=LIMITS.max_request_bytes, type=click.IntRange(1024), show_default=True,
              help="Largest request body accepted (413 past it).")
@click.option("--max-query-length", default=LIMITS.max_query_length, type=click.IntRange(16), show_default=True,
              help="Longest SPARQL text accepted, in characters (413 past it).")
@click.option("--memory-limit", default=LIMITS.memory_limit // 2**20, type=click.IntRange(0), show_default=True,
              help="MiB a query may take in its worker (0: no limit); a query past it stops its worker (503).")
@click.option("--queries-per-client", default=LIMITS.per_client, type=click.IntRange(1, 256), show_default=True,
              help="Queries one client address may have running or waiting at once (429 past it).")
@click.option("--connections-per-client", default=SERVER_OPTIONS.connections_per_client, type=click.IntRange(0),
              show_default=True, help="Connections one address may hold open in one server process before its "
                                      "request's headers are complete (0: no limit; use 0 behind a proxy).")
@click.option("--header-timeout", default=SERVER_OPTIONS.header_timeout, type=click.FloatRange(0.5, 600),
              show_default=True, help="Seconds a client may take to send a request's line and headers.")
@click.option("--trusted-proxy", metavar="ADDRESS",
              help="A reverse proxy in front: take the client's address from its X-Forwarded-For.")
@click.option("--require-network-isolation", is_flag=True,
              help="Refuse to start where query workers cannot be cut off from the network.")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Origin allowed to call the API from a browser (repeatable; default: any).")
@click.option("--no-validate", "no_validate", is_flag=True,
              help="Serve the data even if it fails validation (every page then says it is not validated).")
@data_option
@base_option
@store_options
def serve(host, port, workers, time_limit, row_cap, max_request_bytes, max_query_length, memory_limit,
          queries_per_client, connections_per_client, header_timeout, trusted_proxy, require_network_isolation,
          cors_origins, no_validate, data, base_iri) -> None:
    """Run the query service (SPARQL endpoint, named queries, entity pages) under gunicorn.

    The data is validated first (as `lscp-kg validate` does) and refused, with each problem, if it
    fails; --no-validate serves it anyway and every page says so. A remote store was validated by
    `lscp-kg publish`."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    from lscp_kg.service.app import InvalidData, create_app
    from lscp_kg.service.server import Server, network_isolation_refusal, trust_proxy  # gunicorn: only to serve

    kg = load_or_exit(data, base_iri)
    if no_validate:
        click.echo("warning: --no-validate: serving data that has not been validated; every page says so", err=True)
    refusal = network_isolation_refusal(kg) if require_network_isolation else None
    if refusal:
        click.echo(f"error: --require-network-isolation: {refusal}", err=True)
        sys.exit(2)
    try:  # the app factory validates (once per version of the data) and refuses invalid data
        app = create_app({
            "KNOWLEDGE_GRAPH": kg, "QUERY_WORKERS": workers, "QUERY_TIME_LIMIT": time_limit, "QUERY_ROW_CAP": row_cap,
            "MAX_CONTENT_LENGTH": max_request_bytes, "MAX_QUERY_LENGTH": max_query_length,
            "QUERY_MEMORY_LIMIT": memory_limit * 2**20, "QUERY_PER_CLIENT": queries_per_client,
            "CORS_ORIGINS": tuple(cors_origins) or ("*",), "VALIDATE": not no_validate, "WARM_CACHE": False,
        })
    except InvalidData as refusal:
        click.echo(refusal.report.as_text(), err=True)
        click.echo("error: the data does not validate, so it is not served. Fix the problems above (each names "
                   "its file, line and fix), or serve it anyway with --no-validate.", err=True)
        sys.exit(1)
    if trusted_proxy:
        trust_proxy(app, trusted_proxy)
    options = ServerOptions(header_timeout=header_timeout, connections_per_client=connections_per_client,
                            max_request_bytes=max_request_bytes)
    Server(app, host, port, workers, options).run()


@main.command()
@click.option("--store", "store", metavar="URL", envvar="LSCP_KG_STORE", required=True,
              help="The remote store's SPARQL query endpoint: sparql+http://host:port/path.")
@click.option("--store-update", "store_update", metavar="URL", envvar="LSCP_KG_STORE_UPDATE",
              help="Its update endpoint, if not the same URL (Virtuoso: .../sparql-auth).")
@click.option("--batch-size", default=500, type=click.IntRange(1, 100_000), show_default=True,
              help="Quads per SPARQL Update request (halved automatically if the store refuses a batch).")
@data_option
@base_option
def publish(store: str, store_update: str | None, batch_size: int, data: tuple[Path, ...], base_iri: str) -> None:
    """Validate the graph, then load it into a remote store, replacing the previous version in one step.

    Each source passage keeps its named graph. Readers using lscp-kg see the
    old version or the new one, never a mix (see docs/remote-store.md).
    Credentials: LSCP_KG_STORE_UPDATE_USER / LSCP_KG_STORE_UPDATE_PASSWORD
    (or LSCP_KG_STORE_USER / LSCP_KG_STORE_PASSWORD), never options.
    """
    from .backends import backend_class
    from .publish import publish as publish_graph
    from .validation import validate_graph

    try:
        settings = store_settings(store=store, store_update=store_update)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--store") from None
    if settings.remote_url is None:  # publishing is a SPARQL 1.1 Update: only a store reached over HTTP takes it
        raise click.BadParameter(f"{store!r}: publish to a SPARQL store (sparql+http://host:port/path)",
                                 param_hint="--store")
    kg = load_or_exit(data, base_iri, StoreSettings())
    report = validate_graph(kg)
    if not report.ok:
        click.echo(report.as_text(), err=True)
        click.echo("error: the graph does not validate; nothing was published", err=True)
        sys.exit(1)
    remote = backend_class(settings.store).from_settings(settings)
    click.echo(f"publishing {len(kg)} quads to {remote.describe()}", err=True)
    try:
        with click.progressbar(length=len(kg), label="loading", file=sys.stderr) as bar:
            result = publish_graph(kg, remote, progress=lambda done, total: bar.update(done - bar.pos),
                                   batch_size=batch_size)
    except (StoreError, SyntaxError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(result.as_text())
