"""Command-line entry point (see cli.md): argument parsing, dispatch and exit codes.

``journal-app`` alone, or followed by a single path that is not a verb, starts the GUI;
everything else is a verb (implemented in :mod:`journal_app.cli_verbs`) that exits with
the code cli.md lists, taken from ``JournalError.exit_code``. Qt is never imported here:
the GUI module is loaded lazily, only when the GUI is started.

Start-up is kept short for scripts: building the parser imports nothing heavy, and each
verb's module is imported only when that verb runs (``handler`` names it). So ``--help``
needs no cryptography, and ``list``, ``show``, ``search`` and ``verify`` read with plain
sqlite3 and never load SQLAlchemy (storage/reader.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from journal_app import cli_secrets
from journal_app.cli_output import terminal_text
from journal_app.domain import bounds
from journal_app.domain.entities import EntryKind, Modality, Setting, aware
from journal_app.domain.search import PRACTICE_KIND
from journal_app.errors import JournalError

PROG = "journal-app"
#: ``export.service.ReportFormat``'s values, here so that parsing needs no export code
#: (tests/unit/test_cli_startup.py checks that they agree).
REPORT_FORMATS = ("md", "html", "json", "pdf")


# --------------------------------------------------------------------------- arguments


def _shown(text: str) -> str:
    """``text`` quoted for a usage message, unless it is too long to be worth repeating."""
    return repr(text) if len(text) <= 40 else "The value"


def _in_bounds(value: dt.datetime | dt.date) -> None:
    """Dates the journal accepts (domain/bounds.py), as a usage error (exit 2)."""
    try:
        bounds.check_date(value)
    except bounds.OutOfBoundsError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _iso_datetime(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{_shown(text)} is not an ISO-8601 date or time (e.g. 2026-03-01 or "
            "2026-03-01T14:30+01:00)") from None
    _in_bounds(value)  # before ``aware``: local time near year 1 or 9999 can't be reached
    return aware(value)


def _iso_date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a date like 2026-03-01") \
            from None
    _in_bounds(value)
    return value


def _report_date(text: str) -> dt.date:
    """A date, or the date of an ISO-8601 time."""
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        try:
            value = dt.datetime.fromisoformat(text).date()
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{_shown(text)} is not an ISO-8601 date (e.g. 2026-03-01)") from None
    _in_bounds(value)
    return value


#: Longer than this, a number can't be in bounds; int() isn't even asked (it refuses
#: more than 4,300 digits with an error of its own).
_MAX_DIGITS = len(str(bounds.MAX_INT))


def _positive_int(text: str) -> int:
    rule = f"a whole number from 1 to {bounds.MAX_INT}"
    digits = text.strip().lstrip("+")
    if not digits.isdigit() or not digits.isascii() or len(digits.lstrip("0")) > _MAX_DIGITS:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not {rule}")
    try:
        return bounds.check_int(int(digits.lstrip("0") or "0"), low=1)
    except bounds.OutOfBoundsError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not {rule}") from None


def _text(field: str) -> Callable[[str], str]:
    """An argparse type for text stored in the journal or written out: valid Unicode (argv
    bytes that aren't UTF-8 reach Python as lone surrogates) and not absurdly long."""

    def checked(text: str) -> str:
        try:
            return bounds.check_text(text, field)
        except bounds.OutOfBoundsError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    checked.__name__ = field  # argparse names the type in some messages
    return checked


def _add_path(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=Path, metavar="PATH", help="the journal file")


def _add_passphrase_file(p: argparse.ArgumentParser, *, new: bool = False) -> None:
    p.add_argument("--passphrase-file", type=Path, metavar="FILE",
                   help="read the passphrase from the first line of FILE")
    if new:
        p.add_argument("--new-passphrase-file", type=Path, metavar="FILE",
                       help="read the new passphrase from the first line of FILE")


def _add_kdf(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kdf-memory", type=_positive_int, metavar="MIB",
                   help="Argon2id memory in MiB (default: measured on this computer)")
    p.add_argument("--kdf-iterations", type=_positive_int, metavar="N",
                   help="Argon2id iterations")


def _argv_note(file_option: str) -> str:
    return (f"; as an option it is visible to other users of this computer in the process "
            f"list and stays in the shell history, so prefer {file_option}")


def _file_help(what: str, *, stdin_free: bool = True) -> str:
    stdin = "; - reads it from stdin" if stdin_free else ""
    return (f"read {what} from FILE{stdin}. This keeps the text out of the process list and "
            "the shell history")


def _add_text(p: argparse.ArgumentParser, option: str, field: str, help_text: str, *,
              stdin_free: bool = True, default: str = "") -> None:
    """``--OPTION TEXT`` and ``--OPTION-file FILE``, one or the other."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(f"--{option}", default=default, type=_text(field), metavar="TEXT",
                       help=help_text + _argv_note(f"--{option}-file"))
    group.add_argument(f"--{option}-file", metavar="FILE",
                       help=_file_help(f"the {field}", stdin_free=stdin_free))


def _add_tags(p: argparse.ArgumentParser, help_text: str, *, stdin_free: bool = True) -> None:
    """``--tag TAG`` (repeatable) and ``--tag-file FILE`` (one a line); both may be given."""
    p.add_argument("--tag", action="append", default=[], type=_text("tag"), metavar="TAG",
                   help=help_text + _argv_note("--tag-file"))
    p.add_argument("--tag-file", metavar="FILE",
                   help=_file_help("tags, one a line,", stdin_free=stdin_free))


def _add_accept_older(p: argparse.ArgumentParser) -> None:
    p.add_argument("--accept-older", action="store_true",
                   help="write even though this journal is older than the copy this "
                        "computer opened last (e.g. it was restored from a backup)")


def _add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="write UTF-8 JSON")


class _Parser(argparse.ArgumentParser):
    """Options are never abbreviated: ``--passphrase X`` must not quietly mean
    ``--passphrase-file X``. Sub-parsers inherit this class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Integration Journal. --self-test checks an installation end to end. "
        "Without a verb, or with only a PATH, the window "
                    "opens. Passphrases are read from --passphrase-file, from "
                    f"{cli_secrets.ENV_PASSPHRASE}, or asked for in a terminal.")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("init", help="create a journal; prints its recovery key once")
    _add_path(p)
    _add_passphrase_file(p)
    _add_kdf(p)
    p.set_defaults(handler="cli_verbs:cmd_init")

    p = verbs.add_parser("add", help="add an entry; its Markdown body is read from stdin")
    _add_path(p)
    p.add_argument("--kind", choices=[k.value for k in EntryKind], default="free")
    _add_text(p, "title", "title", "the entry's title", stdin_free=False)
    _add_tags(p, "a tag (repeatable)", stdin_free=False)
    p.add_argument("--private", action="store_true", help="leave out of reports by default")
    p.add_argument("--date", type=_iso_datetime, metavar="ISO-8601")
    _add_accept_older(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_verbs:cmd_add")

    p = verbs.add_parser("list", help="entries, newest first")
    _add_path(p)
    _add_json(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_verbs:cmd_list")

    p = verbs.add_parser("show", help="one entry")
    _add_path(p)
    p.add_argument("id", type=_positive_int, metavar="ID")
    _add_json(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_verbs:cmd_show")

    p = verbs.add_parser("search", help="full-text search")
    _add_path(p)
    p.add_argument("query", metavar="QUERY", nargs="*", type=_text("search query"),
                   help="words, \"a phrase\", -excluded (every argument after PATH that "
                   "is not an option); \"\" with filters alone; after --, options are "
                   "words too" + _argv_note("--query-file"))
    p.add_argument("--query-file", metavar="FILE",
                   help=_file_help("the query (instead of QUERY)"))
    p.add_argument("--kind", action="append", default=[], metavar="KIND",
                   choices=[k.value for k in EntryKind] + [PRACTICE_KIND],
                   help="only this kind (repeatable)")
    _add_tags(p, "only entries with this tag (repeatable: all must match)")
    p.add_argument("--session", type=_positive_int, metavar="ID", help="only this session")
    p.add_argument("--from", dest="date_from", type=_iso_date, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_iso_date, metavar="DATE")
    private = p.add_mutually_exclusive_group()
    private.add_argument("--only-private", dest="private", action="store_const", const=True)
    private.add_argument("--no-private", dest="private", action="store_const", const=False)
    p.add_argument("--newest", action="store_true", help="newest first (default: best match)")
    p.add_argument("--limit", type=_positive_int, default=100, metavar="N")
    _add_json(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_verbs:cmd_search")

    _add_report_parsers(verbs)

    p = verbs.add_parser("verify", help="open, check integrity, print generation and counts")
    _add_path(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_verbs:cmd_verify")

    p = verbs.add_parser("passwd", help="change the passphrase")
    _add_path(p)
    _add_passphrase_file(p, new=True)
    _add_kdf(p)
    _add_accept_older(p)
    p.set_defaults(handler="cli_verbs:cmd_passwd")

    p = verbs.add_parser("recover", help="open with the recovery key, set a new passphrase")
    _add_path(p)
    p.add_argument("--recovery-key-file", type=Path, metavar="FILE",
                   help="read the recovery key from the first line of FILE")
    _add_passphrase_file(p, new=True)
    _add_kdf(p)
    _add_accept_older(p)
    p.set_defaults(handler="cli_verbs:cmd_recover")

    session = verbs.add_parser("session", help="treatment sessions (session add ...)")
    session_verbs = session.add_subparsers(dest="session_verb", metavar="VERB", required=True)
    p = session_verbs.add_parser("add", help="record a treatment session; prints its id")
    _add_path(p)
    p.add_argument("--date", type=_iso_datetime, required=True, metavar="ISO-8601")
    p.add_argument("--modality", choices=[m.value for m in Modality],
                   default=Modality.IV_INFUSION.value)
    p.add_argument("--setting", choices=[s.value for s in Setting], default=Setting.CLINIC.value)
    p.add_argument("--number", type=_positive_int, metavar="N",
                   help="its number in the course (default: the next one)")
    _add_text(p, "provider", "provider", "who gave the treatment")
    _add_accept_older(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_verbs:cmd_session_add")

    p = verbs.add_parser("sessions",
                         help="treatment sessions with their preparation/integration status")
    _add_path(p)
    _add_json(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_care:cmd_sessions")

    _add_care_parsers(verbs)
    parser.set_defaults(verb_names=tuple(verbs.choices))
    return parser


def _add_care_parsers(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser("capture", help="quick note while locked: stdin is sealed to the "
                                         "journal; no passphrase needed")
    _add_path(p)
    p.set_defaults(handler="cli_care:cmd_capture")

    p = verbs.add_parser("due", help="prompts due now on each session's timeline")
    _add_path(p)
    _add_json(p)
    p.add_argument("--at", type=_iso_datetime, metavar="ISO-8601",
                   help="the moment to look at (default: now; without an offset, local time)")
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_care:cmd_due")

    p = verbs.add_parser("checkin", help="record a check-in; prints total, severity band "
                                         "and any safety flag")
    _add_path(p)
    p.add_argument("measure", metavar="MEASURE", type=_text("measure"),
                   help="phq9, gad7, peg or mood")
    p.add_argument("--answers", required=True, metavar="N,N,...",
                   help="one whole number per item, separated by commas; - reads them from "
                        "stdin (keeps them out of the shell history)")
    p.add_argument("--date", type=_iso_datetime, metavar="ISO-8601",
                   help="when it was taken (default: now)")
    _add_accept_older(p)
    _add_json(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_scores:cmd_checkin")

    p = verbs.add_parser("scores", help="check-ins over time, with change from baseline")
    _add_path(p)
    _add_json(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_scores:cmd_scores")


def _add_report_parsers(verbs: argparse._SubParsersAction) -> None:
    """``export`` and ``import`` (cli_export.py)."""
    p = verbs.add_parser("export", help="the therapist report; private entries are left out "
                                        "unless --include-private")
    _add_path(p)
    p.add_argument("--format", required=True, choices=REPORT_FORMATS)
    p.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help="the file to write (replaced if it exists; readable only by you)")
    p.add_argument("--from", dest="start", type=_report_date, metavar="DATE",
                   help="first day of the report (default: the earliest content)")
    p.add_argument("--to", dest="end", type=_report_date, metavar="DATE",
                   help="last day of the report (default: the latest content)")
    p.add_argument("--include-private", action="store_true",
                   help="include entries marked private")
    _add_text(p, "name", "name",
              "the name to print on the report (e.g. how your clinic knows you)")
    p.add_argument("--pdf-password-file", type=Path, metavar="FILE",
                   help="protect the PDF (AES-256) with the password on the first line of "
                        f"FILE; or set {cli_secrets.ENV_PDF_PASSWORD}")
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_export:cmd_export")

    p = verbs.add_parser("import", help="entries from our own json export, or with --from "
                                        "from jrnl, Day One or Markdown files (merges, "
                                        "never wipes)")
    _add_path(p)
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
    _add_accept_older(p)
    _add_passphrase_file(p)
    p.set_defaults(handler="cli_import:cmd_import")


# --------------------------------------------------------------------------- entry point


Handler = Callable[[argparse.Namespace], int]


def resolve_handler(name: str) -> Handler:
    """The function behind a verb: ``"cli_verbs:cmd_add"`` is ``cmd_add`` of
    ``journal_app.cli_verbs``, imported now (so other verbs' imports are never paid)."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(f"journal_app.{module}"), function)


def note(text: str) -> None:
    """A message on stderr; it may quote a file name, so it is made terminal-safe."""
    print(terminal_text(text), file=sys.stderr)


def _subparser(parser: argparse.ArgumentParser, verb: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(verb)
    return None


def search_arguments(parser: argparse.ArgumentParser, args: Sequence[str]) -> list[str]:
    """``search``'s arguments with the query moved behind ``--``, so that ``-garden`` (a
    word to exclude, domain/search.py) is never read as an option.

    ``args`` follow the verb. The search options (and their values, ``--opt VALUE`` or
    ``--opt=VALUE``) are kept where argparse finds them, wherever they stand; the first
    other argument is PATH and every further one is a query word. A single-dash word that
    isn't an option (``-garden``) is a query word; an unknown ``--option`` is left for
    argparse to refuse, so a mistyped option never quietly becomes a search term. After
    ``--`` everything is PATH or query.
    """
    search = _subparser(parser, "search")
    if search is None:
        return list(args)
    takes_value = {option: action.nargs != 0 for action in search._actions
                   for option in action.option_strings}
    options: list[str] = []
    positionals: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            positionals.extend(args[index:])
            break
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if name in takes_value:
            options.append(arg)
            if takes_value[name] and "=" not in arg and index < len(args):
                options[-1] = f"{arg}={args[index]}"  # a value may start with "-"
                index += 1
        elif arg.startswith("--"):
            options.append(arg)  # unknown: argparse says so
        else:
            positionals.append(arg)
    return [*options, "--", *positionals]


def _run_gui(path: Path | None) -> int:
    from journal_app.app import run_gui  # lazy: the only road to Qt

    return int(run_gui(path) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list:
        return _run_gui(None)
    if args_list == ["--self-test"]:
        from journal_app.selftest import run_self_test  # lazy: needs Qt

        return run_self_test()
    if len(args_list) == 1 and not args_list[0].startswith("-") \
            and args_list[0] not in parser.get_default("verb_names"):
        return _run_gui(Path(args_list[0]))
    if args_list[0] == "search":
        args_list = ["search", *search_arguments(parser, args_list[1:])]
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse: usage error (2) or --help (0)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return resolve_handler(args.handler)(args)
    except JournalError as err:
        note(f"{PROG}: {err.message}")
        return err.exit_code
    except KeyboardInterrupt:
        note(f"{PROG}: interrupted.")
        return 130
    except Exception as exc:
        # Only the type: an unexpected error's text could quote journal content.
        note(f"{PROG}: an unexpected error stopped the command "
                       f"({type(exc).__name__}). Please report it.")
        return 1
