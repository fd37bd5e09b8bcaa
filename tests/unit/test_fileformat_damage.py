"""vault.md test 3: flipped bytes and truncations give only typed errors, and never a write.

A damaged prefix must read as "damaged", never as "wrong passphrase" (the jrnl/KeePass
failure where users retried their passphrase on a file that was really corrupt).
"""

from __future__ import annotations

import random
import shutil

import pytest

from journal_app.errors import (
    CorruptFileError,
    DamagedFileError,
    NotAJournalError,
    TamperedFileError,
    TooNewError,
    WrongSecretError,
)
from journal_app.storage import filestore
from journal_app.storage.vault import Vault
from tests.helpers.journals import make_journal, snapshot

ALLOWED = (DamagedFileError, WrongSecretError, TooNewError)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A journal with a few entries and no backup (so each open derives at most one key)."""
    folder = tmp_path_factory.mktemp("pristine")
    # Module-scoped: made before the per-test private folders are set, so this computer's
    # record of opened journals (storage.rollback) must be pointed away from the real one.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JOURNAL_APP_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        made = make_journal(folder, tuple(f"entry {i}" for i in range(5)))
    shutil.rmtree(filestore.backup_dir(made.path))
    data = made.path.read_bytes()
    return made, data, len(data) - _body_len(data)


def _body_len(data: bytes) -> int:
    from journal_app.storage import fileformat as ff

    return len(ff.parse(data).ciphertext)


def _open_damaged(made, damaged: bytes) -> BaseException:
    """Put ``damaged`` in place, open it, and check the folder was not written to."""
    made.path.write_bytes(damaged)
    before = snapshot(made.path.parent)
    with pytest.raises(ALLOWED) as info:
        Vault.open(made.path, made.secret)
    assert snapshot(made.path.parent) == before
    return info.value


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_v03_every_header_byte_flipped_reads_as_damaged(pristine, mask):
    made, data, body_start = pristine
    seen: set[type] = set()
    for offset in range(body_start):
        damaged = bytearray(data)
        damaged[offset] ^= mask
        err = _open_damaged(made, bytes(damaged))
        # Damage before the body is always "damaged", never "wrong passphrase".
        assert isinstance(err, (CorruptFileError, NotAJournalError)), (offset, type(err))
        seen.add(type(err))
    assert CorruptFileError in seen


@pytest.mark.timeout(120)
def test_v03_sampled_body_bytes_flipped_read_as_tampered(pristine):
    made, data, body_start = pristine
    rng = random.Random(3)
    offsets = [body_start, body_start + 1, len(data) - 1, len(data) - 16, len(data) - 17]
    offsets += rng.sample(range(body_start, len(data)), 60)
    for offset in offsets:
        damaged = bytearray(data)
        damaged[offset] ^= 1 << rng.randrange(8)
        err = _open_damaged(made, bytes(damaged))
        assert isinstance(err, TamperedFileError), (offset, type(err))


@pytest.mark.timeout(120)
def test_v03_truncated_at_many_lengths_reads_as_damaged(pristine):
    made, data, body_start = pristine
    lengths = set(range(body_start + 40))
    lengths |= set(range(body_start, len(data), 997)) | {len(data) - 1, len(data) - 16}
    for length in sorted(lengths):
        err = _open_damaged(made, data[:length])
        assert isinstance(err, (CorruptFileError, NotAJournalError)), (length, type(err))
        if length >= 8:
            assert "truncated" in err.message, length


def test_v03_pristine_copy_still_opens(pristine):
    """Guards the fixture: the undamaged bytes do open (so the errors above are real)."""
    made, data, _ = pristine
    made.path.write_bytes(data)
    with Vault.open(made.path, made.secret) as vault:
        assert vault.generation == 2
