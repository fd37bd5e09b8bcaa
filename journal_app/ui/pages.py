"""The screens of an unlocked journal share one small contract.

``attach`` gives a page the open journal; ``detach`` must drop every piece of journal
content it shows (guarantee 7: nothing reachable after lock); ``flush`` delivers pending
edits before a save or lock; ``refresh`` reloads after changes made elsewhere.

Pages load lazily: ``attach`` loads at once only a page on screen; any other page is
marked stale and loads when it is next shown (``showEvent``, or ``ensure_loaded`` when the
window switches to it). So an unlock pays for the page in front of the user, not for all
of them, and a page attached but never shown holds no journal content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from journal_app.ui.open_journal import OpenJournal


class Page(QWidget):
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
            self.refresh()

    def outdated(self) -> bool:
        """True when the content has aged without any change to the journal (pages that
        follow the clock say so); such a page reloads when shown."""
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()
