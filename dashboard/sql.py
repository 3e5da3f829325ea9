"""Plain SQL helpers of the dashboard's reads and rollup writes (one copy for both):
quoted table names, placeholders, binary reads on PostgreSQL, bulk inserts and upserts."""

import datetime as dt
import time

from django.db import connection


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def adapt(value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def marks(values):
    return ", ".join(["%s"] * len(values))


def fetch(sql, params):
    """Rows of a read-only query. On PostgreSQL the results come in binary format: a year of
    histograms is megabytes of bytea, which the default text format would send as hex
    (twice the bytes, plus decoding). Same connection, so same transaction."""
    params = [adapt(p) for p in params]
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        started = time.monotonic()
        # Django's error translation (and broken-connection bookkeeping) still applies;
        # prepare=False keeps it safe behind a transaction-pooling PgBouncer.
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            rows = cursor.execute(sql, params, binary=True, prepare=False).fetchall()
        if connection.queries_logged:  # counted like Django's own queries (tests, benches)
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
        return rows
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def bulk_write(cursor, table, columns, rows, keys=None, update=None):
    """Many rows in few statements, the same SQL on SQLite and PostgreSQL: a plain INSERT
    (no `keys`), or INSERT … ON CONFLICT (keys) DO UPDATE SET `update` / DO NOTHING. Keys are
    unique within `rows`, as PostgreSQL requires. Bulk loads on PostgreSQL (rebuild,
    generate_history) go through COPY: straight into the table, or into a temporary table
    first when conflicts must be resolved."""
    rows = rows if isinstance(rows, list) else list(rows)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    conflict = "" if keys is None else \
        f" ON CONFLICT ({', '.join(keys)}) " + (f"DO UPDATE SET {update}" if update else "DO NOTHING")
    if connection.vendor == "postgresql" and len(rows) > 2000:
        target = table if keys is None else "dashboard_bulk"
        if keys is not None:
            cursor.execute("DROP TABLE IF EXISTS dashboard_bulk")
            cursor.execute(f"CREATE TEMP TABLE dashboard_bulk AS SELECT {names} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if keys is not None:
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM dashboard_bulk{conflict}")
            cursor.execute("DROP TABLE dashboard_bulk")
        return
    width = len(columns)
    step = max(1, 900 // width)  # stay under SQLite's bound-parameter limit
    for i in range(0, len(rows), step):
        chunk = rows[i:i + step]
        marks = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
        cursor.execute(f"INSERT INTO {table} ({names}) VALUES {marks}{conflict}",
                       [value for row in chunk for value in row])
