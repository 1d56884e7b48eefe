"""`lscp-kg new NAME --source FILE`: a saved web page or a PDF becomes the source text and a starter YAML
whose quotes match that text; rerun on a republished page, `build` lists the quotes that no longer match."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lscp_kg.authoring import compile_file
from lscp_kg.authoring.extract import extract
from lscp_kg.cli import main

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Our arrangements | Fenmarsh Safeguarding Children Partnership</title>
<style>p { color: red }</style><script>var tracking = "not text";</script></head>
<body><nav><a href="/">Home</a> <a href="/contact">Contact</a></nav>
<main>
<h1>Fenmarsh Safeguarding Children Partnership</h1>
<p>Our multi-agency   safeguarding
arrangements, published&nbsp;2025.</p>
<h2>Our partners</h2>
<ul><li>Fenmarsh Council</li><li>Fenmarsh Police</li><li>NHS Fenmarsh Integrated Care Board</li></ul>
<table><tr><th>Organisation</th><th>Representative</th></tr>
<tr><td>Fenmarsh Council</td><td>Director of Children&rsquo;s Services</td></tr></table>
<p>The Executive meets every six weeks.</p>
</main>
<footer>Cookie settings</footer>
</body></html>
"""


def tiny_pdf(lines: list[str], title: str) -> bytes:
    """A one-page PDF with the lines in Helvetica, written by hand (objects, cross-reference table, trailer)."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 11 Tf 72 760 Td 16 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        f"<< /Title ({escape(title)}) >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_html_page_becomes_blocks_of_text():
    text = extract_from(PAGE.encode(), ".html")
    assert text.title == "Our arrangements | Fenmarsh Safeguarding Children Partnership"
    assert text.lines[0] == "Fenmarsh Safeguarding Children Partnership"
    assert "Our multi-agency safeguarding arrangements, published\u00a02025." in text.lines
    assert "• Fenmarsh Police" in text.lines and "Fenmarsh Council Director of Children’s Services" in text.lines
    joined = "\n".join(text.lines)
    assert "tracking" not in joined and "Home" not in joined and "color" not in joined and "Cookie" not in joined


def extract_from(data: bytes, suffix: str):
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        return extract(Path(handle.name))


def test_pdf_text_comes_from_pypdf():
    text = extract_from(tiny_pdf(["Fenmarsh Safeguarding Children Partnership", "The Executive meets monthly."],
                                 "Fenmarsh arrangements"), ".pdf")
    assert text.title == "Fenmarsh arrangements"
    assert [line for line in text.lines if line.strip()] == [
        "Fenmarsh Safeguarding Children Partnership", "The Executive meets monthly."]


def _new(tmp_path: Path, source: Path, *extra: str):
    return CliRunner().invoke(main, ["new", "fenmarsh", "--source", str(source), "--out", str(tmp_path / "fenmarsh"), *extra])


def test_new_from_html_writes_text_and_a_starter_that_builds(tmp_path):
    page = tmp_path / "arrangements.html"
    page.write_text(PAGE, encoding="utf-8")
    result = _new(tmp_path, page, "--url", "https://fenmarsh.example.org/arrangements")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "fenmarsh"
    text = (folder / "sources" / "fenmarsh.txt").read_text(encoding="utf-8")
    assert text.split("\n")[0] == "Fenmarsh Safeguarding Children Partnership"
    starter = (folder / "partnership.yaml").read_text(encoding="utf-8")
    assert starter.startswith("# yaml-language-server: $schema=") and "authoring.schema.json" in starter.split("\n")[0]
    quads = compile_file(folder / "partnership.yaml")
    graphs = {q.graph_name.value.rsplit("/", 1)[-1] for q in quads}
    assert "L1" in graphs
    labels = {q.object.value for q in quads if q.subject.value.endswith("id/partnership/fenmarsh")
              and q.predicate.value.endswith("#label")}
    assert labels == {"Fenmarsh Safeguarding Children Partnership"}
    # Nothing the page does not state: it does not say who publishes it.
    assert not [q for q in quads if q.predicate.value == "http://purl.org/dc/terms/publisher"]
    # The check says what the starter still needs, and nothing else: the page names no area.
    build = CliRunner().invoke(main, ["build", "--check", "--data", str(folder)])
    assert build.exit_code == 1
    [problem] = [line for line in build.stderr.splitlines() if "problem(s)" not in line]
    assert "partnership 'fenmarsh' has no 'area'" in problem and "fix: add 'area:'" in problem


def test_new_from_pdf(tmp_path):
    pdf = tmp_path / "arrangements.pdf"
    pdf.write_bytes(tiny_pdf(["Our arrangements", "Fenmarsh Safeguarding Children Partnership",
                              "The Executive meets monthly."], "Fenmarsh arrangements"))
    result = _new(tmp_path, pdf)
    assert result.exit_code == 0, result.output
    quads = compile_file(tmp_path / "fenmarsh" / "partnership.yaml")
    passage = [q for q in quads if q.predicate.value == "http://www.w3.org/ns/prov#value"]
    assert [q.object.value for q in passage] == ["Fenmarsh Safeguarding Children Partnership"]


def test_republished_page_keeps_the_yaml_and_build_lists_stale_quotes(tmp_path):
    page = tmp_path / "arrangements.html"
    page.write_text(PAGE, encoding="utf-8")
    assert _new(tmp_path, page).exit_code == 0
    yaml_file = tmp_path / "fenmarsh" / "partnership.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8") + """- quote: The Executive meets every six weeks.
  facts:
  - body: executive
    type: executive-body
    label: Executive
    partnership_of: fenmarsh
    meets: P6W
""", encoding="utf-8")
    kept = yaml_file.read_text(encoding="utf-8")
    before = CliRunner().invoke(main, ["build", "--check", str(yaml_file)])
    assert "quote" not in before.stderr and "has no 'area'" in before.stderr  # the starter's one gap
    page.write_text(PAGE.replace("every six weeks", "every eight weeks"), encoding="utf-8")
    again = _new(tmp_path, page)
    assert again.exit_code == 0 and "kept" in again.output
    assert yaml_file.read_text(encoding="utf-8") == kept
    build = CliRunner().invoke(main, ["build", str(yaml_file)])
    assert build.exit_code == 1
    assert "the quote 'The Executive meets every six weeks.' is not in sources/fenmarsh.txt" in build.stderr
    assert "'eight weeks.'" in build.stderr or "eight" in build.stderr


def test_new_refuses_a_bad_name(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "Fen Marsh", "--source", str(page), "--out", str(tmp_path / "x")])
    assert result.exit_code != 0 and "lower-case letters" in result.output


TEXT = ("Fenmarsh Safeguarding Children Partnership\n"
        "https://fenmarsh.example.org/arrangements\n"
        "\n"
        "Our multi-agency   safeguarding arrangements, published\u00a02025.\n"
        "  \u2022 Fenmarsh Council\n"
        "  \u2022 Fenmarsh Police\n"
        "The Executive meets every six weeks.\n")


def test_new_from_plain_text_keeps_one_source_line_per_line(tmp_path):
    source = tmp_path / "compiled-pages.txt"
    source.write_text(TEXT, encoding="utf-8")
    result = _new(tmp_path, source)
    assert result.exit_code == 0, result.output
    assert "(7 lines)" in result.output
    folder = tmp_path / "fenmarsh"
    assert (folder / "sources" / "fenmarsh.txt").read_text(encoding="utf-8").split("\n")[:-1] == TEXT.split("\n")[:-1]
    quads = compile_file(folder / "partnership.yaml")
    [quote] = [q.object.value for q in quads if q.predicate.value == "http://www.w3.org/ns/prov#value"]
    assert quote == "Fenmarsh Safeguarding Children Partnership"
    labels = {q.object.value for q in quads if q.predicate.value.endswith("#label")}
    # short titles, not the whole text; and no publisher the text does not state
    assert labels == {"Fenmarsh Safeguarding Children Partnership",
                      "Fenmarsh Safeguarding Children Partnership (as text)"}
    assert not [q for q in quads if q.predicate.value == "http://purl.org/dc/terms/publisher"]
    # quotes of later lines match at their own lines
    yaml_file = folder / "partnership.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8") + "- quote: The Executive meets every six weeks.\n",
                         encoding="utf-8")
    spans = {(q.object.value) for q in compile_file(yaml_file) if q.predicate.value.endswith("#startLine")}
    assert spans == {"1", "7"}


def test_new_with_a_text_that_names_no_partnership_asserts_nothing(tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text("Minutes of a meeting held on a Tuesday, which went on for a long while and covered many things "
                      "at length, well past one hundred characters.\nNothing more.\n", encoding="utf-8")
    assert _new(tmp_path, source).exit_code == 0
    starter = (tmp_path / "fenmarsh" / "partnership.yaml").read_text(encoding="utf-8")
    assert "label: notes.txt (as text)" in starter and "title:" not in starter
    assert "- partnership:" not in starter.split("passages:")[1] and "facts: []" in starter


@pytest.mark.parametrize("name, data, says", [
    ("page.txt", b"Fenmarsh\x00\x01\x02", "is binary, not text"),
    ("page.txt", "Fenmarsh caf\u00e9".encode("latin-1"), "is not UTF-8 text (byte 0xe9 at position 12)"),
    ("arrangements.docx", b"PK\x03\x04rest of a zip", "ZIP file (a Word or OpenDocument file is one)"),
    ("scan.png", b"\x89PNG\r\n\x1a\n", "a PNG image"),
    ("page.csv", b"a,b\n1,2\n", "cannot tell what kind of file this is (.csv)"),
    ("fake.pdf", b"<html>not a pdf</html>", "is named .pdf but is not a PDF"),
])
def test_new_refuses_what_it_cannot_read_saying_what_to_give(tmp_path, name, data, says):
    source = tmp_path / name
    source.write_bytes(data)
    result = _new(tmp_path, source)
    assert result.exit_code == 1 and says in result.output, result.output
    assert not (tmp_path / "fenmarsh").exists()
