"""Care data: check-ins, structured prompt answers, timeline steps, practices.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _session_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="SET NULL",
                                   name=f"fk_{table}_session_id_sessions")


def upgrade() -> None:
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("measure", sa.String(32), nullable=False),
        sa.Column("measure_version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("taken_at", sa.String(40), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        _session_fk("check_ins"),
        sa.PrimaryKeyConstraint("id", name="pk_check_ins"),
        sa.UniqueConstraint("uid", name="uq_check_ins_uid"),
    )
    op.create_index("ix_check_ins_measure", "check_ins", ["measure"])
    op.create_index("ix_check_ins_taken_at", "check_ins", ["taken_at"])
    op.create_index("ix_check_ins_session_id", "check_ins", ["session_id"])
    op.create_table(
        "prompt_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("prompt_id", sa.String(80), nullable=False),
        sa.Column("prompt_version", sa.Integer(), nullable=False),
        sa.Column("prompt_title", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer_type", sa.String(20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], ondelete="CASCADE",
                                name="fk_prompt_answers_entry_id_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_prompt_answers"),
    )
    op.create_index("ix_prompt_answers_entry_id", "prompt_answers", ["entry_id"])
    op.create_table(
        "timeline_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE",
                                name="fk_timeline_steps_session_id_sessions"),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], ondelete="SET NULL",
                                name="fk_timeline_steps_entry_id_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_timeline_steps"),
        sa.UniqueConstraint("session_id", "step", name="uq_timeline_steps_session_id"),
    )
    op.create_index("ix_timeline_steps_session_id", "timeline_steps", ["session_id"])
    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("domain", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("chosen_at", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("outcome_at", sa.String(40), nullable=True),
        _session_fk("practices"),
        sa.PrimaryKeyConstraint("id", name="pk_practices"),
        sa.UniqueConstraint("uid", name="uq_practices_uid"),
    )
    op.create_index("ix_practices_session_id", "practices", ["session_id"])


def downgrade() -> None:
    for table in ("practices", "timeline_steps", "prompt_answers", "check_ins"):
        op.drop_table(table)
