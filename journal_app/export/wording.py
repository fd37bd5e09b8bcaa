"""How dates, sessions and scores are written in reports: one place, one style.

Dates are written as "3 Mar 2026" in every format, with our own month names, so the
report reads the same whatever locale the program runs in and no one can misread 3/4.
"""

from __future__ import annotations

import datetime as dt

from journal_app.domain.attachments import duration_text
from journal_app.domain.entities import EntryKind, Modality, Setting, TreatmentSession

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

MODALITY = {
    Modality.IV_INFUSION: "IV infusion",
    Modality.IM_INJECTION: "IM injection",
    Modality.ORAL: "oral",
    Modality.SUBLINGUAL: "sublingual",
    Modality.NASAL_ESKETAMINE: "esketamine nasal spray",
    Modality.OTHER: "other",
}
SETTING = {Setting.CLINIC: "clinic", Setting.HOME: "home"}
KIND = {
    EntryKind.PREPARATION: "Preparation",
    EntryKind.INTEGRATION: "Integration",
    EntryKind.FREE: "Free writing",
    EntryKind.CHECK_IN: "Check-in note",
    EntryKind.QUICK_CAPTURE: "Quick note",
}


def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_day(value: dt.date | dt.datetime) -> str:
    """"3 Mar": for chart axes."""
    return f"{value.day} {_MONTHS[value.month - 1]}"


def moment(value: dt.datetime) -> str:
    return f"{day(value)}, {value:%H:%M}"


def period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "no dated content"
    if start == end:
        return day(start)
    return f"{day(start)} – {day(end)}"


def session_name(session: TreatmentSession) -> str:
    """"Session 2" (or "Session" when the course number is unknown)."""
    return f"Session {session.number}" if session.number is not None else "Session"


def session_line(session: TreatmentSession) -> str:
    """"Session 2 · 17 Mar 2026 · IV infusion, clinic"."""
    return (f"{session_name(session)} · {day(session.starts_at)} · "
            f"{MODALITY[session.modality]}, {SETTING[session.setting]}")


def kind(value: EntryKind) -> str:
    return KIND.get(value, str(value).capitalize())


def signed(value: float, decimals: int = 0) -> str:
    """"+3", "−4" (a real minus sign), "0"."""
    text = f"{abs(value):.{decimals}f}"
    if value > 0:
        return "+" + text
    return "−" + text if value < 0 else text


def shorten(text: str, limit: int) -> tuple[str, bool]:
    """``text`` on one line, cut at a word boundary near ``limit``; (text, was it cut)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat, False
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.—-")
    return cut + " …", True


# ---------------------------------------------------------------------------- attachments

PICTURE_ALT = "Picture attached to this entry"
DRAWING_ALT = "Drawing"
#: Markdown has no pictures: these lines stand in their place.
PICTURE_LINE = "[Picture attached]"
DRAWING_LINE = "[Drawing attached]"
UNREADABLE_PICTURE = "A picture that couldn't be read"


def picture_caption(drawing: bool, entry_title: str, written: dt.datetime) -> str:
    """"Drawing · The evening after · 4 Mar 2026": under each picture, so one at the top
    of a page is not taken for part of the entry that follows it."""
    return f"{'Drawing' if drawing else 'Picture'} · {entry_title} · {day(written)}"


def voice_note(duration_ms: int | None, *, readable: bool = True) -> str:
    """"Voice note · 2:05" (the length when it is known)."""
    length = duration_text(duration_ms)
    text = f"Voice note · {length}" if length else "Voice note"
    return text if readable else f"{text} (it couldn't be read)"
