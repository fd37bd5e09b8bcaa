"""Every interactive control on the main screens has a name a screen reader can say,
and the keyboard reaches every control in a sensible order."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession, now
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault
from journal_app.ui.hub import Hub
from journal_app.ui.shell.main_window import MainWindow
from tests.conftest import FAST_KDF

INTERACTIVE = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QComboBox,
               QAbstractSpinBox, QAbstractItemView)


def spoken_name(widget: QWidget) -> str:
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    return ""


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, INTERACTIVE) and widget.isVisibleTo(root) \
                and widget.focusPolicy() != widget.focusPolicy().NoFocus \
                and not spoken_name(widget):
            missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}"
                           f" ({widget.objectName() or 'no objectName'})")
    return missing


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "journal.ijournal"
    vault, _key = Vault.create(path, "accessible passphrase", FAST_KDF)
    repo = JournalRepository(vault.db)
    repo.add_session(TreatmentSession(now(), number=1))
    repo.add_entry(Entry(EntryKind.FREE, "A title", "Some words."))
    vault.save()
    window = MainWindow(path, Hub())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.open_vault(vault)
    return window


def test_lock_screen_controls_have_names(qtbot, tmp_path):
    path = tmp_path / "journal.ijournal"
    Vault.create(path, "accessible passphrase", FAST_KDF)[0].close()
    window = MainWindow(path, Hub())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert unnamed_controls(window.unlock_screen) == []


def test_every_page_names_its_controls(qtbot, window):
    area = window.journal_area
    problems = {}
    for row, page in enumerate(area.pages):
        area.nav.setCurrentRow(row)
        qtbot.wait(50)
        missing = unnamed_controls(page)
        if missing:
            problems[page.page_title()] = missing
    assert problems == {}


def test_tab_reaches_the_navigation_and_the_page_in_order(qtbot, window):
    area = window.journal_area
    area.nav.setCurrentRow(area.pages.index(window.journal_page))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    area.nav.setFocus()
    seen = []
    widget = area.nav
    for _ in range(12):
        widget = widget.nextInFocusChain()
        while not (widget.isVisible() and widget.isEnabled()
                   and widget.focusPolicy() & widget.focusPolicy().TabFocus):
            widget = widget.nextInFocusChain()
        seen.append(widget)
    page = window.journal_page
    order = [page.new_button, page.list, page.editor.title, page.editor.tags,
             page.editor.private]
    positions = [seen.index(w) for w in order]
    assert positions == sorted(positions), "tab order follows the reading order"
