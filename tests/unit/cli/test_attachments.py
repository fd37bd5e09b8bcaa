"""``journal-app attach``, ``attachments`` and ``extract`` (issue 15), and ``verify``
authenticating every attachment's blob. Pictures and voice notes are made here without Qt:
a PNG from zlib and struct, a WAV with the standard library's ``wave``."""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import sys
import types
import wave
import zlib
from pathlib import Path

import pytest

from journal_app.cli import attachments as attachments_verbs
from journal_app.cli import common
from journal_app.domain.attachments import MAX_ATTACHMENT_BYTES
from journal_app.errors import WriteFailedError
from journal_app.storage.vault import Vault
from tests.unit.cli.support import PASS, Snapshot, read_only_folder

# --------------------------------------------------------------------------- files


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    """A small valid RGB PNG."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\x20\x80\xc0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def wav_bytes(seconds: int = 125, rate: int = 8000) -> bytes:
    """A silent 16-bit mono PCM WAV of ``seconds``."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * rate * seconds)
    return buffer.getvalue()


GIF = b"GIF89a\x02\x00\x02\x00\x00\x00\x00;"


@pytest.fixture
def files(tmp_path) -> Path:
    """A folder for the files attached and extracted (apart from the journal's folder, so
    Snapshot sees only what happens beside the journal)."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "sky.png").write_bytes(png_bytes(10, 7))
    (folder / "evening.wav").write_bytes(wav_bytes())
    (folder / "drawing.png").write_bytes(png_bytes(4, 4))
    (folder / "notes.txt").write_text("Not a picture.", encoding="utf-8")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "moon.gif").write_bytes(GIF)
    return folder


def add_entry(cli, journal: Path, text: str = "After the session.") -> int:
    result = cli("add", journal, "--title", "Evening", "--date", "2026-03-01T20:15+01:00",
                 stdin=text)
    assert result.code == 0, result.err
    return int(result.out)


def attach(cli, journal: Path, entry_id: int, file: Path, *extra: str) -> int:
    result = cli("attach", journal, entry_id, file, *extra)
    assert result.code == 0, result.err
    return int(result.out)


def listed(cli, journal: Path, *extra: object) -> list[dict]:
    result = cli("attachments", journal, "--json", *extra)
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert (doc["format"], doc["version"]) == ("integration-journal", 1)
    return doc["attachments"]


def blobs(journal: Path) -> list[Path]:
    folder = journal.with_name(journal.name + ".attachments")
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) \
        if folder.is_dir() else []


# --------------------------------------------------------------------------- attach, list


def test_attach_each_kind_then_list_in_text_and_json(cli, journal, files):
    entry = add_entry(cli, journal)
    ids = [attach(cli, journal, entry, files / "sky.png"),
           attach(cli, journal, entry, files / "evening.wav"),
           attach(cli, journal, entry, files / "drawing.png", "--kind", "drawing")]
    assert ids == sorted(set(ids))

    items = listed(cli, journal)
    assert [a["id"] for a in items] == ids
    assert [a["kind"] for a in items] == ["image", "voice", "drawing"]
    assert [a["media_type"] for a in items] == ["image/png", "audio/wav", "image/png"]
    picture, voice, drawing = items
    assert (drawing["width"], drawing["height"]) == (4, 4)
    assert (picture["width"], picture["height"], picture["duration_ms"]) == (10, 7, None)
    assert voice["duration_ms"] == 125_000 and voice["width"] is None
    assert voice["size"] == len((files / "evening.wav").read_bytes())
    assert {a["entry_id"] for a in items} == {entry}
    assert picture["entry_date"] == "2026-03-01T20:15:00+01:00"
    assert set(picture) == {"id", "uid", "entry_id", "entry_date", "kind", "media_type",
                            "size", "created_at", "duration_ms", "width", "height"}

    text = cli("attachments", journal)
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    assert len(lines) == 3
    assert "10×7" in lines[0] and "image/png" in lines[0] and f"entry {entry}" in lines[0]
    assert "2:05" in lines[1] and "1.9 MB" in lines[1] and "2026-03-01 20:15" in lines[1]
    assert "drawing" in lines[2] and "4×4" in lines[2]
    assert "Evening" not in text.out  # attachments are described, not their entries


def test_attachments_of_one_entry_newest_entry_first(cli, journal, files):
    first = add_entry(cli, journal)
    later = cli("add", journal, "--date", "2026-03-05T09:00+01:00", stdin="Later.")
    second = int(later.out)
    a = attach(cli, journal, first, files / "sky.png")
    b = attach(cli, journal, second, files / "evening.wav")
    assert [x["id"] for x in listed(cli, journal)] == [b, a]
    assert [x["id"] for x in listed(cli, journal, "--entry", first)] == [a]
    assert cli("attachments", journal, "--entry", 99).code == 2
    empty = add_entry(cli, journal, "Nothing kept with it.")
    result = cli("attachments", journal, "--entry", empty)
    assert (result.code, result.out) == (0, "")
    assert f"Entry {empty} has no attachments" in result.err


def test_an_empty_journal_has_no_attachments(cli, journal):
    result = cli("attachments", journal)
    assert (result.code, result.out) == (0, "")
    assert "no attachments yet" in result.err
    assert listed(cli, journal) == []
    assert "Attachments:     none" in cli("verify", journal).out


# --------------------------------------------------------------------------- extract


def test_extract_writes_the_same_bytes_owner_only(cli, journal, files):
    entry = add_entry(cli, journal)
    voice = attach(cli, journal, entry, files / "evening.wav")
    out = files / "out.wav"
    result = cli("extract", journal, voice, "--out", out)
    assert result.code == 0, result.err
    assert result.out == ""
    assert out.read_bytes() == (files / "evening.wav").read_bytes()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "not encrypted" in result.err


def test_extract_refuses_to_overwrite_unless_forced(cli, journal, files):
    picture = attach(cli, journal, add_entry(cli, journal), files / "sky.png")
    out = files / "kept.png"
    out.write_bytes(b"mine")
    result = cli("extract", journal, picture, "--out", out)
    assert result.code == 2
    assert "already exists" in result.err and "--force" in result.err
    assert out.read_bytes() == b"mine"
    assert cli("extract", journal, picture, "--out", out, "--force").code == 0
    assert out.read_bytes() == (files / "sky.png").read_bytes()


@pytest.mark.parametrize("target", ["journal", "folder", "blob-folder"])
def test_extract_refuses_the_journal_and_folders(cli, journal, files, target):
    picture = attach(cli, journal, add_entry(cli, journal), files / "sky.png")
    before = Snapshot.of(journal)
    out = {"journal": journal, "folder": files,
           "blob-folder": journal.with_name(journal.name + ".attachments") / "x"}[target]
    result = cli("extract", journal, picture, "--out", out, "--force")
    assert result.code == 2, result.err
    before.assert_unchanged(journal)


def test_extract_of_an_unknown_attachment_exits_2(cli, journal, files):
    add_entry(cli, journal)
    result = cli("extract", journal, 7, "--out", files / "x.png")
    assert result.code == 2
    assert "There is no attachment 7" in result.err
    assert not (files / "x.png").exists()


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("name", "extra", "says"), [
    ("missing.png", (), "can't be read"),
    ("notes.txt", (), "isn't a picture"),
    ("broken.png", (), "isn't a picture"),
    ("sky.png", ("--kind", "voice"), "is a picture, not a voice note"),
    ("evening.wav", ("--kind", "image"), "is a voice note, not a picture"),
    ("moon.gif", ("--kind", "drawing"), "drawing is kept as PNG"),
    (".", (), "is a folder"),
])
def test_files_that_cannot_be_attached_exit_2_and_change_nothing(cli, journal, files, name,
                                                                 extra, says):
    entry = add_entry(cli, journal)
    before = Snapshot.of(journal)
    given = str(files / name)
    result = cli("attach", journal, entry, given, *extra)
    assert result.code == 2, result.err
    assert says in result.err
    assert "Nothing was attached" in result.err or "nothing was attached" in result.err
    if name == "missing.png":
        assert given in result.err  # named as the user gave it
    assert "Not a picture." not in result.err + result.out
    assert result.out == ""
    before.assert_unchanged(journal)
    assert blobs(journal) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(cli, journal, files,
                                                            monkeypatch):
    entry = add_entry(cli, journal)
    big = files / "long.wav"
    with open(big, "wb") as f:
        f.truncate(MAX_ATTACHMENT_BYTES + 1)  # sparse: nothing is really written

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(attachments_verbs, "open", no_reading, raising=False)
    before = Snapshot.of(journal)
    result = cli("attach", journal, entry, big)
    assert result.code == 2
    assert "at most 50 MB" in result.err and str(big) in result.err
    before.assert_unchanged(journal)


def test_an_unknown_entry_exits_2_and_attaches_nothing(cli, journal, files):
    add_entry(cli, journal)
    before = Snapshot.of(journal)
    result = cli("attach", journal, 9, files / "sky.png")
    assert result.code == 2
    assert "There is no entry 9" in result.err
    before.assert_unchanged(journal)
    assert blobs(journal) == []


def test_a_wrong_passphrase_attaches_nothing(cli, journal, files):
    entry = add_entry(cli, journal)
    before = Snapshot.of(journal)
    result = cli("attach", journal, entry, files / "sky.png", passphrase="not it")
    assert result.code == 3
    assert "not it" not in result.err + result.out
    before.assert_unchanged(journal)


def test_a_failed_save_exits_7_and_references_nothing(cli, journal, files, monkeypatch):
    entry = add_entry(cli, journal)
    before = Snapshot.of(journal)

    def full_disk(self):
        raise WriteFailedError("The disk is full.")

    with monkeypatch.context() as mp:
        mp.setattr(Vault, "save", full_disk)
        result = cli("attach", journal, entry, files / "sky.png")
    assert result.code == 7, result.err
    assert "The attachment was not added" in result.err
    assert "journal on disk is unchanged" in result.err
    assert Snapshot.of(journal).data == before.data
    assert listed(cli, journal) == []


def test_a_read_only_folder_exits_7(cli, journal, files):
    entry = add_entry(cli, journal)
    before = Snapshot.of(journal)
    with read_only_folder(journal.parent):
        result = cli("attach", journal, entry, files / "sky.png")
    assert result.code == 7, result.err
    before.assert_unchanged(journal)
    assert listed(cli, journal) == []


def test_the_passphrase_never_reaches_argv_or_output(cli, journal, files):
    entry = add_entry(cli, journal)
    result = cli("attach", journal, entry, files / "sky.png")
    assert PASS not in result.out + result.err


# --------------------------------------------------------------------------- damage


def _flip_a_byte(blob: Path) -> None:
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    os.chmod(blob, 0o600)
    blob.write_bytes(bytes(data))


def test_a_tampered_blob_is_named_by_extract_and_verify(cli, journal, files):
    entry = add_entry(cli, journal)
    damaged = attach(cli, journal, entry, files / "sky.png")
    [blob] = blobs(journal)
    _flip_a_byte(blob)
    other = int(cli("add", journal, "--date", "2026-03-02T08:00+01:00",
                    stdin="Next morning.").out)
    intact = attach(cli, journal, other, files / "drawing.png", "--kind", "drawing")

    result = cli("extract", journal, damaged, "--out", files / "sky-again.png")
    assert result.code == 4
    assert f"entry {entry}" in result.err and "March 2026" in result.err
    assert "Evening" not in result.err  # the entry is named by its date and id only
    assert not (files / "sky-again.png").exists()
    assert cli("extract", journal, intact, "--out", files / "drawing-again.png").code == 0

    checked = cli("verify", journal)
    assert checked.code == 4
    assert "Integrity:       ok" in checked.out
    assert f"attachment {damaged}" in checked.out and f"entry {entry}" in checked.out
    assert "2026-03-01" in checked.out
    assert f"attachment {intact}" not in checked.out
    assert "journal itself is intact" in checked.err

    assert cli("list", journal).code == 0
    assert len(listed(cli, journal)) == 2


def test_verify_counts_intact_attachments(cli, journal, files):
    entry = add_entry(cli, journal)
    attach(cli, journal, entry, files / "sky.png")
    attach(cli, journal, entry, files / "evening.wav")
    result = cli("verify", journal)
    assert result.code == 0, result.err
    fields = {k.strip(): v.strip() for k, v in
              (line.split(":", 1) for line in result.out.splitlines())}
    assert fields["Attachments"] == "2, all intact"


def test_a_missing_blob_fails_verify(cli, journal, files):
    entry = add_entry(cli, journal)
    picture = attach(cli, journal, entry, files / "sky.png")
    [blob] = blobs(journal)
    blob.unlink()
    result = cli("verify", journal)
    assert result.code == 4
    assert f"attachment {picture}" in result.out
    assert cli("extract", journal, picture, "--out", files / "gone.png").code == 4


# --------------------------------------------------------------------------- older copy


def pretend_older(monkeypatch) -> list:
    """From now on opened vaults say they are an older copy than this computer saw (as in
    test_rollback.py); the list records ``accept`` calls."""
    real_open = common.open_vault
    calls: list = []

    def open_older(*args, **kwargs):
        vault = real_open(*args, **kwargs)
        vault.rollback = types.SimpleNamespace(opened_generation=3, seen_generation=7)
        return vault

    def accept(vault):
        calls.append(vault)
        vault.rollback = None

    monkeypatch.setattr(common, "open_vault", open_older)
    module = types.ModuleType("journal_app.storage.rollback")
    module.accept = accept  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "journal_app.storage.rollback", module)
    return calls


def test_attach_to_an_older_copy_needs_accept_older(cli, journal, files, monkeypatch):
    entry = add_entry(cli, journal)
    picture = attach(cli, journal, entry, files / "sky.png")
    calls = pretend_older(monkeypatch)
    before = Snapshot.of(journal)
    refused = cli("attach", journal, entry, files / "evening.wav")
    assert refused.code == 5
    assert "--accept-older" in refused.err
    before.assert_unchanged(journal)
    assert len(blobs(journal)) == 1
    for argv in (("attachments",), ("extract", picture, "--out", files / "again.png")):
        read = cli(argv[0], journal, *argv[1:])
        assert read.code == 0, read.err
        assert "older than the copy" in read.err
    accepted = cli("attach", journal, entry, files / "evening.wav", "--accept-older")
    assert accepted.code == 0, accepted.err
    assert calls
