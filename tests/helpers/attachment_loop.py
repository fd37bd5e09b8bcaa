"""Children for the attachment crash tests: tests/helpers/save_loop.py's fork server with
two more modes (run this file instead of save_loop.py; tests/unit/test_attachments_crash.py
does, through tests.helpers.supervisor)::

    attach-loop PATH  ->  started PID, then "gen PID N REMOVED" after each save: adds
                          entries and attachments, removes attachments of earlier
                          sittings, deletes an entry now and then, saves; collection
                          runs with no grace period (REMOVED: blobs it deleted so far)
    paused-blob PATH  ->  started PID, then "paused PID" half-way through writing a blob
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from journal_app.domain.attachments import AttachmentKind
from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage import blob_gc
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Secret, Vault
from tests.helpers import save_loop
from tests.helpers.attachment_files import png, wav
from tests.helpers.journals import PASSPHRASE
from tests.helpers.save_loop import say


def _bytes(rng: random.Random) -> tuple[AttachmentKind, bytes]:
    if rng.random() < 0.5:  # up to ~2 MB: a kill often lands in a blob's write
        return AttachmentKind.VOICE, wav(rng.uniform(0.05, 20.0), rate=rng.choice(
            (8000, 44100)), seed=rng.randrange(250))
    side = rng.randrange(8, 300)
    return AttachmentKind.IMAGE, png(side, side, seed=rng.randrange(250))


def attach_loop(path: Path) -> None:
    blob_gc.GRACE_SECONDS = 0.0  # this child only: collect as soon as the rules allow
    journal = Journal(Vault.open(path, Secret(passphrase=PASSPHRASE)))
    rng = random.Random(os.getpid())
    earlier = [a.id for a in journal.all_attachments()]  # removable: not this sitting's
    rng.shuffle(earlier)
    step = 0
    while True:
        step += 1
        entries = [e.id for e in journal.repo.list_entries()]
        if not entries or rng.random() < 0.3:
            entries.append(journal.repo.add_entry(Entry(EntryKind.FREE, f"e{step}", "x")).id)
        kind, data = _bytes(rng)
        journal.add_attachment(rng.choice(entries), kind, data)
        if earlier and step % 2 == 0:
            journal.remove_attachment(earlier.pop())
        if step % 9 == 0 and len(entries) > 3:
            journal.repo.delete_entry(entries[0])
            earlier = [a for a in earlier if journal.attachments.rows.get(a) is not None]
        say("gen", os.getpid(), journal.save(), journal.vault._collector.removed)


def paused_blob(path: Path) -> None:
    journal = Journal(Vault.open(path, Secret(passphrase=PASSPHRASE)))
    entry = journal.repo.add_entry(Entry(EntryKind.FREE, "waits for a picture", "x"))
    journal.save()

    def half_then_stop(fd: int, view: memoryview) -> int:
        written = os.write(fd, view[: len(view) // 2])
        os.fsync(fd)
        say("paused", os.getpid())
        while True:
            time.sleep(60)
        return written  # pragma: no cover

    journal.vault.blobs._writer = half_then_stop
    assert entry.id is not None
    journal.add_attachment(entry.id, AttachmentKind.IMAGE, png(200, 200))


save_loop.MODES.update({"attach-loop": attach_loop, "paused-blob": paused_blob})

if __name__ == "__main__":
    save_loop.main()
