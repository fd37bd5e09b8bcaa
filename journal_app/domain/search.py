"""Turning what a person types into a safe FTS5 query.

Plain words match as prefixes of words ("ocea" finds "ocean"), "quoted text" is a phrase,
a leading ``-`` excludes a word, ``*`` at the end of a word is kept as a prefix. Anything
else (punctuation, an unbalanced quote, ``:``, FTS operators) is treated as text, so a
query never raises a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARK_START = "\x02"  # snippet highlight markers; the UI turns them into emphasis
MARK_END = "\x03"

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = True
    negated: bool = False

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + ("*" if self.prefix and not self.phrase else "")


def parse_query(text: str) -> list[Term]:
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        neg, phrase, bare = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            words = _WORD.findall(phrase)
            if words:
                terms.append(Term(" ".join(words), phrase=True, negated=bool(neg)))
            continue
        negated = bare.startswith("-") and len(bare) > 1
        terms.extend(Term(w, negated=negated) for w in _WORD.findall(bare))
    return terms


def to_fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression, or None when nothing positive is left to search for."""
    terms = parse_query(text)
    positive = [t.fts() for t in terms if not t.negated]
    if not positive:
        return None
    expr = " AND ".join(positive)
    for term in (t for t in terms if t.negated):
        expr = f"({expr}) NOT {term.fts()}"
    return expr


def strip_marks(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")
