"""The trend charts' colours: taken from the running app's palette on screen, or from the
theme itself for exported images. Severity bands share one neutral tone that deepens band by
band (no alarm colours)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from journal_app.ui.theme import DARK, LIGHT


@dataclass(frozen=True)
class ChartColours:
    background: QColor
    text: QColor
    muted: QColor
    line: QColor
    flag: QColor

    @property
    def grid(self) -> QColor:
        return with_alpha(self.text, 38)

    def band(self, index: int) -> QColor:
        """Band ``index`` (0 = lowest): one neutral tone, a little deeper each band."""
        return with_alpha(self.text, 8 + 10 * index)


def with_alpha(colour: QColor, alpha: int) -> QColor:
    out = QColor(colour)
    out.setAlpha(alpha)
    return out


def palette_colours(palette: QPalette | None = None) -> ChartColours:
    """The chart's colours taken from the app palette (light or dark theme alike)."""
    pal = palette or QGuiApplication.palette()
    base = pal.color(QPalette.ColorRole.Base)
    alert = DARK["alert"] if base.lightness() < 128 else LIGHT["alert"]
    return ChartColours(
        base,
        pal.color(QPalette.ColorRole.Text),
        pal.color(QPalette.ColorRole.PlaceholderText),
        pal.color(QPalette.ColorRole.Link),
        QColor(alert),
    )


def theme_colours(dark: bool) -> ChartColours:
    """The theme's colours, independent of the running app (for exported images)."""
    c = DARK if dark else LIGHT
    return ChartColours(
        QColor(c["base"]),
        QColor(c["text"]),
        QColor(c["muted"]),
        QColor(c["accent"]),
        QColor(c["alert"]),
    )
