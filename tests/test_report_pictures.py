"""A picture for a report (issue 17, item 4): the explorer's PNG, SVG and PDF exports of the view on
screen, opened and read. The PNG is drawn at the size chosen in the export menu; the SVG has its title,
partnership, date, key, source note and every placed label as ``<text>``, no two labels' boxes
overlapping, and names the labels it left out; the PDF (rendered by the service from that SVG with
svglib and ReportLab) has the same words as PDF text. The label placement is also tested alone (in
Node.js) and the PDF route with hostile uploads.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from explorer_support import MACE, open_view, shown, site  # noqa: F401
from test_explorer_exports import downloaded, downloads_to

SVG = "{http://www.w3.org/2000/svg}"
LEWISHAM = "Lewisham Safeguarding Children Partnership"
CHAR_WIDTH, LINE, BOX_BOTTOM = 0.6, 1.25, 1.3  # as explorer-picture.js measures a label's box at most
PICTURE_JS = Path(__file__).resolve().parent.parent / "visualisations" / "static" / "explorer-picture.js"
NODE = shutil.which("node") or shutil.which("nodejs")


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def drawn_today(text: str) -> bool:
    """The export says it was drawn today (or yesterday, should the test cross midnight)."""
    today = datetime.date.today()
    return any(f"on {long_date(day)}" in text for day in (today, today - datetime.timedelta(days=1)))


def label_boxes(svg: ET.Element) -> dict[str, tuple[str, list[tuple[float, float, float, float]]]]:
    """Each label group's node, its words, and its lines' boxes (x0, y0, x1, y1) from x, y and font size."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "label":
            continue
        boxes, words = [], []
        for text in group.findall(f"{SVG}text"):
            x, y, px, line = float(text.get("x")), float(text.get("y")), float(text.get("font-size")), text.text or ""
            width = CHAR_WIDTH * px * len(line)
            left = x - width / 2 if text.get("text-anchor") == "middle" else x
            boxes.append((left, y - px, left + width, y + (BOX_BOTTOM - 1) * px))
            words.append(line)
        found[group.get("data-node")] = (" ".join(words), boxes)
    return found


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def texts(svg: ET.Element, group: str) -> str:
    return " ".join(t.text or "" for g in svg.iter(f"{SVG}g") if g.get("class") == group for t in g.iter(f"{SVG}text"))


def choose_size(browser, value: str) -> None:
    browser.select("#export-size", value)


@pytest.mark.browser
@pytest.mark.parametrize("size, pixels", [("2400x1800", (2400, 1800)), ("a4-150", (1754, 1240))])
def test_the_png_is_drawn_at_the_chosen_size_with_its_labels(browser, site, tmp_path, size, pixels):
    open_view(browser, f"{site}/explore/structure")
    downloads_to(browser, tmp_path)
    choose_size(browser, size)
    browser.click('button[data-export="png"]')
    png = downloaded(tmp_path, "structure.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == pixels
    export = browser.run_js("return window.lscpExplorer.lastExport")
    assert (export["width"], export["height"]) == pixels and export["labelled"] >= len(shown(browser)) - len(export["dropped"]) > 0


@pytest.mark.browser
@pytest.mark.parametrize("every_kind", [False, True], ids=["as-opened", "every-kind-ticked"])
def test_the_svg_has_title_partnership_date_key_source_and_every_label_as_text_none_overlapping(browser, site, tmp_path,
                                                                                                every_kind):
    open_view(browser, f"{site}/explore/structure")
    downloads_to(browser, tmp_path)
    if every_kind:  # about 150 nodes, most in a crowd: many labels must yield, and say so
        browser.run_js("document.querySelectorAll('#node-types input').forEach(i => { if (!i.checked) i.click(); })")
    on_screen = browser.run_js("""return window.lscpExplorer.onScreen().nodes.map(n => ({id: n.id, label: n.full_label,
                                                                                      kind: n.type_label}))""")
    borders = browser.run_js("""const data = window.lscpExplorer.data, first = new Set(window.lscpExplorer.onScreen().nodes
        .map(n => n.marks[0]).filter(Boolean)); return data.marks.filter(m => first.has(m.mark)).map(m => m.label);""")
    title = browser.run_js("return window.lscpExplorer.data.view.title")
    browser.click('button[data-export="svg"]')
    svg = ET.parse(downloaded(tmp_path, "structure.svg")).getroot()
    dropped = browser.run_js("return window.lscpExplorer.lastExport.dropped")
    assert svg.find(f"{SVG}title").text == title
    heading = texts(svg, "heading")
    assert title in heading and LEWISHAM in heading and drawn_today(heading)
    key = texts(svg, "legend")
    assert key.startswith("Key") and all(node["kind"] in key for node in on_screen)
    assert borders and all(label[1:] in key for label in borders)  # the marks' borders explained (their words, lower case)
    note = texts(svg, "note")
    assert f"Source: {LEWISHAM}'s published arrangements; generated by lscp-kg on" in note and drawn_today(note)
    assert "/source/lewisham-our-partnership-arrangements" in note
    labels = label_boxes(svg)
    assert {n: words for n, (words, _) in labels.items()} == {n["id"]: n["label"] for n in on_screen if n["label"] not in dropped}
    if every_kind:
        assert len(on_screen) > 100 and f"{len(dropped)} of {len(on_screen)} names are left out where they would overlap" in note
    else:
        assert len(labels) >= 0.8 * len(on_screen) and "left out" not in note  # room for (nearly) all
    for (a, (_, boxes_a)), (b, (_, boxes_b)) in itertools.combinations(labels.items(), 2):
        assert not any(overlap(x, y) for x in boxes_a for y in boxes_b), f"the labels of {a} and {b} overlap"
    assert len(svg.findall(f".//{SVG}g[@class='node']")) == len(on_screen)


@pytest.mark.browser
def test_the_pdf_is_a4_landscape_with_title_key_partnership_date_and_source_note_as_text(browser, site, tmp_path):
    open_view(browser, f"{site}/explore/entity?iri={MACE}&depth=1")
    downloads_to(browser, tmp_path)
    kinds = browser.run_js("return Array.from(new Set(window.lscpExplorer.onScreen().nodes.map(n => n.type_label)))")
    browser.click('button[data-export="pdf"]')
    reader = PdfReader(downloaded(tmp_path, "entity.pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = " ".join(reader.pages[0].extract_text().split())
    title = browser.run_js("return window.lscpExplorer.data.view.title")
    assert title in text and LEWISHAM in text and drawn_today(text) and "Key" in text
    assert all(kind in text for kind in kinds)
    assert f"Source: {LEWISHAM}'s published arrangements; generated by lscp-kg on" in text
    assert "Multi-Agency Child Exploitation" in text or "MACE" in text
    assert browser.dialogs() == []
    browser.assert_only_local()


@pytest.mark.browser
def test_a_hostile_label_exports_as_text_in_the_svg_png_and_pdf_and_runs_nothing(browser, tmp_path):
    from test_views_browser import HOSTILE, HOSTILE_BODY, serve

    from lscp_kg.service.app import create_app

    server = serve(create_app({"TESTING": True, "VALIDATE": False, "DATA": [HOSTILE]}))
    try:
        open_view(browser, f"http://127.0.0.1:{server.server_port}/explore/entity?iri={HOSTILE_BODY}&depth=1")
        downloads_to(browser, tmp_path)
        for kind in ("svg", "pdf", "png"):
            browser.click(f'button[data-export="{kind}"]')
        svg = ET.parse(downloaded(tmp_path, "entity.svg")).getroot()
        labels = label_boxes(svg)
        assert labels[HOSTILE_BODY][0] == "<img src=x onerror=alert(1)>"
        assert not [e for e in svg.iter() if e.tag.split("}")[-1] in ("img", "script", "foreignObject", "a", "image")]
        text = " ".join(PdfReader(downloaded(tmp_path, "entity.pdf")).pages[0].extract_text().split())
        assert "<img src=x onerror=alert(1)>" in text
        assert downloaded(tmp_path, "entity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert browser.dialogs() == [] and browser.count("#explorer img, #explorer script") == 0
        browser.assert_only_local()
    finally:
        server.shutdown()


# ---- the label placement alone (Node.js) ------------------------------------------------------

PLACE = """
const window = {}; eval(require("fs").readFileSync(process.argv[1], "utf8"));
const input = JSON.parse(require("fs").readFileSync(0, "utf8")), P = window.lscpPicture;
const width = (line, px) => P.CHAR_WIDTH * px * line.length;
const labels = input.labels.map(l => Object.assign({}, l, {lines: P.wrap(l.name, 24)}));
const result = P.placeLabels(labels, input.nodes, input.area, width, 2);
process.stdout.write(JSON.stringify({placed: result.placed.map(p => ({id: p.label.id, box: p.box})),
                                     dropped: result.dropped.map(l => l.id)}));
"""


def place(labels: list[dict], nodes: list[dict], area: dict) -> dict:
    answer = subprocess.run([NODE, "-e", PLACE, str(PICTURE_JS)], input=json.dumps(
        {"labels": labels, "nodes": nodes, "area": area}), capture_output=True, text=True, timeout=60, check=True)
    return json.loads(answer.stdout)


def crowd(count: int, spacing: float):
    """`count` nodes in a row `spacing` apart, each with a long name; the first the most important."""
    nodes, labels = [], []
    for i in range(count):
        at = {"x": 100 + i * spacing, "y": 300}
        nodes.append({"id": f"n{i}", "box": {"x": at["x"] - 8, "y": at["y"] - 8, "w": 16, "h": 16}})
        labels.append({"id": f"n{i}", "at": at, "r": 8, "px": 14, "name": f"Concern Hub Operational team {i}"})
    return nodes, labels


@pytest.mark.skipif(NODE is None, reason="needs Node.js (apt-get install nodejs) to run the page script")
def test_labels_that_would_overlap_move_round_their_node_or_yield_to_the_more_important():
    nodes, labels = crowd(12, 40)  # names about 130 px wide on nodes 40 px apart: most cannot sit below
    answer = place(labels, nodes, {"x": 0, "y": 0, "w": 800, "h": 600})
    boxes = [p["box"] for p in answer["placed"]]
    for a, b in itertools.combinations(boxes, 2):
        assert not (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])
    for box in boxes:  # and none over a node
        assert not any(box["x"] < n["box"]["x"] + 16 and n["box"]["x"] < box["x"] + box["w"] and box["y"] < n["box"]["y"] + 16
                       and n["box"]["y"] < box["y"] + box["h"] for n in nodes)
    placed = [p["id"] for p in answer["placed"]]
    assert placed[0] == "n0" and answer["dropped"] and len(placed) + len(answer["dropped"]) == 12
    assert len({round(p["box"]["y"]) for p in answer["placed"]}) > 1  # some moved above their node, not only dropped
    spread = place(*reversed(crowd(12, 200)), {"x": 0, "y": 0, "w": 2600, "h": 600})
    assert spread["dropped"] == [] and {round(p["box"]["y"]) for p in spread["placed"]} == {311}  # room: all below


@pytest.mark.skipif(NODE is None, reason="needs Node.js (apt-get install nodejs) to run the page script")
def test_a_label_never_leaves_the_drawing_area():
    nodes, labels = crowd(3, 300)
    answer = place(labels, nodes, {"x": 60, "y": 0, "w": 500, "h": 600})  # the first node's label would start at 15
    for p in answer["placed"]:
        assert p["box"]["x"] >= 60 and p["box"]["x"] + p["box"]["w"] <= 560
    assert "n2" in answer["dropped"] or all(p["id"] != "n2" for p in answer["placed"])


# ---- the PDF route ------------------------------------------------------

GOOD = ('<svg xmlns="http://www.w3.org/2000/svg" width="1684" height="1190" viewBox="0 0 1684 1190" font-family="sans-serif">'
        '<title>Around a body</title><rect x="0" y="0" width="1684" height="1190" fill="#ffffff"/>'
        '<g class="node" data-node="x"><title>A</title><circle cx="100" cy="100" r="12" fill="#1d70b8" stroke="#0b0c0c"/></g>'
        '<g class="label" data-node="x"><text x="100" y="140" font-size="16" text-anchor="middle">{label}</text></g></svg>')


def test_the_pdf_route_draws_the_svg_on_an_a4_landscape_page_with_its_text(client):
    answer = client.post("/explore/export.pdf?name=around", data=GOOD.format(label="&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"),
                         content_type="image/svg+xml")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="around.pdf"'
    reader = PdfReader(io.BytesIO(answer.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert "<script>alert(1)</script> & Co" in reader.pages[0].extract_text()
    assert reader.metadata.title == "Around a body"


@pytest.mark.parametrize("body, says", [
    ("", "no SVG received"),
    ("not xml", "not well-formed"),
    ('<!DOCTYPE svg [<!ENTITY big "x">]><svg xmlns="http://www.w3.org/2000/svg">&big;</svg>', "without a DTD"),
    ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "root must be <svg>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "element <script>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>', "element <image>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><rect x:href="http://x/"/></svg>', "attribute"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>', "attribute 'onload'"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://evil.example/x)"/></svg>', "only colours"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://evil.example/)</style></svg>', "element <style>"),
])
def test_a_bad_upload_answers_400_saying_what_was_refused(client, body, says):
    answer = client.post("/explore/export.pdf", data=body, content_type="image/svg+xml", headers={"Accept": "application/json"})
    assert answer.status_code == 400 and says in answer.get_json()["error"]


def test_an_svg_too_large_or_with_too_many_elements_is_refused(client):
    from lscp_kg.service.explore_export import MAX_ELEMENTS, MAX_SVG_BYTES

    huge = '<svg xmlns="http://www.w3.org/2000/svg">' + "<g/>" * (MAX_SVG_BYTES // 4) + "</svg>"
    answer = client.post("/explore/export.pdf", data=huge, content_type="image/svg+xml", headers={"Accept": "application/json"})
    assert answer.status_code in (400, 413) and "bytes" in answer.get_json()["error"]  # 413: the service's body limit
    many = '<svg xmlns="http://www.w3.org/2000/svg">' + "<g/>" * (MAX_ELEMENTS + 1) + "</svg>"
    answer = client.post("/explore/export.pdf", data=many, content_type="image/svg+xml", headers={"Accept": "application/json"})
    assert answer.status_code == 400 and "more than" in answer.get_json()["error"]


def test_the_export_context_names_the_partnership_and_its_sources_dates_from_its_own_graphs(client):
    lewisham = client.get("/api/explore/export-context").get_json()["partnerships"]
    assert [p["name"] for p in lewisham] == [LEWISHAM]
    assert lewisham[0]["sources"][0]["href"].endswith("/source/lewisham-our-partnership-arrangements")
    assert lewisham[0]["sources"][0]["dates"] == []  # the page states no date of its own
    answer = client.get("/api/explore/export-context?partnership=id/partnership/nowhere")
    assert answer.status_code == 400
    assert client.get("/api/explore/export-context?colour=red").status_code == 400


def test_a_partnership_s_dates_come_from_its_own_graphs_and_another_partnership_changes_nothing(client):
    from lscp_kg.service.app import create_app

    southvale = Path(__file__).resolve().parent / "fixtures" / "partnerships" / "southvale" / "partnership.yaml"
    both = create_app({"TESTING": True, "DATA": [southvale]}).test_client()
    answer = both.get("/api/explore/export-context?partnership=id/partnership/southvale").get_json()["partnerships"]
    assert len(answer) == 1 and answer[0]["iri"].endswith("/id/partnership/southvale")
    assert [d for s in answer[0]["sources"] for d in s["dates"]] == [{"kind": "updated", "date": "2025-03-03"}]
    alone = client.get("/api/explore/export-context?partnership=id/partnership/lewisham").get_data()
    assert both.get("/api/explore/export-context?partnership=id/partnership/lewisham").get_data() == alone
    names = [p["name"] for p in both.get("/api/explore/export-context").get_json()["partnerships"]]
    assert LEWISHAM in names and len(names) == 2


@pytest.mark.browser
def test_a_scrutineer_exports_a_labelled_png_svg_and_pdf_of_a_view_from_the_home_page(browser, site, tmp_path):
    """The task end to end, with clicks only: home, Explore, a view, the size, the three exports."""
    browser.open(f"{site}/")
    browser.click('a[href="/explore/"]')
    browser.wait_for('a[href="/explore/accountability"]')
    browser.click('a[href="/explore/accountability"]')
    browser.wait_for("#network[data-state=rendered]", timeout=20)
    downloads_to(browser, tmp_path)
    title = browser.run_js("return window.lscpExplorer.data.view.title")
    labels = set(browser.run_js("return window.lscpExplorer.onScreen().nodes.map(n => n.full_label)"))
    choose_size(browser, "a4-300")
    for kind in ("png", "svg", "pdf"):
        browser.click(f'button[data-export="{kind}"]')
    png = downloaded(tmp_path, "accountability.png").read_bytes()
    assert struct.unpack(">II", png[16:24]) == (3508, 2480)
    svg = ET.parse(downloaded(tmp_path, "accountability.svg")).getroot()
    assert (svg.get("width"), svg.get("height")) == ("3508", "2480") and svg.find(f"{SVG}title").text == title
    drawn = {words for words, _ in label_boxes(svg).values()}
    assert drawn and drawn <= labels
    text = " ".join(PdfReader(downloaded(tmp_path, "accountability.pdf")).pages[0].extract_text().split())
    assert title in text and LEWISHAM in text and all(label in text for label in drawn)
    assert browser.text("#toolbar-status").startswith("Exported accountability.")  # whichever finished last
    browser.assert_only_local()


@pytest.mark.browser
def test_a_view_of_one_of_several_partnerships_is_exported_with_its_name_dates_and_source(browser, tmp_path):
    from test_views_browser import serve

    from lscp_kg.service.app import create_app

    southvale = Path(__file__).resolve().parent / "fixtures" / "partnerships" / "southvale" / "partnership.yaml"
    server = serve(create_app({"TESTING": True, "DATA": [southvale]}))
    try:
        site = f"http://127.0.0.1:{server.server_port}"
        name = [p["name"] for p in browser_json(browser, f"{site}/api/explore/export-context?partnership=id/partnership/southvale")]
        open_view(browser, f"{site}/explore/structure?partnership=id/partnership/southvale")
        downloads_to(browser, tmp_path)
        browser.click('button[data-export="svg"]')
        svg = ET.parse(downloaded(tmp_path, "structure.svg")).getroot()
        heading, note = texts(svg, "heading"), texts(svg, "note")
        assert name[0] in heading and LEWISHAM not in heading and "updated 3 March 2025" in heading
        assert f"Source: {name[0]}'s published arrangements" in note and LEWISHAM not in note
    finally:
        server.shutdown()


def browser_json(browser, url: str):
    browser.open(url)
    return json.loads(browser.run_js("return document.body.innerText"))["partnerships"]
