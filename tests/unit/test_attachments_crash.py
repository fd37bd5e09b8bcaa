"""kill -9 during attachment saves (issue 15): a process adding attachments, removing
others, deleting entries and saving in a loop (collection running as it goes) is killed
at random moments many times. After each kill the journal opens, every attachment it
refers to reads back and authenticates (no dangling reference), and no temp file of a
blob write outlives the next open. The children are real processes, forked by
tests/helpers/attachment_loop.py."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from journal_app.storage import blobs, filestore
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault
from tests.helpers import supervisor as supervisor_module
from tests.helpers.journals import make_journal, temp_files
from tests.helpers.supervisor import Supervisor

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"),
                                reason="the crash tests fork real processes (POSIX only)")

LOOP = Path(__file__).resolve().parents[1] / "helpers" / "attachment_loop.py"


@pytest.fixture(scope="module")
def supervisor(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JOURNAL_APP_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        mp.setattr(supervisor_module, "SERVER", LOOP)
        sup = Supervisor()
    yield sup
    sup.close()


def _dot_files(path: Path) -> list[str]:
    """Temp files in the attachments folder, looked for directly (not through filestore)."""
    folder = filestore.attachments_dir(path)
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) \
        if folder.exists() else []


def _check_whole(made) -> int:
    """The journal opens and every attachment it refers to reads back; their count."""
    journal = Journal(Vault.open(made.path, made.secret))
    try:
        attachments = journal.all_attachments()
        assert journal.verify_attachments() == []
        for attachment in attachments:
            assert len(journal.attachment_data(attachment)) == attachment.size
        names = {journal.vault.blobs.name(a.uid) for a in attachments}
        on_disk = {p.name for p in filestore.attachments_dir(made.path).iterdir()
                   if blobs.is_blob_name(p.name)} if attachments else set()
        assert names <= on_disk
        return len(attachments)
    finally:
        journal.close()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_kill_9_during_attachment_saves_never_leaves_a_dangling_reference(tmp_path,
                                                                          supervisor):
    made = make_journal(tmp_path, ("first",))
    rng = random.Random(15)
    collected = most = 0
    for _ in range(40):
        pid = supervisor.start("attach-loop", made.path)
        first = supervisor.expect("gen", pid)
        delay = rng.choice([0, rng.uniform(0, 0.005), rng.uniform(0, 0.05), rng.uniform(0, 0.2)])
        if delay:
            time.sleep(delay)
        printed = [first] + [w for w in supervisor.kill(pid) if w[0] == "gen"]
        last = max(int(w[2]) for w in printed)
        collected += int(printed[-1][3])
        with Vault.open(made.path, made.secret) as vault:  # recovers the lock, cleans up
            assert vault.generation in (last, last + 1)
        assert _dot_files(made.path) == [] and temp_files(made.path) == []
        most = max(most, _check_whole(made))
    assert most > 10  # the loop really kept attachments
    assert collected > 0  # and collection really ran between the kills
    for backup in filestore.list_backups(made.path):
        Vault.open(backup, made.secret, lock=False).close()


def test_kill_9_half_way_through_a_blob_write_leaves_no_blob_and_no_row(tmp_path,
                                                                        supervisor):
    made = make_journal(tmp_path, ())
    pid = supervisor.start("paused-blob", made.path)
    supervisor.expect("paused", pid)
    assert len(_dot_files(made.path)) == 1  # the half-written temp file
    assert [p for p in filestore.attachments_dir(made.path).iterdir()
            if blobs.is_blob_name(p.name)] == []  # nothing under a blob's name
    supervisor.kill(pid)
    assert len(temp_files(made.path)) == 1  # stale until the next open
    journal = Journal(Vault.open(made.path, made.secret))
    try:
        assert [e.title for e in journal.repo.list_entries()] == ["waits for a picture"]
        assert journal.all_attachments() == []
    finally:
        journal.close()
    assert _dot_files(made.path) == [] and temp_files(made.path) == []
    assert list(filestore.attachments_dir(made.path).iterdir()) == []
