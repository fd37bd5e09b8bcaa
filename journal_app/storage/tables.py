"""ORM tables (SQLAlchemy 2, typed). The schema itself is created by Alembic migrations."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    starts_at: Mapped[str] = mapped_column(String(40), index=True)  # ISO-8601 with offset
    modality: Mapped[str] = mapped_column(String(32))
    setting: Mapped[str] = mapped_column(String(16))
    number: Mapped[int | None] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))


class EntryTag(Base):
    __tablename__ = "entry_tags"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"),
                                        primary_key=True)


class TagRow(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


class EntryRow(Base):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(40), index=True)
    updated_at: Mapped[str] = mapped_column(String(40))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )

    tags: Mapped[list[TagRow]] = relationship(secondary="entry_tags", lazy="selectin",
                                              order_by="TagRow.name")


class MetaRow(Base):
    """Small journal-wide values (e.g. the user's chosen display name)."""

    __tablename__ = "journal_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --------------------------------------------------------------------------- care data (0002)


class CheckInRow(Base):
    """One completed measure (PHQ-9, GAD-7, PEG, mood). Scores are recomputed from answers."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    measure: Mapped[str] = mapped_column(String(32), index=True)
    measure_version: Mapped[int] = mapped_column(Integer, default=1)
    answers: Mapped[str] = mapped_column(Text)  # JSON list of numbers
    taken_at: Mapped[str] = mapped_column(String(40), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))


class PromptAnswerRow(Base):
    """A structured answer inside a preparation/integration entry, with the prompt text it
    was answered with (so it survives later changes to the prompt library)."""

    __tablename__ = "prompt_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer)
    prompt_id: Mapped[str] = mapped_column(String(80))
    prompt_version: Mapped[int] = mapped_column(Integer)
    prompt_title: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    answer_type: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str] = mapped_column(Text)  # JSON
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)


class TimelineStepRow(Base):
    """Where a session's preparation/integration steps stand."""

    __tablename__ = "timeline_steps"
    __table_args__ = (UniqueConstraint("session_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    step: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))  # in-progress | done | skipped
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"))
    progress: Mapped[str] = mapped_column(Text, default="")  # JSON: where a flow stopped
    updated_at: Mapped[str] = mapped_column(String(40))


class PracticeRow(Base):
    """An integration practice chosen after a session, and whether it happened."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    domain: Mapped[str] = mapped_column(String(20))  # mind|body|spirit|relationships|...
    description: Mapped[str] = mapped_column(Text)
    chosen_at: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(16))  # done | partly | not-yet
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[str | None] = mapped_column(String(40))


# --------------------------------------------------------------------------- attachments (0003)


class AttachmentRow(Base):
    """A voice note, picture or drawing kept with an entry. Only its description is here;
    the bytes are an encrypted file beside the journal, named by a keyed hash of ``uid``
    (storage/blobs.py)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[str] = mapped_column(String(16))  # voice | image | drawing
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(40))
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
