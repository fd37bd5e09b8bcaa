"""Deterministic benchmark journals, written through the app's own storage layer.

A journal of N entries follows one person's rhythm: a ketamine session every one or two
weeks, a preparation entry a day or two before it and one or two integration entries
after it (150-500 words, tagged), free entries most days, a mood check-in most days and
PHQ-9 and GAD-7 every week. The timeline simply runs for as long as it takes to reach N
entries (1k is about two years, 10k about seventeen: a stress size beyond the ten years
(~4,000 entries) of the issue; 50k is a stress test), ending in mid-2025, so nothing lies
in the future.

Journals are created with :meth:`Vault.create` and filled with ``JournalRepository`` and
``CheckInRepository`` one record at a time (the repositories have no bulk call; each add
is one short transaction on the in-memory database, so this is fast enough), then saved
once. They are cached under ``bench/.cache/journals`` keyed by size, generator version and
the app's schema head, so a run reuses them.

    uv run python -m bench.generate 1000 10000
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import textgen
from journal_app.domain.entities import Entry, EntryKind, Modality, Setting, TreatmentSession
from journal_app.domain.measures import CheckIn
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.database import head_revision
from journal_app.storage.fileformat import KdfParams
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault

BENCH_DIR = Path(__file__).resolve().parent
CACHE = BENCH_DIR / ".cache"
PASSPHRASE = "bench: a long enough passphrase for a test journal"  # bench data only
# Fast to create; the bench rewrites the key slot (header only) when it needs another KDF.
GENERATION_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
SEED = 20_160_104
TZ = dt.timezone(dt.timedelta(hours=1))
END_DAY = dt.datetime(2025, 6, 30, tzinfo=TZ)
ENTRIES_PER_DAY = 1.62  # what the rhythm below produces on average


@dataclass(frozen=True)
class Generated:
    path: Path
    size: int
    meta: dict

    @property
    def search_queries(self) -> list[str]:
        return self.meta["queries"]


def _cache_key(size: int) -> str:
    source = b"".join(p.read_bytes() for p in (Path(__file__), Path(textgen.__file__)))
    digest = hashlib.sha256(source + head_revision().encode()).hexdigest()[:10]
    return f"journal-{size}-{digest}"


class _Writer:
    """Walks the calendar day by day and writes what that day holds."""

    def __init__(self, vault: Vault, size: int, rng: random.Random) -> None:
        self.rng = rng
        self.size = size
        self.names = textgen.Names(rng)
        self.repo = JournalRepository(vault.db)
        self.checkins = CheckInRepository(vault.db)
        self.entries = 0
        self.sessions = 0
        self.check_ins = 0
        self._uid = 0
        # Start early enough that the journal ends around END_DAY, in the past.
        self.day = END_DAY - dt.timedelta(days=round(size / ENTRIES_PER_DAY))
        self.next_session = self.day + dt.timedelta(days=rng.randint(5, 10))
        self.session_id: int | None = None
        self.mood_base = 3.0

    def uid(self) -> str:
        self._uid += 1
        return f"{self.rng.getrandbits(64):016x}{self._uid:016x}"

    def at(self, hour: int) -> dt.datetime:
        return self.day.replace(hour=hour, minute=self.rng.randrange(60))

    def entry(self, kind: str, hour: int, words: int, title: str) -> None:
        if self.entries >= self.size:
            return
        created = self.at(hour)
        self.repo.add_entry(Entry(
            kind=EntryKind(kind), title=title,
            body=textgen.paragraphs(self.rng, self.names, kind, words),
            tags=textgen.tags_for(self.rng, kind), private=self.rng.random() < 0.05,
            created_at=created, updated_at=created,
            session_id=self.session_id if kind != "free" else None, uid=self.uid()))
        self.entries += 1

    def check_in(self, measure: str, answers: list[int], hour: int) -> None:
        taken = self.at(hour)
        self.checkins.add(CheckIn(measure_id=measure, answers=tuple(answers), taken_at=taken,
                                  created_at=taken, session_id=self.session_id, uid=self.uid()))
        self.check_ins += 1

    def one_day(self) -> None:
        rng = self.rng
        days_to_session = (self.next_session.date() - self.day.date()).days
        if days_to_session in (1, 2) and rng.random() < 0.6:
            self.entry("preparation", 20, rng.randint(150, 500),
                       f"Before session {self.sessions + 1}")
        if days_to_session == 0:
            self.sessions += 1
            session = self.repo.add_session(TreatmentSession(
                starts_at=self.at(10), modality=Modality.IV_INFUSION, setting=Setting.CLINIC,
                number=self.sessions, uid=self.uid()))
            self.session_id = session.id
            self.entry("integration", 18, rng.randint(150, 500),
                       f"After session {self.sessions}")
            self.next_session = self.day + dt.timedelta(days=rng.randint(7, 14))
            self.mood_base = min(8.0, self.mood_base + 0.05)
        elif days_to_session in (-3, -4) or (self.session_id and rng.random() < 0.04):
            self.entry("integration", 21, rng.randint(150, 500), "Integration notes")
        for _ in range(rng.choice([0, 1, 1, 1, 1, 2, 2, 3])):
            self.entry("free", rng.randint(7, 23), int(rng.triangular(40, 400, 140)),
                       rng.choice(textgen.FREE_TITLES))
        if rng.random() < 0.85:
            mood = round(min(10, max(0, rng.gauss(self.mood_base, 1.6))))
            self.check_in("mood", [mood], 21)
        if self.day.weekday() == 0:
            level = max(0.2, 2.2 - self.mood_base / 4)
            self.check_in("phq9", [min(3, max(0, round(rng.gauss(level, 0.8))))
                                   for _ in range(9)], 9)
            self.check_in("gad7", [min(3, max(0, round(rng.gauss(level, 0.8))))
                                   for _ in range(7)], 9)
        self.day += dt.timedelta(days=1)


def _queries(names: textgen.Names) -> list[str]:
    """Search queries from common to rare, plus a phrase, prefixes, AND and a miss."""
    return ["grateful", "ocean", '"let go"', "breath", "mother dream", "dissociat",
            "lighthouse", names.people[120], "zebra"]


def generate(size: int, target: Path) -> dict:
    rng = random.Random(SEED + size)
    start = time.perf_counter()
    vault, _recovery = Vault.create(target, PASSPHRASE, kdf=GENERATION_KDF)
    try:
        writer = _Writer(vault, size, rng)
        first_day = writer.day.date().isoformat()
        while writer.entries < size:
            writer.one_day()
        vault.save()
        image_bytes = len(vault.db.serialize())
    finally:
        vault.close()
    return {
        "size": size, "entries": writer.entries, "sessions": writer.sessions,
        "check_ins": writer.check_ins, "first_day": first_day,
        "last_day": writer.day.date().isoformat(), "image_bytes": image_bytes,
        "file_bytes": target.stat().st_size, "queries": _queries(writer.names),
        "seconds": round(time.perf_counter() - start, 1),
    }


def journal(size: int, *, log=print) -> Generated:
    """The cached journal of ``size`` entries, generating it first if needed."""
    folder = CACHE / "journals"
    folder.mkdir(parents=True, exist_ok=True)
    key = _cache_key(size)
    path = folder / f"{key}.ijournal"
    meta_path = folder / f"{key}.json"
    if path.exists() and meta_path.exists():
        return Generated(path, size, json.loads(meta_path.read_text()))
    for stale in folder.glob(f"journal-{size}-*"):
        if stale.is_dir():
            for f in stale.iterdir():
                f.unlink()
            stale.rmdir()
        else:
            stale.unlink()
    log(f"generating the {size}-entry journal (cached afterwards)...")
    meta = generate(size, path)
    meta_path.write_text(json.dumps(meta, indent=1))
    log(f"  {meta['entries']} entries, {meta['sessions']} sessions, {meta['check_ins']} "
        f"check-ins, image {meta['image_bytes'] / 2**20:.1f} MiB, {meta['seconds']} s")
    return Generated(path, size, meta)


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["1000"]:
        journal(int(arg))
