"""A calm look: muted colours, generous spacing, large readable type, light and dark."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from journal_app import paths

LIGHT = {
    "window": "#f4f2ee", "base": "#fbfaf7", "text": "#2e3338", "muted": "#6b7177",
    "accent": "#4f7a74", "accent_text": "#ffffff", "border": "#d9d5cd", "card": "#fbfaf7",
    "highlight": "#d7e6e2", "alert": "#8a4b3c", "alternate": "#f1eee8",
}
DARK = {
    "window": "#1e2124", "base": "#26292d", "text": "#e3e1dc", "muted": "#9aa0a6",
    "accent": "#7fb0a8", "accent_text": "#14201e", "border": "#3a3f44", "card": "#26292d",
    "highlight": "#35504b", "alert": "#e0a08f", "alternate": "#2c3035",
}


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def is_dark(theme: str) -> bool:
    return theme == "dark" or (theme == "system" and system_prefers_dark())


def colours(theme: str) -> dict[str, str]:
    return DARK if is_dark(theme) else LIGHT


def _check_icon(dark: bool) -> str:
    name = "check-dark.svg" if dark else "check.svg"
    return str(paths.resource("icons", name)).replace("\\", "/")


def stylesheet(c: dict[str, str], font_pt: int) -> str:
    return f"""
    QWidget {{ font-size: {font_pt}pt; }}
    QMainWindow, QWizard, QDialog {{ background: {c['window']}; }}
    QLabel#heading {{ font-size: {round(font_pt * 1.6)}pt; font-weight: 600; }}
    QLineEdit#titleField {{ font-size: {round(font_pt * 1.35)}pt; font-weight: 600; }}
    QWizardPage {{ padding: 12px 18px; }}
    QLabel#quietLabel {{ color: {c['muted']}; }}
    QLabel#calmMessage {{ color: {c['alert']}; }}
    QLabel#recoveryKey {{ background: {c['base']}; border: 1px solid {c['border']};
        border-radius: 8px; padding: 14px; }}
    QFrame#card {{ background: {c['card']}; border: 1px solid {c['border']};
        border-radius: 14px; }}
    QLineEdit, QPlainTextEdit, QTextBrowser, QListView {{ background: {c['base']};
        border: 1px solid {c['border']}; border-radius: 8px; padding: 8px;
        selection-background-color: {c['highlight']}; selection-color: {c['text']}; }}
    QLineEdit:focus, QPlainTextEdit:focus, QListView:focus, QTextBrowser:focus {{
        border: 2px solid {c['accent']}; }}
    QListWidget#navigation {{ background: transparent; border: none; padding: 4px; }}
    QListWidget#navigation::item {{ padding: 12px 14px; margin: 2px 0; border-radius: 8px; }}
    QListWidget#navigation::item:selected {{ background: {c['highlight']};
        color: {c['text']}; font-weight: 600; }}
    QListView::item {{ padding: 8px 6px; border-radius: 6px; }}
    QListView::item:selected {{ background: {c['highlight']}; color: {c['text']}; }}
    QPushButton {{ padding: 8px 18px; border-radius: 8px; border: 1px solid {c['border']};
        background: {c['base']}; }}
    QPushButton:focus {{ border: 2px solid {c['accent']}; }}
    QPushButton#primary {{ background: {c['accent']}; color: {c['accent_text']};
        border: none; font-weight: 600; }}
    QPushButton#primary:focus {{ border: 2px solid {c['text']}; }}
    QPushButton#primary:disabled {{ background: {c['border']}; color: {c['muted']}; }}
    QPushButton#linkButton {{ border: none; color: {c['accent']}; text-decoration: underline;
        background: transparent; }}
    QToolBar {{ background: {c['window']}; border: none; spacing: 8px; padding: 6px 14px; }}
    QToolButton {{ padding: 6px 12px; border-radius: 6px; }}
    QToolButton:hover, QToolButton:focus {{ background: {c['highlight']}; }}
    QToolButton#helpNow {{ border: 1px solid {c['alert']}; color: {c['alert']};
        font-weight: 600; padding: 6px 14px; }}
    QTabWidget::pane {{ border: none; }}
    QStatusBar {{ color: {c['muted']}; }}
    QCheckBox:focus {{ color: {c['accent']}; }}
    QCheckBox::indicator, QRadioButton::indicator {{ width: 16px; height: 16px;
        border: 2px solid {c['muted']}; background: {c['base']}; }}
    QCheckBox::indicator {{ border-radius: 4px; }}
    QRadioButton::indicator {{ border-radius: 10px; }}
    QCheckBox::indicator:checked, QRadioButton::indicator:checked {{
        background: {c['accent']}; border-color: {c['accent']}; }}
    QCheckBox::indicator:checked {{ image: url("{c['check_icon']}"); }}
    """


def apply_theme(app: QApplication, theme: str = "system", font_pt: int = 12) -> None:
    c = {**colours(theme), "check_icon": _check_icon(is_dark(theme))}
    palette = QPalette()
    for role, key in (
        (QPalette.ColorRole.Window, "window"), (QPalette.ColorRole.Base, "base"),
        (QPalette.ColorRole.AlternateBase, "alternate"), (QPalette.ColorRole.Mid, "border"),
        (QPalette.ColorRole.Text, "text"), (QPalette.ColorRole.WindowText, "text"),
        (QPalette.ColorRole.ButtonText, "text"), (QPalette.ColorRole.Button, "base"),
        (QPalette.ColorRole.Highlight, "highlight"), (QPalette.ColorRole.HighlightedText, "text"),
        (QPalette.ColorRole.PlaceholderText, "muted"), (QPalette.ColorRole.ToolTipBase, "base"),
        (QPalette.ColorRole.ToolTipText, "text"), (QPalette.ColorRole.Link, "accent"),
    ):
        palette.setColor(role, QColor(c[key]))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSize(font_pt)
    app.setFont(font)
    app.setStyleSheet(stylesheet(c, font_pt))
