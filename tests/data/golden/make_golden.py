"""Write the golden journal files that every later version of the app must still open.

Run from the repository root::

    uv run python tests/data/golden/make_golden.py            # adds files that are missing
    uv run python tests/data/golden/make_golden.py --force    # rewrites them (don't, once released)

For each schema revision in ``REVISIONS`` (plus the current head) it writes
``journal-v<format>-rev<revision>.ijournal`` and a JSON sidecar with the passphrase, the
recovery key, the KDF parameters and every entry, session and meta row stored in it. The
content is inserted with plain SQL against the schema *of that revision*, so this script
keeps working when later migrations change the ORM tables. Golden files are committed and
never regenerated after a release: they are the proof that old files still open.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import struct
import sys
import zlib
from pathlib import Path

from alembic import command

from journal_app.storage import fileformat as ff
from journal_app.storage import filestore
from journal_app.storage.blobs import BlobStore
from journal_app.storage.database import Database, alembic_config, head_revision
from journal_app.storage.keys import format_recovery_key, new_recovery_key
from journal_app.storage.vault import Vault

HERE = Path(__file__).resolve().parent
PASSPHRASE = "golden: Ärger über Öl, ﬁne 🌱"  # non-ASCII on purpose: keys derive from its NFC form
KDF = ff.KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
REVISIONS = ("0001",)  # every older schema a released app wrote; head is added

SESSIONS = [
    {"id": 1, "uid": "5e55" + "0" * 28, "starts_at": "2024-02-05T09:30:00+01:00",
     "modality": "iv-infusion", "setting": "clinic", "number": 1,
     "provider": "Dr. Example", "notes": "First infusion; nurse Ana.",
     "created_at": "2024-02-01T20:00:00+01:00", "updated_at": "2024-02-05T13:00:00+01:00"},
    {"id": 2, "uid": "5e55" + "0" * 27 + "1", "starts_at": "2024-02-08T09:30:00+01:00",
     "modality": "im-injection", "setting": "clinic", "number": 2,
     "provider": "", "notes": "",
     "created_at": "2024-02-06T20:00:00+01:00", "updated_at": "2024-02-06T20:00:00+01:00"},
]

ENTRIES = [
    {"id": 1, "uid": "e" * 32, "kind": "preparation", "title": "Before the first session",
     "body": "# Intention\n\nTo meet the fear *kindly*.\n\n- breathe\n- notice",
     "private": False, "created_at": "2024-02-04T21:15:00+01:00",
     "updated_at": "2024-02-04T21:40:00+01:00", "session_id": 1,
     "tags": ["intention", "fear"]},
    {"id": 2, "uid": "e" * 31 + "1", "kind": "integration", "title": "Afterwards",
     "body": "Colours, then my grandmother's kitchen. Ça va. 日本語. עברית. 🌊",
     "private": True, "created_at": "2024-02-05T18:05:00+01:00",
     "updated_at": "2024-02-06T08:00:00+01:00", "session_id": 1,
     "tags": ["grief", "family"]},
    {"id": 3, "uid": "e" * 31 + "2", "kind": "free", "title": "",
     "body": "A walk by the river.\n\n> quoted line\n\n```\ncode-ish\n```",
     "private": False, "created_at": "2024-02-07T07:00:00+01:00",
     "updated_at": "2024-02-07T07:00:00+01:00", "session_id": None, "tags": []},
]

META = {"journal.title": "Golden journal", "journal.created_with": "make_golden.py"}

# Care data, only for revisions that have its tables (0002 and later).
CHECK_INS = [
    {"id": 1, "uid": "c" * 32, "measure": "phq9", "measure_version": 1,
     "answers": "[1, 2, 1, 0, 1, 2, 0, 1, 0]", "taken_at": "2024-02-04T21:00:00+01:00",
     "session_id": 1, "note": "before", "created_at": "2024-02-04T21:00:00+01:00"},
]
PRACTICES = [
    {"id": 1, "uid": "a" * 32, "session_id": 1, "domain": "body",
     "description": "Ten minutes of slow walking each morning.",
     "chosen_at": "2024-02-06T09:00:00+01:00", "outcome": "partly",
     "outcome_note": "Most days.", "outcome_at": "2024-02-13T09:00:00+01:00"},
]



def _tiny_png() -> bytes:
    """A 3×2 RGB picture, built byte by byte so the golden bytes never depend on a library."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    rows = b"".join(b"\x00" + bytes([40 * y, 120, 200 - 40 * y]) * 3 for y in range(2))
    return b"".join([b"\x89PNG\r\n\x1a\n",
                     chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0)),
                     chunk(b"IDAT", zlib.compress(rows)), chunk(b"IEND", b"")])


# Attachments, only for revisions that have their table (0003 and later): the row, and its
# encrypted blob in the golden file's ``.attachments`` folder.
ATTACHMENT_BYTES = _tiny_png()
ATTACHMENTS = [
    {"id": 1, "uid": "a77a" + "0" * 28, "entry_id": 3, "kind": "drawing",
     "media_type": "image/png", "size": len(ATTACHMENT_BYTES),
     "created_at": "2024-02-07T07:05:00+01:00", "duration_ms": None, "width": 3,
     "height": 2},
]


# Format 3 files hold change records after the base. Each pair: the SQL that puts the base
# in the state before, then the one change a save appends as a record (plain SQL on tables
# outside the search index, so it holds for every schema revision since 0001): a row
# changed, a row added, a row deleted.
RECORDED = [
    (("UPDATE sessions SET notes = 'a draft note' WHERE id = 2", ()),
     ("UPDATE sessions SET notes = '' WHERE id = 2", ())),
    (("DELETE FROM journal_meta WHERE key = 'journal.created_with'", ()),
     ("INSERT INTO journal_meta (key, value) VALUES ('journal.created_with', ?)",
      (META["journal.created_with"],))),
    (("INSERT INTO journal_meta (key, value) VALUES ('journal.removed', 'gone later')", ()),
     ("DELETE FROM journal_meta WHERE key = 'journal.removed'", ())),
]


def _insert(db: Database, table: str, row: dict) -> None:
    cols = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    db.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", row)


def fill(db: Database, revision: str) -> dict:
    """Insert the known content with plain SQL; return what was stored."""
    db.conn.execute("BEGIN")
    for session in SESSIONS:
        _insert(db, "sessions", session)
    tag_ids: dict[str, int] = {}
    for entry in ENTRIES:
        _insert(db, "entries", {k: v for k, v in entry.items() if k != "tags"})
        for tag in entry["tags"]:
            if tag not in tag_ids:
                tag_ids[tag] = len(tag_ids) + 1
                _insert(db, "tags", {"id": tag_ids[tag], "name": tag})
            _insert(db, "entry_tags", {"entry_id": entry["id"], "tag_id": tag_ids[tag]})
        db.conn.execute(
            "INSERT INTO entries_fts (rowid, title, body, tags) VALUES (?, ?, ?, ?)",
            (entry["id"], entry["title"], entry["body"], " ".join(entry["tags"])),
        )
    for key, value in META.items():
        _insert(db, "journal_meta", {"key": key, "value": value})
    stored = {"sessions": SESSIONS, "entries": ENTRIES, "meta": META}
    if revision != "0001":
        for row in CHECK_INS:
            _insert(db, "check_ins", row)
        for row in PRACTICES:
            _insert(db, "practices", row)
        stored |= {"check_ins": CHECK_INS, "practices": PRACTICES}
    if revision >= "0003":
        for row in ATTACHMENTS:
            _insert(db, "attachments", row)
        stored |= {"attachments": [
            row | {"data": base64.b64encode(ATTACHMENT_BYTES).decode("ascii")}
            for row in ATTACHMENTS]}
    db.conn.execute("COMMIT")
    return stored


def upgrade_to(db: Database, revision: str) -> None:
    cfg = alembic_config()
    try:
        with db.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
    finally:
        cfg.attributes.pop("connection", None)


def write_golden(revision: str, force: bool) -> Path | None:
    path = HERE / f"journal-v{ff.FORMAT_VERSION}-rev{revision}.ijournal"
    if path.exists() and not force:
        return None
    path.unlink(missing_ok=True)
    db = Database()
    upgrade_to(db, revision)
    assert db.revision() == revision
    stored = fill(db, revision)
    data_key = ff.random_data_key()
    recovery = new_recovery_key()
    header = ff.Header(ff.new_meta(data_key), [
        ff.passphrase_slot(data_key, PASSPHRASE, KDF),
        ff.recovery_slot(data_key, recovery),
    ])
    # The real save path, but without Vault.create (which would migrate to head).
    vault = Vault(path, db, data_key, header, 0, None, None)
    for row in stored.get("attachments", []):  # the blob first, as the app writes it
        BlobStore(path, data_key).write(row["uid"], base64.b64decode(row["data"]))
    records = RECORDED if ff.FORMAT_VERSION >= ff.RECORDS_FROM else ()
    for sql, args in (step[0] for step in records):  # the base holds the state before
        db.conn.execute(sql, args)
    generation = vault.save()
    for _before, (sql, args) in records:  # each change a save of its own: one record
        db.conn.execute(sql, args)
        generation = vault.save()
    assert vault.records == len(records)
    vault.close()  # no instance lock: the records are kept, not compacted
    shutil.rmtree(filestore.backup_dir(path), ignore_errors=True)  # the day's copy: not golden
    sidecar = {
        "file": path.name,
        "format_version": ff.FORMAT_VERSION,
        "schema_revision": revision,
        "generation": generation,
        "change_records": len(records),
        "passphrase": PASSPHRASE,
        "recovery_key": format_recovery_key(recovery),
        "kdf": KDF.to_json(),
        **stored,
    }
    path.with_suffix(".json").write_text(
        json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rewrite existing golden files")
    args = parser.parse_args(argv)
    for revision in dict.fromkeys((*REVISIONS, head_revision())):
        written = write_golden(revision, args.force)
        print(f"{revision}: {'wrote ' + written.name if written else 'exists, kept'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
