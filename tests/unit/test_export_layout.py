"""The report stays readable: daily ratings don't flood the score table, and headings
inside what the person wrote sit below the report's own headings."""

from __future__ import annotations

import datetime as dt
import re

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.measures import load_measures
from journal_app.domain.report import ReportRequest, select_report
from journal_app.export.builder import build_document
from journal_app.export.document import Table
from journal_app.export.html import render_html
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.database import Database
from journal_app.storage.report_source import gather_from
from journal_app.storage.repository import JournalRepository

TZ = dt.UTC
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def _journal() -> Database:
    db = Database()
    db.migrate()
    measures = load_measures()
    check_ins = CheckInRepository(db)
    for week in range(3):
        check_ins.add(measures["phq9"].new_check_in([1] * 8 + [0],
                                                    taken_at=START + dt.timedelta(weeks=week)))
    for day in range(20):  # daily mood, also after the last PHQ-9
        check_ins.add(measures["mood"].new_check_in([4 + day % 3],
                                                    taken_at=START + dt.timedelta(days=day)))
    JournalRepository(db).add_entry(Entry(EntryKind.FREE, "A page", "# Big heading\n\ntext",
                                          created_at=START))
    return db


def test_score_table_has_a_row_per_questionnaire_day_with_mood_averaged():
    db = _journal()
    data = select_report(gather_from(db), ReportRequest())
    table = next(b for b in build_document(data).blocks
                 if isinstance(b, Table) and b.headers[0] == "Date")
    assert len(table.rows) == 4, "three PHQ-9 days and one row for the later mood ratings"
    mood_column = next(i for i, h in enumerate(table.headers) if "average" in h)
    cells = [row[mood_column].text for row in table.rows]
    assert cells[0] == "4.0 (1 rating)"  # only the first day's rating so far
    assert cells[1].endswith("(7 ratings)")
    assert sum(int(re.search(r"\((\d+) rating", c).group(1)) for c in cells) == 20
    db.close()


def test_user_headings_are_demoted_below_the_report_headings():
    db = _journal()
    html = render_html(build_document(select_report(gather_from(db), ReportRequest())))
    body = html[html.index("A page"):]
    assert "<h1>Big heading</h1>" not in body
    assert re.search(r"<h4>Big heading</h4>", body)
    db.close()
