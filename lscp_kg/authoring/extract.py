"""Turn a saved web page (HTML) or a PDF into the plain source text that quotes are matched against.

HTML is parsed by html5lib (the WHATWG parsing algorithm browsers use); the main
content (``<main>``, else ``<article>``, else ``<body>``) becomes one line per
block, paragraphs separated by a blank line, list items as "• item", table rows
as their cells. Scripts, styles, navigation and forms are left out. PDF text
comes from pypdf, page by page. Non-breaking spaces and other characters are
kept as they are.

>>> page = "<html><head><title>T</title></head><body><nav>menu</nav><main><h1>Wexcombe</h1>"\\
...        "<p>We  meet\\n every <b>six</b>&nbsp;weeks.</p><ul><li>One</li><li>Two</li></ul></main></body></html>"
>>> text = html_text(page.encode())
>>> text.title, text.lines
('T', ['Wexcombe', '', 'We meet every six\\xa0weeks.', '', '• One', '• Two'])
>>> html_text(b"<ul><li><p>Nested</p></li><li>Plain</li></ul><p>After</p>").lines
['• Nested', '• Plain', '', 'After']
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import html5lib

BLOCKS = {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
          "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "hr", "li", "main", "ol", "p", "pre", "section",
          "table", "tbody", "thead", "tfoot", "tr", "ul", "caption", "details", "summary"}
SKIP = {"script", "style", "noscript", "template", "nav", "form", "button", "select", "option", "svg", "head",
        "iframe", "object", "canvas", "input", "textarea"}
CELLS = {"td", "th"}
ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML collapses these, not non-breaking spaces


@dataclass
class ExtractedText:
    title: str
    lines: list[str]
    kind: str  # "html" or "pdf"

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


class _Blocks:
    """Collects inline text into blocks; a block ends at every block-level element."""

    def __init__(self):
        self.blocks: list[tuple[str, str]] = []  # (text, kind of block)
        self.current: list[str] = []
        self.kind = "p"

    def flush(self) -> None:
        text = ASCII_SPACE.sub(" ", "".join(self.current)).strip(" ")
        self.current = []
        if text.strip():  # an empty flush (a <p> opening inside an <li>) keeps the kind of block
            self.blocks.append((text, self.kind))
            self.kind = "p"

    def walk(self, element, in_list_item: bool = False) -> None:
        tag = _local(element.tag)
        if tag in SKIP:
            if element.tail:
                self.current.append(element.tail)
            return
        block = tag in BLOCKS
        if block:
            self.flush()
            if tag == "li":
                self.kind = "li"
            elif tag == "tr":
                self.kind = "tr"
        if tag == "br":
            self.flush()
        if element.text:
            self.current.append(element.text)
        for child in element:
            self.walk(child)
            if _local(child.tag) in CELLS:
                self.current.append(" ")
        if block:
            self.flush()
        if element.tail:
            self.current.append(element.tail)


def _lines(blocks: list[tuple[str, str]]) -> list[str]:
    lines: list[str] = []
    previous = None
    for text, kind in blocks:
        if kind == "li":
            text = "• " + text
        if lines and not (kind == previous and kind in ("li", "tr")):
            lines.append("")
        lines.append(text)
        previous = kind
    return lines


def html_text(data: bytes) -> ExtractedText:
    document = html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=False)
    title_element = document.find(".//title")
    found = (document.find(f".//{tag}") for tag in ("main", "article", "body"))
    root = next((element for element in found if element is not None), document)
    collector = _Blocks()
    collector.walk(root)
    collector.flush()
    lines = _lines(collector.blocks)
    title = ASCII_SPACE.sub(" ", "".join(title_element.itertext())).strip() if title_element is not None else ""
    return ExtractedText(title or (lines[0] if lines else ""), lines, "html")


def pdf_text(data: bytes) -> ExtractedText:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    lines: list[str] = []
    for number, page in enumerate(reader.pages):
        text = (page.extract_text() or "").replace("\r\n", "\n").replace("\r", "\n")
        page_lines = [line.rstrip() for line in text.split("\n")]
        if lines and page_lines:
            lines.append("")
        lines.extend(page_lines)
    while lines and not lines[-1].strip():
        lines.pop()
    meta_title = (reader.metadata.title if reader.metadata and reader.metadata.title else "") or ""
    first = next((line.strip() for line in lines if line.strip()), "")
    return ExtractedText(str(meta_title).strip() or first, lines, "pdf")


def extract(path: Path) -> ExtractedText:
    """The text of a saved page or PDF (chosen by content, not only by name)."""
    data = Path(path).read_bytes()
    if data.lstrip()[:5] == b"%PDF-" or Path(path).suffix.lower() == ".pdf":
        return pdf_text(data)
    return html_text(data)
