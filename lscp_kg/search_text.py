"""How names are compared in search: their normal form, their words, their trigrams.

A name and a query are compared in one form (:func:`comparable`): lower case,
no accents, no apostrophes, punctuation as spaces, dotted abbreviations joined
("S.H.I.E.L.D." is "shield"). A name is indexed by its words, its hyphenated
words joined, and its dotted abbreviations both letter by letter and joined.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2018\u2019\u201b`\u00b4\u02bc\u02b9\u2032]")
_SEPARATORS = re.compile(r"[\W_]+")
_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&]{1,11})\)")
_DASHES = frozenset("-\u2010\u2011\u2013/")
_COMPOUND = re.compile(r"[^\W_]+(?:[-\u2010\u2011\u2013/][^\W_]+)+")
_INITIALISM = re.compile(r"(?<![^\W_])[^\W\d_](?:\.[^\W\d_])+\.?(?![^\W_])")


def normalise(text: str) -> str:
    """Lower case, no accents, no apostrophes, punctuation as spaces: the form names are compared in.

    >>> normalise("Schools’ Safeguarding  Network")
    'schools safeguarding network'
    >>> normalise("Children's Social-Care") == normalise("CHILDREN’S social care")
    True
    >>> normalise("Émile Zoë")
    'emile zoe'
    """
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.casefold()
    return " ".join(_SEPARATORS.sub(" ", _APOSTROPHES.sub("", text)).split())


def join_initialisms(text: str) -> str:
    """Dotted abbreviations as one word ("S.H.I.E.L.D." is "SHIELD"), as people type them.

    >>> join_initialisms("Bexley S.H.I.E.L.D. team, e.g. the U.K")
    'Bexley SHIELD team, eg the UK'
    >>> join_initialisms("v2.1 and lscp.ttl")
    'v2.1 and lscp.ttl'
    """
    return _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), text) if "." in text else text


def comparable(text: str) -> str:
    """The form a name and a query are compared in: :func:`normalise`, with dotted abbreviations joined.

    >>> comparable("Bexley S.H.I.E.L.D.") == comparable("bexley shield")
    True
    """
    return normalise(join_initialisms(text))


def index_terms(text: str) -> str:
    """The words of a name once each (repeats carry no meaning in a name, and would sway bm25), its
    hyphenated words joined ("multi-agency" is also "multiagency"), and its dotted abbreviations both
    letter by letter and joined ("S.H.I.E.L.D." is also "shield").

    >>> index_terms("Multi-Agency Child Exploitation")
    'multi agency child exploitation multiagency'
    >>> index_terms("Safeguarding Children Partnership replaces the Safeguarding Children Board")
    'safeguarding children partnership replaces the board'
    >>> index_terms("Bexley S.H.I.E.L.D.")
    'bexley s h i e l d shield'
    """
    words = normalise(text).split()
    if "." in text:
        words += comparable(text).split()
    if _DASHES.intersection(text):
        words += [normalise(m.group(0)).replace(" ", "") for m in _COMPOUND.finditer(text)]
    return " ".join(dict.fromkeys(words))


def names_of(text: str) -> list[str]:
    """A name, and the acronym it gives in brackets ("Multi-Agency Child Exploitation (MACE)" is also "MACE").

    >>> names_of("Multi-Agency Child Exploitation (MACE)")
    ['Multi-Agency Child Exploitation (MACE)', 'MACE']
    >>> names_of("Extra familial harm (MACE definition)")
    ['Extra familial harm (MACE definition)']
    """
    return [text] + _ACRONYM.findall(text)


def trigrams(term: str) -> set[str]:
    """The padded trigrams of a word.

    >>> sorted(trigrams("mace"))
    ['  m', ' ma', 'ace', 'ce ', 'mac']
    """
    padded = f"  {term} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance with adjacent transpositions (optimal string alignment).

    >>> edit_distance("goshal", "ghoshal"), edit_distance("mcae", "mace")
    (1, 1)
    """
    if abs(len(a) - len(b)) > 3:
        return 4
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    """How many edits a word may be off by: none under 4 letters, one up to 7, then two."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2
