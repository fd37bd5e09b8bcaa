"""The vault: an encrypted journal file opened into an in-memory database.

Thread rule: the owner thread (the UI thread, or the CLI) uses ``db`` and calls
:meth:`Vault.prepare_save`, which collects the rows changed since the last save (a change
record, :mod:`savelog`: well under a millisecond) or, for a compaction, serialises the
image. The returned :class:`SaveJob` encrypts and writes, and may run on a worker thread:
a record is appended and synced in a few milliseconds; a whole image is written in pieces
(:mod:`bodystream`), with no further copy of the image, rarely holding the GIL. Lock,
close, a passphrase change and a schema change compact (:meth:`Vault.compact`).
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
from journal_app.storage import blob_gc, bodystream, changelog, filestore, rollback
from journal_app.storage import fileformat as ff
from journal_app.storage.blobs import BlobStore
from journal_app.storage.database import Database
from journal_app.storage.journalfile import (  # re-exported (__all__): the vault's API
    Secret,
    change_passphrase_file,
    disk_digest,
    find_openable_backup,
    read_file,
    read_journal,
    restore_backup,
)
from journal_app.storage.keys import calibrate, format_recovery_key, new_recovery_key
from journal_app.storage.savelog import LogState

__all__ = ["SaveJob", "Secret", "Vault", "change_passphrase_file", "disk_digest",
           "find_openable_backup", "read_file", "read_journal", "restore_backup"]


@dataclass
class SaveJob:
    """An image captured on the owner thread, ready to be encrypted and written anywhere."""

    vault: Vault
    image: bytes  # empty when ``payload`` (a change record) is what is written
    change_count: int
    #: The attachment uids the image refers to (None: unknown, so nothing is collected).
    referenced: frozenset[str] | None = None
    written: bool = False  # set once this image is the journal on disk
    payload: bytes | None = None  # the changed rows, appended as one record
    removing: bool = False  # the record changes or removes rows (not only adds)
    same_journal: bool = False  # compacting what is on disk (closing): same generation

    def run(self) -> int:
        try:
            generation = self.vault._write(self)
        finally:
            self.vault._log.finished()
        if self.written:
            self.vault._collect(self)
        return generation


class Vault:
    def __init__(self, path: Path, db: Database, data_key: bytes, header: ff.Header,
                 generation: int, digest: bytes | None, lock: filestore.InstanceLock | None,
                 read_only: bool = False, log: changelog.Log | None = None,
                 version: int = ff.FORMAT_VERSION, migrated: bool = False) -> None:
        self.path = path
        self.db = db
        self._data_key = data_key
        self.header = header
        self.generation = generation
        self._digest = digest
        self._lock = lock
        self.read_only = read_only
        self._migrated = migrated
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
        #: Set at open when the last save had not finished (a torn record at the file's
        #: end): the journal opened at the save before. The next save compacts.
        self.unfinished_save = None if log is None else log.unfinished
        self._log = LogState(db, log, version, capture=not read_only, must_compact=migrated)

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
            loaded = read_journal(path, secret)
            parsed, data_key, log = loaded.parsed, loaded.data_key, loaded.log
            saved_at = log.saved_at or loaded.body.saved_at
            db = Database(loaded.body.image)
            del loaded  # frees the decrypted plaintext: the database holds its own copy
            try:
                removing = db.replay([r.payload for r in log.records])
            except BaseException:
                db.close()
                raise
            log.records.clear()
        except DamagedFileError as exc:
            raise with_backup_hint(exc, find_openable_backup(path, secret)) from exc
        try:
            migrated = db.migrate()
        except BaseException:
            db.close()
            raise
        vault = cls(path, db, data_key, parsed.header, log.generation, parsed.digest, holder,
                    read_only, log, parsed.version, migrated)
        vault._log.removing = removing
        vault.rollback = rollback.observe(path, parsed.digest, data_key, log.generation)
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
    def migrated(self) -> bool:
        """Opened at an older schema and upgraded in memory only: the file keeps the old
        one until a save writes a whole image (opening writes nothing). As found at open."""
        return self._migrated

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
    def prepare_save(self, *, compact: bool = False) -> SaveJob:
        """Capture what to save (owner thread: the database can't be read consistently
        from another): the rows changed since the last save (a change record, well under
        a millisecond) or, when a whole image is due or ``compact`` asked, the image
        (``serialize`` copies the database once, ~15 ms at 10k entries)."""
        if self._closed:
            raise JournalError("The journal is locked; unlock it to save.")
        referenced = blob_gc.referenced_uids(self.db.conn)
        plan = self._log.plan(compact)
        if plan.payload is not None:
            return SaveJob(self, b"", self.change_count, referenced, payload=plan.payload,
                           removing=plan.removing)
        try:
            return SaveJob(self, self.db.serialize(), self.change_count, referenced)
        except BaseException:
            self._log.failed()  # its rows are forgotten: the next save is whole too
            self._log.finished()
            raise

    def save(self) -> int:
        """Save synchronously; returns the new generation."""
        return self.prepare_save().run()

    def compact(self) -> int:
        """Save the whole image as a new file (no records after it); the new generation."""
        return self.prepare_save(compact=True).run()

    @property
    def records(self) -> int:  # change records after the base in the file this vault wrote
        return self._log.records

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
            if not self._log.unchanged_on_disk(self.path, self._digest):
                self._log.failed()
                raise ChangedOnDiskError(
                    "The journal file was changed on disk by another program since it was "
                    "opened. Your changes were not written over it; save them as a copy."
                )
            same = job.same_journal and job.change_count == self._saved_changes
            generation = self.generation + (0 if same else 1)
            stamp = self.saved_at if same and self.saved_at is not None else time.time()
            if job.payload is not None:
                ff.check_savable(self.header, 0)  # as a whole save would, with this header
                filestore.make_backup(self.path)  # the day's first save: the whole file
                self._log.append(self.path, job.payload, job.removing, generation, stamp,
                                 self._writer)
            else:
                self._write_whole(job, generation, stamp)
            self.generation = generation
            self._saved_changes = job.change_count
            self.saved_at = stamp
            self.unfinished_save = None
            job.written = True
            rollback.saved(self._data_key, generation)
            return generation

    def _write_whole(self, job: SaveJob, generation: int, stamp: float) -> None:
        """A compaction: the whole image as a new file, atomically replaced."""
        def landed(digest: bytes, failed: bool) -> None:
            self._digest = digest
            if failed:  # in place, though the folder's sync failed: the journal stays unsaved
                self.generation = generation

        self._log.write_whole(self.path, self.header, self._data_key, job.image, generation,
                              stamp, self._writer, landed)

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
        if self._closed:
            raise JournalError("The journal is locked; unlock it to save.")
        # The image as it is, outside the save sequence: the change capture keeps its
        # notes for the journal's own next save.
        referenced = blob_gc.referenced_uids(self.db.conn)
        sealer = bodystream.Sealer(self.header, self._data_key, self.db.serialize(),
                                   self.generation + 1, time.time())
        # The copy's attachments first, into its own folder: never a reference before
        # its blob. The copy has this journal's data key, so the names are the same.
        self.blobs.copy_to(target, referenced or frozenset())
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
        job = self.prepare_save(compact=True)
        # Swap, write and (on failure) swap back under the write lock: otherwise an
        # autosave on a worker could write the new header while this save then fails,
        # leaving a file that only the passphrase the user was told failed can open.
        with self._write_lock:
            previous, generation = self.header, self.generation
            self.header = previous.replace_slot(slot)
            try:
                job.run()
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
    def close(self, *, compact: bool = True, keep_additions: bool = False) -> None:
        """Compact (:meth:`_compact_before_closing`; never if not ``compact``: the records
        stay, as after a crash), forget the key, release the journal.
        Waits for a save being written, so a worker never encrypts with a key that is
        gone; a SaveJob run after this raises instead of writing. Run pending jobs first."""
        self._closing.set()
        with self._write_lock:
            if self._closed:
                return
            if compact:
                self._compact_before_closing(keep_additions)
            self._closed = True
            self.db.close()
            self._data_key = b""
            self.blobs.forget()
            if self._lock:
                self._lock.release()
                self._lock = None

    @property
    def needs_compaction(self) -> bool:
        """This sitting appended change records: :meth:`close` compacts, on the closing
        thread, unless a compaction runs first (:meth:`prepare_save` with ``compact``,
        which a GUI can run on a worker before it closes). A sitting that saved nothing
        writes nothing, whatever records an earlier one left."""
        return self._log.appended > 0 and self._log.records > 0 and not self.read_only

    def _compact_before_closing(self, keep_additions: bool) -> None:
        """A whole image in place of the records, if all is saved: deleted or changed text
        (still in the base or an earlier record) leaves the file, so does the count of
        saves. ``keep_additions``: records that only added rows (a command-line ``add``)
        stay. Best effort: the file with its records is a complete journal."""
        if (self.dirty or self._lock is None or not self.needs_compaction
                or (keep_additions and not self._log.removing)):
            return
        with contextlib.suppress(JournalError, OSError):
            job = self.prepare_save(compact=True)
            job.same_journal = True
            job.run()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
