"""Say it, Draw it: the evening flow's voice notes and drawings.

The evening after a session many people can't type; the first prompt offers a voice note
or a drawing beside the words. Until the flow stores its entry there is no entry to
attach them to, so they wait in memory (:class:`FlowCaptures`), are attached right after
the entry is stored, and leaving before that asks first. A finished evening note opened
again already has its entry: what is added then is attached at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from journal_app.domain.attachments import Attachment, AttachmentKind
from journal_app.errors import JournalError
from journal_app.ui import messages
from journal_app.ui.dialogs.capture import capture
from journal_app.ui.widgets.attachment_shelf import EntryShelf, MemoryShelf
from journal_app.ui.widgets.attachment_strip import AttachmentStrip
from journal_app.ui.widgets.prompt_widgets import plain_label

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

__all__ = ["CaptureBar", "FlowCaptures", "confirm_leaving"]

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


class FlowCaptures:
    """The attachments of one flow's entry: those stored with it, then those waiting in
    memory for it (negative ids). A shelf for the attachment strip."""

    def __init__(self, journal: OpenJournal, entry_id: int | None) -> None:
        self.journal = journal
        self.entry_id = entry_id
        self.pending = MemoryShelf()

    @property
    def stored(self) -> EntryShelf | None:
        return EntryShelf(self.journal, self.entry_id) if self.entry_id is not None else None

    @property
    def closed(self) -> bool:
        """The journal was locked: nothing can be added any more."""
        return bool(self.journal.vault.closed)

    def _shelf_of(self, attachment: Attachment) -> EntryShelf | MemoryShelf:
        stored = self.stored
        if (attachment.id is not None and attachment.id < 0) or stored is None:
            return self.pending
        return stored

    def attachments(self) -> list[Attachment]:
        stored = self.stored
        return [*(stored.attachments() if stored else []), *self.pending.attachments()]

    def read(self, attachment: Attachment) -> bytes:
        return self._shelf_of(attachment).read(attachment)

    def remove(self, attachment: Attachment) -> Attachment:
        return self._shelf_of(attachment).remove(attachment)

    def restore(self, attachment: Attachment) -> Attachment:
        return self._shelf_of(attachment).restore(attachment)

    def add(self, kind: AttachmentKind, data: bytes) -> Attachment:
        """Keep a new one: with the entry when there is one, else in memory."""
        stored = self.stored
        return stored.add(kind, data) if stored is not None else self.pending.add(kind, data)

    @property
    def has_pending(self) -> bool:
        return bool(self.pending)

    def store_pending(self, entry_id: int) -> None:
        """The entry is stored: attach what waited, oldest first. A failure (the disk is
        full…) raises JournalError with the rest still waiting, so nothing is lost."""
        self.entry_id = entry_id
        while (item := self.pending.first()) is not None:
            attachment, data = item
            self.journal.data.add_attachment(entry_id, attachment.kind, data)
            self.pending.forget(attachment)

    def discard(self) -> None:
        self.pending.clear()


def confirm_leaving(parent: QWidget, kinds: list[AttachmentKind]) -> bool:
    """Ask before leaving a flow whose recordings or drawings aren't kept yet (keeping
    them is the default: Enter or Escape go back)."""
    voice = AttachmentKind.VOICE in kinds
    drawn = AttachmentKind.DRAWING in kinds or AttachmentKind.IMAGE in kinds
    what = (translate("FlowCapture", "Your voice note and drawing") if voice and drawn
            else translate("FlowCapture", "Your voice note") if voice
            else translate("FlowCapture", "Your drawing"))
    return messages.confirm_discard(
        parent, translate("FlowCapture", "Leave without keeping it?"),
        translate("FlowCapture", "%1 will be kept once you finish this evening's note. If "
                  "you leave now, it is not kept. Your written answers are kept either "
                  "way.").replace("%1", what),
        translate("FlowCapture", "Leave without it"), translate("FlowCapture", "Go back"))


class CaptureBar(QWidget):
    """Under the first evening prompt: "Say it", "Draw it" and what was made so far."""

    changed = Signal()  # something was added, removed or put back

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.captures: FlowCaptures | None = None
        self.hint = plain_label(self, "quietLabel")
        self.hint.setText(self.tr("Typing is hard tonight? You can say it or draw it "
                                  "instead."))
        self.say_button = self._button(self.tr("Say it"), self.tr("Record a voice note"),
                                       AttachmentKind.VOICE)
        self.draw_button = self._button(self.tr("Draw it"), self.tr("Make a drawing"),
                                        AttachmentKind.DRAWING)
        self.strip = AttachmentStrip(self, with_buttons=False, thumb_size=QSize(120, 80))
        self.strip.changed.connect(self.changed)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.say_button)
        buttons.addWidget(self.draw_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        layout.addWidget(self.strip)

    def _button(self, text: str, spoken: str, kind: AttachmentKind) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(spoken)
        button.setAutoDefault(True)  # Enter presses it, as the flow's other buttons
        button.setMinimumWidth(120)
        button.clicked.connect(lambda: self.make(kind))
        return button

    def controls(self) -> list[QWidget]:
        return [self.say_button, self.draw_button]

    def show_captures(self, captures: FlowCaptures | None) -> None:
        self.captures = captures
        self.strip.show_shelf(captures)

    def has_any(self) -> bool:
        return bool(self.strip.attachments)

    def make(self, kind: AttachmentKind) -> None:
        """Record or draw; keep it with the flow (shown in the strip)."""
        captures = self.captures
        if captures is None:
            return
        data = capture(kind, self)
        if data is None or self.captures is not captures or captures.closed:
            return  # changed their mind, or the journal was locked meanwhile
        try:
            captures.add(kind, data)
        except JournalError as exc:
            messages.error(self, self.tr("Not kept"), exc.message)
            return
        self.strip.reload()
        self.changed.emit()
