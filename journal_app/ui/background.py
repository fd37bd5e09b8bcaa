"""Run slow calls (key derivation, saving, export) off the UI thread.

The callable runs on a pool thread and must not touch widgets; its result or exception
is delivered back on the main thread through queued signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to the caller's error handler
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


_running: set[_Relay] = set()


def run_in_background(fn: Callable[[], Any], on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException], None],
                      *, parent: QObject | None = None) -> _Relay:
    """Start ``fn`` on the global pool; exactly one of the callbacks runs on the main thread,
    unless ``parent`` was destroyed meanwhile (then neither runs).

    The relay is owned by this module, not by ``parent``: a worker may still be running
    when its requester goes away (a lock deletes the open journal), and it must always
    have a live object to report to.
    """
    relay = _Relay()
    _running.add(relay)
    gone = False

    def forget(*_args: object) -> None:
        nonlocal gone
        gone = True

    if parent is not None:
        parent.destroyed.connect(forget)

    def done(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(relay)
        relay.deleteLater()
        if not gone:
            callback(value)

    relay.succeeded.connect(lambda value: done(on_success, value))
    relay.failed.connect(lambda exc: done(on_failure, exc))
    QThreadPool.globalInstance().start(_Task(fn, relay))
    return relay


def busy() -> bool:
    return bool(_running)


def wait_for_all(msecs: int = 30_000) -> bool:
    return QThreadPool.globalInstance().waitForDone(msecs)
