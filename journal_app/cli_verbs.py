"""What each command-line verb does (cli.md). Parsing and exit codes live in ``cli``.

Output rule: data goes to stdout (ids, listings, JSON, all as UTF-8); explanations go to
stderr. Readers open the journal without the instance lock, so they work while the GUI
has it open; writers hold the lock, save and close.

``list``, ``show``, ``search`` and ``verify`` read with plain sqlite3 (storage/reader.py,
storage/search.py) and never import SQLAlchemy, which would cost more than the rest of
the command; the repositories (and SQLAlchemy) are imported by the verbs that write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app import cli_secrets
from journal_app.domain import bounds, jsonformat
from journal_app.domain.entities import Entry, EntryKind, Modality, Setting, TreatmentSession
from journal_app.domain.search import (
    MARK_END,
    MARK_START,
    SearchFilters,
    SearchOrder,
    SearchResult,
    strip_marks,
)
from journal_app.errors import (
    ChangedOnDiskError,
    CorruptFileError,
    JournalError,
    UnsafeFileError,
    UsageError,
    WriteFailedError,
    with_backup_hint,
)
from journal_app.storage import filestore, reader
from journal_app.storage.fileformat import KdfParams
from journal_app.storage.keys import calibrate
from journal_app.storage.vault import Secret, Vault, change_passphrase_file, find_openable_backup

if TYPE_CHECKING:
    from journal_app.storage.repository import JournalRepository

# --------------------------------------------------------------------------- output


def _emit(text: str) -> None:
    """Write one line of data to stdout as UTF-8, whatever the console's encoding."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text + "\n")
        stream.flush()
        return
    stream.flush()
    buffer.write((text + "\n").encode("utf-8"))
    buffer.flush()


def _emit_json(obj: dict[str, Any]) -> None:
    _emit(json.dumps(obj, ensure_ascii=False, indent=2))


def note(text: str) -> None:
    print(text, file=sys.stderr)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _when(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _kdf_params(args: argparse.Namespace) -> KdfParams | None:
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


# --------------------------------------------------------------------------- opening


def _require_file(path: Path) -> None:
    """Fail before asking for a secret when there is nothing to open."""
    if not path.exists():
        raise JournalError(f"There is no journal at {path}.")


def _passphrase(args: argparse.Namespace) -> Secret:
    _require_file(args.path)
    return Secret(passphrase=cli_secrets.current(args.passphrase_file))


def _notes(count: int) -> str:
    return f"{count} quick note" + ("" if count == 1 else "s")


def _merge_quick_notes(vault: Vault, repo: JournalRepository) -> None:
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


@contextmanager
def _opened(path: Path, secret: Secret, *,
            write: bool) -> Iterator[tuple[Vault, JournalRepository]]:
    """An open vault and its repository; writers hold the lock, readers don't. Writers
    first merge the waiting quick notes; readers say how many there are."""
    from journal_app.storage.repository import JournalRepository  # SQLAlchemy: only here

    vault = Vault.open(path, secret, lock=write)
    try:
        if write and vault.read_only:
            raise WriteFailedError(
                "The journal's folder can't be written to, so nothing can be saved; the "
                "journal on disk is unchanged.")
        repo = JournalRepository(vault.db)
        if write:
            _merge_quick_notes(vault, repo)
        else:
            _say_waiting(path)
        yield vault, repo
    finally:
        vault.close()


@contextmanager
def _reading(path: Path, secret: Secret) -> Iterator[Vault]:
    """An open vault for the sqlite3-only readers (no lock, no repository)."""
    vault = Vault.open(path, secret, lock=False)
    try:
        _say_waiting(path)
        yield vault
    finally:
        vault.close()


def _save(vault: Vault, not_done: str) -> None:
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


def _read_body(what: str = "entry text", outcome: str = "nothing was added") -> str:
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
    try:
        return bounds.check_text(text, f"{what} on stdin")
    except bounds.OutOfBoundsError as err:
        reason = str(err).removesuffix("; nothing was written.").removesuffix(".")
        raise UsageError(f"{reason}; {outcome}.") from None


# --------------------------------------------------------------------------- verbs


def cmd_init(args: argparse.Namespace) -> int:
    path: Path = args.path
    if path.exists():
        raise JournalError(f"A file already exists at {path}; choose another name.")
    kdf = _kdf_params(args)
    passphrase = cli_secrets.new_passphrase(
        args.passphrase_file, option="--passphrase-file",
        envs=(cli_secrets.ENV_NEW_PASSPHRASE, cli_secrets.ENV_PASSPHRASE))
    if kdf is None:
        note("Measuring this computer to choose the key-derivation settings...")
        kdf = calibrate()
    vault, recovery_key = Vault.create(path, passphrase, kdf)
    vault.close()
    note(f"Created the journal {path}.\n"
         "Below is its recovery key, shown this once. Write it down and keep it apart "
         "from the computer: it is the only way in if the passphrase is forgotten.")
    _emit(recovery_key)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    secret = _passphrase(args)
    with _opened(args.path, secret, write=True) as (vault, repo):
        if cli_secrets.stdin_is_tty():
            note("Type the entry (Markdown), then press Ctrl-D on an empty line "
                 "(Ctrl-Z and Enter on Windows).")
        body = _read_body()
        if not body.strip() and not args.title.strip():
            raise UsageError("Nothing to add: stdin was empty and no --title was given.")
        fields: dict[str, Any] = {"created_at": args.date} if args.date else {}
        entry = repo.add_entry(Entry(kind=EntryKind(args.kind), title=args.title,
                                     body=body.rstrip("\n"), tags=tuple(args.tag),
                                     private=args.private, **fields))
        _save(vault, "The entry was not added")
    _emit(str(entry.id))
    return 0


def _entry_line(entry: Entry) -> str:
    parts = [f"{entry.id:>5}", _when(entry.created_at), f"{entry.kind.value:<13}",
             _one_line(entry.display_title) or "(untitled)"]
    if entry.private:
        parts.append("[private]")
    if entry.tags:
        parts.append(" ".join("#" + tag for tag in entry.tags))
    return "  ".join(parts)


def cmd_list(args: argparse.Namespace) -> int:
    with _reading(args.path, _passphrase(args)) as vault:
        entries = reader.list_entries(vault.db.conn)
    if args.json:
        _emit_json(jsonformat.document(entries=[jsonformat.entry_to_dict(e) for e in entries]))
    elif entries:
        _emit("\n".join(_entry_line(e) for e in entries))
    else:
        note("This journal has no entries yet.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _reading(args.path, _passphrase(args)) as vault:
        entry = reader.get_entry(vault.db.conn, args.id)
    if entry is None:
        raise JournalError(f"There is no entry with id {args.id} in this journal.")
    if args.json:
        _emit_json(jsonformat.document(entry=jsonformat.entry_to_dict(entry)))
        return 0
    lines = [
        f"Title:   {_one_line(entry.title)}",
        f"Kind:    {entry.kind.value}",
        f"Created: {jsonformat.iso(entry.created_at)}",
        f"Updated: {jsonformat.iso(entry.updated_at)}",
        f"Tags:    {', '.join(entry.tags)}",
        f"Private: {'yes' if entry.private else 'no'}",
    ]
    if entry.session_id is not None:
        lines.append(f"Session: {entry.session_id}")
    _emit("\n".join([*lines, "", entry.body]))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """The same search, filters and snippets as the GUI's search page."""
    from journal_app.domain.highlight import tidy_snippet
    from journal_app.storage.search import SearchService

    try:
        filters = SearchFilters(kinds=frozenset(args.kind), tags=tuple(args.tag),
                                session_id=args.session, date_from=args.date_from,
                                date_to=args.date_to, private=args.private)
    except ValueError as exc:
        raise UsageError(f"Those filters don't fit together ({exc}).") from None
    order = SearchOrder.NEWEST if args.newest else SearchOrder.RELEVANCE
    query = " ".join(args.query)  # the words after PATH (cli.search_arguments)
    with _reading(args.path, _passphrase(args)) as vault:
        results = SearchService(vault.db).search(query, filters, order, args.limit)
    if args.json:
        _emit_json(jsonformat.document(query=query,
                                       results=[_result_dict(r, tidy_snippet) for r in results]))
    elif results:
        blocks = []
        for result in results:
            snippet = tidy_snippet(result.snippet).replace(MARK_START, "**")
            blocks.append(f"{_result_line(result)}\n        "
                          f"{_one_line(snippet.replace(MARK_END, '**'))}")
        _emit("\n".join(blocks))
    else:
        note("Nothing matches.")
    return 0


def _result_line(result: SearchResult) -> str:
    if result.entry is not None:
        return _entry_line(result.entry)
    practice = result.practice
    assert practice is not None
    outcome = practice.outcome.value if practice.outcome else "open"
    return (f"p{practice.id:<4}  {_when(practice.chosen_at)}  {'practice':<13}  "
            f"{_one_line(practice.description)}  [{practice.domain.value}, {outcome}]")


def _result_dict(result: SearchResult, tidy: Any) -> dict[str, Any]:
    snippet = strip_marks(tidy(result.snippet))
    if result.entry is not None:
        return {**jsonformat.entry_to_dict(result.entry), "snippet": snippet}
    practice = result.practice
    assert practice is not None
    return {"practice": {
        "id": practice.id, "uid": practice.uid, "domain": practice.domain.value,
        "description": practice.description, "session_id": practice.session_id,
        "chosen_at": practice.chosen_at.isoformat(),
        "outcome": practice.outcome.value if practice.outcome else None,
        "outcome_note": practice.outcome_note, "entry_id": result.linked_entry_id,
    }, "snippet": snippet}


def _database_intact(conn: sqlite3.Connection) -> bool:
    """SQLite's own check of the whole image, then FTS5's check of the search index."""
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        conn.execute("INSERT INTO entries_fts(entries_fts) VALUES('integrity-check')")
    except sqlite3.DatabaseError:
        return False
    return rows == ["ok"]


def cmd_verify(args: argparse.Namespace) -> int:
    secret = _passphrase(args)
    with _reading(args.path, secret) as vault:
        intact = _database_intact(vault.db.conn)
        lines = [
            f"Journal:         {vault.path}",
            f"Generation:      {vault.generation}",
            f"Entries:         {reader.count_entries(vault.db.conn)}",
            f"Sessions:        {reader.count_sessions(vault.db.conn)}",
            f"Schema revision: {vault.db.revision()}",
            f"Backups:         {len(filestore.list_backups(vault.path))}",
            f"Integrity:       {'ok' if intact else 'FAILED'}",
        ]
    _emit("\n".join(lines))
    if not intact:
        raise with_backup_hint(
            CorruptFileError("The journal opens, but the database inside it fails its "
                             "integrity check."),
            find_openable_backup(args.path, secret))
    return 0


def _check_opens(path: Path, secret: Secret) -> None:
    """Open read-only and close: the secret is right and the file is sound (with a backup
    hint if not), checked before a new passphrase is asked for."""
    Vault.open(path, secret, lock=False).close()


def cmd_passwd(args: argparse.Namespace) -> int:
    secret = _passphrase(args)
    kdf = _kdf_params(args)
    _check_opens(args.path, secret)
    new = cli_secrets.new_passphrase(args.new_passphrase_file)
    change_passphrase_file(args.path, secret, new, kdf)
    note("The passphrase was changed. The recovery key is unchanged and still works.")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    _require_file(args.path)
    secret = Secret(recovery_key=cli_secrets.recovery_key(args.recovery_key_file))
    kdf = _kdf_params(args)
    _check_opens(args.path, secret)
    new = cli_secrets.new_passphrase(args.new_passphrase_file)
    change_passphrase_file(args.path, secret, new, kdf)
    note("A new passphrase is set. The recovery key is unchanged: keep it safe.")
    return 0


def _next_number(sessions: Sequence[TreatmentSession]) -> int:
    """One more than the highest number so far (or than the count, if unnumbered)."""
    return max([s.number or 0 for s in sessions] + [len(sessions)]) + 1


def cmd_session_add(args: argparse.Namespace) -> int:
    with _opened(args.path, _passphrase(args), write=True) as (vault, repo):
        number = args.number or _next_number(repo.list_sessions())
        session = repo.add_session(TreatmentSession(
            starts_at=args.date, modality=Modality(args.modality),
            setting=Setting(args.setting), number=number, provider=args.provider))
        _save(vault, "The session was not added")
    _emit(str(session.id))
    return 0
