"""The report as JSON (cli.md, "JSON"), and reading such a file back for ``import``.

The top level is ``domain.jsonformat``'s document (``"format": "integration-journal"``,
``"version": 1``) with ``report`` (period, who), ``sessions``, ``check_ins`` (with total,
band and safety flag), ``safety_flags``, ``entries`` and, when the patient ticked it,
``themes`` ("Themes across sessions"). Entries carry the keys of
``jsonformat.entry_to_dict`` plus ``session_uid``, their prompt ``answers`` and the
``attachments`` chosen with them: pictures and drawings, and voice notes when ticked, each
described by ``kind``, ``media_type``, ``size`` (bytes), ``duration_ms``, ``width``,
``height``, ``created_at`` and ``readable`` (false: the file couldn't be read). The JSON
never holds an attachment's bytes; reading a file back ignores the list. An import into
another journal keeps the links (local ids differ between journals).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from journal_app.domain import jsonformat as jf
from journal_app.domain.attachments import Attachment
from journal_app.domain.bounds import OutOfBoundsError, check_int, check_text
from journal_app.domain.entities import EntryKind, TreatmentSession
from journal_app.domain.measures import CheckIn, Measure, score
from journal_app.domain.prompts import AnswerType, Option, PromptAnswer
from journal_app.domain.report import ReportData, ReportEntry
from journal_app.domain.themes import ThemePart
from journal_app.domain.transfer import ImportedCheckIn, ImportedEntry, ImportedJournal
from journal_app.errors import JournalError, TooNewError, UsageError
from journal_app.export.progress import Progress, ensure

# --------------------------------------------------------------------------- writing


def _answer_dict(answer: PromptAnswer) -> dict[str, Any]:
    return {
        "prompt_id": answer.prompt_id,
        "prompt_version": answer.prompt_version,
        "title": answer.title,
        "question": answer.question,
        "answer_type": answer.answer_type.value,
        "answer": answer.answer,
        "skipped": answer.skipped,
        "options": [{"id": o.id, "label": o.label} for o in answer.options],
    }


def _entry_dict(item: ReportEntry, uids: Mapping[int, str | None]) -> dict[str, Any]:
    entry = item.entry
    found = {**jf.entry_to_dict(entry),
             "session_uid": uids.get(entry.session_id) if entry.session_id is not None
             else None,
             "answers": [_answer_dict(a) for a in item.answers],
             "attachments": [_attachment_dict(p.attachment, p.readable) for p in item.pictures]
             + [_attachment_dict(v.attachment, v.readable) for v in item.voice_notes]}
    if entry.kind is EntryKind.QUICK_CAPTURE:
        found["written_while_locked"] = True  # a quick note (reading it back ignores this)
    return found


def _attachment_dict(attachment: Attachment, readable: bool) -> dict[str, Any]:
    """What an attachment is, never its bytes (nor its blob's name)."""
    return {"kind": str(attachment.kind), "media_type": attachment.media_type,
            "size": attachment.size, "duration_ms": attachment.duration_ms,
            "width": attachment.width, "height": attachment.height,
            "created_at": jf.iso(attachment.created_at), "readable": readable}


def _themes_dict(data: ReportData) -> dict[str, Any] | None:
    """"Themes across sessions", the parts the patient ticked (cli.md, "JSON")."""
    themes, parts = data.themes, data.request.theme_parts
    if themes is None or not parts:
        return None
    uids = {s.id: s.uid for s in themes.sessions}
    found: dict[str, Any] = {"parts": sorted(str(p) for p in parts),
                             "sessions_with_writing": themes.written_sessions}
    if ThemePart.PHRASES in parts:
        found["phrases"] = [{"text": p.text, "sessions": p.session_count, "times": p.count,
                             "session_uids": [uids[s.id] for s in p.sessions]}
                            for p in themes.phrases]
    if ThemePart.EMOTIONS in parts:
        found["emotions"] = [{"id": e.option_id, "label": e.label,
                              "session_uids": [uids[s.id] for s in e.sessions]}
                             for e in themes.emotions]
    if ThemePart.INTENTIONS in parts:
        found["intentions"] = [{"session_uid": uids[i.session.id], "intention": i.intention,
                                "followed": [{"label": label, "text": text}
                                             for label, text in i.followed]}
                               for i in themes.intentions]
    if ThemePart.SCORES in parts:
        found["scores"] = [{"session_uid": uids[r.session.id], "mood_before": r.mood_before,
                            "mood_after": r.mood_after,
                            "measures": {m.measure_id: {"mean": m.mean, "check_ins": m.check_ins}
                                         for m in r.measures}} for r in themes.scores]
    return found


def check_in_dict(check_in: CheckIn, measure: Measure | None,
                  uids: Mapping[int, str | None]) -> dict[str, Any]:
    """A check-in with its score: ``total``, ``band`` and ``safety_flag`` (cli.md)."""
    result = score(measure, check_in.answers) if measure is not None else None
    return {
        "id": check_in.id,
        "uid": check_in.uid,
        "measure": check_in.measure_id,
        "measure_version": check_in.measure_version,
        "taken_at": jf.iso(check_in.taken_at),
        "created_at": jf.iso(check_in.created_at),
        "answers": list(check_in.answers),
        "total": result.total if result else None,
        "display_total": result.display_total if result else None,
        "band": result.band_label if result else None,
        "safety_flag": result.safety_flag if result else None,
        "session_id": check_in.session_id,
        "session_uid": uids.get(check_in.session_id) if check_in.session_id is not None
        else None,
        "note": check_in.note,
    }


def _sessions(data: ReportData) -> list[TreatmentSession]:
    """The course's sessions plus any session a chosen entry or check-in belongs to."""
    wanted = {s.session.id for s in data.sessions}
    wanted |= {e.entry.session_id for e in data.entries}
    wanted |= {c.session_id for c in data.check_ins}
    return [s for s in data.all_sessions if s.id in wanted]


def _session_dict(session: TreatmentSession, data: ReportData) -> dict[str, Any]:
    """Session notes are not shown in the report, so they leave only in a full export."""
    return _private_note(jf.session_to_dict(session), data, key="notes")


def _private_note(obj: dict[str, Any], data: ReportData, key: str = "note") -> dict[str, Any]:
    if not data.request.include_private:
        obj[key] = ""
    return obj


def report_to_dict(data: ReportData, *, progress: Progress | None = None) -> dict[str, Any]:
    steps = ensure(progress)
    steps.start("Writing JSON", len(data.entries) + 1)
    uids = {s.id: s.uid for s in data.all_sessions if s.id is not None}
    measures = {s.measure.id: s.measure for s in data.scores}
    entries = []
    for item in data.entries:
        steps.advance()
        entries.append(_entry_dict(item, uids))
    flags = [{"measure": f.measure_id, "taken_at": jf.iso(f.taken_at),
              "check_in_id": f.check_in_id,
              "items": [{"number": i.number, "value": i.value, "label": i.label}
                        for i in f.items]} for f in data.safety_flags]
    steps.advance()
    return jf.document(
        exported_at=jf.iso(data.generated_at),
        report={
            "patient_name": data.patient_name,
            "from": data.period_start.isoformat() if data.period_start else None,
            "to": data.period_end.isoformat() if data.period_end else None,
            "include_private": data.request.include_private,
        },
        sessions=[_session_dict(s, data) for s in _sessions(data)],
        check_ins=[_private_note(check_in_dict(c, measures.get(c.measure_id), uids), data)
                   for c in data.check_ins],
        safety_flags=flags,
        entries=entries,
        **({"themes": themes} if (themes := _themes_dict(data)) is not None else {}),
    )


def render_json(data: ReportData, *, progress: Progress | None = None) -> str:
    return json.dumps(report_to_dict(data, progress=progress), ensure_ascii=False,
                      indent=2) + "\n"


# --------------------------------------------------------------------------- reading
#
# Everything read is held to domain/bounds.py before anything reaches a journal: the bytes
# must be UTF-8, the JSON at most a few levels deep, every text valid (no lone surrogate)
# and every number and date in range. One value out of bounds refuses the whole file with
# ImportBoundsError (exit 2), naming the field and its place but never the value; the
# journal is not opened for writing until the file has been read in full.

#: Digits in a whole number the reader converts; longer ones are refused (bounds.MAX_INT
#: has 16 digits, so 20 leaves room for a sign and leading zeros).
MAX_INT_DIGITS = 20


class ImportFileError(JournalError):
    """The file is not one of our JSON exports (the message names the problem, not data)."""


class ImportBoundsError(ImportFileError, UsageError):
    """A value in the file is outside what a journal holds (domain/bounds.py): a date
    outside 1900–2200, a huge number, broken text, deep nesting. Exit 2, like other input
    the command line refuses; the message names the place, never the value."""


def _int_or_marker(digits: str) -> int | jf.TooLongNumber:
    if len(digits) > MAX_INT_DIGITS:
        return jf.TooLongNumber()
    return int(digits)


def _answer_from(obj: Any) -> PromptAnswer:
    if not isinstance(obj, dict):
        raise ValueError("an answer must be an object")
    options = obj.get("options") or []
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        raise ValueError("'options' must be a list of objects")
    return PromptAnswer(
        prompt_id=str(obj["prompt_id"]), prompt_version=jf.read_int(obj, "prompt_version", 1),
        title=str(obj.get("title", "")), question=str(obj.get("question", "")),
        answer_type=AnswerType(obj.get("answer_type", "text")), answer=obj.get("answer"),
        skipped=bool(obj.get("skipped", False)),
        options=tuple(Option(str(o["id"]), str(o["label"])) for o in options))


def _check_in_from(obj: Any) -> CheckIn:
    if not isinstance(obj, dict):
        raise ValueError("a check-in must be an object")
    answers = obj.get("answers")
    if not isinstance(answers, list) or not all(
            isinstance(a, int) and not isinstance(a, bool) for a in answers):
        raise ValueError("'answers' must be a list of whole numbers")
    for answer in answers:
        check_int(answer, "'answers'")
    measure = obj["measure"]
    if not isinstance(measure, str):
        raise ValueError("'measure' must be text")
    taken = jf.read_time(obj, "taken_at")
    note = obj.get("note") or ""
    if not isinstance(note, str):
        raise ValueError("'note' must be text")
    return CheckIn(measure_id=measure, answers=tuple(answers), taken_at=taken,
                   measure_version=jf.read_int(obj, "measure_version", 1),
                   note=check_text(note, "'note'"), uid=jf.read_uid(obj),
                   created_at=jf.read_time(obj, "created_at", default=taken))


def _section(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"'{key}' must be a list")
    return value


def _session_uid(obj: Mapping[str, Any], by_id: Mapping[int, str]) -> str | None:
    uid = obj.get("session_uid")
    if isinstance(uid, str) and uid:
        return uid
    local = obj.get("session_id")
    return by_id.get(local) if isinstance(local, int) else None


class _Place:
    """Where the reader is in the document, for a message (``entry 3``); never content."""

    def __init__(self) -> None:
        self.now = ""

    def suffix(self) -> str:
        return f" ({self.now})" if self.now else ""


def _parse(doc: Mapping[str, Any], place: _Place) -> ImportedJournal:
    sessions = []
    for i, obj in enumerate(_section(doc, "sessions"), 1):
        place.now = f"session {i}"
        sessions.append(jf.session_from_dict(obj))
    by_id = {s.id: s.uid for s in sessions if s.id is not None and s.uid}
    entries = []
    for i, obj in enumerate(_section(doc, "entries"), 1):
        place.now = f"entry {i}"
        entry = jf.entry_from_dict(obj)
        answers = []
        for j, answer in enumerate(_section(obj, "answers"), 1):
            place.now = f"answer {j} of entry {i}"
            answers.append(_answer_from(answer))
        entries.append(ImportedEntry(entry, _session_uid(obj, by_id), tuple(answers)))
    check_ins = []
    for i, obj in enumerate(_section(doc, "check_ins"), 1):
        place.now = f"check-in {i}"
        check_ins.append(ImportedCheckIn(_check_in_from(obj), _session_uid(obj, by_id)))
    place.now = ""
    return ImportedJournal(tuple(sessions), tuple(entries), tuple(check_ins))


def _refused(name: str, problem: str) -> ImportBoundsError:
    return ImportBoundsError(f"{name} can't be imported: {problem} Nothing was imported; "
                             "the journal is unchanged.")


def _decode(raw: bytes | str, name: str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise _refused(name, f"it is not valid UTF-8 text (line {line}, byte "
                             f"{exc.start + 1}).") from None


def _load(text: str, name: str) -> Any:
    try:
        return json.loads(text, parse_int=_int_or_marker)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{name} is not valid JSON (line {exc.lineno}, column "
                              f"{exc.colno}).") from None
    except RecursionError:
        raise _refused(name, f"it nests more than {jf.MAX_DEPTH} levels deep.") from None
    except ValueError:  # a float the reader can't convert
        raise _refused(name, "a number in it can't be read.") from None


def parse_export(raw: bytes | str, *, name: str = "the file") -> ImportedJournal:
    """Read one of our JSON exports. Raises :class:`ImportBoundsError` for a value out of
    bounds, :class:`ImportFileError` for anything else that is not our export, or
    :class:`TooNewError` for a newer format version; never quoting the file's content."""
    doc = _load(_decode(raw, name), name)
    if isinstance(doc, dict) and isinstance(doc.get("version"), int) \
            and doc.get("format") == jf.FORMAT and doc["version"] > jf.VERSION:
        raise TooNewError(f"{name} was written by a newer version of the app.")
    try:
        jf.check_values(doc)
    except OutOfBoundsError as exc:
        raise _refused(name, str(exc)) from None
    place = _Place()
    try:
        return _parse(jf.check_document(doc), place)
    except OutOfBoundsError as exc:
        where = f"{place.now}: " if place.now else ""
        raise _refused(name, where + _sentence(str(exc))) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ImportFileError(f"{name} is not an Integration Journal export: "
                              f"{_why(exc)}{place.suffix()}.") from None


def _sentence(message: str) -> str:
    """Our bounds messages as one sentence inside another ("The 'x' must …" → "the 'x' …")."""
    message = message.rstrip(".") + "."
    return message[:1].lower() + message[1:]


# Our own messages name keys only; others (enum, int(), fromisoformat) quote the value.
_OWN_MESSAGE = re.compile(r"^('[a-z_]+' (must|is not an ISO)|an? [a-z -]+ must be|"
                          r"not an Integration|the document)")


def _why(exc: Exception) -> str:
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str) \
            and re.fullmatch(r"[a-z_]+", exc.args[0]):
        return f"'{exc.args[0]}' is missing"
    if isinstance(exc, ValueError) and _OWN_MESSAGE.match(str(exc)):
        return str(exc)
    return "a value is malformed"
