"""Turn a saved web page (HTML), a PDF or a plain text file into the source text that quotes are matched against.

HTML is parsed by html5lib (the WHATWG parsing algorithm browsers use); the main
content (``<main>``, else ``<article>``, else ``<body>``) becomes one line per
block, paragraphs separated by a blank line, list items as "• item", table rows
as their cells. Scripts, styles, navigation and forms are left out. PDF text
comes from pypdf, page by page. Plain text (``.txt``) is kept as it is, one
source line per line. Non-breaking spaces and other characters are kept as they
are. Anything else (a Word file, an image, binary data) is refused, saying what to
give instead.

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
    kind: str  # "html", "pdf" or "text"

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
    from pypdf import PdfReader  # about 0.2 s to import, at every lscp-kg command's start-up if at the top

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


#: What ``new --source`` reads, by file name: a saved web page, a PDF, plain text.
KINDS_BY_SUFFIX = {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".txt": "text", ".text": "text",
                   ".md": "text"}
#: Files that are often offered but are not text: (magic bytes, what it is, what to do).
NOT_READABLE = ((b"PK\x03\x04", "a ZIP file (a Word or OpenDocument file is one)", "save it as PDF or as plain text"),
                (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file", "save it as PDF or as plain text"),
                (b"\x89PNG", "a PNG image", "a scanned page needs OCR first; give its text (.txt)"),
                (b"\xff\xd8\xff", "a JPEG image", "a scanned page needs OCR first; give its text (.txt)"),
                (b"GIF8", "a GIF image", "give the page (.html), its PDF or its text (.txt)"))
TITLE_LENGTH = 100


class UnreadableSource(ValueError):
    """A file ``new --source`` cannot read as a page, a PDF or text (the message says what to give instead)."""


def plain_text(data: bytes, name: str = "the file") -> ExtractedText:
    """Plain text as it is: one source line per line (line ends of any kind), nothing joined; blank lines at the end left out.

    >>> plain_text("Wexcombe Safeguarding Children Partnership\\r\\n\\r\\nWe meet monthly.\\n".encode()).lines
    ['Wexcombe Safeguarding Children Partnership', '', 'We meet monthly.']
    >>> plain_text(b"caf\\xe9", "p.txt")
    Traceback (most recent call last):
    ...
    lscp_kg.authoring.extract.UnreadableSource: p.txt is not UTF-8 text (byte 0xe9 at position 3): save it as UTF-8 plain text
    """
    if b"\x00" in data:
        raise UnreadableSource(f"{name} is binary, not text (it holds NUL bytes): give the page (.html), "
                               "its PDF or its text (.txt)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableSource(f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start}): "
                               "save it as UTF-8 plain text") from error
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    first = next((line.strip() for line in lines if line.strip()), "")
    title = re.sub(r"\s+", " ", first) if len(first) <= TITLE_LENGTH else ""
    return ExtractedText(title, lines, "text")


def source_kind(path: Path, data: bytes) -> str:
    """html, pdf or text: by the file's content where it says (a PDF's magic), else by its name; an
    unknown or unreadable kind raises UnreadableSource saying what to give instead."""
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    for magic, what, todo in NOT_READABLE:
        if data.startswith(magic):
            raise UnreadableSource(f"{path} is {what}, which lscp-kg new cannot read: {todo}")
    kind = KINDS_BY_SUFFIX.get(path.suffix.lower())
    if kind == "pdf":
        raise UnreadableSource(f"{path} is named .pdf but is not a PDF (it does not start with %PDF-)")
    if kind:
        return kind
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    raise UnreadableSource(f"{path}: cannot tell what kind of file this is ({path.suffix or 'no extension'}); "
                           "give a saved web page (.html), a PDF (.pdf) or plain text (.txt)")


def extract(path: Path) -> ExtractedText:
    """The text of a saved page, a PDF or a plain text file (chosen by content where it says, else by name)."""
    path = Path(path)
    data = path.read_bytes()
    kind = source_kind(path, data)
    if kind == "pdf":
        return pdf_text(data)
    if kind == "text":
        return plain_text(data, str(path))
    return html_text(data)
