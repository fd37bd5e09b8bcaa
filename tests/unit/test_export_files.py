"""Report files are written atomically, owner-only, in the target folder; a cancel or a
failure leaves no file (and an existing one unchanged)."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest

from journal_app.atomic import TEMP_MARK
from journal_app.domain.report import ReportRequest, select_report
from journal_app.errors import WriteFailedError
from journal_app.export.progress import Cancelled, Progress
from journal_app.export.service import ReportFormat, export_report
from journal_app.storage.report_source import gather_from
from tests.helpers.report_journal import INTENTIONS, course_database
from tests.unit.cli.support import read_only_folder


@pytest.fixture(scope="module")
def data():
    db, _course = course_database()
    yield select_report(gather_from(db), ReportRequest())
    db.close()


@pytest.fixture
def permissive_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if TEMP_MARK in p.name]


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_reports_are_owner_only(tmp_path, data, fmt, permissive_umask):
    out = tmp_path / f"report.{fmt}"
    export_report(data, fmt, out)
    assert _mode(out) == 0o600
    assert INTENTIONS[0] in out.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


def test_replacing_a_readable_file_makes_it_owner_only(tmp_path, data, permissive_umask):
    out = tmp_path / "report.md"
    out.write_text("old")
    out.chmod(0o644)
    export_report(data, ReportFormat.MARKDOWN, out)
    assert _mode(out) == 0o600
    assert out.read_text(encoding="utf-8") != "old"


def test_nothing_goes_through_the_temp_folder(tmp_path, data, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = tmp_path / "out"
    target.mkdir()
    export_report(data, ReportFormat.HTML, target / "report.html")
    assert list(scratch.iterdir()) == []
    assert [p.name for p in target.iterdir()] == ["report.html"]


def _cancel_after(steps: int) -> Progress:
    seen = {"n": 0}

    def cancelled() -> bool:
        seen["n"] += 1
        return seen["n"] > steps

    return Progress(cancelled=cancelled)


@pytest.mark.parametrize("steps", [0, 5, 60])
def test_cancel_leaves_no_file(tmp_path, data, steps):
    out = tmp_path / "report.html"
    with pytest.raises(Cancelled):
        export_report(data, ReportFormat.HTML, out, progress=_cancel_after(steps))
    assert list(tmp_path.iterdir()) == []


def test_cancel_at_the_last_moment_keeps_the_old_file(tmp_path, data):
    out = tmp_path / "report.md"
    out.write_text("the earlier report")
    flag = {"stop": False}
    progress = Progress(callback=lambda done, total, stage: flag.update(
        stop=stage == "Writing Markdown" and done == total), cancelled=lambda: flag["stop"])
    with pytest.raises(Cancelled):
        export_report(data, ReportFormat.MARKDOWN, out, progress=progress)
    assert out.read_text() == "the earlier report"
    assert _leftovers(tmp_path) == []


def test_progress_is_reported_up_to_the_end(tmp_path, data):
    seen: list[tuple[int, int, str]] = []
    export_report(data, ReportFormat.JSON, tmp_path / "r.json",
                  progress=Progress(callback=lambda d, t, s: seen.append((d, t, s))))
    assert seen[-1][0] == seen[-1][1] > 0


def test_a_read_only_folder_is_a_clear_failure(tmp_path, data):
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only_folder(folder), pytest.raises(WriteFailedError) as caught:
        export_report(data, ReportFormat.MARKDOWN, folder / "report.md")
    assert caught.value.exit_code == 7
    assert "permission" in caught.value.message
    assert list(folder.iterdir()) == []
