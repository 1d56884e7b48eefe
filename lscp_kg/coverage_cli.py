"""``lscp-kg coverage``: per source document, how many lines the graph cites, how many it deliberately leaves
out, and every line that states something and is not in the graph (registered in :mod:`lscp_kg.cli`).

The command is a report: it exits 0 whatever it finds, unless ``--fail-on-uncited`` is given (for a
steward's CI), when it exits 1 while any line that states something is neither cited nor marked
``not_modelled:``, or has words (two or more) that no quote holds.

>>> print(render_text([]), end="")
No source document with its text is loaded.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from .cli_options import base_option, data_option, load_or_exit, store_options
from .coverage import Coverage, CoverageError, coverage_of_all

#: How each count is named for people, in the order of lscp_kg.coverage.STATUSES.
COUNT_NAMES = {"cited": "cited by the graph", "partly": "in the graph only in part (words no passage quotes)",
               "not-modelled": "deliberately not modelled",
               "stating": "state something and are not in the graph", "structural": "headings, addresses and navigation",
               "blank": "blank"}


def _lines(n: int) -> str:
    """A count of lines in words.

    >>> _lines(1), _lines(2)
    ('1 line', '2 lines')
    """
    return f"{n} line" + ("" if n == 1 else "s")


def _one_line(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(reports: list[Coverage]) -> str:
    """The counts of each document, then its lines that state something and are not in the graph, those in it only
    in part (with the words left out), and those not modelled (with the reason)."""
    if not reports:
        return "No source document with its text is loaded.\n"
    out = []
    for report in reports:
        counts = report.counts()
        out.append(f"{report.document.label} ({report.document.iri}): {_lines(len(report.lines))}")
        out.extend(f"  {counts[status]:5d} {name}" for status, name in COUNT_NAMES.items())
        stating = report.with_status("stating")
        if stating:
            out.append(f"  Not in the graph ({_lines(len(stating))} that state{'s' if len(stating) == 1 else ''} something):")
            out.extend(f"    line {line.number}: {_one_line(line.text)}" for line in stating)
        partly = report.with_status("partly")
        if partly:
            out.append(f"  In the graph only in part ({_lines(len(partly))}; the words no passage quotes):")
            out.extend(f"    line {line.number}: " + " … ".join(f"“{_one_line(words, 80)}”" for words in line.left_out)
                       for line in partly)
        if not report.remaining():
            out.append("  Every line that states something is in the graph or marked not modelled.")
        marked = report.with_status("not-modelled")
        if marked:
            out.append(f"  Deliberately not modelled ({_lines(len(marked))}):")
            out.extend(f"    line {line.number}: {_one_line(line.text, 80)} — {line.reason}" for line in marked)
        out.append("")
    return "\n".join(out)


def render_csv(reports: list[Coverage]) -> str:
    """One row for each line the graph does not cite in full and that is not blank: partly, not modelled, stating
    or structural (``why``: the words left out, the reason, or what the line rules saw)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["document", "line", "status", "why", "text"])
    for report in reports:
        for line in report.with_status("partly", "not-modelled", "stating", "structural"):
            why = line.reason if line.status == "not-modelled" else " … ".join(line.left_out) or line.why
            writer.writerow([report.document.iri, line.number, line.status, why, line.text])
    return buffer.getvalue()


def render_json(reports: list[Coverage]) -> str:
    return json.dumps({"documents": [r.to_dict(lines=False) for r in reports]}, indent=2, ensure_ascii=False) + "\n"


@click.command()
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only this source document: its name (id/source/NAME) or IRI (repeatable; default: every one).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--fail-on-uncited", is_flag=True,
              help="Exit 1 while any line that states something is neither in the graph nor marked not_modelled, "
                   "or is in the graph only in part.")
@data_option
@base_option
@store_options
def coverage(sources: tuple[str, ...], fmt: str, fail_on_uncited: bool, data: tuple[Path, ...], base_iri: str) -> None:
    """What the graph leaves out of each source: every line cited, deliberately not modelled, or not in the graph.

    Lines that state something and are not in the graph are listed by number; mark one the graph should
    not say with 'not_modelled: REASON' on a passage quoting it.
    """
    kg = load_or_exit(data, base_iri)
    try:
        reports = coverage_of_all(kg, sources)
    except CoverageError as error:
        raise click.BadParameter(str(error), param_hint="--source") from None
    render = {"text": render_text, "json": render_json, "csv": render_csv}[fmt]
    click.echo(render(reports), nl=False)
    if fail_on_uncited and any(r.remaining() for r in reports):
        sys.exit(1)
