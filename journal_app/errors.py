"""One hierarchy of errors.

``JournalError`` and its subclasses are *known* conditions a user can act on: each has a
plain message (never any journal content) and a CLI exit code (see cli.md). Anything else
that escapes is a bug and goes to the crash dialog / stderr traceback.
"""

from __future__ import annotations

from pathlib import Path


class JournalError(Exception):
    """A known, user-facing failure. ``str(err)`` is safe to show and to log."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(JournalError):
    exit_code = 2


class NoSecretError(UsageError):
    """No passphrase (or recovery key) could be read without a terminal."""


class WrongSecretError(JournalError):
    """The passphrase or recovery key does not open this journal."""

    exit_code = 3


class DamagedFileError(JournalError):
    """The file can't be read as a journal. ``backup`` names a backup that opens, if any."""

    exit_code = 4

    def __init__(self, message: str, *, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class NotAJournalError(DamagedFileError):
    """Empty file, a plain SQLite file, or something else entirely."""


class CorruptFileError(DamagedFileError):
    """The unkeyed checksum or the structure is wrong: damaged bytes (disk, sync, truncation)."""


class TamperedFileError(DamagedFileError):
    """Structure and checksum are fine but the encrypted body, or the header with its key
    slots, fails authentication (or the set of key slots is not one the app writes)."""


class DamagedAttachmentError(DamagedFileError):
    """An attachment's encrypted file is missing, damaged, or not the one its entry refers
    to (a swapped or altered blob fails authentication). The journal itself is fine: the
    message names the entry by its date and id only, never its title or text."""

    def __init__(self, message: str, *, entry_id: int, attachment_id: int,
                 backup: Path | None = None) -> None:
        super().__init__(message, backup=backup)
        self.entry_id = entry_id
        self.attachment_id = attachment_id


class UnsafeFileError(DamagedFileError):
    """The file asks for key-derivation parameters beyond safe limits; refused before
    anything is derived."""


class InUseError(JournalError):
    """Another running copy of the app holds the journal."""

    exit_code = 5


class ChangedOnDiskError(JournalError):
    """The file on disk is no longer the one we opened (another device, a sync tool)."""

    exit_code = 5


class TooNewError(JournalError):
    """Written by a newer version of the app."""

    exit_code = 6


class WriteFailedError(JournalError):
    """Could not write: disk full, read-only folder, permission denied. Nothing was lost."""

    exit_code = 7


class MigrationError(JournalError):
    """A schema migration failed; the file on disk was not touched."""

    exit_code = 1


def with_backup_hint(err: DamagedFileError, backup: Path | None) -> DamagedFileError:
    """Return ``err`` with a sentence about the newest backup that opens."""
    if backup is None:
        hint = " No backup of this journal could be opened either."
    else:
        hint = f" The backup {backup.name} opens and can be restored."
    clone = type(err)(err.message + hint, backup=backup)
    return clone
