"""Turning what a person types into a safe search: FTS5 words plus plain-text pieces.

* Plain words match as prefixes of words ("ocea" finds "ocean"); ``*`` at the end of a
  word changes nothing (every word is a prefix already).
* ``"quoted text"`` is a phrase, matched word for word; while the closing quote is still
  missing (someone typing) its last word is a prefix.
* A leading ``-`` excludes a word or a phrase: ``grief -work``.
* Words joined by punctuation (``well-being``, ``don't``, ``10:30``) are a phrase.
* Scripts written without spaces (Chinese, Japanese, Thai, …) and the Indic scripts, whose
  vowel signs split words in the FTS5 ``unicode61`` tokenizer, are matched as plain text
  inside the entry; so are emoji and other symbols (``🌊``, ``♥``), which the tokenizer
  drops. These "substring" terms are checked with ``instr`` (see storage/search.py).
* Anything else — a stray quote, ``:``, ``^``, brackets, AND/OR/NOT/NEAR — is plain text:
  a query never raises a syntax error and FTS keywords are searched as words.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from journal_app.domain.datafile import DataFileError
from journal_app.domain.entities import Entry, EntryKind, normalize_tag
from journal_app.domain.practices import Practice
from journal_app.domain.prompts import SCALE_MAX, AnswerType, default_library

MARK_START = "\x02"  # snippet highlight markers; the UI turns them into emphasis
MARK_END = "\x03"

PRACTICE_KIND = "practice"  # a result kind beside the entry kinds: an integration practice

_TOKEN = re.compile(r'(-?)"([^"]*)("?)|(\S+)')
# Blocks whose text is matched as plain text: Indic scripts (Devanagari … Sinhala), Thai,
# Lao, Tibetan, Myanmar, Khmer, Kana, CJK ideographs, halfwidth Katakana.
_PLAIN_TEXT_BLOCKS = (
    (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF),
    (0x2E80, 0x2FDF), (0x3040, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF), (0xFF66, 0xFF9F), (0x20000, 0x3134F),
)
_VARIATION_SELECTORS = str.maketrans("", "", "\ufe0e\ufe0f")
_ZWJ = "\u200d"


# --------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class Term:
    """One thing to look for. ``text`` is words joined by single spaces, or, for a
    ``substring`` term, the exact characters to find."""

    text: str
    phrase: bool = False
    prefix: bool = True
    negated: bool = False
    substring: bool = False

    @property
    def words(self) -> list[str]:
        return self.text.split(" ")

    def fts(self) -> str:
        """This term as an FTS5 string (quoted: FTS5 tokenizes it like the indexed text)."""
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")


def _in_plain_text_block(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _PLAIN_TEXT_BLOCKS)


def _char_class(char: str, previous: str) -> str:
    """'plain' (matched as text), 'word', 'symbol' or 'sep'; marks and joiners stay with
    the run they follow."""
    if _in_plain_text_block(char):
        return "plain"
    category = unicodedata.category(char)
    if char.isalnum() or char == "_":
        return "word"
    if category[0] == "M" or char == _ZWJ or category == "Sk":
        return previous if previous in ("word", "symbol", "plain") else "sep"
    if category == "So":
        return "symbol"
    return "sep"


def _runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (class, run) pieces, separators dropped."""
    runs: list[tuple[str, str]] = []
    previous = "sep"
    for char in text:
        kind = _char_class(char, previous)
        if kind != "sep":
            if runs and kind == previous:
                runs[-1] = (kind, runs[-1][1] + char)
            else:
                runs.append((kind, char))
        previous = kind
    return runs


def _terms_of(text: str, *, negated: bool, quoted: bool, closed: bool) -> list[Term]:
    """The terms of one bare token or one quoted phrase."""
    words: list[str] = []
    terms: list[Term] = []
    for kind, run in _runs(text):
        if kind == "word":
            words.append(run)
            continue
        plain = run.translate(_VARIATION_SELECTORS)
        if plain:
            terms.append(Term(plain, negated=negated, substring=True, prefix=False))
    if words:
        phrase = quoted or len(words) > 1
        prefix = not (quoted and closed)
        terms.insert(0, Term(" ".join(words), phrase=phrase, prefix=prefix, negated=negated))
    return terms


def parse_query(text: str) -> list[Term]:
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        neg, phrase, closing, bare = match.groups()
        if phrase is not None:
            terms += _terms_of(phrase, negated=bool(neg), quoted=True, closed=bool(closing))
            continue
        negated = bare.startswith("-") and len(bare) > 1
        terms += _terms_of(bare[1:] if negated else bare, negated=negated, quoted=False,
                           closed=False)
    return terms


@dataclass(frozen=True)
class Query:
    """A parsed query: FTS5 terms and plain-text terms, each wanted or excluded."""

    text: str
    terms: tuple[Term, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        return cls(text, tuple(parse_query(text)))

    @property
    def is_empty(self) -> bool:
        """Nothing wanted: an empty query, or one that only excludes."""
        return not any(not t.negated for t in self.terms)

    @property
    def too_short(self) -> bool:
        """Only one-letter words wanted ("o", "a b"): every entry would match, slowly, and
        the person is still typing. CJK characters are plain-text terms, never too short."""
        wanted = [t for t in self.terms if not t.negated]
        return bool(wanted) and all(not t.substring and not t.phrase and len(t.text) < 2
                                    for t in wanted)

    @property
    def word_terms(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.substring)

    @property
    def substrings(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms if t.substring and not t.negated)

    @property
    def excluded_substrings(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms if t.substring and t.negated)

    def fts(self) -> str | None:
        """The FTS5 MATCH expression of the word terms, or None when no word is wanted
        (the caller then leaves out what ``excluded_fts`` matches)."""
        positive = [t.fts() for t in self.word_terms if not t.negated]
        if not positive:
            return None
        expr = " AND ".join(positive)
        for term in (t for t in self.word_terms if t.negated):
            expr = f"({expr}) NOT {term.fts()}"
        return expr

    def excluded_fts(self) -> str | None:
        """The excluded word terms as one OR expression (for queries with no wanted word)."""
        negated = [t.fts() for t in self.word_terms if t.negated]
        return " OR ".join(negated) if negated else None


def to_fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression, or None when no word is left to search for."""
    return Query.parse(text).fts()


def strip_marks(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


# --------------------------------------------------------------------------- filters


class SearchOrder(enum.StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass(frozen=True)
class SearchFilters:
    """Filters that combine with a query or work alone. Empty means "any".

    ``kinds`` holds EntryKind values and/or PRACTICE_KIND; ``tags`` must all be on an
    entry; dates are the local calendar dates the entries were written, both inclusive;
    ``private`` True keeps only private entries, False leaves them out, None keeps all.
    """

    kinds: frozenset[str] = frozenset()
    tags: tuple[str, ...] = ()
    session_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    private: bool | None = None

    def __post_init__(self) -> None:
        known = {k.value for k in EntryKind} | {PRACTICE_KIND}
        kinds = frozenset(str(k) for k in self.kinds)
        if not kinds <= known:
            raise ValueError("unknown result kind")
        object.__setattr__(self, "kinds", kinds)
        tags = tuple(dict.fromkeys(t for t in map(normalize_tag, self.tags) if t))
        object.__setattr__(self, "tags", tags)

    @property
    def is_empty(self) -> bool:
        return self == SearchFilters()

    @property
    def entry_kinds(self) -> tuple[str, ...]:
        return tuple(sorted(k for k in self.kinds if k != PRACTICE_KIND))

    def wants_entries(self) -> bool:
        return not self.kinds or bool(self.entry_kinds)

    def wants_practices(self) -> bool:
        """Practices have no tags and are never private."""
        return ((not self.kinds or PRACTICE_KIND in self.kinds) and not self.tags
                and self.private is not True)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SearchResult:
    """One row of results: an entry, or a practice (with the entry it was chosen in, if
    any). ``snippet`` carries MARK_START/MARK_END around matches."""

    entry: Entry | None = None
    practice: Practice | None = None
    snippet: str = field(default="", repr=False)
    rank: float = 0.0
    linked_entry_id: int | None = None

    @property
    def kind(self) -> str:
        return self.entry.kind.value if self.entry is not None else PRACTICE_KIND

    @property
    def when(self) -> dt.datetime:
        if self.entry is not None:
            return self.entry.created_at
        assert self.practice is not None
        return self.practice.chosen_at

    @property
    def entry_id(self) -> int | None:
        """The entry to open for this row."""
        return self.entry.id if self.entry is not None else self.linked_entry_id


@dataclass(frozen=True)
class Match:
    """A found row before its text is loaded: cheap to hold for every match. ``day`` is
    when it was written as a Julian day number (UTC), the key for "newest first"."""

    kind: str  # ENTRY or PRACTICE_KIND
    id: int
    day: float
    rank: float = 0.0

    ENTRY = "entry"

    @staticmethod
    def julian_day(when: dt.datetime) -> float:
        """SQLite's ``julianday()`` of an aware datetime."""
        return when.timestamp() / 86400.0 + 2440587.5


# --------------------------------------------------------------------------- indexed text


@functools.cache
def _generated_lines() -> frozenset[str]:
    """Lines the prompt flows write into an entry's body that are not the person's words:
    each question as a heading, checklist options left unticked, and scale answers
    ("6 / 10"), which mean nothing without their question."""
    try:
        library = default_library()
    except DataFileError:
        return frozenset()
    lines = {f"## {p.question.strip()}" for p in library}
    lines |= {f"{n} / {SCALE_MAX}" for n in range(SCALE_MAX + 1)}  # a scale, out of context
    lines |= {f"- [ ] {o.label}" for p in library if p.answer_type is AnswerType.CHECKLIST
              for o in p.options}
    return frozenset(lines)


def indexed_body(body: str) -> str:
    """The body as the search index holds it: without the lines the prompt flows wrote
    (see ``_generated_lines``), so searching "feel" doesn't find every entry whose
    question said "feel", nor "sad" an entry where "Sad" was left unticked. The entry
    itself is unchanged. A body holding a NUL character is indexed whole: the index's SQL
    (migration 0004) can't split it, SQLite's text functions stopping at the NUL."""
    if "\x00" in body:
        return body
    generated = _generated_lines()
    if not generated or ("## " not in body and "- [ ] " not in body
                         and f" / {SCALE_MAX}" not in body):
        return body
    return "\n".join(line for line in body.split("\n") if line.strip() not in generated)
