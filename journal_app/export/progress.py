"""Progress reporting and cancelling for long exports.

The builder, the renderers and the PDF writer call :meth:`Progress.advance` as they go;
it reports to an optional callback and raises :class:`Cancelled` as soon as the optional
cancel check says so. A cancelled export writes nothing (see ``journal_app.atomic``).
"""

from __future__ import annotations

from collections.abc import Callable

from journal_app.errors import JournalError

ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]


class Cancelled(JournalError):
    """The person cancelled the export; no file was written."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


class Progress:
    """Counts steps of one export. ``callback(done, total, stage)`` may run on a worker
    thread: it must only post the numbers on (a queued signal), never touch widgets."""

    def __init__(self, callback: ProgressCallback | None = None,
                 cancelled: CancelCheck | None = None) -> None:
        self._callback = callback
        self._cancelled = cancelled
        self.done = 0
        self.total = 0
        self.stage = ""

    def start(self, stage: str, total: int) -> None:
        """Begin a stage of ``total`` steps."""
        self.stage, self.total, self.done = stage, max(total, 0), 0
        self._report()

    def advance(self, steps: int = 1) -> None:
        self.check()
        self.done = min(self.done + steps, self.total) if self.total else self.done + steps
        self._report()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the person asked to stop."""
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()

    def _report(self) -> None:
        if self._callback is not None:
            self._callback(self.done, self.total, self.stage)


def ensure(progress: Progress | None) -> Progress:
    return progress if progress is not None else Progress()
