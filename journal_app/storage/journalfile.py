"""The journal file as a whole, outside an open vault: reading it, the checksum of the
file on disk, the newest backup that opens, restoring a backup, and changing the
passphrase in the header alone. Bodies are read and copied in pieces (:mod:`bodystream`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from journal_app.errors import JournalError
from journal_app.storage import bodystream, filestore
from journal_app.storage import fileformat as ff
from journal_app.storage.keys import calibrate, parse_recovery_key


@dataclass(frozen=True)
class Secret:
    """What the user typed: a passphrase or a recovery key (text). Never logged."""

    passphrase: str | None = None
    recovery_key: str | None = None

    def __repr__(self) -> str:  # keep secrets out of tracebacks and logs
        return "Secret(<hidden>)"

    def unlock(self, parsed: ff.ParsedFile) -> bytes:
        if self.recovery_key is not None:
            return ff.unlock_data_key(parsed, recovery=parse_recovery_key(self.recovery_key))
        return ff.unlock_data_key(parsed, passphrase=self.passphrase or "")


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[BinaryIO]:
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
    """The newest backup that opens with ``secret``, deriving each distinct key once."""
    tried: dict[bytes, bytes | None] = {}
    for backup in filestore.list_backups(path):
        try:
            with open(backup, "rb") as f:
                parsed = bodystream.read_head(f)
                slot_id = ff.canonical_json([s.to_json() for s in parsed.header.slots])
                if slot_id not in tried:
                    try:
                        tried[slot_id] = secret.unlock(parsed)
                    except JournalError:
                        tried[slot_id] = None
                key = tried[slot_id]
                if key is not None:
                    bodystream.check_file(f, parsed, key)
                    return backup
        except (OSError, JournalError):
            continue
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
        head = ff.file_head(parsed.version, parsed.header.replace_slot(slot), parsed.salt,
                            parsed.nonce, parsed.body_len)
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


def _check_rekeyed(f: BinaryIO, data_key: bytes) -> None:
    parsed = bodystream.read_head(f)
    bodystream.check_file(f, parsed, data_key)
