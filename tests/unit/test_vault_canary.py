"""Storage-level canary scan (vault.md guarantee 1; the GUI-session scan is test 10).

Unique strings go into every kind of text the storage layer keeps: entry bodies, titles,
tags, session notes and providers, journal meta, full-text searches. After saving,
reopening, changing the passphrase and making backups, none of them may appear in the
journal folder, its backups, the app's folders or the temp folder, in UTF-8 or UTF-16.
A deleted entry's canary must also be gone from the decrypted database image.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage import fileformat as ff
from journal_app.storage import search
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault, change_passphrase_file
from tests.helpers.journals import FAST_KDF, PASSPHRASE, sample_session


def canary(label: str) -> str:
    return f"canary{label}{secrets.token_hex(8)}"


def encodings(text: str) -> list[bytes]:
    out = []
    for variant in {text, text.lower(), text.upper()}:
        for codec in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append(variant.encode(codec))
    return out


def hits(folders: list[Path], needles: dict[str, list[bytes]]) -> list[tuple[str, str]]:
    found = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = Path(root) / name
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                found += [(label, str(path)) for label, forms in needles.items()
                          if any(form in data or form in name.encode() for form in forms)]
    return found


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The temp folder, for Python and for SQLite, is one we can scan completely."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    for var in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_canaries_never_reach_the_disk(tmp_path, private_tmp, private_dirs):
    c = {k: canary(k) for k in ("body", "title", "tag", "notes", "provider", "meta",
                                "search", "deleted", "quick")}
    path = tmp_path / "journal" / "journal.ijournal"
    vault, recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    repo = JournalRepository(vault.db)
    session = repo.add_session(sample_session(notes=f"notes {c['notes']}",
                                              provider=c["provider"]))
    for i in range(30):
        repo.add_entry(Entry(EntryKind.INTEGRATION, f"{c['title']} {i}",
                             f"I wrote {c['body']} today. " * 20, tags=(c["tag"],),
                             session_id=session.id))
    repo.set_meta("journal.note", c["meta"])
    doomed = repo.add_entry(Entry(EntryKind.FREE, c["deleted"], f"{c['deleted']} " * 50,
                                  tags=(c["deleted"],)))
    vault.save()
    assert repo.search(c["search"]) == []
    repo.delete_entry(doomed.id)
    vault.save()
    assert c["deleted"].encode() not in vault.db.serialize()
    vault.save()
    vault.save_copy(tmp_path / "journal" / "copy.ijournal")
    vault.close()
    change_passphrase_file(path, Secret(passphrase=PASSPHRASE), "new " + PASSPHRASE, FAST_KDF)
    with Vault.open(path, Secret(recovery_key=recovery)) as reopened:
        r2 = JournalRepository(reopened.db)
        assert len(r2.search(c["body"])) == 30
        assert r2.search(c["deleted"]) == []
        r2.add_entry(Entry(EntryKind.QUICK_CAPTURE, "", c["quick"]))
        reopened.save()
        image = reopened.db.serialize()

    # The scan can see plaintext: the decrypted image does hold the live canaries.
    for label in ("body", "title", "tag", "notes", "provider", "meta", "quick"):
        assert c[label].encode() in image, label
    # A deleted entry leaves no trace in the image: not in its rows, tags or index.
    assert not [form for form in encodings(c["deleted"]) if form in image]
    parsed = ff.parse(path.read_bytes())
    saved = bytes(ff.decrypt(parsed, Secret(recovery_key=recovery).unlock(parsed)).image)
    assert c["quick"].encode() in saved  # the scan sees the saved plaintext
    assert not [form for form in encodings(c["deleted"]) if form in saved]

    needles = {label: encodings(text) for label, text in c.items()}
    scanned = [path.parent, private_tmp, private_dirs]
    assert sum(1 for f in scanned for _ in os.walk(f)) > 0
    assert hits(scanned, needles) == []


def _decrypted_file(path: Path, secret: Secret) -> bytes:
    """Everything the file holds, decrypted: the base image and each record's rows."""
    from journal_app.storage import journalfile

    loaded = journalfile.read_journal(path, secret)
    return bytes(loaded.body.image) + b"".join(r.payload for r in loaded.log.records)


def test_deleted_text_leaves_the_file_when_the_sitting_closes(tmp_path, private_dirs):
    """Saves append change records, so until the journal is compacted a deleted entry's
    text is still in the file (encrypted: in the base, or in an earlier record). Closing
    (lock, quit) compacts: after the sitting's last save it is gone."""
    c = {k: canary(k) for k in ("kept", "deleted", "edited")}
    path = tmp_path / "journal.ijournal"
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    secret = Secret(passphrase=PASSPHRASE)
    with Vault.open(path, secret) as vault:
        repo = JournalRepository(vault.db)
        doomed = repo.add_entry(Entry(EntryKind.FREE, c["deleted"], f"{c['deleted']} " * 5))
        edited = repo.add_entry(Entry(EntryKind.FREE, "title", f"was {c['edited']}"))
        vault.save()
        repo.delete_entry(doomed.id)
        repo.update_entry(edited.__class__(**{**edited.__dict__, "body": c["kept"]}))
        vault.save()
        assert vault.records == 2
        assert c["deleted"].encode() in _decrypted_file(path, secret)  # still, until closed
        search.purge_removed_words(vault.db)  # as the GUI's lock does, for edited words
        vault.save()
    whole = _decrypted_file(path, secret)
    assert c["kept"].encode() in whole
    for label in ("deleted", "edited"):
        assert not [form for form in encodings(c[label]) if form in whole], label
