"""The unlocked journal: a navigation list beside the stack of pages.

Built on the first unlock, not at start-up, so the lock screen never waits for the page
modules (and the database layer they pull in) to import.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from journal_app.ui.pages import Page


def build_pages(parent: QWidget) -> dict[str, Page]:
    """Every page of the unlocked journal, in navigation order, by a stable key."""
    from journal_app.ui.journal_page import JournalPage

    return {"journal": JournalPage(parent)}


class JournalArea(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.by_key = build_pages(self)
        self.pages: list[Page] = list(self.by_key.values())
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Sections"))
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget(self)
        for page in self.pages:
            self.nav.addItem(QListWidgetItem(page.page_title()))
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._show_row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 20, 12)
        layout.setSpacing(16)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.current_page().flush()
            self.stack.setCurrentIndex(row)

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def show_page(self, page: Page) -> None:
        self.nav.setCurrentRow(self.pages.index(page))

    def page(self, key: str) -> Page:
        return self.by_key[key]
