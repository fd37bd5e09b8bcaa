"""The main window's actions come from one table (journal_app/ui/shell/actions.py): the
registry, the menus, the toolbar, the lock state and the shortcuts help all follow it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from journal_app.ui.dialogs import help_dialog
from journal_app.ui.dialogs.import_dialog import ImportDialog
from journal_app.ui.hub import Hub
from journal_app.ui.shell.actions import ACTIONS, Menu
from journal_app.ui.shell.main_window import MainWindow
from tests.helpers.journals import PASSPHRASE, make_journal

NATIVE = QKeySequence.SequenceFormat.NativeText
PORTABLE = QKeySequence.SequenceFormat.PortableText


@pytest.fixture
def made(tmp_path):
    return make_journal(tmp_path / "j", ("kept",))


@pytest.fixture
def window(qtbot, made) -> MainWindow:
    window = MainWindow(made.path, Hub(), auto_lock_minutes=5)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def unlock(qtbot, window: MainWindow) -> None:
    """As a user does: type the passphrase on the lock screen, press Enter."""
    qtbot.keyClicks(window.unlock_screen.secret, PASSPHRASE)
    with qtbot.waitSignal(window.hub.journal_unlocked, timeout=10_000):
        qtbot.keyClick(window.unlock_screen.secret, Qt.Key.Key_Return)


def lock(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.hub.journal_locked, timeout=10_000):
        window.action_registry["lock"].trigger()


def menu_layout(window: MainWindow) -> list[tuple[str, list[str]]]:
    layout = []
    for entry in window.menuBar().actions():
        menu = entry.menu()
        assert isinstance(menu, QMenu)
        layout.append((entry.text(), ["-" if a.isSeparator() else a.text()
                                      for a in menu.actions()]))
    return layout


def test_every_spec_has_one_action_in_the_registry_menus_and_window(window):
    registry = window.action_registry
    assert list(registry) == [spec.id for spec in ACTIONS], "the table is the only list"
    on_window = window.actions()
    in_menus = [a for _title, menu in menu_layout(window) for a in menu]
    for spec in ACTIONS:
        action = registry[spec.id]
        assert registry.get(spec.id) is action
        assert action in on_window, f"{spec.id}: its shortcut works anywhere in the window"
        assert action.text() in in_menus, f"{spec.id}: reachable from the menu bar"
        if spec.shortcut is not None:
            assert action.shortcut() == QKeySequence(spec.shortcut)
    assert registry.get("no such action") is None
    assert len(registry) == len(ACTIONS)


def test_menus_toolbar_and_shortcuts_stay_as_the_user_knows_them(window):
    assert menu_layout(window) == [
        ("&Journal", ["New entry", "Search…", "Delete entry…", "Export report…", "Import…",
                      "-", "Change passphrase…", "Settings…", "Lock now", "-", "Quit"]),
        ("&Help", ["I need help now", "Keyboard shortcuts"]),
    ]
    assert [m.value for m in Menu] == ["&Journal", "&Help"]
    keys = {spec.id: window.action_registry[spec.id].shortcut().toString(PORTABLE)
            for spec in ACTIONS}
    assert keys == {
        "new": QKeySequence(QKeySequence.StandardKey.New).toString(PORTABLE),
        "find": QKeySequence(QKeySequence.StandardKey.Find).toString(PORTABLE),
        "delete": "Ctrl+Del", "export": "Ctrl+E", "import": "", "passphrase": "",
        "settings": "Ctrl+,", "lock": "Ctrl+L",
        "quit": QKeySequence(QKeySequence.StandardKey.Quit).toString(PORTABLE),
        "help_now": "Ctrl+Shift+H", "shortcuts": "F1",
    }
    toolbar = window.toolbar
    tools = toolbar.actions()
    assert tools[0] is window.action_registry["lock"]
    assert tools[-1] is window.action_registry["help_now"]
    assert len(tools) == 3, "lock, a spacer, help"
    help_button = toolbar.widgetForAction(window.action_registry["help_now"])
    assert help_button.objectName() == "helpNow"
    assert help_button.accessibleName() == "I need help now"


def test_every_shortcut_is_listed_in_the_help(qtbot, window, monkeypatch):
    shown: list[help_dialog.ShortcutsDialog] = []
    monkeypatch.setattr(help_dialog.ShortcutsDialog, "exec",
                        lambda dialog: shown.append(dialog) or 0)
    window.action_registry["shortcuts"].trigger()  # F1
    [dialog] = shown
    table = dialog.table
    rows = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    expected = [(window.action_registry[spec.id].text().rstrip("…"),
                 QKeySequence(spec.shortcut).toString(NATIVE))
                for spec in ACTIONS if spec.shortcut is not None
                and not QKeySequence(spec.shortcut).isEmpty()]
    assert rows == expected
    assert ("Lock now", "Ctrl+L") in rows and ("I need help now", "Ctrl+Shift+H") in rows


def test_journal_actions_follow_the_real_lock_and_unlock(qtbot, window):
    registry = window.action_registry

    def states() -> dict[str, tuple[bool, bool]]:
        return {s.id: (registry[s.id].isEnabled(), registry[s.id].isVisible())
                for s in ACTIONS}

    def expect(unlocked: bool) -> dict[str, tuple[bool, bool]]:
        return {s.id: (unlocked or not s.needs_unlocked,
                       unlocked or not s.hidden_while_locked) for s in ACTIONS}

    assert {s.id for s in ACTIONS if s.needs_unlocked} == {
        "new", "find", "delete", "export", "import", "passphrase", "lock"}
    assert states() == expect(False), "the lock screen: nothing that needs the journal"
    assert not registry["lock"].isVisible()
    assert registry["help_now"].isEnabled() and registry["settings"].isEnabled()
    unlock(qtbot, window)
    assert states() == expect(True)
    lock(qtbot, window)
    assert window.journal is None
    assert states() == expect(False)
    unlock(qtbot, window)
    assert states() == expect(True), "and again at the next unlock"


def test_import_opens_only_for_an_open_journal_and_refreshes_the_pages(qtbot, window):
    window.import_journal()  # locked: the action is disabled, and there is nothing to import to
    assert not [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    unlock(qtbot, window)
    window.action_registry["import"].trigger()
    [dialog] = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    assert dialog.journal is window.journal
    assert dialog.on_changed is not None
    dialog.on_changed()  # entries came in: the built pages reload, no error
    lock(qtbot, window)
    assert not dialog.isVisible(), "the dialog holds journal content: gone at the lock"
