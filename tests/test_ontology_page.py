"""/ontology for people: one title, the site's layout and landmarks, pyLODE's terms sanitised and linked in place."""

from __future__ import annotations

from lscp_kg.service.security_headers import CONTENT_SECURITY_POLICY

import re
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

from lscp_kg.namespaces import LSCP, ONTOLOGY_IRI
from lscp_kg.service.ontology_doc import generate_documentation, sanitise
from lscp_kg.store import graph_from_quads, load_knowledge_graph

TITLE = "lscp-kg ontology of safeguarding children partnership arrangements"


class Outline(HTMLParser):
    """The page's title, headings, landmarks, ids and in-page links."""

    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.fragments, self.h1, self.title = [], set(), set(), [], ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.fragments.add(attrs["href"][1:])
        if tag in ("h1", "title"):
            self._in = tag
            self.h1.append("") if tag == "h1" else None

    def handle_endtag(self, tag):
        self._in = None if tag == self._in else self._in

    def handle_data(self, data):
        if self._in == "h1":
            self.h1[-1] += data
        elif self._in == "title":
            self.title += data


@pytest.fixture(scope="module")
def page(app):
    response = app.test_client().get("/ontology", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    outline = Outline()
    outline.feed(response.get_data(as_text=True))
    return response, outline


def test_one_title_in_the_browser_tab_and_on_the_page(page):
    _, outline = page
    assert [h.strip() for h in outline.h1] == [TITLE]
    assert outline.title.strip().startswith(TITLE)
    assert "Kinds of report step" not in outline.title


def test_site_layout_language_and_landmarks(page):
    response, outline = page
    html_tag = next(attrs for tag, attrs in outline.tags if tag == "html")
    assert html_tag.get("lang") == "en"
    tags = [tag for tag, _ in outline.tags]
    assert tags.count("main") == 1 and "header" in tags and "footer" in tags
    navs = [attrs for tag, attrs in outline.tags if tag == "nav"]
    assert len(navs) >= 2, "the site's navigation and the ontology's contents"
    assert any(tag == "a" and attrs.get("href") == "/queries" for tag, attrs in outline.tags), "a way back to the site"
    policy = response.headers["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY and "script-src 'self'" in policy and "unsafe-eval" not in policy


def test_terms_are_documented_and_every_in_page_link_has_its_target(page):
    response, outline = page
    html = response.get_data(as_text=True)
    for term in ("Seat", "Body", "reports to", "delegated by"):
        assert term in html
    assert len(outline.fragments) > 100
    assert outline.fragments <= outline.ids, sorted(outline.fragments - outline.ids)[:10]
    assert f'href="{LSCP}' not in html, "links to lscp: terms stay on this site"


def test_controlled_vocabularies_are_listed_with_their_concepts(page):
    response, _ = page
    html = response.get_data(as_text=True)
    section = html[html.index('id="vocabularies"'):]
    for label in ("Severities of scrutiny findings", "Kinds of report step", "Post holding statuses", "independent scrutiny"):
        assert label in section


def test_nothing_of_pyLODE_s_markup_can_run():
    assert sanitise('<p style="color:red" onmouseover="x()">a</p><style>p{}</style><iframe src="/x"></iframe>'
                    '<a href="javascript:alert(1)">b</a>', lambda iri: None) == '<p>a</p><a>b</a>'


def test_a_hostile_label_in_the_ontology_stays_text():
    ontology = load_knowledge_graph(include_shipped=False)
    term, graph = ox.NamedNode(LSCP + "Hostile"), ox.NamedNode(ONTOLOGY_IRI)
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">Hostile'
    added = [ox.Quad(term, ox.NamedNode(predicate), value, graph) for predicate, value in (
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode("http://www.w3.org/2002/07/owl#Class")),
        ("http://www.w3.org/2000/01/rdf-schema#label", ox.Literal(hostile)),
        ("http://www.w3.org/2000/01/rdf-schema#comment", ox.Literal('<b onclick="alert(3)">x</b>')))]
    kg = graph_from_quads([*ontology.quads(), *added], ontology.base_iri, ontology.files, ontology.graph_files)
    doc = generate_documentation(kg)
    assert doc is not None and "Hostile" in doc.body
    assert not re.search(r"<(script|img|iframe|style)\b", doc.body + doc.contents)
    assert not re.search(r"<[^>]+\son\w+=", doc.body + doc.contents)
