"""The line rules of coverage (:mod:`lscp_kg.coverage`): what a line no passage cites is (:func:`classify`),
which parts of a line the quotes of its passages hold (:func:`quoted_ranges`), and which words they leave out
(:func:`left_out`). Simple, deterministic and erring towards "states something", so that no statement is hidden.
"""

from __future__ import annotations

import re

_BULLETS = "•·▪●◦‣∙*-–—>|"
_SENTENCE_MARKS = set(".!?;:")
#: Navigation and page furniture, compared in lower case without surrounding punctuation.
NAVIGATION = frozenset({
    "back to top", "top", "return to top", "skip to main content", "skip to content", "menu", "main menu", "home",
    "print", "print this page", "share", "share this page", "contents", "on this page", "next", "previous", "back",
    "read more", "show more", "show less", "close", "search", "related links", "related pages", "useful links",
    "you are here", "breadcrumb", "cookie settings", "accept cookies",
})
_ADDRESS = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^home\s*[>»›/|]", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return text.split()


def classify(text: str, previous: str = "", following: str = "", after_following: str = "") -> tuple[str, str]:
    """The status of a line no passage cites, and why: ``(status, why)``.

    ``previous`` and ``following`` are the lines around it ("" at the start or end of the text),
    ``after_following`` the line after that. A line is ``structural`` only when one of these simple rules
    says so; anything else is ``stating``, so that no statement is ever hidden:

    1. no letter or digit (a lone bullet, a rule);
    2. a web address alone (a page's address under its statements);
    3. navigation (one of :data:`NAVIGATION`, or a breadcrumb starting "Home >" with no sentence mark);
    4. a heading: a line standing alone between blank lines, of at most 8 words, starting with a capital
       letter, with no digit and no sentence mark (. ! ? ; :), and not a list item;
    5. a table header: the first of three or more lines in a block, of at most 4 words, each capitalised,
       with only letters (a row such as "Probation Area Manager" below it is stating).

    >>> classify("  ")
    ('blank', 'blank')
    >>> classify("  • ")
    ('structural', 'no words')
    >>> classify("https://www.example.org/arrangements/")
    ('structural', 'page address')
    >>> classify("Back to top")
    ('structural', 'navigation')
    >>> classify("Role of the Scrutineer")
    ('structural', 'heading')
    >>> classify("Organisation Representative", "", "Wexcombe Borough Council Chief Executive", "Police Chief Constable")
    ('structural', 'table header')
    >>> classify("Probation Area Manager", "Organisation Representative", "Housing Director of Housing")
    ('stating', 'states something')
    >>> classify("Our three statutory safeguarding partners are:")
    ('stating', 'states something')
    >>> classify("  • Neglect")
    ('stating', 'states something')
    >>> classify("Children's Act 1989")
    ('stating', 'states something')
    """
    stripped = text.strip()
    if not stripped:
        return "blank", "blank"
    why = _furniture(stripped) or _layout(stripped, previous, following, after_following)
    return ("structural", why) if why else ("stating", "states something")


def _furniture(stripped: str) -> str | None:
    """Rules 1-3 of :func:`classify`, which read the line alone: why it is page furniture, or None."""
    if not any(c.isalnum() for c in stripped):
        return "no words"
    if _ADDRESS.match(stripped):
        return "page address"
    bare = " ".join(_words(stripped.strip(".:>»›|"))).lower()
    if bare in NAVIGATION or (_BREADCRUMB.match(stripped) and not _SENTENCE_MARKS & set(stripped)):
        return "navigation"
    return None


def _layout(stripped: str, previous: str, following: str, after_following: str) -> str | None:
    """Rules 4-5 of :func:`classify`, which read the lines around it: "heading", "table header" or None."""
    words = _words(stripped)
    plain = (stripped[0].isupper() and stripped[0] not in _BULLETS and not any(c.isdigit() for c in stripped)
             and not _SENTENCE_MARKS & set(stripped))
    if not plain or previous.strip():
        return None
    if len(words) <= 8 and not following.strip():
        return "heading"
    if len(words) <= 4 and following.strip() and after_following.strip() and all(map(_capitalised_word, words)):
        return "table header"
    return None


def _capitalised_word(word: str) -> bool:
    return word[0].isupper() and word.replace("'", "").replace("’", "").isalpha()


def quoted_ranges(lines: list[str], start: int, end: int, quote: str | None) -> dict[int, tuple[int, int]]:
    """Where a passage's quote lies on each line of its span: ``{line number: (first, last + 1) character}``.

    The quote is the source's exact characters (as the authoring compiler records them); a quote written with
    other white space (hand-written TriG) is not found exactly, and then holds the whole of every line of its span.

    >>> quoted_ranges(["Heading", "One. Two.", "Three."], 2, 3, "Two.\\nThree.")
    {2: (5, 9), 3: (0, 6)}
    >>> quoted_ranges(["a  b"], 1, 1, "a b")
    {1: (0, 4)}
    """
    span = lines[start - 1: end]
    at = "\n".join(span).find(quote) if quote else -1
    if at < 0:
        return {start + i: (0, len(line)) for i, line in enumerate(span)}
    found, offset = {}, 0
    for i, line in enumerate(span):
        first, last = max(at, offset), min(at + len(quote), offset + len(line))
        if first < last:
            found[start + i] = (first - offset, last - offset)
        offset += len(line) + 1
    return found


_WORD = re.compile(r"[^\W\d_]{2,}")


def left_out(text: str, ranges: list[tuple[int, int]]) -> tuple[str, ...]:
    """The stretches of a line that no quote holds and that say something: two words or more of letters
    (a lone "and", a bullet or a bracket is not counted).

    >>> left_out("mother and childAll children should be safe.", [(16, 44)])
    ('mother and child',)
    >>> left_out("  • Neglect (and)", [(4, 11)])
    ()
    """
    quoted = [False] * len(text)
    for first, last in ranges:
        quoted[first:last] = [True] * (last - first)
    stretches = re.split("\x00+", "".join("\x00" if q else c for c, q in zip(text, quoted)))
    return tuple(s.strip() for s in stretches if len(_WORD.findall(s)) >= 2)
