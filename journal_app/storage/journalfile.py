"""The journal file as a whole, outside an open vault: reading it, the checksum of the
file on disk, the newest backup that opens, restoring a backup, and changing the
passphrase in the header alone. Bodies are read and copied in pieces (:mod:`bodystream`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path

from journal_app.errors import JournalError
from journal_app.storage import bodystream, filestore, rollback
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


def read_body(path: Path, secret: Secret) -> tuple[ff.ParsedFile, bytes, ff.Body]:
    """Head, data key and decrypted body of the journal at ``path``, reading the file in
    pieces: the decrypted plaintext is the only whole copy made."""
    with _reading(path) as f:
        parsed = bodystream.read_head(f)
        data_key = secret.unlock(parsed)
        return parsed, data_key, bodystream.decrypt_file(f, parsed, data_key)


def disk_digest(path: Path) -> bytes | None:
    """The checksum field of the file on disk now (unique per save), or None if absent.
    Reads only the part before the body."""
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
                bodystream.check_file(f, parsed, data_key)
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
            bodystream.check_file(f, parsed, data_key)  # refuse to re-key a damaged file
        old = parsed.header.slot("passphrase")
        slot = ff.passphrase_slot(data_key, new_passphrase, kdf or old.kdf or calibrate())
        header = parsed.header.replace_slot(slot)
        ff.check_savable(header, parsed.body_len)
        head = ff.file_head(parsed.version, header, parsed.salt, parsed.nonce,
                            parsed.body_len, data_key)
        filestore.make_backup(path)
        filestore.write_atomically(path, _rekeyed(path, head, parsed),
                                   lambda written: _check_rekeyed(written, data_key))
    finally:
        holder.release()


def _rekeyed(path: Path, head: bytes, parsed: ff.ParsedFile) -> Iterator[memoryview]:
    """The new head, then the body copied from ``path`` as it is. The file is open only
    while its body is copied: Windows can't replace a file that is open."""
    yield memoryview(head)
    with open(path, "rb") as f:
        yield from bodystream.copy_body(f, parsed)


def _check_rekeyed(f: BufferedIOBase, data_key: bytes) -> None:
    parsed = bodystream.read_head(f)
    ff.check_header(parsed, data_key)
    bodystream.check_file(f, parsed, data_key)
