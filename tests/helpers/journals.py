"""Small factories and checks for tests of the journal file.

Everything here goes through the real save path (``Vault.create`` / ``Vault.save``) with
the fast KDF, so the tests exercise the same bytes a user's journal has.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.storage import filestore
from journal_app.storage.fileformat import KdfParams
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault

FAST_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
PASSPHRASE = "correct horse battery staple"
NAME = "journal.ijournal"


@dataclass
class Made:
    """A journal on disk, closed, plus what opens it."""

    path: Path
    recovery_key: str
    titles: list[str]

    @property
    def secret(self) -> Secret:
        return Secret(passphrase=PASSPHRASE)


def add_entries(vault: Vault, titles: list[str]) -> None:
    repo = JournalRepository(vault.db)
    for title in titles:
        repo.add_entry(Entry(EntryKind.FREE, title, f"body of {title}", tags=("test",)))


def make_journal(folder: Path, titles: tuple[str, ...] = ("first", "second"),
                 *, saves: int = 1, name: str = NAME) -> Made:
    """Create a journal holding ``titles``; ``saves`` > 1 saves again (today's backup)."""
    path = folder / name
    vault, recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    try:
        add_entries(vault, list(titles))
        for _ in range(saves):
            vault.save()
    finally:
        vault.close()
    return Made(path, recovery, list(titles))


def titles_in(vault: Vault) -> list[str]:
    repo = JournalRepository(vault.db)
    return sorted(e.title for e in repo.list_entries())


def open_titles(path: Path, secret: Secret | None = None) -> list[str]:
    with Vault.open(path, secret or Secret(passphrase=PASSPHRASE)) as vault:
        return titles_in(vault)


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under ``folder``: relative name -> (size, mtime_ns, sha256)."""
    out: dict[str, tuple[int, int, str]] = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            p = Path(root) / name
            st = p.stat()
            out[str(p.relative_to(folder))] = (
                st.st_size, st.st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def temp_files(path: Path) -> list[Path]:
    return filestore.stale_temp_files(path)


def sample_session(notes: str = "", provider: str = "") -> TreatmentSession:
    return TreatmentSession(starts_at=dt.datetime(2024, 3, 1, 10, 0).astimezone(),
                            number=1, provider=provider, notes=notes)
