"""The unlocked journal: a navigation list beside the stack of pages.

Built on the first unlock, not at start-up, so the lock screen never waits for the page
modules (and the database layer they pull in) to import. Pages load lazily (see
:mod:`journal_app.ui.pages.base`): at unlock only the page on screen loads; a change made on one
page reloads the others when they are next shown. Each page sits in a frame that shows a
calm notice instead, should the page fail to load; the other pages are unaffected.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.ui.pages.base import Page


def build_pages(parent: QWidget) -> dict[str, Page]:
    """Every page of the unlocked journal, in navigation order, by a stable key."""
    from journal_app.ui.pages.checkin_page import CheckInPage
    from journal_app.ui.pages.journal_page import JournalPage
    from journal_app.ui.pages.lookback import LookBackPage
    from journal_app.ui.pages.search_page import SearchPage
    from journal_app.ui.pages.sessions_page import SessionsPage
    from journal_app.ui.pages.today_page import TodayPage

    return {
        "today": TodayPage(parent),
        "journal": JournalPage(parent),
        "sessions": SessionsPage(parent),
        "checkins": CheckInPage(parent),
        "search": SearchPage(parent),
        "lookback": LookBackPage(parent),
    }


class PageFrame(QStackedWidget):
    """A page, or in its place a notice that it could not be shown (and a way to retry)."""

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.notice = QWidget(self)
        self.notice.setObjectName("pageNotice")
        heading = QLabel(self.tr("This section can't be shown right now."), self.notice)
        heading.setWordWrap(True)
        text = QLabel(self.tr(
            "Your writing is safe: nothing was changed, and the other sections work as "
            "usual. You can try again, or come back to it later."), self.notice)
        text.setObjectName("quietLabel")
        text.setWordWrap(True)
        self.retry = QPushButton(self.tr("Try again"), self.notice)
        self.retry.clicked.connect(self._retry)
        card = QVBoxLayout()
        card.setSpacing(10)
        card.addWidget(heading)
        card.addWidget(text)
        card.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        holder = QWidget(self.notice)
        holder.setFixedWidth(480)  # wrapped text needs a width to be measured against
        holder.setLayout(card)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(holder)
        row.addStretch(1)
        layout = QVBoxLayout(self.notice)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.addWidget(page)
        self.addWidget(self.notice)
        page.load_failed.connect(self._failed)
        page.loaded.connect(lambda: self.setCurrentWidget(page))

    @property
    def failed(self) -> bool:
        return self.currentWidget() is self.notice

    def _failed(self) -> None:
        self.setCurrentWidget(self.notice)
        self.retry.setFocus()

    def _retry(self) -> None:
        self.page.mark_stale()
        self.page.ensure_loaded()


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
        self.frames: list[PageFrame] = []
        for page in self.pages:
            self.nav.addItem(QListWidgetItem(page.page_title()))
            frame = PageFrame(page, self.stack)
            self.frames.append(frame)
            self.stack.addWidget(frame)
        self.nav.currentRowChanged.connect(self._show_row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 20, 12)
        layout.setSpacing(16)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self._wire()

    def _wire(self) -> None:
        """Pages never know each other; requests between them are connected here."""
        today, journal = self.page("today"), self.page("journal")
        today.new_entry_requested.connect(self.new_entry)
        today.checkin_requested.connect(self.check_in)
        self.page("checkins").check_in_stored.connect(lambda _id: self.refresh_others())
        for key in ("today", "sessions", "search", "lookback"):
            self.page(key).entry_open_requested.connect(self.open_entry)
        for key in ("today", "sessions", "search"):
            self.page(key).changed.connect(self.refresh_others)
        journal.entry_stored.connect(lambda _id: self._refresh_except(journal))

    def new_entry(self) -> None:
        journal = self.page("journal")
        self.show_page(journal)
        journal.new_entry()

    def check_in(self, measure_id: str = "") -> None:
        checkins = self.page("checkins")
        self.show_page(checkins)
        checkins.new_check_in(measure_id or None)

    def find(self) -> None:
        search = self.page("search")
        self.show_page(search)
        search.focus_search()

    def open_entry(self, entry_id: int) -> None:
        journal = self.page("journal")
        self.show_page(journal)
        journal.show_entry(entry_id)

    def refresh_others(self) -> None:
        sender = self.sender()
        self._refresh_except(sender if isinstance(sender, Page) else None)

    def _refresh_except(self, source: Page | None) -> None:
        """Pages other than ``source`` reload now if shown, otherwise when next shown."""
        for page in self.pages:
            if page is not source and page.journal is not None:
                page.mark_stale()

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.current_page().flush()
            page = self.pages[row]
            page.ensure_loaded()  # filled before it is shown, even in a hidden window
            self.stack.setCurrentIndex(row)

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def show_page(self, page: Page) -> None:
        self.nav.setCurrentRow(self.pages.index(page))
        page.ensure_loaded()  # already the current row: no row change loads it

    def hideEvent(self, event: QHideEvent) -> None:
        """Locked (every page detached): go back to the first page, so the next unlock
        shows and loads only that one, not the page left open at the lock as well."""
        super().hideEvent(event)
        if all(page.journal is None for page in self.pages):
            self.nav.setCurrentRow(0)

    def page(self, key: str) -> Page:
        return self.by_key[key]
