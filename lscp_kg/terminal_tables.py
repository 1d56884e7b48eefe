"""Query results as ``lscp-kg query`` prints them on the terminal: an aligned table, CSV or JSON.

>>> from lscp_kg.store import load_knowledge_graph
>>> kg = load_knowledge_graph()
>>> print(render_cli_result(kg.query("SELECT ?n WHERE { BIND(1 AS ?n) }"), "table"), end="")
n
-
1
"""

from __future__ import annotations

import pyoxigraph as ox


def term_text(term) -> str:
    """A term as a person reads it: IRIs bare, literals by value, blank nodes as _:id."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def render_cli_result(result, fmt: str) -> str:
    if isinstance(result, ox.QueryBoolean):
        return {"json": '{"head": {}, "boolean": %s}\n' % str(bool(result)).lower()}.get(fmt, f"{bool(result)}\n".lower())
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE).decode()
    if fmt == "json":
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode() + "\n"
    if fmt == "csv":
        return result.serialize(format=ox.QueryResultsFormat.CSV).decode()
    names = [v.value for v in result.variables]
    # One line per row: fold line breaks inside values (quotes span lines).
    rows = [[" ".join(term_text(row[n]).split()) for n in names] for row in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = [" | ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"
