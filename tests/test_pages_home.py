"""The home page gives an overview of each loaded partnership from the data (no partnership named in a
template); with several partnerships, a chooser and one overview each. The questions page groups
questions by who asks them and by topic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scrutiny"


def sections(page: str) -> list[str]:
    return re.findall(r'<section class="overview" id="(partnership-\d+)"', page)


def test_home_gives_the_overview_of_the_one_partnership(client):
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Lewisham Safeguarding Children Partnership</h1>" in page  # from the data
    assert sections(page) == ["partnership-1"] and 'class="chooser"' not in page
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


@pytest.fixture(scope="module")
def three_partnerships():
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "QUERY_WORKERS": 1,
                              "DATA": [FIXTURES / "exampleshire.trig", FIXTURES / "bareshire.trig"]})
    yield application.test_client()
    application.extensions["lscp_kg"].runner.close()


def test_several_partnerships_get_a_chooser_and_one_overview_each(three_partnerships):
    page = three_partnerships.get("/").get_data(as_text=True)
    chooser = re.search(r'<nav class="chooser".*?</nav>', page, re.S).group(0)
    names = re.findall(r'<a href="#(partnership-\d+)">([^<]+)</a>', chooser)
    assert [n for _, n in names] == ["Bareshire Safeguarding Children Partnership",
                                     "Exampleshire Safeguarding Children Partnership",
                                     "Lewisham Safeguarding Children Partnership"]
    assert sections(page) == [anchor for anchor, _ in names]
    bare = page[page.index('id="partnership-1"'):page.index('id="partnership-2"')]
    assert "Bareshire" in bare and "Lewisham Borough" not in bare and "Ceri Jacob" not in bare
    assert bare.count("severity-counts") == 1


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
