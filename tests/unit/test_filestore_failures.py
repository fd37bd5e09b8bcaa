"""vault.md tests 6 and 7: a failing disk never costs the last good journal.

Disk full (an injected write failure after N bytes, and a real 1 MiB tmpfs), a read-only
folder, and a temp file that reads back wrong: the journal and its backups stay byte for
byte as they were, no temp file is left, the user gets a WriteFailedError, the journal
stays marked unsaved, and a later save succeeds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journal_app import atomic
from journal_app.errors import WriteFailedError
from journal_app.storage import fileformat as ff
from journal_app.storage import filestore
from journal_app.storage.vault import Vault
from tests.helpers.journals import (
    add_entries,
    make_journal,
    open_titles,
    snapshot,
    temp_files,
)


def failing_after(limit: int, err: int = errno.ENOSPC):
    """A writer that writes ``limit`` bytes, then fails like a full disk."""
    state = {"left": limit}

    def writer(fd: int, view: memoryview) -> int:
        if state["left"] <= 0:
            raise OSError(err, os.strerror(err))
        written = os.write(fd, view[: state["left"]])
        state["left"] -= written
        return written

    return writer


@pytest.fixture
def opened(tmp_path):
    """An open journal with a backup, and one unsaved entry."""
    made = make_journal(tmp_path, ("saved one", "saved two"), saves=2)
    vault = Vault.open(made.path, made.secret)
    add_entries(vault, ["not yet saved"])
    yield made, vault
    vault.close()


# Both ways a save writes: a change record appended to the file, a whole new file.
KINDS = ["record", "whole"]


def save(vault: Vault, kind: str) -> int:
    if kind == "record":
        job = vault.prepare_save()
        assert job.payload is not None  # really an append
        return job.run()
    return vault.compact()


def _assert_failed_cleanly(vault: Vault, before: dict, info) -> None:
    assert snapshot(vault.path.parent) == before  # journal and backups byte-identical
    assert temp_files(vault.path) == []
    assert vault.dirty
    assert info.value.exit_code == 7
    assert "Nothing was lost" in info.value.message


# --------------------------------------------------------------------------- test 6


@pytest.mark.parametrize("kind", KINDS)
def test_v06_disk_full_at_many_points_keeps_journal_and_backups(opened, kind):
    made, vault = opened
    size = len(made.path.read_bytes()) if kind == "whole" else 4096  # what the save writes
    before = snapshot(made.path.parent)
    assert filestore.list_backups(made.path)  # there is a backup to protect
    for n, limit in enumerate(sorted({0, 1, 7, 21, 300, 700, 4095, 4096, 65536, size // 2,
                                      size - 1})):
        if limit >= size:
            continue
        if kind == "record" and n:
            # A failed append makes the next save a whole file: start a new sitting.
            vault.close()
            vault = Vault.open(made.path, made.secret)
            add_entries(vault, ["not yet saved"])
        vault._writer = failing_after(limit)
        with pytest.raises(WriteFailedError) as info:
            save(vault, kind)
        assert "disk is full" in info.value.message
        _assert_failed_cleanly(vault, before, info)
    del vault._writer
    vault.save()
    assert not vault.dirty
    vault.close()
    assert open_titles(made.path) == ["not yet saved", "saved one", "saved two"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("err", [errno.EIO, errno.EROFS, errno.EACCES, errno.EDQUOT])
def test_v06_other_write_errors_are_write_failed(opened, err, kind):
    made, vault = opened
    before = snapshot(made.path.parent)
    vault._writer = failing_after(100, err)
    with pytest.raises(WriteFailedError) as info:
        save(vault, kind)
    _assert_failed_cleanly(vault, before, info)


def test_v06_short_writes_are_retried(opened):
    made, vault = opened

    def dribble(fd: int, view: memoryview) -> int:
        return os.write(fd, view[:4093])

    vault._writer = dribble
    vault.save()
    vault.close()
    assert "not yet saved" in open_titles(made.path)


@pytest.mark.parametrize("kind", KINDS)
def test_v06_failure_before_replace_keeps_journal(opened, request, kind):
    """fsync of the temp file (or of the appended record) fails (a disk that reports
    errors late)."""
    # Its own patcher: undoing the fixture's mid-test would also undo the private
    # folders conftest set (and send this computer's records to the real one).
    patch = pytest.MonkeyPatch()
    request.addfinalizer(patch.undo)  # also when the test fails first
    made, vault = opened
    before = snapshot(made.path.parent)

    def broken_fsync(fd):
        raise OSError(errno.EIO, "I/O error")

    patch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(WriteFailedError) as info:
        save(vault, kind)
    patch.undo()
    _assert_failed_cleanly(vault, before, info)
    vault.save()
    assert not vault.dirty


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("err", [errno.EACCES, errno.EROFS])
def test_v06_simulated_read_only_folder(opened, request, err, kind):
    """Creating the temp file (or opening the journal to append) is refused, as in a
    read-only folder or on a read-only disk.

    Simulated because tests may run as root, which ignores folder permissions; the tmpfs
    test below remounts a real filesystem read-only.
    """
    # Its own patcher: undoing the fixture's mid-test would also undo the private
    # folders conftest set (and send this computer's records to the real one).
    patch = pytest.MonkeyPatch()
    request.addfinalizer(patch.undo)  # also when the test fails first
    made, vault = opened
    before = snapshot(made.path.parent)
    real_open = os.open

    def denied(path, flags, *args, **kwargs):
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise OSError(err, os.strerror(err), str(path))
        return real_open(path, flags, *args, **kwargs)

    patch.setattr(atomic.os, "open", denied)
    with pytest.raises(WriteFailedError) as info:
        save(vault, kind)
    patch.undo()
    assert ("permission" if err == errno.EACCES else "read-only") in info.value.message
    _assert_failed_cleanly(vault, before, info)
    vault.save()
    assert not vault.dirty


def test_v06_read_only_folder_by_permissions(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod can't make a folder unwritable for root "
                    "(see the simulated and tmpfs read-only tests)")
    made = make_journal(tmp_path / "j", ("kept",), saves=2)
    vault = Vault.open(made.path, made.secret)
    try:
        add_entries(vault, ["unsaved"])
        before = snapshot(made.path.parent)
        made.path.parent.chmod(0o500)
        try:
            with pytest.raises(WriteFailedError) as info:
                vault.save()
        finally:
            made.path.parent.chmod(0o700)
        _assert_failed_cleanly(vault, before, info)
    finally:
        vault.close()


# --------------------------------------------------------------------------- real tmpfs


def _mount(args: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False)
    except OSError as exc:  # no mount command on this system
        return subprocess.CompletedProcess(args, 127, "", str(exc))


@pytest.fixture
def small_fs(tmp_path):
    """A real 1 MiB tmpfs (a fresh journal is ~200 KB; it, its backup and a temp file
    must fit); skipped where mounting isn't permitted."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    result = _mount(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mnt)])
    if result.returncode != 0:
        pytest.skip(f"can't mount a small tmpfs here: {result.stderr.strip() or 'no mount'}")
    try:
        yield mnt
    finally:
        _mount(["mount", "-o", "remount,rw", str(mnt)])
        if _mount(["umount", str(mnt)]).returncode != 0:
            _mount(["umount", "-l", str(mnt)])


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\xff" * 4096)
    return filler


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_v06_real_full_disk(small_fs, kind):
    made = make_journal(small_fs, ("before the disk filled",), saves=2)
    vault = Vault.open(made.path, made.secret)
    try:
        add_entries(vault, ["x" * 50_000])  # a bigger image (or record): fresh blocks
        filler = _fill(small_fs)
        before = snapshot(small_fs)
        with pytest.raises(WriteFailedError) as info:
            save(vault, kind)
        assert "disk is full" in info.value.message
        _assert_failed_cleanly(vault, before, info)
        filler.unlink()
        vault.save()
        assert not vault.dirty
    finally:
        vault.close()
    assert len(open_titles(made.path)) == 2


@pytest.mark.slow
def test_v06_real_full_disk_on_first_save_of_the_day(small_fs):
    """The day's backup is a copy; when the disk is too full for it, the save fails
    cleanly and no partial copy is left behind."""
    made = make_journal(small_fs, ("yesterday's words",))
    for old in filestore.list_backups(made.path):
        old.unlink()  # today's first save is still to come
    vault = Vault.open(made.path, made.secret)
    try:
        add_entries(vault, ["today's words"])
        filler = _fill(small_fs)
        before = snapshot(small_fs)
        with pytest.raises(WriteFailedError) as info:
            vault.save()
        _assert_failed_cleanly(vault, before, info)
        filler.unlink()
        vault.save()
    finally:
        vault.close()
    backups = filestore.list_backups(made.path)
    assert len(backups) == 1
    assert sorted(p.name for p in backups[0].parent.iterdir()) == [backups[0].name]
    assert open_titles(backups[0]) == ["yesterday's words"]


def test_backup_is_independent_of_the_journal_file(tmp_path):
    """Damage written into the journal in place (after a save that failed, say) must not
    reach its backup."""
    made = make_journal(tmp_path, ("safe in the backup",))
    for old in filestore.list_backups(made.path):
        old.unlink()
    vault = Vault.open(made.path, made.secret)
    try:
        add_entries(vault, ["unsaved"])
        vault._writer = failing_after(10)
        with pytest.raises(WriteFailedError):
            vault.save()  # the day's backup was made, then the write failed
    finally:
        vault.close()
    with open(made.path, "r+b") as f:  # a sync tool truncates the journal in place
        f.truncate(1000)
    (backup,) = filestore.list_backups(made.path)
    assert open_titles(backup) == ["safe in the backup"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_v06_real_read_only_remount_during_session(small_fs, kind):
    made = make_journal(small_fs, ("written before",), saves=2)
    vault = Vault.open(made.path, made.secret)
    try:
        add_entries(vault, ["typed while read-only"])
        # Linux won't remount read-only while a file is open for writing, and the
        # instance lock is one: drop it for the remount (nothing else runs here).
        vault._lock.release()
        assert _mount(["mount", "-o", "remount,ro", str(small_fs)]).returncode == 0
        before = snapshot(small_fs)
        with pytest.raises(WriteFailedError) as info:
            save(vault, kind)
        assert "read-only" in info.value.message
        _assert_failed_cleanly(vault, before, info)
        assert _mount(["mount", "-o", "remount,rw", str(small_fs)]).returncode == 0
        vault._lock.acquire()
        vault.save()
    finally:
        vault.close()
    assert "typed while read-only" in open_titles(made.path)


@pytest.mark.slow
def test_v06_journal_on_read_only_disk_opens_read_only(small_fs):
    made = make_journal(small_fs, ("written before",), saves=2)
    assert _mount(["mount", "-o", "remount,ro", str(small_fs)]).returncode == 0
    before = snapshot(small_fs)
    with Vault.open(made.path, made.secret) as vault:
        assert vault.read_only
        add_entries(vault, ["can't be kept"])
        with pytest.raises(WriteFailedError) as info:
            vault.save()
        assert "read-only" in info.value.message
        assert vault.dirty
    assert snapshot(small_fs) == before


# --------------------------------------------------------------------------- test 7


class CorruptingWriter:
    """Writes the bytes with the one at file offset ``at`` flipped, as a failing disk or
    cable might. The file comes in pieces; ``flipped`` tells the flip really happened."""

    def __init__(self, at: int) -> None:
        self.at, self.offset, self.flipped = at, 0, False

    def __call__(self, fd: int, view: memoryview) -> int:
        data = bytearray(view)
        if self.offset <= self.at < self.offset + len(data):
            data[self.at - self.offset] ^= 0x20
            self.flipped = True
        written = os.write(fd, bytes(data))
        self.offset += written
        return written


@pytest.mark.parametrize("where", ["magic", "header", "checksum", "body", "tag"])
def test_v07_corrupted_temp_file_is_never_moved_into_place(opened, monkeypatch, where):
    made, vault = opened
    body_start = ff.parse(made.path.read_bytes()).body_start  # the header stays this size
    size = body_start + ff.padded_len(len(vault.db.serialize())) + ff.TAG_LEN
    writer = CorruptingWriter({
        "magic": 3,
        "header": 40,
        "checksum": body_start - 5,
        "body": body_start + 1000,
        "tag": size - 1,
    }[where])
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace
    # Only replaces of the journal count (a save also updates this computer's record of
    # the newest generation seen, in the app's own folder).
    monkeypatch.setattr(atomic.os, "replace",
                        lambda a, b: (str(b) == str(made.path) and replaced.append(
                            (str(a), str(b)))) or real_replace(a, b))
    before = snapshot(made.path.parent)
    vault._writer = writer
    with pytest.raises(WriteFailedError) as info:
        vault.compact()
    assert writer.flipped
    assert "did not read back correctly" in info.value.message
    assert replaced == []
    _assert_failed_cleanly(vault, before, info)
    del vault._writer
    vault.save()
    assert len(replaced) == 1


@pytest.mark.parametrize("at", [0, 3, 5, 9, 20, 100, 4079, 4095])
def test_v07_a_change_record_that_reads_back_wrong_is_cut_off(opened, at):
    """A byte of the appended record lands flipped (length, its check, nonce, body, tag):
    the file is cut back to what it was, the save fails, the next one writes it all."""
    made, vault = opened
    before = snapshot(made.path.parent)
    writer = CorruptingWriter(at)
    vault._writer = writer
    with pytest.raises(WriteFailedError) as info:
        save(vault, "record")
    assert writer.flipped
    assert "did not read back correctly" in info.value.message
    _assert_failed_cleanly(vault, before, info)
    del vault._writer
    vault.save()
    assert not vault.dirty and vault.records == 0  # the next save was a whole file
    vault.close()
    assert open_titles(made.path) == ["not yet saved", "saved one", "saved two"]


# --------------------------------------------------------------------------- pieces


def _reusing_producer(parts: list[bytes], finished: list[bool]):
    """Yields each part through one reused buffer, as the save's encryptor does."""
    buf = bytearray(max(map(len, parts)))
    try:
        for part in parts:
            buf[: len(part)] = part
            yield memoryview(buf)[: len(part)]
    finally:
        finished.append(True)


def test_pieces_from_a_reused_buffer_land_in_order(tmp_path):
    target = tmp_path / "file"
    parts = [b"first piece ", b"then another", b"!"]
    seen: list[bytes] = []
    filestore.write_atomically(target, _reusing_producer(parts, []),
                               lambda f: seen.append(f.read()))
    assert target.read_bytes() == seen[0] == b"".join(parts)


def test_failed_write_lets_go_of_the_pieces_and_leaves_nothing(tmp_path):
    """A half-written save must not keep its producer (and the image it reads) alive in
    the exception's traceback."""
    target = tmp_path / "file"
    target.write_bytes(b"the last good version")
    finished: list[bool] = []
    with pytest.raises(WriteFailedError):
        filestore.write_atomically(target, _reusing_producer([b"a" * 100, b"b" * 100], finished),
                                   lambda f: None, writer=failing_after(150))
    assert finished == [True]
    assert target.read_bytes() == b"the last good version"
    assert temp_files(target) == []


def test_filelock_is_imported_only_when_a_lock_is_taken(tmp_path):
    """The command line's readers never lock: loading the file code must not cost the
    ~20 ms import of filelock; taking the lock still works."""
    code = ("import sys; from pathlib import Path; import journal_app.storage.filestore as fs; "
            "before = 'filelock' in sys.modules; "
            "lock = fs.InstanceLock(Path(sys.argv[1])); lock.acquire(); held = lock.held; "
            "lock.release(); print(before, held, 'filelock' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "j.ijournal")],
                         capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.split() == ["False", "True", "True"]
