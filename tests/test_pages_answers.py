"""Answers people can read: result tables with names, quotes linked to their lines, constant columns said
once, paging; the accountability chain as an ordered chain (page and JSON); source pages with line anchors."""

from __future__ import annotations

import re

MACE = "id/lewisham/body/mace"
PARTNERSHIP_GROUP = "id/lewisham/body/partnership-group"


def test_members_table_shows_names_and_says_the_body_once(client):
    page = client.get("/queries/members-of-body", query_string={"body": PARTNERSHIP_GROUP}).get_data(as_text=True)
    assert re.search(r'<dt>body:</dt> <dd><a href="/id/lewisham/body/partnership-group"[^>]*>Lewisham Safeguarding '
                     r'Children Partnership Group</a>', page)
    headings = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert "body" not in headings and "passage" not in headings  # said once above; quotes carry their source
    assert re.search(r"23 rows", page)
    cells = re.findall(r'<td data-label="member"[^>]*>(.*?)</td>', page)
    assert len(cells) == 23
    link_texts = re.findall(r'<td data-label="member"[^>]*><a href="/id/[^"]+">([^<]+)</a>', page)
    assert link_texts and not any(t.startswith("id/") for t in link_texts)  # names, not IRIs
    assert page.count('class="source-link"') == 23  # every quote links to its lines
    assert not re.search(r">\s*lscp:\w+\s*<", page)


def test_long_quotes_are_collapsed_and_link_to_their_source_lines(client):
    page = client.get("/queries/accountability-chain").get_data(as_text=True)
    assert "<summary>show quote" in page or "<summary>quote</summary>" in page
    href = re.search(r'class="source-link" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert re.fullmatch(r"/source/[\w-]+\?lines=\d+(-\d+)?#L\d+", href)
    source = client.get(href.split("#")[0])
    assert source.status_code == 200 and 'class="line marked"' in source.get_data(as_text=True)


def test_accountability_chain_reads_as_an_ordered_indented_chain(client):
    page = client.get("/queries/accountability-chain", query_string={"start": MACE}).get_data(as_text=True)
    chain = page[page.index('<section class="chain"'):page.index("</section>")]
    order = [name for name in ("Multi-Agency Child Exploitation (MACE)", "LSCP Executive Partnership",
                               "Lewisham Place Executive Lead", "Accountable officer of the health partner",
                               "NHS South East London Integrated Care Board")]
    positions = [chain.index(name) for name in order]
    assert positions == sorted(positions)  # from the start upwards
    assert chain.count('<li class="chain-node">') >= 10
    assert ">reports to<" in chain and ">delegated by<" in chain and ">accountable for<" in chain
    assert "lscp:" not in chain
    # nesting: the agency sits deeper than the Executive Partnership
    depth = lambda text: chain[: chain.index(text)].count("<ol") - chain[: chain.index(text)].count("</ol>")  # noqa: E731
    assert depth("Metropolitan Police</a>") > depth("LSCP Executive Partnership") > depth("Multi-Agency Child")
    networks = re.findall(r'href="(/explore/path\?[^"]+)"', chain)
    assert len(networks) == 3
    whole = re.search(r'<a class="chain-network" href="(/explore/entity\?[^"]+)"', chain).group(1).replace("&amp;", "&")
    assert whole.count("iri=") >= 10 and client.get(whole).status_code == 200
    networks.append(whole)
    assert all(client.get(n.replace("&amp;", "&")).status_code == 200 for n in networks)


def test_chain_json_gives_every_row_its_step(client):
    answer = client.get("/api/queries/accountability-chain", query_string={"start": MACE}).json
    assert answer["head"]["vars"][0] == "step"
    rows = answer["results"]["bindings"]
    steps = [int(b["step"]["value"]) for b in rows]
    assert steps == sorted(steps) and steps[0] == 0 and max(steps) == 3
    first = [b for b in rows if b["step"]["value"] == "0"]
    assert {b["from"]["value"] for b in first} == {answer["results"]["bindings"][0]["start"]["value"]}
    by_from = {b["from"]["value"]: int(b["step"]["value"]) for b in rows}
    for b in rows:  # each step's target comes one step later (or ends the chain)
        if b["to"]["value"] in by_from:
            assert by_from[b["to"]["value"]] == int(b["step"]["value"]) + 1


def test_source_page_numbers_every_line_and_marks_a_range(client, kg):
    response = client.get("/source/lewisham-our-partnership-arrangements", query_string={"lines": "144-149"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    lines = (kg.files[0].parent.parent / "graph_data/lewisham/sources/our-partnership-arrangements.txt")
    count = len(lines.read_text(encoding="utf-8").split("\n")) if lines.exists() else None
    ids = re.findall(r'<div class="line[^"]*" id="L(\d+)">', page)
    assert ids == [str(n) for n in range(1, len(ids) + 1)] and (count is None or len(ids) == count)
    marked = re.findall(r'<div class="line marked" id="L(\d+)">', page)
    assert marked == [str(n) for n in range(144, 150)]
    assert 'href="#L144"' in page and "source-page.js" in page
    assert "does not record where this document was published" in page


def test_source_page_refuses_bad_ranges_and_unknown_documents(client):
    assert client.get("/source/lewisham-our-partnership-arrangements", query_string={"lines": "x"}).status_code == 400
    assert client.get("/source/lewisham-our-partnership-arrangements", query_string={"lines": "9-3"}).status_code == 400
    assert client.get("/source/lewisham-our-partnership-arrangements", query_string={"lines": "99999"}).status_code == 400
    assert client.get("/source/no-such-document").status_code == 404
    assert client.get("/source", query_string={"doc": "http://example.org/x"}).status_code == 404
    listing = client.get("/source").get_data(as_text=True)
    assert 'href="/source/lewisham-our-partnership-arrangements"' in listing


def test_hostile_labels_stay_text_in_tables_chains_home_and_entity_pages(tmp_path_factory):
    from pathlib import Path

    from lscp_kg.service.app import create_app

    hostile = Path(__file__).resolve().parent / "fixtures" / "hostile" / "hostile-labels.trig"
    application = create_app({"TESTING": True, "VALIDATE": False, "QUERY_WORKERS": 1, "DATA": [hostile]})
    client = application.test_client()
    try:
        pages = [client.get("/queries/accountability-chain", query_string={"start": "id/test/body/hostile"}),
                 client.get("/queries/members-of-body", query_string={"body": "id/test/body/hostile"}),
                 client.get("/"), client.get("/id/test/body/hostile"), client.get("/id/test/passage/hostile"),
                 client.get("/query", query_string={"query": "SELECT ?x ?xLabel WHERE { ?x rdfs:label ?xLabel } LIMIT 600"})]
        for response in pages:
            page = response.get_data(as_text=True)
            assert response.status_code == 200, response.request.url
            for markup in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<b>bold"):
                assert markup not in page, (response.request.url, markup)
        chain = pages[0].get_data(as_text=True)
        assert "&lt;img src=x onerror=alert(1)&gt;" in chain[chain.index('<section class="chain"'):]
        assert "&lt;svg onload=alert(3)&gt;" in pages[1].get_data(as_text=True)
    finally:
        application.extensions["lscp_kg"].runner.close()


def test_long_answers_are_paged_on_the_server(client):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 450"
    first = client.get("/query", query_string={"query": query}).get_data(as_text=True)
    assert "450 rows, showing 1–200 (page 1 of 3)" in first
    assert len(re.findall(r"<tr[^>]*><td", first)) == 200  # data rows, whether or not marked (past facts)
    following = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    second = client.get(following).get_data(as_text=True)
    assert "showing 201–400 (page 2 of 3)" in second and 'rel="prev"' in second


def test_a_source_page_shows_where_and_when_its_text_was_taken_from_when_the_data_says(tmp_path):
    from lscp_kg.service.app import create_app

    (tmp_path / "page.txt").write_text("First line\nSecond line\nThird line\n", encoding="utf-8")
    (tmp_path / "doc.trig").write_text(
        "@prefix lscp: <https://lscp-kg.example.org/ontology#> .\n@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<id/source/test-page> { <id/source/test-page> a lscp:SourceDocument ; rdfs:label \"A test page\" ;\n"
        "  lscp:textFile \"page.txt\" ; prov:wasDerivedFrom <https://example.org/arrangements> ;\n"
        "  prov:generatedAtTime \"2026-11-30T09:00:00Z\"^^xsd:dateTime . }\n", encoding="utf-8")
    application = create_app({"TESTING": True, "QUERY_WORKERS": 1, "DATA": [tmp_path / "doc.trig"]})
    try:
        page = application.test_client().get("/source/test-page", query_string={"lines": "2"}).get_data(as_text=True)
        assert '<dt>Published at:</dt> <dd><a href="https://example.org/arrangements">' in page
        assert "<dt>Retrieved:</dt> <dd>2026-11-30T09:00:00Z</dd>" in page
        assert re.findall(r'<div class="line marked" id="L(\d+)">', page) == ["2"]
    finally:
        application.extensions["lscp_kg"].runner.close()


def test_every_quote_of_the_scrutiny_page_links_to_its_source_lines(kg):
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "QUERY_WORKERS": 1, "QUERY_TIME_LIMIT": 60})
    try:
        page = application.test_client().get("/scrutiny").get_data(as_text=True)
        passages = re.findall(r'<a class="lines" href="/id/[^"]+/passage/[^"]+"', page)
        links = re.findall(r'class="source-link" href="(/source/[^"]+)"', page)
        assert passages and len(links) == len(passages)
        assert all(re.fullmatch(r"/source/[\w-]+\?lines=\d+(-\d+)?#L\d+", link) for link in links)
    finally:
        application.extensions["lscp_kg"].runner.close()
