"""The vault: an encrypted journal file opened into an in-memory database.

Thread rule: the owner thread (the UI thread, or the CLI) uses ``db`` and calls
:meth:`Vault.prepare_save`, which only serialises the image (fast). The returned
:class:`SaveJob` encrypts and writes, and may run on a worker thread: it works in pieces
(:mod:`bodystream`), so it makes no further copy of the image and rarely holds the GIL.
File-level operations (reading, backups, passphrase change on disk) are in
:mod:`journalfile` and re-exported here.

Attachments live beside the journal as encrypted blobs (:mod:`blobs`, the vault's
``blobs``). A job that saved then collects the blobs nothing needs any more
(:mod:`blob_gc`), on the same thread, so the owner thread never waits for it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from journal_app.errors import (
    ChangedOnDiskError,
    DamagedFileError,
    JournalError,
    WriteFailedError,
    WrongSecretError,
    with_backup_hint,
)
from journal_app.storage import blob_gc, bodystream, filestore, rollback
from journal_app.storage import fileformat as ff
from journal_app.storage.blobs import BlobStore
from journal_app.storage.database import Database
from journal_app.storage.journalfile import (  # re-exported (__all__): the vault's API
    Secret,
    change_passphrase_file,
    disk_digest,
    find_openable_backup,
    read_body,
    read_file,
    restore_backup,
)
from journal_app.storage.keys import calibrate, format_recovery_key, new_recovery_key

__all__ = [
    "SaveJob",
    "Secret",
    "Vault",
    "change_passphrase_file",
    "disk_digest",
    "find_openable_backup",
    "read_body",
    "read_file",
    "restore_backup",
]


@dataclass
class SaveJob:
    """An image captured on the owner thread, ready to be encrypted and written anywhere."""

    vault: Vault
    image: bytes
    change_count: int
    #: The attachment uids the image refers to (None: unknown, so nothing is collected).
    referenced: frozenset[str] | None = None
    written: bool = False  # set once this image is the journal on disk

    def run(self) -> int:
        generation = self.vault._write(self)
        if self.written:
            self.vault._collect(self)
        return generation


class Vault:
    def __init__(self, path: Path, db: Database, data_key: bytes, header: ff.Header,
                 generation: int, digest: bytes | None, lock: filestore.InstanceLock | None,
                 read_only: bool = False) -> None:
        self.path = path
        self.db = db
        self._data_key = data_key
        self.header = header
        self.generation = generation
        self._digest = digest
        self._lock = lock
        self.read_only = read_only
        # Unsaved is derived from the database's own change counter (Database.changes),
        # so every write counts whoever made it; mark_dirty adds changes that live
        # outside the database. The baseline is taken after migration: opening an older
        # file does not by itself make it unsaved.
        self._marked = 0
        self._saved_changes = self.change_count
        # One write at a time; close() waits for it. Re-entrant for change_passphrase.
        self._write_lock = threading.RLock()
        self._closed = False
        self._closing = threading.Event()  # set first by close(): collection stops early
        self.blobs = BlobStore(path, data_key)
        self._collector = blob_gc.Collector(path, self.blobs)
        #: When the journal on disk was saved (by any process): the body's own stamp
        #: once opened, then each save's. Quick notes use it to judge their claimed time.
        self.saved_at: float | None = None
        # Set at open when this is an older copy than this computer saw last; cleared by
        # rollback.accept (see storage.rollback).
        self.rollback: rollback.Rollback | None = None

    # ------------------------------------------------------------------ create/open
    @classmethod
    def create(cls, path: Path, passphrase: str, kdf: ff.KdfParams | None = None,
               ) -> tuple[Vault, str]:
        """Create a new journal. Returns the vault and the recovery key to show once."""
        path = Path(path)
        if path.exists():
            raise JournalError(f"A file already exists at {path}; choose another name.")
        if not passphrase:
            raise JournalError("The passphrase can't be empty.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise filestore.write_failed(exc) from exc
        kdf = kdf or calibrate()
        kdf.check()
        data_key = ff.random_data_key()
        recovery = new_recovery_key()
        header = ff.Header(ff.new_meta(data_key), [
            ff.passphrase_slot(data_key, passphrase, kdf),
            ff.recovery_slot(data_key, recovery),
        ])
        lock = filestore.InstanceLock(path)
        lock.acquire()
        try:
            db = Database()
            db.migrate()
            vault = cls(path, db, data_key, header, 0, None, lock)
            vault.save()
        except BaseException:
            lock.release()
            raise
        return vault, format_recovery_key(recovery)

    @classmethod
    def open(cls, path: Path, secret: Secret, *, lock: bool = True) -> Vault:
        """Open and decrypt. With ``lock`` (for writing), another holder raises InUseError;
        a folder where no lock can be made opens read-only."""
        path = Path(path)
        holder: filestore.InstanceLock | None = None
        read_only = not lock
        if lock and path.exists():
            holder = filestore.InstanceLock(path)
            try:
                holder.acquire()
            except WriteFailedError:
                holder, read_only = None, True
        try:
            vault = cls._open_locked(path, secret, holder, read_only)
        except BaseException:
            if holder:
                holder.release()
            raise
        if holder:
            filestore.remove_stale_temp_files(path)
        return vault

    @classmethod
    def _open_locked(cls, path: Path, secret: Secret, holder: filestore.InstanceLock | None,
                     read_only: bool) -> Vault:
        try:
            parsed, data_key, body = read_body(path, secret)
            generation, saved_at = body.generation, body.saved_at
            db = Database(body.image)
            del body  # frees the decrypted plaintext: the database holds its own copy
        except DamagedFileError as exc:
            raise with_backup_hint(exc, find_openable_backup(path, secret)) from exc
        try:
            db.migrate()
        except BaseException:
            db.close()
            raise
        vault = cls(path, db, data_key, parsed.header, generation, parsed.digest, holder,
                    read_only)
        vault.rollback = rollback.observe(path, parsed.digest, data_key, generation)
        vault.saved_at = saved_at
        return vault

    # ------------------------------------------------------------------ state
    @property
    def change_count(self) -> int:
        """Grows with every change to the journal since it was opened."""
        return self.db.changes + self._marked

    @property
    def dirty(self) -> bool:
        return self.change_count != self._saved_changes

    def mark_dirty(self) -> None:
        """Count a change made outside the database (writes to it count themselves)."""
        self._marked += 1

    @property
    def capture_public_key(self) -> bytes:
        return self.header.capture_public_key

    def capture_private_key(self) -> bytes:
        return ff.capture_private_key(self.header.meta, self._data_key)

    @property
    def closed(self) -> bool:
        return self._closed

    def accept_older_copy(self) -> None:
        """Use this older copy on purpose: from now on it is the newest this computer saw
        (public entry point: :func:`storage.rollback.accept`)."""
        if self._closed:
            raise JournalError("The journal is locked; unlock it first.")
        rollback.accepted(self._data_key, self.generation)
        self.rollback = None

    # ------------------------------------------------------------------ saving
    def prepare_save(self) -> SaveJob:
        """Capture the image now (owner thread): ``serialize`` copies the database once
        (~15 ms at 10k entries), the only part of a save the owner thread waits for. It
        must stay here: the database can't be read consistently from another thread."""
        if self._closed:
            raise JournalError("The journal is locked; unlock it to save.")
        return SaveJob(self, self.db.serialize(), self.change_count,
                       blob_gc.referenced_uids(self.db.conn))

    def save(self) -> int:
        """Save synchronously; returns the new generation."""
        return self.prepare_save().run()

    def _write(self, job: SaveJob) -> int:
        if self.read_only:
            raise WriteFailedError(
                "This journal is open read-only (its folder can't be written to), so changes "
                "can't be saved. Nothing on disk was changed."
            )
        with self._write_lock:
            if self._closed:  # the key is gone: never write with it
                raise JournalError(
                    "The journal was locked before this save could be written; nothing on "
                    "disk was changed."
                )
            if job.change_count < self._saved_changes:
                return self.generation  # a newer image is already on disk
            current = disk_digest(self.path)
            if current != self._digest:
                raise ChangedOnDiskError(
                    "The journal file was changed on disk by another program since it was "
                    "opened. Your changes were not written over it; save them as a copy."
                )
            generation = self.generation + 1
            stamp = time.time()
            sealer = bodystream.Sealer(self.header, self._data_key, job.image, generation,
                                       stamp)
            new_digest = sealer.digest
            filestore.make_backup(self.path)
            try:
                filestore.write_atomically(
                    self.path, sealer.chunks(), lambda f: sealer.check(f, self._data_key),
                    writer=self._writer)
            except DamagedFileError as exc:
                raise WriteFailedError(
                    "Could not save the journal: the written copy did not read back "
                    "correctly, so it was not used. Nothing was lost."
                ) from exc
            except WriteFailedError:
                # Failing after the replace (syncing the folder) leaves our new file in
                # place: remember it, or the next save would call it a change by someone
                # else. The journal stays unsaved, so the next save writes it again.
                if disk_digest(self.path) == new_digest:
                    self._digest, self.generation = new_digest, generation
                raise
            self._digest = new_digest
            self.generation = generation
            self._saved_changes = job.change_count
            self.saved_at = stamp
            job.written = True
            rollback.saved(self._data_key, generation)
            return generation

    def _collect(self, job: SaveJob) -> None:
        """Delete the blobs neither ``job``'s image (now on disk) nor a backup needs.
        Tidying only: whatever goes wrong here, the save that landed stands."""
        if job.referenced is None:
            return
        with self._write_lock:
            if self._closed:
                return
            # ValueError: a row whose uid no blob could have (nothing is deleted then).
            with contextlib.suppress(OSError, JournalError, ValueError):
                self._collector.collect(job.referenced, self._data_key, self._closing.is_set)

    _writer = staticmethod(os.write)  # tests replace this to inject write failures

    def save_copy(self, target: Path) -> None:
        """Write the open journal to another file (used to keep both after a conflict)."""
        target = Path(target)
        if _same_file(target, self.path):
            raise JournalError(
                "A copy can't be saved over the journal file itself; choose another name."
            )
        job = self.prepare_save()
        sealer = bodystream.Sealer(self.header, self._data_key, job.image,
                                   self.generation + 1, time.time())
        # The copy's attachments first, into its own folder: never a reference before
        # its blob. The copy has this journal's data key, so the names are the same.
        self.blobs.copy_to(target, job.referenced or frozenset())
        try:
            filestore.write_atomically(target, sealer.chunks(),
                                       lambda f: sealer.check(f, self._data_key))
        except DamagedFileError as exc:
            raise WriteFailedError(
                "Could not save the copy: it did not read back correctly, so it was not used."
            ) from exc

    # ------------------------------------------------------------------ keys
    def change_passphrase(self, new_passphrase: str, kdf: ff.KdfParams | None = None) -> None:
        """Re-wrap the data key under a new passphrase and save. The data key is unchanged."""
        if not new_passphrase:
            raise JournalError("The new passphrase can't be empty.")
        old = self.header.slot("passphrase")
        params = kdf or old.kdf or calibrate()
        slot = ff.passphrase_slot(self._data_key, new_passphrase, params)  # slow: unlocked
        job = self.prepare_save()
        # Swap, write and (on failure) swap back under the write lock: otherwise an
        # autosave on a worker could write the new header while this save then fails,
        # leaving a file that only the passphrase the user was told failed can open.
        with self._write_lock:
            previous, generation = self.header, self.generation
            self.header = previous.replace_slot(slot)
            try:
                self._write(job)
            except WriteFailedError as exc:
                if self.generation == generation:  # nothing landed: the old one stands
                    self.header = previous
                    raise
                raise WriteFailedError(
                    "The new passphrase is in place, but the disk reported an error while "
                    "finishing the save. Use the new passphrase from now on; if this happens "
                    "again, check the disk."
                ) from exc
            except BaseException:
                self.header = previous
                raise

    def verify_secret(self, secret: Secret) -> None:
        """Raise WrongSecretError unless ``secret`` opens this journal's header."""
        if secret.unwrap(self.header) != self._data_key:
            raise WrongSecretError("That passphrase does not open this journal.")

    # ------------------------------------------------------------------ closing
    def close(self) -> None:
        """Forget the key and release the journal. Waits for a save being written, so a
        worker thread never encrypts with a key that is gone; a SaveJob run after this
        raises instead of writing. Run pending jobs first."""
        self._closing.set()
        with self._write_lock:
            if self._closed:
                return
            self._closed = True
            self.db.close()
            self._data_key = b""
            self.blobs.forget()
            if self._lock:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
