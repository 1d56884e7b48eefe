"""Why some named queries slow down as the graph grows: the same query with its parameter bound two ways.

    python benchmarks/query_plans.py [--partnerships 150] [--years 10]

pyoxigraph's ``substitutions`` (how ``NamedQuery.bind`` binds parameters) bind
a variable for the whole query; a ``VALUES`` block first in the WHERE clause
binds it where the evaluation starts. The two give the same rows but, on
Oxigraph 0.5, not the same plan: for a parameter used inside UNION branches
the substituted value is applied late. This prints, per named query, the
median time each way (each run stopped after 10 s) on N synthetic partnerships.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import inline_parameters  # noqa: E402
from synthetic import generate, sample_parameters  # noqa: E402

LIMIT = 10.0


def _time(kg, sparql, bound, conn):
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        rows = len(list(kg.query(sparql, substitutions=bound or None)))
        samples.append((time.perf_counter() - started) * 1000)
    conn.send((sorted(samples)[1], rows))


def timed(kg, sparql, bound):
    ours, theirs = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_time, args=(kg, sparql, bound, theirs), daemon=True)
    child.start()
    answer = ours.recv() if ours.poll(LIMIT * 3) else (None, None)
    child.kill()
    child.join()
    return answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", type=int, default=150)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    from lscp_kg.named_queries import load_named_queries
    from lscp_kg.store import load_knowledge_graph

    with tempfile.TemporaryDirectory() as folder:
        generate(args.partnerships, args.years, folder)
        kg = load_knowledge_graph([folder])
    params = sample_parameters(max(1, args.partnerships // 2))
    print(f"{len(kg):,} quads; median of 3 runs, ms (- : stopped after {LIMIT * 3:.0f} s)")
    print(f"| query | substitutions | VALUES first | rows |\n|---|---|---|---|")
    for name, query in load_named_queries().items():
        bound = query.bind(params.get(name, {}), kg.base_iri)
        if not bound:
            continue
        substituted, rows = timed(kg, query.sparql, bound)
        leading, rows_leading = timed(kg, inline_parameters(query.sparql, bound, leading=True), {})
        assert rows is None or rows_leading is None or rows == rows_leading, name
        show = lambda v: "-" if v is None else f"{v:,.1f}"  # noqa: E731
        print(f"| {name} | {show(substituted)} | {show(leading)} | {rows if rows is not None else rows_leading} |")


if __name__ == "__main__":
    main()
