"""Pages meant for people speak plain English in what they show unopened (issue 17, item 1).

For every page type a manager, scrutineer or governance lead reads, the HTML (Flask test client) is reduced to
what the page shows without anything being opened, and that text must hold:

- no IRI: no ``http://`` or ``https://`` address (a link's ``href`` is not text, so links are fine), and no
  ``id/...`` path of the graph;
- no prefixed name of the project's prefixes (``org:reportsTo``, ``lscp:seatPost``...);
- no SPARQL variable (``?from``);
- no rule code (the ``#+ id:`` of each ``queries/scrutiny/*.rq``, such as ``CEASED-ORG``);
- no metric name (betweenness, degree centrality...);
- no word of the trade (IRI, competency question).

**The "technical on request" convention.** Text is left out of what a page shows unopened when it is inside:

- a ``<details>`` element that is not ``open`` (its content is shown only on request: "Technical details");
- an element with a ``data-technical`` attribute or the class ``technical`` (an identifier offered where an
  integrator looks for it, such as a "copy identifier" button's IRI or a query's SPARQL);
- ``<script>``, ``<style>``, ``<template>``, ``<pre class="sparql">`` content or the head's non-title elements.

Attribute values are not text, except those a person reads or hears in place of text: ``aria-label``, ``alt``
and ``placeholder``. A ``title`` tooltip is on request (hover) and not checked.
Each page is a separate test case, so a failure names the page and what it shows.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = ("lscp", "org", "prov", "skos", "dcterms", "dct", "foaf", "schema", "rdfs", "rdf", "xsd", "owl", "sh",
            "time", "freq")
METRICS = ("betweenness", "degree centrality", "closeness centrality", "eigenvector", "pagerank", "centrality",
           "in-degree", "out-degree")
# words of the trade a manager should not meet unopened (the "paste its IRI", "competency question 22")
TRADE_WORDS = ("IRI", "IRIs", "competency question")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SPOKEN_ATTRIBUTES = ("aria-label", "alt", "placeholder")


def rule_codes() -> list[str]:
    """The scrutiny rules' codes, from their headers (``#+ id: CEASED-ORG``)."""
    codes = set()
    for path in (ROOT / "queries" / "scrutiny").glob("*.rq"):
        match = re.search(r"^#\+ id:\s*(\S+)", path.read_text(encoding="utf-8"), re.M)
        if match:
            codes.add(match.group(1))
    return sorted(codes, key=len, reverse=True)


class ShownText(HTMLParser):
    """The text a page shows unopened (see the module's docstring for what is left out).

    >>> ShownText.of('<p>Reports to <a href="https://x.org/a">A</a></p><details><summary>More</summary>org:x</details>')
    'Reports to A More'
    >>> ShownText.of('<p data-technical>lscp:Seat</p><p class="note technical">?x</p><details open>id/a/b</details>')
    'id/a/b'
    """

    HIDDEN_TAGS = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, "shows" | "hides" | "summary": a closed details' summary)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag in self.HIDDEN_TAGS or (tag == "details" and "open" not in attributes) \
                or "data-technical" in attributes or "technical" in classes:
            state = "hides"
        elif tag == "summary" and self.stack and self.stack[-1] == ("details", "hides"):
            state = "summary"  # a closed disclosure's summary is shown: it says what is on request
        else:
            state = "shows"
        if state != "hides" and self.visible():
            self.parts.extend(attributes[a] for a in SPOKEN_ATTRIBUTES if attributes.get(a))
        if tag not in VOID:
            self.stack.append((tag, state))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.visible():
            self.parts.append(data)

    def visible(self) -> bool:
        """Shown unless an element around it hides it (a closed details shows its own summary)."""
        for index, (_, state) in enumerate(self.stack):
            if state == "hides":
                following = self.stack[index + 1:index + 2]
                if not (following and following[0][1] == "summary"):
                    return False
        return True

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def jargon(text: str) -> list[str]:
    """What a page shows that is not plain English (empty if nothing).

    >>> jargon("The Executive reports to the Group (org:reportsTo), ?from, see https://x.org, id/lewisham/passage/L2")
    ['IRI: https://x.org,', 'graph path: id/lewisham/passage/L2', 'prefixed name: org:reportsTo', 'variable: ?from']
    >>> jargon("CEASED-ORG: betweenness 0.2")
    ['rule code: CEASED-ORG', 'metric: betweenness']
    >>> jargon("Who chairs it? Which body (name or address)? 3 of 4: 75%")
    []
    """
    found = [f"IRI: {m}" for m in re.findall(r"https?://\S+", text)]
    found += [f"graph path: {m}" for m in re.findall(r"(?<![\w/.-])id/[\w.-]+(?:/[\w.-]+)*", text)]
    found += [f"prefixed name: {m}" for m in
              re.findall(r"(?<![\w/.-])(?:%s):[A-Za-z_][\w-]*" % "|".join(PREFIXES), text)]
    found += [f"variable: {m}" for m in re.findall(r"(?<![\w/?])\?[A-Za-z_]\w*", text)]
    found += [f"rule code: {code}" for code in rule_codes() if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(code), text)]
    found += [f"metric: {m}" for m in METRICS if re.search(r"\b%s\b" % re.escape(m), text, re.I)]
    found += [f"technical word: {w}" for w in TRADE_WORDS if re.search(r"\b%s\b" % re.escape(w), text)]
    return found


PAGES = {
    "home": "/",
    "questions index": "/queries",
    "questions index for integrators": "/queries?audience=integrator",
    "question: statutory partners": "/queries/statutory-partners",
    "question: reporting lines": "/queries/reporting-lines",
    "question: accountability chain": "/queries/accountability-chain",
    "question: ceased organisations": "/queries/ceased-organisations",
    "question: changes over time": "/queries/changes-over-time",
    "question: members of a body": "/queries/members-of-body",
    "question: a person": "/queries/person",
    "question: which one (choices)": "/queries/members-of-body?body=group",
    "entity: partnership": "/id/partnership/lewisham",
    "entity: body": "/id/lewisham/body/partnership-group",
    "entity: subgroup": "/id/lewisham/body/mace",
    "entity: former body": "/id/lewisham/body/concern-hub",
    "entity: person": "/id/person/richard-mcdonagh",
    "entity: post": "/id/lewisham/post/met-local-police-lead-public-protection",
    "entity: seat": "/id/lewisham/seat/partnership-group-scrutineer",
    "entity: organisation": "/id/org/metropolitan-police",
    "entity: ceased organisation": "/id/org/nhs-lewisham-ccg",
    "entity: document": "/id/lewisham/doc/annual-report-2020-2021",
    "entity: passage": "/id/lewisham/passage/L410",
    "entity: priority": "/id/lewisham/concept/think-family",
    "entity: requirement": "/id/requirement/rr",
    "entity: programme": "/id/lewisham/families-first-pathfinder",
    "source": "/source",
    "source coverage": None,  # the source page's coverage link, found below
    "search results": "/search?q=MACE",
    "search, nothing found": "/search?q=zzzzqqq",
    "compare": "/compare",
    "scrutiny": "/scrutiny",
    "explore index": "/explore/",
    "explore view": "/explore/structure",
    "analyses": "/explore/analysis",
    "timeline": None,  # where the service has one (issue 17, item 5)
    "timeline of a body": "/timeline?entity=id/lewisham/body/mace",
    "page not found": "/id/lewisham/body/no-such-body",
}


def page_url(client, name: str) -> str | None:
    url = PAGES[name]
    if name == "source coverage":
        source = client.get("/source", follow_redirects=True)
        match = re.search(r'href="(/source/[^"/?#]+)/coverage"', source.get_data(as_text=True)) or \
            re.search(r'href="(/source/[^"/?#]+)"', source.get_data(as_text=True))
        return match and match.group(1) + "/coverage"
    if name == "timeline":
        rules = sorted(r.rule for r in client.application.url_map.iter_rules()
                       if "timeline" in r.rule and "<" not in r.rule and not r.rule.endswith(".json"))
        return rules[0] if rules else None
    return url


@pytest.mark.parametrize("name", list(PAGES))
def test_page_for_people_shows_no_jargon_unopened(client, name):
    url = page_url(client, name)
    if url is None:
        pytest.skip(f"the service has no {name} page")
    response = client.get(url, follow_redirects=True)
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    assert response.mimetype == "text/html", f"{url} answered {response.mimetype}"
    found = jargon(ShownText.of(response.get_data(as_text=True)))
    assert not found, f"{name} ({url}) shows, unopened: " + "; ".join(sorted(set(found)))


FIXTURES = ROOT / "tests" / "fixtures" / "scrutiny"
#: the pages that change when several partnerships are loaded (a chooser, side-by-side columns, a finding per
#: partnership, names told apart by their partnership)
SEVERAL = {
    "several: home": "/",
    "several: compare": "/compare",
    "several: scrutiny": "/scrutiny",
    "several: search results": "/search?q=chair",
    "several: timeline": "/timeline?partnership=bareshire",
    "several: which partnership (choices)": "/queries/statutory-partners",
}


@pytest.fixture(scope="module")
def several():
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "QUERY_WORKERS": 1,
                              "DATA": [FIXTURES / "exampleshire.trig", FIXTURES / "bareshire.trig"]})
    yield application.test_client()
    application.extensions["lscp_kg"].runner.close()


@pytest.mark.parametrize("name", list(SEVERAL))
def test_page_for_people_with_several_partnerships_shows_no_jargon_unopened(several, name):
    url = SEVERAL[name]
    response = several.get(url)
    assert response.status_code < 500 and response.mimetype == "text/html", f"{url}: {response.status_code}"
    found = jargon(ShownText.of(response.get_data(as_text=True)))
    assert not found, f"{name} ({url}) shows, unopened: " + "; ".join(sorted(set(found)))


def test_the_check_fails_on_jargon_in_a_page(client):
    """The check can fail: ``org:reportsTo`` put back in a page's text is caught; in a closed disclosure, or marked
    as technical, it is not."""
    page = client.get("/queries").get_data(as_text=True)
    before = set(jargon(ShownText.of(page)))

    def added(html: str) -> set[str]:
        return set(jargon(ShownText.of(page.replace("</main>", html + "</main>", 1)))) - before

    assert added("<p>The Executive (org:reportsTo) the Group.</p>") == {"prefixed name: org:reportsTo"}
    assert added("<p>Type a name, or paste its IRI.</p>") == {"technical word: IRI"}
    assert added("<details><summary>Technical details</summary>org:reportsTo</details>") == set()
    assert added("<details open><summary>Technical details</summary>org:reportsTo</details>") \
        == {"prefixed name: org:reportsTo"}
    assert added('<p class="muted technical">org:reportsTo</p><code data-technical>?from</code>') == set()


def test_navigation_puts_people_first(client):
    """Everyone's navigation: Questions, Compare, Explore, Scrutiny and search shown; the integrators' entries
    (SPARQL query, Ontology, Endpoint, API) grouped under one "For developers" item, on request, with their URLs
    unchanged."""
    page = client.get("/queries").get_data(as_text=True)
    nav = re.search(r'<nav id="site-nav".*?</nav>', page, re.S).group(0)
    shown = ShownText.of(nav)
    for entry in ("Questions", "Compare", "Explore", "Scrutiny", "For developers"):
        assert entry in shown, entry
    for entry in ("SPARQL", "Ontology", "Endpoint", "API"):
        assert entry not in shown, entry
    developers = re.search(r"<details[^>]*>.*?</details>", nav, re.S).group(0)
    for href in ('href="/query"', 'href="/ontology"', 'href="/sparql', 'href="/openapi.json"'):
        assert href in developers, href
    assert 'role="search"' in page and 'name="q"' in page
