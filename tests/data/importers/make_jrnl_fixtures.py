"""Make the jrnl fixtures with jrnl itself (PyPI ``jrnl`` 4.6), so the importer is tested
against what jrnl really writes, not what we think it writes.

Run from the repository root (needs network the first time, for uvx to fetch jrnl)::

    uv run python tests/data/importers/make_jrnl_fixtures.py

Each journal gets its own config file in a temporary folder (``jrnl --config-file``):
plain text, not encrypted, one with jrnl's default time format (``%F %r``:
``2023-03-04 10:15:00 AM``) and one with a 24-hour format (``%Y-%m-%d %H:%M``). Entries
are added with ``jrnl "DATE: text"`` (and, for bodies with several paragraphs, the text on
stdin), starred with ``*`` after the date, tagged with ``@tags`` and ``#tags`` in the text.
Then ``jrnl --format json`` exports it. The journal files and the exports are written
next to this script and committed, so the tests never need jrnl or the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
JRNL = ["uvx", "--from", "jrnl==4.6", "jrnl"]

CONFIG = """\
colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '{timeformat}'
version: v4.6
"""

#: (text on the command line, text on stdin or None). A date first, then ":"; "*" after
#: the date stars the entry.
ENTRIES: list[tuple[str, str | None]] = [
    ("2023-03-04 10:15: First session tomorrow. I feel @nervous but ready. @prep", None),
    ("", "2023-03-05 20:30 *: After the session.\nColours were vivid.\n\n"
         "A second paragraph about @integration and my @family.\n"),
    ("2023-03-07 3:05pm: Café — déjà vu 🌿. Title only?", None),
    ("2023-03-08 09:00 *: Walk by the river. Wrote to me@example.com about it #walk", None),
    ("2023-03-09 07:45: Same title. First of two on this day.", None),
    ("2023-03-09 07:45: Same title. Second of two, same minute.", None),
    ("2023-03-10 22:00: Dream.", None),
]


def run(config: Path, text: str, stdin: str | None) -> str:
    env = {**os.environ, "NO_COLOR": "1"}
    args = [*JRNL, "--config-file", str(config)]
    if text:
        args.append(text)
    out = subprocess.run(args, input=stdin if stdin is not None else "", text=True,
                         capture_output=True, check=True, env=env)
    return out.stdout


def make(name: str, timeformat: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        journal = Path(tmp) / "journal.txt"
        config = Path(tmp) / "jrnl.yaml"
        config.write_text(CONFIG.format(journal=journal, timeformat=timeformat),
                          encoding="utf-8")
        for text, stdin in ENTRIES:
            run(config, text, stdin)
        exported = subprocess.run(
            [*JRNL, "--config-file", str(config), "--format", "json"], text=True,
            capture_output=True, check=True, env={**os.environ, "NO_COLOR": "1"}).stdout
        shutil.copyfile(journal, HERE / f"{name}.txt")
        (HERE / f"{name}_export.json").write_text(exported, encoding="utf-8")
        print(f"wrote {name}.txt and {name}_export.json")


if __name__ == "__main__":
    make("jrnl_journal", "%F %r")
    make("jrnl_24h_journal", "%Y-%m-%d %H:%M")
