"""The small card pieces the session story and the Today and Sessions pages share: the
pages' local style, plain and rich labels, cards, buttons, the intention block and the
foldable read-only entry preview.

They live below the pages so any page can build with them; their visible strings keep the
``SessionStory`` translation context they have always had, so existing translations apply.
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from journal_app.domain.entities import Entry
from journal_app.domain.render import markdown_to_html

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

__all__ = [
    "PREVIEW_CHARS",
    "EntryPreview",
    "add_intention",
    "button",
    "card",
    "entry_html",
    "label",
    "page_style",
    "preview_markdown",
]


def page_style(font_pt: float) -> str:
    """Local rules for the Today and Sessions pages; colours come from the theme's palette."""
    size = font_pt if font_pt > 0 else 12
    return f"""
    QLabel#cardTitle {{ font-size: {round(size * 1.25)}pt; font-weight: 600; }}
    QLabel#stepTitle {{ font-size: {round(size * 1.08)}pt; font-weight: 600; }}
    QLabel#smallTitle {{ color: palette(link); font-weight: 600; }}
    QLabel#intention {{ font-size: {round(size * 1.15)}pt; }}
    QLabel#welcome, QLabel#sessionWhen {{ font-size: {round(size * 1.1)}pt; }}
    """


_HEADING = re.compile(r"<(/?)h[1-6]>")


def entry_html(entry: Entry) -> str:
    """The entry's Markdown as safe HTML, headings made modest for reading inside a card."""
    html = markdown_to_html(entry.body)
    return _HEADING.sub(lambda m: "</b></p>" if m.group(1) else "<p><b>", html)


def label(text: str, parent: QWidget, name: str = "", *, rich: bool = False) -> QLabel:
    """A wrapping, non-interactive label; rich text only when asked, and links never open
    on their own (journal text must not reach the outside world by a click)."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    widget.setText(text)
    widget.setWordWrap(True)
    widget.setOpenExternalLinks(False)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if name:
        widget.setObjectName(name)
    return widget


def card(parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    """A frame named ``card`` (the theme styles it) and the layout to fill it with."""
    frame = QFrame(parent)
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(22, 18, 22, 18)
    layout.setSpacing(8)
    return frame, layout


def add_intention(layout: QVBoxLayout, frame: QFrame, intention: str) -> None:
    layout.addWidget(label(translate("SessionStory", "Your intention"), frame, "smallTitle"))
    layout.addWidget(label(intention, frame, "intention"))


def button(text: str, parent: QWidget, *, primary: bool = False) -> QPushButton:
    """A push button named for screen readers by its text; ``primary`` styles it as the
    page's main action."""
    widget = QPushButton(text, parent)
    widget.setAccessibleName(text)
    if primary:
        widget.setObjectName("primary")
    return widget


PREVIEW_CHARS = 420  # about five lines: enough to recognise an entry, not to drown in it


def preview_markdown(body: str) -> str | None:
    """The first blocks of ``body`` up to about PREVIEW_CHARS, or None if it all fits."""
    if len(body) <= PREVIEW_CHARS * 1.3:
        return None
    kept: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        if kept and len("\n\n".join([*kept, block])) > PREVIEW_CHARS:
            break
        kept.append(block)
    text = "\n\n".join(kept)
    return text if len(text) <= PREVIEW_CHARS * 1.3 else text[:PREVIEW_CHARS].rstrip() + "…"


class EntryPreview(QWidget):
    """An entry read-only as rendered Markdown; a long one starts folded to its beginning."""

    def __init__(self, entry: Entry, parent: QWidget) -> None:
        super().__init__(parent)
        self._full = entry_html(entry)
        short = preview_markdown(entry.body)
        self._short = entry_html(replace(entry, body=short)) if short is not None else None
        self.text = label(self._short or self._full, self, "entryText", rich=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        self.toggle = button(translate("SessionStory", "Show all"), self)
        self.toggle.setObjectName("linkButton")
        self.toggle.setVisible(self._short is not None)
        self.toggle.clicked.connect(self._toggle)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)

    @property
    def folded(self) -> bool:
        return self._short is not None and self.text.text() == self._short

    def _toggle(self) -> None:
        folded = self.folded
        self.text.setText(self._full if folded else self._short)
        self.toggle.setText(
            translate("SessionStory", "Show less")
            if folded
            else translate("SessionStory", "Show all")
        )
        self.toggle.setAccessibleName(self.toggle.text())
