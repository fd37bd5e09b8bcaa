"""The report as a document: a flat list of simple blocks every renderer understands.

The builder (``builder.py``) decides what the report says; the renderers (Markdown, HTML,
the PDF's print HTML) decide only how it looks. Text in blocks is plain text that the
renderers escape, except :class:`UserMarkdown`, which is the person's own Markdown and is
always rendered through ``domain.render.markdown_to_html`` (raw HTML in it is shown as
text, the result sanitised).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from journal_app.domain.trends import MeasureSeries


class Tone(enum.StrEnum):
    NORMAL = "normal"
    MUTED = "muted"
    META = "meta"  # the line under a heading that describes it (kind, date, tags)
    NOTE = "note"
    ALERT = "alert"
    OK = "ok"


@dataclass(frozen=True)
class Span:
    text: str = field(repr=False)
    strong: bool = False


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = the report's title
    text: str = field(repr=False)


@dataclass(frozen=True)
class Para:
    spans: tuple[Span, ...] = field(repr=False)
    tone: Tone = Tone.NORMAL

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Cell:
    text: str = field(repr=False)
    tone: Tone = Tone.NORMAL
    strong: bool = False


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...] = field(repr=False)
    tone: Tone = Tone.NORMAL


@dataclass(frozen=True)
class ComparisonRow:
    """One row of a side-by-side comparison: a heading cell (several short lines) and two
    columns of paragraphs."""

    heading: tuple[str, ...] = field(repr=False)
    left: tuple[Para, ...] = field(repr=False)
    right: tuple[Para, ...] = field(repr=False)


@dataclass(frozen=True)
class Comparison:
    """Before and after, row by row (each session's intention beside what happened)."""

    headers: tuple[str, str, str]
    rows: tuple[ComparisonRow, ...] = field(repr=False)


@dataclass(frozen=True)
class Chart:
    """A trend chart of one measure; renderers that can draw it look the series up."""

    measure_id: str
    caption: str = field(repr=False)


@dataclass(frozen=True)
class Answer:
    """A prompt's question as the person saw it, and their answer. Text answers are the
    person's Markdown; choice and scale answers are plain text."""

    question: str = field(repr=False)
    text: str = field(repr=False)
    markdown: bool = True


@dataclass(frozen=True)
class Picture:
    """A picture or drawing shown with its entry: its bytes, metadata removed, in
    ``media_type``; ``width``/``height`` are its pixels as shown (orientation applied).
    ``key`` names it for renderers that load images by name (the PDF's print HTML)."""

    key: str
    media_type: str
    data: bytes = field(repr=False)
    width: int | None = None
    height: int | None = None
    alt: str = ""
    drawing: bool = False
    caption: str = field(default="", repr=False)


@dataclass(frozen=True)
class VoiceNote:
    """A voice note the person ticked: ``label`` ("Voice note · 2:05") everywhere, and the
    recording, when there is one, for the HTML report to play."""

    label: str
    media_type: str = "audio/wav"
    data: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class UserMarkdown:
    text: str = field(repr=False)


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class EntryStart:
    """Marks where one journal entry begins (renderers may keep it together)."""

    entry_id: int | None


Block = (Heading | Para | Table | Comparison | Chart | Answer | UserMarkdown | PageBreak
         | EntryStart | Picture | VoiceNote)


@dataclass(frozen=True)
class ReportDocument:
    """``header`` is the running page header of the PDF (name and period)."""

    title: str
    header: str
    blocks: tuple[Block, ...] = field(repr=False)
    series: dict[str, MeasureSeries] = field(default_factory=dict, repr=False)


def para(text: str, tone: Tone = Tone.NORMAL) -> Para:
    return Para((Span(text),), tone)


def labelled(label: str, text: str, tone: Tone = Tone.NORMAL) -> Para:
    """A paragraph starting with a bold label: "Intention: …"."""
    return Para((Span(label + ": ", strong=True), Span(text)), tone)
