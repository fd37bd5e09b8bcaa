"""The check-in verbs: checkin and scores (cli.md), run in-process through ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.filestore import InstanceLock
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import PASS, Snapshot, read_only_folder

NINE_ONES = "1,1,1,1,1,1,1,1,1"  # PHQ-9 total 9, item 9 above 0
CALM_PHQ9 = "2,2,2,2,2,2,2,2,0"  # total 16, no safety flag


def _choose_country(code: str) -> None:
    """What the GUI's Settings dialog stores when the person picks a country."""
    from journal_app import paths

    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.ini").write_text(f"[General]\ncrisis_country={code}\n",
                                         encoding="utf-8")


@pytest.fixture(autouse=True)
def in_the_us():
    _choose_country("US")  # the US lines below, whatever the machine's locale


def _json(result) -> dict:
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["format"], data["version"]) == ("integration-journal", 1)
    return data


def _stored(journal: Path) -> list:
    with Vault.open(journal, Secret(passphrase=PASS), lock=False) as vault:
        return CheckInRepository(vault.db).list()


# --------------------------------------------------------------------------- checkin


@pytest.mark.parametrize(("answers", "total", "band", "flag"), [
    ("0,0,0,0,0,0,0,0,0", 0, "none/minimal", False),
    ("1,1,1,1,1,0,0,0,0", 5, "mild", False),
    ("2,2,2,2,2,2,2,0,0", 14, "moderate", False),
    ("3,3,3,3,3,3,2,0,0", 20, "severe", False),
    ("0,0,0,0,0,0,0,0,1", 1, "none/minimal", True),
    ("3,3,3,3,3,3,3,3,3", 27, "severe", True),
])
def test_checkin_phq9_json(cli, journal, answers, total, band, flag):
    result = cli("checkin", journal, "phq9", "--answers", answers, "--json",
                 "--date", "2026-03-01T09:00+01:00")
    data = _json(result)
    assert data["measure"] == "phq9"
    assert data["total"] == total
    assert data["band"] == band
    assert data["safety_flag"] is flag
    assert data["taken_at"] == "2026-03-01T09:00:00+01:00"
    [stored] = _stored(journal)
    assert stored.id == data["id"]
    assert stored.answers == tuple(int(a) for a in answers.split(","))
    assert ("988" in result.err) is flag


def test_checkin_item_9_above_0_shows_crisis_resources_on_stderr(cli, journal):
    result = cli("checkin", journal, "phq9", "--answers", "0,0,0,0,0,0,0,0,2")
    assert result.code == 0, result.err
    assert "Safety flag: yes" in result.out
    for text in ("988", "Text HOME to 741741", "911", "Nobody monitors this journal"):
        assert text in result.err
    assert "988" not in result.out  # data on stdout stays data


def test_checkin_shows_the_crisis_lines_of_the_country_chosen_in_the_app(cli, journal):
    _choose_country("GB")
    result = cli("checkin", journal, "phq9", "--answers", NINE_ONES)
    assert result.code == 0, result.err
    assert "116 123" in result.err and "999" in result.err
    assert "988" not in result.err and "741741" not in result.err


def test_checkin_json_with_the_flag_still_shows_resources_on_stderr(cli, journal):
    result = cli("checkin", journal, "phq9", "--answers", NINE_ONES, "--json")
    assert json.loads(result.out)["safety_flag"] is True
    assert "988" in result.err


def test_checkin_without_the_flag_shows_no_resources(cli, journal):
    result = cli("checkin", journal, "phq9", "--answers", CALM_PHQ9)
    assert result.code == 0, result.err
    assert "Total:       16 of 27" in result.out
    assert "Band:        moderately severe" in result.out
    assert "Safety flag: no" in result.out
    assert "988" not in result.err


def test_checkin_shows_the_users_own_crisis_line(cli, journal):
    overrides = {"resources": {"county-line": {
        "name": "County crisis line", "contacts": [
            {"kind": "call", "value": "555 0100", "label": "Call 555 0100"}]}}}
    with Vault.open(journal, Secret(passphrase=PASS)) as vault:
        JournalRepository(vault.db).set_meta(
            "crisis_overrides", json.dumps(overrides))
        vault.save()
    result = cli("checkin", journal, "phq9", "--answers", NINE_ONES)
    assert "County crisis line" in result.err
    assert "Call 555 0100" in result.err
    assert "988" in result.err  # the bundled ones stay unless removed


@pytest.mark.parametrize(("answers", "says"), [
    ("1,1,1,1,1,1,1,1", "item 9 has no answer"),
    ("1,1,x,1,1,1,1,1,1", "item 3 is not a whole number"),
    ("1,1,1.5,1,1,1,1,1,1", "item 3 is not a whole number"),
    ("1,,1,1,1,1,1,1,1", "item 2 has no answer"),
    ("1,1,1,1,1,1,1,1,4", "item 9 is not one of the choices (0-3)"),
    ("-1,1,1,1,1,1,1,1,1", "item 1 is not one of the choices"),
    ("", "item 1 has no answer"),
    ("1,1,1,1,1,1,1,1,1,1", "9 items but 10 answers"),
])
def test_checkin_incomplete_answers_exit_2_and_store_nothing(cli, journal, answers, says):
    before = Snapshot.of(journal)
    result = cli("checkin", journal, "phq9", f"--answers={answers}")
    assert result.code == 2
    assert says in result.err
    assert "nothing was stored" in result.err
    assert result.out == ""
    before.assert_unchanged(journal)
    assert _stored(journal) == []


@pytest.mark.parametrize(("measure", "answers", "total", "display", "band"), [
    ("gad7", "3,3,3,3,3,3,3", 21, "21", "severe"),
    ("gad7", "1,1,1,1,1,0,0", 5, "5", "mild"),
    ("peg", "4,5,4", 13 / 3, "4.3", None),
    ("mood", "7", 7, "7", None),
    ("PHQ9", NINE_ONES, 9, "9", "mild"),
])
def test_checkin_other_measures(cli, journal, measure, answers, total, display, band):
    data = _json(cli("checkin", journal, measure, "--answers", answers, "--json"))
    assert data["measure"] == measure.lower()
    assert data["total"] == pytest.approx(total)
    assert data["display_total"] == display
    assert data["band"] == band
    assert data["safety_flag"] is (measure == "PHQ9")


def test_checkin_of_an_unknown_measure_exits_2(cli, journal):
    result = cli("checkin", journal, "beck", "--answers", "1,2")
    assert result.code == 2
    assert "phq9, gad7, peg, mood" in result.err
    assert _stored(journal) == []


def test_checkin_answers_can_come_from_stdin(cli, journal):
    data = _json(cli("checkin", journal, "gad7", "--answers", "-", "--json",
                     stdin="1,2,0,1,2,0,1\n"))
    assert data["total"] == 7
    [stored] = _stored(journal)
    assert stored.answers == (1, 2, 0, 1, 2, 0, 1)


def test_checkin_exits_5_while_another_program_holds_the_journal(cli, journal):
    holder = InstanceLock(journal)
    holder.acquire()
    try:
        before = Snapshot.of(journal)
        result = cli("checkin", journal, "mood", "--answers", "5")
        assert result.code == 5
        assert "open in another" in result.err
        before.assert_unchanged(journal)
    finally:
        holder.release()
    assert cli("checkin", journal, "mood", "--answers", "5").code == 0


def test_checkin_exits_7_when_the_journal_cannot_be_saved(cli, journal):
    journal.with_name(journal.name + ".lock").unlink(missing_ok=True)
    before = Snapshot.of(journal)
    with read_only_folder(journal.parent):
        result = cli("checkin", journal, "mood", "--answers", "5")
        assert result.code == 7, result.err
        assert "journal on disk is unchanged" in result.err
        before.assert_unchanged(journal)
    assert _stored(journal) == []


def test_checkin_with_a_wrong_passphrase_exits_3(cli, journal):
    before = Snapshot.of(journal)
    assert cli("checkin", journal, "mood", "--answers", "5", passphrase="nope").code == 3
    before.assert_unchanged(journal)


# --------------------------------------------------------------------------- scores


def _course(cli, journal: Path) -> None:
    """PHQ-9 18 -> 9 -> 4, entered out of order, plus one GAD-7."""
    for date, answers in (("2026-02-01", NINE_ONES), ("2026-01-05", "2,2,2,2,2,2,2,2,2"),
                          ("2026-03-01", "1,1,1,1,0,0,0,0,0")):
        assert cli("checkin", journal, "phq9", "--answers", answers, "--date", date).code == 0
    assert cli("checkin", journal, "gad7", "--answers", "2,2,2,2,1,1,1",
               "--date", "2026-01-05").code == 0


def test_scores_json_has_change_from_baseline(cli, journal):
    _course(cli, journal)
    scores = _json(cli("scores", journal, "--json"))["scores"]
    assert set(scores) == {"phq9", "gad7", "peg", "mood"}
    phq9 = scores["phq9"]["check_ins"]
    assert [p["total"] for p in phq9] == [18, 9, 4]
    assert [p["band"] for p in phq9] == ["moderately severe", "mild", "none/minimal"]
    assert [p["safety_flag"] for p in phq9] == [True, True, False]
    assert [p["taken_at"][:10] for p in phq9] == ["2026-01-05", "2026-02-01", "2026-03-01"]
    changes = [p["change"] for p in phq9]
    assert [c["absolute"] for c in changes] == [0, -9, -14]
    assert [c["percent"] for c in changes] == [0.0, -50.0, -77.8]
    assert [c["response"] for c in changes] == [False, True, True]
    assert [c["remission"] for c in changes] == [False, False, True]
    assert scores["phq9"]["baseline"]["total"] == 18
    assert [p["total"] for p in scores["gad7"]["check_ins"]] == [11]
    assert scores["peg"]["check_ins"] == []
    assert scores["peg"]["baseline"] is None


def test_scores_text_per_measure(cli, journal):
    _course(cli, journal)
    result = cli("scores", journal)
    assert result.code == 0, result.err
    phq9, gad7 = result.out.strip().split("\n\n")
    lines = phq9.splitlines()
    assert lines[0] == "PHQ-9 (baseline 18 on 2026-01-05)"
    assert "18 of 27" in lines[1] and "baseline" in lines[1]
    assert "-9 (-50%)" in lines[2] and "response" in lines[2] and "[safety flag]" in lines[2]
    assert "-14 (-78%)" in lines[3] and "response, remission" in lines[3]
    assert gad7.splitlines()[0] == "GAD-7"
    assert "11 of 21  moderate" in gad7
    assert "988" not in result.err  # the latest PHQ-9 raised no flag


def test_scores_point_to_help_when_the_latest_check_in_is_flagged(cli, journal):
    cli("checkin", journal, "phq9", "--answers", NINE_ONES)
    result = cli("scores", journal)
    assert "The latest PHQ-9 check-in raised the safety flag" in result.err
    assert "988" in result.err


def test_scores_of_a_journal_without_check_ins(cli, journal):
    result = cli("scores", journal)
    assert result.code == 0
    assert result.out == ""
    assert "no check-ins yet" in result.err
