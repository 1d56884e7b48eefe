"""The page script's picture (static/explorer-state.js) is the server's (view_state.py):
the same nodes for the same state, expansions, hidden nodes, focus and hubs alike.

Runs the script in Node.js (Debian's ``nodejs``) over the data the page would get;
skips, saying why, when Node.js is not installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lscp_kg.visualisations.projection import project
from lscp_kg.visualisations.view_state import ViewState, apply_expansions, visible_nodes
from lscp_kg.visualisations.views import build_view

NODE = shutil.which("node") or shutil.which("nodejs")
SCRIPT = Path(__file__).resolve().parent.parent / "visualisations" / "static" / "explorer-state.js"
RUN = """
const window = {}; eval(require("fs").readFileSync(process.argv[1], "utf8"));
const input = JSON.parse(require("fs").readFileSync(0, "utf8")), S = window.lscpState;
const byId = new Map(input.nodes.map(n => [n.id, n]));
const answers = input.states.map(state => Array.from(S.visible(byId, S.adjacency(input.edges), input.base, input.brought, state)).sort());
process.stdout.write(JSON.stringify({answers: answers, query: S.toQuery("?iri=x", input.states[0])}));
"""


@pytest.mark.skipif(NODE is None, reason="needs Node.js (apt-get install nodejs) to run the page script")
@pytest.mark.parametrize("name", ["reporting", "accountability", "structure"])
def test_the_page_script_draws_the_same_picture_as_the_server(kg, iri, name):
    graph = project(kg)
    mace, group = iri("id/lewisham/body/mace"), iri("id/lewisham/body/partnership-group")
    view = build_view(graph, name)
    base = sorted(view.graph)
    expand = [n for n in (mace, group, iri("id/lewisham/body/executive-partnership")) if n in view.graph]
    brought = apply_expansions(graph, view.graph, expand)
    states = [ViewState(expand=tuple(expand)), ViewState(expand=tuple(expand), hide=(group,)),
              ViewState(expand=tuple(expand), focus=mace, focus_depth=1),
              ViewState(expand=tuple(expand), focus=mace, focus_depth=2, hide=(expand[-1],)),
              ViewState(expand=tuple(expand), focus=mace, focus_depth=3, hubs=True)]
    page_states = [{"expand": list(s.expand), "hide": list(s.hide), "focus": s.focus, "focus_depth": s.focus_depth,
                    "hubs": s.hubs, "hide_kinds": [], "hide_relations": [], "layout": None, "default_hide_kinds": []}
                   for s in states]
    data = {"nodes": [{"id": n, "hub": bool(a.get("hub"))} for n, a in view.graph.nodes(data=True)],
            "edges": [{"from": s, "to": o} for s, o in view.graph.edges()], "base": base, "brought": brought,
            "states": page_states}
    answer = subprocess.run([NODE, "-e", RUN, str(SCRIPT)], input=json.dumps(data), capture_output=True, text=True,
                            timeout=60, check=True)
    result = json.loads(answer.stdout)
    assert result["answers"] == [sorted(visible_nodes(view.graph, brought, s)) for s in states]
    assert len({len(a) for a in result["answers"]}) > 1  # the states give different pictures
    assert result["query"].startswith("?iri=x&expand=")
