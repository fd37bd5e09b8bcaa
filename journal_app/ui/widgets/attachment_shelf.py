"""Where the attachments an attachment strip shows are kept.

A strip doesn't care whether its attachments are already in the journal (an entry's) or
still only in memory (recorded during the evening flow, or picked for a quick note while
locked): both are a shelf that lists them, reads one's bytes, and removes or puts back
one. The bytes are read only when they are needed (a thumbnail, Play), never cached here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from journal_app.domain.attachments import Attachment, AttachmentKind, check_attachment

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

__all__ = ["AttachmentShelf", "EntryShelf", "MemoryShelf"]


class AttachmentShelf(Protocol):
    def attachments(self) -> list[Attachment]:
        """Oldest first."""
        ...

    def read(self, attachment: Attachment) -> bytes:
        """The bytes; a JournalError (a damaged blob) when they can't be read."""
        ...

    def remove(self, attachment: Attachment) -> Attachment:
        """Take it away; what is returned puts it back through :meth:`restore`."""
        ...

    def restore(self, attachment: Attachment) -> Attachment:
        ...


class EntryShelf:
    """An entry's attachments, in the open journal (encrypted, beside the journal file)."""

    def __init__(self, journal: OpenJournal, entry_id: int) -> None:
        self.journal = journal
        self.entry_id = entry_id

    def attachments(self) -> list[Attachment]:
        return list(self.journal.data.attachments_for(self.entry_id))

    def read(self, attachment: Attachment) -> bytes:
        return bytes(self.journal.data.attachment_data(attachment))

    def add(self, kind: AttachmentKind, data: bytes) -> Attachment:
        return self.journal.data.add_attachment(self.entry_id, kind, data)

    def remove(self, attachment: Attachment) -> Attachment:
        assert attachment.id is not None
        return self.journal.data.remove_attachment(attachment.id)

    def restore(self, attachment: Attachment) -> Attachment:
        return self.journal.data.restore_attachment(attachment)


class MemoryShelf:
    """Attachments not stored yet: the bytes stay in this process until :meth:`take`.

    Each gets a negative id of its own (stored attachments have positive ones), so a strip
    can tell them apart; ``entry_id`` is 0 until they are stored with an entry.
    """

    def __init__(self) -> None:
        self._items: list[tuple[Attachment, bytes]] = []
        self._removed: dict[int, tuple[int, bytes]] = {}  # id -> (position, bytes)
        self._next_id = -1

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, kind: AttachmentKind, data: bytes) -> Attachment:
        """Keep ``data`` (checked like the journal checks it: AttachmentError if not)."""
        info = check_attachment(data, kind)
        attachment = Attachment(entry_id=0, kind=kind, media_type=info.media_type,
                                size=len(data), duration_ms=info.duration_ms,
                                width=info.width, height=info.height, id=self._next_id)
        self._next_id -= 1
        self._items.append((attachment, data))
        return attachment

    def attachments(self) -> list[Attachment]:
        return [attachment for attachment, _data in self._items]

    def kinds(self) -> list[AttachmentKind]:
        return [attachment.kind for attachment, _data in self._items]

    def read(self, attachment: Attachment) -> bytes:
        for kept, data in self._items:
            if kept.id == attachment.id:
                return data
        raise KeyError(attachment.id)

    def remove(self, attachment: Attachment) -> Attachment:
        for position, (kept, data) in enumerate(self._items):
            if kept.id == attachment.id:
                del self._items[position]
                self._removed = {kept.id: (position, data)} if kept.id is not None else {}
                return kept
        raise KeyError(attachment.id)

    def restore(self, attachment: Attachment) -> Attachment:
        assert attachment.id is not None
        position, data = self._removed.pop(attachment.id)
        self._items.insert(min(position, len(self._items)), (attachment, data))
        return attachment

    def kept(self) -> list[tuple[AttachmentKind, bytes]]:
        """What is kept, oldest first, as (kind, bytes)."""
        return [(attachment.kind, data) for attachment, data in self._items]

    def first(self) -> tuple[Attachment, bytes] | None:
        """The oldest one still to store (stored one at a time: a failure keeps the rest)."""
        return self._items[0] if self._items else None

    def forget(self, attachment: Attachment) -> None:
        """It is stored now: let go of its bytes (no undo)."""
        self._items = [item for item in self._items if item[0].id != attachment.id]
        self._removed.pop(attachment.id or 0, None)

    def clear(self) -> None:
        self._items = []
        self._removed = {}
