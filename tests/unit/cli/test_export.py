"""``journal-app export`` and ``import`` (cli.md): formats, filters, secrets, exit codes."""

from __future__ import annotations

import json
import stat

import pytest

from tests.helpers.report_journal import (
    INTENTIONS,
    PRIVATE_CANARY,
    UNLINKED_TITLE,
)
from tests.unit.cli.support import FAST_KDF_ARGS, PASS, Snapshot


def test_markdown_export_leaves_out_private_entries(cli, course_journal, tmp_path):
    out = tmp_path / "report.md"
    result = cli("export", course_journal, "--format", "md", "--out", out, "--name", "Sam R.")
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert INTENTIONS[1] in text and "Sam R." in text
    assert PRIVATE_CANARY not in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "1 private entry was left out" in result.err
    assert result.out == ""


def test_include_private_puts_them_in(cli, course_journal, tmp_path):
    out = tmp_path / "report.md"
    assert cli("export", course_journal, "--format", "md", "--out", out,
               "--include-private").code == 0
    assert PRIVATE_CANARY in out.read_text(encoding="utf-8")


def test_from_and_to_limit_the_period(cli, course_journal, tmp_path):
    out = tmp_path / "report.json"
    result = cli("export", course_journal, "--format", "json", "--out", out,
                 "--from", "2026-03-15", "--to", "2026-04-01")
    assert result.code == 0, result.err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["report"]["from"] == "2026-03-15" and doc["report"]["to"] == "2026-04-01"
    assert [s["number"] for s in doc["sessions"]] == [2, 3]
    assert all("2026-03-15" <= e["created_at"][:10] <= "2026-04-01" for e in doc["entries"])
    assert UNLINKED_TITLE not in [e["title"] for e in doc["entries"]]


def test_json_round_trip_through_the_command_line(cli, course_journal, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert cli("export", course_journal, "--format", "json", "--out", first,
               "--include-private").code == 0
    fresh = tmp_path / "fresh.ijournal"
    assert cli("init", fresh, *FAST_KDF_ARGS).code == 0
    result = cli("import", fresh, first)
    assert result.code == 0, result.err
    assert "14 new entries" in result.err
    assert cli("export", fresh, "--format", "json", "--out", second,
               "--include-private").code == 0

    def entries(path):
        doc = json.loads(path.read_text(encoding="utf-8"))
        return [{k: v for k, v in e.items() if k not in ("id", "session_id")}
                for e in doc["entries"]]

    assert entries(second) == entries(first)
    again = cli("import", fresh, first)
    assert again.code == 0 and "0 new entries" in again.err


def test_the_journal_itself_is_never_the_output(cli, course_journal):
    before = Snapshot.of(course_journal)
    result = cli("export", course_journal, "--format", "md", "--out", course_journal)
    assert result.code == 2
    assert "journal" in result.err
    before.assert_unchanged(course_journal)


@pytest.mark.parametrize("passphrase, code", [("wrong passphrase", 3), (None, 2)])
def test_secrets_follow_cli_md(cli, course_journal, tmp_path, passphrase, code):
    out = tmp_path / "r.md"
    result = cli("export", course_journal, "--format", "md", "--out", out, passphrase=passphrase)
    assert result.code == code
    assert not out.exists()
    assert PASS not in result.err


def test_a_password_is_only_for_pdf(cli, course_journal, tmp_path):
    secret = tmp_path / "pw.txt"
    secret.write_text("hunter2-pdf\n")
    result = cli("export", course_journal, "--format", "md", "--out", tmp_path / "r.md",
                 "--pdf-password-file", secret)
    assert result.code == 2
    assert "hunter2" not in result.err


def test_import_refuses_foreign_and_newer_files(cli, course_journal, tmp_path):
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"hello": "world"}')
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "integration-journal", "version": 7, "entries": []}')
    before = Snapshot.of(course_journal)
    assert cli("import", course_journal, foreign).code == 1
    assert cli("import", course_journal, newer).code == 6
    assert cli("import", course_journal, tmp_path / "missing.json").code == 1
    before.assert_unchanged(course_journal)


def test_an_unwritable_output_folder_exits_7(cli, course_journal, tmp_path):
    from tests.unit.cli.support import read_only_folder

    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only_folder(folder):
        result = cli("export", course_journal, "--format", "md", "--out", folder / "r.md")
    assert result.code == 7
    assert list(folder.iterdir()) == []


def _shown_entry_id(path) -> int:
    """An entry the default report includes (not private)."""
    from journal_app.storage.repository import JournalRepository
    from journal_app.storage.vault import Secret, Vault

    with Vault.open(path, Secret(passphrase=PASS), lock=False) as vault:
        entries = JournalRepository(vault.db).list_entries(include_private=True)
    return next(e.id for e in entries if not e.private and e.id is not None)


def test_pictures_are_in_the_report_and_voice_notes_only_when_asked(cli, course_journal,
                                                                     tmp_path):
    from tests.helpers.attachment_files import png, wav

    entry_id = _shown_entry_id(course_journal)
    (tmp_path / "seen.png").write_bytes(png(40, 30))
    (tmp_path / "said.wav").write_bytes(wav(1.0))
    for name in ("seen.png", "said.wav"):
        assert cli("attach", course_journal, str(entry_id), tmp_path / name).code == 0
    html, md = tmp_path / "report.html", tmp_path / "report.md"
    assert cli("export", course_journal, "--format", "html", "--out", html).code == 0
    assert cli("export", course_journal, "--format", "md", "--out", md).code == 0
    page = html.read_text(encoding="utf-8")
    assert page.count('<div class="picture"><img src="data:image/png;base64,') == 1
    assert "<audio" not in page
    assert "[Picture attached]" in md.read_text(encoding="utf-8")
    assert cli("export", course_journal, "--format", "html", "--out", html,
               "--include-voice-notes").code == 0
    assert 'src="data:audio/wav;base64,' in html.read_text(encoding="utf-8")
