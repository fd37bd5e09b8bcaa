"""The one write primitive (journal_app/atomic.py) that the journal and the exports share:
durable sync (F_FULLFSYNC where there is one), owner-only temp file beside the target,
nothing left behind on failure, the read-back and before-replace hooks."""

from __future__ import annotations

import errno
import os
import stat
import types

import pytest

from journal_app import atomic
from journal_app.errors import WriteFailedError


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


class FakeFcntl:
    """Stands in for macOS's fcntl: records F_FULLFSYNC calls, or refuses them."""

    F_FULLFSYNC = 51

    def __init__(self, refuse: bool = False) -> None:
        self.calls: list[int] = []
        self.refuse = refuse

    def fcntl(self, fd: int, op: int) -> int:
        self.calls.append(op)
        if self.refuse:
            raise OSError(errno.ENOTSUP, "not supported")
        return 0


def _count_fsyncs(monkeypatch) -> list[int]:
    seen: list[int] = []
    real = os.fsync
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: seen.append(fd) or real(fd))
    return seen


def test_full_sync_is_used_where_the_system_has_it(tmp_path, monkeypatch):
    fake = FakeFcntl()
    monkeypatch.setattr(atomic, "fcntl", fake)
    fsyncs = _count_fsyncs(monkeypatch)
    atomic.write_private(tmp_path / "report.md", b"exported")
    assert fake.calls == [FakeFcntl.F_FULLFSYNC]  # the report's bytes, not only the journal
    assert len(fsyncs) == 1  # the folder (a directory is synced with fsync)
    assert (tmp_path / "report.md").read_bytes() == b"exported"


def test_plain_fsync_where_full_sync_is_refused_or_absent(tmp_path, monkeypatch):
    fake = FakeFcntl(refuse=True)
    monkeypatch.setattr(atomic, "fcntl", fake)
    fsyncs = _count_fsyncs(monkeypatch)
    atomic.replace_file(tmp_path / "f", [b"x"])
    assert fake.calls == [FakeFcntl.F_FULLFSYNC] and len(fsyncs) == 2  # file, folder
    monkeypatch.setattr(atomic, "fcntl", types.SimpleNamespace())  # no F_FULLFSYNC
    atomic.replace_file(tmp_path / "f", [b"y"])
    assert len(fsyncs) == 4


def test_the_temp_file_is_beside_the_target_and_owner_only(tmp_path, monkeypatch):
    seen: list[tuple[str, int]] = []

    def check(written) -> None:
        seen.append((os.path.dirname(written.name), stat.S_IMODE(os.fstat(written.fileno())
                                                                  .st_mode)))

    old = os.umask(0o277)  # even a umask that takes the owner's write bit
    try:
        atomic.replace_file(tmp_path / "f", [b"data"], check=check, mark=".mine-")
    finally:
        os.umask(old)
    assert seen == [(str(tmp_path), 0o600)]
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == 0o600


@pytest.mark.parametrize("stage", ["check", "before_replace"])
def test_a_hook_that_raises_leaves_the_old_file_and_no_temp(tmp_path, stage):
    target = tmp_path / "f"
    target.write_bytes(b"old")

    def refuse(*_args) -> None:
        raise ValueError("no")

    with pytest.raises(ValueError):
        atomic.replace_file(target, [b"new"], **{stage: refuse})
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_short_writes_are_retried_and_a_zero_write_fails(tmp_path):
    target = tmp_path / "f"
    atomic.replace_file(target, [b"abcdef"], writer=lambda fd, view: os.write(fd, view[:1]))
    assert target.read_bytes() == b"abcdef"
    with pytest.raises(OSError, match="short write"):
        atomic.replace_file(target, [b"more"], writer=lambda fd, view: 0)
    assert target.read_bytes() == b"abcdef"
    assert _leftovers(tmp_path) == []


def test_export_failures_are_worded_without_content(tmp_path):
    missing = tmp_path / "no such folder" / "report.md"
    with pytest.raises(WriteFailedError) as caught:
        atomic.write_private(missing, b"private words")
    assert caught.value.message == ("Could not write report.md. The folder does not exist. "
                                    "Nothing was written.")
