"""``lscp-kg new NAME --source FILE``: the source text and a starter authoring file for a partnership.

FILE is a saved web page (.html), a PDF, or plain text (.txt: kept line for line).

The text goes to ``DIR/sources/NAME.txt`` and the starter to ``DIR/partnership.yaml``
(``DIR`` defaults to ``graph_data/NAME``). Run again with a republished page, it
rewrites only the text and keeps the YAML: ``lscp-kg build`` then lists the quotes
that no longer match.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .extract import TITLE_LENGTH, extract
from .schema import SCHEMA_FILE
from .yamlwrite import dump_yaml

PARTNERSHIP_WORDS = re.compile(r"safeguarding\s+(children\s+)?partnership|children'?s\s+partnership", re.I)


@dataclass
class NewPartnership:
    text_file: Path
    yaml_file: Path
    yaml_written: bool
    lines: int


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "arrangements"


def starter_yaml(name: str, title: str, lines: list[str], text_name: str, yaml_dir: Path, url: str | None,
                 file_name: str = "the source") -> str:
    """A starter file: the source document, and the partnership as the source's heading names it. Nothing the
    source does not state: no publisher (the source rarely says who publishes it), no guessed name."""
    # The partnership's name: the first short line that names a partnership (a heading, not a paragraph).
    heading = next((line.strip() for line in lines if PARTNERSHIP_WORDS.search(line) and len(line.strip()) <= 100), None)
    title = title if title and len(title) <= TITLE_LENGTH else ""
    source_id = f"{name}-{_slug(title)}"
    source = {"id": source_id, "label": f"{title or file_name} (as text)", **({"title": title} if title else {}),
              "text": text_name, "format": "text/plain"}
    if url:
        source["url"] = url
    if heading:
        passages = [{"quote": heading, "facts": [{"partnership": name, "type": "safeguarding-partnership",
                                                  "label": heading}]}]
        first = "Next: the area (a partnership needs one), the statutory partners, bodies, seats, documents.\n"
    else:  # nothing names the partnership: quote the first line, and leave its name to the steward
        quote = next((line.strip() for line in lines if line.strip()), "")
        passages = [{"quote": quote, "facts": []}]
        first = ("No short line of the source names the partnership: add the passage that does, with the\n"
                 f"# partnership ('- partnership: {name}', type and label), then its area, partners, bodies, seats.\n")
    doc = {"partnership": name, "source": source, "passages": passages}
    schema = Path(os.path.relpath(SCHEMA_FILE, yaml_dir)).as_posix()
    return (f"# yaml-language-server: $schema={schema}\n"
            f"# Starter for the {name} partnership, from {title or file_name!r}. Add a passage for each statement of\n"
            f"# the source ({text_name}): quote its words, then the facts they state. Check with:\n"
            f"#   lscp-kg build --check --data {yaml_dir.as_posix()}   (every problem, with line and fix)\n"
            "# " + first + "# The guide: docs/adding-a-partnership.md\n" + dump_yaml(doc))


def new_partnership(name: str, source: Path, out: Path | None = None, url: str | None = None,
                    force: bool = False) -> NewPartnership:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError(f"{name!r} is not a partnership name: use lower-case letters, digits and hyphens")
    out = Path(out) if out else Path("graph_data") / name
    extracted = extract(source)
    if not any(line.strip() for line in extracted.lines):
        raise ValueError(f"{source}: no text found (a scanned PDF needs OCR first)")
    text_file = out / "sources" / f"{name}.txt"
    text_file.parent.mkdir(parents=True, exist_ok=True)
    text_file.write_text(extracted.text, encoding="utf-8")
    yaml_file = out / "partnership.yaml"
    written = force or not yaml_file.exists()
    if written:
        yaml_file.write_text(starter_yaml(name, extracted.title, extracted.lines, f"sources/{name}.txt", out, url,
                                          Path(source).name), encoding="utf-8")
    return NewPartnership(text_file, yaml_file, written, len(extracted.lines))
