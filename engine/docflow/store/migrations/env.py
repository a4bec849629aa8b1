"""Alembic environment of the docflow store: runs on the connection docflow hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from docflow.store.schema import metadata

config = context.config


def run() -> None:
    """Run the migrations on the given connection, or on ``sqlalchemy.url`` if none."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(str(config.get_main_option("sqlalchemy.url")))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
