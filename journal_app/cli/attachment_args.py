"""Arguments of the attachment verbs (attachments.py): ``attach``, ``attachments`` and
``extract``. Parsing needs only the domain's kinds and size limit, no storage code."""

from __future__ import annotations

from pathlib import Path

from journal_app.cli.arguments import (
    Verbs,
    add_accept_older,
    add_json,
    add_passphrase_file,
    add_path,
    positive_int,
)
from journal_app.cli.choices import ATTACHMENT_KINDS, MAX_ATTACHMENT_BYTES

#: ``attachments --json``: documented in the verb's help (and in the report).
ATTACHMENTS_JSON = (
    'With --json: {"format": "integration-journal", "version": 1, "attachments": [...]}, '
    'each attachment with "id", "uid", "entry_id", "entry_date" (the entry\'s ISO-8601 '
    'time), "kind" (image, voice or drawing), "media_type", "size" (bytes), "created_at", '
    '"duration_ms" (voice notes, else null), "width" and "height" (pictures, else null). '
    "Never the attachment's bytes: extract writes those to a file.")


def add_attachment_parsers(verbs: Verbs) -> None:
    """``attach``, ``attachments`` and ``extract``."""
    _add_attach_parser(verbs)

    p = verbs.add_parser(
        "attachments", help="the pictures and voice notes kept with entries",
        description="One line per attachment: its id, its entry's id and date, kind, media "
                    "type, size, and a voice note's length or a picture's width×height; "
                    "newest entry first.",
        epilog=ATTACHMENTS_JSON)
    add_path(p)
    add_json(p)
    p.add_argument("--entry", type=positive_int, metavar="ID",
                   help="only the attachments of this entry")
    add_passphrase_file(p)
    p.set_defaults(handler="attachments:cmd_attachments")

    p = verbs.add_parser(
        "extract", help="write an attachment (decrypted) to a file readable only by you",
        description="Writes the attachment's own bytes (a PNG, JPEG, GIF or WebP picture, or "
                    "a WAV voice note) to FILE, readable and writable only by you. The copy "
                    "is not encrypted.")
    add_path(p)
    p.add_argument("attachment_id", type=positive_int, metavar="ATTACHMENT_ID",
                   help="the attachment's id (see journal-app attachments)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help="the file to write (refused if it exists, unless --force)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_passphrase_file(p)
    p.set_defaults(handler="attachments:cmd_extract")


def _add_attach_parser(verbs: Verbs) -> None:
    p = verbs.add_parser(
        "attach", help="keep a picture or voice note with an entry; prints its id",
        description="Encrypts FILE into the journal, kept with the entry ENTRY_ID. FILE is "
                    "a PNG, JPEG, GIF or WebP picture or a WAV (PCM) voice note of at most "
                    f"{MAX_ATTACHMENT_BYTES // 2**20} MB, recognised by its content, not "
                    "its name. Prints the new attachment's id.")
    add_path(p)
    p.add_argument("entry_id", type=positive_int, metavar="ENTRY_ID",
                   help="the entry's id (see journal-app list)")
    p.add_argument("file", metavar="FILE", help="the picture or voice note to attach")
    p.add_argument("--kind", choices=ATTACHMENT_KINDS,
                   help="keep it as this kind (a drawing must be a PNG); default: image or "
                        "voice, from the file's content")
    add_accept_older(p)
    add_passphrase_file(p)
    p.set_defaults(handler="attachments:cmd_attach")
