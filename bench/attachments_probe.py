"""Bench probe, run as its own process: a text save with 0 and with 1 GiB of attachments.

    python -m bench.attachments_probe CONFIG.json      (QT_QPA_PLATFORM=offscreen)

CONFIG names two working copies of the same benchmark journal (``plain`` and ``attached``),
the passphrase, how many attachments of how many bytes to add to ``attached`` and how many
saves to time. Both journals are open at once in this process, each as the GUI holds it
(``OpenJournal``: prepare_save on the UI thread, ``job.run`` on a pool thread); the
attachments go in through ``Journal.add_attachment`` (deterministic pseudo-random 16-bit
PCM in WAV files, so nothing compresses) and are saved. Then text saves alternate between
the two journals (the order swapping every round), each timed exactly as
:func:`bench.app_probe.timed_saves` times a save. Prints one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QApplication

from bench.app_probe import KeySecret, Ticker, data_key, timed_saves
from bench.stats import peak_rss_mib
from journal_app.domain.attachments import Attachment, AttachmentKind
from journal_app.storage import filestore
from journal_app.storage.journal import Journal
from journal_app.storage.vault import SaveJob, Vault
from journal_app.ui.shell.open_journal import OpenJournal

SEED = 15
RATE = 48_000  # 16-bit mono: 96,000 bytes a second; 20 MB is about 3.6 minutes


def voice_note(index: int, size: int) -> bytes:
    """A ``size``-byte WAV file of seeded pseudo-random 16-bit mono PCM."""
    pcm = size - 44
    if pcm <= 0 or pcm % 2:
        raise ValueError("a voice note needs an even number of sample bytes")
    header = (b"RIFF" + struct.pack("<I", 36 + pcm) + b"WAVE"
              + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
              + b"data" + struct.pack("<I", pcm))
    return header + random.Random(SEED * 1000 + index).randbytes(pcm)


def disk_use(folder: Path) -> dict[str, int]:
    """Files, apparent bytes and allocated bytes (st_blocks) under ``folder``."""
    files = apparent = allocated = 0
    if folder.is_dir():
        for root, _dirs, names in os.walk(folder):
            for name in names:
                st = os.lstat(os.path.join(root, name))
                files += 1
                apparent += st.st_size
                allocated += st.st_blocks * 512
    return {"files": files, "bytes": apparent, "allocated": allocated}


def beside(path: Path) -> dict[str, dict[str, int]]:
    """Disk use of everything in the journal's folder, by name (the journal's own name
    replaced by ``<journal>``), so a blob folder under any name is seen."""
    out: dict[str, dict[str, int]] = {}
    for item in sorted(path.parent.iterdir()):
        name = item.name.replace(path.name, "<journal>")
        out[name] = disk_use(item) if item.is_dir() else disk_use_file(item)
    return out


def disk_use_file(item: Path) -> dict[str, int]:
    st = item.lstat()
    return {"files": 1, "bytes": st.st_size, "allocated": st.st_blocks * 512}


def drop_todays_backup(path: Path) -> None:
    """Make the next save the day's first again (it copies the journal to a backup)."""
    for backup in filestore.list_backups(path):
        if backup.name.endswith("." + dt.date.today().isoformat()):
            backup.unlink()


def one_save(journal: OpenJournal, ticker: Ticker) -> dict:
    """One text edit and its save, timed by the same code as the app probe's saves; also
    how long of the worker's part went to looking for blobs to collect (``collect``)."""
    vault = journal.vault
    original = vault._collect
    spent: list[float] = []

    def collect(job: SaveJob) -> None:
        t = time.perf_counter()
        try:
            original(job)
        finally:
            spent.append(time.perf_counter() - t)

    vault._collect = collect  # type: ignore[method-assign]
    try:
        result = timed_saves(SimpleNamespace(journal=journal), ticker, 1)[0]
    finally:
        del vault._collect  # the class's method again
    return {**result, "collect": sum(spent)}


def add_attachments(journal: Journal, count: int, size: int,
                    ) -> tuple[list[float], list[Attachment]]:
    """``count`` voice notes on the newest entries (the edited one first): seconds each."""
    entries = journal.repo.list_entries(limit=count)
    times: list[float] = []
    added: list[Attachment] = []
    for i in range(count):
        data = voice_note(i, size)
        entry_id = entries[i % len(entries)].id
        assert entry_id is not None
        t = time.perf_counter()
        added.append(journal.add_attachment(entry_id, AttachmentKind.VOICE, data))
        times.append(time.perf_counter() - t)
        del data
    return times, added


def alternate(journals: dict[str, OpenJournal], ticker: Ticker, rounds: int,
              before: Callable[[OpenJournal], None] | None = None) -> dict[str, list[dict]]:
    """``rounds`` saves of each journal, taking turns; who goes first swaps every round."""
    names = list(journals)
    out: dict[str, list[dict]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            if before:
                before(journals[name])
            out[name].append(one_save(journals[name], ticker))
    return out


def sitting_saves(paths: dict[str, Path], key: bytes, ticker: Ticker, rounds: int,
                  ) -> dict[str, list[dict]]:
    """Open, one text save, close: the first save of a sitting, taking turns."""
    out: dict[str, list[dict]] = {name: [] for name in paths}
    for r in range(rounds):
        for name in list(paths) if r % 2 == 0 else list(paths)[::-1]:
            journal = OpenJournal(Vault.open(paths[name], KeySecret(key=key)))
            try:
                out[name].append(one_save(journal, ticker))
            finally:
                journal.close()
    return out


def week_of_backups(path: Path) -> int:
    """Copies of today's backup under the previous days' names (a journal in daily use
    keeps ``BACKUP_KEEP``); returns how many backups there are."""
    today = dt.date.today()
    source = filestore.backup_dir(path) / f"{path.name}.{today.isoformat()}"
    for days in range(1, filestore.BACKUP_KEEP):
        target = source.with_name(f"{path.name}.{(today - dt.timedelta(days)).isoformat()}")
        if not target.exists():
            shutil.copyfile(source, target)
    return len(filestore.list_backups(path))


def age_blobs(path: Path, seconds: float) -> int:
    """Date the blob files back, as if written in an earlier sitting."""
    then = time.time() - seconds
    files = [f for f in filestore.attachments_dir(path).iterdir() if f.is_file()]
    for f in files:
        os.utime(f, (then, then))
    return len(files)


def pending_collection(journals: dict[str, OpenJournal], paths: dict[str, Path], key: bytes,
                       ticker: Ticker, removed: Attachment, rounds: int) -> dict:
    """Remove one voice note and save, close; in later sittings its blob is unreferenced
    but a backup still refers to it, so each sitting's first save reads the backups."""
    assert removed.id is not None
    journals["attached"].data.remove_attachment(removed.id)
    one_save(journals["attached"], ticker)
    for journal in journals.values():
        journal.close()
    out: dict = {"backups": {name: week_of_backups(path) for name, path in paths.items()},
                 "blobs_aged": age_blobs(paths["attached"], 3600)}
    out["saves"] = sitting_saves(paths, key, ticker, rounds)
    out["blobs_after"] = disk_use(filestore.attachments_dir(paths["attached"]))["files"]
    return out


def time_opens(paths: dict[str, Path], key: bytes, rounds: int) -> dict[str, list[float]]:
    """``Vault.open`` + ``Journal`` (read, decrypt, deserialize, migrate check; no KDF)."""
    out: dict[str, list[float]] = {name: [] for name in paths}
    for r in range(rounds):
        for name in list(paths) if r % 2 == 0 else list(paths)[::-1]:
            t = time.perf_counter()
            vault = Vault.open(paths[name], KeySecret(key=key))
            Journal(vault)
            out[name].append(time.perf_counter() - t)
            vault.close()
    return out


def main() -> int:
    config = json.loads(Path(sys.argv[1]).read_text())
    paths = {name: Path(config[name]) for name in ("plain", "attached")}
    app = QApplication.instance() or QApplication(sys.argv[:1])
    ticker = Ticker()
    ticker.wait(lambda: len(ticker.ticks) > 50)
    key = data_key(paths["plain"], config["passphrase"])  # the head only
    journals = {name: OpenJournal(Vault.open(path, KeySecret(key=key)))
                for name, path in paths.items()}
    out: dict = {"count": config["count"], "size": config["size"], "rounds": config["rounds"]}
    rss = out["peak_rss_by_stage"] = {"both journals open": peak_rss_mib()}

    t = time.perf_counter()
    out["add_seconds"], added = add_attachments(journals["attached"].data, config["count"],
                                                config["size"])
    out["add_all_seconds"] = time.perf_counter() - t  # includes making the WAV bytes
    rss["attachments added"] = peak_rss_mib()
    # Each journal's first save today: the day's backup copy, and for ``attached`` the
    # rows that reference the new blobs.
    out["first_save"] = {name: one_save(j, ticker) for name, j in journals.items()}
    rss["first saves"] = peak_rss_mib()

    out["day_first_saves"] = alternate(journals, ticker, config["day_first_rounds"],
                                       before=lambda j: drop_todays_backup(j.vault.path))
    out["saves"] = alternate(journals, ticker, config["rounds"])
    rss["timed saves"] = peak_rss_mib()

    out["image_bytes"] = {n: len(j.vault.db.serialize()) for n, j in journals.items()}
    out["file_bytes"] = {n: j.vault.path.stat().st_size for n, j in journals.items()}
    if added:
        reads = []
        for att in added[:config["read_reps"]]:
            t = time.perf_counter()
            data = journals["attached"].data.attachment_data(att)
            reads.append(time.perf_counter() - t)
            if len(data) != config["size"]:
                raise RuntimeError("an attachment read back at the wrong size")
            del data
        out["read_seconds"] = reads
        out["attachments_listed"] = len(journals["attached"].data.all_attachments())
    rss["attachments read back"] = peak_rss_mib()
    out["disk"] = {name: beside(path) for name, path in paths.items()}
    if added:
        out["pending"] = pending_collection(journals, paths, key, ticker, added[-1],
                                            config["sitting_rounds"])
        rss["sittings with a collection pending"] = peak_rss_mib()
    else:
        for journal in journals.values():
            journal.close()
    out["open_seconds"] = time_opens(paths, key, config["open_rounds"])
    rss["journals reopened"] = peak_rss_mib()
    out["peak_rss_mib"] = peak_rss_mib()
    app.processEvents()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
