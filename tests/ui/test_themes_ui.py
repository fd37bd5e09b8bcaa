"""Themes across sessions in the GUI: the Look back tabs on a ten-session course, the
"Include private entries" box, and the report's off-by-default section (preview and PDF)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.prompts import PromptAnswer, default_library, render_markdown
from journal_app.domain.themes import ThemePart
from journal_app.export.service import ReportFormat
from journal_app.storage.care import PromptAnswerRepository
from journal_app.storage.vault import Vault
from journal_app.ui.dialogs.export_dialog import ExportDialog
from journal_app.ui.pages.lookback import LookBackPage
from journal_app.ui.shell.open_journal import OpenJournal
from tests.conftest import FAST_KDF
from tests.helpers import report_journal as rj

PRIVATE_INTENTION = "PRIVATECANARY intention, only for me"


@pytest.fixture
def journal(tmp_path):
    vault, _key = Vault.create(tmp_path / "ten.ijournal", "calm river stone", kdf=FAST_KDF)
    journal = OpenJournal(vault)
    course = rj.populate_ten_sessions(vault.db)
    # A private preparation entry, newer than session 10's own: its intention would win.
    last = course.sessions[-1]
    given = [PromptAnswer.of(default_library().get("intention"), PRIVATE_INTENTION)]
    when = last.starts_at - dt.timedelta(hours=2)
    entry = journal.repo.add_entry(Entry(EntryKind.PREPARATION, "", render_markdown(given),
                                         private=True, created_at=when, updated_at=when,
                                         session_id=last.id))
    PromptAnswerRepository(vault.db).save_answers(entry.id, given)
    yield journal
    journal.close()


@pytest.fixture
def page(qtbot, journal):
    widget = LookBackPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    with qtbot.waitSignal(widget.themes_shown, timeout=10_000):
        widget.attach(journal)
        widget.show()
    return widget


def shown_text(page: LookBackPage) -> str:
    """Everything the page says in words: the tabs' lists and the intentions table (each
    tab chosen, as the person would to read it)."""
    parts = []
    for tab in (page.phrases, page.emotions):
        page.tabs.setCurrentWidget(tab)
        parts.append(tab.details.text())
    page.tabs.setCurrentIndex(0)
    model = page.model
    parts += [str(model.index(r, c).data()) for r in range(model.rowCount())
              for c in range(model.columnCount())]
    return "\n".join(parts)


def test_what_keeps_coming_up_lists_the_planted_themes_in_order(page):
    assert page.tabs.currentWidget() is page.phrases and page.phrases.has_chart
    text = page.phrases.details.text()
    positions = [text.index(f"<b>{p}</b>") for p in ("my father", "the ocean", "breathing")]
    assert positions == sorted(positions)
    assert "after 6 of 10 sessions (1, 2, 4, 5, 7, 9)" in text
    assert "therapist" not in text and "session</b>" not in text
    bars = page.phrases.chart.chart().series()[0].barSets()[0]
    assert [bars.at(i) for i in range(bars.count())] == [2.0, 3.0, 4.0, 6.0]  # bottom up


def test_emotions_mood_and_scores_have_charts(page):
    assert not page.emotions.has_chart, "built when its tab is first chosen, not before"
    page.tabs.setCurrentWidget(page.emotions)
    page.tabs.setCurrentIndex(page.tabs.count() - 1)
    assert page.emotions.has_chart and page.mood.has_chart and page.scores.has_chart
    assert "<b>Calm</b>: 6 evenings (sessions 1, 2, 5, 7, 8, 10)" in page.emotions.details.text()
    assert "<b>Hopeful</b>: 1 evening (session 10)" in page.emotions.details.text()
    names = [s.name() for s in page.mood.chart.chart().series()]
    assert names == ["Before the session", "The evening after"]
    assert [s.name() for s in page.scores.chart.chart().series()] == ["PHQ-9"]


def test_private_entries_stay_off_the_page_unless_included(qtbot, page):
    assert not page.private_box.isChecked()
    text = shown_text(page)
    assert rj.TEN_PRIVATE_PHRASE not in text and "PRIVATECANARY" not in text
    assert "privatecanary" not in text
    assert rj.TEN_INTENTIONS[10] in text
    with qtbot.waitSignal(page.themes_shown, timeout=10_000):
        page.private_box.setChecked(True)
    text = shown_text(page)
    assert f"the {rj.TEN_PRIVATE_PHRASE}" in text and PRIVATE_INTENTION in text
    page.detach()
    assert not page.private_box.isChecked() and page.themes is None
    assert page.model.rowCount() == 0 and not page.phrases.has_chart
    assert page.phrases.details.text() == ""


def test_a_count_that_arrives_after_a_lock_is_dropped(qtbot, journal):
    widget = LookBackPage()
    qtbot.addWidget(widget)
    widget.attach(journal)
    widget.show()  # the count starts on a worker
    widget.detach()
    qtbot.wait(300)
    assert widget.themes is None and not widget.phrases.has_chart


def test_an_empty_journal_says_what_will_appear(qtbot, tmp_path):
    vault, _key = Vault.create(tmp_path / "empty.ijournal", "calm river stone", kdf=FAST_KDF)
    journal = OpenJournal(vault)
    widget = LookBackPage()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.themes_shown, timeout=10_000):
        widget.attach(journal)
        widget.show()
    for tab in (widget.phrases, widget.emotions, widget.mood, widget.scores):
        assert not tab.has_chart and not tab.empty.isHidden()
    widget.detach()
    journal.close()


# ---------------------------------------------------------------------------- the report


@pytest.fixture
def dialog(qtbot, journal):
    widget = ExportDialog(journal.data.report_inputs(), patient_name="Sam R.")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def preview(dialog: ExportDialog) -> str:
    dialog.refresh_preview()
    return " ".join(dialog.preview.toPlainText().split())


def test_the_report_section_is_off_until_ticked(dialog):
    filters = dialog.filters
    assert not filters.themes.isChecked()
    assert dialog.report_data().request.theme_parts == frozenset()
    assert "Themes across sessions" not in preview(dialog)
    filters.themes.setChecked(True)
    assert dialog.report_data().request.theme_parts == frozenset(ThemePart)
    text = preview(dialog)
    assert "Themes across sessions" in text
    assert text.index("my father") < text.index("the ocean") < text.index("breathing")
    filters.theme_parts[ThemePart.PHRASES].setChecked(False)
    assert "What keeps coming up" not in preview(dialog)
    assert "written while locked" in text


pdf_tools = pytest.mark.skipif(shutil.which("pdftotext") is None,
                               reason="poppler-utils (pdftotext) is not installed")


@pdf_tools
def test_the_pdf_has_the_section_only_when_ticked(dialog, tmp_path, qtbot):
    from tests.ui.test_export_pdf import pdf_text

    def export(name: str) -> str:
        out = tmp_path / name
        with qtbot.waitSignal(dialog.exported, timeout=20_000):
            dialog.start_export(out, ReportFormat.PDF)
        return pdf_text(out)

    plain = export("plain.pdf")
    assert "Themes across sessions" not in plain and "written while locked" in plain
    dialog.filters.themes.setChecked(True)
    ticked = export("themes.pdf")
    assert "Themes across sessions" in ticked and "6 of 10" in ticked
    assert rj.TEN_PRIVATE_PHRASE not in ticked and "PRIVATECANARY" not in ticked


def test_themes_are_counted_a_little_at_a_time_without_reading_everything(qtbot, journal,
                                                                          monkeypatch):
    """The page reads the journal in small pieces between events: never the export's
    whole read, and never a long hold of the window (a save or typing goes on meanwhile)."""
    monkeypatch.setattr(type(journal.data), "report_inputs",
                        lambda self: pytest.fail("the whole journal was read at once"))
    steps = []
    original = journal.lookback.count_themes

    def watched(*args, **kwargs):
        inner = original(*args, **kwargs)

        def run():
            while True:
                try:
                    next(inner)
                except StopIteration as done:
                    return done.value
                steps.append(1)
                yield
        return run()

    monkeypatch.setattr(journal.lookback, "count_themes", watched)
    widget = LookBackPage()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.themes_shown, timeout=10_000):
        widget.attach(journal)
        widget.show()
    assert widget.themes is not None and widget.themes.phrases
    assert len(steps) > 3


def test_intention_rows_are_measured_a_few_at_a_time(qtbot, journal, monkeypatch):
    """Wrapped rows are measured in view first, then a few at a time: thousands of
    sessions' rows measured in one go held the window for seconds."""
    widget = LookBackPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    monkeypatch.setattr(widget.table, "resizeRowsToContents",
                        lambda: pytest.fail("every row measured at once"))
    measured = []
    original = widget.table.resizeRowToContents
    monkeypatch.setattr(widget.table, "resizeRowToContents",
                        lambda row: (measured.append(row), original(row)))
    with qtbot.waitSignal(widget.themes_shown, timeout=10_000):
        widget.attach(journal)
        widget.show()
    widget.tabs.setCurrentIndex(2)
    rows = widget.model.rowCount()
    qtbot.waitUntil(lambda: set(measured) >= set(range(rows)), timeout=5_000)
    assert rows >= 10
