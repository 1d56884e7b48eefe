"""The networkx projection of the Lewisham graph: typed nodes, relations with their
quotes, the accountability steps, the views built on it, and the GraphML export."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from lscp_kg.cli import main as cli
from lscp_kg.store import load_knowledge_graph
from lscp_kg.visualisations.projection import accountability_graph, is_lead_representative, project
from lscp_kg.visualisations.views import ViewError, build_view, view_parameters

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


@pytest.fixture(scope="module")
def graph(kg):
    return project(kg)


@pytest.fixture(scope="module")
def steps(graph):
    return accountability_graph(graph)


@pytest.mark.parametrize("path, kind", [
    ("id/lewisham/body/mace", "subgroup"),
    ("id/lewisham/body/partnership-group", "body"),
    ("id/lewisham/body/executive-partnership", "body"),
    ("id/org/london-borough-of-lewisham", "partner organisation"),
    ("id/org/metropolitan-police", "organisation"),
    ("id/partnership/lewisham", "partnership"),
    ("id/lewisham/post/lbl-chief-executive", "post"),
    ("id/person/ceri-jacob", "person"),
    ("id/lewisham/concept/child-exploitation", "priority"),
    ("id/lewisham/seat/partnership-group-01", "seat"),
    ("id/lewisham/families-first-pathfinder", "programme"),
    ("id/lewisham/doc/annual-report-2022-2023", "report"),
])
def test_nodes_are_typed_from_their_classes(graph, iri, path, kind):
    assert graph.nodes[iri(path)]["type"] == kind


def test_acts_are_legislation_and_responsibilities_are_left_out(graph, iri):
    assert graph.nodes["http://www.legislation.gov.uk/id/ukpga/2004/31"]["type"] == "legislation"
    assert iri("id/lewisham/responsibility/mace-themes") not in graph
    assert Counter(t for _, t in graph.nodes(data="type"))["priority"] == 6


def test_every_edge_has_a_relation_and_a_source_quote(graph):
    for _, _, attrs in graph.edges(data=True):
        assert attrs["relation"] and attrs["relation_label"]
        assert attrs["sources"] and all(source["quote"] for source in attrs["sources"])


def test_an_edge_stated_in_several_passages_lists_them_all(graph, iri):
    holds = graph.edges[iri("id/person/ceri-jacob"), iri("id/lewisham/post/icb-place-executive-lead"), "org:holds"]
    lines = {source["lines"] for source in holds["sources"]}
    assert {"23-29", "94-107", "352"} <= lines


def test_reporting_line_carries_the_passage_that_states_it(graph, iri):
    edge = graph.edges[iri("id/lewisham/body/mace"), iri("id/lewisham/body/executive-partnership"), "org:reportsTo"]
    assert edge["sources"][0]["quote"].startswith("Four subgroups will report to and inform")
    assert edge["sources"][0]["lines"] == "144-149"


LEADS = {  # lead representative post -> the delegated officer's post on the Executive
    "id/lewisham/post/lbl-chief-executive": "id/lewisham/post/lbl-executive-director-cyp",
    "id/lewisham/post/health-accountable-officer": "id/lewisham/post/icb-place-executive-lead",
    "id/lewisham/post/chief-officer-of-police": "id/lewisham/post/bcu-detective-superintendent-public-protection",
}


@pytest.mark.parametrize("lead", sorted(LEADS))
def test_accountability_path_from_mace_to_each_lead_representative(graph, steps, iri, lead):
    mace, executive = iri("id/lewisham/body/mace"), iri("id/lewisham/body/executive-partnership")
    assert is_lead_representative(graph, iri(lead))
    paths = list(nx.all_shortest_paths(steps, mace, iri(lead)))
    assert [mace, executive, iri(LEADS[lead]), iri(lead)] in paths
    relations = [next(iter(steps[a][b])) for a, b in zip(paths[0], paths[0][1:])]
    assert relations == ["org:reportsTo", "lscp:seatPost", "lscp:delegatedBy"]


def test_accountability_steps_match_the_named_query(graph, steps, iri, run_named):
    """The projection's accountability relation is the one queries/accountability-chain.rq follows."""
    mace = iri("id/lewisham/body/mace")
    leads = [n for n in graph if is_lead_representative(graph, n)]
    agencies = {o for s, o, k in steps.edges(keys=True) if k == "lscp:accountableFor"}
    reaching = set(leads) | agencies
    for lead in leads:
        reaching |= nx.ancestors(steps, lead)
    reachable = {mace} | nx.descendants(steps, mace)
    projected = {(s, k, o) for s, o, k in steps.edges(keys=True) if s in reachable and o in reaching}
    queried = {(row["from"], row["relation"], row["to"]) for row in run_named("accountability-chain", start=mace)}
    queried = {(s, "lscp:" + r.rsplit("#", 1)[1] if "ontology#" in r else "org:" + r.rsplit("#", 1)[1], o)
               for s, r, o in queried}
    assert projected == queried and len(projected) >= 9


def test_partnership_group_has_21_seats_by_organisation(graph, iri):
    view = build_view(graph, "seats", body=iri("id/lewisham/body/partnership-group"))
    seats = [n for n, t in view.graph.nodes(data="type") if t == "seat"]
    with_member = [s for s in seats if any(k == "org:member" for _, _, k in view.graph.out_edges(s, keys=True))]
    assert len(with_member) == 21
    members = Counter(o for s in with_member for _, o, k in view.graph.out_edges(s, keys=True) if k == "org:member")
    assert members[iri("id/org/nhs-lewisham-ccg")] == 3
    assert members[iri("id/org/metropolitan-police")] == 2
    assert members[iri("id/org/london-borough-of-lewisham")] == 2
    assert view.description.startswith(f"{len(seats)} seats: 21 held by an organisation")


def test_default_seats_view_is_the_body_with_most_seats(graph, iri):
    assert iri("id/lewisham/body/partnership-group") in build_view(graph, "seats").graph


def test_accountability_view_puts_leads_above_officers_above_bodies(graph, iri):
    view = build_view(graph, "accountability")
    y = {n: view.graph.nodes[n]["y"] for n in view.graph}
    lead, officer = iri("id/lewisham/post/lbl-chief-executive"), iri("id/lewisham/post/lbl-executive-director-cyp")
    executive, group = iri("id/lewisham/body/executive-partnership"), iri("id/lewisham/body/partnership-group")
    assert y[lead] < y[officer] < y[executive] < y[group] < y[iri("id/lewisham/body/mace")]
    assert view.graph.nodes[iri("id/lewisham/post/ccg-designated-nurse")]["dead_end"]
    assert not view.graph.nodes[officer]["dead_end"]


def test_path_view_finds_shortest_paths_with_quotes(graph, iri):
    view = build_view(graph, "path", source=iri("id/lewisham/body/mace"), target=iri("id/person/ceri-jacob"))
    assert view.steps and all(step["relations"] for step in view.steps)
    assert all(src["quote"] for step in view.steps for rel in step["relations"] for src in rel["sources"])
    assert {step["path"] for step in view.steps} == set(range(1, len({s["path"] for s in view.steps}) + 1))


def test_entity_view_depth_and_bad_parameters(graph, iri):
    mace = iri("id/lewisham/body/mace")
    one, two = build_view(graph, "entity", iri=mace, depth=1), build_view(graph, "entity", iri=mace, depth=2)
    assert set(graph.successors(mace)) <= set(one.graph) and one.graph.number_of_nodes() < two.graph.number_of_nodes()
    with pytest.raises(ViewError, match="no such entity"):
        build_view(graph, "entity", iri=iri("id/nothing"))
    with pytest.raises(ViewError, match="unknown view"):
        build_view(graph, "nope")
    with pytest.raises(ViewError, match="takes no parameter"):
        view_parameters("structure", {"iri": "id/x"}, "http://b/")
    with pytest.raises(ViewError, match="expected an IRI"):
        view_parameters("entity", {"iri": "<bad iri>"}, "http://b/")


def test_every_view_positions_every_node(graph):
    for name in ("structure", "accountability", "reporting", "seats", "priorities", "legislation", "report-path"):
        view = build_view(graph, name)
        assert view.graph.number_of_nodes() > 0
        assert all("x" in attrs and "y" in attrs for _, attrs in view.graph.nodes(data=True)), name


def test_graphml_export_opens_in_networkx(runner, tmp_path, iri):
    out = tmp_path / "lscp.graphml"
    result = runner.invoke(cli, ["export", "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    read = nx.read_graphml(out)
    mace = read.nodes[iri("id/lewisham/body/mace")]
    assert mace["type"] == "subgroup" and mace["label"] == "Multi-Agency Child Exploitation (MACE)"
    relations = {d["relation"] for _, _, d in read.edges(data=True)}
    assert {"org:reportsTo", "lscp:delegatesTo", "org:member"} <= relations
    assert all(isinstance(v, str) for _, d in read.nodes(data=True) for v in d.values())


def test_hostile_labels_are_kept_verbatim():
    graph = project(load_knowledge_graph([HOSTILE]))
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    assert "<img src=x onerror=alert(1)>" in labels and "</script><script>alert(4)</script>" in labels


def test_post_holdings_current_and_former_are_edges_with_their_quotes(graph, iri):
    chair = iri("id/lewisham/post/partnership-chair")
    former = graph.edges[iri("id/person/richard-mcdonagh"), chair, "lscp:heldPost"]
    assert former["relation_label"] == "formerly held"
    assert any("former Chair" in s["quote"] and s["lines"] for s in former["sources"])
    current = graph.edges[iri("id/person/ceri-jacob"), chair, "lscp:heldPost"]
    assert current["relation_label"].startswith("holds") and current["sources"]


def test_nodes_carry_the_partnership_whose_document_states_them(graph, iri):
    partnership = iri("id/partnership/lewisham")
    assert graph.nodes[iri("id/lewisham/body/mace")]["partnerships"] == (partnership,)
    assert graph.nodes[iri("id/lewisham/body/mace")]["partnership_labels"] == (graph.nodes[partnership]["label"],)


def test_hubs_are_shown_but_not_followed(graph, iri):
    from lscp_kg.visualisations.neighbourhood import around, neighbours

    mace, partnership = iri("id/lewisham/body/mace"), iri("id/partnership/lewisham")
    assert graph.nodes[partnership]["hub"] and graph.nodes[iri("id/lewisham/body/partnership-group")]["hub"]
    assert not graph.nodes[mace]["hub"]
    near = around(graph, [mace], 2)
    assert partnership in near and not neighbours(graph, partnership) <= near
    assert neighbours(graph, partnership) <= around(graph, [mace], 2, follow_hubs=True)
    view = build_view(graph, "entity", iri=mace, depth=2)
    assert view.graph.number_of_nodes() < 30 and view.graph.nodes[mace]["focus"]
    assert build_view(graph, "entity", iri=mace, depth=2, hubs=True).graph.number_of_nodes() > 30


def test_a_view_of_several_entities_highlights_them_all_and_joins_them(graph, iri):
    asked = [iri("id/lewisham/body/mace"), iri("id/person/ceri-jacob"), iri("id/nothing/here")]
    view = build_view(graph, "entity", iri=asked, depth=0)
    assert {n for n, f in view.graph.nodes(data="focus") if f} == set(asked[:2])
    assert nx.is_connected(nx.Graph(view.graph.to_undirected()))
    assert view.notes and "id/nothing/here" in view.notes[0]
    assert view_parameters("entity", {"iri": ["id/a", "id/b"], "depth": "0"}, "http://b/") == {
        "iri": ["http://b/id/a", "http://b/id/b"], "depth": 0}


def test_view_state_expands_hides_and_focuses_as_the_page_script_does(graph, iri):
    from lscp_kg.visualisations.neighbourhood import neighbours
    from lscp_kg.visualisations.view_state import StateError, ViewState, apply_expansions, visible_nodes

    mace, hub = iri("id/lewisham/body/mace"), iri("id/lewisham/body/concern-hub")
    view = build_view(graph, "reporting")
    state = ViewState.from_args({"expand": [mace], "hide": [hub]}, graph.graph["base_iri"])
    brought = apply_expansions(graph, view.graph, state.expand)
    assert set(brought[mace]) == neighbours(graph, mace) and all("x" in view.graph.nodes[n] for n in view.graph)
    assert visible_nodes(view.graph, brought, state) == set(view.graph) - {hub}
    focused = ViewState.from_args({"expand": [mace], "focus": [mace]}, "")
    assert visible_nodes(view.graph, brought, focused) == {mace} | neighbours(graph, mace)
    for bad in ({"focus_depth": ["9"]}, {"layout": ["circle"]}):
        with pytest.raises(StateError):
            ViewState.from_args(bad, "")


def test_marks_agree_with_the_analysis(graph):
    from lscp_kg.visualisations.analysis import analyse
    from lscp_kg.visualisations.marks import marks_of

    marks, report = marks_of(graph), {c["check"]: c["findings"] for c in analyse(graph)["checks"]}
    for check, mark in (("bodies-without-reporting-line", "no-reporting-line"), ("posts-without-holder", "no-holder"),
                        ("accountability-dead-ends", "dead-end")):
        assert {f["entities"][0]["iri"] for f in report[check]} == {n for n, m in marks.items() if mark in m}


def test_a_reporting_cycle_and_a_post_with_no_holder_are_marked():
    from lscp_kg.visualisations.marks import marks_of

    graph = nx.MultiDiGraph(base_iri="http://b/")
    for node, kind in (("a", "body"), ("b", "subgroup"), ("p", "post")):
        graph.add_node(node, label=node.upper(), type=kind, type_label=kind.title(), roles=())
    graph.add_edge("a", "b", key="org:reportsTo", sources=[])
    graph.add_edge("b", "a", key="org:reportsTo", sources=[])
    marks = marks_of(graph)
    assert "reporting-cycle" in marks["a"] and "reporting-cycle" in marks["b"]
    assert marks["p"][0] == "no-holder" and "no-reporting-line" not in marks["a"]
