"""Find a quote in its source text and return the source's exact characters and line span.

Matching ignores differences that are not words: runs of white space (line
breaks, tabs, non-breaking and other Unicode spaces), bullet glyphs and their
indents count as one space, and typographic quotes and dashes match their
plain forms. The quote must occur exactly once (``line`` picks one of several);
the recorded text is the source's own characters, bullets and spaces kept.

>>> text = SourceText("Our partners:\\n\\n  \u2022 Setting the\u00a0vision\\n")
>>> m = text.find("Setting the vision")
>>> (m.start_line, m.end_line, m.exact)
(3, 3, 'Setting the\\xa0vision')
>>> text.find("Our partners: Setting").exact
'Our partners:\\n\\n  \u2022 Setting'
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

BULLETS = set("\u2022\u25e6\u25aa\u25ab\u2023\u2043\u25cf\u25cb\u25a0\u25a1\u00b7\uf0b7\uf0a7")
FOLDS = {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
         "\u201e": '"', "\u2033": '"', "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-"}
INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")


_FOLD_TABLE = str.maketrans(FOLDS)
_GAPS = re.compile("[\\s" + "".join(sorted(BULLETS)) + "]+")


def _is_gap(char: str) -> bool:
    return char.isspace() or char in BULLETS


def normalise(text: str) -> str:
    """The text as matching sees it.

    >>> normalise("  \u2022 Safeguarding is\\u00a0everybody\u2019s\\n business ")
    "Safeguarding is everybody's business"
    """
    text = "".join(ch for ch in text if ch not in INVISIBLE).translate(_FOLD_TABLE)
    return _GAPS.sub(" ", text).strip()


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the original text
    end: int
    start_line: int
    end_line: int
    exact: str

    @property
    def span(self) -> str:
        """The lines it spans, as a passage is named by default: L12, or L12-14."""
        return f"L{self.start_line}" if self.start_line == self.end_line else f"L{self.start_line}-{self.end_line}"


class SourceText:
    """A source text, with its normalised form and the map back to the original characters."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        chars: list[str] = []
        origin: list[int] = []
        gap = True  # drop leading gaps
        for index, char in enumerate(text):
            if char in INVISIBLE:
                continue
            if _is_gap(char):
                if not gap:
                    chars.append(" ")
                    origin.append(index)
                gap = True
                continue
            chars.append(FOLDS.get(char, char))
            origin.append(index)
            gap = False
        self.normal = "".join(chars)
        self._origin = origin
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)

    def line_at(self, offset: int) -> int:
        """1-based line number of an offset of the original text."""
        low, high = 0, len(self._line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1

    def find_all(self, quote: str) -> list[Match]:
        """Every place the quote occurs (after normalising both)."""
        needle = normalise(quote)
        if not needle:
            return []
        found = []
        at = self.normal.find(needle)
        while at >= 0:
            start = self._origin[at]
            end = self._origin[at + len(needle) - 1] + 1
            found.append(Match(start, end, self.line_at(start), self.line_at(end - 1), self.text[start:end]))
            at = self.normal.find(needle, at + 1)
        return found

    def find(self, quote: str, line: int | None = None) -> Match | None:
        """The one match (on ``line`` if given); None if there is not exactly one."""
        found = self.find_all(quote)
        if line is not None:
            found = [m for m in found if m.start_line <= line <= m.end_line]
        return found[0] if len(found) == 1 else None

    def nearest(self, quote: str) -> tuple[int, int, str, float]:
        """The passage of the source most like the quote: (start line, end line, its text, likeness 0-1:
        the quote's characters found there in order, over the longer of the two)."""
        needle = normalise(quote)
        best = (1, 1, "", 0.0)
        lines = [normalise(line) for line in self.lines]
        for first in range(len(lines)):
            if not lines[first]:
                continue
            window, starts = _window(lines, first, len(needle))
            aligned = _aligned(needle, window, best[3])
            if aligned is not None and aligned[2] > best[3]:
                begin, stop, score = aligned
                line_of = lambda offset: max(line for at, line in starts if at <= offset) + 1  # noqa: E731
                best = (line_of(begin), line_of(max(begin, stop - 1)), window[begin:stop], score)
        return best


def _window(lines: list[str], first: int, length: int) -> tuple[str, list[tuple[int, int]]]:
    """The non-empty lines from ``first`` joined until at least ``length`` long, and (offset, line index) of each."""
    window, starts = lines[first], [(0, first)]
    last = first
    while len(window) < length and last + 1 < len(lines):
        last += 1
        if lines[last]:
            starts.append((len(window) + 1, last))
            window = f"{window} {lines[last]}"
    return window, starts


def _aligned(needle: str, window: str, to_beat: float) -> tuple[int, int, float] | None:
    """(begin, stop, likeness) of the part of the window the needle lines up with, widened to whole words;
    None when the window cannot beat ``to_beat`` or shares nothing with the needle."""
    matcher = difflib.SequenceMatcher(None, needle, window, autojunk=False)
    if matcher.real_quick_ratio() <= to_beat / 2:
        return None
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return None
    begin = window.rfind(" ", 0, blocks[0].b) + 1
    stop = window.find(" ", blocks[-1].b + blocks[-1].size)
    stop = len(window) if stop < 0 else stop
    return begin, stop, sum(b.size for b in blocks) / max(len(needle), stop - begin)


def _words(text: str, start: int, end: int) -> str:
    """The whole words around text[start:end]."""
    begin = text.rfind(" ", 0, start) + 1
    stop = text.find(" ", max(end, start + 1))
    return text[begin:stop if stop >= 0 else None].strip()


def first_difference(quote: str, passage: str) -> str:
    """Where the quote stops following the passage, as a short 'quote has X, source has Y'.

    >>> first_difference("the cat sat on a mat", "the cat sat on the mat")
    "the quote has 'a' where the source has 'the'"
    """
    a, b = normalise(quote), normalise(passage)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            left, right = _words(a, i1, i2), _words(b, j1, j2)
            return f"the quote has {left[:40]!r} where the source has {right[:40]!r}"
    return "the quote runs past the end of this passage"
