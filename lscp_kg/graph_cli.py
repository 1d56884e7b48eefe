"""The ``lscp-kg`` commands on the graph as data: ``validate`` it, ``query`` it, ``export`` it, ``publish`` it to
a remote store (registered in :mod:`lscp_kg.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from .backends import StoreError, StoreSettings, backend_class, store_settings
from .cli_options import base_option, data_option, load_or_exit, store_options
from .export import export_graph
from .terminal_tables import render_cli_result

# Imported inside the commands that need them (CPU time to import, measured over the 0.37 s every lscp-kg
# command pays, -X importtime and getrusage, best of 5): validation (pyshacl, rdflib) 0.18 s,
# publish 0.06 s, the networkx projection 0.16 s.


@click.command()
@data_option
@base_option
@store_options
def validate(data: tuple[Path, ...], base_iri: str) -> None:
    """Check SHACL conformance and the provenance of every fact."""
    from .validation import validate_graph  # 0.18 s: see the imports

    report = validate_graph(load_or_exit(data, base_iri))
    click.echo(report.as_text())
    sys.exit(0 if report.ok else 1)


@click.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@data_option
@base_option
@store_options
def query(sparql: str, fmt: str, data: tuple[Path, ...], base_iri: str) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) and print the result."""
    kg = load_or_exit(data, base_iri)
    try:
        result = kg.query(sparql)
        click.echo(render_cli_result(result, fmt), nl=False)
    except SyntaxError as error:
        click.echo(f"error: SPARQL syntax: {error}", err=True)
        sys.exit(2)


EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                  "jsonld": ox.RdfFormat.JSON_LD}


@click.command()
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
    if fmt == "graphml":
        from .visualisations.projection import graphml_bytes  # 0.16 s: see the imports

        payload = graphml_bytes(load_or_exit(data, base_iri))
    else:
        payload = export_graph(load_or_exit(data, base_iri), EXPORT_FORMATS[fmt])
    if output:
        output.write_bytes(payload)
    else:
        sys.stdout.buffer.write(payload)


@click.command()
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
    from .publish import publish as publish_graph  # 0.06 s, and validation 0.18 s: see the imports
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
