"""Find by name: the FTS5 search engine (lscp_kg.search), /api/search, /search and the header's search box."""

from __future__ import annotations

from lscp_kg.service.security_headers import CONTENT_SECURITY_POLICY

import sqlite3
from pathlib import Path

import pytest

from lscp_kg.backends import store_settings
from lscp_kg.search import index_file, index_for, search
from lscp_kg.search_build import build_index
from lscp_kg.search_index import SearchIndex
from lscp_kg.search_text import edit_distance, normalise
from lscp_kg.store import load_knowledge_graph

LSCP = "https://lscp-kg.example.org/ontology#"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


def labels(kg, text, **options):
    return [hit.label for hit in search(kg, text, **options).hits]


def first(kg, text, **options):
    hits = search(kg, text, **options).hits
    assert hits, f"nothing found for {text!r}"
    return hits[0]


@pytest.mark.parametrize("typed", ["MACE", "mace", "multi agency chi", "Multi-Agency Child Exploitation",
                                   "multiagency child", "MULTI-AGENCY   child exploitation!", "multi agensy child expl"])
def test_mace_is_found_however_it_is_typed(kg, typed):
    hit = first(kg, typed)
    assert hit.iri == kg.iri("id/lewisham/body/mace") and hit.kind == "Subgroup"
    assert [(label, short) for _, label, short in hit.partnerships] == [
        ("Lewisham Safeguarding Children Partnership", "Lewisham")]
    assert not hit.namesake and hit.display == hit.label


def test_a_typo_in_a_person_s_name(kg):
    hit = first(kg, "Pinaki Goshal")
    assert hit.label == "Pinaki Ghoshal" and hit.kind == "Person" and hit.match == "close"
    assert first(kg, "Ceri Jacobs").label == "Ceri Jacob"


def test_apostrophes_accents_and_case_do_not_matter(kg):
    for typed in ("schools' safeguarding network", "Schools’ Safeguarding Network", "schools` safeguarding",
                  "SCHOOLS SAFEGUARDING NETWORK", "Schóols Safeguàrding Network"):
        assert first(kg, typed).iri == kg.iri("id/lewisham/body/schools-safeguarding-network"), typed
    assert normalise("Zoë’s café") == normalise("ZOES CAFE")


def test_an_exact_name_ranks_first_then_names_that_start_with_the_query(kg):
    result = search(kg, "Independent Scrutineer")
    assert result.hits[0].match == "exact" and result.hits[0].label.lower() == "independent scrutineer"
    tiers = [hit.match for hit in result.hits]
    assert tiers == sorted(tiers, key=["exact", "prefix", "words"].index)
    # a name the source uses (lscp:nameUsed) counts as a name: "the Council" is the London Borough of Lewisham
    council = first(kg, "the council")
    assert council.label == "London Borough of Lewisham" and council.matched == "the Council"


def test_people_posts_and_titles_are_found(kg):
    assert first(kg, "Richard McDonagh").kind == "Person"
    assert any(hit.kind == "Post" for hit in search(kg, "Head of Safeguarding and Quality Assurance").hits)
    # a document found by its dcterms:title, not its label
    assert any("Thresholds for Intervention" in hit.label for hit in search(kg, "access the right support").hits)


def test_filters_by_kind_with_subclasses_and_by_partnership(kg):
    bodies = search(kg, "partnership", kinds=[LSCP + "Body"]).hits
    assert bodies and all(LSCP + "Body" in hit.classes for hit in bodies)
    assert kg.iri("id/lewisham/body/partnership-group") in [hit.iri for hit in bodies]  # a PartnershipGroup is a Body
    assert search(kg, "Pinaki Ghoshal", kinds=[LSCP + "Body"]).hits == [] or search(
        kg, "Pinaki Ghoshal", kinds=[LSCP + "Body"]).closest
    lewisham = kg.iri("id/partnership/lewisham")
    assert first(kg, "mace", partnerships=[lewisham]).iri == kg.iri("id/lewisham/body/mace")
    assert search(kg, "mace", partnerships=[kg.iri("id/partnership/nowhere")]).hits == []
    assert search(kg, "mace", kinds=["http://example.org/no-such-class"]).hits == []


def test_nothing_matches_and_the_closest_come_back_marked(kg):
    assert search(kg, "zzqxv").hits == []
    partial = search(kg, "mace zzqxv")
    assert partial.closest and partial.hits[0].iri == kg.iri("id/lewisham/body/mace")
    assert search(kg, "").hits == [] and search(kg, "   ¿¡ ").hits == []


def test_ontology_terms_are_not_entities(kg):
    assert all(hit.kind not in ("Class", "Object Property") for hit in search(kg, "reports to", limit=50).hits)


def test_edit_distance_counts_a_transposition_once():
    assert edit_distance("ghoshal", "goshal") == 1 and edit_distance("mcae", "mace") == 1
    assert edit_distance("abc", "abc") == 0 and edit_distance("kitten", "sitting") == 3


def test_the_index_is_built_through_the_store_interface_and_kept_per_graph(kg):
    assert index_for(kg) is index_for(kg)
    entities = index_for(kg).db.execute("SELECT COUNT(*) FROM entity").fetchone()[0]
    named = len({row["e"].value for row in kg.query(
        "SELECT DISTINCT ?e WHERE { ?e rdfs:label|foaf:name ?n ; a ?t FILTER NOT EXISTS { GRAPH <"
        "https://lscp-kg.example.org/ontology> { ?e ?p ?o } } }")})
    assert entities >= named * 0.9


def test_the_on_disk_store_keeps_its_index_beside_it_and_rebuilds_it_for_new_data(tmp_path):
    folder = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text('@prefix lscp: <https://lscp-kg.example.org/ontology#> .\n@prefix rdfs: '
                     '<http://www.w3.org/2000/01/rdf-schema#> .\n<id/test/body/zanzibar> a lscp:Subgroup ; '
                     'rdfs:label "Zanzibar Review Group" .\n', encoding="utf-8")
    first_kg = load_knowledge_graph(settings=store_settings(store_path=folder))
    path = index_file(Path(first_kg.backend.path))
    assert not path.exists()
    assert labels(first_kg, "mace")[0] == "Multi-Agency Child Exploitation (MACE)"
    assert path.exists() and path.parent == folder
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM name WHERE norm = 'multi agency child exploitation mace'").fetchone()[0] == 1
    reopened = load_knowledge_graph(settings=store_settings(store_path=folder))
    assert index_for(reopened).db is not index_for(first_kg).db and labels(reopened, "mace")  # read from the file
    assert search(reopened, "Zanzibar").hits == []
    changed = load_knowledge_graph([extra], settings=store_settings(store_path=folder))
    assert index_file(Path(changed.backend.path)) != path
    assert labels(changed, "zanzibar review") == ["Zanzibar Review Group"]


def test_a_remote_store_is_indexed_from_its_published_graph(kg):
    from lscp_kg.backends.embedded import EmbeddedBackend
    from lscp_kg.backends.registry import Published

    class Published1:
        def __init__(self):
            self.version = "v1"

        def published(self, refresh=False):
            return Published(token=self.version, state="ready", version=self.version)

    class RemoteLike(EmbeddedBackend, Published1):
        needs_network = True

        def __init__(self, store):
            EmbeddedBackend.__init__(self, store)
            Published1.__init__(self)

        def data_version(self, refresh=False):
            return f"{self.version}:{self.version}"

    from lscp_kg.store import KnowledgeGraph

    remote = KnowledgeGraph(backend=RemoteLike.from_quads(kg.quads()), base_iri=kg.base_iri)
    index = index_for(remote)
    assert index.version.startswith("v1") and labels(remote, "mace")


def test_built_index_matches_a_fresh_build(kg):
    fresh = SearchIndex(build_index(kg))
    assert [h.iri for h in fresh.search("partnership group").hits] == [h.iri for h in search(kg, "partnership group").hits]


# --- /api/search -------------------------------------------------------------------------------------------

def test_api_search_answers_json_with_links(client, kg):
    response = client.get("/api/search", query_string={"q": "multi agency chi", "limit": 5})
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.json
    hit = document["hits"][0]
    assert document["query"] == "multi agency chi" and document["closest"] is False and len(document["hits"]) <= 5
    assert hit["iri"] == kg.iri("id/lewisham/body/mace") and hit["kind"] == "Subgroup"
    assert hit["page"] == "/id/lewisham/body/mace"
    assert hit["network"] == f"/explore/entity?iri={kg.iri('id/lewisham/body/mace')}"
    questions = {q["name"]: q for q in hit["questions"]}
    assert "members-of-body" in questions and "accountability-chain" in questions and "person" not in questions
    assert questions["members-of-body"]["page"] == "/queries/members-of-body?body=id/lewisham/body/mace"
    assert hit["partnerships"] == [{"iri": kg.iri("id/partnership/lewisham"),
                                    "label": "Lewisham Safeguarding Children Partnership", "shortLabel": "Lewisham"}]
    assert hit["display"] == hit["label"] and hit["namesake"] is False


def test_api_search_filters(client, kg):
    bodies = client.get("/api/search?q=partnership&kind=lscp:Body&limit=50").json["hits"]
    assert bodies and {h["kind"] for h in bodies} <= {"Partnership group", "Executive body", "Subgroup", "Support team",
                                                       "Partnership support team", "Steering group", "Task and finish group",
                                                       "Partnership body"}
    people = client.get("/api/search", query_string=[("q", "ceri"), ("kind", "foaf:Person"),
                                                     ("partnership", "id/partnership/lewisham")]).json["hits"]
    assert [h["label"] for h in people] == ["Ceri Jacob"]


@pytest.mark.parametrize("query,says", [
    ({"q": "mace", "limit": "ten"}, "parameter 'limit'"),
    ({"q": "mace", "limit": "0"}, "parameter 'limit'"),
    ({"q": "mace", "limit": "1000"}, "parameter 'limit'"),
    ({"q": "x" * 201}, "at most 200 characters"),
    ({}, "parameter 'q' is required"),
    ({"q": "mace", "kind": "not a class"}, "parameter 'kind'"),
])
def test_api_search_refuses_bad_parameters_clearly(client, query, says):
    response = client.get("/api/search", query_string=query)
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert says in response.json["error"]


# --- /search and the header ---------------------------------------------------------------------------------

def test_search_page_lists_hits_with_kind_partnership_and_links(client):
    response = client.get("/search", query_string={"q": "Pinaki Goshal"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<a href="/id/person/pinaki-ghoshal"' in page and ">Pinaki Ghoshal</a>" in page
    assert "Person" in page and "Lewisham Safeguarding Children Partnership" in page
    assert "See it in a network view" in page and "/queries/person?person=id/person/pinaki-ghoshal" in page
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_search_page_says_when_nothing_matches_and_refuses_a_long_query(client):
    page = client.get("/search?q=zzqxv").get_data(as_text=True)
    assert "Nothing is called “zzqxv”" in page
    assert client.get("/search", query_string={"q": "y" * 300}).status_code == 400
    assert client.get("/search?q=mace&limit=lots").status_code == 400
    empty = client.get("/search")
    assert empty.status_code == 200 and 'id="search-q"' in empty.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/queries", "/queries/members-of-body", "/search?q=mace", "/id/lewisham/body/mace"])
def test_every_page_has_the_search_box_in_its_header(client, path):
    page = client.get(path).get_data(as_text=True)
    header = page[page.index('<header'):page.index('</header>')]
    assert '<form class="site-search" role="search"' in header and 'action="/search"' in header
    assert '<label for="site-search-q">' in header and 'id="site-search-q" name="q"' in header


@pytest.fixture(scope="module")
def hostile_client():
    from lscp_kg.service.app import create_app

    app = create_app({"TESTING": True, "VALIDATE": False, "DATA": [HOSTILE], "QUERY_WORKERS": 1})
    yield app.test_client()
    app.extensions["lscp_kg"].runner.close()


def test_hostile_labels_stay_text_in_search_results(hostile_client):
    for typed in ("img src onerror", "svg onload", "script alert"):
        response = hostile_client.get("/search", query_string={"q": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<img src=x" not in page and "<svg onload" not in page and "<script>alert" not in page
    page = hostile_client.get("/search", query_string={"q": "img src onerror"}).get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    hits = hostile_client.get("/api/search", query_string={"q": "img onerror"}).json["hits"]
    assert hits[0]["label"] == "<img src=x onerror=alert(1)>"  # JSON keeps the text as it is


@pytest.mark.skipif(not __import__("virtuoso_support").virtuoso_available(),
                    reason="Virtuoso Open Source (Debian: apt-get install virtuoso-opensource) is not installed")
def test_a_remote_store_s_index_is_built_from_its_published_graph_and_finds_the_same(tmp_path, kg, monkeypatch):
    from click.testing import CliRunner
    from virtuoso_support import VirtuosoServer

    from lscp_kg.cli import main

    server = VirtuosoServer(tmp_path / "virtuoso").start()
    try:
        published = CliRunner().invoke(main, ["publish", "--store", f"sparql+{server.query_url}",
                                              "--store-update", f"sparql+{server.update_url}"],
                                       env=server.publisher_environment)
        assert published.exit_code == 0, published.output
        remote = load_knowledge_graph(settings=store_settings(store=f"sparql+{server.query_url}"))
        index = index_for(remote)
        assert index.version != "unpublished"
        for typed in ("multi agency chi", "Pinaki Goshal", "the council"):
            assert [h.iri for h in search(remote, typed).hits[:3]] == [h.iri for h in search(kg, typed).hits[:3]], typed
        assert first(remote, "mace").partnerships == first(kg, "mace").partnerships
    finally:
        server.stop()
