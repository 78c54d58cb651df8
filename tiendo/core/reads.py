"""Several small reads in one round trip, and model rows built from them (issue #3, speed).

A page that needs five small reads pays, per read, the ORM's compilation of the query (often
more than the database's work) and a round trip to the server. ``run_reads`` sends hand-written
statements together: on PostgreSQL as ONE ``execute`` with several result sets (psycopg's
``nextset``), elsewhere one after the other (SQLite is in-process). ``ModelColumns`` selects a
model's columns in such a statement and builds the instances as the ORM would: the backend's
and the fields' converters applied, ``Model.from_db`` (fields not selected are deferred, as with
``.only()``).

Only reads whose rules are stated elsewhere belong here; the statements say which rule they
implement (e.g. the dashboards' summary reads, ``dashboards/selectors.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

Statement = tuple[str, Sequence[Any]]


def run_reads(
    statements: Sequence[Statement],
    proceed: Callable[[list[tuple[Any, ...]]], bool] | None = None,
) -> list[list[tuple[Any, ...]]]:
    """The rows of each statement, in order: one query on PostgreSQL, one each elsewhere.

    ``proceed``: a test of the first statement's rows; where statements run one by one, the
    others run only if it passes (and only the first's rows are returned otherwise), so that
    a read that turns out useless costs one query there too.
    """
    results: list[list[tuple[Any, ...]]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's psycopg cursor binds parameters client-side, so several statements
            # with parameters go as one query; each statement gives one result set.
            cursor.execute(
                ";\n".join(sql for sql, _params in statements),
                [p for _sql, params in statements for p in params],
            )
            results.append(cursor.fetchall())
            while cursor.nextset():
                results.append(cursor.fetchall())
        else:
            for sql, params in statements:
                cursor.execute(sql, list(params))
                results.append(cursor.fetchall())
                if len(results) == 1 and proceed is not None and not proceed(results[0]):
                    return results
    if len(results) != len(statements):
        raise RuntimeError(f"{len(statements)} statements gave {len(results)} result sets")
    return results


class ModelColumns:
    """Some columns of ``model`` under a table alias, and the instances built from them."""

    def __init__(self, model: type[Model], alias: str, names: Iterable[str] | None = None):
        opts = model._meta
        self.model, self.alias = model, alias
        wanted = None if names is None else set(names) | {opts.pk.name}
        self.fields: list[Field] = [
            f for f in opts.concrete_fields if wanted is None or f.name in wanted
        ]
        self.attnames = [f.attname for f in self.fields]
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)
        self._converters = []
        for i, f in enumerate(self.fields):
            col = f.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self._converters.append((i, col, found))

    def __len__(self) -> int:
        return len(self.fields)

    def build(self, values: Sequence[Any]) -> Model:
        """The instance of one row's values (these columns, in this order)."""
        values = list(values)
        for i, col, converters in self._converters:
            value = values[i]
            for convert in converters:
                value = convert(value, col, connection)
            values[i] = value
        return self.model.from_db(connection.alias, self.attnames, values)
