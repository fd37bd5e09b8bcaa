"""The ``import`` verb (cli.md). Its arguments are parsed in report_args.py; this module
is imported only when it runs.

Without ``--from`` it reads our own JSON export in full (refusing, before the journal is
opened, any value out of bounds: exit 2) and merges it by uid and content; nothing here is
ever deleted or replaced, and a conflict keeps both (storage/json_import.py). The summary
counts, per kind, what was added, what was already here and what was kept as a copy or
left out.

``--from jrnl|dayone|markdown [--dry-run] [--private]`` imports a journal kept elsewhere
(domain/importers), merged the same way (by uid, never wiping; a source imported twice
adds nothing the second time). The source is read in full and held to the caps and bounds
before the journal is opened (a damaged file leaves it unopened and unchanged).
``--dry-run`` reads only the source and prints what it holds (the preview) on stdout: no
passphrase, nothing written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from journal_app.cli.common import opened, opening_secret, save_journal
from journal_app.cli.output import emit, note
from journal_app.domain.importers import SourceKind, read_source
from journal_app.domain.importers.common import (
    ImportChoices,
    split_known,
    to_imported,
)
from journal_app.domain.importers.preview import Preview, make_preview
from journal_app.domain.transfer import COPY_MARK, ImportResult
from journal_app.errors import JournalError, UsageError

KIND_NAMES = {SourceKind.JRNL: "jrnl", SourceKind.DAYONE: "Day One",
              SourceKind.MARKDOWN: "Markdown folder"}


def cmd_import(args: argparse.Namespace) -> int:
    """The ``import`` verb: ``--from`` picks another journal's format; without it, our own
    JSON export (:func:`import_export_file`)."""
    if getattr(args, "source", None):
        return run_import_from(args)
    if getattr(args, "dry_run", False):
        raise UsageError("--dry-run goes with --from jrnl|dayone|markdown.")
    return import_export_file(args)


# --------------------------------------------------------------------------- our own JSON


def _read_import(file: Path) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise JournalError(f"{file} can't be read ({exc.strerror}).") from exc


def import_export_file(args: argparse.Namespace) -> int:
    """Merge ``args.file``, written by ``export --format json``, into the journal."""
    from journal_app.export.json_format import parse_export  # not needed by --from
    from journal_app.storage.journal import Journal

    imported = parse_export(_read_import(args.file), name=args.file.name)
    secret = opening_secret(args)
    with opened(args.path, secret, write=True,
                accept_older=args.accept_older) as (vault, _repo):
        result = Journal(vault).import_journal(imported)
        if vault.dirty:
            save_journal(vault, "Nothing was imported")
    note(f"Imported from {args.file.name}: {result.summary()}")
    return 0


# --------------------------------------------------------------------------- --from


def _kind(value: str) -> SourceKind:
    try:
        return SourceKind(value)
    except ValueError:
        raise UsageError("--from must be jrnl, dayone or markdown.") from None


def preview_lines(preview: Preview) -> list[str]:
    """The preview as lines of text (entry titles included: this is data for the person
    who asked, on stdout, not a message)."""
    lines = [f"Source: {preview.name} ({KIND_NAMES[preview.kind]})",
             f"Entries: {preview.entries}"]
    if preview.first and preview.last:
        lines.append(f"Dates: {preview.first.isoformat()} to {preview.last.isoformat()}")
    if preview.tags:
        lines.append("Tags: " + ", ".join(f"{tag} ({n})" for tag, n in preview.tags))
    lines.extend(f"Sample: {title}" for title in preview.sample)
    lines.extend(f"Not imported: {s.place}: {s.reason}" for s in preview.skipped)
    lines.extend(f"Note: {warning}" for warning in preview.warnings)
    return lines


def entries_summary(result: ImportResult) -> str:
    added = result.entries_added
    text = (f"{added} new {'entry' if added == 1 else 'entries'}, "
            f"{result.entries_unchanged} already here")
    if result.entries_copied:
        text += (f", {result.entries_copied} kept as a copy beside the one here (changed "
                 f"since the last import; tagged '{COPY_MARK}')")
    return text + "."


def run_import_from(args: argparse.Namespace) -> int:
    """Read ``args.file`` as ``args.source``; print the preview (``args.dry_run``) or merge
    it into the journal at ``args.path`` and save. Returns the exit code."""
    kind = _kind(args.source)
    file = Path(args.file)
    source = read_source(file, kind)
    preview = make_preview(source)
    if getattr(args, "dry_run", False):
        for line in preview_lines(preview):
            emit(line)
        note("Dry run: only the source was read; nothing was written.")
        return 0
    imported = to_imported(source, ImportChoices(private=getattr(args, "private", False)))
    secret = opening_secret(args)
    with opened(args.path, secret, write=True,
                accept_older=getattr(args, "accept_older", False)) as (vault, repo):
        from journal_app.storage.journal import Journal

        rest, known = split_known(imported, repo.entries_by_uid)
        result = Journal(vault).import_journal(rest)
        result.entries_unchanged += known
        if vault.dirty:
            save_journal(vault, "Nothing was imported")
    note(f"Imported from {file.name} ({KIND_NAMES[kind]}): {entries_summary(result)}")
    for skipped in preview.skipped:
        note(f"Not imported: {skipped.place}: {skipped.reason}.")
    for warning in preview.warnings:
        note(warning)
    return 0
