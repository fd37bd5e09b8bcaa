"""Journal text never drives the terminal (issue 14): a quick note anyone can write
without the passphrase must not clear the screen, set the clipboard (OSC 52) or disguise
text with bidi overrides when ``list``, ``show``, ``search``... print it. Text output
replaces control characters with a visible placeholder; JSON escapes them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from journal_app.cli import care as cli_care
from journal_app.cli import output as cli_output
from journal_app.cli import scores as cli_scores
from journal_app.domain.timeline import Phase, StepStatus, TimelineItem

CLEAR = "\x1b[2J"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
C1_CSI = "\x9b2J"
BIDI = "\u202e"
HOSTILE = f"calm{CLEAR}walk{OSC52}by{C1_CSI}the{BIDI}sea\x7f\x08\r"

#: What a terminal could act on: C0 controls but newline and tab, DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _safe(text: str) -> None:
    assert UNSAFE.search(text) is None, repr(text)


def _add_hostile(cli, journal: Path) -> None:
    result = cli("add", journal, "--title", f"T {HOSTILE}", "--tag", "walk",
                 stdin=f"Body {HOSTILE}\nsecond line")
    assert result.code == 0, result.err


# --------------------------------------------------------------------------- the function


@pytest.mark.parametrize("danger", [CLEAR, OSC52, C1_CSI, BIDI, "\x1bc", "\x1bP1$r\x1b\\",
                                    "\x07", "\x00", "\x7f", "\x85", "\u2066", "\u2069", "\r"])
def test_terminal_text_leaves_nothing_a_terminal_acts_on(danger):
    shown = cli_output.terminal_text(f"before{danger}after")
    _safe(shown)
    assert shown.startswith("before")
    assert shown.endswith("after")


def test_terminal_text_keeps_newlines_tabs_and_ordinary_unicode():
    text = "Zeile 1\n\tSchöne Grüße — 良い 🙂 שלום\nline 3"
    assert cli_output.terminal_text(text) == text


def test_a_control_sequence_leaves_a_visible_mark():
    assert cli_output.PLACEHOLDER in cli_output.terminal_text(f"a{CLEAR}b")
    assert cli_output.PLACEHOLDER in cli_output.terminal_text(f"a{C1_CSI}b")


def test_windows_line_endings_are_just_line_ends():
    assert cli_output.terminal_text("one\r\ntwo") == "one\ntwo"


def test_json_text_escapes_c1_del_and_bidi_and_reads_back_the_same():
    value = {"title": HOSTILE, "tags": ["x\u2067y"]}
    text = cli_output.json_text(value)
    _safe(text)
    assert json.loads(text) == value


# --------------------------------------------------------------------------- the verbs


def test_list_prints_no_control_sequences(cli, journal):
    _add_hostile(cli, journal)
    result = cli("list", journal)
    assert result.code == 0, result.err
    _safe(result.out)
    assert "calm" in result.out and "sea" in result.out


def test_show_prints_no_control_sequences_in_title_or_body(cli, journal):
    _add_hostile(cli, journal)
    result = cli("show", journal, "1")
    assert result.code == 0, result.err
    _safe(result.out)
    assert "second line" in result.out  # the body's own lines stay lines
    assert result.out.count(cli_output.PLACEHOLDER) >= 8


def test_search_prints_no_control_sequences(cli, journal):
    _add_hostile(cli, journal)
    result = cli("search", journal, "Body")
    assert result.code == 0, result.err
    _safe(result.out)
    assert "1" in result.out


@pytest.mark.parametrize("verb", [("list",), ("show", "1"), ("search", "Body")])
def test_json_output_carries_the_text_exactly_but_escaped(cli, journal, verb):
    _add_hostile(cli, journal)
    result = cli(verb[0], journal, *verb[1:], "--json")
    assert result.code == 0, result.err
    _safe(result.out)
    data = json.loads(result.out)
    entry = data.get("entry") or (data.get("entries") or data["results"])[0]
    assert entry["title"] == f"T {HOSTILE}"


def test_sessions_print_no_control_sequences_from_the_provider(cli, journal):
    result = cli("session", "add", journal, "--date", "2026-03-02T10:00+01:00",
                 "--provider", f"Dr {HOSTILE}")
    assert result.code == 0, result.err
    result = cli("sessions", journal)
    assert result.code == 0, result.err
    _safe(result.out)
    assert "Dr calm" in result.out


def test_due_prints_no_control_sequences(cli, journal, monkeypatch):
    assert cli("session", "add", journal, "--date", "2026-03-02T10:00+01:00").code == 0

    def hostile_items(sessions, _records, at):
        return [TimelineItem(sessions[0].id, "reflect", Phase.INTEGRATION, f"Step {HOSTILE}",
                             StepStatus.DUE, at, at, None)]

    monkeypatch.setattr(cli_care, "due_items", hostile_items)
    result = cli("due", journal)
    assert result.code == 0, result.err
    _safe(result.out)
    assert "Step calm" in result.out


def test_scores_and_the_safety_text_print_no_control_sequences(cli, journal, monkeypatch):
    monkeypatch.setattr(cli_scores, "safety_text", lambda _res: f"Call {HOSTILE}")
    assert cli("checkin", journal, "phq9", "--answers", "1,1,1,1,1,1,1,1,1").code == 0
    result = cli("scores", journal)
    assert result.code == 0, result.err
    _safe(result.out + result.err)
    assert "Call calm" in result.err


def test_error_messages_quoting_a_file_name_print_no_control_sequences(cli, tmp_path):
    result = cli("list", tmp_path / f"gone{CLEAR}{OSC52}.ijournal")
    assert result.code != 0
    _safe(result.err)
    assert "gone" in result.err
