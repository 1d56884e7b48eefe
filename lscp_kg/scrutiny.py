"""Scrutiny checks: the arrangements against statute and against themselves.

A rule is a SPARQL SELECT query in ``queries/scrutiny/*.rq`` whose ``#+``
header (the named-query header, see :mod:`lscp_kg.named_queries`) also says::

    #+ id: CEASED-ORG                 # unique rule id
    #+ kind: consistency              # or "requirement" (a statutory/guidance check)
    #+ severity: should               # must | should | note | requirement (= the checked requirement's severity)
    #+ requirement: id/requirement/pub    # the lscp:Requirement it checks (relative to the base)
    #+ entities: [organisation, mention]  # columns naming the entities concerned, focus first
    #+ group_by: [organisation]       # rows agreeing on these columns make one result
    #+ messages: {fail: "{organisation} ... {mention|count} ... {asof}"}
    #+ params: {asof: {type: date}}   # every rule takes the as-of date

Rules are read by :mod:`lscp_kg.scrutiny_rules`; what several rules share is
written once as a fragment they include (``{{exists ?agency ?partnership}}``,
:mod:`lscp_kg.scrutiny_fragments`).

Results are per partnership (:mod:`lscp_kg.scrutiny_partnerships`): every rule
takes a partnership's facts only from graphs in its ``lscp:partnershipContext``
(queries/scrutiny/README.md) and projects it as ``?partnership``, so adding a
partnership never changes another's results or statuses. The values in a
result are sorted by what they show, never by the order the store returned
its rows in.

A row's ``?outcome`` column says what it is: ``pass`` (a requirement met, with
its evidence) or anything else, a finding, whose message is ``messages[outcome]``
(or ``messages["fail"]``); rows without ``?outcome`` are findings. Columns
whose name starts with ``passage`` hold named graphs (source passages or
external citations) given as evidence. In a message, ``{x}`` is the label of
the IRI (or the text of the literal) in column x, the distinct values of the
result's rows joined; ``{x|count}`` is how many there are.

As-of dates: ``asof`` is bound as an xsd:date with
:meth:`lscp_kg.query_binding.NamedQuery.bind` (the fragments ``started``,
``ended`` and ``passed`` compare it). A thing exists on D when it has
no start or started by D, and has no end or had not ended by D. Dates are
compared by their text at the precision given: a start ``2024`` (xsd:gYear) or
``2024-03`` counts from its first day; an end ``2023`` or ``2025-03`` lasts to
its last day (a period "2022-2023" ends with 2023-12-31); a full-date end
(schema:endDate, lscp:ceasedNoLaterThan) is the day the thing ended, so on that
day it no longer exists.

JSON (``ScrutinyReport.to_dict()``)::

    {"asof": "2026-11-26",
     "partnership": {"iri", "label"} | null,      # the one asked for (--partnership), else null
     "summary": {"must": 1, "should": 6, "note": 9, "passes": 20},
     "findings": [RESULT, ...], "passes": [RESULT, ...],
     "requirements": [{"iri", "id", "label", "text", "binding", "severity",
                       "cited_part", "citation", "sources": [iri], "uncertainty",
                       "status": "pass|fail|not checked|no result",   # the worst of the partnerships'
                       "by_partnership": {partnership iri: status}, "rules": [rule id]}],
     "partnerships": [{"iri", "label", "summary", "requirements": [{"iri", "id", "status"}]}],
     "rules": [{"id", "title", "kind", "severity", "requirement", "description"}]}
    RESULT = {"id", "rule", "title", "kind", "severity", "outcome", "passed", "message",
              "partnership": {"iri", "label"} | null,   # null: about the shared data
              "requirement": {"iri", "id", "label", "citation", "cited_part", "uncertainty"},
              "entities": [{"iri", "label"}],
              "evidence": [{"graph", "kind": "passage|citation", "quote", "start_line", "end_line",
                            "source", "citation"}]}

>>> from lscp_kg.store import load_knowledge_graph
>>> report = run_scrutiny(load_knowledge_graph(), "2026-11-26")
>>> "CEASED-ORG" in {f.rule for f in report.findings}
True
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import pyoxigraph as ox

from .query_parameters import ParameterError
from .scrutiny_evidence import describe_graphs, labels_of, requirements_in
from .scrutiny_result import Result, result_of, term_text
from .scrutiny_partnerships import contexts_of, partnerships_in, resolve_partnership, row_partnerships, set_statuses
from .scrutiny_rules import KINDS, RULES_DIR, SEVERITIES, Rule, RuleFileError, load_rules, parse_rule_file
from .store import KnowledgeGraph

__all__ = ["KINDS", "RULES_DIR", "SEVERITIES", "Result", "Rule", "RuleFileError", "ScrutinyReport", "load_rules",
           "parse_asof", "parse_rule_file", "run_scrutiny"]

@dataclass
class ScrutinyReport:
    asof: str
    results: list[Result]
    requirements: list[dict]
    rules: list[dict]
    #: Each partnership judged: {"iri", "label", "summary", "requirements": [{"iri", "id", "status"}]}.
    partnerships: list[dict] = field(default_factory=list)
    #: The one partnership asked for ({"iri", "label"}), or None for all.
    partnership: dict | None = None

    def of(self, partnership: str | None) -> list[Result]:
        """The results about one partnership (None: about the shared data only)."""
        return [r for r in self.results if (r.partnership or {}).get("iri") == partnership]

    @property
    def findings(self) -> list[Result]:
        order = {s: i for i, s in enumerate(SEVERITIES)}
        return sorted((r for r in self.results if not r.passed), key=lambda r: (order.get(r.severity, 9), r.rule, r.message))

    @property
    def passes(self) -> list[Result]:
        return [r for r in self.results if r.passed]

    def summary(self, results: list[Result] | None = None) -> dict:
        results = self.results if results is None else results
        counts = {s: sum(1 for f in results if not f.passed and f.severity == s) for s in SEVERITIES}
        return {**counts, "passes": sum(1 for r in results if r.passed)}

    def to_dict(self) -> dict:
        return {"asof": self.asof, "partnership": self.partnership, "summary": self.summary(),
                "findings": [asdict(r) for r in self.findings], "passes": [asdict(r) for r in self.passes],
                "requirements": self.requirements, "partnerships": self.partnerships, "rules": self.rules}


def parse_asof(value: Any = None) -> str:
    """The as-of date as YYYY-MM-DD (default today); a clear error for anything else.

    >>> parse_asof("2024-05-01")
    '2024-05-01'
    """
    if value in (None, ""):
        return _dt.date.today().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        return _dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ParameterError("asof", "expected a date as YYYY-MM-DD") from None


def run_scrutiny(kg: KnowledgeGraph, asof: Any = None, rules: Iterable[Rule] | None = None,
                 partnership: str | None = None) -> ScrutinyReport:
    """Run every rule as of a date and collect the results, requirements and evidence, per
    partnership (see :mod:`lscp_kg.scrutiny_partnerships`); ``partnership`` (an IRI, absolute
    or relative to the base) keeps only that partnership's results."""
    asof = parse_asof(asof)
    wanted = resolve_partnership(kg, partnership) if partnership else None
    rules = load_rules() if rules is None else list(rules)
    requirements = requirements_in(kg)
    fetched = [(rule, _rows(kg, rule, asof, wanted)) for rule in rules]
    groups = _groups(fetched, contexts_of(kg, _evidence_graphs(rows for _, rows in fetched)), wanted)
    known = partnerships_in(kg)
    results = _results(kg, groups, asof, requirements, known)
    report = ScrutinyReport(asof=asof, results=results, requirements=list(requirements.values()),
                            rules=[_rule_summary(r, kg.base_iri) for r in rules],
                            partnership={"iri": wanted, "label": known[wanted]} if wanted else None)
    checking = _name_rules_of_requirements(requirements, rules, kg.base_iri)
    set_statuses(report, requirements, checking, {p: known[p] for p in ([wanted] if wanted else known)})
    return report


def _rule_summary(rule: Rule, base_iri: str) -> dict:
    return {"id": rule.id, "title": rule.title, "kind": rule.kind, "severity": rule.severity,
            "requirement": rule.requirement_iri(base_iri), "description": rule.query.description}


def _name_rules_of_requirements(requirements: dict, rules: list[Rule], base_iri: str) -> dict[str, list[str]]:
    """Write each requirement's rules (``rules``) into it; return the ids of the requirement checks
    (rules of kind ``requirement``) of each, which decide its status."""
    checking = {}
    for iri, req in requirements.items():
        about = [r for r in rules if r.requirement_iri(base_iri) == iri]
        req["rules"] = [r.id for r in about]
        checking[iri] = [r.id for r in about if r.kind == "requirement"]
    return checking


def _rows(kg: KnowledgeGraph, rule: Rule, asof: str, partnership: str | None = None) -> list[dict]:
    """A rule's rows as of the date (the date bound as a term, never written into the query); for one
    partnership, with ``?partnership`` bound to it as well, so that the store starts from that partnership's
    facts (at 150 partnerships a whole report took over 5 s, one partnership's the same; each rule projects
    ``?partnership`` and :func:`row_partnerships` reads it first, so the rows kept are the same)."""
    bound = rule.query.bind({"asof": asof}, kg.base_iri)
    if partnership is not None and "partnership" in rule.entities + rule.group_by:
        bound[ox.Variable("partnership")] = ox.NamedNode(partnership)
    answer = kg.query(rule.query.sparql, substitutions=bound)
    columns = [v.value for v in answer.variables]
    unknown = [c for c in rule.entities + rule.group_by if c not in columns]
    if unknown:
        raise RuleFileError(f"{rule.query.path}: entities/group_by name columns the query does not project: {unknown}")
    return [{c: row[c] for c in columns if row[c] is not None} for row in answer]


def _evidence_graphs(row_lists: Iterable[list[dict]]) -> set[str]:
    """The graphs the rows give as evidence (their ``?passage...`` columns)."""
    return {t.value for rows in row_lists for row in rows for c, t in row.items()
            if c.startswith("passage") and isinstance(t, ox.NamedNode)}


def _groups(fetched: list[tuple[Rule, list[dict]]], contexts: dict, wanted: str | None) -> list[tuple]:
    """(rule, partnership or None, key, rows) for each result: a rule's rows of one partnership that agree
    on its ``group_by`` columns and outcome, in the order of their keys (never the store's row order)."""
    found: list[tuple] = []
    for rule, rows in fetched:
        groups: dict[tuple, list[dict]] = {}
        for row in rows:
            for owner in row_partnerships(row, contexts):
                if wanted is None or owner == wanted:
                    key = (owner or "",) + tuple(term_text(row.get(c)) for c in rule.group_by + ("outcome",))
                    groups.setdefault(key, []).append(row)
        found.extend((rule, key[0] or None, "|".join(key), members) for key, members in sorted(groups.items()))
    return found


def _results(kg: KnowledgeGraph, groups: list[tuple], asof: str, requirements: dict, known: dict) -> list[Result]:
    """Each group as a result, its entities named and its evidence graphs described."""
    iris = {t.value for *_, members in groups for row in members for t in row.values() if isinstance(t, ox.NamedNode)}
    labels = labels_of(kg, iris | set(known))
    graphs = describe_graphs(kg, _evidence_graphs(members for *_, members in groups))
    results = []
    for rule, owner, key, members in groups:
        result = result_of(rule, key, members, asof, labels, graphs, requirements, kg.base_iri)
        result.partnership = {"iri": owner, "label": known.get(owner, owner)} if owner else None
        results.append(result)
    return results
