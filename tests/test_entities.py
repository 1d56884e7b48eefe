"""Entity pages: every IRI of the graph resolves; HTML for people with sources, RDF by negotiation."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
import rdflib

PERSON = "id/person/ceri-jacob"
LEGISLATION = "http://www.legislation.gov.uk/id/ukpga/2004/31"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def test_person_page_shows_label_statements_links_and_quotes(client, kg):
    response = client.get(f"/{PERSON}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<h1>Ceri Jacob</h1>" in page
    assert "What the sources say about it" in page and "What refers to it" in page
    # Each statement shows the passage that states it, with its verbatim quote.
    row = kg.query(f"SELECT ?quote WHERE {{ GRAPH ?g {{ <{kg.iri(PERSON)}> ?p ?o }} ?g prov:value ?quote }} LIMIT 1")
    quote = next(iter(row))["quote"].value
    assert f"<blockquote>{quote.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}" in \
        page.replace("&#39;", "'").replace("&#34;", '"')
    hrefs = links_of(page)
    assert "/id/lewisham/passage/" in " ".join(hrefs)
    assert any(h.startswith("/entity?iri=") for h in hrefs)  # types and properties outside the base


def quotes_of(page: str) -> list[str]:
    return re.findall(r"<blockquote>(.*?)</blockquote>", page, flags=re.S)


def test_each_quote_is_shown_once_with_the_statements_that_rest_on_it(client, kg):
    page = client.get("/id/lewisham/body/mace").get_data(as_text=True)
    quotes = quotes_of(page)
    assert len(quotes) == len(set(quotes)) > 1  # each distinct quote once (13 times before)
    distinct = kg.query(f"""SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{
        {{ GRAPH ?g {{ <{kg.iri('id/lewisham/body/mace')}> ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p <{kg.iri('id/lewisham/body/mace')}> }} }}
        ?g prov:value ?quote }}""")
    assert len(quotes) == int(next(iter(distinct))["n"].value)
    assert re.search(r"statements? on this page rests?", page)
    # every quote links to its lines on the source page
    assert page.count('of the source</a>') == len(quotes)
    assert "/source/" in page and "?lines=" in page


def test_statements_are_grouped_by_relation_in_plain_english(client):
    page = client.get("/id/lewisham/body/mace").get_data(as_text=True)
    facts = dict(re.findall(r'<dt data-iri="([^"]+)">([^<]+)</dt>', page))
    assert facts["http://www.w3.org/ns/org#reportsTo"] in ("reports to", "is reported to by")
    assert "reports to" in facts.values()
    assert not re.search(r">\s*(lscp|org|rdf|rdfs):\w+\s*<", page), "no prefixed names as link text on a human page"
    executive = client.get("/id/lewisham/body/executive-partnership").get_data(as_text=True)
    assert ">is reported to by</dt>" in executive
    assert "Multi-Agency Child Exploitation (MACE)" in executive


def test_entity_page_links_to_its_network_view_and_the_questions_about_it(client):
    page = client.get("/id/lewisham/body/mace").get_data(as_text=True)
    assert re.search(r'href="/explore/entity\?iri=[^"]*mace">See it in a network view', page)
    target = re.search(r'href="(/explore/entity\?iri=[^"]*mace)"', page).group(1)
    assert client.get(target).status_code == 200


def test_a_passage_page_shows_its_lines_in_their_surroundings_once(client, kg):
    page = client.get("/id/lewisham/passage/L15a").get_data(as_text=True)
    assert "The passage in its source" in page
    marked = re.findall(r'<div class="line marked"><span class="ln">(\d+)</span>', page)
    assert marked == ["15"]
    numbers = [int(n) for n in re.findall(r'<span class="ln">(\d+)</span>', page)]
    assert numbers == list(range(12, 19))  # three lines either side
    assert "<blockquote>" not in page  # its text is shown once, in context
    assert 'href="/source/lewisham-our-partnership-arrangements?lines=15#L15"' in page


def test_every_link_on_an_entity_page_resolves(client):
    page = client.get(f"/{PERSON}").get_data(as_text=True)
    targets = {h for h in links_of(page) if h.startswith(("/id/", "/entity?"))}
    assert len(targets) > 10
    for href in targets:
        assert client.get(href).status_code == 200, href


def test_every_iri_of_the_graph_resolves(client, kg):
    iris = set()
    for quad in kg.quads():
        iris |= {t.value for t in (quad.subject, quad.predicate, quad.object, quad.graph_name) if isinstance(t, ox.NamedNode)}
    assert len(iris) > 300
    local = kg.base_iri + "id/"
    for iri in sorted(iris):
        path = f"/id/{iri[len(local):]}" if iri.startswith(local) and "#" not in iri and "?" not in iri else None
        response = client.get(path or "/entity", query_string={"format": "ntriples"} if path else
                              {"iri": iri, "format": "ntriples"})
        assert response.status_code == 200, iri


def test_legislation_and_ontology_terms_resolve(client):
    legislation = client.get("/entity", query_string={"iri": LEGISLATION})
    assert legislation.status_code == 200 and "Children Act 2004" in legislation.get_data(as_text=True)
    term = client.get("/entity", query_string={"iri": "https://lscp-kg.example.org/ontology#Seat"})
    assert term.status_code == 200 and "the lscp ontology" in term.get_data(as_text=True)


@pytest.mark.parametrize("how", ["accept", "format"])
def test_turtle_and_jsonld_by_negotiation(client, kg, how):
    subject = rdflib.URIRef(kg.iri(PERSON))
    for media_type, name, parser in (("text/turtle", "turtle", "turtle"), ("application/ld+json", "jsonld", "json-ld")):
        kwargs = {"headers": {"Accept": media_type}} if how == "accept" else {"query_string": {"format": name}}
        response = client.get(f"/{PERSON}", **kwargs)
        assert response.status_code == 200 and response.mimetype == media_type
        graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format=parser)
        assert (subject, rdflib.RDFS.label, rdflib.Literal("Ceri Jacob")) in graph
        assert (None, None, subject) in graph  # statements that refer to it, too
    assert "Vary" in response.headers and "Accept" in response.headers["Vary"]


def test_trig_keeps_each_statement_in_its_source_graph(client, kg):
    response = client.get(f"/{PERSON}", query_string={"format": "trig"})
    dataset = rdflib.Dataset()
    dataset.parse(data=response.get_data(as_text=True), format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert any("/passage/" in g for g in graphs)
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    assert any(True for _ in dataset.quads((None, prov.value, None, None)))  # the passages' quotes come along


def test_unknown_iri_is_404_and_bad_requests_are_400(client):
    assert client.get("/id/person/nobody-at-all").status_code == 404
    assert client.get("/entity", query_string={"iri": "http://example.org/nothing"}).status_code == 404
    assert client.get("/entity").status_code == 400
    assert client.get("/entity", query_string={"iri": "not an iri"}).status_code == 400
    assert client.get(f"/{PERSON}", headers={"Accept": "image/png"}).status_code == 406
    not_found = client.get("/id/person/nobody-at-all", headers={"Accept": "application/json"})
    assert not_found.json["status"] == 404


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    from lscp_kg.service.app import create_app

    data = tmp_path_factory.mktemp("hostile") / "hostile.trig"
    data.write_text(
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix prov: <http://www.w3.org/ns/prov#> .\n'
        '<id/test/passage/x> {\n'
        '  <id/test/passage/x> prov:value "<script>alert(\'quote\')</script>" .\n'
        '  <id/test/evil> rdfs:label "<img src=x onerror=alert(1)>" ;\n'
        '      rdfs:comment "</td><script>alert(2)</script>" ;\n'
        '      rdfs:seeAlso <javascript:alert(3)> .\n'
        '}\n')
    application = create_app({"TESTING": True, "VALIDATE": False, "DATA": [data], "QUERY_WORKERS": 1})
    yield application
    application.extensions["lscp_kg"].runner.close()


def test_hostile_labels_and_quotes_show_as_text(hostile_app):
    client = hostile_app.test_client()
    page = client.get("/id/test/evil").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page and "<script>" not in page
    assert "&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page  # an IRI is only ever linked through its entity page
    assert "/entity?iri=javascript:alert(3)" in page.replace("%3A", ":").replace("%28", "(").replace("%29", ")")
    table = client.get("/api/queries/source-of-fact", query_string={"entity": "id/test/evil"}).json
    assert "<img src=x onerror=alert(1)>" in json.dumps(table, ensure_ascii=False)  # data stays data in JSON


def test_entity_pages_forbid_scripts_from_anywhere_else(client):
    policy = client.get(f"/{PERSON}").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and re.search(r"default-src '(self|none)'", policy)  # nothing from elsewhere
    assert all(urlsplit(h).netloc in ("", "localhost") for h in re.findall(r'(?:src|href)="([^"]+)"',
                                                                             client.get(f"/{PERSON}").get_data(as_text=True)))


def test_an_entity_page_suggests_only_questions_that_answer_for_it(client):
    """The Support Team has no seats and no chairing rule: the questions about those are not offered on its page
    (issue 17: "chairing" and "members" suggested for the Support Team answered 0 rows); every one offered answers."""
    import re

    page = client.get("/id/lewisham/body/support-team").get_data(as_text=True)
    offered = re.findall(r'<a href="(/queries/[^"]+)">([^<]+)</a>', page.split("Questions about it:", 1)[1].split("</li>", 1)[0])
    titles = {title for _href, title in offered}
    assert offered and "Members and chair of a body" not in titles
    assert "How a body is chaired, in every way the source says" not in titles
    for href, title in offered:
        answer = client.get(href.replace("&amp;", "&")).get_data(as_text=True)
        assert 'class="empty-answer"' not in answer, title
