"""Where the CLI reads secrets from, passwd and recover (cli.md, "Secrets")."""

from __future__ import annotations

import getpass
import unicodedata
from pathlib import Path

import pytest

from journal_app.cli import secrets as cli_secrets
from journal_app.storage import fileformat as ff
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import (
    ENV_NEW_PASSPHRASE,
    ENV_RECOVERY_KEY,
    NEW_PASS,
    PASS,
    Snapshot,
    make_journal,
)


@pytest.fixture
def made(tmp_path) -> tuple[Path, str]:
    return make_journal(tmp_path / "mine.ijournal")


@pytest.fixture
def journal(made) -> Path:
    return made[0]


@pytest.fixture
def terminal(monkeypatch):
    """A terminal on stdin whose user types the queued answers, in order."""
    answers: list[str] = []
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        if not answers:
            raise AssertionError(f"unexpected prompt {prompt!r}")
        return answers.pop(0)

    monkeypatch.setattr(cli_secrets, "stdin_is_tty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    return answers, prompts


def _opens(path: Path, passphrase: str) -> bool:
    try:
        Vault.open(path, Secret(passphrase=passphrase), lock=False).close()
    except ff.WrongSecretError:
        return False
    return True


# --------------------------------------------------------------------------- sources


def test_passphrase_file_first_line_wins_over_the_environment(cli, journal, tmp_path):
    secret_file = tmp_path / "pass.txt"
    secret_file.write_text(PASS + "\nsecond line is ignored\n", encoding="utf-8")
    result = cli("list", journal, "--passphrase-file", secret_file, passphrase="wrong one")
    assert result.code == 0, result.err


def test_passphrase_file_with_windows_line_ending_and_bom(cli, journal, tmp_path):
    secret_file = tmp_path / "pass.txt"
    secret_file.write_bytes(b"\xef\xbb\xbf" + PASS.encode() + b"\r\n")
    assert cli("list", journal, "--passphrase-file", secret_file, passphrase=None).code == 0


@pytest.mark.parametrize("content", [None, b"", b"\n" + PASS.encode(), b"\xff\xfe\x00"],
                         ids=["missing", "empty", "blank-first-line", "not-utf8"])
def test_unusable_passphrase_file_exits_2(cli, journal, tmp_path, content):
    secret_file = tmp_path / "pass.txt"
    if content is not None:
        secret_file.write_bytes(content)
    result = cli("list", journal, "--passphrase-file", secret_file, passphrase=None)
    assert result.code == 2
    assert str(secret_file) in result.err


def test_no_passphrase_without_a_terminal_exits_2_with_advice(cli, journal):
    before = Snapshot.of(journal)
    for argv in (["list", journal], ["add", journal]):
        result = cli(*argv, stdin="text for the body", passphrase=None)
        assert result.code == 2
        assert "No passphrase available" in result.err
        assert "--passphrase-file" in result.err
        assert "JOURNAL_APP_PASSPHRASE" in result.err
        assert result.out == ""
    before.assert_unchanged(journal)


def test_a_terminal_is_asked(cli, journal, terminal):
    answers, prompts = terminal
    answers.append(PASS)
    assert cli("list", journal, passphrase=None).code == 0
    assert prompts == ["Passphrase: "]


def test_add_in_a_terminal_asks_then_reads_the_text(cli, journal, terminal):
    answers, _ = terminal
    answers.append(PASS)
    result = cli("add", journal, stdin="typed at the terminal", passphrase=None)
    assert result.code == 0, result.err
    assert "Ctrl-D" in result.err
    assert "typed at the terminal" in cli("show", journal, result.out.strip()).out


def test_closing_the_terminal_at_the_prompt_exits_2(cli, journal, monkeypatch):
    def closed(prompt=""):
        raise EOFError

    monkeypatch.setattr(cli_secrets, "stdin_is_tty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", closed)
    assert cli("list", journal, passphrase=None).code == 2


def test_typed_new_passphrases_must_match(cli, journal, terminal):
    answers, _ = terminal
    answers.extend([PASS, "new one", "new 0ne"])
    before = Snapshot.of(journal)
    result = cli("passwd", journal, passphrase=None)
    assert result.code == 2
    assert "differ" in result.err
    before.assert_unchanged(journal)


def test_init_asks_twice_in_a_terminal(cli, tmp_path, terminal):
    answers, prompts = terminal
    answers.extend(["typed twice", "typed twice"])
    path = tmp_path / "new.ijournal"
    assert cli("init", path, "--kdf-memory", "8", "--kdf-iterations", "1",
               passphrase=None).code == 0
    assert len(prompts) == 2
    assert _opens(path, "typed twice")


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_either_unicode_form_of_a_passphrase_opens(cli, tmp_path, form):
    typed = "Café über naïve"
    path, _ = make_journal(tmp_path / "j.ijournal", unicodedata.normalize(form, typed))
    for other in ("NFC", "NFD"):
        assert cli("list", path, passphrase=unicodedata.normalize(other, typed)).code == 0


def test_a_wrong_passphrase_is_never_echoed(cli, journal, tmp_path):
    guess = "hunter2-very-unique-guess"
    result = cli("verify", journal, passphrase=guess)
    assert result.code == 3
    assert guess not in result.out + result.err


# --------------------------------------------------------------------------- passwd


def test_passwd_changes_only_the_header(cli, journal, monkeypatch):
    body_before = ff.parse(journal.read_bytes()).ciphertext
    monkeypatch.setenv(ENV_NEW_PASSPHRASE, NEW_PASS)
    result = cli("passwd", journal)
    assert result.code == 0, result.err
    assert ff.parse(journal.read_bytes()).ciphertext == body_before
    assert cli("list", journal, passphrase=PASS).code == 3
    assert cli("list", journal, passphrase=NEW_PASS).code == 0


def test_passwd_with_files_and_new_kdf(cli, journal, tmp_path):
    old_file, new_file = tmp_path / "old", tmp_path / "new"
    old_file.write_text(PASS + "\n")
    new_file.write_text(NEW_PASS + "\n")
    result = cli("passwd", journal, "--passphrase-file", old_file, "--new-passphrase-file",
                 new_file, "--kdf-memory", "16", "--kdf-iterations", "1", passphrase=None)
    assert result.code == 0, result.err
    assert ff.parse(journal.read_bytes()).header.slot("passphrase").kdf.memory_kib == 16 * 1024
    assert _opens(journal, NEW_PASS)


def test_passwd_with_a_wrong_passphrase_changes_nothing(cli, journal, monkeypatch):
    monkeypatch.setenv(ENV_NEW_PASSPHRASE, NEW_PASS)
    before = Snapshot.of(journal)
    assert cli("passwd", journal, passphrase="wrong").code == 3
    before.assert_unchanged(journal)
    assert _opens(journal, PASS)


def test_passwd_checks_the_old_passphrase_before_asking_for_a_new_one(cli, journal,
                                                                      terminal):
    answers, prompts = terminal
    answers.append("wrong")
    assert cli("passwd", journal, passphrase=None).code == 3
    assert prompts == ["Passphrase: "]


# --------------------------------------------------------------------------- recover


def test_recover_sets_a_new_passphrase(cli, made, monkeypatch):
    journal, recovery = made
    monkeypatch.setenv(ENV_RECOVERY_KEY, recovery.lower().replace("-", " "))
    monkeypatch.setenv(ENV_NEW_PASSPHRASE, NEW_PASS)
    result = cli("recover", journal, passphrase=None)
    assert result.code == 0, result.err
    assert not _opens(journal, PASS)
    assert _opens(journal, NEW_PASS)
    Vault.open(journal, Secret(recovery_key=recovery), lock=False).close()  # still works


def test_recover_with_a_recovery_key_file(cli, made, tmp_path, monkeypatch):
    journal, recovery = made
    key_file = tmp_path / "key.txt"
    key_file.write_text(recovery + "\n")
    monkeypatch.setenv(ENV_NEW_PASSPHRASE, NEW_PASS)
    assert cli("recover", journal, "--recovery-key-file", key_file).code == 0
    assert _opens(journal, NEW_PASS)


def test_recover_with_another_journals_key_or_a_typo_exits_3(cli, made, tmp_path,
                                                             monkeypatch):
    journal, recovery = made
    _, other_key = make_journal(tmp_path / "other.ijournal")
    typo = ("B" if recovery[0] != "B" else "C") + recovery[1:]
    monkeypatch.setenv(ENV_NEW_PASSPHRASE, NEW_PASS)
    before = Snapshot.of(journal)
    for key in (other_key, typo, "too-short"):
        monkeypatch.setenv(ENV_RECOVERY_KEY, key)
        result = cli("recover", journal)
        assert result.code == 3
        assert key not in result.err
    before.assert_unchanged(journal)


def test_recover_without_a_key_exits_2(cli, journal, monkeypatch):
    monkeypatch.setenv(ENV_NEW_PASSPHRASE, NEW_PASS)
    result = cli("recover", journal)
    assert result.code == 2
    assert "JOURNAL_APP_RECOVERY_KEY" in result.err
