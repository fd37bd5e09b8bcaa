"""vault.md tests 1 and 13: golden files open forever; migrations keep everything.

The golden files under tests/data/golden/ were written by make_golden.py and committed;
they are never regenerated, so these tests prove that files from earlier versions of the
app still open.
"""

from __future__ import annotations

import base64
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from journal_app.errors import MigrationError, TooNewError
from journal_app.storage import database
from journal_app.storage import fileformat as ff
from journal_app.storage.journal import Journal
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.data.golden import make_golden
from tests.helpers.journals import make_journal, snapshot

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
SIDECARS = sorted(GOLDEN.glob("journal-v*-rev*.json"))


def _load(sidecar: Path, tmp_path: Path) -> tuple[dict, Path]:
    """The sidecar's facts and a private copy of its journal (tests never touch the original)."""
    facts = json.loads(sidecar.read_text(encoding="utf-8"))
    copy = tmp_path / "golden" / facts["file"]
    copy.parent.mkdir()
    shutil.copyfile(GOLDEN / facts["file"], copy)
    blobs = GOLDEN / (facts["file"] + ".attachments")
    if blobs.is_dir():
        shutil.copytree(blobs, copy.with_name(blobs.name))
    return facts, copy


def _assert_content(vault: Vault, facts: dict) -> None:
    repo = JournalRepository(vault.db)
    sessions = {s.uid: s for s in repo.list_sessions()}
    assert sorted(sessions) == sorted(s["uid"] for s in facts["sessions"])
    for want in facts["sessions"]:
        got = sessions[want["uid"]]
        assert got.starts_at.isoformat() == want["starts_at"]
        assert (got.modality.value, got.setting.value) == (want["modality"], want["setting"])
        assert (got.number, got.provider, got.notes) == (
            want["number"], want["provider"], want["notes"])
    session_uid = {s.id: s.uid for s in sessions.values()}
    entries = {e.uid: e for e in repo.list_entries()}
    assert sorted(entries) == sorted(e["uid"] for e in facts["entries"])
    for want in facts["entries"]:
        got = entries[want["uid"]]
        assert (got.kind.value, got.title, got.body, got.private) == (
            want["kind"], want["title"], want["body"], want["private"])
        assert sorted(got.tags) == sorted(want["tags"])
        assert got.created_at.isoformat() == want["created_at"]
        assert got.updated_at.isoformat() == want["updated_at"]
        want_session = next((s["uid"] for s in facts["sessions"]
                             if s["id"] == want["session_id"]), None)
        assert session_uid.get(got.session_id) == want_session
    for key, value in facts["meta"].items():
        assert repo.get_meta(key) == value
    journal = Journal(vault)
    for want in facts.get("attachments", []):
        got = journal.attachment(want["id"])
        assert (got.uid, got.entry_id, got.kind.value, got.media_type, got.size) == (
            want["uid"], want["entry_id"], want["kind"], want["media_type"], want["size"])
        assert journal.attachment_data(got) == base64.b64decode(want["data"])
    for table in ("check_ins", "practices"):
        for want in facts.get(table, []):
            row = vault.db.conn.execute(
                f"SELECT * FROM {table} WHERE uid = ?", (want["uid"],)).fetchone()
            assert row is not None, f"{table} row lost"
            cols = [d[0] for d in vault.db.conn.execute(f"SELECT * FROM {table}").description]
            got_row = dict(zip(cols, row, strict=True))
            assert {k: got_row[k] for k in want} == want


def test_v01_golden_files_exist_for_every_released_schema():
    revisions = {json.loads(p.read_text(encoding="utf-8"))["schema_revision"] for p in SIDECARS}
    assert set(make_golden.REVISIONS) <= revisions
    formats = {json.loads(p.read_text(encoding="utf-8"))["format_version"] for p in SIDECARS}
    assert ff.FORMAT_VERSION in formats
    for sidecar in SIDECARS:
        assert (GOLDEN / sidecar.with_suffix(".ijournal").name).is_file()


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.stem)
def test_v01_golden_file_opens_with_passphrase_and_keeps_content(sidecar, tmp_path):
    facts, path = _load(sidecar, tmp_path)
    before = path.read_bytes()
    parsed = ff.parse(before)
    assert parsed.version == facts["format_version"]
    assert parsed.header.slot("passphrase").kdf == ff.KdfParams(
        facts["kdf"]["memory_kib"], facts["kdf"]["iterations"], facts["kdf"]["lanes"])
    with Vault.open(path, Secret(passphrase=facts["passphrase"])) as vault:
        assert vault.generation == facts["generation"]
        _assert_content(vault, facts)
    assert path.read_bytes() == before  # opening (and migrating in memory) writes nothing


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.stem)
def test_v01_golden_file_opens_with_recovery_key(sidecar, tmp_path):
    facts, path = _load(sidecar, tmp_path)
    with Vault.open(path, Secret(recovery_key=facts["recovery_key"])) as vault:
        _assert_content(vault, facts)


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.stem)
def test_v13_golden_file_migrates_to_head_and_keeps_everything(sidecar, tmp_path):
    facts, path = _load(sidecar, tmp_path)
    secret = Secret(passphrase=facts["passphrase"])
    with Vault.open(path, secret) as vault:
        assert vault.db.revision() == database.head_revision()
        vault.save()
    with Vault.open(path, secret) as vault:
        assert vault.db.revision() == database.head_revision()
        assert vault.generation == facts["generation"] + 1
        _assert_content(vault, facts)
        hits = JournalRepository(vault.db).search("grandmother")
        assert [h.entry.uid for h in hits] == [facts["entries"][1]["uid"]]


def test_v13_revision_0001_golden_is_really_at_0001(tmp_path):
    """Guards the fixture: the 0001 golden file must not have been written at head."""
    facts, path = _load(GOLDEN / "journal-v1-rev0001.json", tmp_path)
    vault = Vault(path, *_decrypt_without_migrating(path, facts["passphrase"]))
    try:
        assert vault.db.revision() == "0001"
        tables = {r[0] for r in vault.db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "entries" in tables and "check_ins" not in tables
    finally:
        vault.db.close()


def _decrypt_without_migrating(path: Path, passphrase: str) -> tuple:
    parsed = ff.parse(path.read_bytes())
    key = Secret(passphrase=passphrase).unlock(parsed)
    body = ff.decrypt(parsed, key)
    return database.Database(body.image), key, parsed.header, body.generation, parsed.digest, None


# --------------------------------------------------------------------------- failing migration

_FAILING_REVISION = '''
    """A migration that breaks half-way (test only)."""
    import sqlalchemy as sa
    from alembic import op

    revision = "9001"
    down_revision = "{head}"
    branch_labels = None
    depends_on = None


    def upgrade() -> None:
        op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
        op.execute("DELETE FROM entries")
        raise RuntimeError("migration 9001 fails on purpose")


    def downgrade() -> None:
        pass
'''


@pytest.fixture
def failing_migrations(tmp_path, monkeypatch):
    """Point the app at a copy of its migrations with one extra revision that raises (and
    its revision constants at that revision, as a release adding it would)."""
    copy = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    head = database.head_revision()
    (copy / "versions" / "9001_fails.py").write_text(
        textwrap.dedent(_FAILING_REVISION).format(head=head), encoding="utf-8")
    monkeypatch.setattr(database, "HEAD_REVISION", "9001")
    monkeypatch.setattr(database, "KNOWN_REVISIONS", (*database.KNOWN_REVISIONS, "9001"))
    original = database.MIGRATIONS
    database.MIGRATIONS = copy
    database.alembic_config.cache_clear()
    database.script_directory.cache_clear()
    try:
        assert database.head_revision() == "9001"
        yield copy
    finally:
        database.MIGRATIONS = original
        database.alembic_config.cache_clear()
        database.script_directory.cache_clear()


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.stem)
def test_v13_failing_migration_leaves_original_untouched(sidecar, tmp_path,
                                                         failing_migrations):
    facts, path = _load(sidecar, tmp_path)
    (path.parent / (path.name + ".lock")).touch()  # as after any earlier open
    before = snapshot(path.parent)
    with pytest.raises(MigrationError) as info:
        Vault.open(path, Secret(passphrase=facts["passphrase"]))
    assert "not changed" in str(info.value)
    assert snapshot(path.parent) == before
    # The vault released its lock: once the migration is fixed, the journal opens.
    failing_migrations.joinpath("versions", "9001_fails.py").unlink()
    database.script_directory.cache_clear()
    with Vault.open(path, Secret(passphrase=facts["passphrase"])) as vault:
        _assert_content(vault, facts)


def test_v13_unknown_newer_schema_revision_is_too_new(tmp_path):
    made = make_journal(tmp_path)
    with Vault.open(made.path, made.secret) as vault:
        vault.db.conn.execute("UPDATE alembic_version SET version_num = '9999'")
        vault.mark_dirty()
        vault.save()
    before = snapshot(tmp_path)
    with pytest.raises(TooNewError) as info:
        Vault.open(made.path, made.secret)
    assert "newer version" in str(info.value)
    assert snapshot(tmp_path) == before


def test_v13_newer_file_format_is_too_new_and_not_touched(tmp_path):
    made = make_journal(tmp_path)
    parsed = ff.parse(made.path.read_bytes())
    made.path.write_bytes(ff.assemble(ff.FORMAT_VERSION + 1, parsed.header, parsed.salt,
                                      parsed.nonce, parsed.ciphertext))
    before = snapshot(tmp_path)
    with pytest.raises(TooNewError):
        Vault.open(made.path, made.secret)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("with_records", [False, True])
def test_v06_a_format_3_file_is_refused_unchanged_by_the_reader_of_format_2(
        tmp_path, monkeypatch, with_records):
    """Format 2's own rules (its version constants; change records unknown, so any bytes
    after the body are "appended"): a compacted format 3 file is "too new"; one with
    records is "damaged". Neither is written."""
    from journal_app.errors import CorruptFileError, JournalError

    made = make_journal(tmp_path, ("new",))
    if with_records:
        vault = Vault.open(made.path, made.secret)
        vault.mark_dirty()
        vault.save()
        vault.close(compact=False)
    before = snapshot(made.path.parent)
    monkeypatch.setattr(ff, "FORMAT_VERSION", 2)
    monkeypatch.setattr(ff, "SUPPORTED_FORMATS", (1, 2))
    monkeypatch.setattr(ff, "RECORDS_FROM", 99)
    with pytest.raises(JournalError) as info:
        Vault.open(made.path, made.secret)
    assert type(info.value) is (CorruptFileError if with_records else TooNewError)
    assert snapshot(made.path.parent) == before


def test_v01_the_format_3_golden_file_has_change_records():
    facts = json.loads((GOLDEN / "journal-v3-rev0003.json").read_text(encoding="utf-8"))
    data = (GOLDEN / facts["file"]).read_bytes()
    assert facts["change_records"] == 3 and len(data) > ff.parse(data).body_end
