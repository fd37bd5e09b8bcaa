"""The report's "Themes across sessions" section (``domain/themes.py``), as document blocks.

Only the parts the person ticked appear, and only from the entries in the report: a
private entry left out of the report is left out of its themes too.
"""

from __future__ import annotations

from journal_app.domain.report import ReportData
from journal_app.domain.themes import Emotion, SessionScores, ThemePart, Themes
from journal_app.export import wording as w
from journal_app.export.document import (
    Block,
    Cell,
    Comparison,
    ComparisonRow,
    Heading,
    PageBreak,
    Table,
    Tone,
    labelled,
    para,
)

HEADING = "Themes across sessions"
QUOTE_LIMIT = 240
GRID_LIMIT = 12  # sessions up to which emotions are a grid (one column a session)
DOT = "●"


def themes_section(data: ReportData) -> list[Block]:
    themes, parts = data.themes, data.request.theme_parts
    if themes is None or not parts:
        return []
    blocks: list[Block] = [PageBreak(), Heading(2, HEADING), para(
        "Found by the app, on the patient's device, in the entries of this report. A "
        "pattern to talk about, not a finding.", Tone.MUTED)]
    if ThemePart.PHRASES in parts:
        blocks += _phrases(themes)
    if ThemePart.EMOTIONS in parts:
        blocks += _emotions(themes)
    if ThemePart.INTENTIONS in parts:
        blocks += _intentions(themes)
    if ThemePart.SCORES in parts:
        blocks += _scores(themes)
    return blocks


def _numbers(sessions: tuple) -> str:  # type: ignore[type-arg]
    return ", ".join(str(s.number) if s.number is not None else "—" for s in sessions)


def _phrases(themes: Themes) -> list[Block]:
    blocks: list[Block] = [Heading(3, "What keeps coming up"), para(
        "Words and phrases written after more than one session, by the number of sessions "
        "they appear in. Common words and the wording of the journal's own questions are "
        "left out.", Tone.MUTED)]
    if not themes.phrases:
        return [*blocks, para("No word or phrase recurs across sessions in these entries.",
                              Tone.MUTED)]
    total = themes.written_sessions
    rows = tuple((Cell(p.text, strong=True), Cell(f"{p.session_count} of {total}"),
                  Cell(_numbers(p.sessions))) for p in themes.phrases)
    return [*blocks, Table(("Word or phrase", "Sessions", "Which sessions"), rows)]


def _emotions(themes: Themes) -> list[Block]:
    blocks: list[Block] = [Heading(3, "Emotions on the evening after each session"), para(
        "Picked from the evening checklist.", Tone.MUTED)]
    evenings = themes.evening_sessions
    if not themes.emotions:
        return [*blocks, para("No evening checklist in these entries.", Tone.MUTED)]
    if len(evenings) > GRID_LIMIT or any(s.number is None for s in evenings):
        rows = tuple((Cell(e.label, strong=True), Cell(str(len(e.sessions))),
                      Cell(_numbers(e.sessions))) for e in themes.emotions)
        return [*blocks, Table(("Emotion", "Evenings", "Sessions"), rows)]
    return [*blocks, Table(("Emotion", *(str(s.number) for s in evenings)),
                           tuple(_grid_row(e, evenings) for e in themes.emotions))]


def _grid_row(emotion: Emotion, evenings: tuple) -> tuple[Cell, ...]:  # type: ignore[type-arg]
    picked = {s.id for s in emotion.sessions}
    return (Cell(emotion.label, strong=True),
            *(Cell(DOT if s.id in picked else "") for s in evenings))


def _intentions(themes: Themes) -> list[Block]:
    blocks: list[Block] = [Heading(3, "Intentions and what followed")]
    if not themes.intentions:
        return [*blocks, para("No intentions in these entries.", Tone.MUTED)]
    rows = []
    for line in themes.intentions:
        session = line.session
        before = (para(w.shorten(line.intention, QUOTE_LIMIT)[0]) if line.intention
                  else para("No intention in these entries.", Tone.MUTED),)
        after = tuple(labelled(label, w.shorten(text, QUOTE_LIMIT)[0])
                      for label, text in line.followed) \
            or (para("Nothing written yet.", Tone.MUTED),)
        rows.append(ComparisonRow((w.session_name(session), w.day(session.starts_at)),
                                  before, after))
    return [*blocks, Comparison(("Session", "Intention", "What followed"), tuple(rows))]


def _scores(themes: Themes) -> list[Block]:
    blocks: list[Block] = [Heading(3, "Mood and scores, session by session")]
    if not themes.scores:
        return [*blocks, para("No mood ratings or check-ins in these entries.", Tone.MUTED)]
    names: dict[str, str] = {}
    for row in themes.scores:
        names.update({m.measure_id: m.name for m in row.measures})
    blocks.append(para(
        "Mood out of 10, rated before the session and on its evening. Questionnaires: the "
        "average of the check-ins from the session's day until the next session.",
        Tone.MUTED))
    rows = tuple(_score_row(row, names) for row in themes.scores)
    return [*blocks, Table(("Session", "Mood before", "Evening after", *names.values()),
                           rows)]


def _score_row(row: SessionScores, names: dict[str, str]) -> tuple[Cell, ...]:
    means = {m.measure_id: m for m in row.measures}
    cells = [Cell(f"{w.session_name(row.session)} · {w.day(row.session.starts_at)}",
                  strong=True),
             Cell(f"{row.mood_before} / 10" if row.mood_before is not None else "—"),
             Cell(f"{row.mood_after} / 10" if row.mood_after is not None else "—")]
    for measure_id in names:
        found = means.get(measure_id)
        cells.append(Cell(f"{found.mean:.1f}".removesuffix(".0") if found else "—"))
    return tuple(cells)
