"""One concept, one place: one builder of entity links, one writer of bound values, one rule for the graphs a
partnership's answer may use (issue 19).

Each concept has a scan of the package's sources that fails if a second
implementation appears, and behaviour tests that the one implementation is what
every surface uses: an awkward IRI (``#``, encoded spaces, quotes and angle
brackets, ``%``, ``&``, non-ASCII) gets the same link from an entity page, a
search hit and a network view; a hostile literal bound through values-first and
through the remote-store rewriting gives text pyoxigraph parses and that
matches exactly that literal.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from lscp_kg.backends.query_rewrite import prepare
from lscp_kg.entity_links import coverage_href, entity_href, source_href
from lscp_kg.labels import NAMING_PROPERTIES, labels_for
from lscp_kg.query_binding import NamedQuery, values_first
from lscp_kg.query_parameters import Parameter
from lscp_kg.partnership_graphs import graph_owners, may_use
from lscp_kg.scrutiny_partnerships import contexts_of
from lscp_kg.sparql_terms import sparql_term, values_block

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIRS = ("lscp_kg", "service", "visualisations")
LINK_MODULE = "lscp_kg/entity_links.py"
WRITER_MODULE = "lscp_kg/sparql_terms.py"
RULE_MODULE = "lscp_kg/partnership_graphs.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "partnerships"
BASE = "https://lscp-kg.example.org/"
# Legal in an IRI, awkward in a URL: encoded space, quote and angle brackets (a '%' to keep), an apostrophe,
# brackets, '&' and '=' (query-string syntax), non-ASCII letters and a fragment '#'.
AWKWARD = BASE + "id/test/body/odd%20name%22q%3Cx%3E'(r\u00e9union)&a=1#part"
AWKWARD_LABEL = "Zqxwv awkward group"
MACE = BASE + "id/lewisham/body/mace"


def package_sources():
    for folder in PACKAGE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _called(node: ast.Call) -> str | None:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)


# --- one builder of entity links --------------------------------------------------------------------------------

_LINK_START = re.compile(r"^/(?:id/|entity(?:$|\?)|source(?:$|[/?]))")
_LINK_ENDPOINTS = {"entities.by_iri", "entities.by_path", "source_pages.by_iri", "source_pages.document",
                   "source_pages.coverage", "source_pages.coverage_json"}


def link_builders(tree: ast.AST) -> list[int]:
    """Lines that build an entity or source link: an f-string or concatenation with a part starting ``/id/``,
    ``/entity`` or ``/source``, or url_for of an entity or source page (routes and messages are not built)."""
    found = []
    for node in ast.walk(tree):
        parts = node.values if isinstance(node, ast.JoinedStr) else \
            [node.left, node.right] if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) else []
        if any(isinstance(p, ast.Constant) and isinstance(p.value, str) and _LINK_START.match(p.value) for p in parts):
            found.append(node.lineno)
        if isinstance(node, ast.Call) and _called(node) == "url_for" and node.args \
                and isinstance(node.args[0], ast.Constant) and node.args[0].value in _LINK_ENDPOINTS:
            found.append(node.lineno)
    return found


def templates():
    for folder in ("service/templates", "visualisations/templates", "lscp_kg"):
        for path in sorted((ROOT / folder).rglob("*.html")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_templates_neither_build_links_nor_write_terms_themselves():
    """A template links with entity_url / source_url and writes an IRI into query text with iri_term."""
    telltale = re.compile(r"\|\s*urlencode|<'\s*~|~\s*'>|<\"\s*~|~\s*\">")
    found = {path: telltale.findall(text) for path, text in templates() if telltale.search(text)}
    assert found == {}


def test_the_one_escaping_rule():
    """Percent-encoded in the query string, readable ':/@'; a '%' is encoded (so nothing is decoded twice)."""
    expected = ("/entity?iri=https://lscp-kg.example.org/id/test/body/odd%2520name%2522q%253Cx%253E%27%28r%C3%A9union"
                "%29%26a%3D1%23part")
    assert entity_href(AWKWARD, BASE) == expected
    assert entity_href(AWKWARD, BASE, "https://kg.example/") == "https://kg.example" + expected
    assert entity_href(MACE, BASE, "/mounted") == "/mounted/id/lewisham/body/mace"
    assert source_href("http://x/a b#c", BASE, 3, 5) == "/source?doc=http://x/a%20b%23c&lines=3-5#L3"
    assert coverage_href(BASE + "id/source/arrangements", BASE, format="json") == \
        "/source/arrangements/coverage?format=json"


@pytest.fixture(scope="module")
def awkward_app(tmp_path_factory):
    """The service over the shipped data plus one body whose IRI is awkward, reporting to MACE.

    Test data, not a fact of any source (its passage quotes nothing), so it is served unvalidated.
    """
    from lscp_kg.service.app import create_app

    folder = tmp_path_factory.mktemp("awkward")
    (folder / "awkward.trig").write_text(f"""
@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<id/test/passage/awkward> {{
    <id/test/passage/awkward> a lscp:SourcePassage ; lscp:source <id/source/lewisham-our-partnership-arrangements> ;
        lscp:partnershipContext <id/partnership/lewisham> ; lscp:startLine 1 ; lscp:endLine 1 ; prov:value "test" .
    <{AWKWARD}> a lscp:Subgroup ; rdfs:label "{AWKWARD_LABEL}" ;
        lscp:partnershipOf <id/partnership/lewisham> ; org:reportsTo <{MACE}> .
}}
""", encoding="utf-8")
    return create_app({"TESTING": True, "DATA": [folder], "VALIDATE": False})


def test_every_surface_gives_the_same_link_to_an_awkward_iri(awkward_app):
    expected = entity_href(AWKWARD, BASE)
    client = awkward_app.test_client()

    page = client.get("/id/lewisham/body/mace")
    assert page.status_code == 200
    hrefs = {html.unescape(h) for h in re.findall(r'href="([^"]*)"', page.get_data(as_text=True))}
    assert expected in hrefs, "the entity page links the body that reports to it"

    hits = client.get("/api/search", query_string={"q": AWKWARD_LABEL}).get_json()["hits"]
    assert [h["page"] for h in hits if h["iri"] == AWKWARD] == [expected]

    view = client.get("/explore/entity", query_string={"iri": MACE, "depth": 1, "limit": 0})
    assert graph_nodes(view.get_data(as_text=True))[AWKWARD]["href"] == expected

    assert client.get(expected).status_code == 200, "the link opens the entity's page"
    assert AWKWARD_LABEL in client.get(expected).get_data(as_text=True)


def graph_nodes(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    return {n["id"]: n for n in json.loads(found.group(1))["nodes"]}


def test_standalone_pictures_link_by_the_same_rule_under_the_service_url(awkward_app):
    """``lscp-kg visualise --service-url URL`` writes a file whose nodes link to URL's entity pages; without it, none."""
    from lscp_kg.service.state import service_state
    from lscp_kg.visualisations.projection import project
    from lscp_kg.visualisations.render import render_page
    from lscp_kg.visualisations.views import build_view, view_parameters

    with awkward_app.app_context():
        kg = service_state().kg
        network = project(kg)
        drawn = build_view(network, "entity", **view_parameters("entity", {"iri": MACE, "depth": "1"}, kg.base_iri))
        linked = graph_nodes(render_page(drawn, kg.base_iri, standalone=True, service_url="https://kg.example/sub/",
                                         projection=network))
        alone = graph_nodes(render_page(drawn, kg.base_iri, standalone=True, service_url=None, projection=network))
    assert linked[AWKWARD]["href"] == "https://kg.example/sub" + entity_href(AWKWARD, BASE)
    assert linked[MACE]["href"] == "https://kg.example/sub/id/lewisham/body/mace"
    assert not alone[AWKWARD].get("href")


# --- one writer of bound values ---------------------------------------------------------------------------------

def term_writers(tree: ast.AST) -> list[int]:
    """Lines that write a term into SPARQL text themselves: ``str(Literal(...))`` / ``str(NamedNode(...))``,
    a hand-written typed literal (``"..."^^<``), a ``VALUES (`` row built in an f-string, or escaping quotes
    or backslashes with ``.replace``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == "str" and node.args and isinstance(node.args[0], ast.Call) \
                and _called(node.args[0]) in ("Literal", "NamedNode"):
            found.append(node.lineno)
        if isinstance(node, ast.JoinedStr) and any(isinstance(p, ast.Constant) and ('"^^<' in p.value or "VALUES (" in p.value)
                                                   for p in node.values):
            found.append(node.lineno)
        if isinstance(node, ast.Call) and _called(node) == "replace" and any(
                isinstance(a, ast.Constant) and a.value in ('"', '\\"', "\\", "\\\\") for a in node.args):
            found.append(node.lineno)
    return found


# --- one rule for the graphs a partnership's answer may use ------------------------------------------------------

def partnership_rules(tree: ast.AST) -> list[int]:
    """Lines that decide themselves whether a graph is a partnership's to use: an ``or`` of an ownerless test
    (``... is None``, ``... not in ...``) and a comparison ``... == ...partnership...``."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or)):
            continue
        compares = [v for v in node.values if isinstance(v, ast.Compare) and len(v.ops) == 1]
        ownerless = any(isinstance(c.ops[0], ast.NotIn) or (isinstance(c.ops[0], ast.Is) and isinstance(
            c.comparators[0], ast.Constant) and c.comparators[0].value is None) for c in compares)
        if ownerless and any(isinstance(c.ops[0], ast.Eq) and _mentions_partnership(c) for c in compares):
            found.append(node.lineno)
    return found


def _mentions_partnership(node: ast.AST) -> bool:
    return any("partnership" in (getattr(n, "id", None) or getattr(n, "attr", None) or "") for n in ast.walk(node))


def test_the_partnership_rule_is_the_one_the_four_surfaces_use():
    """The network view, the names, the entity pages' scope and scrutiny answer as the one rule does, graph for
    graph, over two partnerships that share organisations (tests/fixtures/partnerships)."""
    from lscp_kg.service.app import create_app
    from lscp_kg.service.scoping import Scope
    from lscp_kg.store import load_knowledge_graph
    from lscp_kg.visualisations.projection import project

    kg = load_knowledge_graph([FIXTURES / name / "partnership.yaml" for name in ("eastmoor", "westmoor")])
    owners = graph_owners(kg)
    graphs = sorted({q.graph_name.value for q in kg.statements(None, None, None, None)
                     if isinstance(q.graph_name, ox.NamedNode)})
    assert set(owners.values()) >= {kg.iri("id/partnership/eastmoor"), kg.iri("id/partnership/westmoor")}
    assert set(graphs) - set(owners), "some common data, or the rule's second half is not tried"
    assert contexts_of(kg, graphs) == {g: {p} for g, p in owners.items()}
    naming_graphs: dict[str, set] = {}
    for prop in NAMING_PROPERTIES:
        for q in kg.statements(None, prop, None, None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal):
                graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
                naming_graphs.setdefault(q.subject.value, set()).add(graph)
    with create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg}).app_context():
        for partnership in sorted(set(owners.values())):
            scope = Scope(partnership)
            assert [g for g in graphs if scope.allows(ox.NamedNode(g))] == \
                [g for g in graphs if may_use(owners.get(g), partnership)]
            network = project(kg, partnership)
            used = {s["passage"] for _, attrs in network.nodes(data=True) for s in attrs["sources"]}
            assert used and all(may_use(owners.get(g), partnership) for g in used)
            usable_names = {iri for iri, gs in naming_graphs.items() if any(may_use(owners.get(g), partnership) for g in gs)}
            assert {iri for iri, name in labels_for(kg).names(partnership=partnership).items() if name} == usable_names
            assert usable_names != set(naming_graphs), "the other partnership names something: the rule is tried"


# --- each concept in its one module -------------------------------------------------------------------------------

#: Each concept: the scan that finds a telltale of it, the one module that may have them, code the scan must find
#: (on line 1) and code it must not.
ONE_PLACE = {
    "entity links": (link_builders, LINK_MODULE, [
        'x = "/entity?iri=" + quote(iri)', 'x = f"{root}/id/{rest}"', 'x = url_for("entities.by_iri", iri=i)'],
        ['@bp.get("/id/<path:rest>")\ndef f(): raise E("Give /entity?iri=<IRI>.")']),
    "bound values": (term_writers, WRITER_MODULE, [
        'x = str(ox.Literal(v))', 'x = f\'"{v}"^^<http://www.w3.org/2001/XMLSchema#date>\'',
        'x = f"VALUES ({names}) {{ ({row}) }}"', 'x = v.replace(\'"\', \'\\\\"\')'], ['x = str(v)']),
    "the graphs a partnership may use": (partnership_rules, RULE_MODULE, [
        'ok = partnership is None or context.get(g, partnership) == partnership',
        'ok = graph not in contexts or contexts[graph] == partnership',
        'ok = owner is None or owner == self.partnership'],
        ['ok = partnership is None or kind == "body"', 'ok = owner == partnership']),
}


@pytest.mark.parametrize("concept", ONE_PLACE)
def test_each_scan_finds_the_telltales(concept):
    scan, _module, telltales, innocent = ONE_PLACE[concept]
    assert [scan(ast.parse(code)) for code in telltales] == [[1]] * len(telltales)
    assert [scan(ast.parse(code)) for code in innocent] == [[]] * len(innocent)


@pytest.mark.parametrize("concept", ONE_PLACE)
def test_each_concept_is_written_in_its_one_module_only(concept):
    scan, module = ONE_PLACE[concept][:2]
    found = {path: lines for path, tree in package_sources() if (lines := scan(tree))}
    assert set(found) == {module}, f"{concept} written outside {module}: {found}"


HOSTILE = [
    ox.Literal('say "}" \\ # now\n} UNION { ?s ?p ?o } #'),
    ox.Literal("l'\u00e9t\u00e9 \"\"\" '''\r\t\\u0022", language="fr"),
    ox.Literal('2024-01-01"^^<x> } #', datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")),
]


@pytest.fixture(scope="module")
def store():
    """Each hostile literal on its own subject, and near misses (the literal's text without its tag, cut short)."""
    store = ox.Store()
    p = ox.NamedNode("http://x/p")
    for n, literal in enumerate(HOSTILE):
        store.add(ox.Quad(ox.NamedNode(f"http://x/s{n}"), p, literal))
        store.add(ox.Quad(ox.NamedNode(f"http://x/near{n}"), p, ox.Literal(literal.value[:-1])))
        store.add(ox.Quad(ox.NamedNode(f"http://x/plain{n}"), p, ox.Literal(literal.value + " ")))
    return store


def subjects(store, text: str) -> list[str]:
    return sorted(row["s"].value for row in store.query(text))


QUERY = "SELECT ?s ?v WHERE { ?s <http://x/p> ?v }"


@pytest.mark.parametrize("n", range(len(HOSTILE)))
def test_a_hostile_literal_bound_values_first_matches_exactly_it(store, n):
    query = NamedQuery("q", "Q", "", QUERY, (Parameter("v", "string"),), bind_style="values-first")
    text = values_first(QUERY, {ox.Variable("v"): HOSTILE[n]})
    assert subjects(store, text) == [f"http://x/s{n}"]
    if not HOSTILE[n].language and HOSTILE[n].datatype.value.endswith("#string"):  # what a form sends: plain text
        sparql, substitutions = query.prepare({"v": HOSTILE[n].value}, "http://x/")
        assert substitutions == {} and subjects(store, sparql) == [f"http://x/s{n}"]


@pytest.mark.parametrize("n", range(len(HOSTILE)))
def test_a_hostile_literal_through_the_remote_rewriting_matches_exactly_it(store, n):
    bound = {ox.Variable("v"): HOSTILE[n]}
    prepared = prepare(QUERY, bound, "http://x/", {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    assert subjects(store, prepared.text(None, None)) == [f"http://x/s{n}"]


def test_the_writer_refuses_what_is_not_a_term():
    with pytest.raises(TypeError):
        sparql_term('"} DROP ALL #')
    with pytest.raises(ValueError):
        values_block({"not a variable name!": ox.Literal("x")})
