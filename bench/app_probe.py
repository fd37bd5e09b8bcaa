"""Bench probe, its own process per run: the GUI as a person uses it, offscreen.

    python -m bench.app_probe CONFIG.json      (QT_QPA_PLATFORM=offscreen)

CONFIG names a working copy of a benchmark journal (saved to), its passphrase, the search
queries and the repetitions. Nothing the app doesn't do runs before the measured steps:
the data key comes from the file's head only, as the lock screen derives it. In order:

1. the lock screen shown; a two-second pause (someone typing the passphrase);
2. ``unlock_first``: ``MainWindow.unlock`` with a secret that hands over the derived key
   (no KDF), from the call until the Today page has been painted;
3. ``pages``: each section chosen in the navigation list, first show to painted, then each
   tab of a section that has tabs (Check-ins); Look back then counts themes (in steps
   between events, or on a worker): how long until they show and the UI thread's longest
   block meanwhile;
4. ``search``: ``search(query)`` per query;
5. ``save``: one entry edited, then ``OpenJournal.save_now`` as autosave calls it: the
   time ``save_now`` holds the UI thread, the worker's time, the longest gap between ticks
   of a 1 ms UI-thread timer until the save is done, and the total;
6. lock (its save and close), ``unlock_again``, Look back shown and at once an edit saved
   while it counts themes (what a person typing there feels); the process then ends
   without waiting for that count (``os._exit`` once the results are printed).

Before each phase VmHWM is reset (``/proc/self/clear_refs``); ``phases`` holds each one's
peak RSS and the RSS after it. Prints one JSON object.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

T_START = time.monotonic()

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTabWidget  # noqa: E402

from bench.keys import KeySecret, data_key  # noqa: E402 (attachments_probe, profile)
from bench.stats import current_rss_mib, peak_rss_mib, reset_peak_rss  # noqa: E402
from journal_app.app import apply_theme, build_window  # noqa: E402
from journal_app.storage.vault import Vault  # noqa: E402
from journal_app.ui.settings import Settings  # noqa: E402


class Ticker:
    """A 1 ms timer on the UI thread; records when it fires, to find the longest freeze."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def wait(self, done, timeout: float = 180.0) -> float:
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
        if not done():
            raise TimeoutError("the app did not finish in time")
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False))


class Paints(QObject):
    """Counts paint events anywhere in the app and when the last one came."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.last = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            self.last = time.perf_counter()
        return False


PAINTS = Paints()


def settle(app: QApplication, start: float) -> float:
    """Process events until a pass paints nothing more; seconds from ``start`` to the last
    paint (or to now, if nothing painted)."""
    end = time.perf_counter()
    for _ in range(30):
        before = PAINTS.count
        app.processEvents()
        if PAINTS.count == before:
            break
        end = PAINTS.last
    return max(end, PAINTS.last if PAINTS.last > start else end) - start


def gui_unlock(app: QApplication, window, ticker: Ticker, key: bytes) -> float:
    start = time.perf_counter()
    window.unlock(KeySecret(key=key))
    ticker.wait(lambda: window.journal is not None)
    return settle(app, start)


def gui_lock(window, ticker: Ticker) -> float:
    start = time.perf_counter()
    window.lock()
    ticker.wait(lambda: window.journal is None)
    return time.perf_counter() - start


class Phases:
    def __init__(self) -> None:
        self.out: dict[str, dict] = {}

    def start(self) -> None:
        reset_peak_rss()

    def end(self, name: str, **values: object) -> None:
        self.out[name] = {"peak_mib": peak_rss_mib(), "rss_mib": current_rss_mib(), **values}


def _area(window):
    return window.journal_area


def _current_page(area):
    return area.current_page()


def _tabs(page) -> QTabWidget | None:
    found = [t for t in page.findChildren(QTabWidget) if t.isVisible() and t.count() > 1]
    return max(found, key=lambda t: t.count()) if found else None


class Background:
    """Look back counts themes after it shows (in steps between events, or on a worker;
    its ``themes_shown`` signal says when they show): how long that takes and the UI
    thread's longest block meanwhile. The page is watched once shown (asking the journal
    area for a page ahead would build it, and its build belongs in its first show)."""

    def __init__(self) -> None:
        self.shown: list[float] = []
        self.pages: set[int] = set()

    def watch(self, page) -> bool:
        signal = getattr(page, "themes_shown", None)
        if signal is None:
            return False
        if id(page) not in self.pages:
            self.pages.add(id(page))
            signal.connect(lambda: self.shown.append(time.perf_counter()))
        return True

    def wait(self, page, ticker: Ticker, start: float, seen: int) -> dict:
        if len(self.shown) == seen and getattr(page, "themes", None) is not None:
            # Shown before the watch began (while the page was being painted).
            return {"seconds": time.perf_counter() - start, "ui_blocked": None,
                    "watched_to_the_end": False}
        try:
            gap = ticker.wait(lambda: len(self.shown) > seen, timeout=300.0)
        except TimeoutError:
            return {"seconds": None, "ui_blocked": None, "watched_to_the_end": False}
        return {"seconds": self.shown[seen] - start, "ui_blocked": gap,
                "watched_to_the_end": True}


BACKGROUND = Background()


def pages(app: QApplication, window, ticker: Ticker, phases: Phases) -> list[dict]:
    area = _area(window)
    shown = []
    for row in range(1, area.nav.count()):
        name = area.nav.item(row).text()
        seen = len(BACKGROUND.shown)
        phases.start()
        start = time.perf_counter()
        area.nav.setCurrentRow(row)
        seconds = settle(app, start)
        phases.end(f"page {name}")
        page = _current_page(area)
        item = {"page": name, "row": row, "seconds": seconds, **phases.out[f"page {name}"]}
        if BACKGROUND.watch(page):
            phases.start()
            themes = BACKGROUND.wait(page, ticker, start, seen)
            phases.end(f"page {name}: until its background work shows", **themes)
            item["background"] = phases.out[f"page {name}: until its background work shows"]
        tabs = _tabs(page)
        if tabs is not None:
            item["tabs"] = []
            for index in [*range(1, tabs.count()), 0]:
                label = tabs.tabText(index).replace("&", "")
                phases.start()
                start = time.perf_counter()
                tabs.setCurrentIndex(index)
                seconds = settle(app, start)
                key = f"page {name}, tab {label}" + (" (again)" if index == 0 else "")
                phases.end(key)
                item["tabs"].append({"tab": label, "again": index == 0, "seconds": seconds,
                                     **phases.out[key]})
        shown.append(item)
    return shown


def save_once(window, ticker: Ticker, i: int) -> dict:
    """Edit the newest entry, then save as autosave does; the UI thread's longest block
    is the longer of save_now's own time (it runs on the UI thread before the worker
    starts) and the longest gap between ticks until the save is done."""
    journal = window.journal
    vault = journal.vault
    record: dict = {}
    original = getattr(vault, "prepare_save", None)
    if original is not None:  # time the worker's part where the job can be seen
        class TimedJob:
            """The vault's save job, its ``run`` timed; every other attribute (read or
            set by the app, e.g. ``same_journal``) is the job's own."""

            def __init__(self, job) -> None:
                object.__setattr__(self, "job", job)

            def __getattr__(self, name):
                return getattr(self.job, name)

            def __setattr__(self, name, value) -> None:
                setattr(self.job, name, value)

            def run(self):
                t = time.perf_counter()
                try:
                    return self.job.run()
                finally:
                    record["worker"] = time.perf_counter() - t

        def prepare_save(*args, **kwargs):  # the app's own arguments (compact=...)
            t = time.perf_counter()
            job = original(*args, **kwargs)
            record["prepare"] = time.perf_counter() - t
            return TimedJob(job)

        vault.prepare_save = prepare_save
    try:
        entry = journal.repo.list_entries(limit=1)[0]
        t = time.perf_counter()
        journal.repo.update_entry(entry.edited(body=entry.body + f"\n\nEdit {i}."))
        store = time.perf_counter() - t
        done: list[BaseException | None] = []
        t = time.perf_counter()
        journal.save_now(done.append)
        sync = time.perf_counter() - t
        gap = ticker.wait(lambda: bool(done))
        total = time.perf_counter() - t
    finally:
        if original is not None:
            del vault.prepare_save
    if done[0] is not None:
        raise RuntimeError(f"save failed: {type(done[0]).__name__}")
    return {"store_edit": store, "total": total, "save_now_call": sync,
            "gap_after_call": gap, "ui_blocked": max(gap, sync), **record}


def timed_saves(window, ticker: Ticker, reps: int) -> list[dict]:
    """``reps`` saves after edits (bench.attachments_probe times its saves with this)."""
    return [save_once(window, ticker, i) for i in range(reps)]


def searches(window, queries: list[str], reps: int) -> dict:
    repo = window.journal.repo
    out = {}
    for query in queries:
        times, hits = [], 0
        for _ in range(reps):
            t = time.perf_counter()
            hits = len(repo.search(query))
            times.append(time.perf_counter() - t)
        out[query] = {"times": times, "hits": hits}
    return out


def save_during_background(app, window, ticker: Ticker, shown: list[dict]) -> dict | None:
    """The page with background work (Look back) shown again, and at once an edit saved
    while it counts."""
    rows = [p for p in shown if "background" in p]
    if not rows:
        return None
    area = _area(window)
    seen = len(BACKGROUND.shown)
    start = time.perf_counter()
    area.nav.setCurrentRow(rows[0]["row"])
    page_shown = settle(app, start)
    BACKGROUND.watch(_current_page(area))
    busy = len(BACKGROUND.shown) == seen
    save = save_once(window, ticker, 99)
    # Not waited for to the end (it was timed on the first show): the process ends at once.
    return {"page": rows[0]["page"], "page_shown": page_shown,
            "still_counting_when_saved": busy, "save": save}


class AppLog(logging.Handler):
    """What the app logged at WARNING and above while probed (a page that failed to load
    shows a notice instead, and its "first show" would time the notice): the report says
    so. The app logs kinds of failure only, never journal text."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.levelname} {record.name}: {record.getMessage()}"[:300])


def main() -> int:
    app_log = AppLog()
    logging.getLogger().addHandler(app_log)
    config = json.loads(Path(sys.argv[1]).read_text())
    path = Path(config["journal"])
    t_imported = time.monotonic()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.installEventFilter(PAINTS)
    settings = Settings()
    apply_theme(app, settings.get("theme"), settings.get("font_size"))
    window = build_window(path, settings)
    window.show()
    app.processEvents()
    phases = Phases()
    phases.end("lock screen shown (since the process started)",
               seconds=time.monotonic() - T_START)
    ticker = Ticker()
    phases.start()
    pause = time.perf_counter()
    idle_gap = ticker.wait(lambda: time.perf_counter() - pause > 2.0)
    key = data_key(path, config["passphrase"])
    phases.end("lock screen idle 2 s, key derived from the head")
    out: dict = {"import_seconds": t_imported - T_START, "idle_tick_gap": idle_gap,
                 # What a save writes: one record (beside a whole-image compact) or the image.
                 "save_kind": "change log" if hasattr(Vault, "compact") else "snapshot"}

    out["errors"] = errors = []

    def attempt(label: str, fn, default=None):
        """One phase; if the app's code moved under the probe, the others still run."""
        try:
            return fn()
        except Exception as exc:
            errors.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
            return default

    phases.start()
    out["unlock_first"] = gui_unlock(app, window, ticker, key)  # nothing without it
    phases.end("first unlock (Today painted)", seconds=out["unlock_first"])
    out["rss_after_unlock_mib"] = current_rss_mib()
    out["pages"] = attempt("pages", lambda: pages(app, window, ticker, phases), [])

    phases.start()
    out["search"] = attempt("search", lambda: searches(window, config["queries"],
                                                       config["search_reps"]), {})
    phases.end("searches")
    phases.start()
    out["save"] = attempt("saves", lambda: [save_once(window, ticker, i)
                                            for i in range(config["save_reps"])], [])
    phases.end("saves after edits")

    out["lock"], out["unlock_again"] = [], []

    def lock_unlock(n: str) -> None:
        phases.start()
        out["lock"].append(gui_lock(window, ticker))
        phases.end("lock (save, close)" + n, seconds=out["lock"][-1])
        phases.start()
        out["unlock_again"].append(gui_unlock(app, window, ticker, key))
        phases.end("unlock again" + n, seconds=out["unlock_again"][-1])

    for i in range(config["unlock_reps"]):
        attempt("lock, unlock again", lambda i=i: lock_unlock(f" ({i + 1})" if i else ""))
    phases.start()
    out["save_during_background"] = attempt(
        "save during background work",
        lambda: save_during_background(app, window, ticker, out["pages"]))
    phases.end("Look back shown again, a save while it counts")
    phases.start()
    attempt("final lock", lambda: gui_lock(window, ticker))
    phases.end("final lock")
    out["phases"] = phases.out
    out["app_log"] = app_log.records
    out["peak_rss_mib"] = max(p["peak_mib"] for p in phases.out.values())
    print(json.dumps(out), flush=True)
    os._exit(0)  # a worker may still be counting themes: no teardown waits for it


if __name__ == "__main__":
    raise SystemExit(main())
