"""Scrutiny per partnership: which partnership each result belongs to, and each
requirement's status for each partnership.

A rule row belongs to the partnership in its ``?partnership`` column (every
shipped rule has one: the partnership whose graphs state what the row rests
on, see queries/scrutiny/README.md); a row without one belongs to the
partnerships whose context (``lscp:partnershipContext``) its evidence graphs
are in. A row whose evidence is only the common data (external citations with
no context: requirements, legislation) belongs to no partnership: it is about
the shared data and is reported apart. So adding a second partnership never
changes the first's results or statuses.

>>> from lscp_kg.store import load_knowledge_graph
>>> kg = load_knowledge_graph()
>>> list(partnerships_in(kg).values())
['Lewisham Safeguarding Children Partnership']
>>> try:
...     resolve_partnership(kg, "id/partnership/nowhere")
... except ParameterError as error:
...     print(error)
parameter 'partnership': no safeguarding partnership <https://lscp-kg.example.org/id/partnership/nowhere> in the loaded data; known: <https://lscp-kg.example.org/id/partnership/lewisham> (Lewisham Safeguarding Children Partnership)
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from .labels import labels_for
from .query_parameters import Parameter, ParameterError
from .partnership_graphs import owners_of
from .store import KnowledgeGraph

#: Requirement statuses from best to worst; a pooled status is the worst of the partnerships'.
STATUS_ORDER = ("pass", "not checked", "no result", "fail")


def partnerships_in(kg: KnowledgeGraph) -> dict[str, str]:
    """Every lscp:SafeguardingPartnership with its name (:mod:`lscp_kg.labels`; its IRI if it has none), by name."""
    iris = [row["p"].value for row in kg.query("SELECT DISTINCT ?p WHERE { ?p a lscp:SafeguardingPartnership }")]
    found = {iri: name or iri for iri, name in labels_for(kg).names(iris).items()}
    return dict(sorted(found.items(), key=lambda item: (item[1], item[0])))


def resolve_partnership(kg: KnowledgeGraph, value: str) -> str:
    """The IRI of a partnership given as an IRI (absolute or relative to the base); a clear error otherwise."""
    iri = Parameter("partnership", "iri").to_term(value, kg.base_iri).value
    known = partnerships_in(kg)
    if iri not in known:
        listed = ", ".join(f"<{k}> ({v})" for k, v in known.items()) or "none"
        raise ParameterError("partnership", f"no safeguarding partnership <{iri}> in the loaded data; known: {listed}")
    return iri


def contexts_of(kg: KnowledgeGraph, graphs: Iterable[str]) -> dict[str, set[str]]:
    """For each evidence graph, the partnership it belongs to (:func:`lscp_kg.partnership_graphs.owners_of`);
    graphs of the common data have none."""
    return owners_of(kg, graphs)


def row_partnerships(row: dict, contexts: dict[str, set[str]]) -> list[str | None]:
    """The partnerships a rule row belongs to (``[None]`` for the shared data)."""
    term = row.get("partnership")
    if isinstance(term, ox.NamedNode):
        return [term.value]
    found = set()
    for column, value in row.items():
        if column.startswith("passage") and isinstance(value, ox.NamedNode):
            found |= contexts.get(value.value, set())
    return sorted(found) or [None]


def requirement_statuses(requirements: dict, results: list, rule_requirements: dict[str, list[str]]) -> dict[str, str]:
    """Each requirement's status from these results: fail if a requirement check of it found
    something, pass if its checks all passed, "no result" if checked but nothing came back,
    "not checked" if no rule checks it."""
    statuses = {}
    for iri in requirements:
        checks = [r for r in results if r.kind == "requirement" and r.requirement.get("iri") == iri]
        if not rule_requirements.get(iri):
            statuses[iri] = "not checked"
        elif not checks:
            statuses[iri] = "no result"
        else:
            statuses[iri] = "pass" if all(r.passed for r in checks) else "fail"
    return statuses


def worst(statuses: Iterable[str]) -> str:
    """The worst of several statuses (the pooled status across partnerships).

    >>> worst(["pass", "fail", "no result"])
    'fail'
    """
    return max(statuses, key=STATUS_ORDER.index, default="no result")


def set_statuses(report, requirements: dict, checking: dict[str, list[str]], partnerships: dict[str, str]) -> None:
    """Each requirement's status for each partnership judged (``by_partnership``) and pooled (the
    worst of theirs), and the report's per-partnership sections."""
    per = {p: requirement_statuses(requirements, report.of(p), checking) for p in partnerships}
    for iri, req in requirements.items():
        req["by_partnership"] = {p: statuses[iri] for p, statuses in per.items()}
        req["status"] = (worst(req["by_partnership"].values()) if per
                         else requirement_statuses(requirements, report.results, checking)[iri])
    report.partnerships = [{"iri": p, "label": label, "summary": report.summary(report.of(p)),
                            "requirements": [{"iri": iri, "id": req["id"], "status": per[p][iri]}
                                             for iri, req in requirements.items()]}
                           for p, label in partnerships.items()]
