"""An older copy of the journal on the command line (issue 14). Storage notices when the
journal opened is older than the copy this computer opened last (``vault.rollback``);
read verbs warn and go on, write verbs refuse (exit 5) unless ``--accept-older``, which
calls ``journal_app.storage.rollback.accept``. Faked here through the CLI's open function,
so this holds before the storage side lands."""

from __future__ import annotations

import sys
import types

import pytest

from journal_app.cli import common
from tests.unit.cli.support import Snapshot

ROLLBACK = types.SimpleNamespace(opened_generation=3, seen_generation=7)


@pytest.fixture
def accepted(monkeypatch) -> list:
    """Opened vaults report a rollback; ``accept`` calls are recorded (and clear it)."""
    real_open = common.open_vault
    calls: list = []

    def open_older(*args, **kwargs):
        vault = real_open(*args, **kwargs)
        vault.rollback = ROLLBACK
        return vault

    def accept(vault):
        calls.append(vault)
        vault.rollback = None

    monkeypatch.setattr(common, "open_vault", open_older)
    module = types.ModuleType("journal_app.storage.rollback")
    module.accept = accept  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "journal_app.storage.rollback", module)
    return calls


def _warned(err: str) -> None:
    assert "older than the copy this computer opened last" in err
    assert "generation 3" in err and "7" in err


READERS = [("list",), ("show", "1"), ("search", "walk"), ("verify",), ("sessions",),
           ("due",), ("scores",)]


@pytest.mark.parametrize("argv", READERS, ids=lambda a: a[0])
def test_read_verbs_warn_and_go_on(cli, journal, accepted, argv):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(common, "open_vault", common.Vault.open)
        assert cli("add", journal, "--title", "walk", stdin="A walk.").code == 0
    result = cli(argv[0], journal, *argv[1:])
    assert result.code == 0, result.err
    _warned(result.err)
    assert accepted == []


def test_export_warns_and_goes_on(cli, journal, accepted, tmp_path):
    result = cli("export", journal, "--format", "md", "--out", tmp_path / "r.md")
    assert result.code == 0, result.err
    _warned(result.err)


WRITERS = [
    ("add", "J", "--title", "Evening"),
    ("session", "add", "J", "--date", "2026-03-02T10:00+01:00"),
    ("checkin", "J", "mood", "--answers", "5"),
    ("passwd", "J"),
]


def _argv(argv, journal):
    return [journal if a == "J" else a for a in argv]


@pytest.mark.parametrize("argv", WRITERS, ids=lambda a: a[0])
def test_write_verbs_refuse_with_exit_5(cli, journal, accepted, argv, monkeypatch):
    monkeypatch.setenv("JOURNAL_APP_NEW_PASSPHRASE", "another passphrase entirely")
    before = Snapshot.of(journal)
    result = cli(*_argv(argv, journal), stdin="Body")
    assert result.code == 5, result.err
    _warned(result.err)
    assert "--accept-older" in result.err
    assert result.out == ""
    before.assert_unchanged(journal)
    assert accepted == []


def test_import_refuses_with_exit_5(cli, journal, accepted, tmp_path):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(common, "open_vault", common.Vault.open)
        assert cli("add", journal, "--title", "x", stdin="y").code == 0
        out = tmp_path / "e.json"
        assert cli("export", journal, "--format", "json", "--out", out).code == 0
    result = cli("import", journal, out)
    assert result.code == 5, result.err
    assert "--accept-older" in result.err


@pytest.mark.parametrize("argv", WRITERS, ids=lambda a: a[0])
def test_accept_older_accepts_and_writes(cli, journal, accepted, argv, monkeypatch):
    monkeypatch.setenv("JOURNAL_APP_NEW_PASSPHRASE", "another passphrase entirely")
    result = cli(*_argv(argv, journal), "--accept-older", stdin="Body")
    assert result.code == 0, result.err
    assert len(accepted) >= 1


def test_nothing_is_said_without_a_rollback(cli, journal):
    result = cli("list", journal)
    assert result.code == 0
    assert "older" not in result.err
    result = cli("add", journal, "--title", "Evening")
    assert result.code == 0, result.err
    assert "older" not in result.err


def test_the_refusal_quotes_no_journal_text(cli, journal, accepted):
    result = cli("add", journal, "--title", "CANARY-title", stdin="CANARY-body")
    assert result.code == 5
    assert "CANARY" not in result.err + result.out
