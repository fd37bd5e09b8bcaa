"""Arguments of the journal verbs (journal_verbs.py): the entries (``init``, ``add``,
``list``, ``show``, ``search``) and the file and its keys (``verify``, ``passwd``,
``recover``). Also :func:`search_arguments`, which lets ``search`` take ``-word``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from journal_app.cli.arguments import (
    Verbs,
    add_accept_older,
    add_json,
    add_kdf,
    add_passphrase_file,
    add_path,
    add_tags,
    add_text,
    argv_note,
    bounded_text,
    file_help,
    iso_date,
    iso_datetime,
    positive_int,
)
from journal_app.cli.choices import ENTRY_KINDS, PRACTICE_KIND


def add_entry_parsers(verbs: Verbs) -> None:
    """``init``, ``add``, ``list``, ``show`` and ``search``. The verbs that set
    ``fast_exit`` end the process as soon as they are done (dispatch._exit_now): each
    closes its journal, releases its lock and flushes its output first."""
    p = verbs.add_parser("init", help="create a journal; prints its recovery key once")
    add_path(p)
    add_passphrase_file(p)
    add_kdf(p)
    p.set_defaults(handler="journal_verbs:cmd_init")

    p = verbs.add_parser("add", help="add an entry; its Markdown body is read from stdin")
    add_path(p)
    p.add_argument("--kind", choices=ENTRY_KINDS, default="free")
    add_text(p, "title", "title", "the entry's title", stdin_free=False)
    add_tags(p, "a tag (repeatable)", stdin_free=False)
    p.add_argument("--private", action="store_true", help="leave out of reports by default")
    p.add_argument("--date", type=iso_datetime, metavar="ISO-8601")
    add_accept_older(p)
    add_passphrase_file(p)
    p.set_defaults(handler="journal_verbs:cmd_add", fast_exit=True)

    p = verbs.add_parser("list", help="entries, newest first")
    add_path(p)
    add_json(p)
    add_passphrase_file(p)
    p.set_defaults(handler="journal_verbs:cmd_list", fast_exit=True)

    p = verbs.add_parser("show", help="one entry")
    add_path(p)
    p.add_argument("id", type=positive_int, metavar="ID")
    add_json(p)
    add_passphrase_file(p)
    p.set_defaults(handler="journal_verbs:cmd_show", fast_exit=True)

    _add_search_parser(verbs)


def _add_search_parser(verbs: Verbs) -> None:
    p = verbs.add_parser("search", help="full-text search")
    add_path(p)
    p.add_argument("query", metavar="QUERY", nargs="*", type=bounded_text("search query"),
                   help="words, \"a phrase\", -excluded (every argument after PATH that "
                   "is not an option); \"\" with filters alone; after --, options are "
                   "words too" + argv_note("--query-file"))
    p.add_argument("--query-file", metavar="FILE",
                   help=file_help("the query (instead of QUERY)"))
    p.add_argument("--kind", action="append", default=[], metavar="KIND",
                   choices=[*ENTRY_KINDS, PRACTICE_KIND],
                   help="only this kind (repeatable)")
    add_tags(p, "only entries with this tag (repeatable: all must match)")
    p.add_argument("--session", type=positive_int, metavar="ID", help="only this session")
    p.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE")
    private = p.add_mutually_exclusive_group()
    private.add_argument("--only-private", dest="private", action="store_const", const=True)
    private.add_argument("--no-private", dest="private", action="store_const", const=False)
    p.add_argument("--newest", action="store_true", help="newest first (default: best match)")
    p.add_argument("--limit", type=positive_int, default=100, metavar="N")
    add_json(p)
    add_passphrase_file(p)
    p.set_defaults(handler="journal_verbs:cmd_search", fast_exit=True)


def add_file_parsers(verbs: Verbs) -> None:
    """``verify``, ``passwd`` and ``recover``."""
    p = verbs.add_parser("verify", help="open, check integrity and every attachment, print "
                                        "generation and counts")
    add_path(p)
    add_passphrase_file(p)
    p.set_defaults(handler="journal_verbs:cmd_verify", fast_exit=True)

    p = verbs.add_parser("passwd", help="change the passphrase")
    add_path(p)
    add_passphrase_file(p, new=True)
    add_kdf(p)
    add_accept_older(p)
    p.set_defaults(handler="journal_verbs:cmd_passwd")

    p = verbs.add_parser("recover", help="open with the recovery key, set a new passphrase")
    add_path(p)
    p.add_argument("--recovery-key-file", type=Path, metavar="FILE",
                   help="read the recovery key from the first line of FILE")
    add_passphrase_file(p, new=True)
    add_kdf(p)
    add_accept_older(p)
    p.set_defaults(handler="journal_verbs:cmd_recover")


# --------------------------------------------------------------------------- search's argv


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
