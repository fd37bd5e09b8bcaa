"""``python -m journal_app``: the same as the ``journal-app`` command."""

import sys

from journal_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
