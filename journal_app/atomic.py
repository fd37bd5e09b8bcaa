"""Writing an exported file safely: atomically, owner-only, in the target's own folder.

The bytes go to a temp file beside the target (created 0600, never elsewhere, so no copy
lands in a shared temp folder), are flushed and fsynced, then ``os.replace`` puts them in
place. Any failure or cancel removes the temp file and leaves an existing target as it
was. Failures become :class:`WriteFailedError` (exit code 7) without any content.

``storage.filestore.atomic_write`` does the same for the journal itself, with a read-back
check; this module exists so that ``export`` (which may not import storage) and the UI
share one writer for reports.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from journal_app.errors import WriteFailedError

TEMP_MARK = ".writing-"
OWNER_ONLY = 0o600


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(6)}")


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


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def write_private(path: Path, data: bytes, *,
                  before_replace: Callable[[], None] | None = None) -> None:
    """Replace ``path`` with ``data``, readable and writable by its owner only.

    ``before_replace`` runs after the bytes are safely on disk and before they replace
    ``path``; if it raises (e.g. the export was cancelled), the temp file is removed and the
    exception propagates.
    """
    path = Path(path)
    tmp = temp_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     OWNER_ONLY)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, OWNER_ONLY)  # whatever the umask
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriteFailedError(f"Could not write {path.name}. {_reason(exc)} "
                               "Nothing was written.") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
