"""What the command-line verbs share: opening and saving the journal, the quick-note merge,
and reading journal text from files and stdin. Parsing and exit codes live in dispatch.py;
printing in output.py.

Readers open the journal without the instance lock, so they work while the GUI has it
open; writers hold the lock, merge the waiting quick notes first (as the app does at
unlock), save and close. :func:`reading` needs only plain sqlite3 (storage/reader.py), and
so does :func:`writing` (``add``: storage/quick_add.py) unless quick notes may be waiting;
SQLAlchemy is imported by :func:`opened`, which the other verbs that write use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.cli import secrets
from journal_app.cli.output import note
from journal_app.domain import bounds
from journal_app.errors import (
    ChangedOnDiskError,
    JournalError,
    UnsafeFileError,
    UsageError,
    WriteFailedError,
)
from journal_app.storage.fileformat import KdfParams
from journal_app.storage.vault import Secret, Vault

if TYPE_CHECKING:
    from journal_app.storage.repository import JournalRepository

# --------------------------------------------------------------------------- formatting


def one_line(text: str) -> str:
    return " ".join(text.split())


def when(value: dt.datetime) -> str:
    """``value`` as 2026-03-01 14:30, in its own offset. ``isoformat`` says the same
    ~5x faster (``list`` prints tens of thousands); ``strftime`` writes a year before
    1000 as the platform does."""
    if value.year >= 1000:
        return value.isoformat(" ", "minutes")[:16]
    return value.strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------- secrets


def kdf_params(args: argparse.Namespace) -> KdfParams | None:
    """KDF settings from ``--kdf-memory``/``--kdf-iterations``, or None when neither given."""
    if args.kdf_memory is None and args.kdf_iterations is None:
        return None
    mib = args.kdf_memory if args.kdf_memory is not None else 64
    iterations = args.kdf_iterations if args.kdf_iterations is not None else 3
    params = KdfParams(memory_kib=mib * 1024, iterations=iterations,
                       lanes=max(1, min(4, mib // 8)))
    try:
        params.check()
    except UnsafeFileError:
        raise UsageError("--kdf-memory must be 8 to 1024 (MiB) and --kdf-iterations "
                         "1 to 64.") from None
    return params


def require_file(path: Path) -> None:
    """Fail before asking for a secret when there is nothing to open."""
    if not path.exists():
        raise JournalError(f"There is no journal at {path}.")


def opening_secret(args: argparse.Namespace) -> Secret:
    """The passphrase that opens the journal at ``args.path`` (asked for only if it exists)."""
    require_file(args.path)
    return Secret(passphrase=secrets.current(args.passphrase_file))


# --------------------------------------------------------------------------- quick notes


def _notes(count: int) -> str:
    return f"{count} quick note" + ("" if count == 1 else "s")


def merge_quick_notes(vault: Vault, repo: JournalRepository) -> None:
    """Add the quick notes waiting beside the journal, as the app does at unlock (it saves
    the journal if there were any), and say how many on stderr. If they can't be added,
    the command still runs and the notes stay in the inbox for the next time."""
    from journal_app.storage import inbox

    try:
        report = inbox.merge_inbox(vault, repo)
    except JournalError as err:
        note(f"The quick notes waiting beside the journal were not added ({err.message}); "
             "they stay in its inbox.")
        return
    if report.merged:
        note(f"Added {_notes(report.merged)} kept while the journal was locked.")
    if report.redated:
        they = "it is" if report.redated == 1 else "they are"
        note(f"{_notes(report.redated)} claimed a time before the journal was last saved "
             f"or still to come; {they} dated when they were added, with the time claimed "
             "noted at the end.")
    if report.waiting:
        are = "is" if report.waiting == 1 else "are"
        note(f"{_notes(report.waiting)} {are} still waiting (at most {inbox.MAX_MERGE} are "
             "added at a time); the rest are added the next time the journal is unlocked "
             "or written to.")
    if report.damaged:
        note(f"{_notes(report.damaged)} beside the journal can't be read; left in its inbox.")
    if report.not_removed:
        note(f"{_notes(report.not_removed)} were added but could not be removed from the "
             "inbox; they won't be added twice.")


def _say_waiting(path: Path) -> None:
    """Readers never merge: they say how many quick notes wait (no passphrase needed to
    count them). Counts only, on stderr, so --json output stays parseable."""
    from journal_app.storage import inbox

    try:
        count = len(inbox.inbox_items(path))
    except JournalError:
        return
    if count:
        are = "is" if count == 1 else "are"
        note(f"{_notes(count)} {are} waiting; they are added when the journal is next "
             "unlocked in the app or written to by a command (e.g. journal-app add).")


# --------------------------------------------------------------------------- opening


class OlderCopyError(JournalError):
    """The journal opened is older than the copy this computer opened last (exit 5)."""

    exit_code = 5


def open_vault(path: Path, secret: Secret, *, lock: bool) -> Vault:
    """Every verb opens the journal here (tests put an older copy behind it)."""
    return Vault.open(path, secret, lock=lock)


def _older_copy(vault: Vault) -> str | None:
    """What to say when storage found this journal older than the copy seen last
    (``vault.rollback``: None, or ``opened_generation`` and ``seen_generation``)."""
    rollback = getattr(vault, "rollback", None)
    if rollback is None:
        return None
    return ("This journal is older than the copy this computer opened last (generation "
            f"{int(rollback.opened_generation)}, seen {int(rollback.seen_generation)}): "
            "entries written since may be missing. Was it restored from a backup, or put "
            "back by a sync service?")


def _check_older(vault: Vault, *, write: bool, accept_older: bool = False) -> None:
    """Readers warn and go on; writers refuse (exit 5) unless ``--accept-older``."""
    message = _older_copy(vault)
    if message is None:
        return
    if not write:
        note(message + " Showing this copy.")
        return
    if not accept_older:
        raise OlderCopyError(f"{message} Nothing was written; run again with "
                             "--accept-older to write to this copy anyway.")
    # Looked up when needed: the storage side may be newer than this command.
    importlib.import_module("journal_app.storage.rollback").accept(vault)
    note(message + " Writing to this copy, as --accept-older asks.")


#: Said on stderr when the journal's last save had not finished (``vault.unfinished_save``):
#: a torn record at the file's end, so storage opened the journal at the save before.
UNFINISHED_SAVE = ("The last save of this journal did not finish; it opened as it was at "
                   "the save before.")


def _say_unfinished(vault: Vault) -> None:
    """One calm line on stderr (so --json output stays parseable), nothing of the
    journal's content; the command goes on and its exit code is unchanged."""
    if getattr(vault, "unfinished_save", None) is not None:
        note(UNFINISHED_SAVE)


def _checked(vault: Vault, *, write: bool, accept_older: bool = False) -> None:
    """What every verb says or refuses about the journal it opened, before using it."""
    _say_unfinished(vault)
    _check_older(vault, write=write, accept_older=accept_older)


def _refuse_read_only(vault: Vault) -> None:
    if vault.read_only:
        raise WriteFailedError(
            "The journal's folder can't be written to, so nothing can be saved; the "
            "journal on disk is unchanged.")


@contextmanager
def opened(path: Path, secret: Secret, *, write: bool, accept_older: bool = False,
           keep_additions: bool = False) -> Iterator[tuple[Vault, JournalRepository]]:
    """An open vault and its repository; writers hold the lock, readers don't. Writers
    first merge the waiting quick notes; readers say how many there are. An older copy
    than the one seen last is refused to writers unless ``accept_older``.
    ``keep_additions``: a verb that adds one thing (a session, a check-in) leaves its save
    as a change record if it only added rows, rather than rewriting the whole journal at
    closing (Vault.close); a save that changed or removed rows is compacted as before."""
    from journal_app.storage.repository import JournalRepository  # SQLAlchemy: only here

    vault = open_vault(path, secret, lock=write)
    try:
        _checked(vault, write=write, accept_older=accept_older)
        if write:
            _refuse_read_only(vault)
        repo = JournalRepository(vault.db)
        if write:
            merge_quick_notes(vault, repo)
        else:
            _say_waiting(path)
        yield vault, repo
    finally:
        vault.close(keep_additions=keep_additions)


def _inbox_in_use(path: Path) -> bool:
    """Whether the quick-capture inbox beside ``path`` holds anything (notes, or temp files
    a merge would tidy) or can't be looked at (a merge would say why): only then has a
    merge anything to do."""
    from journal_app.storage.inbox import inbox_dir  # light: the note format isn't loaded

    try:
        with os.scandir(inbox_dir(path)) as found:
            return next(found, None) is not None
    except FileNotFoundError:
        return False
    except OSError:
        return True


@contextmanager
def writing(path: Path, secret: Secret, *, accept_older: bool = False) -> Iterator[Vault]:
    """An open, locked vault for a writer that needs no repository (``add`` writes with
    plain sqlite3, storage/quick_add.py): refused as by :func:`opened` (an older copy
    unless ``accept_older``, a folder that can't be written to), and the waiting quick
    notes merged first. The repositories (and SQLAlchemy) are imported only for that
    merge, when the inbox holds anything. Closing keeps a save that only added rows as
    one change record appended to the file (Vault.close's ``keep_additions``): an ``add``
    writes its entry, not the whole journal again."""
    vault = open_vault(path, secret, lock=True)
    try:
        _checked(vault, write=True, accept_older=accept_older)
        _refuse_read_only(vault)
        if _inbox_in_use(vault.path):
            from journal_app.storage.repository import JournalRepository

            merge_quick_notes(vault, JournalRepository(vault.db))
        yield vault
    finally:
        vault.close(keep_additions=True)


@contextmanager
def reading(path: Path, secret: Secret) -> Iterator[Vault]:
    """An open vault for the sqlite3-only readers (no lock, no repository)."""
    vault = open_vault(path, secret, lock=False)
    try:
        _checked(vault, write=False)
        _say_waiting(path)
        yield vault
    finally:
        vault.close()


def check_opens(path: Path, secret: Secret, accept_older: bool) -> None:
    """Open read-only and close: the secret is right and the file is sound (with a backup
    hint if not), and not an older copy (unless accepted), checked before a new
    passphrase is asked for."""
    vault = open_vault(path, secret, lock=False)
    try:
        _checked(vault, write=True, accept_older=accept_older)
    finally:
        vault.close()


def save_journal(vault: Vault, not_done: str) -> None:
    """Save, with a failure message that fits a one-shot command (nothing stays open);
    ``not_done`` says what did not happen, e.g. "The entry was not added"."""
    try:
        vault.save()
    except WriteFailedError as err:
        cause = err.__cause__
        reason = (f"Could not save the journal ({cause.strerror})." if
                  isinstance(cause, OSError) and cause.strerror else err.message)
        raise WriteFailedError(f"{reason} {not_done}; the journal on disk is "
                               "unchanged.") from err
    except ChangedOnDiskError as err:
        raise ChangedOnDiskError(
            f"{not_done}: another program changed the journal file while this "
            "command ran, and its version was kept. Run the command again.") from err


# --------------------------------------------------------------------------- text input


def read_stdin(what: str = "entry text", outcome: str = "nothing was added") -> str:
    """All of stdin as text (UTF-8, a BOM ignored); ``what``/``outcome`` word the error.

    Bytes that aren't UTF-8 are refused, and so is text with lone surrogates (what a stdin
    without a byte buffer gives in a locale that decodes with ``surrogateescape``)."""
    stream = sys.stdin
    if stream is None:
        return ""
    buffer = getattr(stream, "buffer", None)
    try:
        text = stream.read() if buffer is None else buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError:  # from None: the codec error would quote the text
        raise UsageError(f"The {what} on stdin is not UTF-8; {outcome}.") from None
    return _within_bounds(text, f"{what} on stdin", outcome)


def _within_bounds(text: str, field: str, outcome: str) -> str:
    """``text`` if bounds.check_text accepts it; otherwise a usage error that says why
    and what happened instead (``outcome``), never quoting the text."""
    try:
        return bounds.check_text(text, field)
    except bounds.OutOfBoundsError as err:
        reason = str(err).removesuffix("; nothing was written.").removesuffix(".")
        raise UsageError(f"{reason}; {outcome}.") from None


#: Read at most this much of a text file: more can't be within bounds.check_text.
_MAX_FILE_BYTES = 4 * bounds.MAX_TEXT_CHARS + 4


def text_file(file: str, field: str, outcome: str, *, stdin_free: bool = True) -> str:
    """The text of ``--FIELD-file FILE`` (``-``: stdin, where stdin isn't the body):
    UTF-8 (a BOM ignored) and within bounds, or a usage error naming the field, never
    quoting the text. Keeps journal text out of argv (the process list, shell history)."""
    if file == "-":
        if not stdin_free:
            raise UsageError(f"The {field} can't be read from stdin here: stdin is the "
                             f"entry's text. Give a file; {outcome}.")
        return read_stdin(field, outcome)
    path = Path(file)
    try:
        with open(path, "rb") as f:
            raw = f.read(_MAX_FILE_BYTES)
    except OSError as exc:  # from None: nothing of the file is quoted
        raise UsageError(f"The {field} file {path} can't be read "
                         f"({exc.strerror or type(exc).__name__}); {outcome}.") from None
    if len(raw) >= _MAX_FILE_BYTES:  # over the bound, whatever the rest holds
        raise UsageError(f"The {field} in {path.name} is longer than "
                         f"{bounds.MAX_TEXT_CHARS:,} characters; {outcome}.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"The {field} file {path} is not UTF-8 text; {outcome}.") from None
    return _within_bounds(text, f"{field} in {path.name}", outcome)


def one_line_file(file: str, field: str, outcome: str, *, stdin_free: bool = True) -> str:
    """A title, name or provider from a file: its text without the final line end."""
    return text_file(file, field, outcome, stdin_free=stdin_free).rstrip("\r\n")


def lines_file(file: str | None, field: str, outcome: str, *,
               stdin_free: bool = True) -> list[str]:
    """One value a line (tags): blank lines skipped, space around each dropped."""
    if file is None:
        return []
    text = text_file(file, field, outcome, stdin_free=stdin_free)
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_one_stdin(args: argparse.Namespace, *options: str) -> None:
    """At most one ``--X-file -`` per command: stdin can be read once."""
    given = [o for o in options if getattr(args, o.lstrip("-").replace("-", "_"), None) == "-"]
    if len(given) > 1:
        raise UsageError(f"Only one of {' and '.join(given)} can read stdin (-).")
