"""The unlocked journal as one object: the vault and every repository over its database.

Built once when the journal is unlocked (by the GUI's unlock, or a CLI verb) and handed
to whoever needs to read or write; nobody else constructs repositories. Whether the
journal has unsaved changes is not something a caller reports: the vault derives it from
the database's own change counter (``Database.changes``), so a write through any
repository, added today or later, is always saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from journal_app.storage.attaching import AttachmentService
from journal_app.storage.attachments import AttachmentRepository
from journal_app.storage.care import PracticeRepository, PromptAnswerRepository, TimelineRepository
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.repository import JournalRepository

if TYPE_CHECKING:
    import datetime as dt

    from journal_app.domain.attachments import Attachment, AttachmentKind
    from journal_app.domain.measures import Measure
    from journal_app.domain.practices import Practice
    from journal_app.domain.report import ReportInputs
    from journal_app.domain.today import RecentCourse
    from journal_app.domain.transfer import ImportedJournal, ImportResult
    from journal_app.errors import DamagedAttachmentError
    from journal_app.storage.attaching import StagedAttachment
    from journal_app.storage.database import Database
    from journal_app.storage.inbox import MergeReport
    from journal_app.storage.lookback import LookBack
    from journal_app.storage.search import SearchService
    from journal_app.storage.vault import Vault

__all__ = ["Journal", "warm_up"]


def warm_up() -> None:
    """Import, ahead of an unlock, what the first ORM read of an open journal needs: the
    SQLite dialect (imported when the engine is made) and the table mappings. Safe on a
    worker thread: no journal is touched. The mappings are not *configured* here: doing
    that on a worker while the UI thread's garbage collector ran crashed the process
    (seen once in a full test run); the first query configures them."""
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import journal_app.storage.tables  # noqa: F401


class Journal:
    """Everything inside one unlocked journal, read and written through one object.

    ``repo`` holds entries, sessions, tags and the journal's own settings; ``check_ins``,
    ``answers`` (structured prompt answers), ``timeline`` (session steps) and
    ``practices`` the care data; ``search`` and ``lookback`` read across them.
    Attachments (voice notes, pictures, drawings) are the ``*attachment*`` methods; their
    bytes are encrypted files beside the journal (storage/blobs.py).
    """

    def __init__(self, vault: Vault, *,
                 measures: Mapping[str, Measure] | None = None) -> None:
        self.vault = vault
        db = vault.db
        self.repo = JournalRepository(db)
        self.check_ins = CheckInRepository(db, measures=measures)
        self.answers = PromptAnswerRepository(db)
        self.timeline = TimelineRepository(db)
        self.practices = PracticeRepository(db)
        self.attachments = AttachmentService(AttachmentRepository(db), vault.blobs)

    @property
    def db(self) -> Database:
        return self.vault.db

    @cached_property
    def search(self) -> SearchService:
        from journal_app.storage.search import SearchService

        return SearchService(self.db)

    @cached_property
    def lookback(self) -> LookBack:
        from journal_app.storage.lookback import LookBack

        return LookBack(self.db)

    # ------------------------------------------------------------------ changes
    @property
    def dirty(self) -> bool:
        return self.vault.dirty

    def add_change_listener(self, callback: Callable[[], None]) -> None:
        """``callback`` runs after every transaction that changed the journal."""
        self.db.add_change_listener(callback)

    # ------------------------------------------------------------------ course
    def recent_course(self, since: dt.datetime | None) -> RecentCourse:
        """The sessions from ``since`` on and the one before them (all, for None), with
        their stored steps and places in the course: what the Today page and reminders
        need (``domain.today.recent_since``), read in plain SQL."""
        from journal_app.storage.session_reads import recent_course

        return recent_course(self.db.conn, since)

    def has_entries(self) -> bool:
        """Whether the journal holds any entry (plain SQL)."""
        from journal_app.storage.session_reads import has_entries

        return has_entries(self.db.conn)

    def open_practices(self) -> list[Practice]:
        """Practices still waiting for an outcome, oldest first (plain SQL)."""
        from journal_app.storage.session_reads import open_practices

        return open_practices(self.db.conn)

    # ------------------------------------------------------------------ attachments
    def add_attachment(self, entry_id: int, kind: AttachmentKind, data: bytes) -> Attachment:
        """Check ``data`` (AttachmentError subclasses), write its encrypted blob durably,
        then insert the row; the next save refers to it. A failed blob write raises
        WriteFailedError and inserts nothing; a missing entry raises UsageError."""
        return self.attachments.add(entry_id, kind, data)

    def stage_attachment(self, kind: AttachmentKind, data: bytes) -> StagedAttachment:
        """The slow half of :meth:`add_attachment` (check, encrypt, write the blob), safe
        on a worker thread: it touches no database. Hand the result to
        :meth:`attach_staged` on the owner thread."""
        return self.attachments.stage(kind, data)

    def attach_staged(self, entry_id: int, staged: StagedAttachment) -> Attachment:
        """Insert the row for a staged attachment (owner thread)."""
        return self.attachments.attach(entry_id, staged)

    def attachments_for(self, entry_id: int) -> list[Attachment]:
        """The entry's attachments, oldest first."""
        return self.attachments.rows.for_entry(entry_id)

    def all_attachments(self) -> list[Attachment]:
        """Every attachment in the journal, oldest first."""
        return self.attachments.rows.list_attachments()

    def attachment(self, attachment_id: int) -> Attachment:
        """One attachment; UsageError if there is none with this id."""
        return self.attachments.get(attachment_id)

    def attachment_data(self, attachment: Attachment | int) -> bytes:
        """The attachment's bytes, decrypted and authenticated; DamagedAttachmentError
        (naming the entry by date and id) if its blob is missing, damaged or swapped."""
        return self.attachments.data(attachment)

    def remove_attachment(self, attachment_id: int) -> Attachment:
        """Remove one attachment; returns it, for :meth:`restore_attachment` (undo)."""
        return self.attachments.remove(attachment_id)

    def restore_attachment(self, attachment: Attachment) -> Attachment:
        """Undo a removal: refer to the same blob again (kept while the journal is open)."""
        return self.attachments.restore(attachment)

    def verify_attachments(self) -> list[DamagedAttachmentError]:
        """Read and authenticate every referenced blob; one error per bad one."""
        return self.attachments.verify()

    def attachment_reader(self) -> Callable[[Attachment], bytes]:
        """A function giving an attachment's bytes, callable from any thread (a report's
        worker); it raises DamagedAttachmentError as :meth:`attachment_data` does."""
        return self.attachments.reader()

    # ------------------------------------------------------------------ whole-journal work
    def merge_inbox(self) -> MergeReport:
        """Add the quick notes written while locked, save, and clear them from the inbox."""
        from journal_app.storage import inbox

        return inbox.merge_inbox(self.vault, self.repo)

    def import_journal(self, imported: ImportedJournal) -> ImportResult:
        """Merge an import (our JSON export): nothing here is ever replaced or deleted."""
        from journal_app.storage.json_import import merge_import

        return merge_import(self.repo, self.check_ins, self.answers, imported)

    def report_inputs(self) -> ReportInputs:
        """Everything a therapist report may draw on, as plain domain objects."""
        from journal_app.storage.report_source import gather

        return gather(self.repo, self.check_ins, self.answers, self.practices,
                      self.attachments)

    def purge_removed_words(self) -> None:
        """Merge the search index so words edited out of entries leave it (before the
        last save of a sitting)."""
        from journal_app.storage.search import purge_removed_words

        purge_removed_words(self.db)
        self.db.notify_changes()

    # ------------------------------------------------------------------ keys
    def verify_passphrase(self, passphrase: str) -> None:
        """Raise WrongSecretError unless ``passphrase`` opens this journal (slow: KDF)."""
        from journal_app.storage.vault import Secret

        self.vault.verify_secret(Secret(passphrase=passphrase))

    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-wrap the data key under ``new_passphrase`` and save (slow: KDF)."""
        self.vault.change_passphrase(new_passphrase)

    def save(self) -> int:
        return self.vault.save()

    def close(self) -> None:
        self.vault.close()
