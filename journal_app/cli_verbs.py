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
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app import cli_secrets
from journal_app.cli_output import json_text, terminal_text
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


def _write_out(text: str) -> None:
    """Write one line to stdout as UTF-8, whatever the console's encoding."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text + "\n")
        stream.flush()
        return
    stream.flush()
    buffer.write((text + "\n").encode("utf-8"))
    buffer.flush()


def _emit(text: str) -> None:
    """Write one line of data to stdout, with nothing in it a terminal would act on
    (cli_output.py): journal text is not trusted output."""
    _write_out(terminal_text(text))


def _emit_json(obj: dict[str, Any]) -> None:
    """JSON on stdout; control characters inside strings are escaped (cli_output.py)."""
    _write_out(json_text(obj))


def note(text: str) -> None:
    """An explanation on stderr; it may quote a file name, so it is made terminal-safe."""
    print(terminal_text(text), file=sys.stderr)


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


class OlderCopyError(JournalError):
    """The journal opened is older than the copy this computer opened last (exit 5)."""

    exit_code = 5


def _open_vault(path: Path, secret: Secret, *, lock: bool) -> Vault:
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
    import importlib  # lazily: the storage side may be newer than this command

    importlib.import_module("journal_app.storage.rollback").accept(vault)
    note(message + " Writing to this copy, as --accept-older asks.")


@contextmanager
def _opened(path: Path, secret: Secret, *, write: bool,
            accept_older: bool = False) -> Iterator[tuple[Vault, JournalRepository]]:
    """An open vault and its repository; writers hold the lock, readers don't. Writers
    first merge the waiting quick notes; readers say how many there are. An older copy
    than the one seen last is refused to writers unless ``accept_older``."""
    from journal_app.storage.repository import JournalRepository  # SQLAlchemy: only here

    vault = _open_vault(path, secret, lock=write)
    try:
        _check_older(vault, write=write, accept_older=accept_older)
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
    vault = _open_vault(path, secret, lock=False)
    try:
        _check_older(vault, write=False)
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
        return _read_body(field, outcome)
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
    outcome = "nothing was added"
    title = args.title
    if args.title_file is not None:
        title = one_line_file(args.title_file, "title", outcome, stdin_free=False)
    tags = [*args.tag, *lines_file(args.tag_file, "tags", outcome, stdin_free=False)]
    secret = _passphrase(args)
    with _opened(args.path, secret, write=True, accept_older=args.accept_older) as (vault,
                                                                                    repo):
        if cli_secrets.stdin_is_tty():
            note("Type the entry (Markdown), then press Ctrl-D on an empty line "
                 "(Ctrl-Z and Enter on Windows).")
        body = _read_body()
        if not body.strip() and not title.strip():
            raise UsageError("Nothing to add: stdin was empty and no --title was given.")
        fields: dict[str, Any] = {"created_at": args.date} if args.date else {}
        entry = repo.add_entry(Entry(kind=EntryKind(args.kind), title=title,
                                     body=body.rstrip("\n"), tags=tuple(tags),
                                     private=args.private, **fields))
        _save(vault, "The entry was not added")
    _emit(str(entry.id))
    return 0


#: How ``list`` and ``show`` mark a quick note: anyone at the computer can write one
#: without the passphrase, so the person sees where it came from.
WRITTEN_LOCKED = "written while locked"


def _entry_line(entry: Entry) -> str:
    parts = [f"{entry.id:>5}", _when(entry.created_at), f"{entry.kind.value:<13}",
             _one_line(entry.display_title) or "(untitled)"]
    if entry.kind is EntryKind.QUICK_CAPTURE:
        parts.append(f"[{WRITTEN_LOCKED}]")
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
    if entry.kind is EntryKind.QUICK_CAPTURE:
        lines.append(f"Written: while locked (a quick note; {WRITTEN_LOCKED}, without the "
                     "passphrase)")
    if entry.session_id is not None:
        lines.append(f"Session: {entry.session_id}")
    _emit("\n".join([*lines, "", entry.body]))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """The same search, filters and snippets as the GUI's search page."""
    from journal_app.domain.highlight import tidy_snippet
    from journal_app.storage.search import SearchService

    outcome = "nothing was searched"
    check_one_stdin(args, "--query-file", "--tag-file")
    if args.query_file is not None:
        if args.query:
            raise UsageError("Give the query as words after PATH or in --query-file, not "
                             "both.")
        query = " ".join(text_file(args.query_file, "search query", outcome).split())
    elif args.query:
        query = " ".join(args.query)  # the words after PATH (cli.search_arguments)
    else:
        raise UsageError('Give a QUERY after PATH or --query-file FILE ("" searches with '
                         "the filters alone).")
    tags = [*args.tag, *lines_file(args.tag_file, "tags", outcome)]
    try:
        filters = SearchFilters(kinds=frozenset(args.kind), tags=tuple(tags),
                                session_id=args.session, date_from=args.date_from,
                                date_to=args.date_to, private=args.private)
    except ValueError as exc:
        raise UsageError(f"Those filters don't fit together ({exc}).") from None
    order = SearchOrder.NEWEST if args.newest else SearchOrder.RELEVANCE
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


def _check_opens(path: Path, secret: Secret, accept_older: bool) -> None:
    """Open read-only and close: the secret is right and the file is sound (with a backup
    hint if not), and not an older copy (unless accepted), checked before a new
    passphrase is asked for."""
    vault = _open_vault(path, secret, lock=False)
    try:
        _check_older(vault, write=True, accept_older=accept_older)
    finally:
        vault.close()


def cmd_passwd(args: argparse.Namespace) -> int:
    secret = _passphrase(args)
    kdf = _kdf_params(args)
    _check_opens(args.path, secret, args.accept_older)
    new = cli_secrets.new_passphrase(args.new_passphrase_file)
    change_passphrase_file(args.path, secret, new, kdf)
    note("The passphrase was changed. The recovery key is unchanged and still works.")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    _require_file(args.path)
    secret = Secret(recovery_key=cli_secrets.recovery_key(args.recovery_key_file))
    kdf = _kdf_params(args)
    _check_opens(args.path, secret, args.accept_older)
    new = cli_secrets.new_passphrase(args.new_passphrase_file)
    change_passphrase_file(args.path, secret, new, kdf)
    note("A new passphrase is set. The recovery key is unchanged: keep it safe.")
    return 0


def _next_number(sessions: Sequence[TreatmentSession]) -> int:
    """One more than the highest number so far (or than the count, if unnumbered)."""
    return max([s.number or 0 for s in sessions] + [len(sessions)]) + 1


def cmd_session_add(args: argparse.Namespace) -> int:
    provider = args.provider
    if args.provider_file is not None:
        provider = one_line_file(args.provider_file, "provider", "the session was not added")
    with _opened(args.path, _passphrase(args), write=True,
                 accept_older=args.accept_older) as (vault, repo):
        number = args.number or _next_number(repo.list_sessions())
        session = repo.add_session(TreatmentSession(
            starts_at=args.date, modality=Modality(args.modality),
            setting=Setting(args.setting), number=number, provider=provider))
        _save(vault, "The session was not added")
    _emit(str(session.id))
    return 0
