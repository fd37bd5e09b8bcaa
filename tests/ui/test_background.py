"""Background work reports on the main thread, and never to an object that is gone."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread

from journal_app.ui.background import busy, run_in_background, wait_for_all


def test_result_arrives_on_the_main_thread(qtbot):
    seen: list[tuple[int, bool]] = []
    main = QThread.currentThread()
    run_in_background(lambda: 41 + 1,
                      lambda value: seen.append((value, QThread.currentThread() is main)),
                      lambda exc: seen.append((-1, False)))
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen == [(42, True)]


def test_failure_is_delivered_as_the_exception(qtbot):
    failures: list[BaseException] = []

    def boom() -> None:
        raise ValueError("no journal text here")

    run_in_background(boom, lambda _v: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5_000)
    assert isinstance(failures[0], ValueError)


def test_requester_deleted_while_working_gets_no_callback(qtbot):
    requester = QObject()
    release = threading.Event()
    calls: list[object] = []
    run_in_background(lambda: release.wait(5) and "done", calls.append, calls.append,
                      parent=requester)
    requester.deleteLater()
    qtbot.waitUntil(lambda: not _alive(requester), timeout=5_000)
    release.set()
    assert wait_for_all(5_000)
    qtbot.waitUntil(lambda: not busy(), timeout=5_000)
    assert calls == []


def _alive(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:
        return False
    return True
