"""Import 10,000 jrnl entries: generate a jrnl journal file (jrnl 4's default ``%F %r``
format, tags as ``@words``, some starred), then time reading it (parse, preview, the
entries to merge) and merging it into a new journal in batches of 500 (as the GUI does),
then importing it a second time (everything already here).

    uv run python -m bench.import_jrnl [--entries N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from bench import textgen
from journal_app.domain.importers import jrnl
from journal_app.domain.importers.common import (
    batches,
    split_known,
    to_imported,
)
from journal_app.domain.importers.preview import make_preview
from journal_app.storage.fileformat import KdfParams
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault

BATCH = 500
KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)  # the KDF isn't measured here


def make_journal(count: int, seed: int = 16) -> bytes:
    rng = random.Random(seed)
    names = textgen.Names(rng)
    when = dt.datetime(2010, 1, 1, 8, 0)
    parts = []
    for _ in range(count):
        when += dt.timedelta(minutes=rng.randint(60, 1500))
        kind = rng.choice(["free", "free", "integration", "preparation"])
        tags = " ".join("@" + t.replace(" ", "-") for t in textgen.tags_for(rng, kind))
        star = " *" if rng.random() < 0.1 else ""
        title = rng.choice(textgen.FREE_TITLES) or "Entry"
        body = textgen.paragraphs(rng, names, kind, rng.randint(40, 260))
        parts.append(f"[{when:%Y-%m-%d %I:%M:%S %p}] {title}.{star}\n{body} {tags}\n")
    return "\n".join(parts).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args(argv)
    raw = make_journal(args.entries)
    print(f"jrnl journal: {args.entries:,} entries, {len(raw) / 1e6:.1f} MB")
    start = time.perf_counter()
    source = jrnl.parse(raw, "journal.txt")
    preview = make_preview(source)
    imported = to_imported(source)
    parsed = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        vault, _key = Vault.create(Path(tmp) / "bench.ijournal", "bench passphrase", kdf=KDF)
        journal = Journal(vault)
        try:
            start = time.perf_counter()
            rest, _known = split_known(imported, journal.repo.entries_by_uid)
            added = sum(journal.import_journal(part).entries_added
                        for part in batches(rest, BATCH))
            merged = time.perf_counter() - start
            start = time.perf_counter()
            second = to_imported(jrnl.parse(raw, "journal.txt"))
            rest, known = split_known(second, journal.repo.entries_by_uid)
            again = time.perf_counter() - start
        finally:
            vault.close()
    assert added == preview.entries == args.entries and known == args.entries, (added, known)
    print(f"parse + preview: {parsed:.2f} s")
    print(f"merge ({added:,} added, batches of {BATCH}): {merged:.2f} s")
    print(f"parse + merge: {parsed + merged:.2f} s")
    print(f"second import (all {known:,} already here): {again:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
