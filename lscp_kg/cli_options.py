"""The options every ``lscp-kg`` command that loads the graph shares, and the loading itself.

``--data PATH`` (repeatable: a Turtle/TriG file or a folder of them, added to the shipped data),
``--base IRI`` (the base for relative entity IRIs; ``LSCP_KG_BASE``) and the store options
(:func:`store_options`): ``--store-path DIR`` for an on-disk embedded store, or
``--store sparql+http://host:port/path`` for a remote SPARQL store that ``lscp-kg publish`` loaded.
A module of its own so that every command module takes them from here, and :mod:`lscp_kg.cli` only
gathers the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .backends import StoreError, StoreSettings, store_settings
from .namespaces import DEFAULT_BASE_IRI
from .store import KnowledgeGraph, load_knowledge_graph
from .data_errors import DataFileError

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
