"""The report as Markdown: readable as plain text, and in any Markdown viewer.

The person's own Markdown (entry bodies, text answers) is kept exactly as written, even
where it looks like HTML ("Dear <therapist name>"): the file is read as plain text first.
Everything the report adds is escaped so a title can't turn into a heading or a table cell
break. Pictures and voice notes are listed by a line each ("[Picture attached]",
"Voice note · 2:05"); their bytes are never in the file.
"""

from __future__ import annotations

import re

from journal_app.export import wording as w
from journal_app.export.document import (
    Answer,
    Block,
    Chart,
    Comparison,
    EntryStart,
    Heading,
    PageBreak,
    Para,
    Picture,
    ReportDocument,
    Table,
    Tone,
    UserMarkdown,
    VoiceNote,
)
from journal_app.export.progress import Progress, ensure

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def escape(text: str) -> str:
    """Plain text made inert in Markdown (inline)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _para(block: Para) -> str:
    text = "".join(f"**{escape(s.text).strip()}** " if s.strong else escape(s.text)
                   for s in block.spans).strip()
    if block.tone is Tone.ALERT:
        return f"> **Attention:** {text}"
    if block.tone in (Tone.MUTED, Tone.META):
        return f"*{text}*"
    return text


def _table(block: Table) -> str:
    head = "| " + " | ".join(escape(h) for h in block.headers) + " |"
    rule = "|" + "|".join("---" for _ in block.headers) + "|"
    rows = ["| " + " | ".join((f"**{escape(c.text)}**" if c.strong and c.text else
                                escape(c.text)) for c in row) + " |" for row in block.rows]
    return "\n".join([head, rule, *rows])


def _comparison(block: Comparison) -> str:
    """Markdown tables can't hold paragraphs: each row becomes a small section."""
    parts = []
    for row in block.rows:
        parts.append("### " + escape(" · ".join(row.heading)))
        parts += [_para(p) for p in row.left]
        parts += [_para(p) for p in row.right]
    return "\n\n".join(parts)


def _answer(block: Answer) -> str:
    text = block.text.strip() if block.markdown else escape(block.text)
    return f"**{escape(block.question)}**\n\n{text or '*(no answer)*'}"


def _block(block: Block) -> str | None:
    match block:
        case Heading(level=level, text=text):
            return "#" * min(level, 6) + " " + escape(text)
        case Para():
            return _para(block)
        case Table():
            return _table(block)
        case Comparison():
            return _comparison(block)
        case Answer():
            return _answer(block)
        case UserMarkdown(text=text):
            return text.strip()
        case PageBreak():
            return "---"
        case Picture(drawing=drawing):
            return w.DRAWING_LINE if drawing else w.PICTURE_LINE  # brackets alone: no link
        case VoiceNote(label=label):
            return escape(label)
        case Chart() | EntryStart():
            return None  # Markdown has no charts; the score table lists every point
    raise TypeError(type(block).__name__)


def render_markdown(document: ReportDocument, *, progress: Progress | None = None) -> str:
    steps = ensure(progress)
    steps.start("Writing Markdown", len(document.blocks))
    parts = []
    for block in document.blocks:
        steps.advance()
        text = _block(block)
        if text:
            parts.append(text)
    return "\n\n".join(parts) + "\n"
