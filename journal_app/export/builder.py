"""One builder: ReportData in, the report's document out, for every format.

The order is a clinician's: first what needs attention (safety answers), then the course
of treatment, the scores with their trend, and each session's intention beside what
happened; then, if the patient ticked it, "Themes across sessions" on a page of its own
(export/themes_section.py); then the chosen entries grouped by session, every answer under
the question it responded to.
"""

from __future__ import annotations

import datetime as dt

from journal_app.domain.entities import EntryKind
from journal_app.domain.measures import Measure
from journal_app.domain.prompts import AnswerType
from journal_app.domain.report import (
    ReportData,
    ReportEntry,
    ReportPicture,
    SessionSummary,
    answer_text,
)
from journal_app.domain.trends import MeasureSeries, SeriesPoint
from journal_app.export import wording as w
from journal_app.export.document import (
    Answer,
    Block,
    Cell,
    Chart,
    Comparison,
    ComparisonRow,
    EntryStart,
    Heading,
    Para,
    Picture,
    ReportDocument,
    Span,
    Table,
    Tone,
    UserMarkdown,
    VoiceNote,
    labelled,
    para,
)
from journal_app.export.progress import Progress, ensure
from journal_app.export.themes_section import themes_section

TITLE = "Integration journal: report for the care team"
#: How a quick note (written while the journal was locked) is marked, in every format.
LOCKED_LABEL = "written while locked"
SUMMARY_LIMIT = 320  # characters of each answer quoted in the session summaries


def build_document(data: ReportData, *, progress: Progress | None = None) -> ReportDocument:
    """The report's document. ``progress`` counts one step per entry and may cancel."""
    steps = ensure(progress)
    steps.start("Building the report", len(data.entries) + 1)
    blocks: list[Block] = [*_opening(data), *_glance(data), *_safety(data), *_course(data),
                           *_scores(data), *_summaries(data), *themes_section(data)]
    steps.advance()
    blocks += _entries(data, steps)
    blocks += _closing(data)
    return ReportDocument(TITLE, _header(data), tuple(blocks),
                          {s.measure.id: s for s in data.scores})


def _header(data: ReportData) -> str:
    who = data.patient_name or "Integration journal"
    return f"{who} · {w.period(data.period_start, data.period_end)}"


def _opening(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading(1, TITLE)]
    if data.patient_name:
        blocks.append(labelled("Shared by", data.patient_name))
    blocks += [
        labelled("Period", w.period(data.period_start, data.period_end)),
        labelled("Prepared", w.day(data.generated_at)),
        para("Written by the patient in a private journal app and chosen by them for "
             "sharing. Scores are self-report questionnaires. Nobody monitored this journal "
             "between appointments.", Tone.MUTED),
    ]
    return blocks


def _glance(data: ReportData) -> list[Block]:
    """Three lines a clinician reads first: the course, the scores, the safety answers."""
    lines: list[Block] = []
    if data.sessions:
        first, last = data.sessions[0].session, data.sessions[-1].session
        kinds = ", ".join(dict.fromkeys(w.MODALITY[s.session.modality] for s in data.sessions))
        span = w.period(first.starts_at.date(), last.starts_at.date())
        lines.append(labelled("Sessions", f"{len(data.sessions)} ({kinds}), {span}"))
    scores = [_glance_score(s) for s in data.scores if s.points]
    if scores:
        lines.append(labelled("Scores", "; ".join(scores) + "."))
    if data.safety_flags:
        flags = "; ".join(
            f"{f.measure_name} item {', '.join(str(i.number) for i in f.items)} above 0 on "
            f"{w.day(f.taken_at)}" for f in data.safety_flags)
        lines.append(labelled("Safety", flags + " (details below)", Tone.ALERT))
    return [Heading(2, "At a glance"), *lines] if lines else []


def _glance_score(series: MeasureSeries) -> str:
    base, last = series.baseline, series.latest
    assert base is not None and last is not None  # only series with points
    if base.taken_at == last.taken_at:
        return f"{series.measure.name} {_with_band(last)}, one check-in"
    notes = [f"{base.band_label} → {last.band_label}"] if base.band_label else []
    if base.total:
        change = last.change
        words = [f"{w.signed((last.total - base.total) * 100 / base.total)} %"]
        words += ["response"] if change is not None and change.response else []
        words += ["remission range"] if change is not None and change.remission else []
        notes.append(", ".join(words))
    detail = f" ({'; '.join(notes)})" if notes else ""
    return f"{series.measure.name} {base.display_total} → {last.display_total}{detail}"


# ---------------------------------------------------------------------------- safety


def _safety(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Safety answers")]
    if data.safety_flags:
        count = len(data.safety_flags)
        names = sorted({f.measure_name for f in data.safety_flags})
        blocks.append(Para((
            Span(f"{count} check-in{'s' if count != 1 else ''} in this period "
                 f"raised a safety flag ({', '.join(names)}). ", strong=True),
            Span("Any answer above 0 to these items calls for follow-up, whatever the "
                 "total score."),
        ), Tone.ALERT))
        rows = tuple(
            (Cell(w.moment(flag.taken_at), Tone.ALERT, strong=True), Cell(flag.measure_name),
             Cell(f"Item {item.number}: {item.text}"),
             Cell(f"{item.label} ({item.value})", Tone.ALERT, strong=True))
            for flag in data.safety_flags for item in flag.items)
        blocks.append(Table(("Date", "Questionnaire", "Item", "Answer"), rows, Tone.ALERT))
        return blocks
    for name, asked in data.safety_screens:
        if asked:
            blocks.append(para(f"No safety item was answered above 0 in the {asked} {name} "
                               f"check-in{'s' if asked != 1 else ''} of this period.", Tone.OK))
        else:
            blocks.append(para(f"There are no {name} check-ins in this period, so its safety "
                               "item was not asked.", Tone.NOTE))
    return blocks if len(blocks) > 1 else []


# ---------------------------------------------------------------------------- course


def _course(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Course of treatment")]
    if not data.sessions:
        return [*blocks, para("No treatment sessions are recorded in this period.", Tone.MUTED)]
    rows = tuple(
        (Cell(str(s.session.number) if s.session.number is not None else "—", strong=True),
         Cell(w.moment(s.session.starts_at)), Cell(w.MODALITY[s.session.modality]),
         Cell(w.SETTING[s.session.setting]), Cell(s.session.provider.strip() or "—"))
        for s in data.sessions)
    count = len(data.sessions)
    blocks.append(para(f"{count} session{'s' if count != 1 else ''} in this period.",
                       Tone.MUTED))
    blocks.append(Table(("No.", "Date", "Modality", "Setting", "Provider"), rows))
    return blocks


# ---------------------------------------------------------------------------- scores


def _scores(data: ReportData) -> list[Block]:
    shown = [s for s in data.scores if s.points]
    if not data.scores:
        return []
    blocks: list[Block] = [Heading(2, "Questionnaire scores")]
    if not shown:
        return [*blocks, para("No check-ins of the chosen questionnaires in this period.",
                              Tone.MUTED)]
    blocks += [_trend_line(series) for series in shown]
    blocks.append(_score_table(shown))
    blocks += [para(_bands_text(s.measure), Tone.MUTED) for s in shown if s.measure.bands]
    blocks += [Chart(s.measure.id, f"{s.measure.name} over the period"
                     + (" (shaded by severity band)" if s.measure.bands else ""))
               for s in shown]
    return blocks


def _with_band(point: SeriesPoint) -> str:
    return f"{point.display_total} ({point.band_label})" if point.band_label \
        else point.display_total


def _trend_line(series: MeasureSeries) -> Para:
    measure, base, last = series.measure, series.baseline, series.latest
    assert base is not None and last is not None  # only series with points
    before = "" if not series.points or base.taken_at >= series.points[0].taken_at \
        else ", before this period"
    parts = [f"baseline {_with_band(base)} on {w.day(base.taken_at)}{before}"]
    if len(series.points) > 1 or before:
        parts.append(f"latest {_with_band(last)} on {w.day(last.taken_at)}")
        parts.append(_change_text(measure, base, last))
    label = f"{measure.name} ({measure.topic})"
    return labelled(label, "; ".join(p for p in parts if p) + ".")


def _change_text(measure: Measure, base: SeriesPoint, point: SeriesPoint) -> str:
    change = point.change
    absolute = point.total - base.total
    decimals = 1 if isinstance(absolute, float) else 0
    text = f"change {w.signed(absolute, decimals)}"
    if base.total:
        text += f" ({w.signed(absolute * 100 / base.total)} %)"
    rule = measure.change
    if change is None:
        return text
    if rule is not None and change.response:
        text += f", a drop of {rule.response_drop_percent} % or more from baseline (response)"
    if rule is not None and change.remission:
        text += f", below {rule.remission_below} (remission range)"
    return text


def _bands_text(measure: Measure) -> str:
    bands = ", ".join(f"{b.minimum}–{b.maximum} {b.label}" for b in measure.bands)
    return f"{measure.name} bands: {bands}."


def _score_table(shown: list[MeasureSeries]) -> Table:
    """One row per questionnaire day, questionnaires side by side. One-question daily
    ratings (mood) would add a row a day, so they are averaged over the days since the
    row before; ratings after the last questionnaire get a row of their own."""
    questionnaires = [s for s in shown if len(s.measure.items) > 1]
    daily = [s for s in shown if len(s.measure.items) == 1]
    by_day: dict[dt.date, dict[str, list[SeriesPoint]]] = {}
    for series in questionnaires:
        for point in series.points:
            by_day.setdefault(point.taken_at.date(), {}).setdefault(
                series.measure.id, []).append(point)
    days = sorted(by_day)
    last_daily = max((p.taken_at.date() for s in daily for p in s.points), default=None)
    if last_daily is not None and (not days or last_daily > days[-1]):
        days.append(last_daily)
    rows = []
    previous: dt.date | None = None
    for day in days:
        cells = by_day.get(day, {})
        depth = max((len(points) for points in cells.values()), default=1)
        for index in range(depth):
            row = [Cell(w.day(day) if index == 0 else "")]  # type: ignore[arg-type]
            for series in questionnaires:
                points = cells.get(series.measure.id, [])
                row.append(_score_cell(series.measure, points[index])
                           if index < len(points) else Cell(""))
            for series in daily:
                row.append(_average_cell(series, previous, day) if index == 0 else Cell(""))
            rows.append(tuple(row))
        previous = day
    headers = [s.measure.name for s in questionnaires]
    headers += [f"{s.measure.name} (average since the row before)" for s in daily]
    return Table(("Date", *headers), tuple(rows))


def _average_cell(series: MeasureSeries, after: dt.date | None, until: dt.date) -> Cell:
    values = [p.total for p in series.points
              if (after is None or p.taken_at.date() > after) and p.taken_at.date() <= until]
    if not values:
        return Cell("")
    mean = sum(values) / len(values)
    count = len(values)
    return Cell(f"{mean:.1f} ({count} rating{'s' if count != 1 else ''})")


def _score_cell(measure: Measure, point: SeriesPoint) -> Cell:
    text = _with_band(point)
    if point.safety_flag:
        items = ", ".join(str(n) for n in (measure.safety.items if measure.safety else ()))
        return Cell(f"{text}, SAFETY: item {items} above 0", Tone.ALERT, strong=True)
    return Cell(text)


# ---------------------------------------------------------------------------- sessions


def _summaries(data: ReportData) -> list[Block]:
    if not data.sessions:
        return []
    rows = tuple(_summary(summary) for summary in data.sessions)
    return [Heading(2, "Intention and what happened, session by session"),
            Comparison(("Session", "Before: intention", "After: what happened"), rows)]


def _quote(label: str, text: str) -> Para:
    short, cut = w.shorten(text, SUMMARY_LIMIT)
    return labelled(label, short + (" (full text below)" if cut else ""))


def _summary(summary: SessionSummary) -> ComparisonRow:
    session = summary.session
    heading = (w.session_name(session), w.day(session.starts_at), w.MODALITY[session.modality])
    before = [_quote("Intention", summary.intention.text) if summary.intention
              else para("No intention in the chosen entries.", Tone.MUTED)]
    if summary.bring_before is not None:
        before.append(_quote(summary.bring_before.label, summary.bring_before.text))
    after = [_quote(h.label, h.text) for h in summary.happened]
    if summary.practice is not None:
        outcome = f" (did it happen: {summary.practice_outcome})" \
            if summary.practice_outcome else ""
        after.append(_quote(summary.practice.label, summary.practice.text + outcome))
    if summary.tell_after is not None:
        after.append(_quote(summary.tell_after.label, summary.tell_after.text))
    if not after:
        after.append(para("Nothing about how it went in the chosen entries.", Tone.MUTED))
    return ComparisonRow(heading, tuple(before), tuple(after))


# ---------------------------------------------------------------------------- entries


def _entries(data: ReportData, steps: Progress) -> list[Block]:
    if not data.groups:
        return [Heading(2, "Journal entries"),
                para("No entries were chosen for this report.", Tone.MUTED)]
    blocks: list[Block] = [
        Heading(2, "Journal entries"),
        para("Chosen by the patient, oldest first, grouped by treatment session. Each answer "
             "is shown under the question it responded to.", Tone.MUTED)]
    for group in data.groups:
        title = w.session_line(group.session) if group.session else "Not tied to a session"
        blocks.append(Heading(3, title))
        for item in group.entries:
            steps.advance()
            blocks += _entry(item)
    return blocks


def _entry(item: ReportEntry) -> list[Block]:
    entry = item.entry
    meta = [w.kind(entry.kind), w.moment(entry.created_at)]
    if entry.kind is EntryKind.QUICK_CAPTURE:
        meta.insert(1, LOCKED_LABEL)
    if entry.tags:
        meta.append("tags: " + ", ".join(entry.tags))
    if entry.private:
        meta.append("marked private, included by the patient's choice")
    blocks: list[Block] = [EntryStart(entry.id),
                           Heading(4, entry.display_title or w.kind(entry.kind)),
                           para(" · ".join(meta), Tone.META)]
    for answer in item.shown_answers:
        text = answer_text(answer)
        blocks.append(Answer(answer.question.strip(), text,
                             markdown=answer.answer_type is AnswerType.TEXT))
    extra = item.extra_body
    if extra and item.shown_answers:
        blocks.append(Para((Span("Also written in this entry:", strong=True),)))
    if extra:
        blocks.append(UserMarkdown(extra))
    elif not item.shown_answers and not item.pictures and not item.voice_notes:
        blocks.append(para("(empty entry)", Tone.MUTED))
    return blocks + _attachments(item)


def _attachments(item: ReportEntry) -> list[Block]:
    """The entry's chosen pictures, then its voice notes, under what was written."""
    title = item.entry.display_title or w.kind(item.entry.kind)
    blocks: list[Block] = [_picture(p, n, w.picture_caption(p.is_drawing, title,
                                                            item.entry.created_at))
                           for n, p in enumerate(item.pictures)]
    blocks += [VoiceNote(w.voice_note(v.attachment.duration_ms, readable=v.readable),
                         v.attachment.media_type, v.data) for v in item.voice_notes]
    return blocks


def _picture(picture: ReportPicture, position: int, caption: str) -> Block:
    if picture.data is None:
        return para(w.UNREADABLE_PICTURE, Tone.MUTED)
    attachment = picture.attachment
    size = picture.shown_size
    key = f"{attachment.entry_id}-{attachment.id if attachment.id is not None else position}"
    return Picture(key, attachment.media_type, picture.data,
                   size[0] if size else None, size[1] if size else None,
                   w.DRAWING_ALT if picture.is_drawing else w.PICTURE_ALT, picture.is_drawing,
                   caption)


# ---------------------------------------------------------------------------- closing


def _closing(data: ReportData) -> list[Block]:
    return [para(f"Made with Integration Journal on {w.day(data.generated_at)}. The patient "
                 "chose the period and the entries; entries they marked private are left out "
                 "unless they chose to include them.", Tone.MUTED)]
