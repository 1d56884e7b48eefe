"""The ``lscp-kg build`` and ``lscp-kg new`` commands (registered in lscp_kg.cli)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..namespaces import DEFAULT_BASE_IRI
from ..store import AUTHORING_SUFFIXES, SHIPPED_DATA_DIR, DataFileError
from .compiler import compile_document
from .errors import AuthoringError
from .trig import to_trig
from .yamlload import load_yaml_file


def authoring_files(paths: tuple[Path, ...]) -> list[Path]:
    """The YAML files named, or found in the folders named (default: the shipped data)."""
    found: list[Path] = []
    for path in paths or (SHIPPED_DATA_DIR,):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in AUTHORING_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise click.BadParameter(f"{path}: no such file or folder")
    return found


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="TriG file to write (default: standard output).")
@click.option("--check", is_flag=True, help="Only check: report problems, write nothing.")
@click.option("--base", "base_iri", default=DEFAULT_BASE_IRI, envvar="LSCP_KG_BASE", show_default=True)
def build(paths: tuple[Path, ...], output: Path | None, check: bool, base_iri: str) -> None:
    """Compile authoring YAML files into TriG (same input, same bytes).

    Every problem is reported with file, line and fix: quotes that are not in the
    source text (with its nearest passage), quotes found twice, unknown kinds.
    """
    quads, problems = [], []
    files = authoring_files(paths)
    if not files:
        raise click.UsageError("no .yaml authoring files found")
    for path in files:
        try:
            result = compile_document(load_yaml_file(path), path, base_iri)
        except AuthoringError as error:
            problems.extend(error.problems)
            continue
        problems.extend(result.problems)
        quads.extend(result.quads)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem(s); nothing written.", err=True)
        sys.exit(1)
    passages = len({q.graph_name for q in quads})
    click.echo(f"OK: {len(files)} file(s), {passages} named graphs, {len(quads)} statements.", err=True)
    if check:
        return
    data = to_trig(quads, base_iri)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@click.command()
@click.argument("name")
@click.option("--source", "source", required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The saved web page (.html) or the PDF of the arrangements.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the partnership (default: graph_data/NAME).")
@click.option("--url", help="Where the page or PDF is published (recorded on the source document).")
@click.option("--force", is_flag=True, help="Overwrite an existing partnership.yaml with a new starter.")
def new(name: str, source: Path, out: Path | None, url: str | None, force: bool) -> None:
    """Start a partnership from its published page: source text plus a starter YAML.

    Run again with a republished page to refresh the text; the YAML is kept, and
    `lscp-kg build` then reports the quotes that no longer match.
    """
    from .new import new_partnership

    try:
        made = new_partnership(name, source, out, url, force)
    except (ValueError, OSError, DataFileError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"wrote {made.text_file} ({made.lines} lines)")
    if made.yaml_written:
        click.echo(f"wrote {made.yaml_file}: the partnership and its source document; add passages next")
    else:
        click.echo(f"kept {made.yaml_file}; check its quotes against the new text: lscp-kg build {made.yaml_file}")
