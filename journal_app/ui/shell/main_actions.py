"""The main window's actions, menus and toolbar, in one place (shortcuts are listed from
them in the help dialog)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSizePolicy, QToolBar, QWidget

if TYPE_CHECKING:
    from journal_app.ui.shell.main_window import MainWindow

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def _open_import(window: MainWindow) -> None:
    """Journal → Import… (the dialog's module is imported only when it is asked for)."""
    from journal_app.ui.dialogs.import_dialog import open_import_dialog

    open_import_dialog(window)


def install_actions(window: MainWindow) -> None:
    """Create the actions as attributes of ``window`` (``window.lock_action`` …)."""
    window.new_action = QAction(translate("MainWindow", "New entry"), window)
    window.new_action.setShortcut(QKeySequence.StandardKey.New)
    window.new_action.triggered.connect(window.new_entry)
    window.delete_action = QAction(translate("MainWindow", "Delete entry…"), window)
    window.delete_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Delete))
    window.delete_action.triggered.connect(window.delete_entry)
    window.lock_action = QAction(translate("MainWindow", "Lock now"), window)
    window.lock_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L))
    window.lock_action.triggered.connect(window.lock)
    window.passphrase_action = QAction(translate("MainWindow", "Change passphrase…"), window)
    window.passphrase_action.triggered.connect(window.change_passphrase)
    window.find_action = QAction(translate("MainWindow", "Search…"), window)
    window.find_action.setShortcut(QKeySequence.StandardKey.Find)
    window.find_action.triggered.connect(window.find)
    window.export_action = QAction(translate("MainWindow", "Export report…"), window)
    window.export_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_E))
    window.export_action.triggered.connect(window.export_report)
    window.import_action = QAction(translate("MainWindow", "Import…"), window)
    window.import_action.triggered.connect(lambda: _open_import(window))
    window.import_action.setEnabled(False)  # until a journal is unlocked
    window.hub.journal_unlocked.connect(lambda: window.import_action.setEnabled(True))
    window.hub.journal_locked.connect(lambda: window.import_action.setEnabled(False))
    window.settings_action = QAction(translate("MainWindow", "Settings…"), window)
    window.settings_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Comma))
    window.settings_action.triggered.connect(window.open_settings)
    window.shortcuts_action = QAction(translate("MainWindow", "Keyboard shortcuts"), window)
    window.shortcuts_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
    window.shortcuts_action.triggered.connect(window.show_shortcuts)
    # Always reachable, locked or not: crisis lines, the care team, the safety plan.
    window.help_now_action = QAction(translate("MainWindow", "I need help now"), window)
    window.help_now_action.setShortcut(
        QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_H)
    )
    window.help_now_action.triggered.connect(window.show_safety_panel)
    window.quit_action = QAction(translate("MainWindow", "Quit"), window)
    window.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    window.quit_action.triggered.connect(window.close)
    window.journal_menu = window.menuBar().addMenu(translate("MainWindow", "&Journal"))
    for action in (
        window.new_action,
        window.find_action,
        window.delete_action,
        window.export_action,
        window.import_action,
        None,
        window.passphrase_action,
        window.settings_action,
        window.lock_action,
        None,
        window.quit_action,
    ):
        if action is None:
            window.journal_menu.addSeparator()
        else:
            window.journal_menu.addAction(action)
            window.addAction(action)
    window.help_menu = window.menuBar().addMenu(translate("MainWindow", "&Help"))
    window.help_menu.addAction(window.help_now_action)
    window.help_menu.addAction(window.shortcuts_action)
    window.addAction(window.help_now_action)
    window.addAction(window.shortcuts_action)
    # The toolbar holds only what people reach for without looking.
    window.toolbar = QToolBar(translate("MainWindow", "Journal"), window)
    window.toolbar.setObjectName("mainToolbar")
    window.toolbar.setMovable(False)
    window.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.toolbar.addAction(window.lock_action)
    spacer = QWidget(window.toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    window.toolbar.addWidget(spacer)
    window.toolbar.addAction(window.help_now_action)
    help_button = window.toolbar.widgetForAction(window.help_now_action)
    help_button.setObjectName("helpNow")
    help_button.setAccessibleName(translate("MainWindow", "I need help now"))
    window.addToolBar(window.toolbar)
