"""The home page gives an overview of the loaded partnership from the data (no partnership named in a
template); with several partnerships, a short page to choose one (filtered by name, by first letter when there are
many) and each partnership's overview on a page of its own, computed only when asked for. The questions page
groups questions by who asks them and by topic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lscp_kg.service import overview
from page_support import several_partnerships_client

NAMES = ["Bareshire Safeguarding Children Partnership", "Exampleshire Safeguarding Children Partnership",
         "Lewisham Safeguarding Children Partnership"]


def sections(page: str) -> list[str]:
    return re.findall(r'<section class="overview" id="(\w+)"', page)


def chosen(page: str) -> list[tuple[str, str]]:
    """(link, name) of each partnership the chooser lists."""
    chooser = re.search(r'<nav class="chooser".*?</nav>', page, re.S).group(0)
    return [(href.replace("&amp;", "&"), name) for href, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', chooser)]


def computed_overviews(client) -> list[str]:
    """The partnerships whose overview the app has computed (and keeps)."""
    cache = client.application.extensions["lscp_kg"].cache
    return [key[1] for key in cache if isinstance(key, tuple) and key[:1] == ("overview",)]


def test_home_gives_the_overview_of_the_one_partnership(client):
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Lewisham Safeguarding Children Partnership</h1>" in page  # from the data
    assert sections(page) == ["overview"] and 'class="chooser"' not in page and "All 1 partnerships" not in page
    for heading in ("Statutory partners", "Delegated officers", "Chair", "Bodies and what they report to",
                    "Priorities", "Key documents", "Scrutiny"):
        assert f">{heading}</h" in page, heading
    assert ">London Borough of Lewisham</a>" in page and ">Ceri Jacob</a>" in page
    tree = page[page.index('<ul class="body-tree">'):]
    executive = tree.index(">LSCP Executive Partnership</a>")
    assert tree.index(">Multi-Agency Child Exploitation (MACE)</a>", executive) > executive  # MACE nested under it
    assert re.search(r'<span class="status">under development</span>', page)  # a document's status
    counts = dict((s, int(n)) for n, s in re.findall(r"<strong>(\d+)</strong> (must|should|note)</a>", page))
    assert set(counts) == {"must", "should", "note"} and sum(counts.values()) > 0
    assert re.search(r'href="/scrutiny\?partnership=[^"]+lewisham[^"]*#severity-must"', page)


def test_no_template_or_page_query_names_a_partnership():
    root = Path(__file__).resolve().parent.parent
    files = list((root / "service" / "templates").rglob("*.html")) + list((root / "service" / "static").glob("*.js")) \
        + list((root / "queries" / "pages").glob("*.rq"))
    assert files
    for path in files:
        assert "lewisham" not in path.read_text(encoding="utf-8").lower(), path


def test_the_one_partnership_is_also_at_its_own_address_and_another_is_not_found(client):
    page = client.get("/", query_string={"partnership": "id/partnership/lewisham"}).get_data(as_text=True)
    assert "<h1>Lewisham Safeguarding Children Partnership</h1>" in page and sections(page) == ["overview"]
    missing = client.get("/", query_string={"partnership": "id/partnership/nowhere"})
    assert missing.status_code == 404 and "<h1>Page not found</h1>" in missing.get_data(as_text=True)


@pytest.fixture(scope="module")
def three_partnerships():
    client, close = several_partnerships_client()
    yield client
    close()


def test_several_partnerships_get_a_short_page_to_choose_one(three_partnerships):
    """The home page says what the service is and lists the partnerships by name, each linked to its own
    overview; it computes no overview (at 150 partnerships each would cost several queries)."""
    before = computed_overviews(three_partnerships)
    page = three_partnerships.get("/").get_data(as_text=True)
    assert "<h1>Safeguarding children partnerships</h1>" in page and "3 safeguarding children partnerships" in page
    assert [name for _, name in chosen(page)] == NAMES
    assert all(href.startswith("/?partnership=https://lscp-kg.example.org/id/partnership/") for href, _ in chosen(page))
    assert sections(page) == [] and "severity-counts" not in page and "body-tree" not in page
    assert 'href="/compare">Compare partnerships</a>' in page and 'href="/queries">Ask a question</a>' in page
    assert re.search(r'<form class="params" method="get" action="/" role="search"[^>]*>\s*<label for="home-q">', page)
    assert computed_overviews(three_partnerships) == before


def test_each_partnership_s_overview_is_a_page_of_its_own(three_partnerships):
    links = dict((name, href) for href, name in chosen(three_partnerships.get("/").get_data(as_text=True)))
    before = computed_overviews(three_partnerships)
    bare = three_partnerships.get(links[NAMES[0]]).get_data(as_text=True)
    assert f"<h1>{NAMES[0]}</h1>" in bare and f"<title>{NAMES[0]} · lscp-kg</title>" in bare
    assert sections(bare) == ["overview"] and bare.count("severity-counts") == 1
    assert "Lewisham Borough" not in bare and "Ceri Jacob" not in bare and "Exampleshire" not in bare.split("<footer")[0]
    assert '<p class="back"><a href="/">All 3 partnerships</a></p>' in bare
    after = computed_overviews(three_partnerships)  # the chosen one's, and no other's
    assert "https://lscp-kg.example.org/id/partnership/bareshire" in after
    assert set(after) - set(before) <= {"https://lscp-kg.example.org/id/partnership/bareshire"}
    lewisham = three_partnerships.get(links[NAMES[2]]).get_data(as_text=True)
    assert ">Ceri Jacob</a>" in lewisham and "Bareshire" not in lewisham.split("<footer")[0]


@pytest.mark.parametrize("asked", ["id/partnership/nowhere", "https://elsewhere.example/p", "a b", "<x>", "%", "http://"])
def test_a_partnership_not_loaded_is_a_page_not_found(three_partnerships, asked):
    answer = three_partnerships.get("/", query_string={"partnership": asked})
    assert answer.status_code == 404 and "<h1>Page not found</h1>" in answer.get_data(as_text=True)


def test_the_chooser_filters_by_name_without_javascript(three_partnerships):
    found = three_partnerships.get("/", query_string={"q": "EXAMPLE"}).get_data(as_text=True)
    assert [name for _, name in chosen(found)] == [NAMES[1]] and 'value="EXAMPLE"' in found
    assert "1 partnership whose name contains “EXAMPLE”" in found and 'href="/">Show every partnership</a>' in found
    none = three_partnerships.get("/", query_string={"q": "zzz"}).get_data(as_text=True)
    assert chosen(none) == [] and "No partnership’s name contains “zzz”." in none


def test_many_partnerships_are_listed_by_first_letter(three_partnerships, monkeypatch):
    monkeypatch.setattr(overview, "GROUP_FROM", 3)
    page = three_partnerships.get("/").get_data(as_text=True)
    assert re.findall(r'<h3 id="letter-(\d+)">(\w)</h3>', page) == [("1", "B"), ("2", "E"), ("3", "L")]
    jumps = re.search(r'<nav aria-label="Partnerships by first letter">.*?</nav>', page, re.S).group(0)
    assert re.findall(r'<a href="#letter-(\d+)">(\w)</a>', jumps) == [("1", "B"), ("2", "E"), ("3", "L")]
    assert [name for _, name in chosen(page)] == NAMES
    monkeypatch.setattr(overview, "GROUP_FROM", 4)
    assert "letter-" not in three_partnerships.get("/").get_data(as_text=True)


def test_questions_are_grouped_by_topic_with_one_line_each(client, named_queries):
    page = client.get("/queries").get_data(as_text=True)
    topics = re.findall(r'<h2 id="topic-\d+">([^<]+)</h2>', page)
    assert len(topics) >= 5 and "Partners and accountability" in topics
    for query in named_queries.values():
        assert f'href="/queries/{query.name}"' in page
        assert query.audience and query.topic and query.summary, query.name
        assert f"<dd>{query.summary}</dd>".replace("'", "&#39;") in page.replace("&#34;", '"'), query.name


def test_questions_for_one_audience(client, named_queries):
    page = client.get("/queries", query_string={"audience": "scrutineer"}).get_data(as_text=True)
    listed = set(re.findall(r'<dt><a href="/queries/([\w-]+)"', page))
    assert listed == {q.name for q in named_queries.values() if "scrutineer" in q.audience}
    assert 'aria-current="page">scrutineers' in page
    assert client.get("/queries", query_string={"audience": "everybody"}).status_code == 400
    described = client.get("/api/queries").json
    assert all({"audience", "topic", "summary"} <= set(q) for q in described)


def test_the_home_page_s_findings_come_from_the_scrutiny_report_s_runner_and_cache(app, client):
    """One path (issue 18): the home page counts the findings of the very report /scrutiny serves, computed once
    in a query worker under the time limit, not a second time in the web process."""
    import datetime

    from lscp_kg.service import scrutiny_pages as page
    from lscp_kg.service.query_runner import ScrutinyJob

    client.get("/")
    state = app.extensions["lscp_kg"]
    today = datetime.date.today().isoformat()
    cached = [key for key in state.cache if isinstance(key, tuple) and key[:1] == ("scrutiny",)
              and isinstance(key[1], ScrutinyJob) and key[1].asof == today]
    assert cached, "the home page's report is /scrutiny's cached one"
    with app.test_request_context("/"):
        assert page.report_for(today).to_dict()["summary"] == client.get("/scrutiny.json").json["summary"]
