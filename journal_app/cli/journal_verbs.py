"""The journal verbs (cli.md): ``init``, ``add``, ``list``, ``show``, ``search``,
``verify``, ``passwd`` and ``recover``. Their arguments are parsed in journal_args.py.

Output rule: data goes to stdout (ids, listings, JSON, all as UTF-8); explanations go to
stderr. ``list``, ``show``, ``search`` and ``verify`` read with plain sqlite3
(storage/reader.py, storage/search.py) and ``add`` writes with it (storage/quick_add.py):
none imports SQLAlchemy, which would cost more than the rest of the command. The
exceptions: ``add`` when quick notes wait (their merge uses the repositories), and
``verify`` on a journal that has attachments, which loads the journal object to
authenticate their blobs (that costs far more than the import).
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app.cli import secrets
from journal_app.cli.common import (
    check_one_stdin,
    check_opens,
    kdf_params,
    lines_file,
    one_line,
    one_line_file,
    opening_secret,
    read_stdin,
    reading,
    require_file,
    save_journal,
    text_file,
    when,
    writing,
)
from journal_app.cli.output import emit, emit_json, note
from journal_app.domain import jsonformat
from journal_app.domain.entities import Entry, EntryKind
from journal_app.errors import (
    CorruptFileError,
    DamagedAttachmentError,
    DamagedFileError,
    JournalError,
    UsageError,
    with_backup_hint,
)
from journal_app.storage import filestore, quick_add, reader
from journal_app.storage.keys import calibrate
from journal_app.storage.vault import Secret, Vault, change_passphrase_file, find_openable_backup

if TYPE_CHECKING:
    from journal_app.domain.search import SearchResult

# --------------------------------------------------------------------------- writing


def cmd_init(args: argparse.Namespace) -> int:
    path: Path = args.path
    if path.exists():
        raise JournalError(f"A file already exists at {path}; choose another name.")
    kdf = kdf_params(args)
    passphrase = secrets.new_passphrase(
        args.passphrase_file, option="--passphrase-file",
        envs=(secrets.ENV_NEW_PASSPHRASE, secrets.ENV_PASSPHRASE))
    if kdf is None:
        note("Measuring this computer to choose the key-derivation settings...")
        kdf = calibrate()
    vault, recovery_key = Vault.create(path, passphrase, kdf)
    vault.close()
    note(f"Created the journal {path}.\n"
         "Below is its recovery key, shown this once. Write it down and keep it apart "
         "from the computer: it is the only way in if the passphrase is forgotten.")
    emit(recovery_key)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    outcome = "nothing was added"
    title = args.title
    if args.title_file is not None:
        title = one_line_file(args.title_file, "title", outcome, stdin_free=False)
    tags = [*args.tag, *lines_file(args.tag_file, "tags", outcome, stdin_free=False)]
    secret = opening_secret(args)
    with writing(args.path, secret, accept_older=args.accept_older) as vault:
        if secrets.stdin_is_tty():
            note("Type the entry (Markdown), then press Ctrl-D on an empty line "
                 "(Ctrl-Z and Enter on Windows).")
        body = read_stdin()
        if not body.strip() and not title.strip():
            raise UsageError("Nothing to add: stdin was empty and no --title was given.")
        fields: dict[str, Any] = {"created_at": args.date} if args.date else {}
        entry = quick_add.add_entry(vault.db, Entry(
            kind=EntryKind(args.kind), title=title, body=body.rstrip("\n"), tags=tuple(tags),
            private=args.private, **fields))
        save_journal(vault, "The entry was not added")
    emit(str(entry.id))
    return 0


# --------------------------------------------------------------------------- reading


#: How ``list`` and ``show`` mark a quick note: anyone at the computer can write one
#: without the passphrase, so the person sees where it came from.
WRITTEN_LOCKED = "written while locked"


_KIND_COLUMN = {kind: f"{kind.value:<13}" for kind in EntryKind}


def _entry_line(entry: Entry | reader.EntryLine) -> str:
    """The line ``list`` (and ``search``, above its snippet) prints for an entry: id, time,
    kind, display title, then marks and tags, two spaces apart."""
    line = (f"{entry.id:>5}  {when(entry.created_at)}  {_KIND_COLUMN[entry.kind]}  "
            f"{one_line(entry.display_title) or '(untitled)'}")
    if entry.kind is EntryKind.QUICK_CAPTURE:
        line += f"  [{WRITTEN_LOCKED}]"
    if entry.private:
        line += "  [private]"
    if entry.tags:
        line += "  #" + " #".join(entry.tags)
    return line


def cmd_list(args: argparse.Namespace) -> int:
    """One line an entry (what reader.list_lines reads: no whole bodies), or every entry
    whole as JSON."""
    with reading(args.path, opening_secret(args)) as vault:
        if args.json:
            entries = reader.list_entries(vault.db.conn)
        else:
            lines = reader.list_lines(vault.db.conn)
    if args.json:
        emit_json(jsonformat.document(entries=[jsonformat.entry_to_dict(e) for e in entries]))
    elif lines:
        emit("\n".join(_entry_line(line) for line in lines))
    else:
        note("This journal has no entries yet.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with reading(args.path, opening_secret(args)) as vault:
        entry = reader.get_entry(vault.db.conn, args.id)
    if entry is None:
        raise JournalError(f"There is no entry with id {args.id} in this journal.")
    if args.json:
        emit_json(jsonformat.document(entry=jsonformat.entry_to_dict(entry)))
        return 0
    lines = [
        f"Title:   {one_line(entry.title)}",
        f"Kind:    {entry.kind.value}",
        f"Created: {jsonformat.iso(entry.created_at)}",
        f"Updated: {jsonformat.iso(entry.updated_at)}",
        f"Tags:    {', '.join(entry.tags)}",
        f"Private: {'yes' if entry.private else 'no'}",
    ]
    if entry.kind is EntryKind.QUICK_CAPTURE:
        lines.append(f"Written: while locked (a quick note; {WRITTEN_LOCKED}, without the "
                     "passphrase)")
    if entry.session_id is not None:
        lines.append(f"Session: {entry.session_id}")
    emit("\n".join([*lines, "", entry.body]))
    return 0


# --------------------------------------------------------------------------- search


def _search_query(args: argparse.Namespace, outcome: str) -> str:
    """The words after PATH (journal_args.search_arguments) or the text of --query-file."""
    if args.query_file is not None:
        if args.query:
            raise UsageError("Give the query as words after PATH or in --query-file, not "
                             "both.")
        return " ".join(text_file(args.query_file, "search query", outcome).split())
    if args.query:
        return " ".join(args.query)
    raise UsageError('Give a QUERY after PATH or --query-file FILE ("" searches with '
                     "the filters alone).")


def cmd_search(args: argparse.Namespace) -> int:
    """The same search, filters and snippets as the GUI's search page."""
    # Only search needs these (domain.search brings practices, prompts and tomllib).
    from journal_app.domain.highlight import tidy_snippet
    from journal_app.domain.search import MARK_END, MARK_START, SearchFilters, SearchOrder
    from journal_app.storage.search import SearchService

    outcome = "nothing was searched"
    check_one_stdin(args, "--query-file", "--tag-file")
    query = _search_query(args, outcome)
    tags = [*args.tag, *lines_file(args.tag_file, "tags", outcome)]
    try:
        filters = SearchFilters(kinds=frozenset(args.kind), tags=tuple(tags),
                                session_id=args.session, date_from=args.date_from,
                                date_to=args.date_to, private=args.private)
    except ValueError as exc:
        raise UsageError(f"Those filters don't fit together ({exc}).") from None
    order = SearchOrder.NEWEST if args.newest else SearchOrder.RELEVANCE
    with reading(args.path, opening_secret(args)) as vault:
        results = SearchService(vault.db).search(query, filters, order, args.limit)
    if args.json:
        emit_json(jsonformat.document(query=query,
                                      results=[_result_dict(r, tidy_snippet) for r in results]))
    elif results:
        blocks = []
        for result in results:
            snippet = tidy_snippet(result.snippet).replace(MARK_START, "**")
            blocks.append(f"{_result_line(result)}\n        "
                          f"{one_line(snippet.replace(MARK_END, '**'))}")
        emit("\n".join(blocks))
    else:
        note("Nothing matches.")
    return 0


def _result_line(result: SearchResult) -> str:
    if result.entry is not None:
        return _entry_line(result.entry)
    practice = result.practice
    assert practice is not None
    outcome = practice.outcome.value if practice.outcome else "open"
    return (f"p{practice.id:<4}  {when(practice.chosen_at)}  {'practice':<13}  "
            f"{one_line(practice.description)}  [{practice.domain.value}, {outcome}]")


def _result_dict(result: SearchResult, tidy: Any) -> dict[str, Any]:
    from journal_app.domain.search import strip_marks

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


# --------------------------------------------------------------------------- the file


def _database_intact(conn: sqlite3.Connection) -> bool:
    """SQLite's own check of the whole image, then FTS5's check of the search index."""
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        # rank 1: also compare the index with the entries it is made from (FTS5's plain
        # check of an external-content index looks at the index alone).
        conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return rows == ["ok"]


def _attachment_count(conn: sqlite3.Connection) -> int:
    """How many attachments the database refers to (plain sqlite3, like the checks
    above): only a journal that has some needs the journal object to check their blobs."""
    try:
        row = conn.execute("SELECT count(*) FROM attachments").fetchone()
    except sqlite3.DatabaseError:
        return 0
    return int(row[0])


def _damaged_attachments(vault: Vault) -> list[DamagedAttachmentError]:
    """Read and authenticate every referenced blob (storage/journal.py)."""
    from journal_app.storage.journal import Journal  # the repositories: only when needed

    return Journal(vault).verify_attachments()


def _damaged_lines(damaged: list[DamagedAttachmentError],
                   entries: dict[int, Entry]) -> list[str]:
    lines = []
    for err in damaged:
        entry = entries.get(err.entry_id)
        written = f" ({when(entry.created_at)})" if entry is not None else ""
        lines.append(f"Damaged:         attachment {err.attachment_id}, entry "
                     f"{err.entry_id}{written}")
    return lines


def _attachments_text(count: int, damaged: int) -> str:
    if not count:
        return "none"
    return f"{count}, all intact" if not damaged else f"{count}, {damaged} damaged"


def _damaged_error(damaged: list[DamagedAttachmentError], count: int) -> DamagedFileError:
    some = f"{len(damaged)} of its {count} attachments" if count > 1 else "its attachment"
    why = ("its encrypted file beside the journal is missing or damaged (or not the one "
           "its entry refers to)" if len(damaged) == 1 else "their encrypted files beside "
           "the journal are missing or damaged (or not the ones their entries refer to)")
    return DamagedFileError(
        f"The journal itself is intact, but {some} can't be read (listed above): {why}. "
        "The entries and the rest of the journal are not affected.")


def cmd_verify(args: argparse.Namespace) -> int:
    secret = opening_secret(args)
    with reading(args.path, secret) as vault:
        conn = vault.db.conn
        intact = _database_intact(conn)
        count = _attachment_count(conn) if intact else 0
        damaged = _damaged_attachments(vault) if count else []
        entries = reader.entries_by_id(conn, {err.entry_id for err in damaged})
        lines = [
            f"Journal:         {vault.path}",
            f"Generation:      {vault.generation}",
            f"Entries:         {reader.count_entries(conn)}",
            f"Sessions:        {reader.count_sessions(conn)}",
            f"Schema revision: {vault.db.revision()}",
            f"Backups:         {len(filestore.list_backups(vault.path))}",
            f"Integrity:       {'ok' if intact else 'FAILED'}",
            "Attachments:     " + (_attachments_text(count, len(damaged)) if intact
                                   else "not checked"),
            *_damaged_lines(damaged, entries),
        ]
    emit("\n".join(lines))
    if not intact:
        raise with_backup_hint(
            CorruptFileError("The journal opens, but the database inside it fails its "
                             "integrity check."),
            find_openable_backup(args.path, secret))
    if damaged:
        raise _damaged_error(damaged, count)
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    secret = opening_secret(args)
    kdf = kdf_params(args)
    check_opens(args.path, secret, args.accept_older)
    new = secrets.new_passphrase(args.new_passphrase_file)
    change_passphrase_file(args.path, secret, new, kdf)
    note("The passphrase was changed. The recovery key is unchanged and still works.")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    require_file(args.path)
    secret = Secret(recovery_key=secrets.recovery_key(args.recovery_key_file))
    kdf = kdf_params(args)
    check_opens(args.path, secret, args.accept_older)
    new = secrets.new_passphrase(args.new_passphrase_file)
    change_passphrase_file(args.path, secret, new, kdf)
    note("A new passphrase is set. The recovery key is unchanged: keep it safe.")
    return 0
