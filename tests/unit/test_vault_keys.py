"""vault.md test 11 (in process): passphrase changes, the recovery key, Unicode forms.

The kill -9 half of test 11 is in test_vault_crash.py.
"""

from __future__ import annotations

import errno
import unicodedata

import pytest

from journal_app import atomic
from journal_app.errors import JournalError, WriteFailedError, WrongSecretError
from journal_app.storage import fileformat as ff
from journal_app.storage import filestore
from journal_app.storage.vault import Secret, Vault, change_passphrase_file
from tests.helpers.journals import (
    FAST_KDF,
    PASSPHRASE,
    add_entries,
    make_journal,
    open_titles,
    snapshot,
)

NEW = "a completely new passphrase"
# ASCII letters, digits and '-' as their full-width forms (U+FF01..U+FF5E).
_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def _opens(path, secret) -> bool:
    try:
        Vault.open(path, secret, lock=False).close()
        return True
    except WrongSecretError:
        return False


@pytest.mark.parametrize("how", ["open-vault", "file"])
def test_v11_change_passphrase_new_opens_old_fails_recovery_opens(tmp_path, how):
    made = make_journal(tmp_path, ("through the change",))
    if how == "open-vault":
        with Vault.open(made.path, made.secret) as vault:
            vault.change_passphrase(NEW, FAST_KDF)
    else:
        change_passphrase_file(made.path, made.secret, NEW, FAST_KDF)
    assert _opens(made.path, Secret(passphrase=NEW))
    assert not _opens(made.path, Secret(passphrase=PASSPHRASE))
    assert open_titles(made.path, Secret(passphrase=NEW)) == ["through the change"]
    assert open_titles(made.path, Secret(recovery_key=made.recovery_key)) == [
        "through the change"]


def test_v11_file_change_rewrites_only_the_header(tmp_path):
    made = make_journal(tmp_path, ("body untouched",))
    old = ff.parse(made.path.read_bytes())
    change_passphrase_file(made.path, made.secret, NEW, FAST_KDF)
    new = ff.parse(made.path.read_bytes())
    assert new.ciphertext == old.ciphertext  # nothing re-encrypted
    assert (new.salt, new.nonce) == (old.salt, old.nonce)
    assert new.header.slot("recovery") == old.header.slot("recovery")
    assert new.header.slot("passphrase") != old.header.slot("passphrase")


def test_v11_data_key_survives_a_change(tmp_path):
    made = make_journal(tmp_path, ("k",))
    before = Secret(passphrase=PASSPHRASE).unlock(ff.parse(made.path.read_bytes()))
    with Vault.open(made.path, made.secret) as vault:
        vault.change_passphrase(NEW, FAST_KDF)
    after = Secret(passphrase=NEW).unlock(ff.parse(made.path.read_bytes()))
    assert before == after


def test_v11_change_failing_before_replace_keeps_old_passphrase(tmp_path, request):
    # Its own patcher: undoing the fixture's mid-test would also undo the private
    # folders conftest set (and send this computer's records to the real one).
    patch = pytest.MonkeyPatch()
    request.addfinalizer(patch.undo)  # also when the test fails first
    made = make_journal(tmp_path, ("still old",))

    def refuse(src, dst):
        raise OSError(errno.EIO, "I/O error")

    patch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(WriteFailedError):
        change_passphrase_file(made.path, made.secret, NEW, FAST_KDF)
    with Vault.open(made.path, made.secret) as vault, pytest.raises(WriteFailedError):
        vault.change_passphrase(NEW, FAST_KDF)
    patch.undo()
    assert filestore.stale_temp_files(made.path) == []
    assert _opens(made.path, Secret(passphrase=PASSPHRASE))
    assert not _opens(made.path, Secret(passphrase=NEW))


def test_v11_failed_change_in_open_vault_keeps_saving_with_old_passphrase(tmp_path):
    made = make_journal(tmp_path, ("a",))
    with Vault.open(made.path, made.secret) as vault:
        vault._writer = lambda fd, view: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full"))
        with pytest.raises(WriteFailedError):
            vault.change_passphrase(NEW, FAST_KDF)
        del vault._writer
        add_entries(vault, ["b"])
        vault.save()
    assert open_titles(made.path) == ["a", "b"]
    assert not _opens(made.path, Secret(passphrase=NEW))


def test_v11_change_refuses_wrong_current_passphrase_and_empty_new(tmp_path):
    made = make_journal(tmp_path, ("x",))
    before = snapshot(tmp_path)
    with pytest.raises(WrongSecretError):
        change_passphrase_file(made.path, Secret(passphrase="wrong"), NEW, FAST_KDF)
    with pytest.raises(JournalError):
        change_passphrase_file(made.path, made.secret, "", FAST_KDF)
    after = snapshot(tmp_path)
    after.pop(made.path.name + ".lock", None)
    before.pop(made.path.name + ".lock", None)
    assert after == before
    with Vault.open(made.path, made.secret) as vault:
        with pytest.raises(JournalError):
            vault.change_passphrase("")
        with pytest.raises(WrongSecretError):
            vault.verify_secret(Secret(passphrase="wrong"))
        vault.verify_secret(made.secret)
        vault.verify_secret(Secret(recovery_key=made.recovery_key))


@pytest.mark.parametrize("created_as", ["NFC", "NFD"])
def test_v11_nfc_and_nfd_forms_of_a_passphrase_both_open(tmp_path, created_as):
    phrase = "Ärger über Öl, café, Ελληνικά, 한국어"
    forms = {f: unicodedata.normalize(f, phrase) for f in ("NFC", "NFD")}
    assert forms["NFC"] != forms["NFD"]
    path = tmp_path / "u.ijournal"
    vault, _ = Vault.create(path, forms[created_as], kdf=FAST_KDF)
    vault.close()
    for form in forms.values():
        assert _opens(path, Secret(passphrase=form))
    assert not _opens(path, Secret(passphrase=forms["NFC"] + " "))


def test_v11_recovery_key_typed_loosely_opens(tmp_path):
    made = make_journal(tmp_path, ("recovered",))
    key = made.recovery_key
    assert len(key.split("-")) == 8
    loose = [
        key.lower().replace("-", " "),
        "  " + key.replace("-", "") + "\n",
        key.replace("O", "0").replace("I", "1").replace("B", "8"),
        " - ".join(key.split("-")).lower(),
        key.translate(_FULL_WIDTH),  # typed with an East Asian input method
    ]
    assert loose[-1] != key
    for typed in loose:
        assert open_titles(made.path, Secret(recovery_key=typed)) == ["recovered"]


def test_v11_recovery_key_typo_gives_checksum_message(tmp_path, monkeypatch):
    made = make_journal(tmp_path, ("x",))
    key = made.recovery_key
    pos = 7
    typo = key[:pos] + ("A" if key[pos] != "A" else "C") + key[pos + 1:]
    calls = []
    monkeypatch.setattr(ff, "derive_recovery_key", lambda *a: calls.append(a))
    before = snapshot(tmp_path)
    with pytest.raises(WrongSecretError) as info:
        Vault.open(made.path, Secret(recovery_key=typo))
    assert "typo" in info.value.message
    assert calls == []  # caught before any unlock was tried
    with pytest.raises(WrongSecretError) as short:
        Vault.open(made.path, Secret(recovery_key=key[:-6]))
    assert "length" in short.value.message
    with pytest.raises(WrongSecretError) as odd:
        Vault.open(made.path, Secret(recovery_key=key[:-1] + "9"))
    assert "characters" in odd.value.message
    assert len({info.value.message, short.value.message, odd.value.message}) == 3
    assert snapshot(tmp_path) == before


def test_v11_secret_never_shows_in_repr_or_errors(tmp_path):
    made = make_journal(tmp_path, ("x",))
    secret = Secret(passphrase="hunter2-secret-words")
    assert "hunter2" not in repr(secret)
    with pytest.raises(WrongSecretError) as info:
        Vault.open(made.path, secret)
    assert "hunter2" not in str(info.value)


def test_v11_change_whose_file_landed_before_an_error_says_the_new_one_stands(tmp_path,
                                                                                request):
    """The new file was put in place, then syncing the folder failed: the user must not be
    left believing the old passphrase still works."""
    # Its own patcher: undoing the fixture's mid-test would also undo the private
    # folders conftest set (and send this computer's records to the real one).
    patch = pytest.MonkeyPatch()
    request.addfinalizer(patch.undo)  # also when the test fails first
    made = make_journal(tmp_path, ("landed",))
    with Vault.open(made.path, made.secret) as vault:

        def failing_dir_sync(folder):
            raise OSError(errno.EIO, "I/O error")

        patch.setattr(atomic, "fsync_dir", failing_dir_sync)
        with pytest.raises(WriteFailedError) as info:
            vault.change_passphrase(NEW, FAST_KDF)
        patch.undo()
        assert "new passphrase is in place" in info.value.message
        vault.save()  # later saves keep the new passphrase
    assert _opens(made.path, Secret(passphrase=NEW))
    assert not _opens(made.path, Secret(passphrase=PASSPHRASE))
