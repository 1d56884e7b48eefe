"""Benchmark: a network view of ~5,000 nodes, from data to first render in headless Chromium.

Generates a synthetic graph in the shape of the real data (partnerships with
partner organisations, an executive, a partnership group, subgroups that
report to both, seats held through posts, post holders, delegations from lead
representatives, priorities, and Acts every partnership rests on), each unit
in a source-passage graph with its quote. Then it times each stage: loading,
the networkx projection, building the whole-structure view (layout included),
writing the standalone HTML file, and, in headless Chromium (Debian's
chromium + chromedriver, through tests/browser_support.py), the time from
navigation start to the first drawn frame (as the view opens, at its bodies,
and with every kind ticked), one full redraw, and a search. Then, over
``--partnerships`` synthetic partnerships in the service, the time the
neighbours API (``/api/explore/neighbours``, what expanding a node asks) takes
for a subgroup, a body, a partnership and the Act every partnership rests on.

Not a test: it prints the numbers. Run from the repository root:

    .venv/bin/python benchmarks/visualisation_render.py --nodes 5000 --repeat 3 --partnerships 150
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import Chromium  # noqa: E402

from lscp_kg.store import load_knowledge_graph  # noqa: E402
from lscp_kg.visualisations.projection import project  # noqa: E402
from lscp_kg.visualisations.render import render_page  # noqa: E402
from lscp_kg.visualisations.views import build_view  # noqa: E402

PREFIXES = """@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
ACTS = ["<http://www.legislation.gov.uk/id/ukpga/1989/41>", "<http://www.legislation.gov.uk/id/ukpga/2004/31>"]
NODES_PER_UNIT = 50


def unit(i: int) -> str:
    """One synthetic partnership of 50 nodes, in one passage graph."""
    u = f"<id/bench/{i}"
    t = [f"{u}/passage> a lscp:SourcePassage ; prov:value \"Synthetic passage {i} for the benchmark.\" .",
         f"{u}/partnership> a lscp:SafeguardingPartnership ; rdfs:label \"Partnership {i}\" ; "
         f"lscp:underpinnedBy {ACTS[0]} , {ACTS[1]} ."]
    orgs = [f"{u}/org/{k}>" for k in range(3)]
    for k, o in enumerate(orgs):
        t.append(f"{o} a org:FormalOrganization ; rdfs:label \"Partner {k} of {i}\" .")
        t.append(f"{u}/partnership> lscp:safeguardingPartner {o} .")
    bodies = [f"{u}/body/exec>", f"{u}/body/pg>"] + [f"{u}/body/sub{k}>" for k in range(6)]
    t.append(f"{bodies[0]} a lscp:ExecutiveBody ; rdfs:label \"Executive {i}\" ; lscp:partnershipOf {u}/partnership> .")
    t.append(f"{bodies[1]} a lscp:PartnershipGroup ; rdfs:label \"Partnership group {i}\" ; lscp:partnershipOf {u}/partnership> .")
    for k, b in enumerate(bodies[2:]):
        t.append(f"{b} a lscp:Subgroup ; rdfs:label \"Subgroup {k} of {i}\" ; org:reportsTo {bodies[0]} , {bodies[1]} .")
    posts = [f"{u}/post/{k}>" for k in range(15)]
    for k, p in enumerate(posts):
        t.append(f"{p} a org:Post ; rdfs:label \"Post {k} of {i}\" ; org:postIn {orgs[k % 3]} .")
    for k in range(3):
        t.append(f"{posts[k]} org:role lscp:LeadRepresentativeRole ; lscp:delegatesTo {posts[k + 3]} ; lscp:accountableFor {orgs[k]} .")
    for k in range(10):
        t.append(f"{u}/person/{k}> a foaf:Person ; rdfs:label \"Person {k} of {i}\" ; org:holds {posts[k + 3]} .")
        body = bodies[0] if k < 3 else bodies[1]
        t.append(f"{u}/seat/{k}> a lscp:Seat ; rdfs:label \"Seat {k} of {i}\" ; org:organization {body} ; "
                 f"lscp:seatPost {posts[k + 3]} ; org:member {orgs[k % 3]} ; org:role lscp:MemberRole .")
    for k in range(3):
        t.append(f"{u}/priority/{k}> a lscp:StrategicPriority ; rdfs:label \"Priority {k} of {i}\" .")
        t.append(f"{bodies[2 + k]} lscp:addressesPriority {u}/priority/{k}> .")
    return f"{u}/passage> {{\n  " + "\n  ".join(t) + "\n}\n"


def synthetic_data(nodes: int, folder: Path) -> Path:
    acts = "<id/bench/acts> {\n  <id/bench/acts> a lscp:ExternalCitation ; rdfs:label \"Acts\" .\n" + "".join(
        f"  {a} a lscp:Legislation ; rdfs:label \"Act {n}\" .\n" for n, a in enumerate(ACTS)) + "}\n"
    path = folder / "synthetic.trig"
    path.write_text(PREFIXES + acts + "".join(unit(i) for i in range(max(1, nodes // NODES_PER_UNIT))), encoding="utf-8")
    return path


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def expand_times(partnerships: int, folder: Path, repeat: int = 20) -> dict:
    """Milliseconds per neighbours-API answer (in-process WSGI), after the projection is built."""
    from lscp_kg.service.app import create_app

    (folder / "expand").mkdir(exist_ok=True)
    data = synthetic_data(partnerships * NODES_PER_UNIT, folder / "expand")
    client = create_app({"TESTING": True, "DATA": [data]}).test_client()
    base = "https://lscp-kg.example.org/id/bench/"
    targets = {"subgroup": base + "7/body/sub2", "body (partnership group)": base + "7/body/pg",
               "partnership": base + "7/partnership", "Act every partnership rests on": ACTS[0].strip("<>")}
    first, cold_s = timed(lambda: client.get("/api/explore/neighbours", query_string={"iri": targets["subgroup"]}))
    assert first.status_code == 200, first.data[:300]
    result = {"expand_first_call_s (builds the projection)": round(cold_s, 2)}
    for name, iri in targets.items():
        times = []
        for _ in range(repeat):
            answer, seconds = timed(lambda: client.get("/api/explore/neighbours", query_string={"iri": iri}))
            assert answer.status_code == 200
            times.append(seconds * 1000)
        result[f"expand_ms_median {name} ({len(answer.json['neighbours'])} neighbours)"] = round(statistics.median(times), 1)
        result[f"expand_ms_max {name}"] = round(max(times), 1)
    return result


def browser_times(chromium: Chromium, page: Path, query: str = "") -> dict:
    chromium.open(page.as_uri() + query)
    chromium.wait_for("#network[data-state=rendered]", timeout=120)
    return chromium.run_js("""
        const x = window.lscpExplorer;
        let t = performance.now(); x.network.redraw(); const redraw = performance.now() - t;
        document.getElementById('search').value = 'Subgroup 3 of 57';
        t = performance.now(); document.getElementById('search-form').requestSubmit(); const search = performance.now() - t;
        return {first_render_ms: x.renderedAt, script_to_render_ms: x.firstRenderMs, redraw_ms: redraw, search_ms: search,
                drawn_nodes: x.network.body.data.nodes.length, selected: x.network.getSelectedNodes().length};""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--partnerships", type=int, default=150, help="synthetic partnerships for the expand timing")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = synthetic_data(args.nodes, Path(folder))
        kg, load_s = timed(lambda: load_knowledge_graph([data], include_shipped=False))
        graph, project_s = timed(lambda: project(kg))
        view, view_s = timed(lambda: build_view(graph, "structure"))
        html, render_s = timed(lambda: render_page(view, kg.base_iri, standalone=True, service_url=None))
        page = Path(folder) / "structure.html"
        page.write_text(html, encoding="utf-8")
        chromium = Chromium()
        try:
            runs = [browser_times(chromium, page) for _ in range(args.repeat)]
            every_kind = [browser_times(chromium, page, "?hide_kinds=") for _ in range(args.repeat)]
        finally:
            chromium.close()
        expanding = expand_times(args.partnerships, Path(folder)) if args.partnerships else {}
    result = {
        "nodes": view.graph.number_of_nodes(), "edges": view.graph.number_of_edges(), "html_bytes": len(html.encode()),
        "load_s": round(load_s, 3), "projection_s": round(project_s, 3), "view_and_layout_s": round(view_s, 3),
        "render_html_s": round(render_s, 3),
        "browser_first_render_ms_median": round(statistics.median(r["first_render_ms"] for r in runs)),
        "browser_first_render_ms_runs": [round(r["first_render_ms"]) for r in runs],
        "script_to_first_render_ms_median": round(statistics.median(r["script_to_render_ms"] for r in runs)),
        "browser_first_render_every_kind_ms_median": round(statistics.median(r["first_render_ms"] for r in every_kind)),
        "browser_first_render_every_kind_ms_runs": [round(r["first_render_ms"]) for r in every_kind],
        "drawn_nodes_every_kind": every_kind[0]["drawn_nodes"],
        "redraw_ms_median": round(statistics.median(r["redraw_ms"] for r in runs)),
        "search_ms_median": round(statistics.median(r["search_ms"] for r in runs)),
        "drawn_nodes": runs[0]["drawn_nodes"], "search_selected": runs[0]["selected"],
        **expanding,
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:34} {value}")


if __name__ == "__main__":
    main()
