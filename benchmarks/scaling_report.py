"""The Markdown of the scaling and candidates sections (benchmarks/scaling.py): their tables and target row.

>>> rows = [{"query": "q", "clients": c, "service": {"rps": r, "p99": 1.0, "errors": 0},
...          "oxigraph": {"rps": 100.0, "p99": 1.0, "errors": 0}} for c, r in ((2, 50.0), (16, 60.0), (64, 40.0))]
>>> no_fall({"clients": [2, 16, 64], "rows": rows})
{'q': False}
"""

from __future__ import annotations


def _ms(value) -> str:
    return "-" if value != value else f"{value:.1f}" if value < 1000 else f"{value:,.0f}"  # NaN != NaN


def _ratio(ours: dict, peer: dict) -> str:
    return f"{ours['rps'] / peer['rps']:.2f}" if peer["rps"] else "-"


def _by_query(rows: list[dict]) -> dict[str, dict[int, dict]]:
    grouped: dict[str, dict[int, dict]] = {}
    for row in rows:
        grouped.setdefault(row["query"], {})[row["clients"]] = row
    return grouped


def no_fall(scaling: dict) -> dict[str, bool]:
    """Per query: the service's throughput at every larger count of clients at least that at the fewest."""
    fewest = min(scaling["clients"])
    return {query: all(row["service"]["rps"] >= counts[fewest]["service"]["rps"] for row in counts.values())
            for query, counts in _by_query(scaling["rows"]).items()}


def scaling_target(results: dict) -> list[str]:
    """The target row: no fall as clients are added (issue 18)."""
    scaling = results.get("scaling")
    if not scaling:
        return ["| No fall as clients are added: throughput at 16 and at 64 clients >= at 2 (fresh answers) | not "
                "measured in this run | **not measured** |"]
    held = no_fall(scaling)
    figures = "; ".join(f"{query}: " + " -> ".join(f"{counts[c]['service']['rps']:,.0f}" for c in sorted(counts))
                        for query, counts in _by_query(scaling["rows"]).items())
    fell = [query for query, ok in held.items() if not ok]
    return [f"| No fall as clients are added: throughput at 16 and at 64 clients >= at 2 (fresh answers; req/s at "
            f"{', '.join(map(str, scaling['clients']))} clients) | {figures}"
            + (f"; fell: {', '.join(fell)}" if fell else "") + f" | {'**met**' if not fell else '**missed**'} |"]


def _section(title: str, intro: str, columns: list[str], rows: list[str]) -> list[str]:
    """A report section: its heading, a paragraph and a table of ``rows`` under ``columns``."""
    return [f"## {title}", "", intro, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns), *rows, ""]


def scaling_table(results: dict, tool: str) -> list[str]:
    scaling = results.get("scaling")
    if not scaling:
        return []
    rows = [f"| {row['query']} | {row['clients']} | {row['service']['rps']:,.0f} | {_ms(row['service']['p99'])} | "
            f"{row['service']['errors']} | {row['oxigraph']['rps']:,.0f} | {_ratio(row['service'], row['oxigraph'])} |"
            for row in scaling["rows"]]
    return _section("Fresh answers as clients are added, beside the Oxigraph server",
                    f"Each row: a short warm-up, then about 3 s of load by {tool}; the service is asked with "
                    "`Cache-Control: no-cache`, the Oxigraph server with the same SPARQL (parameters inlined); the "
                    "rotating row asks distinct queries in turn, so that no cache helps.",
                    ["query", "clients", "service req/s", "p99 ms", "errors", "Oxigraph req/s", "ratio"], rows)


def _candidate_row(row: dict) -> str:
    if "skipped" in row:
        return f"| {row['candidate']} | {row['skipped']} | | | | |"
    return (f"| {row['candidate']} | {row['query']} | {row['clients']} | {row['rps']:,.0f} | {_ms(row['p99'])} | "
            f"{row['errors']} |")


def candidates_table(results: dict, tool: str) -> list[str]:
    found = results.get("candidates")
    if not found:
        return []
    return _section("Candidates",
                    f"The designs measured for issue 18 on this machine ({found['cores']} cores), every answer "
                    f"computed afresh (`Cache-Control: no-cache`), about 3 s of load by {tool} per row after a short "
                    "warm-up.", ["candidate", "query", "clients", "req/s", "p99 ms", "errors"],
                    [_candidate_row(row) for row in found["rows"]])


def section_markdown(results: dict, tool: str) -> list[str]:
    """Both sections and the target row, for a run of only these sections (``run.py --only``)."""
    return [*scaling_target(results), "", *scaling_table(results, tool), *candidates_table(results, tool)]
