"""Storage: SQLAlchemy models, engine/session setup with migrations on first use, and queries."""
