"""The journal list marks quick notes as written while locked (issue 14): anyone at the
computer can write one without the passphrase, so the list says where it came from."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from journal_app.domain.entities import EntryHead, EntryKind
from journal_app.ui.models.entry_model import EntryListModel

WHEN = dt.datetime(2026, 3, 2, 21, 4, tzinfo=dt.UTC)


def _model(*kinds: EntryKind) -> EntryListModel:
    model = EntryListModel()
    model.set_entries([EntryHead(id=n + 1, kind=kind, title=f"Entry {n}", body_start="",
                                 created_at=WHEN) for n, kind in enumerate(kinds)])
    return model


def _data(model: EntryListModel, row: int, role: Qt.ItemDataRole) -> str:
    return str(model.data(model.index(row), role) or "")


def test_a_quick_note_is_marked_written_while_locked(qapp):
    model = _model(EntryKind.QUICK_CAPTURE, EntryKind.FREE)
    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                 Qt.ItemDataRole.AccessibleTextRole):
        assert "written while locked" in _data(model, 0, role).lower(), role
        assert "written while locked" not in _data(model, 1, role).lower(), role


def test_a_private_quick_note_says_both(qapp):
    model = EntryListModel()
    model.set_entries([EntryHead(id=1, kind=EntryKind.QUICK_CAPTURE, title="x",
                                 body_start="", created_at=WHEN, private=True)])
    tip = _data(model, 0, Qt.ItemDataRole.ToolTipRole).lower()
    assert "private" in tip
    assert "written while locked" in tip
