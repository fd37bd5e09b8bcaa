"""The search page driven like a person would: type, read the results, filter, open."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.practices import Practice, PracticeDomain
from journal_app.domain.search import MARK_END, MARK_START, PRACTICE_KIND
from journal_app.storage.care import PracticeRepository
from journal_app.storage.vault import Vault
from journal_app.ui.dialogs.tags_dialog import TagsDialog
from journal_app.ui.models.search_model import HtmlRole, SearchResultModel
from journal_app.ui.pages.search_page import SearchPage
from journal_app.ui.shell.open_journal import OpenJournal
from journal_app.ui.widgets.tag_completer import TagCompleter
from tests.conftest import FAST_KDF

CET = dt.timezone(dt.timedelta(hours=1))


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, tzinfo=CET)


@pytest.fixture
def journal(tmp_path):
    vault, _key = Vault.create(tmp_path / "search.ijournal", "calm river stone", kdf=FAST_KDF)
    journal = OpenJournal(vault)
    repo = journal.repo
    session = repo.add_session(TreatmentSession(starts_at=at(1, 9), number=3))

    def add(title, body, day, **fields):
        return repo.add_entry(Entry(title=title, body=body, created_at=at(day),
                                    updated_at=at(day), **{"kind": EntryKind.FREE, **fields}))

    journal.ids = {
        "sea": add("The sea", "An image of the ocean, wide and calm.", 2,
                   kind=EntryKind.INTEGRATION, tags=("grief", "ocean"), session_id=session.id),
        "note": add("", "Right after: the ocean, so big.", 3, kind=EntryKind.QUICK_CAPTURE,
                    tags=("quick capture",)),
        "forest": add("Forest <walk>", "Moss & trees, no water at all.", 4, tags=("grief",)),
        "private": add("Mine", "The ocean at night, only for me.", 5, private=True),
    }
    PracticeRepository(vault.db).add_practice(Practice(
        PracticeDomain.NATURE, "Sit by the ocean once this week", session_id=session.id,
        chosen_at=at(4, 13)))
    yield journal
    journal.close()


@pytest.fixture
def page(qtbot, journal):
    page = SearchPage()
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.attach(journal)
    page.show()
    qtbot.waitExposed(page)
    return page


def shown(page: SearchPage) -> list[str]:
    return [page.model.title(page.model.result_at(r)) for r in range(page.model.rowCount())]


def type_query(qtbot, page: SearchPage, text: str) -> None:
    """Type ``text``: key presses for ASCII, an input method's commit for the rest (as a
    Japanese or emoji keyboard delivers it; QTest can only press ASCII keys)."""
    page.field.clear()
    if text.isascii():
        qtbot.keyClicks(page.field, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(page.field, event)
    assert page.field.text() == text
    qtbot.waitUntil(lambda: not page._settle.isActive(), timeout=2_000)


def test_typing_shows_results_with_highlighted_snippets(qtbot, page, monkeypatch):
    searches = []
    real_find = page.service.find
    monkeypatch.setattr(page.service, "find",
                        lambda *a, **k: searches.append(a[0].text) or real_find(*a, **k))
    qtbot.keyClicks(page.field, "ocean")
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=2_000)
    assert searches == ["ocean"], "typing is debounced: one search for the whole word"
    assert page.status.text() == "4 results"
    assert set(shown(page)) == {"Sit by the ocean once this week", "The sea",
                                "Right after: the ocean, so big.", "Mine"}
    sea = page.model.result_at(shown(page).index("The sea"))
    html = page.model.index(shown(page).index("The sea")).data(HtmlRole)
    assert "An image of the <b>ocean</b>, wide and calm." in html
    assert MARK_START not in html and MARK_END not in html
    assert MARK_START in sea.snippet


def test_journal_text_is_escaped_in_results(qtbot, page):
    type_query(qtbot, page, "walk")
    (title,) = shown(page)
    html = page.model.index(0).data(HtmlRole)
    assert "Forest &lt;<b>walk</b>&gt;" in html and "<walk>" not in html
    assert "Moss &amp; trees" in html
    assert title == "Forest <walk>"


def test_filters_narrow_the_results_and_work_alone(qtbot, page, journal):
    type_query(qtbot, page, "ocean")
    page.kind.setCurrentIndex(page.kind.findData(EntryKind.QUICK_CAPTURE.value))
    assert shown(page) == ["Right after: the ocean, so big."]
    page.kind.setCurrentIndex(page.kind.findData(PRACTICE_KIND))
    assert shown(page) == ["Sit by the ocean once this week"]
    page.kind.setCurrentIndex(0)
    page.private.setCurrentIndex(page.private.findData(False))
    assert "Mine" not in shown(page)
    page.private.setCurrentIndex(page.private.findData(True))
    assert shown(page) == ["Mine"]
    page.clear_filters()
    assert len(shown(page)) == 4
    assert not page.clear_filters_button.isVisible()

    page.field.clear()
    page.tag.setCurrentIndex(page.tag.findData("grief"))  # no words, only a tag
    assert sorted(shown(page)) == ["Forest <walk>", "The sea"]
    assert page.clear_filters_button.isVisible()
    page.session.setCurrentIndex(page.session.findData(journal.repo.list_sessions()[0].id))
    assert shown(page) == ["The sea"]


def test_dates_between(qtbot, page):
    type_query(qtbot, page, "ocean")
    page.period.setCurrentIndex(page.period.findData(4))  # between dates
    assert page.date_from.isVisible() and page.date_to.isVisible()
    page.date_from.setDate(at(3).date())
    page.date_to.setDate(at(4).date())
    assert shown(page) == ["Sit by the ocean once this week", "Right after: the ocean, so big."]


def test_opening_a_result_asks_for_its_entry(qtbot, page, journal):
    type_query(qtbot, page, "calm")
    assert shown(page) == ["The sea"]
    with qtbot.waitSignal(page.entry_open_requested, timeout=2_000) as opened:
        qtbot.keyClick(page.field, Qt.Key.Key_Return)
    assert opened.args == [journal.ids["sea"].id]
    qtbot.keyClick(page.field, Qt.Key.Key_Down)
    assert page.results.hasFocus()
    with qtbot.waitSignal(page.entry_open_requested, timeout=2_000) as opened:
        qtbot.keyClick(page.results, Qt.Key.Key_Return)
    assert opened.args == [journal.ids["sea"].id]


def test_a_practice_without_an_entry_asks_for_the_practice(qtbot, page):
    type_query(qtbot, page, "sit by")
    with qtbot.waitSignal(page.practice_open_requested, timeout=2_000) as opened:
        qtbot.keyClick(page.field, Qt.Key.Key_Return)
    assert opened.args[0] == page.model.result_at(0).practice.id


def test_odd_queries_say_something_calm(qtbot, page):
    for query in ('"', "-", "*", "a:b", "NOT", "🌊", "日本語", "(", '"ocean'):
        type_query(qtbot, page, query)
        assert page.status.text()
    type_query(qtbot, page, "o")
    assert page.status.text() == "Keep typing…"
    type_query(qtbot, page, "海")
    assert page.status.text().startswith("Nothing found")
    type_query(qtbot, page, "zebra")
    assert page.status.text().startswith("Nothing found")


def test_ctrl_f_focus_and_lock_forgets_everything(qtbot, page):
    type_query(qtbot, page, "ocean")
    assert page.field.isUndoAvailable()
    page.window().activateWindow()
    page.focus_search()
    qtbot.waitUntil(page.field.hasFocus, timeout=2_000)
    assert page.field.selectedText() == "ocean"
    page.detach()
    assert page.field.text() == "" and page.model.rowCount() == 0
    assert not page.field.isUndoAvailable(), "Ctrl+Z must not bring the words back"
    assert page.tag.count() == 0 and page.session.count() == 0


def test_the_result_model_passes_the_model_tester(qtbot, qtmodeltester, journal):
    for n in range(50):  # more than one batch
        journal.repo.add_entry(Entry(kind=EntryKind.FREE, title=f"Day {n}",
                                     body="ocean " * (n + 1), created_at=at(1 + n % 28),
                                     updated_at=at(1 + n % 28)))
    page = SearchPage()
    qtbot.addWidget(page)
    page.attach(journal)
    page.field.setText("ocean")
    page.run_search()
    model: SearchResultModel = page.model
    assert model.total == 54 and model.rowCount() < model.total  # loads in batches
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 54
    qtmodeltester.check(model)


def test_tags_dialog_renames_and_undoes(qtbot, journal, no_modals):
    dialog = TagsDialog(journal.repo)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.names() == ["grief", "ocean", "quick capture"]
    dialog.choose("grief")
    assert dialog.new_name.text() == "grief"
    dialog.new_name.clear()
    qtbot.keyClicks(dialog.new_name, "Sorrow")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert dict(journal.repo.tag_counts()) == {"sorrow": 2, "ocean": 1, "quick capture": 1}
    assert "is now “sorrow” on 2 entries" in dialog.result.text()
    assert dialog.undo_button.isEnabled()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert dict(journal.repo.tag_counts()) == {"grief": 2, "ocean": 1, "quick capture": 1}
    assert not dialog.undo_button.isEnabled()

    dialog.choose("ocean")
    dialog.new_name.setText("grief")
    assert dialog.rename_button.text() == "Merge"
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert [title for title, _text in no_modals] == ["Merge tags"]
    assert dict(journal.repo.tag_counts()) == {"grief": 2, "quick capture": 1}
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert dict(journal.repo.tag_counts()) == {"grief": 2, "ocean": 1, "quick capture": 1}


def test_show_entries_of_a_tag_from_the_dialog(qtbot, page, monkeypatch):
    def pick_and_show(dialog):
        dialog.choose("grief")
        dialog._show_entries()
        return 1

    monkeypatch.setattr(TagsDialog, "exec", pick_and_show)
    with qtbot.assertNotEmitted(page.changed):
        page.open_tags()
    qtbot.waitUntil(lambda: page.tag.currentData() == "grief", timeout=2_000)
    assert sorted(shown(page)) == ["Forest <walk>", "The sea"]


def test_a_rename_in_the_dialog_tells_other_pages_and_refreshes_this_one(qtbot, page,
                                                                       monkeypatch):
    type_query(qtbot, page, "ocean")

    def rename(dialog):
        dialog.choose("grief")
        dialog.new_name.setText("sorrow")
        dialog.rename()
        return 1

    monkeypatch.setattr(TagsDialog, "exec", rename)
    with qtbot.waitSignal(page.changed, timeout=2_000):
        page.open_tags()
    assert page.tag.findData("sorrow") >= 0 and page.tag.findData("grief") < 0
    html = page.model.index(shown(page).index("The sea")).data(HtmlRole)
    assert "#sorrow" in html


def test_tag_completer_completes_the_tag_being_typed(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    completer = TagCompleter(field)
    field.setCompleter(completer)
    completer.set_tags(["grief", "gratitude", "ocean"])
    field.setText("ocean, gr")
    assert completer.splitPath(field.text()) == ["gr"]
    index = completer.model().index(0, 0)
    assert completer.pathFromIndex(index) == "ocean, grief"
    QApplication.processEvents()
