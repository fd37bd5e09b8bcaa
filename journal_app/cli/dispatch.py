"""The command line's entry point: parse, run the verb, turn what went wrong into the exit
code cli.md lists (``JournalError.exit_code``; 2 for a usage error, 130 when interrupted,
1 for anything unexpected).

``journal-app`` alone, or followed by a single path that is not a verb, starts the GUI.
Qt is never imported here: the GUI module is loaded lazily, only when the GUI is started.

Each verb's parser names the function that runs it (``handler``, e.g.
``"journal_verbs:cmd_add"``) and :func:`resolve_handler` imports its module only then, so
no verb pays for another's imports and building the parser imports nothing heavy.

Run as the process itself (``main()`` without ``argv``: the ``journal-app`` command,
``python -m journal_app``), a verb whose parser sets ``fast_exit`` ends the process at
once when it has finished (:func:`_exit_now`): by then its journal is closed and its lock
released, and the interpreter's own teardown (freeing every module, SQLAlchemy's alone
~80-100 ms) changes nothing on disk.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from journal_app.cli.journal_args import search_arguments
from journal_app.cli.output import note
from journal_app.cli.parser import PROG, VERB_NAMES, build_parser
from journal_app.errors import JournalError

Handler = Callable[[argparse.Namespace], int]


def resolve_handler(name: str) -> Handler:
    """The function behind a verb: ``"journal_verbs:cmd_add"`` is ``cmd_add`` of
    ``journal_app.cli.journal_verbs``, imported now (so other verbs' imports are never
    paid)."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(f"journal_app.cli.{module}"), function)


def _run_gui(path: Path | None) -> int:
    from journal_app.app import run_gui  # lazy: the only road to Qt

    return int(run_gui(path) or 0)


def _run_verb(args: argparse.Namespace) -> int:
    """Run the parsed verb; every failure becomes an exit code and one line on stderr."""
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


def _exit_now(code: int) -> None:
    """End the process with ``code`` now, skipping the interpreter's teardown, if that
    loses nothing: no other thread still runs (a normal exit would wait for it) and
    stdout and stderr are flushed. Otherwise return, and the process ends as usual (a
    flush that fails is then reported as Python always reports it)."""
    if threading.active_count() > 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list[0] if args_list and args_list[0] in VERB_NAMES else None)
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
    code = _run_verb(args)
    if argv is None and args.fast_exit:
        _exit_now(code)
    return code
