"""The journal file as a whole, outside an open vault: reading it (base image and change
records), the state of the file on disk, the newest backup that opens, restoring a backup,
and changing the passphrase in the header alone. Bodies are read and copied in pieces
(:mod:`bodystream`); change records are :mod:`changelog`'s.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path

from journal_app.errors import JournalError, TamperedFileError
from journal_app.storage import bodystream, capture, changelog, filestore, rollback
from journal_app.storage import fileformat as ff
from journal_app.storage.keys import CALIBRATE_MAX_COST, calibrate, parse_recovery_key

# The backup search (a damaged journal) must not be a way to stall the app: it looks at
# no more than this many backups, derives at most this many distinct passphrase keys,
# never one dearer than the journal's own, and gives up after this many seconds.
BACKUP_SEARCH_LIMIT = 16
BACKUP_SEARCH_DERIVATIONS = 3
BACKUP_SEARCH_SECONDS = 30.0


@dataclass(frozen=True)
class Secret:
    """What the user typed: a passphrase or a recovery key (text). Never logged."""

    passphrase: str | None = None
    recovery_key: str | None = None

    def __repr__(self) -> str:  # keep secrets out of tracebacks and logs
        return "Secret(<hidden>)"

    def unlock(self, parsed: ff.ParsedFile) -> bytes:
        """The data key, once the slot opens and the header (slots included) is authentic."""
        data_key = self.unwrap(parsed.header)
        ff.check_header(parsed, data_key)
        return data_key

    def unwrap(self, header: ff.Header) -> bytes:
        """The data key from this secret's slot of ``header`` (not authenticated)."""
        if self.recovery_key is not None:
            return ff.unwrap_data_key(header, recovery=parse_recovery_key(self.recovery_key))
        return ff.unwrap_data_key(header, passphrase=self.passphrase or "")

    @property
    def kind(self) -> str:
        return "recovery" if self.recovery_key is not None else "passphrase"

    def derive(self, slot: ff.Slot) -> bytes:
        """The key that unwraps ``slot`` (slow for a passphrase: Argon2id)."""
        if self.recovery_key is not None:
            return ff.derive_recovery_key(parse_recovery_key(self.recovery_key), slot.salt)
        assert slot.kdf is not None
        return ff.derive_passphrase_key(self.passphrase or "", slot.salt, slot.kdf)


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[BufferedIOBase]:
    """The journal file open for reading; OS errors (while opening or reading) become a
    JournalError that names the file, never its content."""
    try:
        with open(path, "rb") as f:
            yield f
    except FileNotFoundError as exc:
        raise JournalError(f"There is no journal at {path}.") from exc
    except IsADirectoryError as exc:
        raise JournalError(f"{path} is a folder, not a journal file.") from exc
    except OSError as exc:
        raise JournalError(f"The journal file can't be read ({exc.strerror}).") from exc


def read_file(path: Path) -> bytes:
    """The file's bytes, read in one piece; raises NotAJournalError after reading only the
    start of a file that plainly isn't a journal."""
    with _reading(path) as f:
        ff.check_start(f.read(ff.PEEK_LEN))
        f.seek(0)
        return f.read()


def read_head(path: Path) -> ff.ParsedFile:
    """The part of the journal file before its body (header, keys' public half), checked,
    without reading the body."""
    with _reading(path) as f:
        return bodystream.read_head(f)


@dataclass
class Loaded:
    """A journal file read and authenticated: its head, data key, base body (``image`` a
    view into the decrypted plaintext: drop it once loaded) and change records."""

    parsed: ff.ParsedFile
    data_key: bytes
    body: ff.Body
    log: changelog.Log


def load(f: BufferedIOBase, parsed: ff.ParsedFile, data_key: bytes) -> Loaded:
    """Decrypt and authenticate the base and every change record of ``f`` (head read,
    header checked); nothing is used before all of it is authentic."""
    body = bodystream.decrypt_file(f, parsed, data_key)
    log = changelog.new_log(data_key, parsed, bodystream.read_tag(f, parsed), body.generation)
    changelog.read_log(f, log, _size(f))
    return Loaded(parsed, data_key, body, log)


def check_journal(f: BufferedIOBase, parsed: ff.ParsedFile, data_key: bytes,
                  ) -> changelog.Log:
    """Raise unless the base and every change record authenticate; keeps no plaintext.
    The Log says where the good records end (a torn last one is left out)."""
    generation = bodystream.check_file(f, parsed, data_key)
    log = changelog.new_log(data_key, parsed, bodystream.read_tag(f, parsed), generation)
    return changelog.read_log(f, log, _size(f), keep=False)


def _size(f: BufferedIOBase) -> int:
    return os.fstat(f.fileno()).st_size


def read_journal(path: Path, secret: Secret) -> Loaded:
    """The journal at ``path`` read in pieces: the decrypted base is the only whole copy."""
    with _reading(path) as f:
        parsed = bodystream.read_head(f)
        return load(f, parsed, secret.unlock(parsed))


def replayed(loaded: Loaded) -> sqlite3.Connection:
    """A plain in-memory connection holding ``loaded``'s image with its records applied
    (for reading a backup; the vault uses Database)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.deserialize(bytes(loaded.body.image))
        capture.replay(conn, [r.payload for r in loaded.log.records])
    except BaseException:
        conn.close()
        raise
    return conn


@dataclass(frozen=True)
class DiskState:
    """What a save checks before writing: the file is still the one this vault wrote."""

    digest: bytes | None
    size: int
    tail: bytes  # the 16 bytes before the offset asked for


def disk_state(path: Path, at: int) -> DiskState:
    """The checksum field, size and the 16 bytes ending at ``at`` of the file on disk
    (digest None if there is no file; b"unreadable" if it can't be read)."""
    try:
        with open(path, "rb") as f:
            digest = bodystream.read_head(f).digest
            f.seek(max(at - ff.TAG_LEN, 0))
            return DiskState(digest, _size(f), f.read(ff.TAG_LEN if at >= ff.TAG_LEN else 0))
    except FileNotFoundError:
        return DiskState(None, 0, b"")
    except (OSError, JournalError):
        return DiskState(b"unreadable", 0, b"")


def disk_digest(path: Path) -> bytes | None:
    """The checksum field of the file on disk now (unique per compaction), or None if
    absent. Reads only the part before the body."""
    try:
        with open(path, "rb") as f:
            return bodystream.read_head(f).digest
    except FileNotFoundError:
        return None
    except (OSError, JournalError):
        return b"unreadable"


def find_openable_backup(path: Path, secret: Secret) -> Path | None:
    """The newest backup that opens with ``secret``. Bounded, since a backups folder can be
    crafted: each distinct slot (salt and settings) is derived once, at most
    ``BACKUP_SEARCH_DERIVATIONS`` times in all, never for settings dearer than the
    journal's own passphrase slot (or, if its head is unreadable, than calibrate's
    dearest), and among at most ``BACKUP_SEARCH_LIMIT`` backups."""
    budget = _derivation_budget(path)
    deadline = time.monotonic() + BACKUP_SEARCH_SECONDS
    keks: dict[tuple[str, bytes, ff.KdfParams | None], bytes | None] = {}
    for backup in filestore.list_backups(path)[:BACKUP_SEARCH_LIMIT]:
        if time.monotonic() > deadline:
            break
        try:
            with open(backup, "rb") as f:
                parsed = bodystream.read_head(f)
                slot = parsed.header.slot(secret.kind)
                ident = (slot.kind, slot.salt, slot.kdf)
                if ident not in keks:
                    if slot.kdf is not None and (ff.kdf_cost(slot.kdf) > budget
                                                 or _derived(keks) >= BACKUP_SEARCH_DERIVATIONS):
                        continue
                    keks[ident] = _derive_or_none(secret, slot)
                kek = keks[ident]
                if kek is None:
                    continue
                data_key = slot.unwrap(kek)
                ff.check_header(parsed, data_key)
                check_journal(f, parsed, data_key)
                return backup
        except (OSError, JournalError):
            continue
    return None


def _derivation_budget(path: Path) -> int:
    try:
        kdf = read_head(path).header.slot("passphrase").kdf
    except JournalError:
        kdf = None
    return ff.kdf_cost(kdf) if kdf is not None else CALIBRATE_MAX_COST


def _derived(keks: dict[tuple[str, bytes, ff.KdfParams | None], bytes | None]) -> int:
    return sum(1 for kind, _salt, kdf in keks if kdf is not None and kind == "passphrase")


def _derive_or_none(secret: Secret, slot: ff.Slot) -> bytes | None:
    try:
        return secret.derive(slot)
    except JournalError:
        return None


def restore_backup(path: Path, backup: Path) -> Path:
    """Put ``backup`` in place of a damaged journal; the damaged file is kept beside it."""
    holder = filestore.InstanceLock(path)
    holder.acquire()
    try:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.name}.damaged-{stamp}")
        try:
            if path.exists():
                shutil.copy2(path, kept)
            with open(backup, "rb") as source:
                filestore.write_atomically(path, filestore.pieces(source),
                                           lambda f: bodystream.read_head(f) and None)
        except OSError as exc:
            raise filestore.write_failed(exc) from exc
        # Put back on purpose: its next open here is not reported as an older copy.
        restored = disk_digest(path)
        if restored is not None:
            rollback.expect_restored(path, restored)
        return kept
    finally:
        holder.release()


def change_passphrase_file(path: Path, secret: Secret, new_passphrase: str,
                           kdf: ff.KdfParams | None = None) -> None:
    """Change the passphrase by rewriting the header only: the encrypted body is copied
    byte for byte, so nothing is re-encrypted and the swap is atomic."""
    if not new_passphrase:
        raise JournalError("The new passphrase can't be empty.")
    holder = filestore.InstanceLock(path)
    holder.acquire()
    try:
        with _reading(path) as f:
            parsed = bodystream.read_head(f)
            data_key = secret.unlock(parsed)
            log = check_journal(f, parsed, data_key)  # refuse to re-key a damaged file
        old = parsed.header.slot("passphrase")
        slot = ff.passphrase_slot(data_key, new_passphrase, kdf or old.kdf or calibrate())
        header = parsed.header.replace_slot(slot)
        ff.check_savable(header, parsed.body_len)
        head = ff.file_head(parsed.version, header, parsed.salt, parsed.nonce,
                            parsed.body_len, data_key)
        filestore.make_backup(path)
        filestore.write_atomically(path, _rekeyed(path, head, parsed, log.end),
                                   lambda written: _check_rekeyed(written, data_key))
    finally:
        holder.release()


def _rekeyed(path: Path, head: bytes, parsed: ff.ParsedFile, end: int,
             ) -> Iterator[memoryview]:
    """The new head, then the body and its change records (up to ``end``: a torn last
    record is left behind) copied from ``path`` as they are. The records stay valid: they
    are bound to the base's salt and tag, which a new header keeps. The file is open only
    while it is copied: Windows can't replace a file that is open."""
    yield memoryview(head)
    with open(path, "rb") as f:
        yield from bodystream.copy_body(f, parsed, end)


def _check_rekeyed(f: BufferedIOBase, data_key: bytes) -> None:
    parsed = bodystream.read_head(f)
    ff.check_header(parsed, data_key)
    if check_journal(f, parsed, data_key).unfinished is not None:
        raise TamperedFileError("The re-keyed copy did not read back correctly.")
