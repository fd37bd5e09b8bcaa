"""The main window's actions, declared once.

:data:`ACTIONS` is the only list of them: it makes the QActions (held by :class:`Actions`,
``window.action_registry["lock"]``), the menus and the toolbar, says which ones need an
open journal (disabled on the lock screen, in one place: :meth:`Actions.set_unlocked`,
driven by the hub), and feeds the keyboard shortcuts help. An action names the window's
method it triggers, so this module never needs the window's type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import cast

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QSizePolicy, QToolBar, QWidget

from journal_app.ui.hub import Hub

translate = QCoreApplication.translate  # literal calls: lupdate extracts them
# Marks a text for lupdate and returns it unchanged (the stubs only promise an object).
QT_TRANSLATE_NOOP = cast("Callable[[str, str], str]", QtCore.QT_TRANSLATE_NOOP)

Shortcut = QKeySequence.StandardKey | QKeyCombination | Qt.Key
CTRL = Qt.Modifier.CTRL


class Menu(Enum):
    """The menu bar, left to right; the value is the menu's title (translated when shown)."""

    JOURNAL = QT_TRANSLATE_NOOP("MainWindow", "&Journal")
    HELP = QT_TRANSLATE_NOOP("MainWindow", "&Help")


class Toolbar(Enum):
    """Where on the toolbar an action sits: at the start, or pushed to the far end."""

    START = "start"
    END = "end"


@dataclass(frozen=True)
class ActionSpec:
    """One action of the main window.

    ``text`` is the untranslated wording (``QT_TRANSLATE_NOOP`` in the "MainWindow"
    context); ``handler`` the name of the window's method the action triggers.
    ``needs_unlocked`` actions are disabled while the lock screen shows;
    ``hidden_while_locked`` ones are hidden then too.
    """

    id: str
    text: str
    handler: str
    menu: Menu
    shortcut: Shortcut | None = None
    needs_unlocked: bool = False
    hidden_while_locked: bool = False
    separator_before: bool = False
    toolbar: Toolbar | None = None
    button_name: str | None = None  # object name of its toolbar button (style sheet, tests)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", QT_TRANSLATE_NOOP("MainWindow", "New entry"), "new_entry",
               Menu.JOURNAL, QKeySequence.StandardKey.New, needs_unlocked=True),
    ActionSpec("find", QT_TRANSLATE_NOOP("MainWindow", "Search…"), "find",
               Menu.JOURNAL, QKeySequence.StandardKey.Find, needs_unlocked=True),
    ActionSpec("delete", QT_TRANSLATE_NOOP("MainWindow", "Delete entry…"), "delete_entry",
               Menu.JOURNAL, CTRL | Qt.Key.Key_Delete, needs_unlocked=True),
    ActionSpec("export", QT_TRANSLATE_NOOP("MainWindow", "Export report…"), "export_report",
               Menu.JOURNAL, CTRL | Qt.Key.Key_E, needs_unlocked=True),
    ActionSpec("import", QT_TRANSLATE_NOOP("MainWindow", "Import…"), "import_journal",
               Menu.JOURNAL, needs_unlocked=True),
    ActionSpec("passphrase", QT_TRANSLATE_NOOP("MainWindow", "Change passphrase…"),
               "change_passphrase", Menu.JOURNAL, needs_unlocked=True, separator_before=True),
    # Settings open locked too: what lives in the journal (contacts) waits for an unlock.
    ActionSpec("settings", QT_TRANSLATE_NOOP("MainWindow", "Settings…"), "open_settings",
               Menu.JOURNAL, CTRL | Qt.Key.Key_Comma),
    ActionSpec("lock", QT_TRANSLATE_NOOP("MainWindow", "Lock now"), "lock",
               Menu.JOURNAL, CTRL | Qt.Key.Key_L, needs_unlocked=True,
               hidden_while_locked=True, toolbar=Toolbar.START),
    ActionSpec("quit", QT_TRANSLATE_NOOP("MainWindow", "Quit"), "close",
               Menu.JOURNAL, QKeySequence.StandardKey.Quit, separator_before=True),
    # Always reachable, locked or not: crisis lines, the care team, the safety plan.
    ActionSpec("help_now", QT_TRANSLATE_NOOP("MainWindow", "I need help now"),
               "show_safety_panel", Menu.HELP, CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_H,
               toolbar=Toolbar.END, button_name="helpNow"),
    ActionSpec("shortcuts", QT_TRANSLATE_NOOP("MainWindow", "Keyboard shortcuts"),
               "show_shortcuts", Menu.HELP, Qt.Key.Key_F1),
)


def _make_action(window: QMainWindow, spec: ActionSpec) -> QAction:
    action = QAction(translate("MainWindow", spec.text), window)
    if spec.shortcut is not None:
        action.setShortcut(QKeySequence(spec.shortcut))
    handler: Callable[[], object] = getattr(window, spec.handler)
    action.triggered.connect(handler)
    return action


class Actions(QObject):
    """The window's actions by id, made from ``specs``; they start as on the lock screen.

    A QObject child of the window, so its hub connections end with the window.
    """

    def __init__(self, window: QMainWindow, hub: Hub,
                 specs: tuple[ActionSpec, ...] = ACTIONS) -> None:
        super().__init__(window)
        self.specs = specs
        self._actions = {spec.id: _make_action(window, spec) for spec in specs}
        self.set_unlocked(False)
        hub.journal_unlocked.connect(self._unlocked)
        hub.journal_locked.connect(self._locked)

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._actions)

    def __len__(self) -> int:
        return len(self._actions)

    def __contains__(self, action_id: object) -> bool:
        return action_id in self._actions

    def get(self, action_id: str) -> QAction | None:
        return self._actions.get(action_id)

    def values(self) -> list[QAction]:
        """The actions in table order (menu order: the shortcuts help lists them so)."""
        return list(self._actions.values())

    def set_unlocked(self, unlocked: bool) -> None:
        """The one place where the lock state reaches the actions."""
        for spec in self.specs:
            action = self._actions[spec.id]
            if spec.needs_unlocked:
                action.setEnabled(unlocked)
            if spec.hidden_while_locked:
                action.setVisible(unlocked)

    def _unlocked(self) -> None:
        self.set_unlocked(True)

    def _locked(self) -> None:
        self.set_unlocked(False)


def install_menus(window: QMainWindow, actions: Actions) -> None:
    """The menu bar from the table; every action also answers its shortcut on the window."""
    menus: dict[Menu, QMenu] = {}
    for spec in actions.specs:
        menu = menus.get(spec.menu)
        if menu is None:
            menu = window.menuBar().addMenu(translate("MainWindow", spec.menu.value))
            menus[spec.menu] = menu
        if spec.separator_before:
            menu.addSeparator()
        menu.addAction(actions[spec.id])
        window.addAction(actions[spec.id])


def install_toolbar(window: QMainWindow, actions: Actions) -> QToolBar:
    """The toolbar holds only what people reach for without looking."""
    toolbar = QToolBar(translate("MainWindow", "Journal"), window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for side in Toolbar:
        if side is Toolbar.END:
            spacer = QWidget(toolbar)
            spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            toolbar.addWidget(spacer)
        for spec in actions.specs:
            if spec.toolbar is side:
                _add_tool(toolbar, actions[spec.id], spec.button_name)
    window.addToolBar(toolbar)
    return toolbar


def _add_tool(toolbar: QToolBar, action: QAction, button_name: str | None) -> None:
    toolbar.addAction(action)
    if button_name is not None:
        button = toolbar.widgetForAction(action)
        button.setObjectName(button_name)
        button.setAccessibleName(action.text())
