"""Persistence: SQLModel tables, the async engine and sessions, queries, Alembic migrations."""
