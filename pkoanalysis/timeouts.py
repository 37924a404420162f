"""A time limit for heavy queries: on PostgreSQL, statements inside `statement_timeout(ms)` are
cancelled by the server after ms milliseconds, so a request cannot hold a worker and a database
connection for longer. Elsewhere (SQLite, development) it does nothing."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout


@contextmanager
def statement_timeout(milliseconds: int) -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [int(milliseconds)])
        yield
        with connection.cursor() as cursor:  # an enclosing transaction (tests) goes on without it
            cursor.execute("SET LOCAL statement_timeout TO DEFAULT")


def timed_out(exc: BaseException) -> bool:
    """Whether a database error is a statement stopped by statement_timeout."""
    return isinstance(exc, DatabaseError) and getattr(exc.__cause__, "pgcode", None) == QUERY_CANCELED
