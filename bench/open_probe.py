"""Bench probe, its own process per journal size: ``Vault.open`` and ``Vault.save`` alone
(no Qt), each step timed as the open runs it, with the peak RSS of each step.

    python -m bench.open_probe CONFIG.json

CONFIG names a working copy of a benchmark journal (it is saved to), the passphrase and
the repetitions. The data key is derived once from the file's head only (as the app's
unlock does), then every open hands it over (no key derivation in the figures). Each
``Vault.open`` runs as the app runs it; the functions it calls are timed by name where
they exist (``bench.steps``): reading the head, authenticating and decrypting the body,
deserializing into SQLite, the migration check, the rollback record; "other" is the rest.
Saves: one entry edited through the journal's repository, then ``Vault.save()``; where the
vault also has ``compact()`` (a whole-image snapshot beside an appending save), both are
timed, as "change log" (``save``) and "snapshot" (``compact``). The day's first save also
copies the file to a backup; it is timed apart. Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.keys import KeySecret, data_key
from bench.stats import current_rss_mib, peak_rss_mib, reset_peak_rss
from bench.steps import Steps
from journal_app.storage import bodystream, database, journalfile, rollback
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault

OPEN_STEPS = [
    (bodystream, "read_head", "read head"),
    (bodystream, "check_file", "authenticate body"),
    (bodystream, "decrypt_file", "decrypt body"),
    (database.Database, "__init__", "deserialize into SQLite"),
    (database.Database, "migrate", "migrate check"),
    (rollback, "observe", "rollback record"),
]




def timed_open(path: Path, key: bytes, *, lock: bool) -> tuple[Vault, dict]:
    steps = Steps(peaks=True)
    for owner, name, label in OPEN_STEPS:
        steps.wrap(owner, name, label)
    # journalfile may hold its own reference to a step (from-import): wrap that too.
    for owner, name, label in OPEN_STEPS:
        if owner is bodystream and getattr(journalfile, name, None) is not None:
            steps.wrap(journalfile, name, label)
    steps.enter("Vault.open")
    try:
        vault = Vault.open(path, KeySecret(key=key), lock=lock)
    finally:
        steps.leave()
        steps.restore()
    out = steps.to_json()
    whole = sum(s["seconds"] for s in out.values())
    return vault, {"total": whole, "peak_mib": out["Vault.open"]["peak_mib"],
                   "rss_after_mib": current_rss_mib(),
                   "steps": {k: v for k, v in out.items() if k != "Vault.open"},
                   "other": out["Vault.open"]["seconds"]}


def _edit(journal: Journal, i: int) -> float:
    entry = journal.repo.list_entries(limit=1)[0]
    t = time.perf_counter()
    journal.repo.update_entry(entry.edited(body=entry.body + f"\n\nA line more ({i})."))
    return time.perf_counter() - t


def _timed_call(fn) -> dict:
    reset_peak_rss()
    before = current_rss_mib()
    t = time.perf_counter()
    fn()
    return {"seconds": time.perf_counter() - t, "peak_mib": peak_rss_mib(),
            "rss_before_mib": before}


def saves(vault: Vault, reps: int) -> dict:
    journal = Journal(vault)
    kinds = {"snapshot": vault.save}
    if hasattr(Vault, "compact"):
        kinds = {"change log": vault.save, "snapshot": vault.compact}
    out: dict = {"kinds": list(kinds)}
    first_name, first_fn = next(iter(kinds.items()))
    _edit(journal, 0)
    out["first"] = {"kind": first_name, **_timed_call(first_fn)}  # + the day's backup
    for name, fn in kinds.items():
        runs = []
        for i in range(reps):
            edit = _edit(journal, i + 1)
            runs.append({"store_edit": edit, **_timed_call(fn)})
        out[name] = runs
    return out


def _open_after_log_saves(path: Path, key: bytes, reps: int, last_kind: str) -> dict:
    """The file ending in change-log records (appended after the last compaction): an open
    replays them."""
    if last_kind == "snapshot":  # compact ran last: append records again
        vault, _timing = timed_open(path, key, lock=True)
        journal = Journal(vault)
        for i in range(reps):
            _edit(journal, 100 + i)
            vault.save()
        vault.close(compact=False)  # keep the records: the open below replays them
    reopened, timing = timed_open(path, key, lock=False)
    reopened.close()
    return {**timing, "records": reps}


def main() -> int:
    config = json.loads(Path(sys.argv[1]).read_text())
    path = Path(config["journal"])
    out: dict = {"rss_start_mib": current_rss_mib()}
    t = time.perf_counter()
    key = data_key(path, config["passphrase"])
    out["key_from_head"] = time.perf_counter() - t
    opens = []
    for _ in range(config["open_reps"]):
        vault, timing = timed_open(path, key, lock=False)
        vault.close()
        del vault
        opens.append(timing)
    out["open"] = opens
    vault, timing = timed_open(path, key, lock=True)
    out["open_for_saving"] = timing
    out["save"] = saves(vault, config["save_reps"])
    if hasattr(Vault, "compact"):
        vault.close(compact=False)  # a change-log save ran last: its records stay to replay
    else:
        vault.close()
    if hasattr(Vault, "compact"):
        try:
            out["open_after_log_saves"] = _open_after_log_saves(path, key, config["save_reps"],
                                                                out["save"]["kinds"][-1])
        except Exception as exc:  # an extra figure: never lose the others for it
            out["open_after_log_saves_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    save_peaks = [r["peak_mib"] for k in out["save"]["kinds"] for r in out["save"][k]]
    out["peak_mib"] = max([o["peak_mib"] for o in [*opens, timing]]
                          + save_peaks + [out["save"]["first"]["peak_mib"]])
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
