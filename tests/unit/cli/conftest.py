"""Fixtures of the command-line tests: the in-process runner and the journals it runs on.
The helpers behind them (CliRunner, make_journal, Snapshot...) are in support.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.report_journal import make_course_journal
from tests.unit.cli.support import CliRunner, make_journal


@pytest.fixture
def cli(monkeypatch, capsys) -> CliRunner:
    """``cli("list", path)`` runs ``journal_app.cli.main`` in-process, passphrase PASS."""
    return CliRunner(monkeypatch, capsys)


@pytest.fixture
def journal(tmp_path) -> Path:
    """A new, empty journal (fast KDF) whose passphrase is PASS."""
    return make_journal(tmp_path / "mine.ijournal")[0]


@pytest.fixture
def course_journal(tmp_path) -> Path:
    """A journal holding the course the report tests use (tests/helpers/report_journal.py)."""
    path = tmp_path / "course.ijournal"
    make_course_journal(path)
    return path
