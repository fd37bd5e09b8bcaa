"""Arguments of the report verbs: ``export`` (export.py) and ``import`` (imports.py)."""

from __future__ import annotations

from pathlib import Path

from journal_app.cli import secrets
from journal_app.cli.arguments import (
    Verbs,
    add_accept_older,
    add_passphrase_file,
    add_path,
    add_text,
    report_date,
)

#: ``export.service.ReportFormat``'s values, here so that parsing needs no export code
#: (tests/unit/cli/test_startup.py checks that they agree).
REPORT_FORMATS = ("md", "html", "json", "pdf")


def add_report_parsers(verbs: Verbs) -> None:
    """``export`` and ``import``."""
    p = verbs.add_parser("export", help="the therapist report; private entries are left out "
                                        "unless --include-private")
    add_path(p)
    p.add_argument("--format", required=True, choices=REPORT_FORMATS)
    p.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help="the file to write (replaced if it exists; readable only by you)")
    p.add_argument("--from", dest="start", type=report_date, metavar="DATE",
                   help="first day of the report (default: the earliest content)")
    p.add_argument("--to", dest="end", type=report_date, metavar="DATE",
                   help="last day of the report (default: the latest content)")
    p.add_argument("--include-private", action="store_true",
                   help="include entries marked private")
    p.add_argument("--include-voice-notes", action="store_true",
                   help="include the chosen entries' voice notes (the html report plays "
                        "them; the pdf lists them); pictures and drawings are always included")
    add_text(p, "name", "name",
             "the name to print on the report (e.g. how your clinic knows you)")
    p.add_argument("--pdf-password-file", type=Path, metavar="FILE",
                   help="protect the PDF (AES-256) with the password on the first line of "
                        f"FILE; or set {secrets.ENV_PDF_PASSWORD}")
    add_passphrase_file(p)
    p.set_defaults(handler="export:cmd_export")

    p = verbs.add_parser("import", help="entries from our own json export, or with --from "
                                        "from jrnl, Day One or Markdown files (merges, "
                                        "never wipes)")
    add_path(p)
    p.add_argument("file", type=Path, metavar="FILE", help="a file written by export "
                                                          "--format json (or, with --from, "
                                                          "another journal's file or folder)")
    p.add_argument("--from", dest="source", choices=("jrnl", "dayone", "markdown"),
                   help="FILE is another journal's: a jrnl journal file or its JSON export, "
                        "a Day One export (.zip or .json), or a folder of Markdown files")
    p.add_argument("--dry-run", action="store_true",
                   help="with --from: show what would be imported; nothing is written")
    p.add_argument("--private", action="store_true",
                   help="with --from: make the imported entries private")
    add_accept_older(p)
    add_passphrase_file(p)
    p.set_defaults(handler="imports:cmd_import")
