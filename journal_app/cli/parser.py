"""The command line's parser: ``journal-app VERB ...``. Each verb group adds its own
sub-parsers (journal_args.py, attachment_args.py, report_args.py, care_args.py), naming
the module that runs each verb; that module is imported only when the verb runs
(dispatch.py)."""

from __future__ import annotations

import argparse
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


def build_parser() -> argparse.ArgumentParser:
    """Every verb, in the order ``--help`` lists them; ``verb_names`` holds their names."""
    parser = Parser(
        prog=PROG,
        description="Integration Journal. --self-test checks an installation end to end. "
        "Without a verb, or with only a PATH, the window "
                    "opens. Passphrases are read from --passphrase-file, from "
                    f"{secrets.ENV_PASSPHRASE}, or asked for in a terminal.")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    add_entry_parsers(verbs)
    add_attachment_parsers(verbs)
    add_report_parsers(verbs)
    add_file_parsers(verbs)
    add_care_parsers(verbs)
    parser.set_defaults(verb_names=tuple(verbs.choices), fast_exit=False)
    return parser
