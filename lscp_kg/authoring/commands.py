"""The ``lscp-kg build`` and ``lscp-kg new`` commands (registered in lscp_kg.cli)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..namespaces import DEFAULT_BASE_IRI
from ..data_errors import DataFileError
from ..locations import SHIPPED_DATA_DIR
from ..rdf_files import AUTHORING_SUFFIXES
from .new import new_partnership
from .trig import to_trig


def authoring_files(paths: tuple[Path, ...]) -> list[Path]:
    """The YAML files named, or found in the folders named (default: the shipped data), each once."""
    found: list[Path] = []
    for path in paths or (SHIPPED_DATA_DIR,):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in AUTHORING_SUFFIXES))
        elif path.is_file():
            if path.suffix in AUTHORING_SUFFIXES:
                found.append(path)
        else:
            raise click.BadParameter(f"{path}: no such file or folder")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Authoring YAML file, or folder, to build (repeatable; as every command takes it); "
                   "Turtle/TriG files given are loaded beside the shipped data for the check.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="TriG file to write (default: standard output).")
@click.option("--check", is_flag=True, help="Only check: report problems, write nothing.")
@click.option("--base", "base_iri", default=DEFAULT_BASE_IRI, envvar="LSCP_KG_BASE", show_default=True)
def build(paths: tuple[Path, ...], data: tuple[Path, ...], output: Path | None, check: bool, base_iri: str) -> None:
    """Compile authoring YAML files into TriG (same input, same bytes).

    Give the files with --data (or as arguments; default: the shipped data). Every
    problem `lscp-kg validate` would find in them is reported first, in the YAML's own
    field names, with file, line and fix: quotes not in the source text (with its
    nearest passage), unknown kinds and fields, missing types, labels and required
    fields, names that break the naming rule, references to things described nowhere,
    unknown terms in turtle blocks, people merged without a stated reason. A person
    with the name of another gets a warning.
    """
    # Imported here: the check (pyshacl, rdflib) costs about 0.9 s to import, which every other lscp-kg
    # command would pay at start-up (measured after lscp_kg.cli).
    from .check import check_files

    for path in paths:
        if path.is_file() and path.suffix not in AUTHORING_SUFFIXES:
            raise click.UsageError(f"{path} is not an authoring file (.yaml): build compiles YAML; to load a "
                                   f"Turtle/TriG file beside it for the check, write --data {path}")
    files = authoring_files(tuple(paths) + tuple(data))
    if not files:
        raise click.UsageError("no .yaml authoring files found in " + ", ".join(map(str, paths + data)))
    try:
        result = check_files(files, base_iri, tuple(data))
    except DataFileError as error:
        raise click.ClickException(str(error)) from error
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.problems:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(result.problems)} problem(s); nothing written.", err=True)
        sys.exit(1)
    quads = result.quads
    passages = len({q.graph_name for q in quads})
    click.echo(f"OK: {len(files)} file(s), {passages} named graphs, {len(quads)} statements.", err=True)
    if result.elsewhere:
        click.echo(f"note: the other loaded data has {result.elsewhere} problem(s) of its own: "
                   "lscp-kg validate lists them", err=True)
    if check:
        return
    data_out = to_trig(quads, base_iri)
    if output:
        output.write_bytes(data_out)
    else:
        sys.stdout.buffer.write(data_out)


@click.command()
@click.argument("name")
@click.option("--source", "source", required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The saved web page (.html), the PDF, or the plain text (.txt, kept line for line) of the arrangements.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the partnership (default: graph_data/NAME).")
@click.option("--url", help="Where the page or PDF is published (recorded on the source document).")
@click.option("--force", is_flag=True, help="Overwrite an existing partnership.yaml with a new starter.")
def new(name: str, source: Path, out: Path | None, url: str | None, force: bool) -> None:
    """Start a partnership from its published page: source text plus a starter YAML.

    Run again with a republished page to refresh the text; the YAML is kept, and
    `lscp-kg build` then reports the quotes that no longer match.
    """
    try:
        made = new_partnership(name, source, out, url, force)
    except (ValueError, OSError, DataFileError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"wrote {made.text_file} ({made.lines} lines)")
    if made.yaml_written:
        click.echo(f"wrote {made.yaml_file}: a starter (the source document and a first passage); add passages "
                   f"next, then check: lscp-kg build --check --data {made.yaml_file.parent}")
    else:
        click.echo(f"kept {made.yaml_file}; check its quotes against the new text: "
                   f"lscp-kg build --check --data {made.yaml_file}")
