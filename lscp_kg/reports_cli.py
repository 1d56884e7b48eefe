"""The ``lscp-kg`` commands that judge and draw the arrangements: ``scrutinise`` (statute and guidance),
``visualise`` (a network view as one HTML file) and ``analyse`` (network analyses); registered in
:mod:`lscp_kg.cli`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_options import base_option, data_option, load_or_exit, store_options
from .query_parameters import ParameterError
from .scrutiny import parse_asof, run_scrutiny
from .scrutiny_render import render_html, render_text

# The network views are imported inside the commands that draw them: the projection, the views and their
# page cost 0.55 s of CPU to import (the projection and the analyses 0.13 s), over the 0.37 s every lscp-kg
# command pays (-X importtime and getrusage, best of 5).


@click.command()
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


@click.command()
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
    from .visualisations.projection import project  # 0.55 s with the next two: see the imports
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


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@data_option
@base_option
@store_options
def analyse(fmt: str, data: tuple[Path, ...], base_iri: str) -> None:
    """Network analyses: broken accountability chains, reporting cycles, bodies with no
    reporting line, posts with no holder, organisations with most seats, centrality."""
    from .visualisations.analysis import analyse as run_analyses  # 0.13 s with the projection: see the imports
    from .visualisations.analysis import as_text
    from .visualisations.projection import project

    report = run_analyses(project(load_or_exit(data, base_iri)))
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if fmt == "json" else as_text(report))
