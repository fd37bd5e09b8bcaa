"""Integration practices: one small, concrete thing chosen after a session, in one of six
domains (mind, body, spirit, relationships, lifestyle, nature), and whether it happened.

The domains' descriptions and example practices are data (``resources/practices.toml``);
the domain ids themselves are fixed here because practices store them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from journal_app import paths
from journal_app.domain.datafile import (
    DataFileError,
    DataSource,
    file_version,
    read_document,
    records,
)
from journal_app.domain.entities import aware, now
from journal_app.domain.prompts import PromptAnswer

__all__ = [
    "DomainInfo",
    "Practice",
    "PracticeDomain",
    "PracticeOutcome",
    "load_domains",
    "outcome_from_answers",
    "practice_after_flow",
    "practice_from_answers",
]


class PracticeDomain(enum.StrEnum):
    MIND = "mind"
    BODY = "body"
    SPIRIT = "spirit"
    RELATIONSHIPS = "relationships"
    LIFESTYLE = "lifestyle"
    NATURE = "nature"


class PracticeOutcome(enum.StrEnum):
    DONE = "done"
    PARTLY = "partly"
    NOT_YET = "not-yet"


@dataclass(frozen=True)
class DomainInfo:
    domain: PracticeDomain
    title: str
    description: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Practice:
    """A practice chosen after a session. ``id`` is None until stored; ``uid`` is stable
    across journals. ``outcome`` stays None until the person says how it went."""

    domain: PracticeDomain
    description: str = field(repr=False)
    session_id: int | None = None
    chosen_at: dt.datetime = field(default_factory=now)
    outcome: PracticeOutcome | None = None
    outcome_note: str = field(default="", repr=False)
    outcome_at: dt.datetime | None = None
    id: int | None = None
    uid: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "domain", PracticeDomain(self.domain))
        if not self.description.strip():
            raise ValueError("a practice needs a description")
        object.__setattr__(self, "chosen_at", aware(self.chosen_at))
        if self.outcome is not None:
            object.__setattr__(self, "outcome", PracticeOutcome(self.outcome))
        if self.outcome_at is not None:
            object.__setattr__(self, "outcome_at", aware(self.outcome_at))

    @property
    def is_open(self) -> bool:
        """Still waiting for "how did it go" (no outcome yet, or "not yet")."""
        return self.outcome in (None, PracticeOutcome.NOT_YET)

    def with_outcome(self, outcome: PracticeOutcome | str | None, note: str = "",
                     at: dt.datetime | None = None) -> Practice:
        """A copy recording how it went; ``None`` clears the outcome again."""
        if outcome is None:
            return replace(self, outcome=None, outcome_note="", outcome_at=None)
        return replace(self, outcome=PracticeOutcome(outcome), outcome_note=note,
                       outcome_at=at or now())


#: The prompts (resources/prompts/integration.toml) whose answers make or close a practice.
DOMAIN_PROMPT = "day3_practice_domain"
DESCRIPTION_PROMPT = "day3_practice"
OUTCOME_PROMPT = "week1_practice"
OUTCOME_NOTE_PROMPT = "week1_practice_note"


def practice_from_answers(answers: Iterable[PromptAnswer], *, session_id: int | None = None,
                          at: dt.datetime | None = None) -> Practice | None:
    """The practice chosen in a day-3 flow, or None if no domain or description was given."""
    given = _answered(answers)
    domain, description = given.get(DOMAIN_PROMPT), given.get(DESCRIPTION_PROMPT)
    if not isinstance(domain, str) or not isinstance(description, str) \
            or not description.strip() or domain not in tuple(PracticeDomain):
        return None
    return Practice(PracticeDomain(domain), description.strip(), session_id=session_id,
                    chosen_at=at or now())


def outcome_from_answers(answers: Iterable[PromptAnswer]
                         ) -> tuple[PracticeOutcome, str] | None:
    """How the practice went, from a week-1 flow: (outcome, note), or None if not said."""
    given = _answered(answers)
    outcome = given.get(OUTCOME_PROMPT)
    if not isinstance(outcome, str) or outcome not in tuple(PracticeOutcome):
        return None
    note = given.get(OUTCOME_NOTE_PROMPT)
    return PracticeOutcome(outcome), note.strip() if isinstance(note, str) else ""


def practice_after_flow(answers: Iterable[PromptAnswer], *, session_id: int,
                        current: Practice | None,
                        at: dt.datetime | None = None) -> Practice | None:
    """What a saved day-3 or week-1 flow means for the session's practice: the practice to
    store (``id`` None: a new one; otherwise ``current`` changed), or None when nothing
    changes. Choosing on day 3 again replaces the description but keeps an outcome
    already given; the week-1 answer sets the outcome of the practice chosen for the
    same session, if there is one."""
    answers = list(answers)
    moment = at or now()
    result = current
    chosen = practice_from_answers(answers, session_id=session_id, at=moment)
    if chosen is not None:
        if result is None:
            result = chosen
        elif (result.domain, result.description) != (chosen.domain, chosen.description):
            result = replace(result, domain=chosen.domain, description=chosen.description)
    said = outcome_from_answers(answers)
    if said is not None and result is not None:
        outcome, note = said
        if (result.outcome, result.outcome_note) != (outcome, note):
            result = replace(result, outcome=outcome, outcome_note=note, outcome_at=moment)
    return None if result is current else result


def _answered(answers: Iterable[PromptAnswer]) -> dict[str, object]:
    return {a.prompt_id: a.answer for a in answers if not a.is_empty}


_DOMAIN_FIELDS = frozenset({"id", "title", "description", "examples"})


def load_domains(path: DataSource | None = None) -> tuple[DomainInfo, ...]:
    """The six domains in the file's order (default ``resources/practices.toml``).

    The file must describe each domain exactly once; :class:`DataFileError` names the
    file, line and domain otherwise.
    """
    doc = read_document(paths.resource("practices.toml") if path is None else path)
    file_version(doc)
    found: list[DomainInfo] = []
    for record in records(doc, "domain", _DOMAIN_FIELDS):
        domain_id = record.choice("id", tuple(PracticeDomain))
        if any(info.domain == domain_id for info in found):
            raise record.fail("the domain is described twice")
        examples = record.values.get("examples", [])
        if not isinstance(examples, list) or not all(
                isinstance(e, str) and e.strip() for e in examples):
            raise record.fail("'examples' must be a list of texts", key="examples")
        found.append(DomainInfo(PracticeDomain(domain_id), record.text("title"),
                                record.text("description"), tuple(examples)))
    missing = [d.value for d in PracticeDomain if d not in {i.domain for i in found}]
    if missing:
        raise DataFileError(doc.name, f"no [[domain]] for: {', '.join(missing)}")
    return tuple(found)
