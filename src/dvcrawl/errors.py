"""Named errors, so every failure says what went wrong and where (docs/style.md, principle 4)."""


class DvcrawlError(Exception):
    """Base of every error dvcrawl raises on purpose; the CLI prints its message and exits 2."""


class ConfigError(DvcrawlError):
    """A configuration mistake: the message names the file, the source and the key."""


class DatabaseError(DvcrawlError):
    """The database cannot be reached or migrated."""
