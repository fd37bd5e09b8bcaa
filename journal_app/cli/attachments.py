"""The attachment verbs: ``attach``, ``attachments`` and ``extract``. Their arguments are
parsed in attachment_args.py; this module is imported only when one of them runs.

Everything goes through the journal object (storage/journal.py): it checks a file with
the domain's rules (domain/attachments.py), keeps the bytes encrypted in their own blob
beside the journal, and authenticates them when they are read back. What is printed
describes attachments (ids, kinds, sizes, lengths); their bytes only ever go to the file
``extract`` is asked to write.
"""

from __future__ import annotations

import argparse
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app.atomic import write_private
from journal_app.cli.common import opened, opening_secret, require_file, save_journal, when
from journal_app.cli.output import emit, emit_json, note
from journal_app.domain import jsonformat
from journal_app.domain.attachments import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    AttachmentKind,
    AttachmentTooLargeError,
    check_attachment,
    duration_text,
    kind_of,
)
from journal_app.domain.entities import Entry
from journal_app.errors import UsageError
from journal_app.storage import reader

if TYPE_CHECKING:
    from journal_app.storage.journal import Journal
    from journal_app.storage.vault import Vault

NOT_ATTACHED = "nothing was attached"
#: How messages name each kind.
KIND_WORDS = {AttachmentKind.IMAGE: "picture", AttachmentKind.VOICE: "voice note",
              AttachmentKind.DRAWING: "drawing"}

# --------------------------------------------------------------------------- opening


@contextmanager
def _journal(args: argparse.Namespace, *, write: bool) -> Iterator[tuple[Vault, Journal]]:
    """The open vault and the journal object over it (``opened``'s rules: writers hold
    the lock and merge waiting quick notes; an older copy is refused to them)."""
    from journal_app.storage.journal import Journal  # the repositories: only when run

    with opened(args.path, opening_secret(args), write=write,
                accept_older=getattr(args, "accept_older", False)) as (vault, _repo):
        yield vault, Journal(vault)


def _no_entry(entry_id: int) -> UsageError:
    """As the journal object words it for ``attach``."""
    return UsageError(f"There is no entry {entry_id} in this journal.")


# --------------------------------------------------------------------------- attach


def _too_large(given: str, size: int) -> AttachmentTooLargeError:
    return AttachmentTooLargeError(
        f"{given} is {size / 2**20:.0f} MB; an attachment can be at most "
        f"{MAX_ATTACHMENT_BYTES // 2**20} MB. Nothing was attached.")


def _unreadable(given: str, exc: OSError) -> UsageError:
    reason = exc.strerror or type(exc).__name__
    return UsageError(f"The file {given} can't be read ({reason}); {NOT_ATTACHED}.")


def read_attachment_file(given: str) -> bytes:
    """The bytes of FILE as the user named it: a regular file of at most
    ``MAX_ATTACHMENT_BYTES``, its size checked before it is read. Errors name the file,
    never quote its content."""
    path = Path(given)
    try:
        info = path.stat()
    except OSError as exc:
        raise _unreadable(given, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{given} is a folder; give a picture or voice note file. "
                         f"{NOT_ATTACHED.capitalize()}.")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{given} is not a regular file; {NOT_ATTACHED}.")
    if info.st_size > MAX_ATTACHMENT_BYTES:
        raise _too_large(given, info.st_size)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_ATTACHMENT_BYTES + 1)  # it may have grown since stat
    except OSError as exc:
        raise _unreadable(given, exc) from None
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise _too_large(given, len(data))
    return data


def cmd_attach(args: argparse.Namespace) -> int:
    require_file(args.path)
    data = read_attachment_file(args.file)
    kind = AttachmentKind(args.kind) if args.kind else kind_of(data)
    check_attachment(data, kind)  # refused before a passphrase is asked for
    with _journal(args, write=True) as (vault, journal):
        # An unknown entry: UsageError (exit 2) before any blob is written.
        attachment = journal.add_attachment(args.entry_id, kind, data)
        save_journal(vault, "The attachment was not added")
    emit(str(attachment.id))
    return 0


# --------------------------------------------------------------------------- attachments


def size_text(size: int) -> str:
    """``812 B``, ``14.2 KB``, ``3.4 MB`` (powers of 1024, as the size limit is given)."""
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def detail_text(attachment: Attachment) -> str:
    """A voice note's length ("2:05") or a picture's width×height ("640×480")."""
    if attachment.duration_ms is not None:
        return duration_text(attachment.duration_ms)
    if attachment.width is not None and attachment.height is not None:
        return f"{attachment.width}×{attachment.height}"
    return ""


def _entry_when(entry: Entry | None) -> str:
    return when(entry.created_at) if entry is not None else "-"


def attachment_line(attachment: Attachment, entry: Entry | None) -> str:
    return "  ".join([
        f"{attachment.id:>5}", f"entry {attachment.entry_id:<5}", _entry_when(entry),
        f"{attachment.kind.value:<7}", f"{attachment.media_type:<10}",
        f"{size_text(attachment.size):>8}", detail_text(attachment)]).rstrip()


def attachment_dict(attachment: Attachment, entry: Entry | None) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "uid": attachment.uid,
        "entry_id": attachment.entry_id,
        "entry_date": jsonformat.iso(entry.created_at) if entry is not None else None,
        "kind": attachment.kind.value,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "created_at": jsonformat.iso(attachment.created_at),
        "duration_ms": attachment.duration_ms,
        "width": attachment.width,
        "height": attachment.height,
    }


def newest_entry_first(attachments: Sequence[Attachment],
                       entries: dict[int, Entry]) -> list[Attachment]:
    """As ``list`` orders entries (newest first); an entry's attachments oldest first.
    Any whose entry wasn't found come last."""
    by_id = sorted(attachments, key=lambda a: a.id or 0)
    known = [a for a in by_id if a.entry_id in entries]
    # reverse=True keeps equal keys in their order: oldest attachment first
    known.sort(key=lambda a: (entries[a.entry_id].created_at, a.entry_id), reverse=True)
    return known + [a for a in by_id if a.entry_id not in entries]


def _listed(args: argparse.Namespace) -> tuple[list[Attachment], dict[int, Entry]]:
    with _journal(args, write=False) as (vault, journal):
        if args.entry is not None:
            if reader.get_entry(vault.db.conn, args.entry) is None:
                raise _no_entry(args.entry)
            attachments = journal.attachments_for(args.entry)
        else:
            attachments = journal.all_attachments()
        entries = reader.entries_by_id(vault.db.conn, {a.entry_id for a in attachments})
    return newest_entry_first(attachments, entries), entries


def cmd_attachments(args: argparse.Namespace) -> int:
    attachments, entries = _listed(args)
    if args.json:
        emit_json(jsonformat.document(attachments=[
            attachment_dict(a, entries.get(a.entry_id)) for a in attachments]))
    elif attachments:
        emit("\n".join(attachment_line(a, entries.get(a.entry_id)) for a in attachments))
    elif args.entry is not None:
        note(f"Entry {args.entry} has no attachments.")
    else:
        note("This journal has no attachments yet.")
    return 0


# --------------------------------------------------------------------------- extract


def _check_out(args: argparse.Namespace) -> None:
    """Refuse, before asking for anything, an output that is the journal, lies among its
    backups or blobs, is a folder, or exists (unless ``--force``)."""
    out = args.out.expanduser().resolve()
    journal = args.path.expanduser().resolve()
    beside = {journal.with_name(journal.name + suffix) for suffix in (".backups",
                                                                    ".attachments")}
    if out == journal or out.parent in beside:
        raise UsageError("--out names the journal or a file kept with it; choose another "
                         "file.")
    if out.is_dir():
        raise UsageError(f"--out names a folder ({args.out}); give a file name.")
    if args.out.exists() and not args.force:
        raise UsageError(f"{args.out} already exists; nothing was written. Give --force to "
                         "replace it.")


def cmd_extract(args: argparse.Namespace) -> int:
    _check_out(args)
    with _journal(args, write=False) as (_vault, journal):
        attachment = journal.attachment(args.attachment_id)  # unknown: UsageError
        data = journal.attachment_data(attachment)
    write_private(args.out, data)
    note(f"Wrote {args.out}: a {KIND_WORDS[attachment.kind]} ({attachment.media_type}, "
         f"{size_text(len(data))}) from entry {attachment.entry_id}. It is not encrypted.")
    return 0

