"""Planner statistics after a bulk load.

PostgreSQL's planner estimates row counts from statistics that autovacuum refreshes only
some time after a large write. Until then a freshly loaded province looks empty to it: a
list page that reads its first 50 rows from an index is planned as a nested loop over
"2 counties" and sorts half a million reports instead (measured: 4 s instead of 20 ms).
Every bulk path (the division table, the province generator) therefore refreshes the
statistics of the tables it filled before it returns.

SQLite keeps no statistics until ``ANALYZE`` runs. Without them it guessed that a county's
scope (a join through its townships) was more selective than a list of primary keys, and
checked each chunk of an import against every village of the county: a 100,000-row import
took several times longer per row than a 10,000-row one. So SQLite gets ``ANALYZE`` too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models


def refresh_statistics(tables: Iterable[type[models.Model]]) -> None:
    """ANALYZE the tables of ``tables`` on PostgreSQL; outside a transaction VACUUM
    (ANALYZE), which also sets the visibility map so that counts can be answered from the
    indexes alone. ``ANALYZE`` of each table on SQLite; nothing on other databases."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in dict.fromkeys(model._meta.db_table for model in tables):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        return
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in dict.fromkeys(model._meta.db_table for model in tables):
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")
