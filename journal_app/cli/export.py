"""The ``export`` verb (cli.md): the therapist report. Its arguments are parsed in
report_args.py; this module is imported only when it runs.

It gathers the journal's data (storage/report_source.py), selects the report
(domain/report.py) and writes it (export/service.py) atomically, owner-only. PDF needs Qt:
``journal_app.ui.print.pdf_report`` is imported only then, on the offscreen platform, so
the command line runs without a display. HTML gets the same charts when Qt is available.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import Any

from journal_app.cli import secrets
from journal_app.cli.common import one_line_file, opened, opening_secret
from journal_app.cli.output import note
from journal_app.domain.report import ReportData, ReportRequest, candidate_entries, select_report
from journal_app.errors import JournalError, UsageError
from journal_app.export.service import ReportFormat, export_report
from journal_app.storage.journal import Journal


def _pdf_password(args: argparse.Namespace) -> str | None:
    if args.pdf_password_file is not None:
        return secrets.read_secret_file(args.pdf_password_file, "PDF password")
    return os.environ.get(secrets.ENV_PDF_PASSWORD) or None


def _check_target(args: argparse.Namespace) -> None:
    """Refuse, before asking for anything, an output that would replace the journal."""
    out = args.out.expanduser().resolve()
    journal = args.path.expanduser().resolve()
    if out == journal or out.parent == journal.with_name(journal.name + ".backups"):
        raise UsageError("--out names the journal or one of its backups; choose another file.")
    if out.is_dir():
        raise UsageError(f"--out names a folder ({args.out}); give a file name.")
    if args.start and args.end and args.end < args.start:
        raise UsageError("--to is before --from.")


def _charts(fmt: ReportFormat, data: ReportData) -> tuple[Mapping[str, bytes] | None, Any]:
    """Chart PNGs and the PDF renderer, from the Qt side (only for HTML and PDF)."""
    if fmt not in (ReportFormat.HTML, ReportFormat.PDF):
        return None, None
    try:
        from journal_app.ui.print import pdf_report  # lazy: the CLI's only road to Qt
    except ImportError:
        if fmt is ReportFormat.PDF:
            raise JournalError("PDF export needs the desktop components (Qt), which can't "
                               "be loaded here.") from None
        note("Charts are left out: the desktop components (Qt) can't be loaded.")
        return None, None
    pdf_report.ensure_application()
    return pdf_report.chart_pngs(data), pdf_report.render_pdf


def _left_out_note(private_left_out: int) -> None:
    if private_left_out:
        were = "entry was" if private_left_out == 1 else "entries were"
        note(f"{private_left_out} private {were} left out (--include-private includes them).")


def cmd_export(args: argparse.Namespace) -> int:
    fmt = ReportFormat(args.format)
    _check_target(args)
    password = _pdf_password(args)
    if password and fmt is not ReportFormat.PDF:
        raise UsageError("Only a PDF report can be protected with a password.")
    name = args.name
    if args.name_file is not None:
        name = one_line_file(args.name_file, "name", "nothing was exported")
    secret = opening_secret(args)
    request = ReportRequest(start=args.start, end=args.end,
                            include_private=args.include_private, patient_name=name,
                            include_voice_notes=args.include_voice_notes)
    with opened(args.path, secret, write=False) as (vault, _repo):
        # Attachments are read while the journal is open, and only those the report shows.
        inputs = Journal(vault).report_inputs()
        data = select_report(inputs, request)
    charts, pdf_renderer = _charts(fmt, data)
    export_report(data, fmt, args.out, charts=charts, pdf_renderer=pdf_renderer,
                  password=password)
    private = sum(1 for e in candidate_entries(inputs, request) if e.private)
    note(f"Wrote {args.out}: {len(data.entries)} entries, {len(data.sessions)} "
         f"sessions, {len(data.check_ins)} check-ins"
         + (", password-protected." if password else "."))
    if not args.include_private:
        _left_out_note(private)
    return 0
