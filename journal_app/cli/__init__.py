"""The command line (cli.md): ``journal-app VERB ...``, or the GUI when no verb is given.

:func:`main` (dispatch.py) is the entry point. Importing this package loads only the
parser's modules, which use the standard library and light domain code; each verb's
module is imported when that verb runs. So ``--help`` needs no cryptography, and ``list``,
``show``, ``search`` and ``verify`` never load SQLAlchemy (tests/unit/cli/test_startup.py).

- dispatch: ``main``, exit codes, which module runs a verb;
- parser, arguments and the ``*_args`` modules: each verb group's arguments;
- output, secrets: what the verbs print and where they get passphrases;
- common: what the verbs share (opening and saving the journal, reading text);
- the verbs, one module per group: journal_verbs, care, scores, export, imports.
"""

from __future__ import annotations

from journal_app.cli.dispatch import main

__all__ = ["main"]
