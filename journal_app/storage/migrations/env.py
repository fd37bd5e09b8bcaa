"""Alembic environment: always runs on the in-memory connection handed in by the vault."""

from alembic import context

from journal_app.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite needs batch mode for ALTER
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
