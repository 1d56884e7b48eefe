"""The Markdown of the serving sections: answers afresh at 64 clients beside the Oxigraph server, the same as
clients are added, the candidate designs (benchmarks/scaling.py), and the soak (benchmarks/soak.py); their
tables and target rows.

>>> rows = [{"query": "q", "clients": c, "service": {"rps": r, "p99": 1.0, "errors": 0},
...          "oxigraph": {"rps": 100.0, "p99": 1.0, "errors": 0}} for c, r in ((2, 50.0), (16, 60.0), (64, 40.0))]
>>> no_fall({"clients": [2, 16, 64], "rows": rows})
{'q': False}
"""

from __future__ import annotations

from markdown_cells import ms, yes


def _ratio(ours: dict, peer: dict) -> str:
    return f"{ours['rps'] / peer['rps']:.2f}" if peer["rps"] else "-"


def _section(title: str, intro: str, columns: list[str], rows: list[str]) -> list[str]:
    """A report section: its heading, a paragraph and a table of ``rows`` under ``columns``."""
    return [f"## {title}", "", intro, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns), *rows, ""]


def fresh_targets(results: dict) -> list[str]:
    """Fresh named-query throughput at 64 clients >= the Oxigraph server's, per query; arbitrary /sparql >= half."""
    fresh = results.get("fresh")
    if not fresh:
        return ["| Fresh named-query throughput at 64 clients >= the Oxigraph server's; arbitrary /sparql >= half | "
                "not measured in this run | **not measured** |"]
    measured = [r for r in fresh["named"] if "skipped" not in r]
    ratios = {r["query"]: r["service"]["rps"] / r["oxigraph"]["rps"] if r["oxigraph"]["rps"] else float("inf")
              for r in measured}
    below = {q: v for q, v in ratios.items() if v < 1.0}
    errors = sum(r["service"]["errors"] for r in measured)
    rot = fresh["rotating"]
    ratio = rot["service"]["rps"] / rot["oxigraph"]["rps"] if rot["oxigraph"]["rps"] else float("inf")
    return [f"| Fresh named-query throughput at {fresh['clients']} clients >= the Oxigraph server's, every "
            f"named query (ratio per query in the table below) | {len(ratios) - len(below)} of {len(ratios)} "
            f"at >= 1.0; lowest {min(ratios.values()):.2f} ({min(ratios, key=ratios.get)}); {errors} errors "
            f"| {yes(not below and not errors)} |",
            f"| Arbitrary fresh /sparql ({rot['queries']:,} distinct queries in turn) >= half the Oxigraph "
            f"server's throughput | {rot['service']['rps']:,.0f} vs {rot['oxigraph']['rps']:,.0f} req/s "
            f"(ratio {ratio:.2f}), {rot['service']['errors']} errors | {yes(ratio >= 0.5)} |"]


def soak_target(results: dict) -> list[str]:
    """The soak: normal clients each from its own address beside runaway and worker-killing ones."""
    soak = results.get("soak")
    if not soak:
        return ["| Soak: 64 normal clients for 60 s with 2 runaway and 2 worker-killing clients: 0 errors, p99 < 250 "
                "ms, /health always < 100 ms | not measured in this run | **not measured** |"]
    ok = soak["errors"] == 0 and soak["p99"] < 250 and soak["health_failures"] == 0 and soak["health_max"] < 100
    return [f"| Soak: {soak['clients']} normal clients (each from its own address) for {soak['seconds']:.0f} s with "
            f"2 runaway and 2 worker-killing clients: 0 errors, p99 < 250 ms, /health always < 100 ms, a worker "
            f"killed by hand costs at most one request | {soak['requests']:,} requests, {soak['errors']} errors, p50 "
            f"{ms(soak['p50'])} ms, p99 {ms(soak['p99'])} ms; /health max {ms(soak['health_max'])} ms "
            f"({soak['health_failures']} failed); abusive clients: {soak['abusive_429']} of "
            f"{soak['abusive_requests']} refused with 429, {soak['abusive_stopped']} stopped; hand kill cost "
            f"{soak['killed_by_hand_cost']} request(s) | {yes(ok and soak['killed_by_hand_cost'] <= 1)} |"]


def _load_cells(result: dict) -> str:
    """req/s, p99 ms and errors of one load run, as three cells."""
    return f"{result['rps']:,.0f} | {ms(result['p99'])} | {result['errors']}"


def _fresh_row(r: dict) -> str:
    if "skipped" in r:
        return f"| {r['query']} | not measured: {r['skipped'][:100]} | | | | | |"
    peer = r["oxigraph"]
    return (f"| {r['query']} | {_load_cells(r['service'])} | {peer['rps']:,.0f} | {ms(peer['p99'])} | "
            f"{_ratio(r['service'], peer)} |")


def fresh_table(results: dict, tool: str) -> list[str]:
    fresh = results.get("fresh")
    if not fresh:
        return []
    rotating = {"query": f"rotating /sparql ({fresh['rotating']['queries']} queries)", **fresh["rotating"]}
    return _section("Answers computed afresh, beside the Oxigraph server",
                    f"Each row: 0.5 s warm-up, then 3 s of load by {tool} with {fresh['clients']} keep-alive "
                    "connections; the service is asked with `Cache-Control: no-cache` (every answer computed afresh), "
                    "the Oxigraph server with the same SPARQL (parameters inlined). The rotating row asks distinct "
                    "queries in turn (label-and-sort and `org:reportsTo+` path queries).",
                    ["query", "service afresh req/s", "p99 ms", "errors", "Oxigraph server req/s", "p99 ms", "ratio"],
                    [_fresh_row(r) for r in fresh["named"] + [rotating]])


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
            + (f"; fell: {', '.join(fell)}" if fell else "") + f" | {yes(not fell)} |"]


def scaling_table(results: dict, tool: str) -> list[str]:
    scaling = results.get("scaling")
    if not scaling:
        return []
    rows = [f"| {row['query']} | {row['clients']} | {_load_cells(row['service'])} | {row['oxigraph']['rps']:,.0f} | "
            f"{_ratio(row['service'], row['oxigraph'])} |" for row in scaling["rows"]]
    return _section("Fresh answers as clients are added, beside the Oxigraph server",
                    f"Each row: a short warm-up, then about 3 s of load by {tool}; the service is asked with "
                    "`Cache-Control: no-cache`, the Oxigraph server with the same SPARQL (parameters inlined); the "
                    "rotating row asks distinct queries in turn, so that no cache helps.",
                    ["query", "clients", "service req/s", "p99 ms", "errors", "Oxigraph req/s", "ratio"], rows)


def _candidate_row(row: dict) -> str:
    if "skipped" in row:
        return f"| {row['candidate']} | {row['skipped']} | | | | |"
    return f"| {row['candidate']} | {row['query']} | {row['clients']} | {_load_cells(row)} |"


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
