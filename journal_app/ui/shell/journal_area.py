"""The unlocked journal: a navigation list beside the stack of pages.

Built on the first unlock, not at start-up, so the lock screen never waits for the page
modules (and the database layer they pull in) to import. Only the Today page is built with
it: every other page is built, its module imported, the first time it is opened (or asked
for). Pages load lazily (see :mod:`journal_app.ui.pages.base`): at unlock only the page on
screen loads; a change made on one page reloads the others when they are next shown. Each
page sits in a frame that shows a calm notice instead, should the page fail to load; the
other pages are unaffected.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
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

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


#: The pages in navigation order: key, module (under journal_app.ui.pages) and class.
PAGES = (
    ("today", "today_page", "TodayPage"),
    ("journal", "journal_page", "JournalPage"),
    ("sessions", "sessions_page", "SessionsPage"),
    ("checkins", "checkin_page", "CheckInPage"),
    ("search", "search_page", "SearchPage"),
    ("lookback", "lookback", "LookBackPage"),
)
KEYS = tuple(key for key, _module, _cls in PAGES)


def page_titles() -> dict[str, str]:
    """Each page's ``page_title()``, known before its module is imported (the same words
    in the same translation context)."""
    return {
        "today": translate("TodayPage", "Today"),
        "journal": translate("JournalPage", "Journal"),
        "sessions": translate("SessionsPage", "Sessions"),
        "checkins": translate("CheckInPage", "Check-ins"),
        "search": translate("SearchPage", "Search"),
        "lookback": translate("LookBackPage", "Look back"),
    }


def build_page(key: str, parent: QWidget) -> Page:
    """The page called ``key``, its module imported now (the first time it is needed)."""
    _key, module, cls = PAGES[KEYS.index(key)]
    page_class = getattr(importlib.import_module(f"journal_app.ui.pages.{module}"), cls)
    page: Page = page_class(parent)
    return page


def build_pages(parent: QWidget) -> dict[str, Page]:
    """Every page of the unlocked journal, in navigation order, by a stable key."""
    return {key: build_page(key, parent) for key in KEYS}


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
    """The navigation and the pages. A page is built (its module imported) the first time
    it is shown or asked for, and is then given the open journal; the Today page, on screen
    at unlock, is built with the area."""

    entry_stored = Signal(int)  # the Journal page stored an entry (entry id)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal: OpenJournal | None = None
        self._built: dict[str, Page] = {}
        self._frames: dict[str, PageFrame] = {}
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Sections"))
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget(self)
        self._slots: list[QVBoxLayout] = []
        titles = page_titles()
        for key in KEYS:
            self.nav.addItem(QListWidgetItem(titles[key]))
            slot = QWidget(self.stack)
            box = QVBoxLayout(slot)
            box.setContentsMargins(0, 0, 0, 0)
            self._slots.append(box)
            self.stack.addWidget(slot)
        self.page(KEYS[0])
        self.nav.currentRowChanged.connect(self._show_row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 20, 12)
        layout.setSpacing(16)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

    # ------------------------------------------------------------------ pages
    def page(self, key: str) -> Page:
        """The page called ``key``, built now if it wasn't yet."""
        page = self._built.get(key)
        if page is None:
            page = self._built[key] = build_page(key, self)
            frame = self._frames[key] = PageFrame(page)
            self._slots[KEYS.index(key)].addWidget(frame)
            self._wire(key, page)
            if self.journal is not None:
                page.attach(self.journal)
        return page

    @property
    def built_pages(self) -> list[Page]:
        """The pages built so far, in navigation order (the others hold nothing)."""
        return [self._built[key] for key in KEYS if key in self._built]

    @property
    def pages(self) -> list[Page]:
        """Every page, in navigation order (building those not yet built)."""
        return [self.page(key) for key in KEYS]

    @property
    def by_key(self) -> dict[str, Page]:
        return {key: self.page(key) for key in KEYS}

    @property
    def frames(self) -> list[PageFrame]:
        """Every page's frame, in navigation order (building the pages not yet built)."""
        for key in KEYS:
            self.page(key)
        return [self._frames[key] for key in KEYS]

    def is_built(self, key: str) -> bool:
        return key in self._built

    def _key_of(self, page: Page) -> str:
        return next(key for key, built in self._built.items() if built is page)

    # ------------------------------------------------------------------ the journal
    def attach(self, journal: OpenJournal) -> None:
        """Unlocked: every built page gets the journal; pages built later get it too."""
        self.journal = journal
        for page in self.built_pages:
            page.attach(journal)

    def detach(self) -> None:
        """Locked: every page drops what it shows."""
        self.journal = None
        for page in self.built_pages:
            page.detach()

    def flush(self) -> None:
        for page in self.built_pages:
            page.flush()

    def _wire(self, key: str, page: Page) -> None:
        """Pages never know each other; requests between them are connected here, as
        each page is built."""
        if key == "today":
            page.new_entry_requested.connect(self.new_entry)
            page.checkin_requested.connect(self.check_in)
        if key == "checkins":
            page.check_in_stored.connect(lambda _id: self.refresh_others())
        if key in ("today", "sessions", "search", "lookback"):
            page.entry_open_requested.connect(self.open_entry)
        if key in ("today", "sessions", "search"):
            page.changed.connect(self.refresh_others)
        if key == "journal":
            page.entry_stored.connect(lambda _id: self._refresh_except(page))
            page.entry_stored.connect(self.entry_stored.emit)

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
        """Pages other than ``source`` reload now if shown, otherwise when next shown
        (a page not built yet loads when it is)."""
        for page in self.built_pages:
            if page is not source and page.journal is not None:
                page.mark_stale()

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(KEYS):
            self.current_page().flush()
            page = self.page(KEYS[row])
            page.ensure_loaded()  # filled before it is shown, even in a hidden window
            self.stack.setCurrentIndex(row)

    def current_page(self) -> Page:
        return self.page(KEYS[self.stack.currentIndex()])

    def show_page(self, page: Page) -> None:
        self.nav.setCurrentRow(KEYS.index(self._key_of(page)))
        page.ensure_loaded()  # already the current row: no row change loads it

    def hideEvent(self, event: QHideEvent) -> None:
        """Locked (every page detached): go back to the first page, so the next unlock
        shows and loads only that one, not the page left open at the lock as well."""
        super().hideEvent(event)
        if all(page.journal is None for page in self.built_pages):
            self.nav.setCurrentRow(0)

