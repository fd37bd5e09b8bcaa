"""The screens of an unlocked journal share one small contract.

``attach`` gives a page the open journal; ``detach`` must drop every piece of journal
content it shows (guarantee 7: nothing reachable after lock); ``flush`` delivers pending
edits before a save or lock; ``refresh`` reloads after changes made elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from journal_app.ui.open_journal import OpenJournal


class Page(QWidget):
    def page_title(self) -> str:
        raise NotImplementedError

    def attach(self, journal: OpenJournal) -> None:
        self.journal = journal
        self.refresh()

    def detach(self) -> None:
        self.journal = None

    def flush(self) -> None:
        """Deliver pending edits now."""

    def refresh(self) -> None:
        """Reload what the page shows from the journal."""
