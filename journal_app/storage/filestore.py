"""Putting journal bytes on disk safely: atomic replace, backups, instance lock.

A save writes a temp file in the journal's own folder (in pieces, as the caller produces
them), syncs it, reads it back and lets the caller verify it, then ``os.replace``s it over
the journal and syncs the folder: :func:`journal_app.atomic.replace_file`, the one write
primitive storage and export share. Any ``OSError`` on the way becomes
:class:`WriteFailedError` worded for the journal, with the temp file removed and the
journal and its backups untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
from collections.abc import Callable, Iterable, Iterator
from io import BufferedIOBase
from pathlib import Path

from journal_app import atomic
from journal_app.atomic import Buffer, ReadBack, Writer
from journal_app.errors import InUseError, WriteFailedError

TEMP_MARK = ".saving-"
PARTIAL = ".partial"
BACKUP_KEEP = 7
COPY_CHUNK = 1 << 20


def stale_temp_files(path: Path) -> list[Path]:
    """Temp files of saves, of backup copies and of attachment writes (a crash can leave
    any of them)."""
    prefix = f".{path.name}{TEMP_MARK}"
    found: list[Path] = []
    with contextlib.suppress(OSError):
        found += [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
    with contextlib.suppress(OSError):
        found += [p for p in backup_dir(path).iterdir()
                  if p.name.startswith(f".{path.name}.") and p.name.endswith(PARTIAL)]
    with contextlib.suppress(OSError):
        found += [p for p in attachments_dir(path).iterdir()
                  if p.name.startswith(".") and TEMP_MARK in p.name]
    return sorted(found)


def remove_stale_temp_files(path: Path) -> int:
    """Delete temp files a crashed save left behind. Call only while holding the lock."""
    removed = 0
    for stale in stale_temp_files(path):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def attachments_dir(path: Path) -> Path:
    """The folder of the journal's encrypted attachments (see :mod:`storage.blobs`)."""
    return path.with_name(path.name + ".attachments")


def list_backups(path: Path) -> list[Path]:
    """Backups of ``path``, newest first."""
    folder = backup_dir(path)
    try:
        found = [p for p in folder.iterdir() if p.name.startswith(path.name + ".")]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def failure_reason(exc: OSError) -> str:
    """Why a write in the journal's folder failed, in words for its owner."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "The disk is full."
    if exc.errno == errno.EROFS:
        return "The journal's folder is on a read-only disk."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "There is no permission to write in the journal's folder."
    return "The disk reported an error."


def write_failed(exc: OSError) -> WriteFailedError:
    return WriteFailedError(
        f"Could not save the journal. {failure_reason(exc)} "
        "Nothing was lost: the journal on disk is the last saved version, and your changes "
        "are still open here."
    )


def check_writable_folder(path: Path) -> None:
    """Raise WriteFailedError unless a file can be made in the journal's folder, as a
    whole save (a compaction) must. An appending save checks this first: a journal whose
    folder is read-only is not saved at all, as before change records (its log could
    never be compacted)."""
    probe = path.with_name(f".{path.name}{TEMP_MARK}probe-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise write_failed(exc) from exc
    os.close(fd)
    with contextlib.suppress(OSError):  # a stale probe is removed like any temp file
        os.unlink(probe)


def write_atomically(path: Path, chunks: Iterable[Buffer], check: ReadBack, *,
                     writer: Writer | None = None) -> None:
    """Replace ``path`` with the concatenation of ``chunks`` atomically; ``check`` reads the
    synced temp file back (an open binary file) and raises if it is not right.

    Each chunk is written out before the next is asked for, so a producer may reuse one
    buffer (see :func:`journal_app.atomic.replace_file`). ``writer`` exists so tests can
    inject a write failure after N bytes.
    """
    try:
        atomic.replace_file(path, chunks, check=check, writer=writer, mark=TEMP_MARK)
    except OSError as exc:
        raise write_failed(exc) from exc


def atomic_write(path: Path, data: Buffer, verify: Callable[[bytes], object],
                 *, writer: Writer | None = None) -> None:
    """Replace ``path`` with ``data`` atomically; ``verify`` checks the bytes read back."""
    write_atomically(path, (data,), lambda written: verify(written.read()), writer=writer)


def pieces(f: BufferedIOBase) -> Iterator[memoryview]:
    """The rest of an open file in pieces; each is valid until the next is asked for."""
    buf = memoryview(bytearray(COPY_CHUNK))
    while got := f.readinto(buf):
        yield buf[:got]


def _copy_durably(source: Path, target: Path) -> None:
    """Copy via a synced temp file, so a crash or a full disk never leaves a short backup
    under the backup's name, and a failed copy leaves nothing behind. Copied in pieces:
    the journal is never read into memory whole. The temp file's name ends in ``PARTIAL``,
    so :func:`stale_temp_files` finds one a crash left."""
    with open(source, "rb") as src:
        atomic.replace_file(target, pieces(src), mark=".", suffix=PARTIAL)


def make_backup(path: Path, *, today: dt.date | None = None, keep: int = BACKUP_KEEP) -> None:
    """Keep the journal as it was before the day's first save, at most ``keep`` days.

    A copy, not a hard link: a link shares the journal's inode until the save replaces
    it, so a failed save followed by damage in place (a sync tool, a truncating editor)
    would take the backup with it.
    """
    if not path.exists():
        return
    today = today or dt.date.today()
    folder = backup_dir(path)
    target = folder / f"{path.name}.{today.isoformat()}"
    if target.exists():
        return
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        _copy_durably(path, target)  # syncs the folder too
    except OSError as exc:
        raise write_failed(exc) from exc
    for old in list_backups(path)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


class InstanceLock:
    """An OS-level lock beside the journal; released by the OS if the process dies."""

    def __init__(self, path: Path) -> None:
        # Imported here, not at load: readers (the command line's list, show, search)
        # never take the lock, and filelock costs ~20 ms to import.
        import filelock

        self.lock_path = path.with_name(path.name + ".lock")
        # Not thread-local: the GUI unlocks on a worker thread and locks from the main one.
        # Private (0600) whatever the umask: nobody else may create, hold or fill it.
        self._lock = filelock.FileLock(str(self.lock_path), timeout=0, thread_local=False,
                                       mode=0o600)

    def acquire(self) -> None:
        import filelock

        try:
            self._lock.acquire(timeout=0)
        except filelock.Timeout as exc:
            raise InUseError(
                "This journal is open in another window or program. Close it there first."
            ) from exc
        except OSError as exc:
            raise write_failed(exc) from exc
        if os.name == "posix":  # a lock file an earlier version made with the umask's mode
            with contextlib.suppress(OSError):
                os.chmod(self.lock_path, 0o600)

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    @property
    def held(self) -> bool:
        return self._lock.is_locked
