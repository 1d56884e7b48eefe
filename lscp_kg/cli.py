"""The ``lscp-kg`` command line: the command group, which gathers the commands of their modules, and ``serve``.

The commands: ``build`` and ``new`` (:mod:`lscp_kg.authoring.commands`), ``validate``, ``query``, ``export``
and ``publish`` (:mod:`lscp_kg.graph_cli`), ``scrutinise``, ``visualise`` and ``analyse``
(:mod:`lscp_kg.reports_cli`), ``coverage`` (:mod:`lscp_kg.coverage_cli`) and ``serve`` (here). Every command
that loads the graph takes the options of :mod:`lscp_kg.cli_options`: ``--data PATH`` (repeatable),
``--base IRI`` and the store options (``--store-path DIR``, or ``--store sparql+http://host:port/path``).
"""

from __future__ import annotations

import sys

import click

from .authoring.commands import build, new
from .backends import StoreError
from .cli_options import base_option, data_option, load_or_exit, store_options
from .coverage_cli import coverage
from .graph_cli import export, publish, query, validate
from .reports_cli import analyse, scrutinise, visualise
from .service.limits import Limits, ServerOptions


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


for command in (build, new, validate, query, export, scrutinise, visualise, analyse, coverage, publish):
    main.add_command(command)


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

