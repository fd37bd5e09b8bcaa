"""Every text format (Markdown, HTML, JSON) carries sessions, scores with bands, safety
flags and the chosen entries, and leaves out private and unticked entries."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from journal_app.domain.report import ReportRequest, select_report
from journal_app.export.service import ReportFormat, render_report
from journal_app.storage.report_source import gather_from
from tests.helpers.report_journal import (
    INTENTIONS,
    PRIVATE_CANARY,
    STOOD_OUT,
    UNLINKED_TITLE,
    course_database,
)

UNTICKED_TITLE = "Three days after session 2"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def report():
    db, _made = course_database()
    inputs = gather_from(db)
    unticked = next(e.id for e in inputs.entries if e.title == UNTICKED_TITLE)
    data = select_report(inputs, ReportRequest(excluded_entry_ids=frozenset({unticked}),
                                               patient_name="Sam R."))
    yield data
    db.close()


@pytest.fixture(scope="module")
def texts(report):
    md = render_report(report, ReportFormat.MARKDOWN).decode("utf-8")
    page = visible_text(render_report(report, ReportFormat.HTML).decode("utf-8"))
    return {"md": " ".join(md.replace("\\", "").split()), "html": page}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_readable_formats_carry_the_course_scores_flags_and_entries(texts, fmt):
    text = texts[fmt]
    # Course of treatment: each session with its date and modality.
    for day in ("3 Mar 2026, 10:00", "17 Mar 2026, 10:00", "31 Mar 2026, 10:00"):
        assert day in text
    assert "IV infusion" in text
    # Scores with their bands, and the band limits.
    assert "19 (moderately severe)" in text and "7 (mild)" in text
    assert "15 (severe)" in text  # GAD-7 baseline
    assert "10–14 moderate" in text
    # The safety flag, with its date and the item.
    assert "10 Mar 2026, 09:00" in text
    assert "Item 9: Thoughts that you would be better off dead" in text
    assert "SAFETY: item 9 above 0" in text
    # Intention beside what happened, and the chosen entries with their questions.
    for intention in INTENTIONS:
        assert intention in text
    assert STOOD_OUT[2] in text
    assert "Looking back today, what stands out most from the session?" in text
    assert UNLINKED_TITLE in text
    assert "Sam R." in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_readable_formats_leave_out_private_and_unticked_entries(texts, fmt):
    assert PRIVATE_CANARY not in texts[fmt]
    assert "Not for sharing" not in texts[fmt]
    assert UNTICKED_TITLE not in texts[fmt]


def test_json_carries_sessions_check_ins_flags_and_entries(report):
    doc = json.loads(render_report(report, ReportFormat.JSON))
    assert (doc["format"], doc["version"]) == ("integration-journal", 1)
    assert [s["number"] for s in doc["sessions"]] == [1, 2, 3]
    assert doc["sessions"][0]["modality"] == "iv-infusion"
    phq9 = [c for c in doc["check_ins"] if c["measure"] == "phq9"]
    assert [c["total"] for c in phq9][:3] == [19, 17, 16]
    assert phq9[0]["band"] == "moderately severe"
    assert [c["safety_flag"] for c in phq9].count(True) == 1
    [flag] = doc["safety_flags"]
    assert flag["taken_at"].startswith("2026-03-10T09:00:00")
    assert flag["items"] == [{"number": 9, "value": 1, "label": "Several days"}]
    entry = doc["entries"][0]
    assert {"id", "uid", "kind", "title", "body", "tags", "private", "created_at",
            "updated_at", "session_id", "session_uid", "answers"} <= entry.keys()
    assert entry["created_at"].endswith("-05:00")
    assert entry["answers"][0]["question"].startswith("What would you like to understand")
    titles = [e["title"] for e in doc["entries"]]
    assert UNTICKED_TITLE not in titles and "Not for sharing" not in titles
    assert PRIVATE_CANARY not in json.dumps(doc)


def test_a_report_without_data_still_says_so():
    from journal_app.domain.report import ReportInputs

    data = select_report(ReportInputs(), ReportRequest())
    md = render_report(data, ReportFormat.MARKDOWN).decode("utf-8")
    assert "No treatment sessions are recorded in this period." in md
    assert "No entries were chosen for this report." in md


def test_only_pdf_takes_a_password(report):
    from journal_app.errors import UsageError

    with pytest.raises(UsageError):
        render_report(report, ReportFormat.HTML, password="secret")


def test_the_first_lines_sum_up_course_scores_and_safety(texts):
    md = texts["md"]
    glance = md[md.index("At a glance"):md.index("Safety answers")]
    assert "3 (IV infusion), 3 Mar 2026 – 31 Mar 2026" in glance
    assert "PHQ-9 19 → 7 (moderately severe → mild; −63 %, response)" in glance
    assert "GAD-7 15 → 6 (severe → mild; −60 %)" in glance
    assert "PHQ-9 item 9 above 0 on 10 Mar 2026" in glance


def test_a_single_check_in_is_not_called_a_change():
    import datetime as dt

    from journal_app.domain.measures import CheckIn, load_measures
    from journal_app.domain.report import ReportInputs
    from journal_app.export.builder import build_document
    from journal_app.export.markdown import render_markdown

    when = dt.datetime(2026, 3, 1, 9, 0).astimezone()
    inputs = ReportInputs(check_ins=[CheckIn("gad7", (1, 1, 1, 1, 1, 1, 0), taken_at=when,
                                             id=1)], measures=load_measures())
    md = render_markdown(build_document(select_report(inputs, ReportRequest())))
    assert "GAD-7 6 (mild), one check-in" in md
    assert "→" not in md
