"""The registry graph: which named graphs of a shared store are the published knowledge graph.

``lscp-kg publish`` keeps, in the named graph ``urn:lscp-kg:registry``, one
small description of what it published::

    <urn:lscp-kg:registry> reg:state "ready" ;            # or "publishing" during a swap
        reg:token "6f1c..." ;                             # changes at every state change
        reg:current <urn:lscp-kg:version:6f1c...> .
    <urn:lscp-kg:version:6f1c...> reg:graph <.../passage/L94-107>, ... ;
        reg:defaultGraph <urn:lscp-kg:default-graph> ;    # triples outside any named graph
        reg:quads 2719 ; reg:published "2026-..."^^xsd:dateTime ; reg:baseIri "https://..." .

Beside the named graphs, a publish writes ``urn:lscp-kg:union``: every
triple of the graph once, the default graph that pyoxigraph's "union of all
graphs" gives. Readers query with exactly these graphs as the dataset
(``FROM <urn:lscp-kg:union>``, and ``FROM NAMED`` each listed graph when the
query has a GRAPH pattern), so a store's own graphs (Virtuoso's system
graphs) and graphs being loaded never show; and they check the token after
each query (see :mod:`lscp_kg.backends.remote`). One union graph rather than
a FROM per passage keeps queries short and fast on stores that compile the
dataset into the query (Virtuoso takes several times longer with 120 FROMs).

>>> parse_registry([]) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from lscp_kg.sparql_terms import sparql_term

REGISTRY_GRAPH = "urn:lscp-kg:registry"
REG = "urn:lscp-kg:registry#"
DEFAULT_GRAPH_HOLDER = "urn:lscp-kg:default-graph"
#: Every triple of the published graph, once: the union default graph.
UNION_GRAPH = "urn:lscp-kg:union"
#: Stands for "no graph at all": a dataset of this graph only is empty.
EMPTY_GRAPH = "urn:lscp-kg:no-graph"
VERSION_PREFIX = "urn:lscp-kg:version:"
STAGING_PREFIX = "urn:lscp-kg:staging:"


@dataclass(frozen=True)
class Published:
    """What the registry says now."""

    token: str
    state: str  # "ready" or "publishing"
    version: str | None
    graphs: tuple[str, ...] = ()
    default_graph: str | None = None
    quads: int = 0
    published: str | None = None
    base_iri: str | None = None

    @property
    def ready(self) -> bool:
        return self.state == "ready"


READ_QUERY = f"""SELECT ?token ?state ?version ?graph ?default ?quads ?published ?base WHERE {{
  GRAPH <{REGISTRY_GRAPH}> {{
    <{REGISTRY_GRAPH}> <{REG}token> ?token ; <{REG}state> ?state .
    OPTIONAL {{ <{REGISTRY_GRAPH}> <{REG}current> ?version .
      OPTIONAL {{ ?version <{REG}graph> ?graph }}
      OPTIONAL {{ ?version <{REG}defaultGraph> ?default }}
      OPTIONAL {{ ?version <{REG}quads> ?quads }}
      OPTIONAL {{ ?version <{REG}published> ?published }}
      OPTIONAL {{ ?version <{REG}baseIri> ?base }} }}
  }}
}}"""


def check_query(token: str) -> str:
    """ASK whether the registry still has this token and is ready (the after-query check)."""
    return f'ASK {{ GRAPH <{REGISTRY_GRAPH}> {{ <{REGISTRY_GRAPH}> <{REG}token> "{token}" ; <{REG}state> "ready" }} }}'


def parse_registry(rows: list[dict]) -> Published | None:
    """The registry from the rows of :data:`READ_QUERY` (``{name: value string}``); None if there is none."""
    if not rows:
        return None
    first = rows[0]
    graphs = sorted({r["graph"] for r in rows if r.get("graph")})
    return Published(token=first["token"], state=first["state"], version=first.get("version"),
                     graphs=tuple(graphs), default_graph=first.get("default"),
                     quads=int(first.get("quads") or 0), published=first.get("published"), base_iri=first.get("base"))


def _literal(text: str, datatype: str | None = None) -> str:
    return sparql_term(ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text))


def state_update(token: str, state: str) -> str:
    """Set the registry's token and state (one small update)."""
    return (f"DELETE WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ <{REGISTRY_GRAPH}> <{REG}token> ?t }} }} ;\n"
            f"DELETE WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ <{REGISTRY_GRAPH}> <{REG}state> ?s }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{REGISTRY_GRAPH}> {{ <{REGISTRY_GRAPH}> <{REG}token> {_literal(token)} ; "
            f"<{REG}state> {_literal(state)} }} }}")


def version_description(version: str, graphs: list[str], default_graph: str | None, quads: int,
                        published: str, base_iri: str) -> str:
    """The triples (for INSERT DATA) that describe a published version and make it current."""
    lines = [f"<{REGISTRY_GRAPH}> <{REG}current> <{version}> .",
             f"<{version}> <{REG}quads> {quads} ; <{REG}baseIri> {_literal(base_iri)} ; "
             f"<{REG}published> {_literal(published, 'http://www.w3.org/2001/XMLSchema#dateTime')} ."]
    if default_graph:
        lines.append(f"<{version}> <{REG}defaultGraph> <{default_graph}> .")
    lines += [f"<{version}> <{REG}graph> <{graph}> ." for graph in graphs]
    return "\n".join(lines)


def forget_version(version: str) -> str:
    """Delete a version's description and the pointer to it."""
    return (f"DELETE WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ <{version}> ?p ?o }} }} ;\n"
            f"DELETE WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ <{REGISTRY_GRAPH}> <{REG}current> ?v }} }}")


def staging_note(staging: list[tuple[str, str]]) -> str:
    """Record staging graphs before loading them, so an interrupted publish can be cleaned up."""
    return "\n".join(f"<{REGISTRY_GRAPH}> <{REG}staging> <{s}> . <{s}> <{REG}stagingFor> <{t}> ." for s, t in staging)


STAGING_QUERY = f"""SELECT ?staging WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ <{REGISTRY_GRAPH}> <{REG}staging> ?staging }} }}"""


def forget_staging(staging: list[str]) -> str:
    values = " ".join(f"<{s}>" for s in staging)
    return (f"DELETE {{ GRAPH <{REGISTRY_GRAPH}> {{ <{REGISTRY_GRAPH}> <{REG}staging> ?s . ?s <{REG}stagingFor> ?t }} }} "
            f"WHERE {{ VALUES ?s {{ {values} }} GRAPH <{REGISTRY_GRAPH}> {{ <{REGISTRY_GRAPH}> <{REG}staging> ?s . "
            f"?s <{REG}stagingFor> ?t }} }}")
