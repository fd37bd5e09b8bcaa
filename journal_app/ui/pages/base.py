"""The screens of an unlocked journal share one small contract.

``attach`` gives a page the open journal; ``detach`` must drop every piece of journal
content it shows (guarantee 7: nothing reachable after lock); ``flush`` delivers pending
edits before a save or lock; ``refresh`` reloads after changes made elsewhere.

Pages load lazily: ``attach`` loads at once only a page on screen; any other page is
marked stale and loads when it is next shown (``showEvent``, or ``ensure_loaded`` when the
window switches to it). So an unlock pays for the page in front of the user, not for all
of them, and a page attached but never shown holds no journal content.

Pages load in isolation: a page whose loading fails (a bug, or a row no version of the app
should have written) logs the kind of failure, never its message (it may quote journal
text), and says so with ``load_failed``; the window shows a calm notice in its place and
every other page keeps working. It tries again the next time it is shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal


log = logging.getLogger(__name__)


class Page(QWidget):
    load_failed = Signal()  # refresh raised: the page can't show the journal right now
    loaded = Signal()  # refresh completed
    journal: OpenJournal | None = None
    _stale = False  # attached (or changed elsewhere) since the page last loaded

    def page_title(self) -> str:
        raise NotImplementedError

    def attach(self, journal: OpenJournal) -> None:
        if self.journal is not None and self.journal is not journal:
            self.detach()  # never show one journal's content under another
        self.journal = journal
        self.mark_stale()

    def detach(self) -> None:
        self.journal = None
        self._stale = False

    def flush(self) -> None:
        """Deliver pending edits now."""

    def refresh(self) -> None:
        """Reload what the page shows from the journal."""

    # ------------------------------------------------------------------ lazy loading
    def mark_stale(self) -> None:
        """The journal changed: reload now if on screen, otherwise when next shown."""
        self._stale = True
        if self.isVisible():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        """Load if stale or out of date; a page about to be shown calls this."""
        if self.journal is not None and (self._stale or self.outdated()):
            self._stale = False
            self.load_safely()

    def load_safely(self) -> bool:
        """Refresh, containing any failure to this page. True if it loaded."""
        if not self.contained(self.refresh):
            self._stale = True  # try again when next shown
            return False
        self.loaded.emit()
        return True

    def contained(self, load: Callable[[], object]) -> bool:
        """Run ``load`` (filling some of the page); a failure is logged by its kind only
        and shown as the page's notice, never escaping to take the window down."""
        try:
            load()
        except Exception as exc:  # one page must never take the window down
            log.error("the %s page could not load: %s", type(self).__name__,
                      type(exc).__name__)
            self.load_failed.emit()
            return False
        return True

    def outdated(self) -> bool:
        """True when the content has aged without any change to the journal (pages that
        follow the clock say so); such a page reloads when shown."""
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()
