"""Putting a file on disk safely: the one write primitive of storage and export.

:func:`replace_file` writes the bytes to a temp file beside the target (created 0600, never
elsewhere, so no copy lands in a shared temp folder), syncs it durably (``F_FULLFSYNC`` on
macOS, where ``fsync`` leaves the data in the drive's cache), lets the caller read it back,
then ``os.replace``s it over the target and syncs the folder. Any failure or cancel removes
the temp file and leaves an existing target as it was.

The primitive raises ``OSError`` as it is; each caller words the failure for its own
user: :func:`write_private` (reports) here, ``storage.filestore`` for the journal. This
module is top-level, importing neither storage nor export, so both can use it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterable
from io import BufferedIOBase
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]  # the module is absent there: no full sync

from journal_app.errors import WriteFailedError

__all__ = [
    "OWNER_ONLY",
    "TEMP_MARK",
    "Buffer",
    "ReadBack",
    "Writer",
    "fsync_dir",
    "replace_file",
    "sync_file",
    "temp_beside",
    "write_all",
    "write_private",
]

TEMP_MARK = ".writing-"
OWNER_ONLY = 0o600

Buffer = bytes | bytearray | memoryview
#: ``os.write``'s shape; tests pass their own to inject a failure after N bytes.
Writer = Callable[[int, memoryview], int]
#: Reads the synced temp file back (open for reading) and raises if it is not right.
ReadBack = Callable[[BufferedIOBase], object]


def temp_beside(path: Path, mark: str = TEMP_MARK, suffix: str = "") -> Path:
    """A fresh dot-named temp file name in ``path``'s own folder; ``mark`` and ``suffix``
    let each caller recognise the temp files a crash of its own left behind."""
    return path.with_name(f".{path.name}{mark}{secrets.token_hex(6)}{suffix}")


def sync_file(fd: int) -> None:
    """Flush a file to stable storage. On macOS ``fsync`` leaves the data in the drive's
    cache, where power loss can still take it; ``F_FULLFSYNC`` flushes that too."""
    full = getattr(fcntl, "F_FULLFSYNC", None)
    if full is not None:
        try:
            fcntl.fcntl(fd, full)
            return
        except OSError:
            pass  # not supported by this filesystem (some network shares): plain fsync
    os.fsync(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    if os.name == "nt":  # directories can't be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: Buffer, writer: Writer | None = None) -> None:
    """Write all of ``data``, retrying short writes; a write of nothing is an error."""
    write = writer or os.write
    view = memoryview(data)
    while view:
        written = write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def replace_file(path: Path, chunks: Iterable[Buffer], *,
                 check: ReadBack | None = None,
                 before_replace: Callable[[], None] | None = None,
                 writer: Writer | None = None, mark: str = TEMP_MARK,
                 suffix: str = "") -> None:
    """Replace ``path`` with the concatenation of ``chunks``, owner-only, atomically.

    Each chunk is written out before the next is asked for, so a producer may reuse one
    buffer: the whole file never has to be in memory. ``check`` reads the synced temp file
    back (an open binary file) and raises if it is not right; ``before_replace`` runs
    last before the replace (a cancel check). If either raises, or anything fails, the
    temp file is removed and the exception propagates; ``OSError`` is left for the caller
    to word. The temp file is named by :func:`temp_beside` with ``mark`` and ``suffix``.
    """
    path = Path(path)
    tmp = temp_beside(path, mark, suffix)
    try:
        _write_temp(tmp, chunks, writer)
        if check is not None:
            with open(tmp, "rb") as written:
                check(written)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _write_temp(tmp: Path, chunks: Iterable[Buffer], writer: Writer | None) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 OWNER_ONLY)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, OWNER_ONLY)  # whatever the umask
        for chunk in chunks:
            write_all(fd, chunk, writer)
        sync_file(fd)
    finally:
        _close(chunks)
        os.close(fd)


def _close(chunks: Iterable[Buffer]) -> None:
    """Finish a producer left half-way (a failed write), so it lets go of its buffers
    now rather than when the exception's traceback is dropped."""
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


# --------------------------------------------------------------------------- reports


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "The disk is full."
    if exc.errno == errno.EROFS:
        return "The folder is on a read-only disk."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "There is no permission to write in that folder."
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "The folder does not exist."
    if exc.errno == errno.EISDIR:
        return "A folder has that name."
    return "The disk reported an error."


def write_private(path: Path, data: bytes, *,
                  before_replace: Callable[[], None] | None = None) -> None:
    """Replace ``path`` with ``data`` (an exported file), readable and writable by its
    owner only. Failures become :class:`WriteFailedError` (exit code 7) without content.

    ``before_replace`` runs after the bytes are safely on disk and before they replace
    ``path``; if it raises (e.g. the export was cancelled), the temp file is removed and the
    exception propagates.
    """
    path = Path(path)
    try:
        replace_file(path, (data,), before_replace=before_replace)
    except OSError as exc:
        raise WriteFailedError(f"Could not write {path.name}. {_reason(exc)} "
                               "Nothing was written.") from exc
