"""How an open vault saves: a change record appended (a few rows: milliseconds at any
journal size) or a compaction (a whole new image, written as every save was before).

A save appends when all of these hold, else it compacts:

* the file on disk is format 3 (a file from an earlier version is rewritten whole once);
* nothing asked for a whole image (``Vault.compact``: lock, close, passphrase change);
* the schema is the one the change capture was set up for (no migration or schema change);
* no earlier save of this sitting failed, and no torn record was found at open;
* no other save is prepared and not yet written (its rows are no longer noted);
* the rows fit: at most ``MAX_ROWS``, and the log stays under ``log_bound`` of the base.

Before each write the file must still be what this vault last wrote: the same checksum
field, the same size, and the same last 16 bytes (the last record's tag) where this vault's
log ends. A failed or mismatched append is cut back to the old length and the save reports
failure (the journal stays unsaved); the next save is a compaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journal_app.errors import DamagedFileError, JournalError, WriteFailedError
from journal_app.storage import bodystream, changelog, filestore, journalfile
from journal_app.storage import fileformat as ff
from journal_app.storage.capture import Capture
from journal_app.storage.database import Database

__all__ = ["LOG_MAX_RECORDS", "LOG_MIN_BYTES", "MAX_ROWS", "LogState", "log_bound"]

MAX_ROWS = 2000  # more rows changed than this in one save: a whole image instead
LOG_MAX_RECORDS = 1000  # records after one base before the next save compacts
LOG_MIN_BYTES = 1 << 20  # the log may always grow this far ...
LOG_FRACTION = 4  # ... or to a quarter of the base's size


def log_bound(base_len: int) -> int:
    return max(LOG_MIN_BYTES, base_len // LOG_FRACTION)


@dataclass
class Plan:
    """What a prepared save will write: ``payload`` (a record) or a whole image."""

    payload: bytes | None
    removing: bool = False


class LogState:
    """An open vault's change log: what is on disk after the base, and the capture."""

    def __init__(self, db: Database, log: changelog.Log | None, version: int, *,
                 capture: bool, must_compact: bool) -> None:
        self.db = db
        self.log = log
        self.capture = Capture(db.conn) if capture else None
        self.must_compact = (must_compact or log is None or version < ff.RECORDS_FROM
                             or (log.unfinished is not None))
        # Bytes of ours may lie after the log's end: a torn record found at open, or an
        # append that could not be cut back. A compaction replaces them.
        self.tail_ours = log is not None and log.unfinished is not None
        self.outstanding = 0  # saves prepared and not yet finished (owner and worker)
        self._counting = threading.Lock()
        # A record after the base changed or removed rows: the old text is still in the
        # file (the base, an earlier record) until the next compaction.
        self.removing = False
        self.appended = 0  # records this sitting appended

    # ------------------------------------------------------------------ preparing
    def plan(self, compact: bool) -> Plan:
        """On the owner thread: collect the changed rows, or decide on a whole image (the
        noted rows are then forgotten: the image holds them)."""
        cap = self.capture
        whole = (compact or self.must_compact or cap is None or not cap.supported
                 or self.outstanding > 0 or cap.schema_changed or self.log is None
                 or self.log.count >= LOG_MAX_RECORDS or cap.pending() > MAX_ROWS)
        payload, removing = None, False
        with self.db.uncounted():
            if cap is not None and cap.schema_changed:
                self.capture = cap = Capture(self.db.conn)  # new tables get triggers
            if whole:
                if cap is not None:
                    cap.forget()
            else:
                assert cap is not None and self.log is not None
                payload, removing = cap.collect()
                grown = self.log.size + changelog.frame_len(len(payload))
                if (grown > log_bound(self.log.start)
                        or changelog.frame_len(len(payload)) > changelog.MAX_RECORD_LEN):
                    payload = None
        with self._counting:
            self.outstanding += 1
        return Plan(payload, removing)

    def finished(self) -> None:
        with self._counting:
            self.outstanding = max(0, self.outstanding - 1)

    def failed(self) -> None:
        """A save did not land: its rows are no longer noted, so the next is whole."""
        self.must_compact = True

    # ------------------------------------------------------------------ writing
    def unchanged_on_disk(self, path: Path, digest: bytes | None) -> bool:
        if digest is None or self.log is None:
            return journalfile.disk_digest(path) == digest
        state = journalfile.disk_state(path, self.log.end)
        if state.digest != digest or state.tail != self.log.last_tag:
            return False
        return state.size == self.log.end or (self.tail_ours and state.size > self.log.end)

    def append(self, path: Path, payload: bytes, removing: bool, generation: int,
               stamp: float, writer: changelog.Writer) -> None:
        """Append the record. Raises WriteFailedError."""
        log = self.log
        assert log is not None
        frame = changelog.seal_record(log, payload, generation, stamp)
        check = changelog.check_appended(log, frame, payload)
        try:
            filestore.check_writable_folder(path)
            changelog.append_frame(path, log.end, frame, check, writer)
        except changelog.AppendFailed as exc:
            self.tail_ours = self.tail_ours or exc.left_tail
            self.failed()
            if isinstance(exc.cause, OSError):
                raise filestore.write_failed(exc.cause) from exc.cause
            raise WriteFailedError(
                "Could not save the journal: the written change did not read back "
                "correctly, so the journal on disk was left as it was. Nothing was lost; "
                "your changes are still open here.") from exc.cause
        except JournalError:
            self.failed()
            raise
        record = changelog.opened_record(log, frame)
        changelog.add(log, record, len(frame))
        self.removing = self.removing or removing
        self.appended += 1

    def compacted(self, data_key: bytes, salt: bytes, tag: bytes, end: int,
                  generation: int) -> None:
        """A whole image landed (its salt, body tag and length): a new, empty log."""
        self.log = changelog.Log(changelog.record_key(data_key, salt), tag, generation,
                                 end, end)
        self.must_compact = False
        self.tail_ours = False
        self.removing = False

    @property
    def records(self) -> int:
        return 0 if self.log is None else self.log.count

    def write_whole(self, path: Path, header: ff.Header, data_key: bytes, image: bytes,
                    generation: int, stamp: float, writer: changelog.Writer,
                    landed: Callable[[bytes, bool], None]) -> None:
        """A compaction: ``image`` as a new file, atomically replaced (read back first);
        ``landed(digest, failed)`` once it is the file on disk."""
        sealer = bodystream.Sealer(header, data_key, image, generation, stamp)

        def done(failed: bool) -> None:
            landed(sealer.digest, failed)
            self.compacted(data_key, sealer.salt, sealer.tag, sealer.file_len, generation)

        try:
            filestore.make_backup(path)
            filestore.write_atomically(path, sealer.chunks(),
                                       lambda f: sealer.check(f, data_key), writer=writer)
        except DamagedFileError as exc:
            self.failed()
            raise WriteFailedError(
                "Could not save the journal: the written copy did not read back "
                "correctly, so it was not used. Nothing was lost."
            ) from exc
        except WriteFailedError:
            self.failed()
            # Failing after the replace (syncing the folder) leaves our new file in
            # place: remember it, or the next save would call it a change by someone
            # else. The journal stays unsaved, so the next save writes it again.
            if journalfile.disk_digest(path) == sealer.digest:
                done(failed=True)
                self.must_compact = True
            raise
        done(failed=False)
