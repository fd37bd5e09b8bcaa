"""The command line's parser: ``journal-app VERB ...``. Each verb group adds its own
sub-parsers (journal_args.py, attachment_args.py, report_args.py, care_args.py), naming
the module that runs each verb; that module is imported only when the verb runs
(dispatch.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from journal_app.cli import secrets
from journal_app.cli.attachment_args import add_attachment_parsers
from journal_app.cli.care_args import add_care_parsers
from journal_app.cli.journal_args import add_entry_parsers, add_file_parsers
from journal_app.cli.report_args import add_report_parsers

PROG = "journal-app"


class Parser(argparse.ArgumentParser):
    """Options are never abbreviated: ``--passphrase X`` must not quietly mean
    ``--passphrase-file X``. Sub-parsers inherit this class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)


#: Each group's function that adds its verbs' parsers, and those verbs, in the order
#: ``--help`` lists them (tests/unit/cli/test_startup.py checks the names against what
#: each function adds).
GROUPS: tuple[tuple[Callable[[Any], None], tuple[str, ...]], ...] = (
    (add_entry_parsers, ("init", "add", "list", "show", "search")),
    (add_attachment_parsers, ("attach", "attachments", "extract")),
    (add_report_parsers, ("export", "import")),
    (add_file_parsers, ("verify", "passwd", "recover")),
    (add_care_parsers, ("session", "sessions", "capture", "due", "checkin", "scores")),
)
VERB_NAMES = tuple(name for _, names in GROUPS for name in names)


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """Every verb, in the order ``--help`` lists them; ``verb_names`` holds their names.
    With ``verb``, only its group's parsers are built (the verb parses, and reports its
    errors, exactly as in the whole parser; the others' ~4 ms are not spent)."""
    parser = Parser(
        prog=PROG,
        description="Integration Journal. --self-test checks an installation end to end. "
        "Without a verb, or with only a PATH, the window "
                    "opens. Passphrases are read from --passphrase-file, from "
                    f"{secrets.ENV_PASSPHRASE}, or asked for in a terminal.")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for add_parsers, names in GROUPS:
        if verb is None or verb in names:
            add_parsers(verbs)
    parser.set_defaults(verb_names=VERB_NAMES, fast_exit=False)
    return parser
