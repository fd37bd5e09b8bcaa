"""Saving and opening never hold the journal several times over in memory.

A 10k-entry journal is a ~40 MB image; each whole copy costs page faults and, made from
Python, freezes the UI thread. The save worker and the open must work in pieces: what
Python allocates while they run stays far below the image's size (the image itself, the
database's copy and the decrypted buffer are made outside Python's allocator).
"""

from __future__ import annotations

import io
import random
import tracemalloc

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage import fileformat as ff
from journal_app.storage import journalfile
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault, disk_digest
from tests.helpers.journals import make_journal, open_titles


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A journal with a ~16 MB image: one long entry of made-up words."""
    # Module-scoped: made before the per-test private folders are set, so this computer's
    # record of opened journals (storage.rollback) must be pointed away from the real one.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JOURNAL_APP_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        made = make_journal(tmp_path_factory.mktemp("big"), ("small",))
        rng = random.Random(4)
        words = [f"w{i}" for i in range(5000)]
        with Vault.open(made.path, made.secret) as vault:
            JournalRepository(vault.db).add_entry(
                Entry(EntryKind.FREE, "long",
                      " ".join(rng.choice(words) for _ in range(2 * 10**6))))
            vault.save()
    return made


def _peak_while(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_save_worker_makes_no_whole_copy_of_the_image(big):
    with Vault.open(big.path, big.secret) as vault:
        JournalRepository(vault.db).add_entry(
            Entry(EntryKind.FREE, "one more", "text"))
        job = vault.prepare_save(compact=True)
        image_size = len(job.image)
        assert image_size > 10 * 2**20
        peak = _peak_while(job.run)
        assert not vault.dirty
    assert peak < image_size / 2
    assert open_titles(big.path) == ["long", "one more", "small"]


def test_a_save_of_a_few_rows_copies_nothing_of_the_image(big):
    """An ordinary save appends the changed rows: neither the owner thread nor the
    worker touches the image (a copy of it would be ~16 MB here)."""
    with Vault.open(big.path, big.secret) as vault:
        image_size = len(vault.db.serialize())
        JournalRepository(vault.db).add_entry(Entry(EntryKind.FREE, "appended", "text"))
        jobs = []
        peak = _peak_while(lambda: jobs.append(vault.prepare_save()))
        assert jobs[0].image == b"" and jobs[0].payload is not None
        peak = max(peak, _peak_while(jobs[0].run))
        assert not vault.dirty and vault.records == 1
    # (~1 MiB of it is this computer's record of generations, read at each save.)
    assert peak < image_size / 8
    assert "appended" in open_titles(big.path)


def test_open_makes_no_whole_copy_of_the_file(big):
    size = big.path.stat().st_size
    opened: list[Vault] = []
    peak = _peak_while(lambda: opened.append(Vault.open(big.path, big.secret)))
    with opened[0] as vault:
        assert vault.db.conn.execute(
            "SELECT length(body) FROM entries WHERE title = 'long'").fetchone()[0] > 10**6
    assert peak < size / 2


class CountingFile(io.FileIO):
    """A file that counts the bytes read from it."""

    total = 0

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        CountingFile.total += len(data)
        return data

    def readinto(self, buffer) -> int:
        n = super().readinto(buffer)
        CountingFile.total += n or 0
        return n


def test_changed_on_disk_check_reads_only_the_head(big, monkeypatch):
    parsed = ff.parse(big.path.read_bytes())
    CountingFile.total = 0
    monkeypatch.setattr(journalfile, "open", lambda path, mode: CountingFile(path, "r"),
                        raising=False)
    assert disk_digest(big.path) == parsed.digest
    assert 0 < CountingFile.total <= parsed.body_start
