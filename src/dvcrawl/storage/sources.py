"""Keep the ``sources`` table in step with the sources file (names and provinces for feeds)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dvcrawl.sources import Source
from dvcrawl.storage.models import Source as SourceRow


def sync_sources(session: Session, sources: list[Source]) -> None:
    """Insert or update a row per source; rows of sources no longer in the file are kept."""
    for source in sources:
        row = session.get(SourceRow, source.id)
        if row is None:
            row = SourceRow(id=source.id)
            session.add(row)
        row.name = source.name
        row.province = source.province
        row.start_urls = list(source.start_urls)
