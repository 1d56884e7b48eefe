"""Named queries: the ``.rq`` files in ``queries/``, with typed parameters.

Each file starts with ``#+`` header lines holding YAML (in the spirit of
grlc's decorators): a title, a description, the competency questions it
answers, and its parameters. A parameter ``x`` is the SPARQL variable ``?x``;
its value is bound as an RDF term with pyoxigraph's ``substitutions``, never
pasted into the query text. pyoxigraph only substitutes variables that the
query projects, so every parameter must appear in the SELECT clause.

    #+ title: Members and chair of a body
    #+ description: Every seat on a body, with its member, post and role.
    #+ answers: [9]
    #+ params:
    #+   body: {type: iri, class: lscp:Body, default: {only: lscp:PartnershipGroup},
    #+          description: "The body (IRI, absolute or relative to the base)"}

Parameter types: ``iri`` (absolute, or relative to the graph's base IRI),
``date`` (YYYY-MM-DD), ``string``, ``integer``, ``boolean``. An ``iri``
parameter names the kinds it takes in ``class`` (one or a list, CURIEs or
IRIs; subclasses count; ``owl:Thing`` for anything): forms offer entities of
those kinds by name, and a resolver (:mod:`lscp_kg.name_resolution`) turns a
name into its IRI. A default is a value, or is resolved against the loaded
data (:func:`lscp_kg.name_resolution.resolve_defaults`): ``{only: true}`` the
only entity of the parameter's class, ``{only: CLASS}`` the only one of that
class, ``{label: "..."}`` the one entity of the class with that name; none
when the data has none or several. ``#+ home: {section, key, columns, ended}``
puts the answer on the home page (:mod:`lscp_kg.home_sections`).

The work is done in four modules, each with one job: :mod:`lscp_kg.query_files`
reads a file and its header, :mod:`lscp_kg.query_parameters` turns a value
into a term, :mod:`lscp_kg.query_binding` binds a query's parameters, and
:mod:`lscp_kg.name_resolution` resolves names and default rules against the
data. This module loads the folder of questions.

>>> queries = load_named_queries()
>>> "statutory-partners" in queries
True
>>> queries["statutory-partners"].title
'The statutory safeguarding partners'
"""

from __future__ import annotations

from pathlib import Path

from .name_resolution import resolve_defaults
from .query_binding import NamedQuery
from .query_files import QUERIES_DIR, parse_query_file



def load_named_queries(directory: Path = QUERIES_DIR, kg=None) -> dict[str, NamedQuery]:
    """All named queries in a folder, by name (the file name without ``.rq``); with ``kg``, their
    defaults resolved against its data (see :func:`lscp_kg.name_resolution.resolve_defaults`)."""
    queries = {q.name: q for q in (parse_query_file(p) for p in sorted(Path(directory).glob("*.rq")))}
    return queries if kg is None else resolve_defaults(queries, kg)
