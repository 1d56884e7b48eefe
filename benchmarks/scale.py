"""Scale: load N synthetic partnerships (plus the shipped graph) in a fresh interpreter and time every named query.

Run by ``run.py`` once per N, so that peak memory is this load's alone:

    python benchmarks/scale.py FOLDER --partnership K --reps 30 --budget 1.0

prints one JSON object: quads, load seconds, peak resident memory, and per
named query the rows, median and p99 (ms), with parameters pointing at
synthetic partnership K (see ``synthetic.sample_parameters``).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import measure  # noqa: E402
from synthetic import sample_parameters  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--partnership", type=int, default=1)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--budget", type=float, default=1.0)
    parser.add_argument("--skip", action="append", default=[], help="a named query to leave out")
    args = parser.parse_args()

    from lscp_kg.named_queries import load_named_queries
    from lscp_kg.store import load_knowledge_graph

    started = time.perf_counter()
    kg = load_knowledge_graph([args.folder])
    load_seconds = time.perf_counter() - started
    loaded_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    params = sample_parameters(args.partnership)
    queries = {}
    for name, query in load_named_queries().items():
        if name in args.skip:
            continue
        try:
            sparql, bound = query.prepare(params.get(name, {}), kg.base_iri)  # as the service binds it (#+ bind:)
        except ValueError:  # a required parameter with no default and no synthetic value: no row
            continue
        rows = len(list(kg.query(sparql, substitutions=bound)))
        timing = measure(lambda: list(kg.query(sparql, substitutions=bound)), reps=args.reps,
                         budget=args.budget, warmup=1)
        queries[name] = {"rows": rows, "median": timing.median, "p99": timing.p99, "runs": len(timing),
                         "synthetic_params": name in params}
    print(json.dumps({"quads": len(kg), "load_seconds": load_seconds, "peak_rss_after_load": loaded_rss,
                      "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "queries": queries}))


if __name__ == "__main__":
    main()
