"""vault.md tests 3, 4, 5 and 14 for format 3's change records (storage.changelog).

A record flipped, cut, reordered, dropped, spliced in from another file, or junk after
the last one: only the typed errors (damaged, tampered), or, where the damage is what a
crash mid-append leaves (the last record cut short or failing at the file's end), the
journal opens at the record before and says the last save did not finish. Never a crash,
a hang, or a write.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.errors import CorruptFileError, DamagedFileError, JournalError, TamperedFileError
from journal_app.storage import changelog
from journal_app.storage import fileformat as ff
from journal_app.storage.vault import Vault
from tests.helpers.journals import add_entries, make_journal, titles_in

TITLES = ["base", "first record", "second record", "third record"]


def frames(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each record after the base."""
    pos, out = ff.parse(data).body_end, []
    while pos < len(data):
        length = struct.unpack_from(">I", data, pos)[0]
        out.append((pos, pos + changelog.FRAME_HEAD.size + length))
        pos = out[-1][1]
    return out


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    """A journal whose base holds "base" and whose three records add one entry each."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JOURNAL_APP_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        made = make_journal(tmp_path_factory.mktemp("records"), ("base",))
        with Vault.open(made.path, made.secret) as vault:
            base_generation = vault.generation
        vault = Vault.open(made.path, made.secret)
        for title in TITLES[1:]:
            add_entries(vault, [title])
            vault.save()
        assert vault.records == 3
        vault.close(keep_additions=True)  # only added rows: the records stay
        data = made.path.read_bytes()
    assert len(frames(data)) == 3
    return made, data, base_generation


def _open(made, data: bytes, tmp_path: Path):
    """Open ``data`` as a journal; (error or None, titles, generation, notice). Checks
    that the open changed no byte and no time of the file."""
    path = tmp_path / "case.ijournal"
    path.write_bytes(data)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    try:
        vault = Vault.open(path, made.secret, lock=False)
    except JournalError as exc:
        result = (exc, None, None, None)
    else:
        with vault:
            result = (None, titles_in(vault), vault.generation, vault.unfinished_save)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    return result


def test_pristine_records_open_in_order(journal, tmp_path):
    made, data, base = journal
    err, titles, generation, notice = _open(made, data, tmp_path)
    assert err is None and notice is None
    assert titles == sorted(TITLES) and generation == base + 3


@pytest.mark.parametrize("record", [0, 1])
@pytest.mark.parametrize("where", ["length", "check", "nonce", "body", "tag"])
def test_a_flipped_byte_in_an_earlier_record_is_refused(journal, tmp_path, record, where):
    made, data, _ = journal
    start, end = frames(data)[record]
    pos = {"length": start + 2, "check": start + 6, "nonce": start + 10,
           "body": start + 700, "tag": end - 3}[where]
    damaged = bytearray(data)
    damaged[pos] ^= 0x10
    err, *_ = _open(made, bytes(damaged), tmp_path)
    expected = CorruptFileError if where in ("length", "check") else TamperedFileError
    assert type(err) is expected, where


@pytest.mark.parametrize("where", ["nonce", "body", "tag"])
def test_a_flipped_byte_in_the_last_record_opens_at_the_one_before(journal, tmp_path, where):
    """What a crash can leave: the last append never completed (reported; the
    generation record of this computer reports it as an older copy if it saw the newer)."""
    made, data, base = journal
    start, end = frames(data)[-1]
    damaged = bytearray(data)
    damaged[{"nonce": start + 10, "body": start + 100, "tag": end - 1}[where]] ^= 0x01
    err, titles, generation, notice = _open(made, bytes(damaged), tmp_path)
    assert err is None and generation == base + 2
    assert titles == sorted(TITLES[:3])
    assert notice is not None and notice.opened_generation == base + 2


@pytest.mark.timeout(120)
def test_cut_at_many_lengths(journal, tmp_path):
    made, data, base = journal
    bounds = frames(data)
    starts = [s for s, _ in bounds]
    lengths = {s + d for s in starts for d in (0, 1, 4, 7, 8, 9, 100, 4095)} | {len(data) - 1}
    for length in sorted(lengths):
        err, titles, generation, notice = _open(made, data[:length], tmp_path)
        assert err is None, length
        whole = sum(1 for _s, e in bounds if e <= length)
        assert generation == base + whole and len(titles) == 1 + whole
        assert (notice is None) == (length in starts), length


def test_reordered_records_are_refused(journal, tmp_path):
    made, data, _ = journal
    (a0, a1), (b0, b1), _c = frames(data)
    swapped = data[:a0] + data[b0:b1] + data[a0:a1] + data[b1:]
    assert type(_open(made, swapped, tmp_path)[0]) is TamperedFileError


def test_a_dropped_record_is_refused_or_reads_as_the_one_before(journal, tmp_path):
    made, data, base = journal
    (a0, a1), (b0, b1), _c = frames(data)
    assert type(_open(made, data[:a0] + data[a1:], tmp_path)[0]) is TamperedFileError
    # The one before the last dropped: the last no longer fits at the end, as if torn.
    err, _titles, generation, notice = _open(made, data[:b0] + data[b1:], tmp_path)
    assert err is None and generation == base + 1 and notice is not None


def test_a_record_spliced_in_from_another_file_is_refused(journal, tmp_path):
    made, data, _ = journal
    other = make_journal(tmp_path / "other", ("elsewhere",))
    with Vault.open(other.path, other.secret) as vault:
        add_entries(vault, ["other record"])
        vault.save()
        foreign = other.path.read_bytes()
    f0, f1 = frames(foreign)[0]
    (_a0, a1), *_ = frames(data)
    spliced = data[:a1] + foreign[f0:f1] + data[a1:]
    assert type(_open(made, spliced, tmp_path)[0]) is TamperedFileError
    # The same journal's own record, put back after a compaction: another base.
    copy = tmp_path / "copy.ijournal"
    copy.write_bytes(data)
    with Vault.open(copy, made.secret) as vault:
        vault.compact()
    compacted = copy.read_bytes()
    s0, s1 = frames(data)[0]
    assert type(_open(made, compacted + data[s0:s1] + data[s0:s1], tmp_path)[0]) \
        is TamperedFileError


@pytest.mark.parametrize("junk, damaged", [
    (b"junk" * 64, True),  # not the start of any record: damage
    (os.urandom(9000), True),
    (bytes(4096), False),  # zeros: a file system that grew the file on a crash
    (b"\x00\x00\x0f", False),  # shorter than a record's head: a cut-off append
])
def test_junk_after_the_last_record(journal, tmp_path, junk, damaged):
    made, data, base = journal
    err, _titles, generation, notice = _open(made, data + junk, tmp_path)
    if damaged:
        assert type(err) is CorruptFileError
        assert "appended" in err.message
    else:
        assert err is None and generation == base + 3 and notice is not None


def test_a_record_claiming_more_than_any_save_writes_is_damage(journal, tmp_path):
    made, data, _ = journal
    length = changelog.MAX_RECORD_LEN + 4096 - changelog.FRAME_HEAD.size
    head = changelog.FRAME_HEAD.pack(length, length ^ 0xFFFFFFFF)
    assert type(_open(made, data + head + bytes(100), tmp_path)[0]) is CorruptFileError


@settings(max_examples=60, deadline=5000, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_records_give_typed_errors_only(journal, tmp_path, data):
    made, raw, _ = journal
    start = ff.parse(raw).body_end
    mutated = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(start, len(raw) - 1))
        mutated[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(start, len(mutated)))
    err, *_ = _open(made, bytes(mutated[:cut]), tmp_path)
    assert err is None or isinstance(err, DamagedFileError)
