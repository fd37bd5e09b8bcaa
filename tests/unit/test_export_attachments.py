"""Attachments in the therapist report (issue 15, 3.): pictures and drawings of the chosen
entries are in (each can be left out), voice notes only when ticked, a private entry's
pictures only with the entry, pictures without metadata, and a picture that can't be read
is listed instead of failing the report. Inputs are built from domain objects."""

from __future__ import annotations

import base64
import datetime as dt
import json
from html import unescape
from html.parser import HTMLParser

from journal_app.domain.attachments import Attachment, AttachmentKind, sniff
from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.report import ReportInputs, ReportRequest, select_report
from journal_app.errors import DamagedFileError
from journal_app.export.html import CSP
from journal_app.export.json_format import parse_export
from journal_app.export.service import render_report
from tests.helpers import report_pictures as rp

WHEN = dt.datetime(2026, 3, 4, 21, 0, tzinfo=rp.TZ)
PRIVATE_PICTURE = rp.png(7, 5, (1, 2, 3))
DRAWING = rp.png(90, 60, (20, 90, 200))
PHOTO = rp.png(40, 30, text=True)
VOICE = rp.wav(125)
#: entry id, attachment id, kind, bytes (None: the blob is damaged)
ATTACHED = [(1, 11, AttachmentKind.DRAWING, DRAWING), (1, 12, AttachmentKind.VOICE, VOICE),
            (1, 13, AttachmentKind.IMAGE, PHOTO), (2, 21, AttachmentKind.IMAGE, PRIVATE_PICTURE),
            (3, 31, AttachmentKind.IMAGE, None), (3, 32, AttachmentKind.VOICE, None)]


class DamagedAttachment(DamagedFileError):
    """Stands in for storage's DamagedAttachmentError (a DamagedFileError)."""


class Store:
    """The journal's attachment reader: it records what the report asked for."""

    def __init__(self) -> None:
        self.read: list[int] = []
        self.blobs = {aid: data for _e, aid, _k, data in ATTACHED if data is not None}

    def __call__(self, attachment: Attachment) -> bytes:
        assert attachment.id is not None
        self.read.append(attachment.id)
        if attachment.id not in self.blobs:
            raise DamagedAttachment(f"The attachment {attachment.id} is damaged.")
        return self.blobs[attachment.id]


def _attachment(entry_id: int, attachment_id: int, kind: AttachmentKind,
                data: bytes | None) -> Attachment:
    if data is not None:
        return rp.attachment(entry_id, attachment_id, kind, data)
    voice = kind is AttachmentKind.VOICE
    return Attachment(entry_id, kind, "audio/wav" if voice else "image/jpeg", 1000,
                      created_at=WHEN, duration_ms=61_000 if voice else None,
                      width=None if voice else 800, height=None if voice else 600,
                      id=attachment_id)


def inputs(store: Store | None = None) -> ReportInputs:
    entries = [
        Entry(EntryKind.INTEGRATION, "The evening after", "I drew the lake.", created_at=WHEN,
              updated_at=WHEN, id=1),
        Entry(EntryKind.FREE, "Not for sharing", "PRIVATE-WORDS", private=True,
              created_at=WHEN, updated_at=WHEN, id=2),
        Entry(EntryKind.FREE, "Next morning", "", created_at=WHEN + dt.timedelta(days=1),
              updated_at=WHEN, id=3),
    ]
    attachments: dict[int, list[Attachment]] = {}
    for entry_id, attachment_id, kind, data in ATTACHED:
        attachments.setdefault(entry_id, []).append(
            _attachment(entry_id, attachment_id, kind, data))
    return ReportInputs(entries=entries, attachments=attachments,
                        attachment_data=store if store is not None else Store())


def report(store: Store | None = None, **request):
    return select_report(inputs(store), ReportRequest(**request))


def ids(data) -> dict[int, tuple[list[int], list[int]]]:
    return {item.entry.id: ([p.attachment.id for p in item.pictures],
                            [v.attachment.id for v in item.voice_notes])
            for item in data.entries}


# --------------------------------------------------------------------------- selection


def test_pictures_are_in_by_default_voice_notes_are_not():
    store = Store()
    data = report(store)
    assert ids(data) == {1: ([11, 13], []), 3: ([31], [])}
    assert sorted(store.read) == [11, 13, 31]  # nothing else was decrypted


def test_voice_notes_come_in_when_ticked_and_each_attachment_can_be_left_out():
    data = report(include_voice_notes=True)
    assert ids(data) == {1: ([11, 13], [12]), 3: ([31], [32])}
    assert data.entries[0].voice_notes[0].data == VOICE
    narrowed = report(include_voice_notes=True, excluded_attachment_ids={13, 32})
    assert ids(narrowed) == {1: ([11], [12]), 3: ([31], [])}


def test_a_private_entrys_picture_goes_only_with_the_entry():
    store = Store()
    assert 2 not in ids(report(store))
    assert 21 not in store.read
    with_private = report(include_private=True)
    assert ids(with_private)[2] == ([21], [])
    store = Store()
    unticked = report(store, include_private=True, excluded_entry_ids={2})
    assert 2 not in ids(unticked) and 21 not in store.read


def test_an_unreadable_picture_is_listed_and_the_report_is_still_made():
    data = report(include_voice_notes=True)
    third = data.entries[-1]
    assert not third.pictures[0].readable and not third.voice_notes[0].readable
    html = unescape(render_report(data, "html").decode())
    markdown = render_report(data, "md").decode()
    for text in (html, markdown):
        assert "A picture that couldn't be read" in text
        assert "Voice note · 1:01 (it couldn't be read)" in text


def test_without_a_reader_pictures_are_listed_as_unreadable():
    data = select_report(ReportInputs(entries=inputs().entries,
                                      attachments=inputs().attachments), ReportRequest())
    assert all(not p.readable for item in data.entries for p in item.pictures)


def test_pictures_leave_without_their_metadata():
    picture = report().entries[0].pictures[1]
    assert picture.data is not None and picture.data != PHOTO
    assert rp.TEXT_CANARY not in picture.data and b"tEXt" not in picture.data
    assert sniff(picture.data) == sniff(PHOTO)


def test_an_entry_with_only_a_picture_is_not_called_empty():
    text = render_report(report(), "md").decode()
    assert "(empty entry)" not in text


# --------------------------------------------------------------------------- HTML


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def of(self, tag: str) -> list[dict[str, str]]:
        return [attrs for t, attrs in self.found if t == tag]


def parsed(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    return parser


def decoded(src: str, media_type: str) -> bytes:
    prefix = f"data:{media_type};base64,"
    assert src.startswith(prefix)
    return base64.b64decode(src[len(prefix):], validate=True)


def test_html_shows_each_picture_inline_at_its_entry():
    markup = render_report(report(), "html").decode()
    elements = parsed(markup)
    images = elements.of("img")
    assert len(images) == 2
    first, second = (decoded(i["src"], "image/png") for i in images)
    assert sniff(first).width == 90 and sniff(first).height == 60
    assert sniff(second).width == 40 and rp.TEXT_CANARY not in second
    assert [i["alt"] for i in images] == ["Drawing", "Picture attached to this entry"]
    assert "Drawing · The evening after · 4 Mar 2026" in markup
    assert markup.index("I drew the lake.") < markup.index(images[0]["src"][:80])
    assert "img-src data:" in CSP and "media-src data:" in CSP
    csp = [m for m in elements.of("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp[0]["content"] == CSP
    assert elements.of("audio") == []


def test_a_ticked_voice_note_plays_in_the_html():
    markup = render_report(report(include_voice_notes=True), "html").decode()
    players = parsed(markup).of("audio")
    assert len(players) == 1 and "controls" in players[0]
    assert decoded(players[0]["src"], "audio/wav") == VOICE
    assert "Voice note · 2:05" in markup


def test_a_left_out_voice_note_is_nowhere():
    data = report(include_voice_notes=True, excluded_attachment_ids={12, 32})
    for fmt in ("html", "md", "json"):
        assert "Voice note" not in render_report(data, fmt).decode()
        assert '"audio/wav"' not in render_report(data, fmt).decode()


def test_the_private_picture_is_not_in_any_format():
    secret = base64.b64encode(PRIVATE_PICTURE).decode()
    for fmt in ("html", "md", "json"):
        text = render_report(report(), fmt).decode()
        assert "PRIVATE-WORDS" not in text and secret[:40] not in text


def test_hostile_text_beside_pictures_stays_inert():
    """Our media tags bypass nh3; the person's text around them does not."""
    hostile = inputs()
    entry = hostile.entries[0]
    attack = ('<img src="data:image/png;base64,AAAA" onerror=alert(1)>\n\n'
              '<audio src="data:audio/wav;base64,AAAA" autoplay></audio>\n\n'
              '<p class="media-slot">0-0</p>')
    changed = [Entry(entry.kind, entry.title, attack, created_at=WHEN, updated_at=WHEN, id=1),
               *hostile.entries[1:]]
    data = select_report(ReportInputs(entries=changed, attachments=hostile.attachments,
                                      attachment_data=Store()),
                         ReportRequest(include_voice_notes=True))
    elements = parsed(render_report(data, "html").decode())
    assert len(elements.of("img")) == 2 and len(elements.of("audio")) == 1
    for _tag, attrs in elements.found:
        assert not any(name.startswith("on") or name == "autoplay" for name in attrs)


# --------------------------------------------------------------------------- Markdown, JSON


def test_markdown_lists_attachments_without_their_bytes():
    text = render_report(report(include_voice_notes=True), "md").decode()
    assert "[Drawing attached]" in text and "[Picture attached]" in text
    assert "Voice note · 2:05" in text
    assert "base64" not in text and "data:" not in text
    assert text.index("I drew the lake.") < text.index("[Drawing attached]")


def test_json_describes_attachments_without_their_bytes():
    raw = render_report(report(include_voice_notes=True), "json")
    doc = json.loads(raw)
    first = doc["entries"][0]["attachments"]
    assert [a["kind"] for a in first] == ["drawing", "image", "voice"]
    assert first[0] == {"kind": "drawing", "media_type": "image/png", "size": len(DRAWING),
                        "duration_ms": None, "width": 90, "height": 60,
                        "created_at": "2026-03-04T21:40:00+01:00", "readable": True}
    assert first[2]["duration_ms"] == 125_000
    assert [a["readable"] for a in doc["entries"][1]["attachments"]] == [False, False]
    assert b"base64" not in raw and base64.b64encode(DRAWING)[:40] not in raw
    assert len(parse_export(raw).entries) == 2  # reading the file back ignores them


def test_nothing_is_attached_when_every_picture_is_left_out():
    data = report(excluded_attachment_ids={11, 13, 31})
    assert "<img" not in render_report(data, "html").decode()
    assert "attached]" not in render_report(data, "md").decode()
    assert all(e["attachments"] == []
               for e in json.loads(render_report(data, "json"))["entries"])


def test_a_picture_described_without_its_size_gets_it_from_its_bytes():
    from dataclasses import replace

    from journal_app.domain.report import ReportPicture

    bare = replace(rp.attachment(1, 11, AttachmentKind.DRAWING, DRAWING), width=None,
                   height=None)
    assert ReportPicture(bare, DRAWING).shown_size == (90, 60)
    assert ReportPicture(bare).shown_size is None
