"""A folder of Markdown files (Obsidian, Joplin, plain), and the front matter reader."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from journal_app.domain.importers import (
    SourceKind,
    front_matter,
    guess_kind,
    markdown_folder,
    read_source,
)
from journal_app.domain.importers.common import SourceError, stable_uid, to_imported
from journal_app.domain.importers.preview import make_preview

DATA = Path(__file__).resolve().parents[1] / "data" / "importers" / "markdown"
MTIME = dt.datetime(2022, 5, 6, 7, 8, 9, tzinfo=dt.UTC)


@pytest.fixture
def folder(tmp_path):
    """The fixture folder, copied so its files have a known modification time."""
    target = tmp_path / "notes"
    shutil.copytree(DATA, target)
    for path in target.rglob("*"):
        os.utime(path, (MTIME.timestamp(), MTIME.timestamp()))
    return target


def by_key(source):
    return {e.key: e for e in source.entries}


def test_every_field_lands(folder):
    assert guess_kind(folder) is SourceKind.MARKDOWN
    source = read_source(folder, SourceKind.MARKDOWN)
    entries = by_key(source)
    assert sorted(entries) == ["Therapy/2023-03-04 Intention.md", "joplin note.md",
                               "plain note.md", "undated.md"]
    obsidian = entries["Therapy/2023-03-04 Intention.md"]
    assert obsidian.title == "Intention: be gentle"
    assert obsidian.created_at == dt.datetime(2023, 3, 4, 10, 15,
                                              tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert obsidian.updated_at == dt.datetime(2023, 3, 4, 11, 0,
                                              tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert obsidian.tags == ("preparation", "first session", "breath", "self-care")
    # Fields not read stay at the top of the text; the text itself is kept exactly.
    assert obsidian.body.startswith("---\naliases:\n  - gentle\nmood: calm\n---\n# Intention")
    assert "#not-a-tag inside code" in obsidian.body
    joplin = entries["joplin note.md"]
    assert joplin.title == "After the session"
    assert joplin.created_at == dt.datetime(2023, 3, 5, 19, 30, tzinfo=dt.UTC)
    assert joplin.updated_at == dt.datetime(2023, 3, 6, 8, 0, tzinfo=dt.UTC)
    assert joplin.tags == ("integration", "colours")
    assert "author" not in joplin.body  # empty fields hold nothing
    assert joplin.body.startswith("---\nlatitude: 52.52000000\n")
    assert joplin.body.endswith("---\nColours, and a feeling of space.\n")
    plain = entries["plain note.md"]
    assert plain.title == "plain note"
    assert plain.created_at == plain.updated_at == MTIME
    assert plain.tags == ()  # "#12" is no tag
    assert plain.body.startswith("Just a plain note")
    day = entries["undated.md"]
    assert day.title == "Dated by day only" and not day.zone_known
    assert day.created_at.replace(tzinfo=None) == dt.datetime(2023, 3, 8)
    uid = to_imported(source).entries[0].entry.uid
    assert uid == stable_uid(SourceKind.MARKDOWN, source.entries[0].key)


def test_preview_lists_other_files_and_local_times(folder):
    preview = make_preview(read_source(folder, SourceKind.MARKDOWN))
    assert preview.entries == 4
    assert [(s.place, s.reason) for s in preview.skipped] == [
        ("the folder", "1 other file, not Markdown (.png)")]
    assert preview.local_times == 1
    assert (preview.first, preview.last) == (dt.date(2022, 5, 6), dt.date(2023, 3, 8))


def test_hidden_folders_and_symlinks_are_left_alone(folder):
    (folder / ".trash").mkdir()
    (folder / ".trash" / "gone.md").write_text("deleted")
    (folder / "link.md").symlink_to(folder / "plain note.md")
    keys = set(by_key(read_source(folder, SourceKind.MARKDOWN)))
    assert not any(".trash" in k or k == "link.md" for k in keys)


def test_encodings_line_endings_and_empty_files(tmp_path):
    text = "---\r\ntitle: Café\r\n---\r\nLine one\r\nLine two\r\n"
    (tmp_path / "utf16.md").write_bytes(text.encode("utf-16"))
    (tmp_path / "bom.md").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "western.md").write_bytes(text.encode("cp1252"))
    (tmp_path / "empty.md").write_bytes(b"\r\n")
    source = read_source(tmp_path, SourceKind.MARKDOWN)
    entries = by_key(source)
    for name in ("utf16.md", "bom.md", "western.md"):
        assert (entries[name].title, entries[name].body) == ("Café", "Line one\nLine two\n")
    assert "empty.md" not in entries
    assert any(s.place == "empty.md" and "empty" in s.reason for s in source.skipped)
    assert source.warnings[0].startswith("western.md is not UTF-8; it was read as "
                                         "Windows-1252")


def test_front_matter_that_cant_be_read_stays_in_the_text(tmp_path):
    text = "---\ntitle: [unclosed\n---\nbody\n"
    (tmp_path / "odd.md").write_text(text)
    source = read_source(tmp_path, SourceKind.MARKDOWN)
    assert source.entries[0].body == text and source.entries[0].title == "odd"
    assert "odd.md, line 2: its front matter can't be read" in source.warnings[0]


def test_a_date_that_cant_be_read_falls_back_to_the_file_time(tmp_path):
    (tmp_path / "n.md").write_text("---\ncreated: last tuesday\n---\nbody\n")
    source = read_source(tmp_path, SourceKind.MARKDOWN)
    assert "n.md: its 'created' can't be read as a date" in source.warnings[0]


def test_a_file_or_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(SourceError, match="reads a folder"):
        read_source(DATA / "plain note.md", SourceKind.MARKDOWN)
    with pytest.raises(SourceError, match="it is not a folder"):
        markdown_folder.parse_folder(tmp_path / "missing")


def test_caps_on_files_and_size(tmp_path, monkeypatch):
    for i in range(3):
        (tmp_path / f"{i}.md").write_text("x" * 100)
    monkeypatch.setattr(markdown_folder, "MAX_ENTRIES", 2)
    with pytest.raises(SourceError, match="more than 2 files"):
        read_source(tmp_path, SourceKind.MARKDOWN)
    monkeypatch.setattr(markdown_folder, "MAX_ENTRIES", 10)
    monkeypatch.setattr(markdown_folder, "MAX_SOURCE_BYTES", 250)
    with pytest.raises(SourceError, match="larger than"):
        read_source(tmp_path, SourceKind.MARKDOWN)


# --------------------------------------------------------------------------- front matter


@pytest.mark.parametrize(("text", "fields"), [
    ("---\ntitle: Walk\n---\n", {"title": "Walk"}),
    ('---\ntitle: "Walk: by \\"the\\" river"\n---\n', {"title": 'Walk: by "the" river'}),
    ("---\ntitle: 'It''s fine'\n---\n", {"title": "It's fine"}),
    ("---\ntags: [a, 'b c', \"d, e\"]\n---\n", {"tags": ["a", "b c", "d, e"]}),
    ("---\ntags:\n  - a\n  - b # a comment\n---\n", {"tags": ["a", "b"]}),
    ("---\ntags:\n- a\n- b\n...\n", {"tags": ["a", "b"]}),
    ("---\nTitle: Upper\n---\n", {"title": "Upper"}),
    ("---\ntitle: Walk # a comment\n---\n", {"title": "Walk"}),
])
def test_front_matter_forms(text, fields):
    assert front_matter.split(text).fields == fields


@pytest.mark.parametrize(("text", "line"), [
    ("---\ntitle: |\n  two\n  lines\n---\n", 3),
    ("---\ntitle: {a: 1}\n---\n", 2),
    ("---\njust words\n---\n", 2),
    ("---\ntags: [a, [b]]\n---\n", 2),
    ('---\ntitle: "unclosed\n---\n', 2),
])
def test_front_matter_it_cant_read(text, line):
    with pytest.raises(front_matter.FrontMatterError) as caught:
        front_matter.split(text)
    assert caught.value.line == line


def test_no_closing_line_means_no_front_matter():
    matter = front_matter.split("---\nA thematic break, then text.\n")
    assert matter.fields == {} and matter.body.startswith("---\nA thematic")
