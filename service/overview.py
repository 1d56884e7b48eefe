"""The home page's overview of each loaded partnership, from the data alone: its statutory partners
and their delegated officers, the chair, its bodies and what they report to (an indented list),
its priorities, its key documents with their status, and its scrutiny findings by severity. Bodies the
arrangements say ended or were replaced are history: they are listed apart, as former bodies with their end date
or successor, never among the current ones.

Which questions fill it, and which of their columns, is read from the questions' own ``#+ home:``
headers (:mod:`lscp_kg.home_sections`), so adding a question to the home page changes its ``.rq`` file
alone; the bodies' tree and the former bodies come from the pages' own queries (``queries/pages/*.rq``).
An overview is computed once per loaded graph.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from lscp_kg.named_queries import QUERIES_DIR, load_named_queries
from lscp_kg.service.errors import HttpError
from lscp_kg.service.history import date_in_words, last_day
from lscp_kg.service.scrutiny_pages import report_for
from lscp_kg.service.state import service_state

PAGE_QUERIES = Path(QUERIES_DIR) / "pages"


def _rows(query, **params) -> list[dict]:
    kg = service_state().kg
    sparql, substitutions = query.prepare(params, kg.base_iri)  # bound as the question's page binds it (#+ bind:)
    result = kg.query(sparql, substitutions=substitutions)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def body_tree(rows: list[dict]) -> list[dict]:
    """Bodies as an indented list: each under what it reports to; the rest at the top.

    >>> tree = body_tree([{"body": "a", "bodyLabel": "A", "reportsTo": None, "reportsToLabel": None},
    ...                   {"body": "b", "bodyLabel": "B", "reportsTo": "a", "reportsToLabel": "A"}])
    >>> [(n["label"], [c["label"] for c in n["children"]]) for n in tree]
    [('A', ['B'])]
    """
    labels = {r["body"]: r["bodyLabel"] for r in rows}
    parents: dict[str, list] = {}
    for r in rows:
        parents.setdefault(r["body"], [])
        if r.get("reportsTo"):
            parents[r["body"]].append((r["reportsTo"], r["reportsToLabel"]))

    def node(iri, path):
        children = sorted((b for b, ps in parents.items() if any(p == iri for p, _ in ps) and b not in path),
                          key=lambda b: labels[b])
        outside = [{"iri": p, "label": label} for p, label in parents[iri] if p not in labels]
        return {"iri": iri, "label": labels[iri], "reports_to_outside": outside,
                "children": [node(c, path | {c}) for c in children]}

    tops = sorted((b for b, ps in parents.items() if not any(p in labels for p, _ in ps)), key=lambda b: labels[b])
    return [node(b, {b}) for b in tops]


def ended(end: str | None, today: str) -> bool:
    """Whether an end date (a year, year-month or date) has passed; an end in the current year or month has not.

    >>> [ended(e, "2026-12-07") for e in ("2022-01", "2026", "2026-12", "2026-12-07", "2027", None)]
    [True, False, False, False, False, False]
    """
    return bool(end) and last_day(end) < today  # the rule of service.history: the whole period has passed


def former_bodies(rows: list[dict], today: str) -> list[dict]:
    """One entry per body that ended (its end date has passed) or was replaced, with its end and successors
    (dates in words).

    >>> former_bodies([{"body": "h", "bodyLabel": "Hub", "end": None, "successor": "m", "successorLabel": "MACE",
    ...                 "since": "2022-01"}, {"body": "p", "bodyLabel": "Panel", "end": "2030", "successor": None,
    ...                 "successorLabel": None, "since": None}], "2026-12-07")
    [{'iri': 'h', 'label': 'Hub', 'end': None, 'successors': [{'iri': 'm', 'label': 'MACE', 'since': 'January 2022'}]}]
    """
    found: dict[str, dict] = {}
    ends: dict[str, str] = {}
    for row in rows:
        entry = found.setdefault(row["body"], {"iri": row["body"], "label": row["bodyLabel"], "end": None,
                                               "successors": []})
        if row.get("end") and (row["body"] not in ends or row["end"] < ends[row["body"]]):
            ends[row["body"]] = row["end"]
            entry["end"] = date_in_words(row["end"])
        if row.get("successor") and row["successor"] not in [s["iri"] for s in entry["successors"]]:
            entry["successors"].append({"iri": row["successor"], "label": row.get("successorLabel") or row["successor"],
                                        "since": date_in_words(row.get("since"))})
    return [e for iri, e in found.items() if e["successors"] or ended(ends.get(iri), today)]


def past(rows: list[dict], today: str, column: str = "end") -> list[dict]:
    """Rows with ``ended``: the date in ``column`` in words where it has passed (a priority or document of the past),
    else None.

    >>> [r["ended"] for r in past([{"end": "2025"}, {"end": "2027"}, {"end": None}], "2026-12-07")]
    ['2025', None, None]
    """
    return [dict(row, ended=date_in_words(row[column]) if ended(row.get(column), today) else None) for row in rows]


def scrutiny_report() -> dict | None:
    """Today's scrutiny report for every partnership, through ``/scrutiny``'s runner and cache
    (:func:`lscp_kg.service.scrutiny_pages.report_for`: a query worker, under the query time limit). None if it
    does not finish in time (the page then links to the report)."""
    try:
        return report_for(_dt.date.today().isoformat()).to_dict()
    except HttpError:  # the home page never fails for the report's sake
        return None


def scrutiny_counts(partnership: str) -> dict | None:
    """Findings by severity (and checks passed) for one partnership."""
    report = scrutiny_report()
    if report is None:
        return None
    summary = next((p.get("summary") for p in report.get("partnerships", []) if p.get("iri") == partnership), None)
    if summary is not None:
        return dict(summary)
    counts: dict[str, int] = {}
    for finding in report.get("findings", []):
        if (finding.get("partnership") or {}).get("iri") == partnership:
            counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    return counts


def home_questions() -> list:
    """The questions the home page shows: every named or page query with a ``#+ home:`` header."""
    state = service_state()
    queries = [*state.named_queries.values(), *load_named_queries(PAGE_QUERIES).values()]
    return [query for query in queries if query.home is not None]


def overview(partnership: str, label: str) -> dict:
    pages = load_named_queries(PAGE_QUERIES)
    ask = {"partnership": partnership}
    today = _dt.date.today().isoformat()
    former = former_bodies(_rows(pages["former-bodies"], **ask), today)
    gone = {f["iri"] for f in former}
    found = {"iri": partnership, "label": label,
             "bodies": body_tree([r for r in _rows(pages["bodies"], **ask) if r["body"] not in gone]),
             "former_bodies": former, "scrutiny": scrutiny_counts(partnership)}
    for query in home_questions():  # each in the section its own header names (lscp_kg/home_sections.py)
        entries = query.home.entries(_rows(query, **ask))
        found[query.home.section] = past(entries, today, query.home.ended) if query.home.ended else entries
    return found


def overviews() -> list[dict]:
    """One overview per loaded partnership, computed once per loaded graph."""
    state = service_state()
    key = ("overview", id(state.kg.backend))
    if key not in state.cache:
        listed = _rows(load_named_queries(PAGE_QUERIES)["partnerships"])
        state.cache[key] = [overview(row["partnership"], row["label"] or row["partnership"]) for row in listed]
    return state.cache[key]
