"""Helpers for the command-line tests: run ``main`` in-process, make journals, see what
changed on disk. The fixtures built on them are in conftest.py."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from journal_app.cli import main
from journal_app.cli.secrets import ENV_NEW_PASSPHRASE, ENV_PASSPHRASE, ENV_RECOVERY_KEY
from journal_app.storage.filestore import stale_temp_files
from journal_app.storage.vault import Vault
from tests.conftest import FAST_KDF, FAST_KDF_ARGS

PASS = "correct horse battery staple"
NEW_PASS = "a different, newer passphrase"
ROOT = Path(__file__).resolve().parents[3]

__all__ = ["ENV_NEW_PASSPHRASE", "ENV_PASSPHRASE", "ENV_RECOVERY_KEY", "FAST_KDF",
           "FAST_KDF_ARGS", "NEW_PASS", "PASS", "ROOT", "CliResult", "Snapshot",
           "make_journal", "read_only_folder"]


@dataclass
class CliResult:
    code: int
    out: str
    err: str


class CliRunner:
    """Calls ``journal_app.cli.main`` with a given stdin and environment; captures output."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
        self._mp = monkeypatch
        self._capsys = capsys

    def __call__(self, *argv: object, stdin: str | bytes = b"",
                 passphrase: str | None = PASS) -> CliResult:
        if passphrase is None:
            self._mp.delenv(ENV_PASSPHRASE, raising=False)
        else:
            self._mp.setenv(ENV_PASSPHRASE, passphrase)
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        self._mp.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        self._capsys.readouterr()
        code = main([str(a) for a in argv])
        out, err = self._capsys.readouterr()
        return CliResult(code, out, err)


def make_journal(path: Path, passphrase: str = PASS) -> tuple[Path, str]:
    """A new journal (fast KDF); returns its path and recovery key."""
    vault, recovery = Vault.create(path, passphrase, kdf=FAST_KDF)
    vault.close()
    return path, recovery


@dataclass(frozen=True)
class Snapshot:
    """What a user could see changed on disk: the file's bytes, mtime and its folder."""

    data: bytes
    mtime_ns: int
    listing: tuple[str, ...]

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        return cls(path.read_bytes(), path.stat().st_mtime_ns,
                   tuple(sorted(os.listdir(path.parent))))

    def assert_unchanged(self, path: Path) -> None:
        after = Snapshot.of(path)
        assert after.data == self.data, "the journal's bytes changed"
        assert after.mtime_ns == self.mtime_ns, "the journal's mtime changed"
        assert after.listing == self.listing, "files appeared or vanished beside the journal"
        assert stale_temp_files(path) == []


def _inside(folder: Path, target: object) -> bool:
    try:
        return Path(os.fsdecode(target)).resolve().parent == folder.resolve()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _deny_changes_in(folder: Path, mp: pytest.MonkeyPatch) -> None:
    """Make creating, linking, renaming and removing entries in ``folder`` fail with EACCES,
    as a folder without write permission does for a user who is not root."""

    def refuse(target: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(target))  # type: ignore[arg-type]

    real_open, real_mkdir, real_link = os.open, os.mkdir, os.link
    real_replace, real_rename, real_unlink = os.replace, os.rename, os.unlink

    def fake_open(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and _inside(folder, path) and not os.path.exists(path):
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def guard_one(real):
        def fake(path, *args, **kwargs):
            if _inside(folder, path):
                refuse(path)
            return real(path, *args, **kwargs)
        return fake

    def guard_two(real):
        def fake(src, dst, *args, **kwargs):
            for target in (src, dst):
                if _inside(folder, target):
                    refuse(target)
            return real(src, dst, *args, **kwargs)
        return fake

    mp.setattr(os, "open", fake_open)
    mp.setattr(os, "mkdir", guard_one(real_mkdir))
    mp.setattr(os, "unlink", guard_one(real_unlink))
    mp.setattr(os, "link", guard_two(real_link))
    mp.setattr(os, "replace", guard_two(real_replace))
    mp.setattr(os, "rename", guard_two(real_rename))


def _can_create_in(folder: Path) -> bool:
    probe = folder / ".write-probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """``folder`` without write permission. Root ignores permission bits, so there the
    same refusal is simulated at the os-call level."""
    folder.chmod(0o500)
    try:
        with pytest.MonkeyPatch.context() as mp:
            if _can_create_in(folder):
                _deny_changes_in(folder, mp)
            yield
    finally:
        folder.chmod(0o700)
