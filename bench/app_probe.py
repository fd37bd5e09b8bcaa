"""Bench probe, run as its own process per journal size: the app's in-process costs.

    python -m bench.app_probe CONFIG.json      (QT_QPA_PLATFORM=offscreen)

CONFIG names a working copy of a benchmark journal, its passphrase, the search queries and
how many repetitions. Prints one JSON object:

* ``unlock_steps``: read+parse, decrypt, deserialize, migrate-check (Vault.open's own
  steps, timed one by one, key derivation excluded);
* ``unlock_first`` / ``unlock_again``: the real GUI unlock (``MainWindow.unlock``: the
  worker runs ``open_and_merge``, then the pages attach on the UI thread), from the call
  until the populated window has been painted; the secret hands over the already derived
  data key, so key derivation is excluded;
* ``search``: ``JournalRepository.search`` per query;
* ``save``: edit one entry, then ``OpenJournal.save_now``: total time to the callback,
  ``prepare_save`` (UI thread), ``job.run`` (worker) and the longest gap between ticks of
  a 1 ms timer on the UI thread while saving (what a user would feel as a freeze);
* peak RSS of the process.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

T_START = time.monotonic()

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.stats import current_rss_mib, peak_rss_mib  # noqa: E402
from journal_app.app import apply_theme, build_window  # noqa: E402
from journal_app.storage import fileformat as ff  # noqa: E402
from journal_app.storage.database import Database  # noqa: E402
from journal_app.storage.vault import Secret, read_file  # noqa: E402
from journal_app.ui.settings import Settings  # noqa: E402


@dataclass(frozen=True, repr=False)
class KeySecret(Secret):
    """Hands Vault.open the data key derived once beforehand: unlock without the KDF."""

    key: bytes = b""

    def unlock(self, parsed: ff.ParsedFile) -> bytes:
        return self.key


class Ticker:
    """A 1 ms timer on the UI thread; records when it fires, to find the longest freeze."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def wait(self, done, timeout: float = 120.0) -> float:
        """Run the event loop until ``done()``; returns the longest gap between ticks."""
        loop = QEventLoop()
        self.ticks = [time.perf_counter()]
        deadline = time.perf_counter() + timeout

        def check() -> None:
            if done() or time.perf_counter() > deadline:
                loop.quit()

        self.timer.timeout.connect(check)
        self.timer.start()
        if not done():
            loop.exec()
        self.timer.stop()
        self.timer.timeout.disconnect(check)
        self.ticks.append(time.perf_counter())
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not finish in time")
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False))


def unlock_steps(path: Path, key: bytes) -> dict:
    t0 = time.perf_counter()
    parsed = ff.parse(read_file(path))
    t1 = time.perf_counter()
    body = ff.decrypt(parsed, key)
    t2 = time.perf_counter()
    db = Database(body.image)
    t3 = time.perf_counter()
    db.migrate()
    t4 = time.perf_counter()
    db.close()
    return {"read_parse": t1 - t0, "decrypt": t2 - t1, "deserialize": t3 - t2,
            "migrate_check": t4 - t3, "image_bytes": len(body.image)}


def gui_unlock(app: QApplication, window, ticker: Ticker, key: bytes) -> float:
    start = time.perf_counter()
    window.unlock(KeySecret(key=key))
    ticker.wait(lambda: window.journal is not None)
    app.processEvents()  # the populated window's first paint
    return time.perf_counter() - start


def gui_lock(window, ticker: Ticker) -> None:
    window.lock()
    ticker.wait(lambda: window.journal is None)


def timed_saves(window, ticker: Ticker, reps: int) -> list[dict]:
    journal = window.journal
    vault = journal.vault
    original_prepare = vault.prepare_save
    record: dict = {}

    class TimedJob:
        def __init__(self, job) -> None:
            self.job = job

        def run(self) -> int:
            t = time.perf_counter()
            try:
                return self.job.run()
            finally:
                record["worker"] = time.perf_counter() - t

    def prepare_save():
        t = time.perf_counter()
        job = original_prepare()
        record["prepare"] = time.perf_counter() - t
        return TimedJob(job)

    vault.prepare_save = prepare_save
    results = []
    try:
        entry = journal.repo.list_entries(limit=1)[0]
        for i in range(reps):
            record.clear()
            t = time.perf_counter()
            entry = journal.repo.update_entry(entry.edited(body=entry.body + f"\n\nEdit {i}."))
            store = time.perf_counter() - t
            done: list[BaseException | None] = []
            t = time.perf_counter()
            journal.save_now(done.append)
            gap = ticker.wait(lambda done=done: bool(done))
            total = time.perf_counter() - t
            if done[0] is not None:
                raise RuntimeError(f"save failed: {type(done[0]).__name__}")
            # The UI thread's longest block: prepare_save runs on it synchronously inside
            # save_now (before the ticker watches), then the longest gap while the worker runs.
            blocked = max(gap, record.get("prepare", 0.0))
            results.append({"store_edit": store, "total": total, "ui_blocked": blocked,
                            "gap_after_prepare": gap, **record})
    finally:
        vault.prepare_save = original_prepare
    return results


def main() -> int:
    config = json.loads(Path(sys.argv[1]).read_text())
    path = Path(config["journal"])
    t_imported = time.monotonic()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = Settings()
    apply_theme(app, settings.get("theme"), settings.get("font_size"))
    window = build_window(path, settings)
    window.show()
    app.processEvents()
    ticker = Ticker()
    idle_gap = ticker.wait(lambda: len(ticker.ticks) > 200)

    parsed = ff.parse(path.read_bytes())
    key = ff.unlock_data_key(parsed, passphrase=config["passphrase"])
    out: dict = {"import_seconds": t_imported - T_START, "idle_tick_gap": idle_gap}
    phases = out["peak_rss_by_phase"] = {"window shown, key derived": peak_rss_mib()}
    out["unlock_steps"] = [unlock_steps(path, key) for _ in range(config["step_reps"])]
    phases["unlock steps timed one by one"] = peak_rss_mib()

    out["unlock_first"] = gui_unlock(app, window, ticker, key)
    out["rss_after_unlock_mib"] = current_rss_mib()
    phases["first GUI unlock"] = peak_rss_mib()
    again = []
    for _ in range(config["unlock_reps"]):
        gui_lock(window, ticker)
        again.append(gui_unlock(app, window, ticker, key))
    out["unlock_again"] = again
    phases["lock/unlock cycles"] = peak_rss_mib()

    repo = window.journal.repo
    out["search"] = {}
    for query in config["queries"]:
        times, hits = [], 0
        for _ in range(config["search_reps"]):
            t = time.perf_counter()
            hits = len(repo.search(query))
            times.append(time.perf_counter() - t)
        out["search"][query] = {"times": times, "hits": hits}

    phases["searches"] = peak_rss_mib()
    out["save"] = timed_saves(window, ticker, config["save_reps"])
    phases["saves"] = peak_rss_mib()
    gui_lock(window, ticker)
    out["peak_rss_mib"] = peak_rss_mib()
    window.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
