"""Run every benchmark in one go on this machine and write ``docs/benchmarks.md``.

    pip install -e '.[bench]' && apt-get install wrk   # wrk is optional (see load.py)
    python benchmarks/run.py                           # about 20 minutes on 2 cores
    python benchmarks/run.py --quick --only scaling --json /tmp/b.json   # one section, a smoke run

Sections: latency of every named query and of the competency suite by engine
(pyoxigraph in-process, rdflib in-process, the service over HTTP, the Oxigraph
server over HTTP); throughput under 1, 8 and 64 concurrent clients for a cheap
and an expensive named query, against the service and the Oxigraph server;
answers computed afresh at 64 clients, and at 2, 16 and 64 clients, beside the
Oxigraph server; the candidate server designs (``scaling.py``: the previous one
from its own checkout, ``LSCP_KG_PREVIOUS``); the soak; start-up to the first
answer; and scale with N = 1, 10, 150 synthetic partnerships over 10 years
(quads, load time, peak memory, every named query, and the service's memory and
latency at the largest N). ``--quick`` cuts every repetition count and duration
(for trying the script, not for the table); ``--only SECTION`` runs one section
into the raw results of the last run.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402
from tqdm import tqdm  # noqa: E402

import latency  # noqa: E402
import load  # noqa: E402
from harness import REPO, OxigraphServer, Service, fastest_inlining, machine, named_query_path  # noqa: E402
from report import write_report  # noqa: E402
from scaling import FRESH, OXIGRAPH_HEADERS, bench_candidates, bench_scaling, rotating_queries, sparql_paths  # noqa: E402
from scaling_report import section_markdown  # noqa: E402
from synthetic import generate, sample_parameters  # noqa: E402

CHEAP, EXPENSIVE = "statutory-partners", "accountability-chain"
SCALES = (1, 10, 150)
#: The synthetic data is generated here, not authored: the service at scale skips validating it at start-up
#: (pySHACL over rdflib takes many minutes at N = 150), so that the rows measure serving.
NO_VALIDATION = ("--no-validate",)
#: named queries left out at scale (``--skip-at-scale``): one that does not finish at N = 150 would stop the run
SKIP_AT_SCALE: list[str] = []
YEARS = 10


def timing_dict(timing) -> dict:
    return {"median": timing.median, "p99": timing.p99, "runs": len(timing), "timed_out": timing.timed_out}


def bench_latency(kg, named_queries, quick: bool, bar) -> dict:
    cases = latency.named_cases(named_queries)
    competency = latency.competency_cases()
    unique = list(dict.fromkeys(cases + competency))
    budget = {"reps": 10 if quick else 200, "budget": 0.2 if quick else 1.0}
    results: dict = {"cases": {}, "named": [c.label for c in cases], "competency": [c.label for c in competency]}
    rdflib = latency.RdflibEngine(ox.serialize(kg.quads(), format=ox.RdfFormat.N_QUADS))
    results["rdflib_load_seconds"] = rdflib.load_seconds
    service, server = Service(), OxigraphServer(ox.serialize(kg.quads(), format=ox.RdfFormat.N_QUADS))
    try:
        service.wait_ready()
        service.warm_workers()
        for case in unique:
            bar.set_postfix_str(f"latency {case.label[:40]}")
            row = {
                "pyoxigraph": timing_dict(latency.time_pyoxigraph(kg, named_queries, case, **budget)),
                "http_fresh": timing_dict(latency.time_service(service.port, case, fresh=True, **budget)),
                "http_revalidate": timing_dict(latency.time_service(service.port, case, fresh=False, **budget)),
                "http_cached": timing_dict(latency.time_service_cached(service.port, case, **budget)),
                "oxigraph_server": timing_dict(latency.time_oxigraph_server(server, kg, named_queries, case, **budget)),
                "rdflib": timing_dict(rdflib.time(named_queries, kg.base_iri, case, reps=1 if quick else 3,
                                                  budget=0.1 if quick else 2.0, limit=10 if quick else 60)),
            }
            results["cases"][case.label] = row
            bar.update(1)
    finally:
        service.stop()
        server.stop()
    return results


def bench_throughput(kg, named_queries, quick: bool, bar) -> list[dict]:
    seconds = 2 if quick else 5
    rows = []
    service, server = Service(), OxigraphServer(ox.serialize(kg.quads(), format=ox.RdfFormat.N_QUADS))
    try:
        service.wait_ready()
        service.warm_workers()
        for name in (CHEAP, EXPENSIVE):
            query = named_queries[name]
            sparql = fastest_inlining(server.port, query.sparql, query.bind({}, kg.base_iri))
            targets = (("service (cache, revalidation)", service.port, named_query_path(name, {}), {}),
                       ("service, answered afresh (no-cache)", service.port, named_query_path(name, {}),
                        {"Cache-Control": "no-cache"}),
                       ("Oxigraph server", server.port, server.path(sparql), {}))
            for target, port, path, headers in targets:
                for clients in (1, 8, 64):
                    bar.set_postfix_str(f"load {name} {target[:20]} x{clients}")
                    result = load.run_load(port, path, clients=clients, seconds=seconds,
                                           headers={"Accept": "application/sparql-results+json", **headers})
                    rows.append({"query": name, "target": target, "clients": clients, **result})
                    bar.update(1)
    finally:
        service.stop()
        server.stop()
    return rows


def bench_fresh(kg, named_queries, quick: bool, bar) -> dict:
    """Answers computed afresh at 64 clients, beside the Oxigraph server: every named query (with its default
    parameters; no-cache to the service), and a rotating set of distinct /sparql queries."""
    seconds, clients = (1 if quick else 3), 64
    rows = []
    service, server = Service(), OxigraphServer(ox.serialize(kg.quads(), format=ox.RdfFormat.N_QUADS))
    try:
        service.wait_ready()
        service.warm_workers()
        for name, query in named_queries.items():
            if not latency.runs_with_defaults(query):
                continue
            bar.set_postfix_str(f"fresh {name[:30]}")
            try:
                peer_path = server.path(fastest_inlining(server.port, query.sparql, query.bind({}, kg.base_iri)))
            except Exception as error:  # noqa: BLE001 - no runnable defaults, or too long for a GET: no row
                rows.append({"query": name, "skipped": f"{type(error).__name__}: {error}"})
                continue
            ours = load.run_load(service.port, named_query_path(name, {}), clients=clients, seconds=seconds,
                                 warmup=0.5, headers=FRESH)
            peer = load.run_load(server.port, peer_path, clients=clients, seconds=seconds, warmup=0.5,
                                 headers=OXIGRAPH_HEADERS)
            rows.append({"query": name, "service": ours, "oxigraph": peer})
        queries = rotating_queries(kg, 50 if quick else 2000)  # the same text to both
        bar.set_postfix_str("fresh rotating /sparql")
        ours = load.run_load(service.port, sparql_paths(queries), clients=clients, seconds=2 * seconds, warmup=0.5,
                             headers=FRESH)
        peer = load.run_load(server.port, [server.path(q) for q in queries], clients=clients,
                             seconds=2 * seconds, warmup=0.5, headers=OXIGRAPH_HEADERS)
    finally:
        service.stop()
        server.stop()
    bar.update(1)
    return {"clients": clients, "named": rows, "rotating": {"queries": len(queries), "service": ours, "oxigraph": peer}}


def bench_soak(quick: bool, bar) -> dict:
    import soak

    bar.set_postfix_str("soak")
    result = soak.soak(clients=16 if quick else 64, seconds=10 if quick else 60)
    bar.update(1)
    return result


def bench_startup(quick: bool, bar, data=(), runs: int = 5) -> dict:
    samples = []
    for _ in range(1 if quick else runs):
        service = Service(data=list(data), extra=[*Service.ONE_ADDRESS, *(NO_VALIDATION if data else ())])
        try:
            samples.append(service.wait_ready())
        finally:
            service.stop()
        bar.update(1)
    return {"samples": samples, "median": sorted(samples)[len(samples) // 2], "max": max(samples)}


def bench_scale(named_queries, quick: bool, bar, workdir: Path) -> dict:
    results = {}
    for n in SCALES:
        folder = workdir / f"synthetic-{n}"
        started = time.perf_counter()
        generate(n, YEARS, folder)
        generate_seconds = time.perf_counter() - started
        bar.set_postfix_str(f"scale N={n}")
        reps, budget = ("5", "0.2") if quick else ("30", "1.0")
        skips = [arg for name in SKIP_AT_SCALE for arg in ("--skip", name)]
        output = subprocess.run([sys.executable, str(HERE / "scale.py"), str(folder), "--partnership",
                                 str(max(1, n // 2)), "--reps", reps, "--budget", budget, *skips],
                                capture_output=True, text=True, check=True, cwd=REPO).stdout
        results[n] = {"generate_seconds": generate_seconds, **json.loads(output)}
        bar.update(1)
    # The service at the largest N: memory once every worker is up, start-up, and every named query over HTTP.
    largest = SCALES[-1]
    service = Service(data=[workdir / f"synthetic-{largest}"], extra=[*Service.ONE_ADDRESS, *NO_VALIDATION])
    try:
        first_answer = service.wait_ready()
        service.warm_workers()
        rss_ready = service.rss()
        params = sample_parameters(max(1, largest // 2))
        http = {}
        for name in named_queries:
            if (not latency.runs_with_defaults(named_queries[name]) and name not in params) or name in SKIP_AT_SCALE:
                continue
            bar.set_postfix_str(f"service N={largest} {name}")
            case = latency.Case(name, tuple(sorted(params.get(name, {}).items())))
            try:
                timing = latency.time_service(service.port, case, fresh=True, reps=5 if quick else 30,
                                              budget=0.5 if quick else 2.0, warmup=1)
            except (AssertionError, RuntimeError) as refused:  # e.g. a default naming "the only partnership", with 151
                http[name] = {"refused": str(refused)}
                continue
            http[name] = timing_dict(timing)
        results["service"] = {"partnerships": largest, "first_answer_seconds": first_answer, "rss_ready": rss_ready,
                              "rss_after_queries": service.rss(), "queries": http}
        bar.update(1)
    finally:
        service.stop()
    return results


def bench_search(quick: bool, bar) -> dict:
    from search_bench import run  # the full-text search at the largest scale (raw results)

    bar.set_postfix_str("search")
    result = run(SCALES[-1], 3 if quick else 30)
    bar.update(1)
    return result


def sections(kg, named_queries, quick: bool, bar, workdir: Path) -> dict:
    """Every section of the run, by the name its raw results are kept under, in the order they run."""
    return {
        "latency": lambda: bench_latency(kg, named_queries, quick, bar),
        "throughput": lambda: bench_throughput(kg, named_queries, quick, bar),
        "fresh": lambda: bench_fresh(kg, named_queries, quick, bar),
        "scaling": lambda: bench_scaling(kg, named_queries, quick, bar),
        "candidates": lambda: bench_candidates(kg, named_queries, quick, bar),
        "soak": lambda: bench_soak(quick, bar),
        "startup": lambda: bench_startup(quick, bar),
        "scale": lambda: bench_scale(named_queries, quick, bar, workdir),
        "startup_largest": lambda: bench_startup(True, bar, data=[workdir / f"synthetic-{SCALES[-1]}"]),
        "search": lambda: bench_search(quick, bar),
    }


SECTIONS = tuple(sections(None, None, False, None, Path()))  # the names only: nothing is run


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run, not for the table")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, default=REPO / "docs" / "benchmarks.json", help="raw results")
    parser.add_argument("--skip-at-scale", action="append", default=[], metavar="QUERY",
                        help="leave this named query out of the scale section (the report says so)")
    parser.add_argument("--resume", action="store_true",
                        help="run only the sections missing from the raw results of the last run (--json)")
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="SECTION",
                        help="run only this section (repeatable; one of " + ", ".join(SECTIONS) + "), into the raw "
                        "results of the last run (--json) where there are some; prints its tables unless every "
                        "section is then there")
    parser.add_argument("--render", action="store_true",
                        help="only write the Markdown again from the raw results of the last run (--json)")
    return parser.parse_args()


def render(args) -> None:
    results = json.loads(args.json.read_text(encoding="utf-8"))
    results["scale"] = {(int(k) if k.isdigit() else k): v for k, v in results["scale"].items()}
    write_report(results, args.out)
    print(f"wrote {args.out} from {args.json}")


def earlier_results(args, results: dict) -> dict:
    """The raw results of the last run to continue (--resume) or to run some sections into (--only)."""
    if not (args.resume or (args.only and args.json.exists())):
        return results
    done = json.loads(args.json.read_text(encoding="utf-8"))
    for name in args.only or ():
        done.pop(name, None)
    return {**done, "skipped_at_scale": results["skipped_at_scale"],
            "command": done["command"] + " && " + results["command"]}


def main() -> None:
    args = arguments()
    if args.render:
        render(args)
        return

    from lscp_kg.named_queries import load_named_queries
    from lscp_kg.store import load_knowledge_graph

    kg = load_knowledge_graph()
    named_queries = load_named_queries(kg=kg)  # defaults resolved against the data, as the service does
    unique_cases = len(dict.fromkeys(latency.named_cases(named_queries) + latency.competency_cases()))
    steps = unique_cases + 2 * 3 * 3 + 2 + 2 + (1 if args.quick else 5) + len(SCALES) + 1 + 1 + 1
    results = {"machine": machine(), "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "command": "python " + " ".join(shlex.quote(a) for a in ["benchmarks/run.py", *sys.argv[1:]]),
               "quick": args.quick, "load_tool": load.TOOL, "quads": len(kg), "years": YEARS}
    SKIP_AT_SCALE.extend(args.skip_at_scale)
    results["skipped_at_scale"] = list(SKIP_AT_SCALE)
    results = earlier_results(args, results)
    started = time.monotonic()
    args.json.parent.mkdir(parents=True, exist_ok=True)

    with tqdm(total=steps, unit="step", desc="benchmarks") as bar, tempfile.TemporaryDirectory() as workdir:
        for name, compute in sections(kg, named_queries, args.quick, bar, Path(workdir)).items():
            if name in results or (args.only and name not in args.only):  # --resume keeps those already there
                bar.update(1)
                continue
            results[name] = compute()
            args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")  # after every section
    results["minutes"] = (time.monotonic() - started) / 60
    results["load_after"] = machine()["load"]
    args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    if not all(name in results for name in SECTIONS):
        print("\n".join(section_markdown(results, load.TOOL)))
        print(f"wrote {args.json}; not every section is there, so {args.out} is left as it was")
        return
    write_report(results, args.out)
    print(f"wrote {args.out} and {args.json} in {results['minutes']:.1f} minutes")


if __name__ == "__main__":
    main()
