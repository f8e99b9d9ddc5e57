"""The rows of the on-disk cache's database (apacore.cache.DATABASE), as a test sees them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from apacore import cache


def database() -> Path:
    """The database of the cache folder in force."""
    return cache.cache_dir() / cache.DATABASE


def keys(kind: str) -> list[str]:
    """The keys of ``kind``'s rows, sorted (none without a database)."""
    if not database().exists():
        return []
    return sorted(str(row[0]) for row in execute("SELECT key FROM entries WHERE kind = ?", (kind,)))


def execute(statement: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Run one statement on the database, committed; its rows."""
    connection = sqlite3.connect(database(), isolation_level=None)
    try:
        return connection.execute(statement, parameters).fetchall()
    finally:
        connection.close()


def age(kind: str, seconds: float, key: str | None = None) -> None:
    """Mark ``kind``'s rows (or one) as last used ``seconds`` ago."""
    import time

    where = "kind = ?" + ("" if key is None else " AND key = ?")
    parameters: tuple[object, ...] = (kind,) if key is None else (kind, key)
    execute(f"UPDATE entries SET used = ? WHERE {where}", (int(time.time() - seconds), *parameters))


def damage(kind: str, key: str) -> None:
    """Alter the last bytes of a row's payload (its digest no longer holds)."""
    ((payload,),) = execute("SELECT payload FROM entries WHERE kind = ? AND key = ?", (kind, key))
    assert isinstance(payload, bytes)
    execute(
        "UPDATE entries SET payload = ? WHERE kind = ? AND key = ?",
        (payload[:-3] + b"XXX", kind, key),
    )
