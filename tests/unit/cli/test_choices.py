"""The parser's choices (cli/choices.py, written out so parsing imports no domain module)
are the domain's own values, in its order, with its defaults."""

from __future__ import annotations

from journal_app.cli import choices
from journal_app.cli.journal_args import search_arguments
from journal_app.cli.parser import build_parser
from journal_app.domain.attachments import MAX_ATTACHMENT_BYTES, AttachmentKind
from journal_app.domain.entities import EntryKind, Modality, Setting, TreatmentSession, now
from journal_app.domain.search import PRACTICE_KIND, SearchFilters


def test_the_choices_are_the_domain_values():
    assert tuple(k.value for k in EntryKind) == choices.ENTRY_KINDS
    assert choices.PRACTICE_KIND == PRACTICE_KIND
    assert tuple(m.value for m in Modality) == choices.MODALITIES
    assert tuple(s.value for s in Setting) == choices.SETTINGS
    assert tuple(k.value for k in AttachmentKind) == choices.ATTACHMENT_KINDS
    assert choices.MAX_ATTACHMENT_BYTES == MAX_ATTACHMENT_BYTES


def test_the_defaults_are_the_domain_defaults():
    session = TreatmentSession(starts_at=now())
    assert (choices.MODALITIES[0], choices.SETTINGS[0]) == (session.modality.value,
                                                            session.setting.value)


def test_every_search_kind_is_a_filter_the_search_accepts():
    parser = build_parser()
    argv = search_arguments(parser, ["j.ijournal", "--kind", "practice", "--kind", "free"])
    assert parser.parse_args(["search", *argv]).kind == ["practice", "free"]
    SearchFilters(kinds=frozenset([*choices.ENTRY_KINDS, choices.PRACTICE_KIND]))
